"""How the summary writes numbers and dates for people (one style, no zero-padded days).

"4 Dec 2026", "4 December 2026", "4 Dec", "87%", "5.8". A share with nothing to count is a
dash, never 0%. These move to ``companion.i18n`` with the translation work (issue 10).
"""

from __future__ import annotations

import math
from datetime import date, datetime

__all__ = [
    "count",
    "day_month",
    "long_date",
    "number",
    "percent",
    "period_text",
    "short_date",
    "time_with_offset",
]

DASH = "–"


def short_date(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def day_month(day: date) -> str:
    return f"{day.day} {day:%b}"


def period_text(start: date, end: date) -> str:
    """ "1 Sep – 29 Nov 2026", "15 Dec 2026 – 14 Mar 2027"."""
    if start == end:
        return short_date(start)
    if start.year == end.year:
        return f"{day_month(start)} – {short_date(end)}"
    return f"{short_date(start)} – {short_date(end)}"


def time_with_offset(moment: datetime) -> str:
    """ "4 Dec 2026 21:15 (UTC+01:00)": the person's clock then, and its offset."""
    offset = moment.utcoffset()
    minutes = 0 if offset is None else int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"{short_date(moment.date())} {moment:%H:%M} (UTC{sign}{hours:02d}:{rest:02d})"


def number(value: float | None, decimals: int = 1) -> str:
    if value is None or not math.isfinite(value):
        return DASH
    text = f"{value:.{decimals}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    return text


def percent(share: float | None) -> str:
    """A share from 0 to 1 as a whole percent; a dash when there was nothing to count."""
    if share is None or not math.isfinite(share):
        return DASH
    return f"{math.floor(share * 100 + 0.5)}%"


def count(n: int, one: str, many: str | None = None) -> str:
    """ "1 day", "3 days"."""
    return f"{n} {one if n == 1 else (many or one + 's')}"
