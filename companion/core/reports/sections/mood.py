"""The mood section: the chart and key figures for page one, month by month after.

Numbers follow the diary's own rules (``companion.core.mood.stats``): days are local days,
a day's value is the mean of its check-ins, days without a check-in are gaps (never zeros),
the rolling mean is the 7-day trailing mean over the days logged. Spread and range are of the
daily means. Check-ins from before the period may be passed in: they only make the rolling
mean right on the first days; every figure counts the period's days alone.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from companion.core.mood.service import DailyPoint
from companion.core.mood.stats import ROLLING_WINDOW_DAYS, rolling_mean
from companion.core.reports.model import (
    Chart,
    Column,
    Fact,
    Facts,
    Period,
    Point,
    Section,
    Series,
    Table,
)
from companion.core.reports.records import MoodCheckin
from companion.core.reports.sections import ORDER
from companion.core.reports.wording import number, period_text
from companion.i18n import _, ngettext

__all__ = ["MIN_WINDOW_DAYS", "daily_points", "mood_section"]

#: days logged needed in each two-week window before their means are compared
MIN_WINDOW_DAYS = 3
#: periods longer than this get a 30-day rolling mean on the chart instead of 7 days
LONG_PERIOD_DAYS = 180
LONG_WINDOW_DAYS = 30
_WINDOW = 14


def daily_points(checkins: Sequence[MoodCheckin]) -> list[DailyPoint]:
    by_day: dict[date, list[int]] = defaultdict(list)
    for c in checkins:
        by_day[c.day].append(c.mood)
    return [
        DailyPoint(day, sum(v) / len(v), min(v), max(v), len(v))
        for day, v in sorted(by_day.items())
    ]


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _window_mean(points: Sequence[DailyPoint], start: date, end: date) -> tuple[float | None, int]:
    values = [p.mean for p in points if start <= p.day <= end]
    return (_mean(values) if len(values) >= MIN_WINDOW_DAYS else None), len(values)


def _facts(points: list[DailyPoint], inside: list[MoodCheckin], period: Period) -> Facts:
    means = [p.mean for p in points]
    facts = [
        Fact(
            _("Days with a check-in"),
            _("{logged} of {days}").format(logged=len(points), days=period.days),
            ngettext("{count} check-in", "{count} check-ins", len(inside)).format(
                count=len(inside)
            ),
        )
    ]
    if means:
        range_words = _("lowest day {low} · highest {high}").format(
            low=number(min(means)), high=number(max(means))
        )
        if len(means) > 1:
            range_words = _("SD {sd} · {range}").format(
                sd=number(statistics.stdev(means)), range=range_words
            )
        facts.append(
            Fact(_("Mood, mean (0 worst – 10 best)"), number(statistics.fmean(means)), range_words)
        )
    anxiety = [c.anxiety for c in inside if c.anxiety is not None]
    if anxiety:
        facts.append(
            Fact(
                _("Anxiety, mean (0 none – 10 worst)"),
                number(statistics.fmean(anxiety)),
                ngettext("from {count} check-in", "from {count} check-ins", len(anxiety)).format(
                    count=len(anxiety)
                ),
            )
        )
    nights = _sleep_by_day(inside)
    if nights:
        facts.append(
            Fact(
                _("Sleep, mean a night"),
                _("{hours} h").format(hours=number(statistics.fmean(nights.values()))),
                ngettext(
                    "from {count} night recorded", "from {count} nights recorded", len(nights)
                ).format(count=len(nights)),
            )
        )
    if period.days >= 2 * _WINDOW:
        first_end = period.start + timedelta(days=_WINDOW - 1)
        last_start = period.end - timedelta(days=_WINDOW - 1)
        first, n_first = _window_mean(points, period.start, first_end)
        last, n_last = _window_mean(points, last_start, period.end)
        if first is not None and last is not None:
            facts.append(
                Fact(
                    _("Mood, first → last two weeks"),
                    _("{first} → {last}").format(first=number(first), last=number(last)),
                    _("mean mood over {first} and {last} logged days").format(
                        first=n_first, last=n_last
                    ),
                )
            )
    return Facts(tuple(facts))


def _sleep_by_day(checkins: Sequence[MoodCheckin]) -> dict[date, float]:
    """The latest check-in of each day that recorded sleep (sleep describes the night before)."""
    nights: dict[date, float] = {}
    for c in sorted(checkins, key=lambda c: c.at):
        if c.sleep_hours is not None:
            nights[c.day] = c.sleep_hours
    return nights


def _months(points: list[DailyPoint], inside: list[MoodCheckin], period: Period) -> Table:
    rows = []
    month = period.start.replace(day=1)
    while month <= period.end:
        following = (month + timedelta(days=32)).replace(day=1)
        lo, hi = max(month, period.start), min(following - timedelta(days=1), period.end)
        means = [p.mean for p in points if lo <= p.day <= hi]
        these = [c for c in inside if lo <= c.day <= hi]
        anxiety = [c.anxiety for c in these if c.anxiety is not None]
        sleep = list(_sleep_by_day(these).values())
        rows.append(
            (
                month,
                len(means),
                (hi - lo).days + 1,
                _mean(means),
                statistics.stdev(means) if len(means) > 1 else None,
                min(means) if means else None,
                max(means) if means else None,
                _mean(anxiety),
                _mean(sleep),
            )
        )
        month = following
    return Table(
        id="mood_by_month",
        title=_("Mood month by month"),
        columns=(
            Column("month", _("Month"), "month"),
            Column("days_logged", _("Days logged"), "integer"),
            Column(
                "days", _("Days"), "integer", description=_("days of the month inside the period")
            ),
            Column("mood_mean", _("Mood"), "number", description=_("mean of the daily mean moods")),
            Column(
                "mood_sd", _("SD"), "number", description=_("standard deviation of daily means")
            ),
            Column("mood_low", _("Lowest day"), "number"),
            Column("mood_high", _("Highest day"), "number"),
            Column("anxiety_mean", _("Anxiety"), "number", description=_("mean of check-ins")),
            Column(
                "sleep_mean",
                _("Sleep"),
                "number",
                unit=_("h"),
                description=_("mean hours a night"),
            ),
        ),
        rows=tuple(rows),
        caption=_(
            "Mood 0 (worst) to 10 (best), anxiety 0 (none) to 10 (worst). A dash: nothing "
            "was logged."
        ),
    )


def _checkins_table(inside: list[MoodCheckin]) -> Table:
    return Table(
        id="mood_checkins",
        title=_("Every check-in"),
        columns=(
            Column(
                "time", _("Time"), "datetime", description=_("the person's clock, with its offset")
            ),
            Column("mood", _("Mood"), "integer", description=_("0 worst to 10 best")),
            Column("anxiety", _("Anxiety"), "integer", description=_("0 none to 10 worst")),
            Column("energy", _("Energy"), "integer", description=_("0 none to 10 most")),
            Column(
                "irritability", _("Irritability"), "integer", description=_("0 none to 10 most")
            ),
            Column(
                "sleep_hours",
                _("Sleep"),
                "number",
                unit=_("h"),
                description=_("the night before"),
            ),
            Column(
                "sleep_quality",
                _("Sleep quality"),
                "integer",
                description=_("1 very poor to 5 very good"),
            ),
            Column(
                "note", _("Note"), "text", private=True, description=_("the person's own words")
            ),
        ),
        rows=tuple(
            (
                c.at,
                c.mood,
                c.anxiety,
                c.energy,
                c.irritability,
                c.sleep_hours,
                c.sleep_quality,
                c.note,
            )
            for c in sorted(inside, key=lambda c: c.at)
        ),
        printed=False,
    )


def mood_section(checkins: Sequence[MoodCheckin], period: Period) -> Section:
    inside = [c for c in checkins if c.day in period]
    all_points = daily_points(checkins)
    points = [p for p in all_points if p.day in period]
    # a week smooths a season; over years a week is noise, so long periods use a month
    window = ROLLING_WINDOW_DAYS if period.days <= LONG_PERIOD_DAYS else LONG_WINDOW_DAYS
    rolling = [r for r in rolling_mean(all_points, window) if r.day in period]
    chart = Chart(
        id="mood",
        title=_("Mood, {period}").format(period=period_text(period.start, period.end)),
        series=(
            Series(
                "daily_mean",
                _("Daily mean"),
                tuple(Point(p.day, p.mean) for p in points),
                style="dots",
            ),
            Series(
                "rolling_mean",
                _("{days}-day rolling mean").format(days=window),
                tuple(Point(r.day, r.mean) for r in rolling),
                emphasis=True,
            ),
        ),
        y_min=0,
        y_max=10,
        y_label=_("Mood"),
        y_ticks=(0, 2, 4, 6, 8, 10),
        timeline=True,
        caption=_(
            "0 = worst, 10 = best. Dots: each day's mean; line: mean of the days logged in "
            "the last {days}. Days without a check-in are left empty."
        ).format(days=window),
    )
    return Section(
        id="mood",
        title=_("Mood"),
        order=ORDER["mood"],
        glance=(chart, _facts(points, inside, period)),
        detail=(_months(points, inside, period), _checkins_table(inside)),
        about=_("Mood check-ins: daily means, the rolling mean, and every check-in."),
    )
