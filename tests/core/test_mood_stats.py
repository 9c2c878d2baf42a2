"""Chart series, the t distribution and the insights, checked against hand-computed values."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion.core.mood import CheckIn, MoodService, TagInfo, TagKind, TrackerKind
from companion.core.mood_stats import (
    MIN_DAYS,
    DayRecord,
    Insight,
    MoodStats,
    benjamini_hochberg,
    calendar_heatmap,
    daily_series,
    find_insights,
    lag1_autocorrelation,
    persistence_inflation,
    rolling_mean,
    sleep_series,
    summarise_days,
    t_cdf,
    t_quantile,
    time_of_day,
    time_of_day_pattern,
    weekday_pattern,
    welch,
)
from companion.storage.database import Database
from tests.core.mood_helpers import PLUS2, clock, fresh_db


@pytest.fixture
def db() -> Iterator[Database]:
    database = fresh_db()
    yield database
    database.close()


@pytest.fixture
def svc(db: Database) -> MoodService:
    return MoodService(db, clock=clock)


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=PLUS2)


# -- the t distribution ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("p", "df", "expected"),
    [
        # Two-sided 95% critical values from any printed t table (4 decimals).
        (0.975, 1, 12.7062),
        (0.975, 2, 4.3027),
        (0.975, 3, 3.1824),
        (0.975, 4, 2.7764),
        (0.975, 5, 2.5706),
        (0.975, 10, 2.2281),
        (0.975, 20, 2.0860),
        (0.975, 30, 2.0423),
        (0.975, 60, 2.0003),
        (0.975, 120, 1.9799),
        (0.95, 5, 2.0150),
        (0.95, 10, 1.8125),
        (0.995, 3, 5.8409),
        (0.995, 10, 3.1693),
        (0.9, 1, 3.0777),
    ],
)
def test_t_quantile_matches_printed_tables(p: float, df: float, expected: float) -> None:
    assert t_quantile(p, df) == pytest.approx(expected, abs=5e-5)
    assert t_quantile(1 - p, df) == pytest.approx(-expected, abs=5e-5)


def test_t_quantile_for_10_degrees_of_freedom_is_2_228() -> None:
    assert round(t_quantile(0.975, 10), 3) == 2.228
    assert t_quantile(0.975, 10) == pytest.approx(2.2281388519649385, abs=1e-9)


@pytest.mark.parametrize("p", [0.5001, 0.6, 0.9, 0.975, 0.999, 0.999999])
def test_t_quantile_matches_the_closed_forms_for_one_and_two_degrees(p: float) -> None:
    # df = 1 is the Cauchy distribution; df = 2 has q = (2p − 1) / sqrt(2p(1 − p)).
    assert t_quantile(p, 1) == pytest.approx(math.tan(math.pi * (p - 0.5)), rel=1e-10)
    assert t_quantile(p, 2) == pytest.approx((2 * p - 1) / math.sqrt(2 * p * (1 - p)), rel=1e-10)


def _t_density(x: float, df: float) -> float:
    log_c = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
    return math.exp(log_c - (df + 1) / 2 * math.log1p(x * x / df))


def _integral_from_zero(q: float, df: float, steps: int = 20_000) -> float:
    """Simpson's rule: an independent check that does not use the incomplete beta."""
    h = q / steps
    total = _t_density(0, df) + _t_density(q, df)
    for i in range(1, steps):
        total += (4 if i % 2 else 2) * _t_density(i * h, df)
    return total * h / 3


@pytest.mark.parametrize("df", [1.5, 2.7, 9.786027521548464, 17.25, 250.5])
def test_t_quantile_for_fractional_degrees_agrees_with_integrating_the_density(
    df: float,
) -> None:
    q = t_quantile(0.975, df)
    assert _integral_from_zero(q, df) == pytest.approx(0.475, abs=1e-9)


def test_t_quantile_joins_the_normal_for_huge_degrees_of_freedom() -> None:
    assert t_quantile(0.975, 1e6) == pytest.approx(1.959966, abs=1e-6)
    assert t_quantile(0.975, 99_999) == pytest.approx(t_quantile(0.975, 100_001), abs=1e-9)
    assert t_quantile(0.5, 7) == 0.0
    for bad_p, bad_df in [(0.0, 5), (1.0, 5), (0.5, 0), (0.5, -1), (0.5, math.nan)]:
        with pytest.raises(ValueError):
            t_quantile(bad_p, bad_df)


@settings(max_examples=200, deadline=None)
@given(
    p=st.floats(min_value=0.001, max_value=0.999),
    df=st.floats(min_value=0.5, max_value=5000),
)
def test_t_quantile_inverts_the_cdf(p: float, df: float) -> None:
    assert t_cdf(t_quantile(p, df), df) == pytest.approx(p, abs=1e-10)


def test_t_cdf_keeps_its_digits_near_the_centre_for_large_df() -> None:
    # found by hypothesis: p just above 0.5 with df in the thousands lost ~1e-10 when the CDF
    # went through 1 − df/(df + t²)
    p, df = 0.5002101478623862, 3605.0
    assert t_cdf(t_quantile(p, df), df) == pytest.approx(p, abs=1e-13)
    # the two forms agree where both are accurate
    for t in (0.3, 1.0, 2.5):
        assert t_cdf(t, 30.0) + t_cdf(-t, 30.0) == pytest.approx(1.0, abs=1e-14)


# -- Welch: a hand-computed example ----------------------------------------------------------

WITH = [6, 7, 8, 7, 6, 8]
WITHOUT = [4, 5, 6, 5, 4, 6, 5, 5]
# With:    mean 7, squared deviations 1+0+1+0+1+1 = 4, variance 4/5 = 0.8, var/n = 0.13333
# Without: mean 5, squared deviations 1+0+1+0+1+1+0+0 = 4, variance 4/7 = 0.57143,
#          var/n = 0.071429
# SE = sqrt(0.13333 + 0.071429) = sqrt(0.20476) = 0.45251
# df = 0.20476² / (0.13333²/5 + 0.071429²/7) = 0.041927 / (0.0035556 + 0.00072886) = 9.786
# t(0.975, 9.786) = 2.2348 (between the table's 2.2622 at 9 and 2.2281 at 10)
# CI = 2 ± 2.2348 × 0.45251 = 2 ± 1.0112 → 0.989 to 3.011


def test_welch_interval_by_hand() -> None:
    w = welch(WITH, WITHOUT)
    assert w is not None
    assert (w.mean_a, w.mean_b, w.difference) == (7.0, 5.0, 2.0)
    assert w.standard_error == pytest.approx(0.45251, abs=1e-5)
    assert w.df == pytest.approx(9.786, abs=1e-3)
    assert w.t_critical == pytest.approx(2.2348, abs=1e-4)
    assert (w.ci_low, w.ci_high) == (
        pytest.approx(0.9888, abs=1e-4),
        pytest.approx(3.0112, abs=1e-4),
    )


def test_welch_needs_spread_and_two_values_a_side() -> None:
    assert welch([5, 5, 5], [5, 5, 5]) is None
    assert welch([5], [4, 6, 5]) is None


# -- insights through the service ------------------------------------------------------------


def _log_days(svc: MoodService, moods: list[int], tag_days: int, tag_id: str) -> None:
    """One check-in a day from 1 May; the first ``tag_days`` days carry the tag."""
    for i, mood in enumerate(moods):
        day = date(2026, 5, 1) + timedelta(days=i)
        svc.create_entry(
            CheckIn(
                mood=mood,
                at=datetime(day.year, day.month, day.day, 20, tzinfo=PLUS2),
                tag_ids={tag_id} if i < tag_days else set(),
            )
        )


def _log_interleaved(svc: MoodService, tag_id: str) -> None:
    """WITH and WITHOUT on alternate days (then the last two WITHOUT), so neither mood nor the
    tag carries over from one day to the next: no widening for persistence."""
    order = [WITH[i // 2] if i % 2 == 0 else WITHOUT[i // 2] for i in range(12)] + WITHOUT[6:]
    tagged = set(range(0, 12, 2))
    for i, mood in enumerate(order):
        day = date(2026, 5, 1) + timedelta(days=i)
        svc.create_entry(
            CheckIn(
                mood=mood,
                at=datetime(day.year, day.month, day.day, 20, tzinfo=PLUS2),
                tag_ids={tag_id} if i in tagged else set(),
            )
        )


def test_tag_insight_and_its_wording_by_hand(svc: MoodService) -> None:
    walk = next(t for t in svc.tags() if t.name == "Walk")
    _log_interleaved(svc, walk.id)
    insights = MoodStats(svc).insights()
    assert [i.key for i in insights] == [f"tag:{walk.id}"]
    found = insights[0]
    assert (found.n_with, found.n_without) == (6, 8)
    assert found.difference == pytest.approx(2.0)
    assert found.inflation == 1.0  # alternate days: nothing carries over
    assert (found.ci_low, found.ci_high) == (
        pytest.approx(0.9888, abs=1e-4),
        pytest.approx(3.0112, abs=1e-4),
    )
    # 6 days on one side is too few to call anything clear, however large the difference
    assert not found.judged and not found.clear
    assert found.wording() == (
        "On days with “Walk”, your mood was about 2.0 points higher than on days without it "
        "(likely range 1.0 to 3.0; 6 vs 8 days). It rests on few days, so it may be chance."
    )


def test_a_tag_on_a_run_of_consecutive_days_gets_a_wider_interval(svc: MoodService) -> None:
    """The tag on the first ten days in a row, and mood higher then: mood and tag both carry
    over, so the comparison rests on fewer independent days than it seems."""
    walk = next(t for t in svc.tags() if t.name == "Walk")
    high = [7, 8, 6, 7, 8, 7, 6, 8, 7, 7]
    low = [5, 4, 6, 5, 4, 5, 6, 5, 4, 5, 5, 4, 6, 5, 4, 5, 6, 5, 4, 5]
    _log_days(svc, high + low, len(high), walk.id)
    (found,) = MoodStats(svc).insights()
    assert found.inflation > 1.5
    assert found.ci_high - found.ci_low > found.stats.ci_high - found.stats.ci_low
    assert found.p_value > 2 * (1 - t_cdf(found.difference / found.stats.standard_error, 20))


def test_nothing_is_said_under_fourteen_days(svc: MoodService) -> None:
    walk = next(t for t in svc.tags() if t.name == "Walk")
    _log_days(svc, WITH + WITHOUT[:-1], len(WITH), walk.id)  # 13 days
    assert MoodStats(svc).insights() == []
    svc.create_entry(CheckIn(mood=5, at=at(5, 31, 20)))  # the 14th day
    assert len(MoodStats(svc).insights()) == 1
    assert MIN_DAYS == 14


def test_several_check_ins_a_day_count_as_one_day(svc: MoodService) -> None:
    walk = next(t for t in svc.tags() if t.name == "Walk")
    _log_days(svc, WITH + WITHOUT[:-1], len(WITH), walk.id)  # 13 days
    for hour in (8, 12, 16):  # more check-ins on an already logged day
        svc.create_entry(CheckIn(mood=5, at=at(5, 13, hour)))
    assert MoodStats(svc).insights() == []


def test_wording_never_claims_a_cause_and_flags_chance() -> None:
    w = welch([5, 6, 4, 5, 6, 4, 5], [5, 4, 6, 5, 4, 6, 6])
    assert w is not None
    text = Insight("x", "tag", None, "with “Music”", "without it", w, 1.0, 0.9).wording()
    assert "about the same" in text or "lower" in text or "higher" in text
    assert text.endswith("The range includes zero, so this may be chance.")
    for word in ("because", "causes", "makes you", "improves", "leads to", "95% CI"):
        assert word not in text


def test_wording_for_clear_and_for_a_difference_lost_among_many_comparisons() -> None:
    w = welch([7, 8, 7, 8, 9, 7, 8, 7, 8, 9], [5, 4, 6, 5, 4, 6, 5, 4, 6, 5])
    assert w is not None
    clear = Insight("x", "tag", None, "with “Walk”", "without it", w, 1.0, 0.01)
    assert clear.clear
    assert clear.wording().endswith("days).")  # clear: no caveat on the line itself
    many = Insight("x", "tag", None, "with “Walk”", "without it", w, 1.0, 0.3)
    assert not many.clear and not many.interval_includes_zero
    assert "with this many comparisons" in many.wording()
    assert "by chance" in many.wording()


@settings(max_examples=100, deadline=None)
@given(
    a=st.lists(st.integers(0, 10), min_size=3, max_size=40),
    b=st.lists(st.integers(0, 10), min_size=3, max_size=40),
)
def test_wording_is_consistent_with_the_numbers(a: list[int], b: list[int]) -> None:
    w = welch(a, b)
    if w is None:
        return
    insight = Insight("x", "tag", None, "with “Walk”", "without it", w)
    text = insight.wording()
    assert f"{len(a)} vs {len(b)} days" in text
    assert ("higher" in text) == (round(w.difference, 1) > 0)
    assert ("lower" in text) == (round(w.difference, 1) < 0)
    assert insight.interval_includes_zero == (w.ci_low <= 0 <= w.ci_high)
    assert "chance" in text  # never judged (no q-value): never clear
    assert ("includes zero" in text) == insight.interval_includes_zero


def _entries_over(svc: MoodService, days: int, make: object) -> None:
    for i in range(days):
        day = date(2026, 3, 1) + timedelta(days=i)
        svc.create_entry(make(i, datetime(day.year, day.month, day.day, 9, tzinfo=PLUS2)))  # type: ignore[operator]


def test_sleep_exercise_alcohol_and_tracker_splits(svc: MoodService) -> None:
    grounding = svc.add_tracker("Grounding", TrackerKind.YES_NO)
    coffee = svc.add_tracker("Coffee", TrackerKind.NUMBER, unit="cups", minimum=0, maximum=12)

    def make(i: int, when: datetime) -> CheckIn:
        good = i % 2 == 0
        return CheckIn(
            at=when,
            mood=(7 if good else 4) + (i % 3 == 0),
            sleep_hours=(8.0 if good else 5.0) if i % 5 else 6.5,  # 6.5 h is in neither group
            exercise_minutes=30 if good else 0,
            alcohol_units=None if i % 4 == 1 else (0.0 if good else 2.0),
            tracker_values={grounding.id: good, coffee.id: 1 if good else 3},
        )

    _entries_over(svc, 40, make)
    found = {i.key: i for i in MoodStats(svc).insights()}
    assert set(found) == {
        "sleep",
        "exercise",
        "alcohol",
        f"tracker:{grounding.id}",
        f"tracker:{coffee.id}",
    }
    sleep = found["sleep"]
    assert sleep.n_with + sleep.n_without == 32  # 8 of the 40 days slept 6.5 h
    assert sleep.difference > 2.5
    assert found["exercise"].n_with == 20 and found["exercise"].n_without == 20
    assert found["alcohol"].n_with + found["alcohol"].n_without == 30  # 10 days unrecorded
    assert found["alcohol"].difference < -2.5
    coffee_insight = found[f"tracker:{coffee.id}"]
    # daily values 1 and 3 → median 2; above: the 20 days with 3 cups
    assert coffee_insight.n_with == 20 and coffee_insight.difference < -2.5
    assert "above 2 cups (your median)" in coffee_insight.wording()
    assert "yes to “Grounding”" in found[f"tracker:{grounding.id}"].wording()


# -- chart series: a small hand-computed diary -----------------------------------------------
#
# At UTC+2, local times:
#   Mon 1 June  08:00 mood 4 (sleep 6.5 h, quality 3), 20:00 mood 6 → mean 5, min 4, max 6
#   Tue 2 June  nothing (a gap)
#   Wed 3 June  13:00 mood 7                              → mean 7
#   Thu 4 June  02:00 mood 3 (sleep 4 h), 10:00 mood 5 (sleep 7.5 h, quality 4),
#               22:00 mood 7                              → mean 5, min 3, max 7; sleep 7.5 h
#   Wed 10 June 18:30 mood 9                              → mean 9
# Rolling 7-day mean of daily means over the logged days in [day − 6, day]:
#   1 Jun: 5 (n1)   2 Jun: 5 (n1)   3 Jun: (5+7)/2 = 6 (n2)   4–7 Jun: (5+7+5)/3 = 5.667 (n3)
#   8 Jun: (7+5)/2 = 6 (n2)   9 Jun: 6 (n2)   10 Jun: (5+9)/2 = 7 (n2)
# Weekday (mean of daily means): Mon 5 (1 day, 2 check-ins), Wed (7+9)/2 = 8 (2 days, 2),
#   Thu 5 (1 day, 3)
# Time of day (mean of check-ins): night [3] = 3; morning [4, 5] = 4.5; afternoon [7] = 7;
#   evening [6, 7, 9] = 7.333


@pytest.fixture
def small(svc: MoodService) -> MoodService:
    svc.create_entry(CheckIn(mood=4, at=at(6, 1, 8), sleep_hours=6.5, sleep_quality=3))
    svc.create_entry(CheckIn(mood=6, at=at(6, 1, 20), anxiety=2))
    svc.create_entry(CheckIn(mood=7, at=at(6, 3, 13), anxiety=4))
    svc.create_entry(CheckIn(mood=3, at=at(6, 4, 2), sleep_hours=4.0))
    svc.create_entry(CheckIn(mood=5, at=at(6, 4, 10), sleep_hours=7.5, sleep_quality=4))
    svc.create_entry(CheckIn(mood=7, at=at(6, 4, 22)))
    svc.create_entry(CheckIn(mood=9, at=at(6, 10, 18, 30)))
    return svc


def test_daily_series_by_hand(small: MoodService) -> None:
    days = summarise_days(small.entries())
    points = daily_series(days, "mood")
    assert [(p.day.day, p.mean, p.minimum, p.maximum, p.n) for p in points] == [
        (1, 5.0, 4, 6, 2),
        (3, 7.0, 7, 7, 1),
        (4, 5.0, 3, 7, 3),
        (10, 9.0, 9, 9, 1),
    ]
    anxiety = daily_series(days, "anxiety")
    assert [(p.day.day, p.mean, p.n) for p in anxiety] == [(1, 2.0, 1), (3, 4.0, 1)]
    # the SQL fast path gives the same points
    stats = MoodStats(small)
    assert stats.daily("mood") == points
    assert stats.daily("anxiety") == anxiety
    assert stats.daily("mood", date(2026, 6, 3), date(2026, 6, 4)) == points[1:3]


def test_rolling_mean_by_hand(small: MoodService) -> None:
    points = daily_series(summarise_days(small.entries()), "mood")
    rolling = [(r.day.day, round(r.mean, 3), r.n_days) for r in rolling_mean(points)]
    assert rolling == [
        (1, 5.0, 1),
        (2, 5.0, 1),
        (3, 6.0, 2),
        (4, 5.667, 3),
        (5, 5.667, 3),
        (6, 5.667, 3),
        (7, 5.667, 3),
        (8, 6.0, 2),
        (9, 6.0, 2),
        (10, 7.0, 2),
    ]


def test_rolling_mean_breaks_after_a_week_without_entries() -> None:
    from companion.core.mood import DailyPoint

    points = [
        DailyPoint(date(2026, 1, 1), 4.0, 4, 4, 1),
        DailyPoint(date(2026, 1, 20), 8.0, 8, 8, 1),
    ]
    days = [r.day.day for r in rolling_mean(points)]
    assert days == [1, 2, 3, 4, 5, 6, 7, 20]
    assert rolling_mean([]) == []


def test_sleep_heatmap_and_patterns_by_hand(small: MoodService) -> None:
    entries = small.entries()
    days = summarise_days(entries)
    assert [(s.day.day, s.hours, s.quality) for s in sleep_series(days)] == [
        (1, 6.5, 3),
        (4, 7.5, 4),  # the later check-in's sleep stands
    ]
    cells = calendar_heatmap(days)
    assert len(cells) == 10
    assert [(c.day.day, c.mood_mean, c.n_entries) for c in cells if c.n_entries] == [
        (1, 5.0, 2),
        (3, 7.0, 1),
        (4, 5.0, 3),
        (10, 9.0, 1),
    ]
    assert all(c.mood_mean is None for c in cells if not c.n_entries)  # gaps, not zeros
    wide = calendar_heatmap(days, date(2026, 5, 30), date(2026, 6, 11))
    assert (len(wide), wide[0].mood_mean, wide[-1].mood_mean) == (13, None, None)

    weekdays = {b.key: (b.mean, b.n_days, b.n_entries) for b in weekday_pattern(days)}
    assert weekdays["monday"] == (5.0, 1, 2)
    assert weekdays["wednesday"] == (8.0, 2, 2)
    assert weekdays["thursday"] == (5.0, 1, 3)
    assert weekdays["tuesday"] == (None, 0, 0)

    times = {b.key: (b.mean, b.n_entries, b.n_days) for b in time_of_day_pattern(entries)}
    assert times["night"] == (3.0, 1, 1)
    assert times["morning"] == (4.5, 2, 2)
    assert times["afternoon"] == (7.0, 1, 1)
    assert times["evening"][0] == pytest.approx(22 / 3)
    assert times["evening"][1:] == (3, 3)
    assert [time_of_day(h) for h in (0, 5, 6, 11, 12, 17, 18, 23)] == [
        "night",
        "night",
        "morning",
        "morning",
        "afternoon",
        "afternoon",
        "evening",
        "evening",
    ]


def test_overview_bundles_everything_with_counts(small: MoodService) -> None:
    overview = MoodStats(small).overview()
    charts = overview.charts
    assert (charts.n_entries, charts.n_days) == (7, 4)
    assert len(charts.daily["mood"]) == 4 and len(charts.rolling["mood"]) == 10
    assert [b.n_days for b in charts.weekday["mood"]] == [1, 0, 2, 1, 0, 0, 0]
    assert overview.insights == []  # 4 days is far too few
    ranged = MoodStats(small).charts(date(2026, 6, 3), date(2026, 6, 4))
    assert ranged.n_days == 2 and len(ranged.heatmap) == 2


def test_trauma_sign_counts(svc: MoodService) -> None:
    svc.create_entry(CheckIn(mood=3, at=at(6, 1, 9), felt_numb=True, felt_unsafe=False))
    svc.create_entry(CheckIn(mood=3, at=at(6, 1, 20), felt_numb=False))
    svc.create_entry(CheckIn(mood=5, at=at(6, 2, 9), felt_numb=False))
    signs = {s.key: (s.yes_days, s.answered_days) for s in MoodStats(svc).charts().signs}
    assert signs["felt_numb"] == (1, 2)  # a day with any "yes" is a yes day
    assert signs["felt_unsafe"] == (0, 1)
    assert signs["intrusive_memories"] == (0, 0)


def test_insights_need_enough_days_on_each_side() -> None:
    assert find_insights([]) == []


# -- judging many comparisons together ---------------------------------------------------------


def test_benjamini_hochberg_by_hand() -> None:
    # sorted: 0.01 (rank 1), 0.03 (2), 0.04 (3), 0.2 (4); p·m/rank = 0.04, 0.06, 0.0533, 0.2;
    # then the running minimum from the top: 0.2, 0.0533, 0.0533, 0.04
    adjusted = benjamini_hochberg([0.01, 0.04, 0.03, 0.2])
    assert adjusted == pytest.approx([0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.2])
    assert benjamini_hochberg([]) == []
    assert benjamini_hochberg([0.9, 0.95]) == pytest.approx([0.95, 0.95])


def test_lag1_autocorrelation_uses_only_consecutive_days() -> None:
    start = date(2026, 1, 1)
    alternating = {start + timedelta(days=i): float(i % 2) for i in range(20)}
    r, pairs = lag1_autocorrelation(alternating)
    # centred values ±0.5: every product −0.25, mean square 0.25, so r = −0.25 / 0.25
    assert pairs == 19 and r == pytest.approx(-1.0)
    every_other_day = {start + timedelta(days=2 * i): float(i) for i in range(20)}
    assert lag1_autocorrelation(every_other_day) == (0.0, 0)  # no two days in a row
    few = {start + timedelta(days=i): float(i % 3) for i in range(8)}
    assert lag1_autocorrelation(few) == (0.0, 7)  # too few pairs to tell


def test_persistence_widens_only_when_both_carry_over() -> None:
    assert persistence_inflation((0.5, 89), (0.5, 89)) == pytest.approx(1.25 / 0.75)
    assert persistence_inflation((0.1, 89), (0.5, 89)) == 1.0  # mood barely carries over
    assert persistence_inflation((0.5, 89), (-0.4, 89)) == 1.0  # never narrower
    assert persistence_inflation((0.5, 5), (0.5, 5)) == 1.0  # too few pairs


def test_clear_ones_come_first_ranked_by_evidence_not_size() -> None:
    start = date(2026, 1, 1)
    rng = __import__("random").Random(7)
    days = []
    for i in range(60):
        tags = set()
        mood = 5.0 + rng.gauss(0, 0.8)
        if i % 2 == 0:  # "Walk" on half the days, one point higher: strong evidence
            tags.add("walk")
            mood += 1.5
        if i % 20 == 3:  # "Crowds" on three days, two points lower: large but thin
            tags.add("crowds")
            mood -= 2.0
        days.append(_record(start + timedelta(days=i), mood, frozenset(tags)))
    tags = [
        TagInfo("walk", "Walk", TagKind.ACTIVITY, False, 0),
        TagInfo("crowds", "Crowds", TagKind.TRIGGER, False, 1),
    ]
    found = find_insights(days, tags)
    assert [i.key for i in found] == ["tag:walk", "tag:crowds"]
    assert found[0].clear and not found[1].clear
    assert abs(found[1].difference) > abs(found[0].difference) - 1.0
    assert found[1].q_value is None  # three days: shown, never judged


def _record(day: date, mood: float, tags: frozenset[str]) -> DayRecord:
    return DayRecord(
        day=day,
        n_entries=1,
        ratings={"mood": ()},
        sleep_hours=None,
        sleep_quality=None,
        exercise_minutes=None,
        outdoors_minutes=None,
        alcohol_units=None,
        substances_used=None,
        signs={},
        tag_ids=tags,
        trackers={},
        mood_mean=mood,
    )
