"""Homework on the Today page: each plan being worked on, with progress from what was logged
and a "Done today" box for the tasks the app cannot see. Hidden when there is no plan (a
person without a therapist's plan never sees an empty homework card). A plan file dropped on
the card is opened as on the Reports page."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from companion.core.homework.service import HomeworkService, PlanInfo
from companion.i18n import _
from companion.ui.homework.plan_dialog import open_plan, plan_file_from_drop
from companion.ui.homework.progress_view import PlanProgressView, PlanShown, plan_shown
from companion.ui.pages import AppContext, TodayCard
from companion.ui.timers import one_per_turn
from companion.ui.today.parts import read_then_draw, reads_then_draw
from companion.ui.widgets.common import StatusLabel, link_button
from companion.ui.widgets.undo_bar import UndoBar

if TYPE_CHECKING:
    from companion.core.session import OpenDiary


class HomeworkCard(TodayCard):
    order = 25

    @property  # translated when the card is made, not when the module is imported
    def heading(self) -> str:  # type: ignore[override]
        return _("Homework")

    @classmethod
    def in_parts(
        cls, diary: OpenDiary, context: AppContext
    ) -> tuple[HomeworkCard, list[Callable[[], object]]]:
        """The card, then what reads its plans' progress, then what draws it (``TodayPage``)."""
        card = cls(diary, context, read=False)
        card._drawn = False
        # the plans, then their progress: about half of the read each
        plans: list[PlanInfo] = []
        shown: list[PlanShown] = []
        reads = [
            lambda: plans.extend(card.service.current()),
            lambda: shown.extend(plan_shown(info, card.service) for info in plans),
        ]
        return card, reads_then_draw(diary, reads, lambda: card._draw(shown), card.refresh)

    def __init__(
        self,
        diary: OpenDiary,
        context: AppContext,
        parent: QWidget | None = None,
        *,
        read: bool = True,
    ):
        super().__init__(diary, context, parent)
        self.service = diary.service(HomeworkService)
        self.views: list[PlanProgressView] = []
        self.dialog: QWidget | None = None
        self.setAcceptDrops(True)
        self.holder = QWidget()
        self.holder_layout = QVBoxLayout(self.holder)
        self.holder_layout.setContentsMargins(0, 0, 0, 0)
        self.holder_layout.setSpacing(14)
        self.body.addWidget(self.holder)
        self.status = StatusLabel(name="Error", accessible_name=_("Homework status"))
        self.body.addWidget(self.status)
        self.undo_bar = UndoBar()
        self.body.addWidget(self.undo_bar)
        row = QHBoxLayout()
        self.open_page = link_button(_("All plans and summaries"))
        self.open_page.clicked.connect(lambda: context.signals.open_page.emit("reports"))
        row.addWidget(self.open_page)
        row.addStretch(1)
        self.body.addLayout(row)
        self.ops = context.operations("homework", self.status, undo=self.undo_bar)
        self._rebuild = QTimer(self)
        self._rebuild.setSingleShot(True)
        self._rebuild.timeout.connect(self._read_then_draw)
        context.changes.listen(
            ("homework", "mood", "exercises", "learn", "checkups"),
            lambda _c: self._changed(),
            receiver=self,
        )
        #: False while the card is built in parts (``in_parts``), until it is drawn
        self._drawn = True
        if read:
            self.refresh()

    def _changed(self) -> None:
        """Rebuilt a turn later, unless another page is shown: the Today page refreshes its
        cards each time it is shown (a check-in or an import on the Diary page rebuilt this
        card every time, 5-8 ms of the GUI thread for a card no one saw)."""
        if not self._drawn:  # built in parts: its drawing reads again after any change
            return
        holder = self.parentWidget()
        if holder is not None and not holder.isVisibleTo(holder.window()):
            return
        self._rebuild.start(0)

    def _read_then_draw(self) -> None:
        """A change heard: what the plans show read now, drawn in the next turn (together,
        with a plan's view made again, they were one turn of 10-20 ms after a check-in). Not
        on a worker: the live diary's session belongs to this thread (a worker reads a copy,
        ``OpenDiary.read_snapshot``, which costs more than this read), and a change between
        the two turns makes the drawing a whole refresh (``read_then_draw``)."""
        read, draw = read_then_draw(self.diary, self._read, self._draw, self.refresh)
        read()
        one_per_turn(self, [draw])

    def refresh(self) -> None:
        self._draw(self._read())

    def _read(self) -> list[PlanShown]:
        """What each current plan's view shows."""
        return [plan_shown(info, self.service) for info in self.service.current()]

    def _draw(self, shown: list[PlanShown]) -> None:
        self._drawn = True
        # drawn again only if what a plan's view shows changed (a check-in that no plan
        # counts, a practice of another exercise: most changes it hears of)
        if self.views and [view.shown for view in self.views] == shown:
            return
        while self.holder_layout.count():
            item = self.holder_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.views = []
        for plan in shown:
            view = PlanProgressView(plan.info, self.service, self.ops, compact=True, shown=plan)
            self.views.append(view)
            self.holder_layout.addWidget(view)
        self.set_shown(bool(self.views) or self.undo_bar.isVisible())

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if plan_file_from_drop(list(event.mimeData().urls())) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = plan_file_from_drop(list(event.mimeData().urls()))
        if path is not None:
            event.acceptProposedAction()
            self.dialog = open_plan(path, self.diary, self.context, self.status, self)
