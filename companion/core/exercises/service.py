"""Grounding exercises: what the library holds, bundled and the person's own.

The exercises feature is four services over one diary, each in its own module:

- :class:`ExerciseService` (here): the library, bundled exercises first, then the person's
  own; finding one by id, wherever it comes from;
- :class:`~companion.core.exercises.sessions.PracticeService`: practice sessions, saved before
  the first step and moved on at every step, and what they add up to over time;
- :class:`~companion.core.exercises.favourites.FavouriteService`: the ordered favourites,
  "Ground me now" and the Today card's suggestion;
- :class:`~companion.core.exercises.custom.CustomExerciseService`: the person's own exercises,
  kept as TOML in the bundled files' schema, and exercise files.

Each validates its input and raises :class:`~companion.core.errors.ValidationError` with one
sentence meant for the person; each returns frozen dataclasses, never ORM objects. The
person's own exercises never take a bundled id, so a session or a favourite names an exercise
by its id alone.
"""

from __future__ import annotations

from sqlalchemy import select

from companion.content import ContentError
from companion.content.exercises import Exercise, get_exercise, load_exercises, parse_exercise
from companion.core.errors import ValidationError
from companion.core.exercises.models import CustomExercise
from companion.i18n import _
from companion.storage.database import Database


class NotFoundError(ValidationError):
    """The session or exercise asked for is not (or no longer) in the diary."""


class ExerciseService:
    """The exercise library over one unlocked diary."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def library(self) -> list[Exercise]:
        """Bundled exercises (safe-to-suggest first), then the person's own valid ones."""
        return load_exercises() + self.own_exercises()

    def own_exercises(self) -> list[Exercise]:
        """The person's own exercises that can be used, by title (broken ones left out)."""
        with self._db.sessions() as session:
            texts = list(
                session.scalars(select(CustomExercise.toml).order_by(CustomExercise.created_at))
            )
        own = []
        for text in texts:
            try:
                own.append(parse_exercise(text))
            except ContentError:
                continue
        return sorted(own, key=lambda e: e.title.casefold())

    def find(self, exercise_id: str) -> tuple[Exercise, bool] | None:
        """The exercise with this id and whether it is one of the person's own, or None."""
        if not isinstance(exercise_id, str):
            return None
        try:
            return get_exercise(exercise_id), False
        except KeyError:
            pass
        with self._db.sessions() as session:
            text = session.scalar(
                select(CustomExercise.toml).where(CustomExercise.slug == exercise_id)
            )
        if text is None:
            return None
        try:
            return parse_exercise(text), True
        except ContentError:
            return None

    def get(self, exercise_id: str) -> tuple[Exercise, bool]:
        """Like :meth:`find`, but an exercise that is gone is a :class:`NotFoundError`."""
        found = self.find(exercise_id)
        if found is None:
            raise NotFoundError(_("That exercise is not in the library any more."))
        return found

    def title_of(self, exercise_id: str) -> str:
        found = self.find(exercise_id)
        return found[0].title if found else _("An exercise that has been removed")
