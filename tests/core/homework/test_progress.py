"""Progress rules: counted from what was logged, week by week, a running week never missed."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest

from companion.core.homework.plan import (
    CheckInTask,
    ExerciseTask,
    FreeTextTask,
    Plan,
    QuestionnaireTask,
    ReadTask,
    Task,
)
from companion.core.homework.progress import (
    Logged,
    Practice,
    TakenQuestionnaire,
    progress,
)

START = date(2026, 12, 7)  # a Monday; weeks count from the plan's first day anyway
PLUS1 = timezone(timedelta(hours=1))
MINUS8 = timezone(timedelta(hours=-8))


def at(day: date, hour: int = 12, tz: timezone = PLUS1) -> datetime:
    return datetime.combine(day, time(hour), tz)


def d(n: int) -> date:
    return START + timedelta(days=n)


def plan(*tasks: Task, days: int = 14) -> Plan:
    return Plan(
        id="0b9f6c1e-5a5e-4d8e-9a55-2f1f0c3b7d21",
        title="t",
        author="a",
        starts=START,
        ends=START + timedelta(days=days - 1),
        tasks=tasks,
    )


def test_twice_a_day_counts_at_most_two_a_day() -> None:
    p = plan(CheckInTask(2, "day"))
    # day 0: five check-ins, day 1: one, day 2: none, days 3-6: two each
    moments = [at(d(0), h) for h in (7, 9, 12, 15, 20)] + [at(d(1))]
    moments += [at(d(n), h) for n in range(3, 7) for h in (8, 20)]
    week = progress(p, Logged(checkins=moments), today=d(10)).tasks[0].stretches[0]
    assert (week.target, week.done, week.state) == (14, 2 + 1 + 0 + 8, "closed")


def test_a_week_in_progress_asks_only_for_its_finished_days() -> None:
    p = plan(CheckInTask(2, "day"))
    moments = [at(d(7), 8), at(d(7), 20), at(d(8), 9), at(d(9), 9)]  # today is day 9
    task = progress(p, Logged(checkins=moments), today=d(9)).tasks[0]
    first, second = task.stretches
    assert first.state == "closed" and first.done == 0 and first.due == 14
    assert second.state == "open"
    # days 7 and 8 are finished (4 asked), today counts only what is already done (1)
    assert second.due == 4 + 1 and second.done == 4
    assert task.done == 4 and task.due == 14 + 5


def test_local_days_come_from_each_moments_own_offset() -> None:
    p = plan(CheckInTask(1, "day"), days=1)
    # 23:30 on the first day in California is already the next day in UTC: still day 0
    late = datetime.combine(d(0), time(23, 30), MINUS8)
    task = progress(p, Logged(checkins=[late]), today=d(1)).tasks[0]
    assert task.stretches[0].done == 1
    with pytest.raises(ValueError, match="offset"):
        progress(p, Logged(checkins=[datetime(2026, 12, 7, 9)]), today=d(1))


def test_three_times_a_week_counts_the_week_and_caps_it() -> None:
    p = plan(ExerciseTask("five-senses", 3, "week"))
    practice = [Practice("five-senses", at(d(n)), True) for n in (0, 1, 2, 3, 4)]
    practice += [Practice("five-senses", at(d(8)), False), Practice("orienting", at(d(9)), True)]
    task = progress(p, Logged(practice=practice), today=d(20)).tasks[0]
    first, second = task.stretches
    assert (first.done, first.counted, first.target) == (5, 3, 3)
    assert (second.done, second.started) == (0, 1)  # stopped early: shown, not counted
    assert task.done == 3 and task.due == 6 and task.started == 1
    assert task.share == 0.5


def test_a_short_last_week_asks_for_its_share_rounded_up() -> None:
    p = plan(ExerciseTask("five-senses", 3, "week"), days=10)
    weeks = progress(p, Logged(), today=d(20)).tasks[0].stretches
    assert [(w.days, w.target) for w in weeks] == [(7, 3), (3, 2)]


def test_a_week_in_progress_is_never_counted_as_missed() -> None:
    p = plan(ExerciseTask("five-senses", 3, "week"))
    task = progress(p, Logged(practice=[Practice("five-senses", at(d(1)), True)]), today=d(2))
    assert task.tasks[0].due == 1 and task.tasks[0].done == 1
    assert task.tasks[0].share == 1.0


def test_questionnaires_are_due_every_n_weeks_and_done_before_the_next() -> None:
    p = plan(QuestionnaireTask("phq9", 2), days=42)
    taken = [
        TakenQuestionnaire("phq9", at(d(3))),
        TakenQuestionnaire("gad7", at(d(15))),
        TakenQuestionnaire("phq9", at(d(30))),
        TakenQuestionnaire("phq9", at(d(31))),
    ]
    task = progress(p, Logged(questionnaires=taken), today=d(33)).tasks[0]
    assert [(s.start, s.end, s.done, s.state) for s in task.stretches] == [
        (d(0), d(13), 1, "closed"),
        (d(14), d(27), 0, "closed"),
        (d(28), d(41), 1, "open"),
    ]
    assert (task.done, task.due) == (2, 3)


def test_pages_count_when_marked_read_even_before_the_plan() -> None:
    p = plan(ReadTask(("what-is-trd", "treatment-options", "care-online")))
    reads = {"what-is-trd": at(d(-5)), "treatment-options": at(d(2)), "care-online": at(d(30))}
    task = progress(p, Logged(reads=reads), today=d(4)).tasks[0]
    assert [(s.slug, s.read_at is not None, s.before_plan) for s in task.pages] == [
        ("what-is-trd", True, True),
        ("treatment-options", True, False),
        ("care-online", False, False),  # a mark "from the future" is not counted
    ]
    assert (task.done, task.target, task.due) == (2, 3, 2)


def test_free_text_tasks_are_the_only_ticked_ones_and_say_so() -> None:
    p = plan(CheckInTask(1, "day"), FreeTextTask("Walk", 3, "week"), FreeTextTask("Call Ana"))
    logged = Logged(ticks={2: [d(0), d(2), d(2), d(9)], 3: [d(5)], 1: [d(0), d(1)]})
    check_in, walk, call = progress(p, logged, today=d(20)).tasks
    assert not check_in.self_reported and check_in.done == 0  # ticks never count for check-ins
    assert walk.self_reported and [s.done for s in walk.stretches] == [3, 1]
    assert call.self_reported and (call.done, call.target) == (1, 1)


def test_nothing_is_due_before_a_plan_starts_and_everything_after_it_ends() -> None:
    p = plan(CheckInTask(1, "day"), QuestionnaireTask("phq9", 2))
    before = progress(p, Logged(), today=d(-1))
    assert before.state == "upcoming" and before.week is None
    assert all(t.due == 0 and t.share is None for t in before.tasks)
    during = progress(p, Logged(), today=d(8))
    assert during.state == "active" and during.week == 2
    after = progress(p, Logged(), today=d(40))
    assert after.state == "ended"
    assert [t.due for t in after.tasks] == [14, 1]


def test_logs_after_today_are_ignored() -> None:
    p = plan(CheckInTask(1, "day"))
    task = progress(p, Logged(checkins=[at(d(1)), at(d(5))]), today=d(2)).tasks[0]
    assert task.stretches[0].done == 1
