"""One plan's progress, task by task, as Today and the Reports page show it.

Numbers come from what was logged (``HomeworkService.progress``); the only box a person ticks
is a free-text task's "done today". Wording is gentle and never a verdict: "3 of 6 so far",
"nothing due yet", a finished plan says it finished and offers to put it away.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from companion.core.homework.plan import FreeTextTask, describe_task
from companion.core.homework.progress import PlanProgress
from companion.core.homework.service import HomeworkService, PlanInfo
from companion.core.reports.sections.homework import plan_state_words, task_value
from companion.core.reports.wording import period_text
from companion.i18n import _, format_date
from companion.ui.operations import Operations
from companion.ui.widgets.common import icon, label


class PlanShown(NamedTuple):
    """What a plan's view is drawn from: a view drawn from an equal one looks the same."""

    info: PlanInfo
    today: date
    progress: PlanProgress | None
    ticks: dict[int, list[date]]


def plan_shown(info: PlanInfo, service: HomeworkService) -> PlanShown:
    """Read what ``info``'s view shows, as of today."""
    today = service.today()
    return PlanShown(info, today, service.progress(info, today), service.ticks(info.id))


class PlanProgressView(QWidget):
    """A plan's heading, each task with its progress, ticks for free-text tasks, and End or
    Put away. ``compact`` (Today) leaves out the plan's message and the task notes."""

    def __init__(
        self,
        info: PlanInfo,
        service: HomeworkService,
        ops: Operations,
        *,
        compact: bool = False,
        parent: QWidget | None = None,
        shown: PlanShown | None = None,
    ) -> None:
        super().__init__(parent)
        self.info = info
        self.service = service
        self.ops = ops
        self.ticks: dict[int, QCheckBox] = {}
        #: everything the view shows was drawn from this (read again: equal, nothing changed)
        self.shown = shown or plan_shown(info, service)
        today = self.shown.today
        self.progress: PlanProgress | None = self.shown.progress
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        heading = label(_("“{title}” from {author}").format(title=info.title, author=info.author))
        heading.setObjectName("CardTitle")
        layout.addWidget(heading)
        layout.addWidget(label(self._when(today), name="Muted"))
        plan = info.counted
        if plan is None or self.progress is None:
            layout.addWidget(
                label(
                    _("This version of Companion cannot read this plan any more: {problem}").format(
                        problem=info.problem or ""
                    ),
                    name="Muted",
                )
            )
        else:
            if plan.message and not compact:
                layout.addWidget(label(_("“{message}”").format(message=plan.message)))
            done_ticks = self.shown.ticks
            for task in self.progress.tasks:
                row = QHBoxLayout()
                words = describe_task(task.task, plan)
                text = label(_("{task}: {progress}").format(task=words, progress=task_value(task)))
                text.setAccessibleName(text.text())
                row.addWidget(text, 1)
                running = self.progress.state == "active" and info.state == "active"
                if isinstance(task.task, FreeTextTask) and running:
                    box = QCheckBox(_("Done today"))
                    box.setAccessibleName(_("{task} done today").format(task=words))
                    box.setChecked(today in done_ticks.get(task.number, ()))
                    box.toggled.connect(lambda on, n=task.number: self._tick(n, on))
                    self.ticks[task.number] = box
                    row.addWidget(box)
                layout.addLayout(row)
                if task.task.note and not compact:
                    note = label(task.task.note, name="Muted")
                    note.setContentsMargins(16, 0, 0, 0)
                    layout.addWidget(note)
        actions = QHBoxLayout()
        self.end_button: QPushButton | None = None
        self.archive_button: QPushButton | None = None
        if info.state == "active" and not info.finished(today):
            self.end_button = QPushButton(icon("mdi6.stop-circle-outline"), _("End the plan"))
            self.end_button.setAccessibleName(_("End the plan “{title}”").format(title=info.title))
            self.end_button.setToolTip(
                _("Stop working on it from today; what you did so far stays in your summary.")
            )
            self.end_button.clicked.connect(self.end)
            actions.addWidget(self.end_button)
        if info.finished(today):
            self.archive_button = QPushButton(icon("mdi6.archive-outline"), _("Put away"))
            self.archive_button.setAccessibleName(
                _("Put the plan “{title}” away").format(title=info.title)
            )
            self.archive_button.setToolTip(
                _("It stays in your diary and your summaries; Today stops showing it.")
            )
            self.archive_button.clicked.connect(self.archive)
            actions.addWidget(self.archive_button)
        actions.addStretch(1)
        layout.addLayout(actions)

    def _when(self, today: object) -> str:
        info = self.info
        period = period_text(info.starts, info.ends)
        if info.state == "ended" and info.ended_on is not None:
            return _("{period} · ended on {day}").format(
                period=period, day=format_date(info.ended_on, "medium")
            )
        if self.progress is None:
            return period
        if self.progress.state == "ended":
            return _("{period} · finished").format(period=period)
        return _("{period} · {state}").format(period=period, state=plan_state_words(self.progress))

    def _tick(self, task_number: int, done: bool) -> None:
        today = self.service.today()
        self.ops.run(
            lambda: self.service.set_tick(self.info.id, task_number, today, done), what="ticks"
        )

    def end(self) -> None:
        self.ops.run(
            lambda: self.service.end(self.info.id),
            what="plans",
            undo_text=_("The plan “{title}” was ended.").format(title=self.info.title),
            undo=lambda before: lambda: self.service.restore(before),
        )

    def archive(self) -> None:
        self.ops.run(
            lambda: self.service.archive(self.info.id),
            what="plans",
            undo_text=_("The plan “{title}” was put away.").format(title=self.info.title),
            undo=lambda before: lambda: self.service.restore(before),
        )
