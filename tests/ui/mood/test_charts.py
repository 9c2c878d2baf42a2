"""Chart arithmetic against hand-computed values: buckets for zoomed-out views, the array
rolling mean (same rule as mood_stats), and the sentences beside each chart."""

from __future__ import annotations

import math
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from companion.core.mood.service import DailyPoint
from companion.core.mood.stats import (
    DayRecord,
    HeatCell,
    PatternBucket,
    SleepPoint,
    rolling_mean,
)
from companion.ui.charts.api import Series, level_for
from companion.ui.charts.axis import day_start, day_x, x_day
from companion.ui.charts.summary import (
    describe_heatmap,
    describe_pattern,
    describe_series,
    describe_sleep,
)
from companion.ui.mood.charts_tab import with_days_replaced

D0 = date(2025, 3, 3)  # ordinal % 7 == 0 is a Sunday boundary for the weekly buckets


def point(offset: int, mean: float, low: int, high: int, n: int = 1) -> DailyPoint:
    return DailyPoint(D0 + timedelta(days=offset), mean, low, high, n)


def test_axis_days_round_trip() -> None:
    for day in (date(1970, 1, 1), date(2000, 2, 29), date(2031, 12, 31)):
        assert x_day(day_x(day)) == day
        assert x_day(day_start(day)) == day
        assert day_x(day) - day_start(day) == 43_200


def test_level_of_detail_follows_days_per_pixel() -> None:
    assert level_for(365, 850) == 1
    assert level_for(3650, 850) == 7
    assert level_for(36500, 850) == 30


def test_weekly_buckets_are_hand_computed() -> None:
    points = [point(0, 4.0, 2, 6), point(1, 8.0, 8, 8), point(9, 5.0, 5, 5, 2)]
    series = Series.of(points).bucketed(7)
    ordinals = [p.day.toordinal() for p in points]
    first_week = ordinals[0] // 7
    assert ordinals[1] // 7 == first_week  # both in the same calendar-aligned week
    assert list(series.days) == [first_week * 7 + 3, (ordinals[2] // 7) * 7 + 3]
    assert list(series.mean) == [6.0, 5.0]
    assert list(series.low) == [2.0, 5.0]
    assert list(series.high) == [8.0, 5.0]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 60), st.floats(0, 10, allow_nan=False)),
        min_size=1,
        max_size=40,
        unique_by=lambda t: t[0],
    )
)
def test_array_rolling_mean_matches_the_statistics_module(values: list[tuple[int, float]]) -> None:
    points = sorted((point(o, m, 0, 10) for o, m in values), key=lambda p: p.day)
    days, means = Series.of(points).rolling()
    expected = {p.day.toordinal(): p.mean for p in rolling_mean(points)}
    drawn = {int(d): float(m) for d, m in zip(days, means, strict=True) if not math.isnan(m)}
    assert drawn.keys() == expected.keys()
    for key, value in expected.items():
        assert math.isclose(drawn[key], value, abs_tol=1e-9)


def test_series_summary_is_hand_computed() -> None:
    points = [point(0, 4.0, 2, 6, 2), point(1, 8.0, 8, 8), point(3, 5.0, 5, 5)]
    text = describe_series("Mood", points, D0, D0 + timedelta(days=13))
    assert text == (
        "Mood, 3 Mar 2025 to 16 Mar 2025: 3 of 14 days logged; average 5.7 "
        "(daily averages from 4.0 to 8.0)."
    )
    assert "not logged yet" in describe_series("Mood", points, date(2020, 1, 1), date(2020, 1, 5))
    many = [point(i, float(i % 10), 0, 10) for i in range(10)]  # means 0..9
    text = describe_series("Mood", many, D0, D0 + timedelta(days=9))
    assert text.endswith("Last 7 days logged: 6.0.")  # (3+4+…+9)/7 = 42/7
    # the period's days (both ends included) are those a day-by-day look finds
    gappy = [p for p in many if p.day.day % 3]
    for first, last in ((0, 9), (1, 1), (2, 2), (3, 8), (-5, 4), (6, 40), (11, 12)):
        start, end = D0 + timedelta(days=first), D0 + timedelta(days=last)
        inside = [p for p in gappy if start <= p.day <= end]
        assert describe_series("Mood", gappy, start, end) == describe_series(
            "Mood", inside, start, end
        )


def test_sleep_heatmap_and_pattern_sentences() -> None:
    sleep = [
        SleepPoint(D0, 5.5, 2),
        SleepPoint(D0 + timedelta(days=1), 8.0, None),
        SleepPoint(D0 + timedelta(days=2), None, 3),
    ]
    assert describe_sleep(sleep, D0, D0 + timedelta(days=6)) == (
        "Sleep, 3 Mar 2025 to 9 Mar 2025: 2 nights logged; on average 6.8 hours "
        "(from 5.5 to 8.0). 1 of them under 6 hours."
    )
    cells = [HeatCell(D0, 3.0, 1), HeatCell(D0 + timedelta(days=1), None, 0)]
    cells.append(HeatCell(D0 + timedelta(days=2), 7.5, 2))
    assert describe_heatmap(cells) == (
        "Calendar, 3 Mar 2025 to 5 Mar 2025: 2 of 3 days logged. The lowest day was "
        "3 Mar 2025 (3.0), the highest 5 Mar 2025 (7.5)."
    )
    buckets = [
        PatternBucket("monday", "Monday", 5.25, 4, 6),
        PatternBucket("tuesday", "Tuesday", None, 0, 0),
    ]
    assert describe_pattern("By weekday", buckets) == (
        "By weekday. Monday: 5.2 (4 days); Tuesday: not logged yet."
    )


def _record(day: date, n: int) -> DayRecord:
    return DayRecord(day, n, {}, None, None, None, None, None, None, {}, frozenset(), {}, 5.0)


def test_a_checkins_days_are_replaced_in_place_in_the_kept_summaries() -> None:
    """The Charts tab's day summaries after a check-in: the changed days' records replaced
    by the fresh ones, in day order, as filtering and sorting them all gave, without going
    through every day (``with_days_replaced``)."""
    d0 = date(2025, 1, 1)
    days = [_record(d0 + timedelta(days=i), 1) for i in range(0, 60) if i % 5]
    # a day changed, one emptied, one added between others, one added at the end
    changed = [d0 + timedelta(days=i) for i in (7, 12, 10, 60)]
    fresh = [_record(d0 + timedelta(days=i), 2) for i in (60, 7, 10)]
    expected = sorted([d for d in days if d.day not in set(changed)] + fresh, key=lambda d: d.day)
    assert with_days_replaced(days, changed, fresh) == expected
    assert with_days_replaced(days, [], []) == days
