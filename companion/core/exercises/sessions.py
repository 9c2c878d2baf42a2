"""Practice sessions: saved before the first step, never lost, and what they add up to.

- **Never lose a session.** :meth:`PracticeService.start_session` writes the session before
  the first step is shown; every step moves :attr:`Session.ended_at` on
  (:meth:`PracticeService.record_progress`). A session cut short by closing the window,
  locking or a crash therefore stays in the diary as "not completed", with the furthest step
  reached and an honest length. Only :meth:`PracticeService.finish_session` marks it completed.
- **Distress** is the 0–10 SUDS-style rating of clinical-reference §4.1, optional before and
  after. The history shows the average change with the number of sessions behind it, and
  never calls "no change" a failure.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Final

from sqlalchemy import case, delete, func, select
from sqlalchemy.orm import Session as OrmSession

from companion.content.exercises import DEFAULT_VARIANT, Exercise
from companion.core import timekeeping, validation
from companion.core.errors import ValidationError
from companion.core.exercises.models import PracticeSession
from companion.core.exercises.service import ExerciseService, NotFoundError
from companion.core.models.base import new_id
from companion.i18n import N_, _
from companion.storage.database import Database

MAX_NOTE_CHARS: Final = 20_000
#: Ratings at or above these gently offer the safety plan and helplines (never blocking).
HIGH_DISTRESS_BEFORE: Final = 9
HIGH_DISTRESS_AFTER: Final = 8

#: Anchor words for the 0–10 distress rating (clinical-reference §4.1, in our own words);
#: translated where they are shown (:func:`distress_anchor`).
DISTRESS_ANCHORS: Final[tuple[str, ...]] = (
    N_("Completely calm"),
    N_("Calm"),
    N_("Mostly calm"),
    N_("A bit unsettled, but fine"),
    N_("Unsettled"),
    N_("Clearly distressed, but manageable"),
    N_("Quite distressed"),
    N_("Very distressed, hard to think"),
    N_("Very distressed, hard to think"),
    N_("Extremely distressed"),
    N_("The worst distress imaginable"),
)


def distress_anchor(value: int) -> str:
    """The words for a rating, in the current language."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise ValidationError(_("A distress rating is a whole number from 0 to 10."))
    return _(DISTRESS_ANCHORS[value])


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
        return timekeeping.local_time(self.started_at, self.utc_offset_minutes)

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


# -- checks ----------------------------------------------------------------------------------


def _rating(value: object) -> int | None:
    return validation.whole(_("The distress rating"), value, 0, 10)


def _note(value: object) -> str | None:
    return validation.text(_("The note"), value, MAX_NOTE_CHARS, hint=_("Please shorten it."))


def _step_number(value: object, total: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(_("The step must be a whole number."))
    if not 1 <= value <= total:
        raise ValidationError(_("The step must be from 1 to {total}.").format(total=total))
    return value


def _pace(exercise: Exercise, value: float | None) -> float | None:
    if value is None:
        return None
    if exercise.pacer is None:
        raise ValidationError(_("This exercise has no breathing pace to set."))
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValidationError(_("The breathing pace must be a number of breaths a minute."))
    low = min(exercise.pacer.min_breaths_per_minute, exercise.pacer.breaths_per_minute)
    high = max(exercise.pacer.max_breaths_per_minute, exercise.pacer.breaths_per_minute)
    if not low - 1e-6 <= value <= high + 1e-6:
        raise ValidationError(
            _("The breathing pace must be from {low} to {high} breaths a minute.").format(
                low=f"{low:g}", high=f"{high:g}"
            )
        )
    return round(float(value), 2)


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


def _mean(values: Iterable[int | None]) -> float:
    numbers = [v for v in values if v is not None]
    return sum(numbers) / len(numbers)


# -- the service -----------------------------------------------------------------------------


class PracticeService:
    """Practice sessions and their history over one unlocked diary.

    ``clock`` returns the current time (aware); tests and the player pass their own.
    """

    def __init__(self, db: Database, *, clock: Callable[[], datetime] = timekeeping.utcnow) -> None:
        self._db = db
        self._clock = clock
        self._library = ExerciseService(db)

    def with_clock(self, clock: Callable[[], datetime]) -> PracticeService:
        """The same diary, read by another clock (the player's, which tests drive)."""
        return PracticeService(self._db, clock=clock)

    def _now(self) -> datetime:
        return timekeeping.aware(self._clock())

    def _row(self, session: OrmSession, session_id: str) -> PracticeSession:
        row = session.get(PracticeSession, session_id)
        if row is None:
            raise NotFoundError(_("That practice session is not in the diary any more."))
        return row

    def _touch(self, row: PracticeSession) -> None:
        now = self._now()
        row.ended_at = max(now, row.started_at)
        row.updated_at = now

    # -- one session -------------------------------------------------------------------------

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
        exercise, custom = self._library.get(exercise_id)
        if variant not in exercise.variants:
            raise ValidationError(_("That version of the exercise does not exist."))
        before = _rating(distress_before)
        pace = _pace(exercise, breaths_per_minute)
        started = timekeeping.aware(at) if at is not None else self._now()
        offset = timekeeping.offset_minutes(started)
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
                steps_total=len(exercise.steps_for(variant)),
                distress_before=before,
                breaths_per_minute=pace,
                created_at=now,
                updated_at=now,
            )
            session.add(row)
            session.flush()
            return _session(row)

    def record_progress(
        self, session_id: str, steps_reached: int, *, breaths_per_minute: float | None = None
    ) -> Session:
        """The person reached a step: remember the furthest one and move the end time on."""
        with self._db.session() as session:
            row = self._row(session, session_id)
            reached = _step_number(steps_reached, row.steps_total)
            row.steps_reached = max(row.steps_reached, reached)
            if breaths_per_minute is not None:
                found = self._library.find(row.exercise_id)
                if found is not None:
                    row.breaths_per_minute = _pace(found[0], breaths_per_minute)
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
                    raise ValidationError(_("The step must be a whole number."))
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
                row.distress_before = _rating(distress_before)
            if distress_after is not ...:
                row.distress_after = _rating(distress_after)
            if note is not ...:
                row.note = _note(note)
            row.updated_at = self._now()
            session.flush()
            return _session(row)

    def get_session(self, session_id: str) -> Session:
        with self._db.sessions() as session:
            return _session(self._row(session, session_id))

    def delete_session(self, session_id: str) -> Session:
        """Delete for real; the snapshot lets the UI undo."""
        with self._db.session() as session:
            snapshot = _session(self._row(session, session_id))
            session.execute(delete(PracticeSession).where(PracticeSession.id == session_id))
        return snapshot

    def restore_session(self, snapshot: Session) -> Session:
        with self._db.session() as session:
            if session.get(PracticeSession, snapshot.id) is not None:
                raise ValidationError(_("That practice session is already in the diary."))
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
                distress_before=_rating(snapshot.distress_before),
                distress_after=_rating(snapshot.distress_after),
                breaths_per_minute=snapshot.breaths_per_minute,
                note=_note(snapshot.note),
                created_at=snapshot.created_at,
                updated_at=snapshot.updated_at,
            )
            session.add(row)
            session.flush()
            return _session(row)

    # -- many sessions -----------------------------------------------------------------------

    def sessions(
        self,
        *,
        start: date | None = None,
        end: date | None = None,
        exercise_id: str | None = None,
    ) -> list[Session]:
        """Sessions in time order, filtered by local day (inclusive) and exercise."""
        if start is not None and end is not None and start > end:
            raise ValidationError(_("The start date is after the end date."))
        query = select(PracticeSession).order_by(PracticeSession.started_at)
        margin = timedelta(minutes=timekeeping.MAX_OFFSET_MINUTES)
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

    def last_practised(self) -> dict[str, datetime]:
        """When each exercise was last started (UTC)."""
        with self._db.sessions() as session:
            rows = session.execute(
                select(PracticeSession.exercise_id, func.max(PracticeSession.started_at)).group_by(
                    PracticeSession.exercise_id
                )
            ).all()
        return {exercise_id: timekeeping.parse_utc(stored) for exercise_id, stored in rows}

    # -- history -----------------------------------------------------------------------------

    def weekly_counts(self, weeks: int = 12, *, today: date | None = None) -> list[WeekCount]:
        """Sessions per local week (Monday first) for the last ``weeks`` weeks, oldest first."""
        if isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= 520:
            raise ValidationError(_("The number of weeks must be from 1 to 520."))
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
        if start is None and end is None:
            return self._all_effects()
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

    def _all_effects(self) -> list[Effect]:
        """:meth:`effects` over every session, summed in SQL (one row per exercise, not one
        object per session: ten years of practice in a few milliseconds). The ratings are
        whole numbers, so the sums are exact and the means the same as :meth:`effects`'s."""
        s = PracticeSession
        both = s.distress_before.is_not(None) & s.distress_after.is_not(None)
        before = case((both, s.distress_before))
        after = case((both, s.distress_after))
        query = select(
            s.exercise_id,
            s.custom,
            func.count(),
            func.count(before),
            func.sum(before),
            func.sum(after),
        ).group_by(s.exercise_id, s.custom)
        with self._db.sessions() as session:
            rows = session.execute(query).all()
        out = [
            Effect(
                exercise_id=exercise_id,
                custom=bool(custom),
                sessions=int(count),
                rated=int(n),
                mean_before=int(sum_before) / n if n else None,
                mean_after=int(sum_after) / n if n else None,
                mean_change=(int(sum_after) - int(sum_before)) / n if n else None,
            )
            for exercise_id, custom, count, n, sum_before, sum_after in rows
        ]
        return sorted(out, key=lambda e: (-e.sessions, e.exercise_id))
