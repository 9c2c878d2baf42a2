"""``companion import --format plan FILE``: the person accepts a plan from the command line.

Running the command is the decision: the plan is read with the strict reader (a bad file is
refused with one sentence, exit code 6, and nothing changes), accepted, and what it asks is
printed, so the person sees it. In the window the plan is shown first, with Accept and
Decline (``companion.ui.homework``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from companion.core.homework.plan import describe_task
from companion.core.homework.service import HomeworkService
from companion.core.portable import ImportSummary
from companion.core.reports.wording import period_text
from companion.i18n import _
from companion.storage.database import Database

__all__ = ["PlanAccepted", "import_plan_file"]


@dataclass(frozen=True)
class PlanAccepted(ImportSummary):
    title: str = ""
    author: str = ""
    #: what the plan asks, one line a task, and the exercises it added
    details: tuple[str, ...] = field(default=())

    def describe(self) -> str:
        return _("Accepted the plan “{title}” from {author}; it is on your Today page.").format(
            title=self.title, author=self.author
        )


def import_plan_file(db: Database, path: Path, _options: object = None) -> ImportSummary:
    service = HomeworkService(db)
    opened = service.open_file(path)
    service.accept(opened)
    plan = opened.plan
    lines = [_("From {days}:").format(days=period_text(plan.starts, plan.ends))]
    lines += [
        _("  {number}. {task}").format(number=n, task=describe_task(task, plan))
        for n, task in enumerate(plan.tasks, start=1)
    ]
    if opened.adds:
        lines.append(
            _("Added to your own exercises: {titles}.").format(titles=", ".join(opened.adds))
        )
    if opened.keeps:
        lines.append(_("Kept your own copy of: {titles}.").format(titles=", ".join(opened.keeps)))
    return PlanAccepted(
        added={"homework_plans": 1, "custom_exercises": len(opened.adds)},
        title=plan.title,
        author=plan.author,
        details=tuple(lines),
    )
