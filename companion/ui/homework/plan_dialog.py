"""Opening a homework plan: what it asks, from whom and for how long; Accept or Decline.

Nothing changes until the person decides: the file is read with the strict reader first (a
bad file gets one sentence), and "Not now" leaves the diary as it was. Accepting adds the
exercises the plan carries to their own exercises and puts the plan on Today.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from companion.core.homework.plan import describe_task
from companion.core.homework.service import HomeworkService, Opened, PlanInfo
from companion.core.reports.wording import period_text
from companion.i18n import _, format_date, ngettext
from companion.ui.help_access import HelpfulDialog
from companion.ui.pages import AppContext
from companion.ui.widgets.common import Notice, StatusLabel, label, primary_button, scroll_area

if TYPE_CHECKING:
    from companion.core.session import OpenDiary


class PlanDialog(HelpfulDialog):
    """Shows an opened plan; ``result_info`` is the plan as stored after Accept or Decline."""

    def __init__(
        self,
        opened: Opened,
        service: HomeworkService,
        context: AppContext,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.opened = opened
        self.service = service
        self.result_info: PlanInfo | None = None
        plan = opened.plan
        self.setWindowTitle(_("A homework plan"))
        self.setMinimumWidth(520)
        outer = QVBoxLayout(self)
        area = scroll_area()
        area.setAccessibleName(self.windowTitle())
        area.setWidgetResizable(True)
        body = QWidget()
        column = QVBoxLayout(body)
        column.setSpacing(8)
        heading = label(plan.title, name="PageTitle")
        heading.setAccessibleName(plan.title)
        column.addWidget(heading)
        weeks = -(-plan.days // 7)
        column.addWidget(
            label(
                ngettext(
                    "From {author} · {period} ({weeks} week)",
                    "From {author} · {period} ({weeks} weeks)",
                    weeks,
                ).format(
                    author=plan.author, period=period_text(plan.starts, plan.ends), weeks=weeks
                ),
                name="Muted",
            )
        )
        if plan.message:
            column.addWidget(Notice(_("“{message}”").format(message=plan.message)))
        column.addWidget(label(_("What it asks"), name="CardTitle"))
        for number, task in enumerate(plan.tasks, start=1):
            words = _("{number}. {task}").format(number=number, task=describe_task(task, plan))
            item = label(words)
            item.setAccessibleName(words)
            column.addWidget(item)
            if task.note:
                note = label(task.note, name="Muted")
                note.setContentsMargins(18, 0, 0, 0)
                column.addWidget(note)
        if opened.adds:
            column.addWidget(
                label(
                    _("Accepting adds to your own exercises: {titles}.").format(
                        titles=", ".join(opened.adds)
                    )
                )
            )
        if opened.keeps:
            column.addWidget(
                label(
                    _("You already have {titles}; your copy is kept.").format(
                        titles=", ".join(opened.keeps)
                    ),
                    name="Muted",
                )
            )
        column.addWidget(
            label(
                _(
                    "Companion counts check-ins, exercises, pages read and questionnaires from "
                    "what you log; you tick off anything else yourself. The plan file holds "
                    "nothing about you, and your diary stays on this computer. You can end the "
                    "plan at any time."
                ),
                name="Muted",
            )
        )
        known = opened.known
        if known is not None:
            when = format_date(known.decided_at.date(), "medium")
            text = (
                _("You declined this plan on {day}. You can still accept it.")
                if known.state == "declined"
                else _("This plan is already in your diary (since {day}).")
            )
            column.addWidget(label(text.format(day=when), name="Muted"))
        column.addStretch(1)
        area.setWidget(body)
        outer.addWidget(area, 1)
        self.status = StatusLabel(name="Error", accessible_name=_("Problem with the plan"))
        outer.addWidget(self.status)

        buttons = QDialogButtonBox()
        self.accept_button = primary_button(_("Accept the plan"), "mdi6.check")
        self.decline_button = QPushButton(_("Decline"))
        self.decline_button.setAccessibleName(_("Decline the plan"))
        self.later_button = QPushButton(_("Not now"))
        self.later_button.setAccessibleName(_("Not now: close without deciding"))
        buttons.addButton(self.accept_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.decline_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(self.later_button, QDialogButtonBox.ButtonRole.RejectRole)
        already = known is not None and known.state != "declined"
        self.accept_button.setEnabled(not already)
        self.decline_button.setEnabled(not already)
        self.accept_button.clicked.connect(self._accept)
        self.decline_button.clicked.connect(self._decline)
        self.later_button.clicked.connect(self.reject)
        outer.addWidget(buttons)
        self.ops = context.operations("homework", self.status, initiator=self)
        self.accept_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _accept(self) -> None:
        found = self.ops.run(lambda: self.service.accept(self.opened), what="plans")
        if found is not None:
            if self.opened.adds:  # the plan's own exercises joined the person's
                self.ops.changes.announce("exercises", "custom")
            self.result_info = found
            self.accept()

    def _decline(self) -> None:
        found = self.ops.run(lambda: self.service.decline(self.opened), what="plans")
        if found is not None:
            self.result_info = found
            self.accept()


def open_plan(
    path: Path,
    diary: OpenDiary,
    context: AppContext,
    status: QLabel,
    parent: QWidget | None,
) -> PlanDialog | None:
    """Read a plan file and show it; a file that cannot be used gets one sentence in
    ``status`` and nothing else happens. Returns the dialog (shown, not modal)."""
    service = diary.service(HomeworkService)
    ops = context.operations("homework", status)
    opened = ops.run(lambda: service.open_file(path), announce=False)
    if opened is None:
        return None
    dialog = PlanDialog(opened, service, context, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def choose_plan_file(parent: QWidget) -> Path | None:
    name, _chosen = QFileDialog.getOpenFileName(
        parent,
        _("Open a homework plan"),
        str(Path.home()),
        _("Companion homework plans (*.toml);;All files (*)"),
    )
    return Path(name) if name else None


def plan_file_from_drop(urls: list[object]) -> Path | None:
    """The one local file among dropped URLs (a plan is one file), else None."""
    from PySide6.QtCore import QUrl

    files = [u.toLocalFile() for u in urls if isinstance(u, QUrl) and u.isLocalFile()]
    return Path(files[0]) if len(files) == 1 else None
