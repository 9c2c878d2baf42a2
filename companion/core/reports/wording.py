"""How the summary writes periods, numbers and times for people, beyond ``companion.i18n``.

Dates are ``companion.i18n.format_date`` ("4 Dec 2026" is ``medium``, "4 Dec" is ``short``,
"4 December 2026" is ``long``); counts are ``ngettext``. What is left here is what the
summary alone needs: a period ("1 Sep – 29 Nov 2026"), a moment with its UTC offset, a number
or a share that is a dash when there was nothing to count (never 0%). Every pattern is
translatable.
"""

from __future__ import annotations

import math
from datetime import date, datetime

from companion.i18n import _, format_date, format_number, format_time, ngettext

__all__ = ["DASH", "how_often", "number", "percent", "period_text", "time_with_offset"]

DASH = "–"


def period_text(start: date, end: date) -> str:
    """ "1 Sep – 29 Nov 2026", "15 Dec 2026 – 14 Mar 2027", "4 Dec 2026"."""
    if start == end:
        return format_date(start, "medium")
    first = format_date(start, "short" if start.year == end.year else "medium")
    return _("{start} – {end}").format(start=first, end=format_date(end, "medium"))


def time_with_offset(moment: datetime) -> str:
    """ "4 Dec 2026 21:15 (UTC+01:00)": the person's clock then, and its offset."""
    offset = moment.utcoffset()
    minutes = 0 if offset is None else int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return _("{date} {time} (UTC{offset})").format(
        date=format_date(moment.date(), "medium"),
        time=format_time(moment),
        offset=f"{sign}{hours:02d}:{rest:02d}",
    )


def number(value: float | None, decimals: int = 1) -> str:
    """A figure for people ("5.8"); a dash when there is none."""
    if value is None or not math.isfinite(value):
        return DASH
    rounded = round(value, decimals)
    if rounded == 0:
        rounded = 0.0  # never "-0.0"
    return format_number(rounded, decimals)


def percent(share: float | None) -> str:
    """A share from 0 to 1 as a whole percent; a dash when there was nothing to count."""
    if share is None or not math.isfinite(share):
        return DASH
    return _("{percent}%").format(percent=math.floor(share * 100 + 0.5))


def how_often(times: int, per: str) -> str:
    """ "once a day", "twice a week", "3 times a week" (``per`` is "day" or "week")."""
    if per == "day":
        if times == 1:
            return _("once a day")
        if times == 2:
            return _("twice a day")
        return ngettext("{count} time a day", "{count} times a day", times).format(count=times)
    if times == 1:
        return _("once a week")
    if times == 2:
        return _("twice a week")
    return ngettext("{count} time a week", "{count} times a week", times).format(count=times)
