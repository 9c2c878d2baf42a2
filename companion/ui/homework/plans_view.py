"""The Reports page's homework tab: open a plan file (button or drop), the plans being worked
on with their progress, and earlier plans."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from companion import i18n
from companion.core.homework.service import HomeworkService, PlanInfo
from companion.core.reports.wording import period_text
from companion.i18n import N_, _, format_date
from companion.ui.homework.plan_dialog import choose_plan_file, open_plan, plan_file_from_drop
from companion.ui.homework.progress_view import PlanProgressView
from companion.ui.pages import AppContext
from companion.ui.widgets.common import Card, StatusLabel, icon, label, scroll_area
from companion.ui.widgets.undo_bar import UndoBar

if TYPE_CHECKING:
    from companion.core.session import OpenDiary

STATE_WORDS = {"declined": N_("declined on {day}"), "archived": N_("put away")}


class PlansView(QWidget):
    def __init__(self, diary: OpenDiary, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.diary = diary
        self.context = context
        self.service = diary.service(HomeworkService)
        self.views: list[PlanProgressView] = []
        self.dialog: QWidget | None = None
        self.setAcceptDrops(True)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 12, 0, 0)
        outer.setSpacing(10)
        head = QHBoxLayout()
        self.open_button = QPushButton(icon("mdi6.folder-open-outline"), _("Open a plan file…"))
        self.open_button.setAccessibleName(
            _("Open a plan file: a homework plan from your therapist")
        )
        self.open_button.clicked.connect(self.choose_file)
        head.addWidget(self.open_button)
        head.addWidget(label(_("or drop a plan file here."), name="Muted"), 1)
        outer.addLayout(head)
        self.status = StatusLabel(name="Error", accessible_name=_("Homework status"))
        outer.addWidget(self.status)
        self.undo_bar = UndoBar()
        outer.addWidget(self.undo_bar)
        area = scroll_area()
        area.setAccessibleName(_("Homework plans"))
        area.setWidgetResizable(True)
        body = QWidget()
        self.column = QVBoxLayout(body)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.setSpacing(12)
        self.current = Card(_("Plans you are working on"))
        self.column.addWidget(self.current)
        self.earlier = Card(_("Earlier plans"))
        self.column.addWidget(self.earlier)
        self.column.addStretch(1)
        area.setWidget(body)
        outer.addWidget(area, 1)
        self.ops = context.operations("homework", self.status, undo=self.undo_bar)
        self._rebuild = QTimer(self)
        self._rebuild.setSingleShot(True)
        self._rebuild.timeout.connect(self.refresh)
        context.changes.listen(
            ("homework", "mood", "exercises", "learn", "checkups"),
            lambda _c: self._rebuild.start(0),
            receiver=self,
        )
        self.refresh()

    # -- showing -----------------------------------------------------------------------------

    def _clear(self, card: Card) -> None:
        while card.body.count() > 1:  # the heading stays
            item = card.body.takeAt(1)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()

    def refresh(self) -> None:
        self._clear(self.current)
        self._clear(self.earlier)
        self.views = []
        current = self.service.current()
        for info in current:
            view = PlanProgressView(info, self.service, self.ops)
            self.views.append(view)
            self.current.body.addWidget(view)
        if not current:
            self.current.body.addWidget(
                label(
                    _(
                        "No plan yet. If your therapist gives you a plan file, open it here: you "
                        "see what it asks before you accept it."
                    ),
                    name="Muted",
                )
            )
        earlier = self.service.plans(("declined", "archived"))
        for info in earlier:
            self.earlier.body.addWidget(label(self._earlier_words(info)))
        self.earlier.setVisible(bool(earlier))

    @staticmethod
    def _earlier_words(info: PlanInfo) -> str:
        state = i18n._(STATE_WORDS.get(info.state, info.state)).format(
            day=format_date(info.decided_at.date(), "medium")
        )
        return _("“{title}” from {author}, {period}: {state}").format(
            title=info.title,
            author=info.author,
            period=period_text(info.starts, info.ends),
            state=state,
        )

    # -- opening plans -----------------------------------------------------------------------

    def choose_file(self) -> None:
        path = choose_plan_file(self)
        if path is not None:
            self.open_path(path)

    def open_path(self, path: Path) -> None:
        self.status.setText("")
        self.dialog = open_plan(path, self.diary, self.context, self.status, self)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if plan_file_from_drop(list(event.mimeData().urls())) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = plan_file_from_drop(list(event.mimeData().urls()))
        if path is not None:
            event.acceptProposedAction()
            self.open_path(path)
