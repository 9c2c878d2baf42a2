"""The homework section: each plan's tasks with what was done, for page one, and week by week
for the detail pages and the data exports.

Progress comes from :mod:`companion.core.homework.progress` (what the app recorded; a
free-text task is the only thing ticked by hand, and says so). A plan's progress is as of the
day the summary is made, whatever the period.
"""

from __future__ import annotations

from collections.abc import Sequence

from companion.core.homework.plan import Catalogue, ReadTask, describe_task
from companion.core.homework.progress import PlanProgress, TaskProgress
from companion.core.reports.model import Column, Fact, Facts, Period, Section, Table
from companion.core.reports.sections import ORDER
from companion.core.reports.wording import percent, period_text

__all__ = ["homework_section", "task_value"]


def task_value(task: TaskProgress) -> str:
    """ "25 of 26 so far (96%)", "2 of 3 pages read", "Starts 7 Dec"."""
    if isinstance(task.task, ReadTask):
        return f"{task.done} of {task.target} pages read"
    if task.due == 0:
        return "Nothing due yet" if task.done == 0 else f"{task.done} done"
    return f"{task.done} of {task.due} so far ({percent(task.share)})"


def _detail(task: TaskProgress) -> str:
    """One short line: this week so far, pages read early, who counted it."""
    parts = []
    if isinstance(task.task, ReadTask):
        early = sum(1 for p in task.pages if p.before_plan)
        if early:
            parts.append(f"{early} marked read before the plan started")
    else:
        current = next((s for s in task.stretches if s.state == "open"), None)
        if current is not None and len(task.stretches) > 1:
            what = "this week" if task.task.kind != "questionnaire" else "now due"
            parts.append(f"{what}: {current.counted} of {current.target} so far")
    if task.started:
        parts.append(f"plus {task.started} started and stopped early")
    if task.self_reported:
        parts.append("ticked off by the person")
    return "; ".join(parts)


def _facts(plan: PlanProgress, catalogue: Catalogue | None) -> Facts:
    p = plan.plan
    items = tuple(
        Fact(describe_task(t.task, p, catalogue), task_value(t), _detail(t)) for t in plan.tasks
    )
    state = {"upcoming": "not started yet", "active": f"week {plan.week}", "ended": "ended"}
    return Facts(
        items,
        title=f"“{p.title}” from {p.author}, {period_text(p.starts, p.ends)} ({state[plan.state]})",
    )


def _weeks(plans: Sequence[PlanProgress], catalogue: Catalogue | None) -> Table:
    rows = []
    for plan in plans:
        for task in plan.tasks:
            words = describe_task(task.task, plan.plan, catalogue)
            for s in task.stretches:
                rows.append(
                    (
                        plan.plan.title,
                        task.number,
                        words,
                        s.start,
                        s.end,
                        s.target,
                        s.done,
                        s.started,
                        s.state,
                        "person" if task.self_reported else "app",
                    )
                )
    return Table(
        id="homework_progress",
        title="Homework week by week",
        columns=(
            Column("plan", "Plan", "text", shown=False),
            Column("task_number", "Task", "integer"),
            Column("task", "Asked", "text"),
            Column("from", "From", "date"),
            Column("to", "To", "date"),
            Column("asked", "Asked for", "integer"),
            Column("done", "Done", "integer", description="counted by the rules in the docs"),
            Column("started", "Stopped early", "integer", description="exercise sessions"),
            Column("state", "State", "text", shown=False, description="upcoming, open or closed"),
            Column("counted_by", "Counted by", "text", description="app: from what was logged"),
        ),
        rows=tuple(rows),
        caption="Weeks count from each plan's first day. Check-ins, exercises, pages and "
        "questionnaires are counted from what the app recorded.",
    )


def homework_section(
    plans: Sequence[PlanProgress], period: Period, catalogue: Catalogue | None = None
) -> Section:
    shown = [p for p in plans if p.plan.starts <= period.end and p.plan.ends >= period.start]
    return Section(
        id="homework",
        title="Homework",
        order=ORDER["homework"],
        glance=tuple(_facts(p, catalogue) for p in shown),
        detail=(_weeks(shown, catalogue),) if shown else (),
        about="Homework plans from a therapist and how much of each task was done.",
    )
