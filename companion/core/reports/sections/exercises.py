"""The exercise-practice section: sessions per exercise and the average change in distress.

A change is only averaged over sessions rated both before and after (0-10), and says how
many that is; a session stopped early still counts as practice, and is shown as such.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence

from companion.core.reports.model import Column, Fact, Facts, Period, Section, Table
from companion.core.reports.records import PracticeRecord
from companion.core.reports.sections import ORDER
from companion.core.reports.wording import number
from companion.i18n import _, ngettext

__all__ = ["exercises_section"]


def _pairs(sessions: Sequence[PracticeRecord]) -> list[tuple[int, int]]:
    return [
        (s.distress_before, s.distress_after)
        for s in sessions
        if s.distress_before is not None and s.distress_after is not None
    ]


def exercises_section(sessions: Sequence[PracticeRecord], period: Period) -> Section:
    inside = sorted(
        (s for s in sessions if s.started_at.date() in period), key=lambda s: s.started_at
    )
    by_exercise: dict[str, list[PracticeRecord]] = defaultdict(list)
    for s in inside:
        by_exercise[s.exercise_id].append(s)
    rows = []
    for items in sorted(by_exercise.values(), key=lambda v: (-len(v), v[0].title)):
        pairs = _pairs(items)
        rows.append(
            (
                items[0].title,
                len(items),
                sum(1 for s in items if s.completed),
                len(pairs),
                statistics.fmean(b for b, _a in pairs) if pairs else None,
                statistics.fmean(a for _b, a in pairs) if pairs else None,
                statistics.fmean(a - b for b, a in pairs) if pairs else None,
            )
        )
    table = Table(
        id="exercise_practice",
        title=_("Grounding and calming exercises"),
        columns=(
            Column("exercise", _("Exercise"), "text"),
            Column("sessions", _("Times opened"), "integer"),
            Column("finished", _("Finished"), "integer"),
            Column("rated", _("Rated before and after"), "integer"),
            Column("distress_before", _("Distress before"), "number", description=_("mean, 0-10")),
            Column("distress_after", _("After"), "number", description=_("mean, 0-10")),
            Column("change", _("Change"), "number", description=_("mean of after minus before")),
        ),
        rows=tuple(rows),
        caption=_(
            "Distress 0 (calm) to 10 (worst), rated by the person before and after; the "
            "means use only sessions rated both times."
        ),
        empty_text=_("No exercise was practised in this period."),
    )
    pairs = _pairs(inside)
    finished = sum(1 for s in inside if s.completed)
    facts = [
        Fact(
            _("Exercise sessions"),
            ngettext("{count} session", "{count} sessions", len(inside)).format(count=len(inside)),
            ngettext(
                "{finished} finished, {count} exercise",
                "{finished} finished, {count} exercises",
                len(by_exercise),
            ).format(finished=finished, count=len(by_exercise)),
        )
    ]
    if pairs:
        facts.append(
            Fact(
                _("Distress before → after"),
                _("{before} → {after}").format(
                    before=number(statistics.fmean(b for b, _a in pairs)),
                    after=number(statistics.fmean(a for _b, a in pairs)),
                ),
                ngettext(
                    "mean of {count} session rated both times",
                    "mean of {count} sessions rated both times",
                    len(pairs),
                ).format(count=len(pairs)),
            )
        )
    sessions_table = Table(
        id="exercise_sessions",
        title=_("Every session"),
        columns=(
            Column("time", _("Started"), "datetime"),
            Column("exercise_id", _("Exercise id"), "text"),
            Column("exercise", _("Exercise"), "text"),
            Column("finished", _("Finished"), "boolean"),
            Column("distress_before", _("Distress before"), "integer"),
            Column("distress_after", _("Distress after"), "integer"),
        ),
        rows=tuple(
            (s.started_at, s.exercise_id, s.title, s.completed, s.distress_before, s.distress_after)
            for s in inside
        ),
        printed=False,
    )
    return Section(
        id="exercises",
        title=_("Exercise practice"),
        order=ORDER["exercises"],
        detail=(Facts(tuple(facts)), table, sessions_table),
        about=_("Grounding exercises practised, with distress before and after."),
    )
