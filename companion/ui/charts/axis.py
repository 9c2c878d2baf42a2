"""Dates on chart axes: a day is drawn at x = seconds since 1970-01-01 (UTC) of its noon.

Local calendar days are used throughout (the diary's days), so the axis is told its offset is 0
and never shifts a day across midnight.
"""

from __future__ import annotations

from datetime import date

import pyqtgraph as pg

DAY_SECONDS = 86_400.0
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def day_start(day: date) -> float:
    """x of the start (midnight) of a day."""
    return (day.toordinal() - _EPOCH_ORDINAL) * DAY_SECONDS


def day_x(day: date) -> float:
    """x of a day's point (its noon, so bars and markers sit in the middle of the day)."""
    return day_start(day) + DAY_SECONDS / 2


def x_day(x: float) -> date:
    """The day an x position falls in."""
    return date.fromordinal(int(x // DAY_SECONDS) + _EPOCH_ORDINAL)


def date_axis() -> pg.DateAxisItem:
    return pg.DateAxisItem(orientation="bottom", utcOffset=0)
