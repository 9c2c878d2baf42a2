"""Small helpers for the features' ``report.py`` modules: reading rows of the person's local
days, and the earliest day anything was recorded (the "whole diary" period).

A stored moment is UTC plus the offset of the person's clock then (DESIGN §5), so the rows of
local days ``start``…``end`` are found by a UTC range widened by the largest offset a clock can
have, then kept by their own local day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from companion.core.timekeeping import MAX_OFFSET_MINUTES
from companion.storage.database import Database

__all__ = ["first_day", "utc_bounds"]


def utc_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """A UTC range ``[low, high)`` that holds every moment of the local days start…end."""
    margin = timedelta(minutes=MAX_OFFSET_MINUTES)
    low = datetime.combine(start, time(), tzinfo=UTC) - margin
    high = datetime.combine(end + timedelta(days=1), time(), tzinfo=UTC) + margin
    return low, high


def first_day(db: Database) -> date | None:
    """The first local day anything dated was recorded on (None: an empty diary).

    Every table that declares an ``export_time_column`` (check-ins, doses, sessions, check-ups
    …) is asked for its earliest row; a table that keeps the UTC offset is read on the
    person's clock.
    """
    from companion.core.models import Base
    from companion.features import load_tables

    load_tables()
    found: list[date] = []
    with db.connect() as conn:
        for table in Base.metadata.sorted_tables:
            name = table.info.get("export_time_column")
            if name is None or not table.info.get("portable", True):
                continue
            column = table.c[name]
            offset = table.c.get("utc_offset_minutes")
            day = (
                func.date(column, func.printf("%+d minutes", offset))
                if offset is not None
                else func.date(column)
            )
            earliest = conn.execute(select(func.min(day))).scalar()
            if earliest:
                found.append(date.fromisoformat(str(earliest)[:10]))
    return min(found) if found else None
