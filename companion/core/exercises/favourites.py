"""Favourite exercises, in the person's order: the first is what "Ground me now" starts
(5-4-3-2-1 when there is none), and the Today card suggests it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Final, Literal

from sqlalchemy import func, select

from companion.content.exercises import Exercise, load_exercises
from companion.core import timekeeping
from companion.core.exercises.models import FavouriteExercise
from companion.core.exercises.service import ExerciseService
from companion.core.exercises.sessions import PracticeService
from companion.storage.database import Database

#: What "Ground me now" starts when no favourite is set (clinical-reference §4.2 a: low risk).
GROUND_ME_NOW_DEFAULT: Final = "five-senses"

#: why the Today card suggests an exercise
Reason = Literal["favourite", "new", "not-lately"]


class FavouriteService:
    """The favourites of one unlocked diary."""

    def __init__(self, db: Database, *, clock: Callable[[], datetime] = timekeeping.utcnow) -> None:
        self._db = db
        self._clock = clock
        self._library = ExerciseService(db)

    def _now(self) -> datetime:
        return timekeeping.aware(self._clock())

    def favourites(self) -> list[str]:
        """Favourite ids in order, leaving out any whose exercise no longer exists."""
        with self._db.sessions() as session:
            ids = list(
                session.scalars(
                    select(FavouriteExercise.exercise_id).order_by(
                        FavouriteExercise.position, FavouriteExercise.created_at
                    )
                )
            )
        return [i for i in ids if self._library.find(i) is not None]

    def set_favourite(self, exercise_id: str, favourite: bool) -> list[str]:
        """Add (at the end) or remove a favourite; returns the new order."""
        if favourite:
            self._library.get(exercise_id)
        with self._db.session() as session:
            row = session.scalar(
                select(FavouriteExercise).where(FavouriteExercise.exercise_id == exercise_id)
            )
            if favourite and row is None:
                last = session.scalar(select(func.max(FavouriteExercise.position)))
                now = self._now()
                session.add(
                    FavouriteExercise(
                        exercise_id=exercise_id,
                        position=(last if last is not None else -1) + 1,
                        created_at=now,
                        updated_at=now,
                    )
                )
            elif not favourite and row is not None:
                session.delete(row)
        return self.favourites()

    def make_first(self, exercise_id: str) -> list[str]:
        """Make an exercise what "Ground me now" starts (adding it as a favourite if needed)."""
        self._library.get(exercise_id)
        with self._db.session() as session:
            rows = list(
                session.scalars(
                    select(FavouriteExercise).order_by(
                        FavouriteExercise.position, FavouriteExercise.created_at
                    )
                )
            )
            chosen = next((r for r in rows if r.exercise_id == exercise_id), None)
            if chosen is None:
                now = self._now()
                chosen = FavouriteExercise(
                    exercise_id=exercise_id, position=0, created_at=now, updated_at=now
                )
                session.add(chosen)
            ordered = [chosen] + [r for r in rows if r is not chosen]
            for position, row in enumerate(ordered):
                if row.position != position:
                    row.position = position
        return self.favourites()

    def ground_me_now_id(self) -> str:
        """What "Ground me now" starts: the first favourite, or 5-4-3-2-1."""
        favourites = self.favourites()
        return favourites[0] if favourites else GROUND_ME_NOW_DEFAULT

    def suggestion(self) -> tuple[Exercise, Reason]:
        """An exercise for the Today card and why: the first favourite, else one not tried
        lately among those safe to suggest (never a body scan or cold water by default)."""
        favourites = self.favourites()
        if favourites:
            found = self._library.find(favourites[0])
            if found is not None:
                return found[0], "favourite"
        last = PracticeService(self._db).last_practised()
        candidates = [e for e in load_exercises() if e.default_ok]
        never = [e for e in candidates if e.id not in last]
        if never:
            return never[0], "new"
        oldest = min(candidates, key=lambda e: last[e.id])
        return oldest, "not-lately"
