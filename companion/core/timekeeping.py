"""Time, one way everywhere (DESIGN §5).

Moments are stored in UTC with the UTC offset of the person's clock at that moment, so "3 a.m."
stays 3 a.m. after travel or a daylight-saving change. A naive datetime means this computer's
own zone; an offset must be whole minutes and within what a clock can have (±18 hours). A
"day" is always the person's local day: the date their clock showed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Final

from companion.core.errors import ValidationError
from companion.i18n import _

#: no clock on Earth is further from UTC than this (UTC+14 and UTC−12 exist; ±18 h is ISO's)
MAX_OFFSET_MINUTES: Final = 18 * 60


def utcnow() -> datetime:
    return datetime.now(UTC)


def local_now() -> datetime:
    """Now on this computer's clock, aware."""
    return datetime.now().astimezone()


def aware(moment: datetime) -> datetime:
    """``moment`` with a time zone: a naive one is read in this computer's zone."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.replace(tzinfo=None).astimezone()
    return moment


def offset_minutes(moment: datetime) -> int:
    """The UTC offset of ``moment`` (naive: this computer's zone) in whole minutes."""
    delta = aware(moment).utcoffset()
    seconds = int(delta.total_seconds()) if delta is not None else 0
    if seconds % 60:
        raise ValidationError(_("The time zone offset must be a whole number of minutes."))
    minutes = seconds // 60
    if abs(minutes) > MAX_OFFSET_MINUTES:
        raise ValidationError(_("The time zone offset is outside the range a clock can have."))
    return minutes


def local_time(utc: datetime, offset: int) -> datetime:
    """The wall-clock time at the moment of entry, aware, with that moment's fixed offset."""
    return utc.astimezone(timezone(timedelta(minutes=offset)))


def local_date(utc: datetime, offset: int) -> date:
    """The person's day for a stored moment."""
    return local_time(utc, offset).date()


def parse_utc(stored: str | datetime) -> datetime:
    """A stored UTC moment (text as SQLite holds it, or a datetime), aware."""
    if isinstance(stored, datetime):
        return stored if stored.tzinfo is not None else stored.replace(tzinfo=UTC)
    return datetime.fromisoformat(stored).replace(tzinfo=UTC)
