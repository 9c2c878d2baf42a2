"""Homework plans in the diary: accept, decline, end, put away, tick; progress read from what
the diary logged; the plan import format."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

from companion import features
from companion.content.exercise_toml import to_toml
from companion.content.exercises import get_exercise
from companion.core.checkups.models import CheckupResponse
from companion.core.errors import ImportFileError, ValidationError
from companion.core.exercises.models import CustomExercise, PracticeSession
from companion.core.homework.demo import demo_plan
from companion.core.homework.models import HomeworkPlan, HomeworkTick
from companion.core.homework.plan import (
    EmbeddedExercise,
    ExerciseTask,
    PlanFileError,
    new_plan_id,
    plan_to_toml,
)
from companion.core.homework.progress import Logged, progress
from companion.core.homework.service import HomeworkService
from companion.core.learn.models import ArticleRead
from companion.core.learn.service import read_id
from companion.core.models import Base
from companion.core.mood.models import MoodEntry
from companion.storage import migrations
from companion.storage.database import Database

START = date(2026, 11, 16)  # a Monday
ZONE = timezone(timedelta(hours=1))


def at(day: date, hour: int = 20, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), ZONE)


@pytest.fixture
def db() -> Iterator[Database]:
    features.load_tables()
    database = Database()
    migrations.upgrade(database.engine, Base.metadata)
    yield database
    database.close()


def service(db: Database, today: date) -> HomeworkService:
    return HomeworkService(db, clock=lambda: at(today, 21))


def _own_exercise() -> EmbeddedExercise:
    mine = replace(get_exercise("five-senses"), id="walk-and-notice", title="Walk and notice")
    return EmbeddedExercise(text=to_toml(mine), exercise=mine)


def _log(db: Database, day: date, hour: int) -> None:
    moment = at(day, hour)
    with db.session() as s:
        s.add(
            MoodEntry(
                occurred_at=moment.astimezone(UTC), utc_offset_minutes=60, mood=5, created_at=moment
            )
        )


def _practice(db: Database, exercise: str, day: date, completed: bool = True) -> None:
    moment = at(day, 18).astimezone(UTC)
    with db.session() as s:
        s.add(
            PracticeSession(
                exercise_id=exercise,
                started_at=moment,
                utc_offset_minutes=60,
                ended_at=moment + timedelta(minutes=5),
                completed=completed,
                steps_total=5,
                steps_reached=5 if completed else 2,
            )
        )


def test_accepting_keeps_the_plan_and_adds_the_exercises_it_carries(db: Database) -> None:
    plan = replace(
        demo_plan(START),
        tasks=(*demo_plan(START).tasks, ExerciseTask("walk-and-notice", 2, "week")),
        exercises=(_own_exercise(),),
    )
    svc = service(db, START)
    opened = svc.open_text(plan_to_toml(plan))
    assert opened.adds == ("Walk and notice",) and opened.keeps == () and opened.known is None
    info = svc.accept(opened)
    assert (info.state, info.title, info.starts, info.ends) == (
        "active",
        plan.title,
        START,
        plan.ends,
    )
    assert info.plan == plan
    with db.connect() as conn:
        assert conn.execute(select(CustomExercise.slug)).scalars().all() == ["walk-and-notice"]
    again = svc.open_text(plan_to_toml(plan))
    assert again.known is not None and again.known.state == "active"
    assert again.adds == () and again.keeps == ("Walk and notice",)
    with pytest.raises(ValidationError, match="already in your diary"):
        svc.accept(again)
    with pytest.raises(ValidationError, match="already in your diary"):
        svc.decline(again)


def test_a_declined_plan_is_kept_and_can_still_be_accepted(db: Database) -> None:
    svc = service(db, START)
    opened = svc.open_text(plan_to_toml(demo_plan(START)))
    declined = svc.decline(opened)
    assert declined.state == "declined" and svc.current() == []
    reopened = svc.open_text(plan_to_toml(demo_plan(START)))
    assert reopened.known is not None and reopened.known.state == "declined"
    accepted = svc.accept(reopened)
    assert accepted.id == declined.id and accepted.state == "active"
    assert [p.id for p in svc.current()] == [accepted.id]


def test_accepting_a_new_plan_puts_finished_ones_away(db: Database) -> None:
    old = service(db, START)
    first = old.accept(old.open_text(plan_to_toml(demo_plan(START))))
    later = START + timedelta(days=40)
    svc = service(db, later)
    assert first.finished(later) and svc.current()[0].id == first.id
    second = replace(demo_plan(later), id=new_plan_id(), title="Next steps")
    svc.accept(svc.open_text(plan_to_toml(second)))
    assert [p.title for p in svc.current()] == ["Next steps"]
    assert svc.get(first.id).state == "archived"


def test_ending_and_putting_away_with_undo(db: Database) -> None:
    day = START + timedelta(days=9)
    svc = service(db, day)
    info = svc.accept(svc.open_text(plan_to_toml(demo_plan(START))))
    with pytest.raises(ValidationError, match="finished or ended"):
        svc.archive(info.id)
    before = svc.end(info.id)
    ended = svc.get(info.id)
    assert (ended.state, ended.ended_on) == ("ended", day)
    assert ended.counted is not None and ended.counted.ends == day  # progress stops today
    found = svc.progress(ended, START + timedelta(days=30))
    assert found is not None and found.state == "ended"
    assert sum(t.target for t in found.tasks[:1]) == 2 * 10  # ten days of twice a day
    assert svc.restore(before).state == "active"
    svc.end(info.id)
    put_away = svc.archive(info.id)
    assert put_away.state == "ended" and svc.get(info.id).state == "archived"
    assert svc.current() == []


def test_ending_a_plan_that_has_not_started_declines_it(db: Database) -> None:
    svc = service(db, START - timedelta(days=3))
    info = svc.accept(svc.open_text(plan_to_toml(demo_plan(START))))
    svc.end(info.id)
    assert svc.get(info.id).state == "declined"


def test_only_free_text_tasks_are_ticked_and_only_on_the_plans_days(db: Database) -> None:
    day = START + timedelta(days=3)
    svc = service(db, day)
    info = svc.accept(svc.open_text(plan_to_toml(demo_plan(START))))
    svc.set_tick(info.id, 5, day, True)
    svc.set_tick(info.id, 5, day, True)  # twice is once
    svc.set_tick(info.id, 5, START, True)
    assert svc.ticks(info.id) == {5: [START, day]}
    svc.set_tick(info.id, 5, START, False)
    assert svc.ticks(info.id) == {5: [day]}
    with pytest.raises(ValidationError, match="counted for you"):
        svc.set_tick(info.id, 1, day, True)
    with pytest.raises(ValidationError, match="up to today"):
        svc.set_tick(info.id, 5, day + timedelta(days=1), True)
    with pytest.raises(ValidationError, match="no such task"):
        svc.set_tick(info.id, 9, day, True)


def test_progress_is_read_from_what_the_diary_logged(db: Database) -> None:
    today = START + timedelta(days=9)
    svc = service(db, today)
    info = svc.accept(svc.open_text(plan_to_toml(demo_plan(START))))
    for n in range(9):
        day = START + timedelta(days=n)
        _log(db, day, 9)
        if n % 2 == 0:
            _log(db, day, 21)
            _log(db, day, 22)  # a third check-in that day does not make up for another
    _log(db, START - timedelta(days=1), 9)  # before the plan: not counted
    _practice(db, "five-senses", START + timedelta(days=1))
    _practice(db, "five-senses", START + timedelta(days=2), completed=False)
    _practice(db, "paced-breathing", START + timedelta(days=3))  # another exercise
    with db.session() as s:
        moment = at(START + timedelta(days=4)).astimezone(UTC)
        s.add(ArticleRead(id=read_id("what-is-trd"), slug="what-is-trd", read_at=moment,
                          utc_offset_minutes=60))  # fmt: skip
        s.add(CheckupResponse(questionnaire_id="phq9", version=1, completed_at=moment,
                              utc_offset_minutes=60))  # fmt: skip
    svc.set_tick(info.id, 5, START + timedelta(days=2), True)
    found = svc.progress(svc.get(info.id))
    assert found is not None
    checkins, practice, pages, phq, walk = found.tasks
    assert [s.done for s in checkins.stretches][:2] == [4 * 2 + 3, 2 * 1 + 1]
    assert [s.done for s in practice.stretches][:2] == [1, 0] and practice.started == 1
    assert pages.done == 1 and phq.done == 1 and walk.done == 1
    # the same numbers as the pure rules over the same records
    logged = svc.logged(info.counted, info.id)  # type: ignore[arg-type]
    assert isinstance(logged, Logged)
    assert progress(info.counted, logged, today) == found  # type: ignore[arg-type]


def test_the_plan_import_format_accepts_and_refuses_bad_files(db: Database, tmp_path: Path) -> None:
    run = features.load().import_formats()["plan"].run
    good = tmp_path / "plan.toml"
    good.write_text(plan_to_toml(demo_plan(START)), encoding="utf-8")
    summary = run(db, good, None)
    assert "Between our sessions" in summary.describe()
    details = getattr(summary, "details", ())
    assert any("Check in twice a day" in line for line in details)
    bad = tmp_path / "bad.toml"
    for content in (b"", b"\x00\x01", b'format = "companion-homework-plan"\nversion = 99\n'):
        bad.write_bytes(content)
        with pytest.raises(PlanFileError) as caught:
            run(db, bad, None)
        assert isinstance(caught.value, ImportFileError) and caught.value.exit_code == 6
    with db.connect() as conn:
        assert conn.execute(select(func.count()).select_from(HomeworkPlan)).scalar() == 1
        assert conn.execute(select(func.count()).select_from(HomeworkTick)).scalar() == 0


def test_a_stored_plan_this_version_cannot_read_still_shows_its_name(db: Database) -> None:
    svc = service(db, START)
    info = svc.accept(svc.open_text(plan_to_toml(demo_plan(START))))
    with db.session() as s:
        row = s.get(HomeworkPlan, info.id)
        assert row is not None
        row.text = row.text.replace('"what-is-trd"', '"a-page-gone-in-an-update"')
    broken = svc.get(info.id)
    assert broken.plan is None and broken.problem and "does not have" in broken.problem
    assert broken.title == "Between our sessions" and svc.progress(broken) is None
