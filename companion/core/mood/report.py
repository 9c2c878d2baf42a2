"""The mood diary's part of the clinician summary and the exports.

Two sections: **mood** (the chart, key figures, month by month, every check-in) and **notes**
(the person's own words, only when they tick it). Check-ins are read straight from the table
for the local days asked, plus the weeks before, which only serve the rolling mean on the
first days (``companion.core.reports.sections.mood``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import select

from companion.core.extension_points import ExportSection
from companion.core.mood.models import MoodEntry, MoodEntryTag, MoodTag
from companion.core.reports.model import Period, Section
from companion.core.reports.reading import utc_bounds
from companion.core.reports.records import DiaryNote, MoodCheckin
from companion.core.reports.sections import ORDER
from companion.core.reports.sections.mood import LONG_WINDOW_DAYS, mood_section
from companion.core.reports.sections.personal import notes_section
from companion.core.timekeeping import local_time
from companion.i18n import N_
from companion.storage.database import Database

__all__ = ["checkins", "mood_records", "mood_report", "notes", "notes_report"]

#: check-ins read before the period, for the rolling mean of its first days
LEAD_DAYS = LONG_WINDOW_DAYS


def checkins(
    db: Database, period: Period, *, lead_days: int = 0, notes: bool = True
) -> list[MoodCheckin]:
    """Check-ins of the period's local days (and ``lead_days`` before), oldest first."""
    first = period.start - timedelta(days=lead_days)
    low, high = utc_bounds(first, period.end)
    t = MoodEntry.__table__.c
    query = (
        select(
            t.id,
            t.occurred_at,
            t.utc_offset_minutes,
            t.mood,
            t.anxiety,
            t.energy,
            t.irritability,
            t.sleep_hours,
            t.sleep_quality,
            t.note,
        )
        .where(t.occurred_at >= low, t.occurred_at < high)
        .order_by(t.occurred_at)
    )
    out = []
    with db.connect() as conn:
        for row in conn.execute(query):
            at = local_time(row.occurred_at, row.utc_offset_minutes)
            if not first <= at.date() <= period.end:
                continue
            out.append(
                MoodCheckin(
                    at=at,
                    mood=row.mood,
                    anxiety=row.anxiety,
                    energy=row.energy,
                    irritability=row.irritability,
                    sleep_hours=row.sleep_hours,
                    sleep_quality=row.sleep_quality,
                    note=(row.note or None) if notes else None,
                    id=row.id,
                )
            )
    return out


def notes(db: Database, period: Period) -> list[DiaryNote]:
    """Every check-in note of the period, with the names of its tags."""
    low, high = utc_bounds(period.start, period.end)
    t = MoodEntry.__table__.c
    query = (
        select(t.id, t.occurred_at, t.utc_offset_minutes, t.note)
        .where(t.occurred_at >= low, t.occurred_at < high, t.note.is_not(None), t.note != "")
        .order_by(t.occurred_at)
    )
    with db.connect() as conn:
        rows = [
            (r.id, local_time(r.occurred_at, r.utc_offset_minutes), r.note)
            for r in conn.execute(query)
        ]
        rows = [r for r in rows if r[1].date() in period]
        tags: dict[str, list[str]] = defaultdict(list)
        ids = [r[0] for r in rows]
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            linked = select(MoodEntryTag.entry_id, MoodTag.name).join(
                MoodTag, MoodTag.id == MoodEntryTag.tag_id
            )
            for entry_id, name in conn.execute(
                linked.where(MoodEntryTag.entry_id.in_(chunk)).order_by(MoodTag.name)
            ):
                tags[entry_id].append(name)
    return [DiaryNote(at, text, tuple(tags.get(entry_id, ()))) for entry_id, at, text in rows]


def mood_report(db: Database, period: Period, now: datetime) -> Section:
    return mood_section(checkins(db, period, lead_days=LEAD_DAYS), period)


def mood_records(db: Database, period: Period, now: datetime, include_notes: bool) -> list[object]:
    return list(checkins(db, period, notes=include_notes))


def notes_report(db: Database, period: Period, now: datetime) -> Section:
    return notes_section(notes(db, period), period)


MOOD_SECTION = ExportSection(
    "mood",
    N_("Mood"),
    ORDER["mood"],
    mood_report,
    about=N_("Mood over the period with its rolling mean, month by month, and every check-in."),
    records=mood_records,
)
NOTES_SECTION = ExportSection(
    "notes",
    N_("Diary notes"),
    ORDER["notes"],
    notes_report,
    about=N_("The words you wrote with your check-ins. Left out unless you tick it."),
    private_text=True,
    default=False,
)
