"""The exercise service: sessions that are never lost, favourites, own exercises, history."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from companion.content.exercise_toml import ExerciseDraft, slugify, to_toml
from companion.content.exercises import get_exercise, parse_exercise
from companion.core.errors import ValidationError
from companion.core.exercises.favourites import GROUND_ME_NOW_DEFAULT
from companion.core.exercises.models import PracticeSession
from companion.core.exercises.service import NotFoundError
from companion.core.exercises.sessions import distress_anchor, offers_help
from companion.storage.database import Database
from tests.core.exercise_helpers import Exercises
from tests.core.mood_helpers import NOW, PLUS2, fresh_db

OWN = """\
id = "my-walk"
title = "My walk"
summary = "Notice five steps."
purpose = "Something my therapist and I wrote."
category = "grounding"
duration_minutes = 2

[[steps]]
text = "Stand up if you like."
seconds = 0

[[steps]]
text = "Take five slow steps and feel each one."
seconds = 30
"""


class SteppingClock:
    """Now, moving on by a chosen amount each time it is asked."""

    def __init__(self, start: datetime = NOW, step: timedelta = timedelta(seconds=10)) -> None:
        self.now = start
        self.step = step

    def __call__(self) -> datetime:
        current = self.now
        self.now += self.step
        return current


@pytest.fixture
def db() -> Database:
    return fresh_db()


@pytest.fixture
def svc(db: Database) -> Exercises:
    return Exercises.over(db, clock=SteppingClock())


def _row(db: Database, session_id: str) -> PracticeSession:
    with db.sessions() as s:
        row = s.get(PracticeSession, session_id)
        assert row is not None
        return row


# -- sessions --------------------------------------------------------------------------------


def test_a_session_is_in_the_database_from_its_first_step(svc: Exercises, db: Database) -> None:
    started = svc.practice.start_session(
        "five-senses", distress_before=7, at=datetime(2026, 6, 15, 3, 5, tzinfo=PLUS2)
    )
    row = _row(db, started.id)
    assert row.completed is False
    assert row.steps_reached == 1
    assert row.steps_total == len(get_exercise("five-senses").steps_for("default"))
    assert row.distress_before == 7
    assert started.utc_offset_minutes == 120
    assert started.local_start.hour == 3
    assert started.ended_at == started.started_at


def test_progress_moves_the_end_on_and_never_back(svc: Exercises) -> None:
    s = svc.practice.start_session("five-senses")
    a = svc.practice.record_progress(s.id, 3)
    b = svc.practice.record_progress(s.id, 2)  # went back a step
    assert a.steps_reached == 3 and b.steps_reached == 3
    assert b.ended_at > a.ended_at > s.ended_at
    assert not b.completed


def test_a_session_cut_short_stays_as_not_completed(db: Database) -> None:
    """Closing the window or locking mid-exercise: whatever was reached is already saved."""
    svc = Exercises.over(db, clock=SteppingClock())
    s = svc.practice.start_session("paced-breathing", breaths_per_minute=5.5)
    svc.practice.record_progress(s.id, 3)
    image = db.serialize()  # what a lock would seal, with no further call
    again = Database(image=image)
    kept = Exercises.over(again).practice.get_session(s.id)
    assert kept.completed is False
    assert kept.steps_reached == 3
    assert kept.duration > timedelta(0)
    assert kept.breaths_per_minute == 5.5


def test_finish_and_stop(svc: Exercises) -> None:
    done = svc.practice.finish_session(svc.practice.start_session("categories").id)
    assert done.completed and done.steps_reached == done.steps_total
    stopped = svc.practice.stop_session(svc.practice.start_session("orienting").id, steps_reached=4)
    assert not stopped.completed and stopped.steps_reached == 4
    # stopping after finishing keeps it completed
    assert svc.practice.stop_session(done.id).completed


def test_ratings_and_note_can_be_set_and_cleared(svc: Exercises) -> None:
    s = svc.practice.start_session("five-senses")
    s = svc.practice.set_ratings(s.id, distress_before=6, distress_after=4, note="  a note  ")
    assert (s.distress_before, s.distress_after, s.change) == (6, 4, -2)
    assert s.note == "  a note  "
    s = svc.practice.set_ratings(s.id, distress_after=None, note="   ")
    assert s.distress_after is None and s.note is None and s.distress_before == 6
    assert "a note" not in repr(svc.practice.set_ratings(s.id, note="a note"))


@pytest.mark.parametrize("bad", [-1, 11, 3.5, True, "7", 10**9])
def test_out_of_range_ratings_are_refused(svc: Exercises, bad: object) -> None:
    s = svc.practice.start_session("five-senses")
    with pytest.raises(ValidationError):
        svc.practice.set_ratings(s.id, distress_after=bad)
    with pytest.raises(ValidationError):
        svc.practice.start_session("five-senses", distress_before=bad)  # type: ignore[arg-type]
    assert svc.practice.get_session(s.id).distress_after is None


def test_bad_session_input_never_reaches_the_database(svc: Exercises) -> None:
    before = svc.practice.count_sessions()
    with pytest.raises(NotFoundError):
        svc.practice.start_session("no-such-exercise")
    with pytest.raises(ValidationError):
        svc.practice.start_session("five-senses", variant="eyes-shut")
    with pytest.raises(ValidationError):
        svc.practice.start_session("five-senses", breaths_per_minute=6)  # no pacer
    with pytest.raises(ValidationError):
        svc.practice.start_session("paced-breathing", breaths_per_minute=30)
    with pytest.raises(ValidationError):
        svc.practice.start_session("paced-breathing", breaths_per_minute=float("nan"))
    s = svc.practice.start_session("five-senses")
    with pytest.raises(ValidationError):
        svc.practice.record_progress(s.id, 0)
    with pytest.raises(ValidationError):
        svc.practice.record_progress(s.id, 99)
    with pytest.raises(ValidationError):
        svc.practice.set_ratings(s.id, note="x" * 20_001)
    with pytest.raises(NotFoundError):
        svc.practice.record_progress("nope", 1)
    assert svc.practice.count_sessions() == before + 1


def test_a_clock_that_jumps_back_never_ends_a_session_before_it_began(db: Database) -> None:
    clock = SteppingClock(step=timedelta(minutes=-5))
    svc = Exercises.over(db, clock=clock)
    s = svc.practice.start_session("five-senses")
    after = svc.practice.record_progress(s.id, 2)
    assert after.ended_at >= after.started_at


def test_delete_and_undo(svc: Exercises) -> None:
    s = svc.practice.set_ratings(
        svc.practice.start_session("five-senses").id, distress_before=5, note="kept"
    )
    snapshot = svc.practice.delete_session(s.id)
    assert svc.practice.count_sessions() == 0
    assert svc.practice.restore_session(snapshot) == snapshot
    with pytest.raises(ValidationError):
        svc.practice.restore_session(snapshot)


def test_last_pace_is_remembered(svc: Exercises) -> None:
    assert svc.practice.last_pace("paced-breathing") is None
    svc.practice.start_session("paced-breathing", breaths_per_minute=5)
    s = svc.practice.start_session("paced-breathing")
    svc.practice.record_progress(s.id, 3, breaths_per_minute=6.5)
    assert svc.practice.last_pace("paced-breathing") == 6.5


# -- favourites ------------------------------------------------------------------------------


def test_ground_me_now_is_five_senses_until_a_favourite_is_chosen(svc: Exercises) -> None:
    assert svc.favourites.ground_me_now_id() == GROUND_ME_NOW_DEFAULT == "five-senses"
    assert svc.favourites.set_favourite("box-breathing", True) == ["box-breathing"]
    assert svc.favourites.set_favourite("categories", True) == ["box-breathing", "categories"]
    assert svc.favourites.set_favourite("categories", True) == ["box-breathing", "categories"]
    assert svc.favourites.ground_me_now_id() == "box-breathing"
    assert svc.favourites.make_first("categories") == ["categories", "box-breathing"]
    assert svc.favourites.make_first("orienting") == ["orienting", "categories", "box-breathing"]
    assert svc.favourites.set_favourite("orienting", False) == ["categories", "box-breathing"]
    with pytest.raises(NotFoundError):
        svc.favourites.set_favourite("nope", True)


# -- the person's own exercises --------------------------------------------------------------


def test_own_exercise_add_start_edit_delete_undo(svc: Exercises) -> None:
    entry = svc.custom.add(OWN)
    assert entry.exercise is not None and entry.exercise.title == "My walk"
    assert svc.library.find("my-walk") == (entry.exercise, True)
    assert [e.id for e in svc.library.library()][-1] == "my-walk"
    s = svc.practice.start_session("my-walk")
    assert s.custom and s.steps_total == 2
    svc.favourites.set_favourite("my-walk", True)
    renamed = svc.custom.update(entry.id, OWN.replace('id = "my-walk"', 'id = "my-stroll"'))
    assert renamed.slug == "my-stroll"
    assert svc.practice.get_session(s.id).exercise_id == "my-stroll"
    assert svc.favourites.favourites() == ["my-stroll"]
    snapshot = svc.custom.delete(entry.id)
    assert svc.favourites.favourites() == [] and svc.library.find("my-stroll") is None
    assert svc.practice.get_session(s.id).exercise_id == "my-stroll"  # history stays
    assert svc.library.title_of("my-stroll") == "An exercise that has been removed"
    svc.custom.restore(snapshot)
    assert svc.favourites.favourites() == ["my-stroll"]


def test_own_exercise_clashes_and_bad_text_are_refused(svc: Exercises) -> None:
    svc.custom.add(OWN)
    with pytest.raises(ValidationError, match="already have"):
        svc.custom.add(OWN)
    with pytest.raises(ValidationError, match="Companion's own"):
        svc.custom.add(OWN.replace("my-walk", "five-senses"))
    for bad in ("", "not = [toml", OWN.replace("[[steps]]", "[[stepz]]"), 42):
        with pytest.raises(ValidationError):
            svc.custom.add(bad)  # type: ignore[arg-type]
    assert len(svc.custom.entries()) == 1


def test_a_draft_from_the_form_becomes_valid_toml(svc: Exercises) -> None:
    draft = ExerciseDraft(
        title='Mein "Übungs" Plan \\ #1',
        steps=[("Line one\nwith a break", 0), ("   ", 5), ("Tab\there", 30)],
        purpose="For hard evenings.",
        category="soothing",
        cautions=["Stop any time.", " "],
    )
    text = svc.custom.draft_to_toml(draft)
    exercise = parse_exercise(text)
    assert exercise.id == "mein-ubungs-plan-1"
    assert exercise.title == 'Mein "Übungs" Plan \\ #1'
    assert [s.text for s in exercise.steps] == ["Line one\nwith a break", "Tab\there"]
    assert exercise.duration_minutes == 1 and exercise.cautions == ("Stop any time.",)
    svc.custom.add(text)
    second = parse_exercise(svc.custom.draft_to_toml(draft))
    assert second.id == "mein-ubungs-plan-1-2"
    for bad in (
        ExerciseDraft(title=" ", steps=[("a", 0)]),
        ExerciseDraft(title="x", steps=[]),
        ExerciseDraft(title="x", steps=[("a", -1)]),
        ExerciseDraft(title="x", steps=[("a", 0)], category="nonsense"),
        ExerciseDraft(title="x" * 121, steps=[("a", 0)]),
    ):
        with pytest.raises(ValidationError):
            svc.custom.draft_to_toml(bad)


def test_every_bundled_exercise_survives_to_toml() -> None:
    from companion.content.exercises import load_exercises

    for exercise in load_exercises():
        assert parse_exercise(to_toml(exercise)) == exercise


def test_slugify() -> None:
    assert slugify("Café au lait!") == "cafe-au-lait"
    assert slugify("???") == "my-exercise"
    assert len(slugify("a" * 200)) <= 48


# -- history ---------------------------------------------------------------------------------


def _practise(
    svc: Exercises,
    exercise_id: str,
    at: datetime,
    before: int | None,
    after: int | None,
    done: bool = True,
) -> None:
    s = svc.practice.start_session(exercise_id, at=at, distress_before=before)
    if done:
        svc.practice.finish_session(s.id)
    svc.practice.set_ratings(s.id, distress_after=after)


def test_weekly_counts_and_effects(svc: Exercises) -> None:
    zone = timezone(timedelta(hours=-5))
    monday = date(2026, 6, 15)
    # Sunday 23:30 in UTC−5 is already Monday in UTC: it belongs to the earlier local week
    _practise(svc, "five-senses", datetime(2026, 6, 14, 23, 30, tzinfo=zone), 8, 5)
    _practise(svc, "five-senses", datetime(2026, 6, 15, 9, 0, tzinfo=zone), 6, 6)
    _practise(svc, "five-senses", datetime(2026, 6, 16, 9, 0, tzinfo=zone), 5, None, done=False)
    _practise(svc, "categories", datetime(2026, 6, 2, 9, 0, tzinfo=zone), None, 3)
    weeks = svc.practice.weekly_counts(3, today=monday)
    assert [(w.week_start, w.sessions, w.completed) for w in weeks] == [
        (date(2026, 6, 1), 1, 1),
        (date(2026, 6, 8), 1, 1),
        (date(2026, 6, 15), 2, 1),
    ]
    effects = {e.exercise_id: e for e in svc.practice.effects()}
    five = effects["five-senses"]
    assert (five.sessions, five.rated, five.mean_change) == (3, 2, -1.5)
    assert (five.mean_before, five.mean_after) == (7.0, 5.5)
    assert effects["categories"].rated == 0 and effects["categories"].mean_change is None
    with pytest.raises(ValidationError):
        svc.practice.weekly_counts(0)


def test_effects_over_everything_match_the_session_by_session_figures(svc: Exercises) -> None:
    """The whole-history effects are summed in SQL; a period is summed session by session:
    over a period holding every session, both give the same figures."""
    import random

    chooser = random.Random(11)
    ids = ["five-senses", "categories", "box-breathing"]
    start = datetime(2026, 1, 5, 9, 0, tzinfo=PLUS2)
    for k in range(60):
        before = chooser.choice([None, *range(11)])
        after = chooser.choice([None, *range(11)])
        _practise(svc, chooser.choice(ids), start + timedelta(days=k), before, after, k % 3 > 0)
    whole = svc.practice.effects()
    period = svc.practice.effects(start=date(2025, 12, 1), end=date(2026, 12, 31))
    assert whole == period
    assert sum(e.sessions for e in whole) == 60 and any(e.rated for e in whole)


def test_suggestion_prefers_the_favourite_then_something_not_tried_lately(
    svc: Exercises,
) -> None:
    exercise, why = svc.favourites.suggestion()
    assert (exercise.id, why) == ("five-senses", "new")
    from companion.content.exercises import load_exercises

    safe = [e for e in load_exercises() if e.default_ok]
    for n, e in enumerate(safe):
        svc.practice.start_session(e.id, at=NOW - timedelta(days=30 - n))
    exercise, why = svc.favourites.suggestion()
    assert (exercise.id, why) == (safe[0].id, "not-lately")
    assert exercise.default_ok and exercise.id not in ("body-scan", "cold-water")
    svc.favourites.set_favourite("box-breathing", True)
    assert svc.favourites.suggestion()[0].id == "box-breathing"


def test_help_is_offered_only_at_very_high_ratings() -> None:
    assert offers_help(9, None) and offers_help(None, 8) and offers_help(2, 10)
    assert not offers_help(8, 7) and not offers_help(None, None)
    assert distress_anchor(0) == "Completely calm"
    assert distress_anchor(10) == "The worst distress imaginable"
    with pytest.raises(ValidationError):
        distress_anchor(11)


def test_sessions_filter_by_local_day(svc: Exercises) -> None:
    late = datetime(2026, 6, 10, 23, 30, tzinfo=timezone(timedelta(hours=-8)))
    svc.practice.start_session("five-senses", at=late)  # 11 June in UTC
    assert len(svc.practice.sessions(start=date(2026, 6, 10), end=date(2026, 6, 10))) == 1
    assert svc.practice.sessions(start=date(2026, 6, 11)) == []
    with pytest.raises(ValidationError):
        svc.practice.sessions(start=date(2026, 6, 2), end=date(2026, 6, 1))
