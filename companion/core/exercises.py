"""Grounding exercises: practice sessions, favourites, the person's own exercises, history.

Everything the exercises page and the player need goes through :class:`ExerciseService`. It
validates input and raises :class:`~companion.core.errors.ValidationError` with one sentence
meant for the person; it returns frozen dataclasses, never ORM objects.

Conventions
-----------
- **Never lose a session.** :meth:`ExerciseService.start_session` writes the session before the
  first step is shown; every step moves :attr:`Session.ended_at` on
  (:meth:`ExerciseService.record_progress`). A session cut short by closing the window,
  locking or a crash therefore stays in the diary as "not completed", with the furthest step
  reached and an honest length. Only :meth:`ExerciseService.finish_session` marks it completed.
- **Distress** is the 0–10 SUDS-style rating of clinical-reference §4.1, optional before and
  after. The history shows the average change with the number of sessions behind it, and
  never calls "no change" a failure.
- **The person's own exercises** are stored as TOML text in the same schema as the bundled
  files and validated with :func:`companion.content.exercises.parse_exercise` before they
  reach the database. Their ids never clash with a bundled id, so a session or a favourite
  names an exercise by id alone.
- **Favourites** are ordered; the first is what "Ground me now" starts (five-senses when
  there is none).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Final

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session as OrmSession

from companion.content import ContentError
from companion.content.exercises import (
    CATEGORIES,
    DEFAULT_VARIANT,
    MAX_FILE_BYTES,
    Exercise,
    Step,
    get_exercise,
    load_exercises,
    parse_exercise,
)
from companion.core.errors import ImportFileError, ValidationError
from companion.core.importers import importer
from companion.core.models.base import new_id, utcnow
from companion.core.models.exercises import CustomExercise, FavouriteExercise, PracticeSession
from companion.core.portable import ImportSummary
from companion.storage.database import Database

#: What "Ground me now" starts when no favourite is set (clinical-reference §4.2 a: low risk).
GROUND_ME_NOW_DEFAULT: Final = "five-senses"
MAX_NOTE_CHARS: Final = 20_000
MAX_OFFSET_MINUTES: Final = 18 * 60
MAX_CUSTOM_EXERCISES: Final = 500
#: Ratings at or above these gently offer the safety plan and helplines (never blocking).
HIGH_DISTRESS_BEFORE: Final = 9
HIGH_DISTRESS_AFTER: Final = 8

#: Anchor words for the 0–10 distress rating (clinical-reference §4.1, in our own words).
DISTRESS_ANCHORS: Final[tuple[str, ...]] = (
    "Completely calm",
    "Calm",
    "Mostly calm",
    "A bit unsettled, but fine",
    "Unsettled",
    "Clearly distressed, but manageable",
    "Quite distressed",
    "Very distressed, hard to think",
    "Very distressed, hard to think",
    "Extremely distressed",
    "The worst distress imaginable",
)


def distress_anchor(value: int) -> str:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise ValidationError("A distress rating is a whole number from 0 to 10.")
    return DISTRESS_ANCHORS[value]


def offers_help(before: int | None, after: int | None) -> bool:
    """True when a rating is high enough to offer the safety plan and helplines."""
    return (before is not None and before >= HIGH_DISTRESS_BEFORE) or (
        after is not None and after >= HIGH_DISTRESS_AFTER
    )


# -- results ---------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Session:
    """A stored practice session (also the snapshot :meth:`restore_session` takes back)."""

    id: str
    exercise_id: str
    custom: bool
    variant: str
    started_at: datetime  # aware, UTC
    utc_offset_minutes: int
    ended_at: datetime  # aware, UTC; the last moment the session was seen
    completed: bool
    steps_reached: int
    steps_total: int
    distress_before: int | None = None
    distress_after: int | None = None
    breaths_per_minute: float | None = None
    note: str | None = field(default=None, repr=False)
    created_at: datetime
    updated_at: datetime

    @property
    def local_start(self) -> datetime:
        return self.started_at.astimezone(timezone(timedelta(minutes=self.utc_offset_minutes)))

    @property
    def local_date(self) -> date:
        return self.local_start.date()

    @property
    def duration(self) -> timedelta:
        return self.ended_at - self.started_at

    @property
    def change(self) -> int | None:
        """After minus before (negative: distress went down); None unless both were rated."""
        if self.distress_before is None or self.distress_after is None:
            return None
        return self.distress_after - self.distress_before


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
class WeekCount:
    """Sessions started in one local week (Monday to Sunday)."""

    week_start: date
    sessions: int
    completed: int


@dataclass(frozen=True)
class Effect:
    """How distress changed around one exercise, with how many sessions it rests on."""

    exercise_id: str
    custom: bool
    sessions: int  # every session of this exercise in the period
    rated: int  # sessions with both a before and an after rating
    mean_before: float | None
    mean_after: float | None
    mean_change: float | None  # after − before; negative = distress went down


@dataclass(frozen=True)
class ExerciseDraft:
    """What the "write your own" form sends: a plain step list, turned into TOML."""

    title: str
    steps: Sequence[tuple[str, int]]
    purpose: str = ""
    category: str = "grounding"
    duration_minutes: int | None = None
    cautions: Sequence[str] = ()


class NotFoundError(ValidationError):
    """The session or exercise asked for is not (or no longer) in the diary."""


# -- validation helpers ----------------------------------------------------------------------


def _rating(label: str, value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise ValidationError(f"The {label} rating must be a whole number from 0 to 10.")
    return value


def _note(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError("The note must be text.")
    if not value.strip():
        return None
    if len(value) > MAX_NOTE_CHARS:
        raise ValidationError(
            f"The note is too long: it has {len(value):,} characters and the limit is "
            f"{MAX_NOTE_CHARS:,}. Please shorten it."
        )
    return value


def _offset(moment: datetime) -> int:
    delta = moment.utcoffset()
    seconds = int(delta.total_seconds()) if delta is not None else 0
    if seconds % 60:
        raise ValidationError("The time zone offset must be a whole number of minutes.")
    minutes = seconds // 60
    if abs(minutes) > MAX_OFFSET_MINUTES:
        raise ValidationError("The time zone offset is outside the range a clock can have.")
    return minutes


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.replace(tzinfo=None).astimezone()  # this computer's zone
    return moment


def _session(row: PracticeSession) -> Session:
    return Session(
        id=row.id,
        exercise_id=row.exercise_id,
        custom=bool(row.custom),
        variant=row.variant,
        started_at=row.started_at,
        utc_offset_minutes=row.utc_offset_minutes,
        ended_at=row.ended_at,
        completed=bool(row.completed),
        steps_reached=row.steps_reached,
        steps_total=row.steps_total,
        distress_before=row.distress_before,
        distress_after=row.distress_after,
        breaths_per_minute=row.breaths_per_minute,
        note=row.note,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _bundled_ids() -> frozenset[str]:
    return frozenset(e.id for e in load_exercises())


def _parse_custom(text: str) -> Exercise:
    """Validate an exercise the person wrote or opened; ValidationError with one sentence."""
    try:
        exercise = parse_exercise(text)
    except ContentError as exc:
        raise ValidationError(str(exc)) from None
    if exercise.id in _bundled_ids():
        raise ValidationError(
            f"The id “{exercise.id}” belongs to one of Companion's own exercises; "
            "please give this exercise a different id."
        )
    return exercise


# -- TOML writing ----------------------------------------------------------------------------

_ESCAPES: Final = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f"}
_ESCAPES["\r"] = "\\r"


def toml_string(value: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = []
    for ch in value:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _toml_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def to_toml(exercise: Exercise) -> str:
    """Write an exercise in the bundled files' schema; ``parse_exercise`` reads it back equal."""
    lines = [
        f"id = {toml_string(exercise.id)}",
        f"title = {toml_string(exercise.title)}",
        f"summary = {toml_string(exercise.summary)}",
        f"purpose = {toml_string(exercise.purpose)}",
        f"category = {toml_string(exercise.category)}",
        f"duration_minutes = {exercise.duration_minutes}",
        f"eyes_open = {'true' if exercise.eyes_open else 'false'}",
        f"default_ok = {'true' if exercise.default_ok else 'false'}",
    ]
    lines.append("cautions = [")
    lines.extend(f"    {toml_string(c)}," for c in exercise.cautions)
    lines.append("]")
    lines.append("sources = [")
    lines.extend(
        f"    {{ text = {toml_string(s.text)}, url = {toml_string(s.url)} }},"
        for s in exercise.sources
    )
    lines.append("]")
    if exercise.variant_labels:
        lines += ["", "[variant_labels]"]
        lines.extend(f"{name} = {toml_string(label)}" for name, label in exercise.variant_labels)
    if exercise.pacer is not None:
        p = exercise.pacer
        lines += [
            "",
            "[pacer]",
            f"inhale = {_toml_number(p.inhale)}",
            f"hold_in = {_toml_number(p.hold_in)}",
            f"exhale = {_toml_number(p.exhale)}",
            f"hold_out = {_toml_number(p.hold_out)}",
            f"adjustable = {'true' if p.adjustable else 'false'}",
            f"min_breaths_per_minute = {_toml_number(p.min_breaths_per_minute)}",
            f"max_breaths_per_minute = {_toml_number(p.max_breaths_per_minute)}",
        ]
    for step in exercise.steps:
        lines += ["", "[[steps]]", f"text = {toml_string(step.text)}", f"seconds = {step.seconds}"]
        if step.pacer:
            lines.append("pacer = true")
        if step.variant is not None:
            lines.append(f"variant = {toml_string(step.variant)}")
    return "\n".join(lines) + "\n"


def slugify(title: str) -> str:
    """A lower-case id made from a title ("Mein Übungs-Plan!" → "mein-ubungs-plan")."""
    decomposed = unicodedata.normalize("NFKD", title)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")
    return slug[:48].strip("-") or "my-exercise"


# -- the service -----------------------------------------------------------------------------


class ExerciseService:
    """Sessions, favourites, custom exercises and history over one unlocked diary.

    ``clock`` returns the current time (aware); tests pass a fixed or stepping one.
    """

    def __init__(self, db: Database, *, clock: Callable[[], datetime] = utcnow) -> None:
        self._db = db
        self._clock = clock

    def _now(self) -> datetime:
        return _aware(self._clock())

    # -- the library -------------------------------------------------------------------------

    def library(self) -> list[Exercise]:
        """Bundled exercises (safe-to-suggest first), then the person's own valid ones."""
        own = [c.exercise for c in self.custom_exercises() if c.exercise is not None]
        return load_exercises() + own

    def find(self, exercise_id: str) -> tuple[Exercise, bool] | None:
        """The exercise with this id and whether it is one of the person's own, or None."""
        if not isinstance(exercise_id, str):
            return None
        try:
            return get_exercise(exercise_id), False
        except KeyError:
            pass
        with self._db.sessions() as session:
            row = session.scalar(select(CustomExercise).where(CustomExercise.slug == exercise_id))
        if row is None:
            return None
        try:
            return parse_exercise(row.toml), True
        except ContentError:
            return None

    def title_of(self, exercise_id: str) -> str:
        found = self.find(exercise_id)
        return found[0].title if found else "An exercise that has been removed"

    # -- sessions ----------------------------------------------------------------------------

    def start_session(
        self,
        exercise_id: str,
        *,
        variant: str = DEFAULT_VARIANT,
        distress_before: int | None = None,
        breaths_per_minute: float | None = None,
        at: datetime | None = None,
    ) -> Session:
        """Save a new session before its first step is shown (so it can never be lost)."""
        found = self.find(exercise_id)
        if found is None:
            raise NotFoundError("That exercise is not in the library any more.")
        exercise, custom = found
        if variant not in exercise.variants:
            raise ValidationError("That version of the exercise does not exist.")
        before = _rating("distress", distress_before)
        pace = self._pace(exercise, breaths_per_minute)
        started = _aware(at) if at is not None else self._now()
        offset = _offset(started)
        total = len(exercise.steps_for(variant))
        now = self._now()
        with self._db.session() as session:
            row = PracticeSession(
                id=new_id(),
                exercise_id=exercise.id,
                custom=custom,
                variant=variant,
                started_at=started,
                utc_offset_minutes=offset,
                ended_at=started,
                completed=False,
                steps_reached=1,
                steps_total=total,
                distress_before=before,
                breaths_per_minute=pace,
                created_at=now,
                updated_at=now,
            )
            session.add(row)
            session.flush()
            return _session(row)

    @staticmethod
    def _pace(exercise: Exercise, value: float | None) -> float | None:
        if value is None:
            return None
        if exercise.pacer is None:
            raise ValidationError("This exercise has no breathing pace to set.")
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise ValidationError("The breathing pace must be a number of breaths a minute.")
        low = min(exercise.pacer.min_breaths_per_minute, exercise.pacer.breaths_per_minute)
        high = max(exercise.pacer.max_breaths_per_minute, exercise.pacer.breaths_per_minute)
        if not low - 1e-6 <= value <= high + 1e-6:
            raise ValidationError(
                f"The breathing pace must be from {low:g} to {high:g} breaths a minute."
            )
        return round(float(value), 2)

    def _row(self, session: OrmSession, session_id: str) -> PracticeSession:
        row = session.get(PracticeSession, session_id)
        if row is None:
            raise NotFoundError("That practice session is not in the diary any more.")
        return row

    def _touch(self, row: PracticeSession) -> None:
        now = self._now()
        row.ended_at = max(now, row.started_at)
        row.updated_at = now

    def record_progress(
        self, session_id: str, steps_reached: int, *, breaths_per_minute: float | None = None
    ) -> Session:
        """The person reached a step: remember the furthest one and move the end time on."""
        with self._db.session() as session:
            row = self._row(session, session_id)
            if isinstance(steps_reached, bool) or not isinstance(steps_reached, int):
                raise ValidationError("The step must be a whole number.")
            if not 1 <= steps_reached <= row.steps_total:
                raise ValidationError(f"The step must be from 1 to {row.steps_total}.")
            row.steps_reached = max(row.steps_reached, steps_reached)
            if breaths_per_minute is not None:
                found = self.find(row.exercise_id)
                if found is not None:
                    row.breaths_per_minute = self._pace(found[0], breaths_per_minute)
            self._touch(row)
            session.flush()
            return _session(row)

    def finish_session(self, session_id: str) -> Session:
        """The person reached the end: completed, every step reached."""
        with self._db.session() as session:
            row = self._row(session, session_id)
            row.completed = True
            row.steps_reached = row.steps_total
            self._touch(row)
            session.flush()
            return _session(row)

    def stop_session(self, session_id: str, steps_reached: int | None = None) -> Session:
        """The person stopped early: kept, not completed (stopping is always fine)."""
        with self._db.session() as session:
            row = self._row(session, session_id)
            if steps_reached is not None:
                if isinstance(steps_reached, bool) or not isinstance(steps_reached, int):
                    raise ValidationError("The step must be a whole number.")
                row.steps_reached = max(row.steps_reached, min(steps_reached, row.steps_total))
            if not row.completed:
                self._touch(row)
            session.flush()
            return _session(row)

    def set_ratings(
        self,
        session_id: str,
        *,
        distress_before: int | object | None = ...,
        distress_after: int | object | None = ...,
        note: str | object | None = ...,
    ) -> Session:
        """Set or clear the ratings and note; arguments left out keep their value."""
        with self._db.session() as session:
            row = self._row(session, session_id)
            if distress_before is not ...:
                row.distress_before = _rating("distress", distress_before)
            if distress_after is not ...:
                row.distress_after = _rating("distress", distress_after)
            if note is not ...:
                row.note = _note(note)
            row.updated_at = self._now()
            session.flush()
            return _session(row)

    def get_session(self, session_id: str) -> Session:
        with self._db.sessions() as session:
            return _session(self._row(session, session_id))

    def sessions(
        self,
        *,
        start: date | None = None,
        end: date | None = None,
        exercise_id: str | None = None,
    ) -> list[Session]:
        """Sessions in time order, filtered by local day (inclusive) and exercise."""
        if start is not None and end is not None and start > end:
            raise ValidationError("The start date is after the end date.")
        query = select(PracticeSession).order_by(PracticeSession.started_at)
        margin = timedelta(minutes=MAX_OFFSET_MINUTES)
        if start is not None:
            lower = datetime(start.year, start.month, start.day, tzinfo=UTC) - margin
            query = query.where(PracticeSession.started_at >= lower)
        if end is not None:
            upper = datetime(end.year, end.month, end.day, tzinfo=UTC) + timedelta(days=1) + margin
            query = query.where(PracticeSession.started_at < upper)
        if exercise_id is not None:
            query = query.where(PracticeSession.exercise_id == exercise_id)
        with self._db.sessions() as session:
            found = [_session(r) for r in session.scalars(query)]
        return [
            s
            for s in found
            if (start is None or s.local_date >= start) and (end is None or s.local_date <= end)
        ]

    def count_sessions(self) -> int:
        with self._db.sessions() as session:
            return int(session.scalar(select(func.count()).select_from(PracticeSession)) or 0)

    def delete_session(self, session_id: str) -> Session:
        """Delete for real; the snapshot lets the UI undo."""
        with self._db.session() as session:
            snapshot = _session(self._row(session, session_id))
            session.execute(delete(PracticeSession).where(PracticeSession.id == session_id))
        return snapshot

    def restore_session(self, snapshot: Session) -> Session:
        with self._db.session() as session:
            if session.get(PracticeSession, snapshot.id) is not None:
                raise ValidationError("That practice session is already in the diary.")
            row = PracticeSession(
                id=snapshot.id,
                exercise_id=snapshot.exercise_id,
                custom=snapshot.custom,
                variant=snapshot.variant,
                started_at=snapshot.started_at,
                utc_offset_minutes=snapshot.utc_offset_minutes,
                ended_at=snapshot.ended_at,
                completed=snapshot.completed,
                steps_reached=snapshot.steps_reached,
                steps_total=snapshot.steps_total,
                distress_before=_rating("distress", snapshot.distress_before),
                distress_after=_rating("distress", snapshot.distress_after),
                breaths_per_minute=snapshot.breaths_per_minute,
                note=_note(snapshot.note),
                created_at=snapshot.created_at,
                updated_at=snapshot.updated_at,
            )
            session.add(row)
            session.flush()
            return _session(row)

    def last_pace(self, exercise_id: str) -> float | None:
        """The pace used last time for this exercise, so the pacer starts where it was left."""
        query = (
            select(PracticeSession.breaths_per_minute)
            .where(
                PracticeSession.exercise_id == exercise_id,
                PracticeSession.breaths_per_minute.is_not(None),
            )
            .order_by(PracticeSession.started_at.desc())
            .limit(1)
        )
        with self._db.sessions() as session:
            value = session.scalar(query)
        return None if value is None else float(value)

    # -- favourites --------------------------------------------------------------------------

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
        return [i for i in ids if self.find(i) is not None]

    def set_favourite(self, exercise_id: str, favourite: bool) -> list[str]:
        """Add (at the end) or remove a favourite; returns the new order."""
        if favourite and self.find(exercise_id) is None:
            raise NotFoundError("That exercise is not in the library any more.")
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

    def make_first_favourite(self, exercise_id: str) -> list[str]:
        """Make an exercise what "Ground me now" starts (adding it as a favourite if needed)."""
        if self.find(exercise_id) is None:
            raise NotFoundError("That exercise is not in the library any more.")
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

    # -- the person's own exercises ----------------------------------------------------------

    def custom_exercises(self) -> list[CustomEntry]:
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

    def add_custom(self, text: str) -> CustomEntry:
        """Validate and store an exercise written in the app or opened from a file."""
        if not isinstance(text, str):
            raise ValidationError("An exercise must be given as text.")
        exercise = _parse_custom(text)
        with self._db.session() as session:
            if session.scalar(select(CustomExercise).where(CustomExercise.slug == exercise.id)):
                raise ValidationError(
                    f"You already have an exercise with the id “{exercise.id}”. Open it to "
                    "change it, or give this one a different id."
                )
            count = session.scalar(select(func.count()).select_from(CustomExercise)) or 0
            if count >= MAX_CUSTOM_EXERCISES:
                raise ValidationError(
                    f"There are already {MAX_CUSTOM_EXERCISES} exercises of your own; "
                    "please remove one first."
                )
            now = self._now()
            row = CustomExercise(slug=exercise.id, toml=text, created_at=now, updated_at=now)
            session.add(row)
            session.flush()
            entry_id = row.id
        return self._custom_entry(entry_id)

    def update_custom(self, entry_id: str, text: str) -> CustomEntry:
        """Replace an exercise's text. If its id changes, its sessions and favourite follow."""
        if not isinstance(text, str):
            raise ValidationError("An exercise must be given as text.")
        exercise = _parse_custom(text)
        with self._db.session() as session:
            row = session.get(CustomExercise, entry_id)
            if row is None:
                raise NotFoundError("That exercise is not in the diary any more.")
            if exercise.id != row.slug:
                clash = session.scalar(
                    select(CustomExercise).where(CustomExercise.slug == exercise.id)
                )
                if clash is not None:
                    raise ValidationError(
                        f"You already have another exercise with the id “{exercise.id}”."
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
        return self._custom_entry(entry_id)

    def custom_by_slug(self, slug: str) -> CustomEntry | None:
        with self._db.sessions() as session:
            entry_id = session.scalar(select(CustomExercise.id).where(CustomExercise.slug == slug))
        return None if entry_id is None else self._custom_entry(entry_id)

    def _custom_entry(self, entry_id: str) -> CustomEntry:
        for entry in self.custom_exercises():
            if entry.id == entry_id:
                return entry
        raise NotFoundError("That exercise is not in the diary any more.")

    def delete_custom(self, entry_id: str) -> CustomEntry:
        """Delete one of the person's exercises (its practice history stays)."""
        entry = self._custom_entry(entry_id)
        with self._db.session() as session:
            session.execute(delete(CustomExercise).where(CustomExercise.id == entry_id))
            session.execute(
                delete(FavouriteExercise).where(FavouriteExercise.exercise_id == entry.slug)
            )
        return entry

    def restore_custom(self, snapshot: CustomEntry) -> CustomEntry:
        """Undo :meth:`delete_custom`: the same row, and its favourite place if it had one."""
        with self._db.session() as session:
            if session.get(CustomExercise, snapshot.id) is not None:
                raise ValidationError("That exercise is already in the diary.")
            if session.scalar(select(CustomExercise).where(CustomExercise.slug == snapshot.slug)):
                raise ValidationError(
                    f"You already have an exercise with the id “{snapshot.slug}”."
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
        return self._custom_entry(snapshot.id)

    def draft_to_toml(self, draft: ExerciseDraft, *, keep_id: str | None = None) -> str:
        """Turn the in-app form into a validated exercise text (ValidationError if it can't be).

        A new exercise gets an id made from its title that clashes with nothing; an edited one
        keeps ``keep_id``.
        """
        title = " ".join(str(draft.title or "").split())
        if not title:
            raise ValidationError("Please give your exercise a name.")
        if len(title) > 120:
            raise ValidationError("Please keep the name to 120 characters.")
        steps = [(str(t).strip(), s) for t, s in draft.steps if str(t).strip()]
        if not steps:
            raise ValidationError("Please write at least one step.")
        if len(steps) > 100:
            raise ValidationError("An exercise can have at most 100 steps.")
        for number, (text, seconds) in enumerate(steps, start=1):
            if len(text) > 500:
                raise ValidationError(f"Step {number} is longer than 500 characters.")
            if (
                isinstance(seconds, bool)
                or not isinstance(seconds, int)
                or not 0 <= seconds <= 3600
            ):
                raise ValidationError(f"Step {number} needs a timing from 0 to 3600 seconds.")
        if draft.category not in CATEGORIES:
            raise ValidationError("Please choose one of the kinds of exercise.")
        purpose = " ".join(str(draft.purpose or "").split()) or "An exercise of your own."
        if len(purpose) > 1000:
            raise ValidationError("Please keep “what it is for” to 1000 characters.")
        summary = purpose if len(purpose) <= 300 else purpose[:297].rstrip() + "…"
        timed = sum(s for _t, s in steps)
        minutes = draft.duration_minutes
        if minutes is None:
            # an untimed step takes about 20 seconds to read and do, at a gentle pace
            untimed = sum(1 for _text, seconds in steps if seconds == 0)
            minutes = max(1, min(120, round((timed + 20 * untimed) / 60)))
        cautions = [" ".join(c.split()) for c in draft.cautions if c.strip()]
        if len(cautions) > 20 or any(len(c) > 500 for c in cautions):
            raise ValidationError("Please keep to 20 cautions of at most 500 characters each.")
        if keep_id is not None:
            slug = keep_id
        else:
            taken = _bundled_ids() | {c.slug for c in self.custom_exercises()}
            base = slugify(title)
            slug, n = base, 2
            while slug in taken:
                slug = f"{base}-{n}"
                n += 1
        try:
            exercise = Exercise(
                id=slug,
                title=title,
                summary=summary,
                purpose=purpose,
                category=draft.category,
                duration_minutes=minutes,
                eyes_open=True,
                default_ok=True,
                cautions=tuple(cautions),
                sources=(),
                steps=tuple(Step(text=t, seconds=s) for t, s in steps),
            )
            text = to_toml(exercise)
            _parse_custom(text)
        except ContentError as exc:  # pragma: no cover - the checks above match the parser
            raise ValidationError(str(exc)) from None
        return text

    # -- history -----------------------------------------------------------------------------

    def weekly_counts(self, weeks: int = 12, *, today: date | None = None) -> list[WeekCount]:
        """Sessions per local week (Monday first) for the last ``weeks`` weeks, oldest first."""
        if isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= 520:
            raise ValidationError("The number of weeks must be from 1 to 520.")
        day = today or self._now().date()
        this_monday = day - timedelta(days=day.weekday())
        first = this_monday - timedelta(weeks=weeks - 1)
        counts: dict[date, list[int]] = {first + timedelta(weeks=k): [0, 0] for k in range(weeks)}
        for s in self.sessions(start=first, end=this_monday + timedelta(days=6)):
            monday = s.local_date - timedelta(days=s.local_date.weekday())
            if monday in counts:
                counts[monday][0] += 1
                counts[monday][1] += int(s.completed)
        return [WeekCount(k, v[0], v[1]) for k, v in sorted(counts.items())]

    def effects(self, *, start: date | None = None, end: date | None = None) -> list[Effect]:
        """Average change in distress per exercise, with n; most-practised first."""
        grouped: dict[tuple[str, bool], list[Session]] = defaultdict(list)
        for s in self.sessions(start=start, end=end):
            grouped[(s.exercise_id, s.custom)].append(s)
        out = []
        for (exercise_id, custom), items in grouped.items():
            rated = [s for s in items if s.change is not None]
            n = len(rated)
            out.append(
                Effect(
                    exercise_id=exercise_id,
                    custom=custom,
                    sessions=len(items),
                    rated=n,
                    mean_before=_mean(s.distress_before for s in rated) if n else None,
                    mean_after=_mean(s.distress_after for s in rated) if n else None,
                    mean_change=_mean(s.change for s in rated) if n else None,
                )
            )
        return sorted(out, key=lambda e: (-e.sessions, e.exercise_id))

    def last_practised(self) -> dict[str, datetime]:
        with self._db.sessions() as session:
            rows = session.execute(
                select(PracticeSession.exercise_id, func.max(PracticeSession.started_at)).group_by(
                    PracticeSession.exercise_id
                )
            ).all()
        out: dict[str, datetime] = {}
        for exercise_id, stored in rows:
            if isinstance(stored, str):
                stored = datetime.fromisoformat(stored)
            out[exercise_id] = stored if stored.tzinfo else stored.replace(tzinfo=UTC)
        return out

    def suggestion(self) -> tuple[Exercise, str]:
        """An exercise for the Today card and why: the first favourite, else one not tried
        lately among those safe to suggest (never a body scan or cold water by default)."""
        favourites = self.favourites()
        if favourites:
            found = self.find(favourites[0])
            if found is not None:
                return found[0], "favourite"
        last = self.last_practised()
        candidates = [e for e in load_exercises() if e.default_ok]
        never = [e for e in candidates if e.id not in last]
        if never:
            return never[0], "new"
        oldest = min(candidates, key=lambda e: last[e.id])
        return oldest, "not-lately"


def _mean(values: Iterable[int | None]) -> float:
    numbers = [v for v in values if v is not None]
    return sum(numbers) / len(numbers)


# -- import from a file ----------------------------------------------------------------------


def _sniff(raw: bytes) -> str | None:
    """A sentence for files that are plainly something else, before TOML parsing."""
    head = raw.lstrip()[:16]
    if head.startswith(b"%PDF"):
        return "This is a PDF document, not an exercise file."
    if head.startswith(b"PK\x03\x04"):
        return "This is a zip archive or office document, not an exercise file."
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "This is a picture, not an exercise file."
    if head.startswith((b"{", b"[{", b"[\n", b"[\r")):
        return "This looks like a JSON file, not an exercise file (TOML)."
    if head.lower().startswith((b"<!doctype", b"<html", b"<?xml")):
        return "This looks like a web page or XML file, not an exercise file (TOML)."
    return None


def read_exercise_file(path: Path) -> str:
    """Read and validate an exercise file; ImportFileError with one sentence if unusable."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImportFileError(
                "This exercise file is larger than 256 KiB, so it was not opened."
            )
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ImportFileError(
            f"The file could not be read ({exc.strerror or 'unknown error'})."
        ) from None
    if len(raw) > MAX_FILE_BYTES:
        raise ImportFileError("This exercise file is larger than 256 KiB, so it was not opened.")
    sniffed = _sniff(raw)
    if sniffed and raw.strip():
        raise ImportFileError(sniffed)
    try:
        parse_exercise(raw)
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except ContentError as exc:
        raise ImportFileError(str(exc)) from None
    return text


@importer("exercise", "An exercise of your own or from your therapist (TOML)")
def import_exercise_file(db: Database, path: Path) -> ImportSummary:
    """All or nothing: a valid file adds one exercise; the same file again changes nothing."""
    text = read_exercise_file(path)
    service = ExerciseService(db)
    try:
        exercise = _parse_custom(text)
    except ValidationError as exc:
        raise ImportFileError(str(exc)) from None
    existing = service.custom_by_slug(exercise.id)
    if existing is not None:
        if existing.text == text:
            return ImportSummary(added={}, skipped_existing={"custom_exercises": 1})
        raise ImportFileError(
            f"You already have a different exercise with the id “{exercise.id}”; change the "
            "id in the file, or remove your own one first."
        )
    try:
        service.add_custom(text)
    except ValidationError as exc:
        raise ImportFileError(str(exc)) from None
    return ImportSummary(added={"custom_exercises": 1})


def save_exercise_file(text: str, path: Path) -> None:
    """Write an exercise text to a file: private (0600), never half-written, no link followed."""
    from companion.storage.files import write_private

    write_private(path, text.encode("utf-8"))
