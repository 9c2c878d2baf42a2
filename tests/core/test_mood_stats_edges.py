"""Mood charts at their edges: several check-ins a day, days without a rating, labels, ranges.

Written against the survivors of mutation testing (tools/mutation.sh) in the chart series,
the daily summaries, the patterns and the MoodStats façade (the insight statistics are
covered by test_mood_stats.py). Every expected value is worked out by hand in the comment
above it. Moments are at UTC+2; the diary's clock says 15 June 2026, 14:00 there.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest

from companion.core.mood.service import CheckIn, DailyPoint, MoodService, TagKind, TrackerKind
from companion.core.mood.stats import (
    DayRecord,
    HeatCell,
    MoodStats,
    PatternBucket,
    RollingPoint,
    SleepPoint,
    calendar_heatmap,
    daily_series,
    rolling_mean,
    sign_counts,
    sleep_series,
    summarise_days,
    time_of_day,
    time_of_day_pattern,
    weekday_pattern,
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


def d(day: int, month: int = 6) -> date:
    return date(2026, month, day)


def at(day: int, hour: int, month: int = 6) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=PLUS2)


def test_a_day_of_several_check_ins_sums_amounts_and_keeps_any_yes(svc: MoodService) -> None:
    grounding = svc.add_tracker("Grounding", TrackerKind.YES_NO)
    pain = svc.add_tracker("Pain", TrackerKind.SCALE)
    values = [(False, 3), (False, 6), (True, 6)]  # (grounding, pain) at 08:00, 13:00, 20:00
    for (grounded, hurt), hour, outdoors, exercise, used in zip(
        values, (8, 13, 20), (20, 15, 5), (10, 5, 0), (False, True, None), strict=True
    ):
        svc.create_entry(
            CheckIn(
                mood=hour // 4,  # 2, 3, 5
                at=at(1, hour),
                sleep_quality=3 if hour == 8 else None,
                outdoors_minutes=outdoors,
                exercise_minutes=exercise,
                substances_used=used,
                tracker_values={grounding.id: grounded, pain.id: hurt},
            )
        )
    (day,) = summarise_days(svc.entries(), svc.trackers())
    # outdoors 20 + 15 + 5 = 40; exercise 10 + 5 + 0 = 15; a "yes" among the answers
    assert (day.n_entries, day.outdoors_minutes, day.exercise_minutes) == (3, 40, 15)
    assert day.substances_used is True
    # yes/no: any yes → 1.0 (not the mean, 1/3); scale: the mean, (3 + 6 + 6) / 3 = 5.0
    assert day.trackers == {grounding.id: 1.0, pain.id: 5.0}
    assert day.mood_mean == pytest.approx(10 / 3)
    # only the sleep quality was given: the night still counts as a sleep point
    assert sleep_series([day]) == [SleepPoint(d(1), None, 3)]


def _record(day: date, ratings: dict[str, tuple[int, ...]]) -> DayRecord:
    return DayRecord(
        day=day,
        n_entries=len(ratings["mood"]),
        ratings=ratings,
        sleep_hours=None,
        sleep_quality=None,
        exercise_minutes=None,
        outdoors_minutes=None,
        alcohol_units=None,
        substances_used=None,
        signs={},
        tag_ids=frozenset(),
        trackers={},
        mood_mean=sum(ratings["mood"]) / len(ratings["mood"]),
    )


def test_a_metric_not_rated_on_a_day_gives_no_point_and_mood_is_the_default() -> None:
    days = [_record(d(1), {"mood": (4, 6)}), _record(d(2), {"mood": (7,), "anxiety": (3,)})]
    assert days[0].mean("anxiety") is None and days[1].mean("anxiety") == 3.0
    assert daily_series(days, "anxiety") == [DailyPoint(d(2), 3.0, 3, 3, 1)]
    # by default the mood: 1 June (4 + 6) / 2 = 5 from 4 to 6; 2 June 7
    assert daily_series(days) == [DailyPoint(d(1), 5.0, 4, 6, 2), DailyPoint(d(2), 7.0, 7, 7, 1)]


def test_the_rolling_mean_restarts_after_an_empty_window_and_takes_a_one_day_window() -> None:
    points = [DailyPoint(d(1, 1), 4.0, 4, 4, 1), DailyPoint(d(20, 1), 8.0, 8, 8, 1)]
    # 1–7 January see only 1 January (4.0); 8–19 have no logged day; 20 January is 8.0 alone
    assert rolling_mean(points) == [
        *(RollingPoint(d(k, 1), 4.0, 1) for k in range(1, 8)),
        RollingPoint(d(20, 1), 8.0, 1),
    ]
    two = [DailyPoint(d(1), 4.0, 4, 4, 1), DailyPoint(d(2), 6.0, 6, 6, 1)]
    # a one-day window is each day on its own; over two days 2 June is (4 + 6) / 2
    assert rolling_mean(two, window=1) == [RollingPoint(d(1), 4.0, 1), RollingPoint(d(2), 6.0, 1)]
    assert rolling_mean(two, window=2)[-1] == RollingPoint(d(2), 5.0, 2)
    with pytest.raises(ValueError, match=r"^the window must be at least one day$"):
        rolling_mean(two, window=0)


def test_an_empty_heatmap_needs_both_ends() -> None:
    assert calendar_heatmap([], d(1), d(3)) == [
        HeatCell(d(1), None, 0),
        HeatCell(d(2), None, 0),
        HeatCell(d(3), None, 0),
    ]
    assert calendar_heatmap([], d(1), None) == []
    assert calendar_heatmap([], None, d(3)) == []


# Sunday 31 May 07:00 mood 4 (no anxiety); Monday 1 June 08:00 mood 5 (no anxiety), 20:00
# mood 7 anxiety 4; Tuesday 2 June 09:00 mood 6 anxiety 2.
def _week(svc: MoodService) -> None:
    svc.create_entry(CheckIn(mood=4, at=at(31, 7, month=5)))
    svc.create_entry(CheckIn(mood=5, at=at(1, 8)))
    svc.create_entry(CheckIn(mood=7, at=at(1, 20), anxiety=4))
    svc.create_entry(CheckIn(mood=6, at=at(2, 9), anxiety=2))


def test_patterns_skip_what_was_not_rated_and_name_every_bucket(svc: MoodService) -> None:
    _week(svc)
    entries = svc.entries()
    assert weekday_pattern(summarise_days(entries), "anxiety") == [
        PatternBucket("monday", "Monday", 4.0, 1, 1),
        PatternBucket("tuesday", "Tuesday", 2.0, 1, 1),
        PatternBucket("wednesday", "Wednesday", None, 0, 0),
        PatternBucket("thursday", "Thursday", None, 0, 0),
        PatternBucket("friday", "Friday", None, 0, 0),
        PatternBucket("saturday", "Saturday", None, 0, 0),
        PatternBucket("sunday", "Sunday", None, 0, 0),
    ]
    assert time_of_day_pattern(entries, "anxiety") == [
        PatternBucket("night", "Night (midnight–6 a.m.)", None, 0, 0),
        PatternBucket("morning", "Morning (6 a.m.–noon)", 2.0, 1, 1),
        PatternBucket("afternoon", "Afternoon (noon–6 p.m.)", None, 0, 0),
        PatternBucket("evening", "Evening (6 p.m.–midnight)", 4.0, 1, 1),
    ]
    with pytest.raises(ValueError, match="not an hour: 24"):
        time_of_day(24)


def test_sign_counts_carry_their_labels(svc: MoodService) -> None:
    svc.create_entry(CheckIn(mood=3, at=at(1, 9), felt_unsafe=True))
    assert [
        (s.key, s.label, s.yes_days, s.answered_days)
        for s in sign_counts(summarise_days(svc.entries()))
    ] == [
        ("felt_numb", "Felt numb or disconnected", 0, 0),
        ("intrusive_memories", "Intrusive memories or flashbacks", 0, 0),
        ("strong_reaction", "A strong reaction to a small trigger", 0, 0),
        ("felt_unsafe", "Felt unsafe or on guard", 1, 1),
    ]


def test_charts_for_a_range_draw_every_metric_and_day(svc: MoodService) -> None:
    _week(svc)
    svc.create_entry(CheckIn(mood=8, at=at(3, 21), sleep_hours=7.0))
    charts = MoodStats(svc).charts(d(1), d(4))
    # 1–4 June: the 31 May check-in is outside; 4 check-ins on 3 days
    assert (charts.start, charts.end, charts.n_entries, charts.n_days) == (d(1), d(4), 4, 3)
    assert charts.heatmap == [
        HeatCell(d(1), 6.0, 2),
        HeatCell(d(2), 6.0, 1),
        HeatCell(d(3), 8.0, 1),
        HeatCell(d(4), None, 0),
    ]
    assert charts.daily["anxiety"] == [
        DailyPoint(d(1), 4.0, 4, 4, 1),
        DailyPoint(d(2), 2.0, 2, 2, 1),
    ]
    assert charts.rolling["anxiety"][-1] == RollingPoint(d(2), 3.0, 2)
    assert [b.mean for b in charts.weekday["anxiety"]][:2] == [4.0, 2.0]
    assert [b.mean for b in charts.time_of_day["anxiety"]] == [None, 2.0, None, 4.0]
    assert charts.sleep == [SleepPoint(d(3), 7.0, None)]
    # a range that starts before the first check-in: the heatmap starts with the range
    wide = MoodStats(svc).charts(d(30, 5), d(2))
    assert [c.day for c in wide.heatmap] == [d(30, 5), d(31, 5), d(1), d(2)]


def test_the_daily_fast_path_defaults_to_mood_and_refuses_other_names(svc: MoodService) -> None:
    _week(svc)
    # 31 May 4; 1 June (5 + 7) / 2 = 6 from 5 to 7; 2 June 6
    assert MoodStats(svc).daily() == [
        DailyPoint(d(31, 5), 4.0, 4, 4, 1),
        DailyPoint(d(1), 6.0, 5, 7, 2),
        DailyPoint(d(2), 6.0, 6, 6, 1),
    ]
    with pytest.raises(ValueError, match="not a metric: sleep"):
        MoodStats(svc).daily("sleep")  # type: ignore[arg-type]


def _sixteen_days(svc: MoodService) -> tuple[str, str]:
    """31 May to 15 June (16 days) at 09:00, mood 3 + (i mod 5) on day i (31 May is 0).

    "Walk" on even days; "Grounding" answered yes when i mod 3 is 0. On 5 June (i = 5, a "no")
    two more check-ins at 12:00 and 18:00 answer no and then yes: that day counts as yes.
    """
    walk = svc.add_tag("Walk in the park", TagKind.ACTIVITY)
    grounding = svc.add_tracker("Grounding", TrackerKind.YES_NO)
    for i in range(16):
        day = date.fromordinal(d(31, 5).toordinal() + i)
        svc.create_entry(
            CheckIn(
                mood=3 + i % 5,
                at=datetime(day.year, day.month, day.day, 9, tzinfo=PLUS2),
                tag_ids=(walk.id,) if i % 2 == 0 else (),
                tracker_values={grounding.id: i % 3 == 0},
            )
        )
    svc.create_entry(CheckIn(mood=4, at=at(5, 12), tracker_values={grounding.id: False}))
    svc.create_entry(CheckIn(mood=5, at=at(5, 18), tracker_values={grounding.id: True}))
    return walk.id, grounding.id


def test_insights_and_the_overview_read_the_range_tags_and_trackers(svc: MoodService) -> None:
    walk, grounding = _sixteen_days(svc)
    # 1–14 June (i = 1…14): Walk on i = 2, 4, …, 14 → 7 days with, 7 without; Grounding yes on
    # i = 3, 6, 9, 12 and on 5 June → 5 days with, 9 without
    expected = {f"tag:{walk}": (7, 7), f"tracker:{grounding}": (5, 9)}
    found = {i.key: (i.n_with, i.n_without) for i in MoodStats(svc).insights(d(1), d(14))}
    assert found == expected
    overview = MoodStats(svc).overview(d(1), d(14))
    assert (overview.charts.n_days, overview.charts.n_entries) == (14, 16)
    assert {i.key: (i.n_with, i.n_without) for i in overview.insights} == expected
    # a range wider than the diary: the heatmap spans the range, 30 May to 16 June
    wide = MoodStats(svc).overview(d(30, 5), d(16)).charts
    assert (wide.start, wide.end, wide.heatmap[0].day, wide.heatmap[-1].day) == (
        d(30, 5),
        d(16),
        d(30, 5),
        d(16),
    )
    assert len(wide.heatmap) == 18


def test_insight_groups_at_their_edges(svc: MoodService) -> None:
    """Only the group sizes are pinned here: the insight statistics are being reworked."""
    coffee = svc.add_tracker("Coffee", TrackerKind.NUMBER, unit="cups", minimum=0, maximum=12)
    rare = svc.add_tag("Swimming", TagKind.ACTIVITY)
    for i in range(14):  # 1–14 June at 09:00
        svc.create_entry(
            CheckIn(
                mood=3 + i % 4,
                at=at(1 + i, 9),
                tag_ids=(rare.id,) if i in (0, 5, 10) else (),
                tracker_values={coffee.id: (1, 2, 3)[i % 3]},
            )
        )
    found = {i.key: (i.n_with, i.n_without) for i in MoodStats(svc).insights()}
    # cups: five days of 1, five of 2, four of 3 → the median is 2; "above" is the four 3s, and
    # the days at the median go with the rest
    assert found[f"tracker:{coffee.id}"] == (4, 10)
    # exactly three days on one side is enough to be shown
    assert found[f"tag:{rare.id}"] == (3, 11)
