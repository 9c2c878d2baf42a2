"""The person's own exercises: written in the app or opened from a file a therapist gave.

They are stored as TOML text in the same schema as the bundled files and validated with
:func:`companion.content.exercises.parse_exercise` before they reach the database (the codec
is :mod:`companion.content.exercise_toml`). Their ids never clash with a bundled id. Deleting
one keeps its practice history; a delete can be undone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Final

from sqlalchemy import delete, func, select

from companion.content import ContentError
from companion.content.exercise_toml import ExerciseDraft, draft_to_toml, read_exercise_file
from companion.content.exercises import Exercise, load_exercises, parse_exercise
from companion.core import timekeeping
from companion.core.errors import ImportFileError, ValidationError
from companion.core.exercises.models import CustomExercise, FavouriteExercise, PracticeSession
from companion.core.exercises.service import NotFoundError
from companion.core.portable import ImportSummary
from companion.i18n import _
from companion.storage.database import Database

MAX_CUSTOM_EXERCISES: Final = 500


@dataclass(frozen=True)
class CustomEntry:
    """One of the person's own exercises. ``exercise`` is None when the stored text no longer
    passes validation (e.g. it came in through a hand-edited JSON import); ``problem`` says why.
    """

    id: str
    slug: str
    text: str = field(repr=False)
    exercise: Exercise | None
    problem: str | None
    created_at: datetime
    updated_at: datetime
    favourite_position: int | None = None


@dataclass(frozen=True)
class ExerciseFile:
    """An exercise file that was read and checked, and what the diary already holds under
    its id (nothing has been added yet)."""

    text: str = field(repr=False)
    exercise: Exercise
    existing: CustomEntry | None

    @property
    def already_there(self) -> bool:
        """The diary holds this very text already: opening it again changes nothing."""
        return self.existing is not None and self.existing.text == self.text


def bundled_ids() -> frozenset[str]:
    return frozenset(e.id for e in load_exercises())


def parse_custom(text: str) -> Exercise:
    """Validate an exercise the person wrote or opened; ValidationError with one sentence."""
    try:
        exercise = parse_exercise(text)
    except ContentError as exc:
        raise ValidationError(str(exc)) from None
    if exercise.id in bundled_ids():
        raise ValidationError(
            _(
                "The id “{id}” belongs to one of Companion's own exercises; please give this "
                "exercise a different id."
            ).format(id=exercise.id)
        )
    return exercise


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValidationError(_("An exercise must be given as text."))
    return value


class CustomExerciseService:
    """The person's own exercises over one unlocked diary."""

    def __init__(self, db: Database, *, clock: Callable[[], datetime] = timekeeping.utcnow) -> None:
        self._db = db
        self._clock = clock

    def _now(self) -> datetime:
        return timekeeping.aware(self._clock())

    # -- reading -----------------------------------------------------------------------------

    def entries(self) -> list[CustomEntry]:
        """Every own exercise, by title (one that needs fixing, by its id)."""
        with self._db.sessions() as session:
            rows = list(session.scalars(select(CustomExercise).order_by(CustomExercise.created_at)))
            favourites = dict(
                session.execute(
                    select(FavouriteExercise.exercise_id, FavouriteExercise.position)
                ).all()
            )
        out = []
        for row in rows:
            try:
                exercise: Exercise | None = parse_exercise(row.toml)
                problem = None
            except ContentError as exc:
                exercise, problem = None, str(exc)
            out.append(
                CustomEntry(
                    id=row.id,
                    slug=row.slug,
                    text=row.toml,
                    exercise=exercise,
                    problem=problem,
                    created_at=row.created_at,
                    updated_at=row.updated_at,
                    favourite_position=favourites.get(row.slug),
                )
            )
        return sorted(out, key=lambda c: c.exercise.title.casefold() if c.exercise else c.slug)

    def entry(self, entry_id: str) -> CustomEntry:
        for entry in self.entries():
            if entry.id == entry_id:
                return entry
        raise NotFoundError(_("That exercise is not in the diary any more."))

    def by_slug(self, slug: str) -> CustomEntry | None:
        with self._db.sessions() as session:
            entry_id = session.scalar(select(CustomExercise.id).where(CustomExercise.slug == slug))
        return None if entry_id is None else self.entry(entry_id)

    def draft_to_toml(self, draft: ExerciseDraft, *, keep_id: str | None = None) -> str:
        """Turn the in-app form into a validated exercise text (ValidationError if it can't be).

        A new exercise gets an id made from its title that clashes with nothing; an edited one
        keeps ``keep_id``.
        """
        taken: frozenset[str] = frozenset()
        if keep_id is None:
            taken = bundled_ids() | {c.slug for c in self.entries()}
        try:
            return draft_to_toml(draft, keep_id=keep_id, taken=taken)
        except ContentError as exc:
            raise ValidationError(str(exc)) from None

    def open_file(self, path: Path) -> ExerciseFile:
        """Read and check an exercise file (ImportFileError with one sentence if it cannot be
        used); nothing is added."""
        try:
            text = read_exercise_file(path)
            exercise = parse_custom(text)
        except (ContentError, ValidationError) as exc:
            raise ImportFileError(str(exc)) from None
        return ExerciseFile(text, exercise, self.by_slug(exercise.id))

    # -- changing ----------------------------------------------------------------------------

    def add(self, text: str) -> CustomEntry:
        """Validate and store an exercise written in the app or opened from a file."""
        exercise = parse_custom(_text(text))
        with self._db.session() as session:
            if session.scalar(select(CustomExercise).where(CustomExercise.slug == exercise.id)):
                raise ValidationError(
                    _(
                        "You already have an exercise with the id “{id}”. Open it to change "
                        "it, or give this one a different id."
                    ).format(id=exercise.id)
                )
            count = session.scalar(select(func.count()).select_from(CustomExercise)) or 0
            if count >= MAX_CUSTOM_EXERCISES:
                raise ValidationError(
                    _(
                        "There are already {count} exercises of your own; please remove one first."
                    ).format(count=MAX_CUSTOM_EXERCISES)
                )
            now = self._now()
            row = CustomExercise(slug=exercise.id, toml=text, created_at=now, updated_at=now)
            session.add(row)
            session.flush()
            entry_id = row.id
        return self.entry(entry_id)

    def update(self, entry_id: str, text: str) -> CustomEntry:
        """Replace an exercise's text. If its id changes, its sessions and favourite follow."""
        exercise = parse_custom(_text(text))
        with self._db.session() as session:
            row = session.get(CustomExercise, entry_id)
            if row is None:
                raise NotFoundError(_("That exercise is not in the diary any more."))
            if exercise.id != row.slug:
                clash = session.scalar(
                    select(CustomExercise).where(CustomExercise.slug == exercise.id)
                )
                if clash is not None:
                    raise ValidationError(
                        _("You already have another exercise with the id “{id}”.").format(
                            id=exercise.id
                        )
                    )
                old = row.slug
                for fav in session.scalars(
                    select(FavouriteExercise).where(FavouriteExercise.exercise_id == old)
                ):
                    fav.exercise_id = exercise.id
                for practice in session.scalars(
                    select(PracticeSession).where(
                        PracticeSession.exercise_id == old, PracticeSession.custom.is_(True)
                    )
                ):
                    practice.exercise_id = exercise.id
                row.slug = exercise.id
            row.toml = text
            row.updated_at = self._now()
        return self.entry(entry_id)

    def delete(self, entry_id: str) -> CustomEntry:
        """Delete one of the person's exercises (its practice history stays)."""
        entry = self.entry(entry_id)
        with self._db.session() as session:
            session.execute(delete(CustomExercise).where(CustomExercise.id == entry_id))
            session.execute(
                delete(FavouriteExercise).where(FavouriteExercise.exercise_id == entry.slug)
            )
        return entry

    def restore(self, snapshot: CustomEntry) -> CustomEntry:
        """Undo :meth:`delete`: the same row, and its favourite place if it had one."""
        with self._db.session() as session:
            if session.get(CustomExercise, snapshot.id) is not None:
                raise ValidationError(_("That exercise is already in the diary."))
            if session.scalar(select(CustomExercise).where(CustomExercise.slug == snapshot.slug)):
                raise ValidationError(
                    _("You already have an exercise with the id “{id}”.").format(id=snapshot.slug)
                )
            session.add(
                CustomExercise(
                    id=snapshot.id,
                    slug=snapshot.slug,
                    toml=snapshot.text,
                    created_at=snapshot.created_at,
                    updated_at=snapshot.updated_at,
                )
            )
            if snapshot.favourite_position is not None:
                session.add(
                    FavouriteExercise(
                        exercise_id=snapshot.slug,
                        position=snapshot.favourite_position,
                        created_at=snapshot.created_at,
                        updated_at=snapshot.updated_at,
                    )
                )
        return self.entry(snapshot.id)


# -- files -----------------------------------------------------------------------------------


def import_exercise_file(db: Database, path: Path) -> ImportSummary:
    """All or nothing: a valid file adds one exercise; the same file again changes nothing."""
    service = CustomExerciseService(db)
    found = service.open_file(path)
    if found.already_there:
        return ImportSummary(added={}, skipped_existing={"custom_exercises": 1})
    if found.existing is not None:
        raise ImportFileError(
            _(
                "You already have a different exercise with the id “{id}”; change the id in "
                "the file, or remove your own one first."
            ).format(id=found.exercise.id)
        )
    try:
        service.add(found.text)
    except ValidationError as exc:
        raise ImportFileError(str(exc)) from None
    return ImportSummary(added={"custom_exercises": 1})


def save_exercise_file(text: str, path: Path) -> None:
    """Write an exercise text to a file: private (0600), never half-written, no link followed."""
    from companion.storage.files import write_private

    write_private(path, text.encode("utf-8"))
