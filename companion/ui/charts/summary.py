"""Charts in words: the text beside each chart, read by screen readers and by anyone who
prefers sentences to lines. Pure functions, so the numbers are tested against hand-computed
values.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from companion.core.mood.service import DailyPoint
from companion.core.mood.stats import HeatCell, PatternBucket, SleepPoint


def day_text(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _one(value: float) -> str:
    return f"{value:.1f}"


def describe_series(name: str, points: Sequence[DailyPoint], start: date, end: date) -> str:
    """E.g. "Mood, 1 Mar 2024 to 14 Mar 2024: 12 of 14 days logged; average 5.4 (the daily
    averages ranged from 3.0 to 7.5). Last 7 days logged: 6.1." """
    inside = [p for p in points if start <= p.day <= end]
    span = (end - start).days + 1
    head = f"{name}, {day_text(start)} to {day_text(end)}"
    if not inside:
        return f"{head}: not logged yet in this period."
    means = [p.mean for p in inside]
    average = sum(means) / len(means)
    text = (
        f"{head}: {len(inside)} of {span} days logged; average {_one(average)} "
        f"(daily averages from {_one(min(means))} to {_one(max(means))})."
    )
    recent = means[-7:]
    if len(inside) > 7:
        text += f" Last 7 days logged: {_one(sum(recent) / len(recent))}."
    return text


def describe_overlays(overlays: Sequence[Any], start: date, end: date) -> str:
    """Markers, periods and extra points that touch the period."""
    parts: list[str] = []
    for o in overlays:
        if o.shape == "marker" and o.start is not None and start <= o.start <= end:
            parts.append(f"{o.label} on {day_text(o.start)}.")
        elif o.shape == "period" and o.start is not None:
            if o.start > end or (o.end is not None and o.end < start):
                continue
            until = f"to {day_text(o.end)}" if o.end is not None else "onwards (ongoing)"
            parts.append(f"{o.label}: from {day_text(o.start)} {until}.")
        elif o.shape == "points":
            shown = [(d, v) for d, v in o.points if start <= d <= end]
            if shown:
                values = ", ".join(f"{v:g} on {day_text(d)}" for d, v in shown[-6:])
                more = f" (latest {min(6, len(shown))} of {len(shown)})" if len(shown) > 6 else ""
                parts.append(f"{o.label}{more}: {values}.")
    return " ".join(parts)


def describe_sleep(points: Sequence[SleepPoint], start: date, end: date) -> str:
    hours = [p.hours for p in points if start <= p.day <= end and p.hours is not None]
    head = f"Sleep, {day_text(start)} to {day_text(end)}"
    if not hours:
        return f"{head}: not logged yet in this period."
    average = sum(hours) / len(hours)
    short = sum(1 for h in hours if h < 6)
    return (
        f"{head}: {len(hours)} nights logged; on average {_one(average)} hours "
        f"(from {min(hours):.1f} to {max(hours):.1f}). {short} of them under 6 hours."
    )


def describe_heatmap(cells: Sequence[HeatCell]) -> str:
    if not cells:
        return "Calendar: not logged yet."
    logged = [c for c in cells if c.mood_mean is not None]
    head = f"Calendar, {day_text(cells[0].day)} to {day_text(cells[-1].day)}"
    if not logged:
        return f"{head}: not logged yet in this period."
    best = max(logged, key=lambda c: (c.mood_mean or 0.0, c.day))
    low = min(logged, key=lambda c: (c.mood_mean or 0.0, c.day))
    return (
        f"{head}: {len(logged)} of {len(cells)} days logged. The lowest day was "
        f"{day_text(low.day)} ({_one(low.mood_mean or 0.0)}), the highest "
        f"{day_text(best.day)} ({_one(best.mood_mean or 0.0)})."
    )


def describe_pattern(title: str, buckets: Sequence[PatternBucket], unit: str = "days") -> str:
    parts = []
    for b in buckets:
        if b.mean is None:
            parts.append(f"{b.label}: not logged yet")
        else:
            count = b.n_days if unit == "days" else b.n_entries
            noun = unit if count != 1 else unit[:-1]
            parts.append(f"{b.label}: {_one(b.mean)} ({count} {noun})")
    return f"{title}. " + "; ".join(parts) + "."
