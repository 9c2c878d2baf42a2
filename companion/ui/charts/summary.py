"""Charts in words: the text beside each chart, read by screen readers and by anyone who
prefers sentences to lines. Pure functions, so the numbers are tested against hand-computed
values.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from datetime import date
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from companion.core.mood.service import DailyPoint
from companion.i18n import _, format_date, format_number, ngettext, pgettext

if TYPE_CHECKING:  # annotations only: the mood chart does not wait for the statistics module
    from companion.core.mood.stats import HeatCell, PatternBucket, SleepPoint


_day = attrgetter("day")


def day_text(day: date) -> str:
    """As "3 Mar 2025"."""
    return format_date(day, "medium")


def _one(value: float) -> str:
    return format_number(value, 1)


def _span(name: str, start: date, end: date) -> str:
    return _("{name}, {start} to {end}").format(name=name, start=day_text(start), end=day_text(end))


def describe_series(name: str, points: Sequence[DailyPoint], start: date, end: date) -> str:
    """E.g. "Mood, 1 Mar 2024 to 14 Mar 2024: 12 of 14 days logged; average 5.4 (the daily
    averages ranged from 3.0 to 7.5). Last 7 days logged: 6.1."

    ``points`` oldest first, one a day (as a chart holds them): the days of the period are
    found by bisection, not by looking at each of ten years' days."""
    inside = points[bisect_left(points, start, key=_day) : bisect_right(points, end, key=_day)]
    span = (end - start).days + 1
    head = _span(name, start, end)
    if not inside:
        return _("{head}: not logged yet in this period.").format(head=head)
    means = [p.mean for p in inside]
    average = sum(means) / len(means)
    text = ngettext(
        "{head}: {logged} of {count} day logged; average {average} (daily averages from {low} "
        "to {high}).",
        "{head}: {logged} of {count} days logged; average {average} (daily averages from {low} "
        "to {high}).",
        span,
    ).format(
        head=head,
        logged=len(inside),
        count=span,
        average=_one(average),
        low=_one(min(means)),
        high=_one(max(means)),
    )
    recent = means[-7:]
    if len(inside) > 7:
        text = _("{summary} Last 7 days logged: {average}.").format(
            summary=text, average=_one(sum(recent) / len(recent))
        )
    return text


def describe_overlays(overlays: Sequence[Any], start: date, end: date) -> str:
    """Markers, periods and extra points that touch the period."""
    parts: list[str] = []
    for o in overlays:
        if o.shape == "marker" and o.start is not None and start <= o.start <= end:
            parts.append(_("{label} on {date}.").format(label=o.label, date=day_text(o.start)))
        elif o.shape == "period" and o.start is not None:
            if o.start > end or (o.end is not None and o.end < start):
                continue
            if o.end is not None:
                parts.append(
                    _("{label}: from {start} to {end}.").format(
                        label=o.label, start=day_text(o.start), end=day_text(o.end)
                    )
                )
            else:
                parts.append(
                    _("{label}: from {start} onwards (ongoing).").format(
                        label=o.label, start=day_text(o.start)
                    )
                )
        elif o.shape == "points":
            shown = [(d, v) for d, v in o.points if start <= d <= end]
            if shown:
                values = pgettext("list separator", ", ").join(
                    _("{value} on {date}").format(value=f"{v:g}", date=day_text(d))
                    for d, v in shown[-6:]
                )
                if len(shown) > 6:
                    parts.append(
                        _("{label} (latest {shown} of {count}): {values}.").format(
                            label=o.label, shown=min(6, len(shown)), count=len(shown), values=values
                        )
                    )
                else:
                    parts.append(_("{label}: {values}.").format(label=o.label, values=values))
    return " ".join(parts)


def describe_sleep(points: Sequence[SleepPoint], start: date, end: date) -> str:
    hours = [p.hours for p in points if start <= p.day <= end and p.hours is not None]
    head = _span(_("Sleep"), start, end)
    if not hours:
        return _("{head}: not logged yet in this period.").format(head=head)
    average = sum(hours) / len(hours)
    short = sum(1 for h in hours if h < 6)
    return ngettext(
        "{head}: {count} night logged; on average {average} hours (from {low} to {high}). "
        "{short} of them under 6 hours.",
        "{head}: {count} nights logged; on average {average} hours (from {low} to {high}). "
        "{short} of them under 6 hours.",
        len(hours),
    ).format(
        head=head,
        count=len(hours),
        average=_one(average),
        low=_one(min(hours)),
        high=_one(max(hours)),
        short=short,
    )


def describe_heatmap(cells: Sequence[HeatCell]) -> str:
    if not cells:
        return _("Calendar: not logged yet.")
    logged = [c for c in cells if c.mood_mean is not None]
    head = _span(_("Calendar"), cells[0].day, cells[-1].day)
    if not logged:
        return _("{head}: not logged yet in this period.").format(head=head)
    best = max(logged, key=lambda c: (c.mood_mean or 0.0, c.day))
    low = min(logged, key=lambda c: (c.mood_mean or 0.0, c.day))
    return ngettext(
        "{head}: {logged} of {count} day logged. The lowest day was {low_day} ({low}), the "
        "highest {high_day} ({high}).",
        "{head}: {logged} of {count} days logged. The lowest day was {low_day} ({low}), the "
        "highest {high_day} ({high}).",
        len(cells),
    ).format(
        head=head,
        logged=len(logged),
        count=len(cells),
        low_day=day_text(low.day),
        low=_one(low.mood_mean or 0.0),
        high_day=day_text(best.day),
        high=_one(best.mood_mean or 0.0),
    )


#: what a pattern bar's count means: the days it rests on, or the check-ins
DAYS = "days"
CHECK_INS = "check-ins"


def count_text(count: int, unit: str) -> str:
    """As "4 days" or "1 check-in"."""
    if unit == CHECK_INS:
        return ngettext("{count} check-in", "{count} check-ins", count).format(count=count)
    return ngettext("{count} day", "{count} days", count).format(count=count)


def describe_pattern(title: str, buckets: Sequence[PatternBucket], unit: str = DAYS) -> str:
    parts = []
    for b in buckets:
        if b.mean is None:
            parts.append(_("{label}: not logged yet").format(label=b.label))
        else:
            count = b.n_days if unit == DAYS else b.n_entries
            parts.append(
                _("{label}: {average} ({count})").format(
                    label=b.label, average=_one(b.mean), count=count_text(count, unit)
                )
            )
    return _("{title}. {parts}.").format(title=title, parts=pgettext("list", "; ").join(parts))
