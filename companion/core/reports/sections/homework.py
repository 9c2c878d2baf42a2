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
from companion.core.reports.model import Column, Fact, Facts, Period, Section, Table, Text
from companion.core.reports.sections import ORDER
from companion.core.reports.wording import percent, period_text
from companion.i18n import _, ngettext

__all__ = ["homework_section", "plan_state_words", "task_value"]


def task_value(task: TaskProgress) -> str:
    """ "25 of 26 so far (96%)", "2 of 3 pages read", "Nothing due yet"."""
    if isinstance(task.task, ReadTask):
        return ngettext(
            "{done} of {target} page read", "{done} of {target} pages read", task.target
        ).format(done=task.done, target=task.target)
    if task.due == 0:
        if task.done == 0:
            return _("Nothing due yet")
        return _("{done} done").format(done=task.done)
    return _("{done} of {due} so far ({percent})").format(
        done=task.done, due=task.due, percent=percent(task.share)
    )


def _detail(task: TaskProgress) -> str:
    """One short line: this week so far, pages read early, who counted it."""
    parts = []
    if isinstance(task.task, ReadTask):
        early = sum(1 for p in task.pages if p.before_plan)
        if early:
            parts.append(
                ngettext(
                    "{count} marked read before the plan started",
                    "{count} marked read before the plan started",
                    early,
                ).format(count=early)
            )
    else:
        current = next((s for s in task.stretches if s.state == "open"), None)
        if current is not None and len(task.stretches) > 1:
            if task.task.kind == "questionnaire":
                words = _("now due: {done} of {target} so far")
            else:
                words = _("this week: {done} of {target} so far")
            parts.append(words.format(done=current.counted, target=current.target))
    if task.started:
        parts.append(
            ngettext(
                "plus {count} started and stopped early",
                "plus {count} started and stopped early",
                task.started,
            ).format(count=task.started)
        )
    if task.self_reported:
        parts.append(_("ticked off by the person"))
    return _("; ").join(parts)


def plan_state_words(plan: PlanProgress) -> str:
    """ "week 3", "not started yet", "ended"."""
    if plan.state == "upcoming":
        return _("not started yet")
    if plan.state == "ended":
        return _("ended")
    return _("week {number}").format(number=plan.week)


def _facts(plan: PlanProgress, catalogue: Catalogue | None) -> Facts:
    p = plan.plan
    items = tuple(
        Fact(describe_task(t.task, p, catalogue), task_value(t), _detail(t)) for t in plan.tasks
    )
    return Facts(
        items,
        title=_("“{title}” from {author}, {period} ({state})").format(
            title=p.title,
            author=p.author,
            period=period_text(p.starts, p.ends),
            state=plan_state_words(plan),
        ),
    )


def _weeks(plans: Sequence[PlanProgress], catalogue: Catalogue | None) -> Table:
    rows = []
    for plan in plans:
        for task in plan.tasks:
            words = describe_task(task.task, plan.plan, catalogue)
            for s in task.stretches:
                if s.state == "upcoming":  # weeks still to come are not part of the record
                    continue
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
                        _("so far") if s.state == "open" else _("finished"),
                        "person" if task.self_reported else "app",
                    )
                )
    return Table(
        id="homework_progress",
        title=_("Homework week by week"),
        columns=(
            Column("plan", _("Plan"), "text", shown=False),
            Column("task_number", _("Task"), "integer"),
            Column("task", _("Asked"), "text"),
            Column("from", _("From"), "date"),
            Column("to", _("To"), "date"),
            Column("asked", _("Asked for"), "integer"),
            Column("done", _("Done"), "integer", description=_("counted by the rules in the docs")),
            Column("started", _("Stopped early"), "integer", description=_("exercise sessions")),
            Column(
                "state",
                _("State"),
                "text",
                shown=False,
                description=_("open: the week is still running; closed: it has ended"),
            ),
            Column("status", _("Week"), "text", description=_("finished, or so far")),
            Column(
                "counted_by",
                _("Counted by"),
                "text",
                description=_("app: from what was logged; person: ticked off by hand"),
            ),
        ),
        rows=tuple(rows),
        caption=_(
            "Weeks count from each plan's first day. Check-ins, exercises, pages and "
            "questionnaires are counted from what the app recorded."
        ),
    )


def homework_section(
    plans: Sequence[PlanProgress], period: Period, catalogue: Catalogue | None = None
) -> Section:
    shown = [p for p in plans if p.plan.starts <= period.end and p.plan.ends >= period.start]
    glance: tuple[Facts | Text, ...] = tuple(_facts(p, catalogue) for p in shown)
    return Section(
        id="homework",
        title=_("Homework"),
        order=ORDER["homework"],
        # a person who never had a plan sees no homework heading at all
        glance=glance or ((Text(_("No homework plan ran during this period.")),) if plans else ()),
        detail=(_weeks(shown, catalogue),) if shown else (),
        about=_("Homework plans from a therapist and how much of each task was done."),
    )
