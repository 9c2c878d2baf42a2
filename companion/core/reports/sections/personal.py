"""The sections made of the person's own words: the safety plan (only when chosen) and
diary notes (only with consent, and flagged private so nothing else can let them through)."""

from __future__ import annotations

from collections.abc import Sequence

from companion.core.reports.model import Period, Section, Text
from companion.core.reports.records import DiaryNote, SafetyPlanRecord
from companion.core.reports.sections import ORDER
from companion.core.reports.wording import time_with_offset
from companion.i18n import _, format_date

__all__ = ["notes_section", "safety_plan_section"]


def safety_plan_section(plan: SafetyPlanRecord) -> Section:
    blocks = []
    if plan.reviewed_on is not None:
        blocks.append(
            Text(_("Last reviewed {day}.").format(day=format_date(plan.reviewed_on, "medium")))
        )
    for step in plan.steps:
        body = "\n".join(step.items) if step.items else _("Nothing written here yet.")
        heading = _("{number}. {title}").format(number=step.number, title=step.title)
        blocks.append(Text(body, heading=heading))
    return Section(
        id="safety-plan",
        title=_("Safety plan"),
        order=ORDER["safety-plan"],
        detail=tuple(blocks),
        about=_("The person's safety plan, step by step (only when they choose it)."),
    )


def notes_section(notes: Sequence[DiaryNote], period: Period) -> Section:
    inside = sorted((n for n in notes if n.at.date() in period), key=lambda n: n.at)
    blocks = tuple(
        Text(
            n.text,
            private=True,
            heading=_("{time} · {tags}").format(time=time_with_offset(n.at), tags=", ".join(n.tags))
            if n.tags
            else time_with_offset(n.at),
        )
        for n in inside
    )
    return Section(
        id="notes",
        title=_("Diary notes"),
        order=ORDER["notes"],
        detail=blocks or (Text(_("No note was written in this period."), private=True),),
        private=True,
        about=_("The person's own diary notes (only when they choose to include them)."),
    )
