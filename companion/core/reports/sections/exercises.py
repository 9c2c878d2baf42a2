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
from companion.core.reports.wording import count, number

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
        title="Grounding and calming exercises",
        columns=(
            Column("exercise", "Exercise", "text"),
            Column("sessions", "Times opened", "integer"),
            Column("finished", "Finished", "integer"),
            Column("rated", "Rated before and after", "integer"),
            Column("distress_before", "Distress before", "number", description="mean, 0-10"),
            Column("distress_after", "After", "number", description="mean, 0-10"),
            Column("change", "Change", "number", description="mean of after minus before"),
        ),
        rows=tuple(rows),
        caption="Distress 0 (calm) to 10 (worst), rated by the person before and after; the "
        "means use only sessions rated both times.",
        empty_text="No exercise was practised in this period.",
    )
    pairs = _pairs(inside)
    facts = [
        Fact(
            "Exercise sessions",
            count(len(inside), "session"),
            f"{sum(1 for s in inside if s.completed)} finished, "
            f"{count(len(by_exercise), 'exercise')}",
        )
    ]
    if pairs:
        facts.append(
            Fact(
                "Distress before → after",
                f"{number(statistics.fmean(b for b, _ in pairs))} → "
                f"{number(statistics.fmean(a for _, a in pairs))}",
                f"mean of {count(len(pairs), 'session')} rated both times",
            )
        )
    sessions_table = Table(
        id="exercise_sessions",
        title="Every session",
        columns=(
            Column("time", "Started", "datetime"),
            Column("exercise_id", "Exercise id", "text"),
            Column("exercise", "Exercise", "text"),
            Column("finished", "Finished", "boolean"),
            Column("distress_before", "Distress before", "integer"),
            Column("distress_after", "Distress after", "integer"),
        ),
        rows=tuple(
            (s.started_at, s.exercise_id, s.title, s.completed, s.distress_before, s.distress_after)
            for s in inside
        ),
        printed=False,
    )
    return Section(
        id="exercises",
        title="Exercise practice",
        order=ORDER["exercises"],
        detail=(Facts(tuple(facts)), table, sessions_table),
        about="Grounding exercises practised, with distress before and after.",
    )
