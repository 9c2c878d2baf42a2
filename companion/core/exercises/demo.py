"""Synthetic grounding practice for ``companion demo``: plausible, deterministic, fast.

Practice comes in stretches: a few weeks of regular homework (two to four sessions a week,
often on the same evenings), quieter spells, and short bursts of extra sessions in hard
weeks, sometimes at night. Most sessions are slow breathing or 5-4-3-2-1, some the others;
the body scan is rare and cold water only at very high distress. About one in eight is
stopped early, and a third are not rated. When rated, distress usually comes down by a point
or two (PTSD Coach field data show a mean drop of about 1.4, clinical-reference §4 and
mission-anchors), sometimes not at all, occasionally up. There are two favourites and one
exercise written with a therapist.

The generator draws from its own random source, seeded from the demo period's state without
consuming it, so adding it changes nothing in the other features' demo data.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any, Final, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session as OrmSession

from companion.content.exercise_toml import to_toml
from companion.content.exercises import Exercise, Step, load_exercises
from companion.core import demo, timekeeping
from companion.core.exercises.models import CustomExercise, FavouriteExercise, PracticeSession
from companion.core.models import Base

#: exercise id → how often it is chosen (in ordinary and in hard moments)
WEIGHTS: Final = {
    "paced-breathing": 30,
    "five-senses": 24,
    "box-breathing": 10,
    "categories": 8,
    "orienting": 8,
    "progressive-muscle-relaxation": 8,
    "safe-place": 6,
    "self-soothing-kit": 2,
    "body-scan": 2,
    "evening-wind-down": 9,
}
#: the typical drop in distress after a completed session (PTSD Coach field data: about 1.4)
DROPS: Final = {
    "paced-breathing": 1.6,
    "five-senses": 1.5,
    "box-breathing": 1.2,
    "categories": 1.0,
    "orienting": 1.3,
    "progressive-muscle-relaxation": 1.4,
    "safe-place": 1.1,
    "body-scan": 0.6,
    "cold-water": 2.0,
}
NOTES: Final = (
    "Helped a little.",
    "Hard to concentrate at first.",
    "Did it before bed.",
    "Felt calmer afterwards.",
    "Used the slower pace this time.",
    "Got interrupted.",
    "Better than yesterday.",
    "Noticed my shoulders were tense.",
)

CUSTOM_ID: Final = "evening-wind-down"


def _custom_exercise() -> Exercise:
    """A short exercise of the kind a therapist might write with someone as homework."""
    steps = (
        "Put your phone face down and sit somewhere comfortable.",
        "Name three things that went okay today, however small.",
        "Notice one thing you did to look after yourself today.",
        "Look around and find something in the room that you like the look of.",
        "Breathe out a little longer than you breathe in, five times.",
        "Choose one small, kind thing to do before bed.",
    )
    return Exercise(
        id=CUSTOM_ID,
        title="Evening wind-down",
        summary="A few minutes to close the day, written with my therapist.",
        purpose="A few minutes to close the day, written with my therapist as homework.",
        category="soothing",
        duration_minutes=4,
        eyes_open=True,
        default_ok=True,
        cautions=("Skip any step that doesn't fit tonight.",),
        sources=(),
        steps=tuple(Step(text=t, seconds=0) for t in steps),
    )


def _table(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def _offset_minutes(day: date) -> int:
    """A central-European clock (the same as the mood demo's), crossing DST changes."""
    summer = _last_sunday(day.year, 3) <= day < _last_sunday(day.year, 10)
    return 120 if summer else 60


def _own_rng(period: demo.DemoPeriod) -> random.Random:
    state = period.rng.getstate()[1][:16]
    return random.Random("exercises:" + ",".join(str(n) for n in state))


def _clip(value: float) -> int:
    return max(0, min(10, round(value)))


@dataclass
class _Rhythm:
    """How practice goes at the moment: a stretch of regular homework on some weekdays (or
    not), and how hard things are (rises suddenly, fades slowly)."""

    regular: bool = False
    homework_days: tuple[int, ...] = ()
    hard: float = 0.0

    def next_day(self, rng: random.Random, index: int, days: int) -> None:
        if index % 14 == 0:  # stretches of regular practice come and go
            recent = index >= days - 56  # homework set at the last appointments
            self.regular = rng.random() < (0.9 if recent else 0.5)
            self.homework_days = tuple(sorted(rng.sample(range(7), rng.randint(2, 4))))
        self.hard = 0.8 * self.hard + (rng.random() < 0.05) * rng.uniform(0.5, 1.0)

    def sessions_on(self, rng: random.Random, day: date) -> int:
        strain = min(1.0, self.hard)
        chance = 0.75 if self.regular and day.weekday() in self.homework_days else 0.04
        chance += 0.35 * strain
        if rng.random() >= chance:
            return 0
        return 1 + (rng.random() < 0.12 + 0.3 * strain)


@dataclass(frozen=True)
class _Choices:
    """What the person can practise: names and weights to draw from, and the exercises."""

    names: list[str]
    weights: list[int]
    library: dict[str, Exercise]
    custom: Exercise
    custom_from: datetime  # written with the therapist a little after the start

    def exercise(self, rng: random.Random, before: int, start_utc: datetime) -> str:
        exercise_id = rng.choices(self.names, self.weights)[0]
        if exercise_id == CUSTOM_ID and start_utc < self.custom_from:
            exercise_id = "paced-breathing"
        if before >= 8 and rng.random() < 0.25:
            exercise_id = "cold-water"
        return exercise_id

    def get(self, exercise_id: str) -> Exercise:
        return self.custom if exercise_id == CUSTOM_ID else self.library[exercise_id]


def _pace(rng: random.Random, exercise: Exercise, variant: str) -> float | None:
    pacer = exercise.pacer_for(variant)
    if pacer is None:
        return None
    pace = round(pacer.breaths_per_minute, 2)
    if pacer.adjustable and rng.random() < 0.3:
        chosen = rng.choice((5.0, 5.5, 6.5))
        pace = min(max(chosen, pacer.min_breaths_per_minute), pacer.max_breaths_per_minute)
    return pace


def _session_row(
    rng: random.Random, choices: _Choices, start: datetime, hard: float, night: bool, now: datetime
) -> dict[str, Any]:
    """One practice session that started at ``start`` (aware, the person's clock)."""
    strain = min(1.0, hard)
    start_utc = start.astimezone(UTC)
    before = _clip(rng.gauss(4.8 + 2.2 * strain + (1.5 if night else 0.0), 1.4))
    exercise_id = choices.exercise(rng, before, start_utc)
    exercise = choices.get(exercise_id)
    variant = "default"
    if len(exercise.variants) > 1 and rng.random() < 0.35:
        variant = rng.choice(exercise.variants[1:])
    steps = exercise.steps_for(variant)
    total = len(steps)
    completed = rng.random() > 0.13
    reached = total if completed else rng.randint(1, max(1, total - 1))
    seconds = sum(s.seconds or 25 for s in steps[:reached]) * rng.uniform(0.9, 1.3)
    ended = min(start_utc + timedelta(seconds=round(seconds)), now)
    rated = rng.random() < 0.68
    after: int | None = None
    if rated and (completed or rng.random() < 0.5):
        typical = DROPS.get(exercise_id, 1.3)
        after = _clip(before - rng.gauss(typical if completed else 0.4 * typical, 1.2))
    pace = _pace(rng, exercise, variant) if exercise.pacer is not None else None
    return {
        "id": _uuid(rng),
        "exercise_id": exercise_id,
        "custom": exercise_id == CUSTOM_ID,
        "variant": variant,
        "started_at": start_utc,
        "utc_offset_minutes": timekeeping.offset_minutes(start),
        "ended_at": ended,
        "completed": completed,
        "steps_reached": reached,
        "steps_total": total,
        "distress_before": before if rated else None,
        "distress_after": after,
        "breaths_per_minute": pace,
        "note": rng.choice(NOTES) if rng.random() < 0.08 else None,
        "created_at": start_utc,
        "updated_at": ended,
    }


def _own_exercise_and_favourites(session: OrmSession, custom: Exercise, at: datetime) -> None:
    if CUSTOM_ID not in set(session.scalars(select(CustomExercise.slug))):
        session.add(
            CustomExercise(slug=CUSTOM_ID, toml=to_toml(custom), created_at=at, updated_at=at)
        )
    favourites = set(session.scalars(select(FavouriteExercise.exercise_id)))
    for position, exercise_id in enumerate(("paced-breathing", "five-senses")):
        if exercise_id not in favourites:
            session.add(
                FavouriteExercise(
                    exercise_id=exercise_id, position=position, created_at=at, updated_at=at
                )
            )


def exercise_practice(session: OrmSession, period: demo.DemoPeriod) -> None:
    """Practice sessions, two favourites and one custom exercise over the demo period."""
    rng = _own_rng(period)
    now = datetime.now(UTC)
    first_moment = datetime.combine(period.start, time(10), tzinfo=UTC)
    library = {e.id: e for e in load_exercises()}
    custom = _custom_exercise()
    _own_exercise_and_favourites(session, custom, first_moment)

    names = [n for n in WEIGHTS if n in library or n == CUSTOM_ID]
    choices = _Choices(
        names, [WEIGHTS[n] for n in names], library, custom, first_moment + timedelta(days=14)
    )
    rows: list[dict[str, Any]] = []
    rhythm = _Rhythm()
    for index in range(period.days):
        day = period.start + timedelta(days=index)
        rhythm.next_day(rng, index, period.days)
        count = rhythm.sessions_on(rng, day)
        zone = timezone(timedelta(minutes=_offset_minutes(day)))
        for _n in range(count):
            night = rng.random() < 0.05 + 0.2 * min(1.0, rhythm.hard)
            hour = rng.randint(0, 3) if night else rng.choice((8, 13, 18, 19, 20, 21, 21, 22))
            start = datetime.combine(day, time(hour, rng.randint(0, 59)), tzinfo=zone)
            if start.astimezone(UTC) > now - timedelta(minutes=20):
                continue
            rows.append(_session_row(rng, choices, start, rhythm.hard, night, now))
    if rows:
        session.execute(insert(_table(PracticeSession)), rows)
    session.flush()
