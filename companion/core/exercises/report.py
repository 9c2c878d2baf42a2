"""Grounding exercises' part of the clinician summary: sessions per exercise and the average
change in distress (``companion.core.reports.sections.exercises``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from companion.content import ContentError
from companion.content.exercises import load_exercises, parse_exercise
from companion.core.exercises.models import CustomExercise, PracticeSession
from companion.core.extension_points import ExportSection
from companion.core.reports.model import Period, Section
from companion.core.reports.reading import utc_bounds
from companion.core.reports.records import PracticeRecord
from companion.core.reports.sections import ORDER
from companion.core.reports.sections.exercises import exercises_section
from companion.core.timekeeping import local_time
from companion.i18n import N_, _
from companion.storage.database import Database

__all__ = ["exercises_report", "practice"]


def _titles(db: Database) -> dict[str, str]:
    titles = {e.id: e.title for e in load_exercises()}
    with db.connect() as conn:
        for slug, text in conn.execute(select(CustomExercise.slug, CustomExercise.toml)):
            try:
                titles.setdefault(slug, parse_exercise(text).title)
            except ContentError:
                titles.setdefault(slug, slug)
    return titles


def practice(db: Database, period: Period) -> list[PracticeRecord]:
    """Every session started on the period's local days, oldest first."""
    low, high = utc_bounds(period.start, period.end)
    t = PracticeSession.__table__.c
    query = (
        select(
            t.exercise_id,
            t.started_at,
            t.utc_offset_minutes,
            t.completed,
            t.distress_before,
            t.distress_after,
        )
        .where(t.started_at >= low, t.started_at < high)
        .order_by(t.started_at)
    )
    titles = _titles(db)
    out = []
    with db.connect() as conn:
        for row in conn.execute(query):
            at = local_time(row.started_at, row.utc_offset_minutes)
            if at.date() not in period:
                continue
            out.append(
                PracticeRecord(
                    exercise_id=row.exercise_id,
                    title=titles.get(row.exercise_id, _("An exercise that has been removed")),
                    started_at=at,
                    completed=bool(row.completed),
                    distress_before=row.distress_before,
                    distress_after=row.distress_after,
                )
            )
    return out


def exercises_report(db: Database, period: Period, now: datetime) -> Section:
    return exercises_section(practice(db, period), period)


EXERCISES_SECTION = ExportSection(
    "exercises",
    N_("Exercise practice"),
    ORDER["exercises"],
    exercises_report,
    about=N_("Grounding exercises practised, with distress before and after."),
)
