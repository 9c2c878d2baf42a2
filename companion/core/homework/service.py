"""Homework plans in the diary: open a plan file, accept or decline it, tick a free-text task,
end a plan, put a finished one away, and work out progress from what was logged.

Accepting a plan adds the exercises it carries to the person's own exercises (unless they
already have one with that id: theirs is kept), and puts plans that have finished away, so
Today shows what is current. Progress is never stored: it is worked out each time from the
check-ins, exercise sessions, Learn pages and questionnaires the diary holds
(:mod:`companion.core.homework.progress`), plus the days a free-text task was ticked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from companion.content import ContentError
from companion.content.exercises import parse_exercise
from companion.core.errors import ValidationError
from companion.core.homework.models import HomeworkPlan, HomeworkTick
from companion.core.homework.plan import (
    CheckInTask,
    ExerciseTask,
    FreeTextTask,
    Plan,
    PlanFileError,
    QuestionnaireTask,
    ReadTask,
    parse_plan,
    plan_to_toml,
    read_plan_file,
)
from companion.core.homework.progress import (
    Logged,
    PlanProgress,
    Practice,
    TakenQuestionnaire,
    progress,
)
from companion.core.reports.reading import utc_bounds
from companion.core.timekeeping import local_now, local_time, offset_minutes
from companion.i18n import _, format_date
from companion.storage.database import Database

__all__ = ["HomeworkService", "Opened", "PlanInfo"]


@dataclass(frozen=True)
class PlanInfo:
    """A plan in the diary. ``plan`` is None when this version of Companion cannot read it
    any more (``problem`` says why); the copied title, author and dates still show."""

    id: str
    plan_id: str
    title: str
    author: str
    starts: date
    ends: date
    state: str
    decided_at: datetime  # on the person's clock then
    ended_on: date | None
    plan: Plan | None
    problem: str | None = None

    @property
    def counted(self) -> Plan | None:
        """The plan as progress counts it: up to the day it was ended, if ended early."""
        if self.plan is None:
            return None
        if self.ended_on is not None and self.starts <= self.ended_on < self.ends:
            return replace(self.plan, ends=self.ended_on)
        return self.plan

    def finished(self, today: date) -> bool:
        """Past its last day, or ended by the person."""
        return self.state == "ended" or (self.state == "active" and today > self.ends)


@dataclass(frozen=True)
class Opened:
    """A plan file read and checked, before the person decides."""

    plan: Plan
    text: str
    #: the same plan (by its id) already in the diary
    known: PlanInfo | None
    #: titles of the exercises it carries that accepting adds to the person's own
    adds: tuple[str, ...] = ()
    #: titles of the exercises it carries that the person already has (theirs is kept)
    keeps: tuple[str, ...] = ()


def _info(row: HomeworkPlan) -> PlanInfo:
    try:
        plan: Plan | None = parse_plan(row.text)
        problem = None
    except PlanFileError as exc:
        plan, problem = None, str(exc)
    return PlanInfo(
        id=row.id,
        plan_id=row.plan_id,
        title=row.title,
        author=row.author,
        starts=row.starts,
        ends=row.ends,
        state=row.state,
        decided_at=local_time(row.decided_at, row.utc_offset_minutes),
        ended_on=row.ended_on,
        plan=plan,
        problem=problem,
    )


class HomeworkService:
    def __init__(self, db: Database, *, clock: Callable[[], datetime] = local_now) -> None:
        self._db = db
        self._clock = clock

    def now(self) -> datetime:
        return self._clock()

    def today(self) -> date:
        return self._clock().date()

    # -- opening a file ----------------------------------------------------------------------

    def open_file(self, path: Path) -> Opened:
        """Read a plan file; :class:`PlanFileError` (one sentence) when it cannot be used."""
        plan = read_plan_file(Path(path))
        return self._opened(plan)

    def open_text(self, raw: bytes | str) -> Opened:
        return self._opened(parse_plan(raw))

    def _opened(self, plan: Plan) -> Opened:
        text = plan_to_toml(plan)
        with self._db.sessions() as session:
            row = session.scalar(select(HomeworkPlan).where(HomeworkPlan.plan_id == plan.id))
            known = _info(row) if row is not None else None
            own = _own_exercises(session)
        adds = tuple(e.exercise.title for e in plan.exercises if e.exercise.id not in own)
        keeps = tuple(e.exercise.title for e in plan.exercises if e.exercise.id in own)
        return Opened(plan=plan, text=text, known=known, adds=adds, keeps=keeps)

    # -- deciding ----------------------------------------------------------------------------

    def accept(self, opened: Opened) -> PlanInfo:
        """Keep the plan, show it on Today, and add the exercises it carries."""
        from companion.core.exercises.custom import MAX_CUSTOM_EXERCISES
        from companion.core.exercises.models import CustomExercise

        plan = opened.plan
        now = self.now()
        today = now.date()
        with self._db.session() as session:
            row = session.scalar(select(HomeworkPlan).where(HomeworkPlan.plan_id == plan.id))
            if row is not None and row.state != "declined":
                raise ValidationError(
                    _("You accepted this plan on {day}; it is already in your diary.").format(
                        day=format_date(local_time(row.decided_at, row.utc_offset_minutes))
                    )
                )
            own = _own_exercises(session)
            fresh = [e for e in plan.exercises if e.exercise.id not in own]
            if fresh:
                count = session.scalar(select(func.count()).select_from(CustomExercise)) or 0
                if count + len(fresh) > MAX_CUSTOM_EXERCISES:
                    raise ValidationError(
                        _(
                            "This plan brings exercises of its own, but you already have "
                            "{count} exercises of your own; please remove some first."
                        ).format(count=count)
                    )
            for embedded in fresh:
                session.add(
                    CustomExercise(
                        slug=embedded.exercise.id,
                        toml=embedded.text,
                        created_at=now,
                        updated_at=now,
                    )
                )
            for other in session.scalars(
                select(HomeworkPlan).where(HomeworkPlan.state.in_(("active", "ended")))
            ):
                if other.state == "ended" or other.ends < today:
                    other.state = "archived"
            if row is None:
                row = HomeworkPlan(plan_id=plan.id)
                session.add(row)
            row.title = plan.title
            row.author = plan.author
            row.starts = plan.starts
            row.ends = plan.ends
            row.text = opened.text
            row.state = "active"
            row.ended_on = None
            row.decided_at = now
            row.utc_offset_minutes = offset_minutes(now)
            session.flush()
            return _info(row)

    def decline(self, opened: Opened) -> PlanInfo:
        """Say no to a plan: it is kept as declined (nothing else changes)."""
        plan = opened.plan
        now = self.now()
        with self._db.session() as session:
            row = session.scalar(select(HomeworkPlan).where(HomeworkPlan.plan_id == plan.id))
            if row is not None and row.state != "declined":
                raise ValidationError(
                    _("This plan is already in your diary; you can end it on the Reports page.")
                )
            if row is None:
                row = HomeworkPlan(
                    plan_id=plan.id,
                    title=plan.title,
                    author=plan.author,
                    starts=plan.starts,
                    ends=plan.ends,
                    text=opened.text,
                )
                session.add(row)
            row.state = "declined"
            row.decided_at = now
            row.utc_offset_minutes = offset_minutes(now)
            session.flush()
            return _info(row)

    def end(self, row_id: str) -> PlanInfo:
        """End a plan today (its progress counts up to today); a plan that has not started
        yet is declined instead. Returns the plan as it was, for undo."""
        today = self.today()
        with self._db.session() as session:
            row = self._row(session, row_id)
            before = _info(row)
            if row.state != "active":
                raise ValidationError(_("Only a plan you are working on can be ended."))
            if today < row.starts:
                row.state = "declined"
            else:
                row.state = "ended"
                row.ended_on = min(today, row.ends)
        return before

    def archive(self, row_id: str) -> PlanInfo:
        """Put a finished or ended plan away (Today stops showing it). Returns it as it was."""
        today = self.today()
        with self._db.session() as session:
            row = self._row(session, row_id)
            before = _info(row)
            if not before.finished(today):
                raise ValidationError(_("A plan can be put away once it has finished or ended."))
            row.state = "archived"
        return before

    def restore(self, before: PlanInfo) -> PlanInfo:
        """Undo :meth:`end` or :meth:`archive`: the state and end day it had."""
        with self._db.session() as session:
            row = self._row(session, before.id)
            row.state = before.state
            row.ended_on = before.ended_on
            session.flush()
            return _info(row)

    def _row(self, session: Session, row_id: str) -> HomeworkPlan:
        row = session.get(HomeworkPlan, row_id)
        if row is None:
            raise ValidationError(_("That plan is not in the diary any more."))
        return row

    # -- reading -----------------------------------------------------------------------------

    def plans(self, states: Sequence[str] | None = None) -> list[PlanInfo]:
        """Plans, newest first (the ones in ``states`` when given)."""
        with self._db.sessions() as session:
            query = select(HomeworkPlan).order_by(
                HomeworkPlan.starts.desc(), HomeworkPlan.decided_at.desc()
            )
            if states is not None:
                query = query.where(HomeworkPlan.state.in_(tuple(states)))
            return [_info(row) for row in session.scalars(query)]

    def current(self) -> list[PlanInfo]:
        """What Today shows: plans accepted or ended and not put away, soonest first."""
        found = self.plans(("active", "ended"))
        return sorted(found, key=lambda p: (p.starts, p.title))

    def get(self, row_id: str) -> PlanInfo:
        with self._db.sessions() as session:
            return _info(self._row(session, row_id))

    # -- ticks -------------------------------------------------------------------------------

    def set_tick(self, row_id: str, task_number: int, day: date, done: bool) -> None:
        """Tick (or untick) a free-text task on a day of the plan."""
        info = self.get(row_id)
        plan = info.counted
        if plan is None or info.state not in ("active", "ended"):
            raise ValidationError(_("This plan can no longer be ticked off."))
        if not 1 <= task_number <= len(plan.tasks):
            raise ValidationError(_("The plan has no such task."))
        if not isinstance(plan.tasks[task_number - 1], FreeTextTask):
            raise ValidationError(
                _("Only a task the app cannot see is ticked off; the rest is counted for you.")
            )
        if not plan.starts <= day <= min(plan.ends, self.today()):
            raise ValidationError(
                _("A task can be ticked off on the days of the plan, up to today.")
            )
        with self._db.session() as session:
            found = session.scalar(
                select(HomeworkTick).where(
                    HomeworkTick.plan_row_id == row_id,
                    HomeworkTick.task_number == task_number,
                    HomeworkTick.day == day,
                )
            )
            if done and found is None:
                session.add(HomeworkTick(plan_row_id=row_id, task_number=task_number, day=day))
            elif not done and found is not None:
                session.delete(found)

    def ticks(self, row_id: str) -> dict[int, list[date]]:
        with self._db.sessions() as session:
            rows = session.execute(
                select(HomeworkTick.task_number, HomeworkTick.day)
                .where(HomeworkTick.plan_row_id == row_id)
                .order_by(HomeworkTick.day)
            ).all()
        out: dict[int, list[date]] = defaultdict(list)
        for number, day in rows:
            out[number].append(day)
        return dict(out)

    # -- progress ----------------------------------------------------------------------------

    def progress(self, info: PlanInfo, today: date | None = None) -> PlanProgress | None:
        """Each task's progress as of ``today`` (None: the plan cannot be read any more)."""
        plan = info.counted
        if plan is None:
            return None
        return progress(plan, self.logged(plan, info.id), today or self.today())

    def logged(self, plan: Plan, row_id: str | None = None) -> Logged:
        """What the diary recorded that this plan counts."""
        return gather(self._db, plan, self.ticks(row_id) if row_id else {})


def _own_exercises(session: Session) -> set[str]:
    from companion.core.exercises.models import CustomExercise

    own: set[str] = set()
    for slug, text in session.execute(select(CustomExercise.slug, CustomExercise.toml)):
        own.add(slug)
        try:
            own.add(parse_exercise(text).id)
        except ContentError:
            continue
    return own


def gather(db: Database, plan: Plan, ticks: dict[int, list[date]]) -> Logged:
    """Read what the plan counts from the diary's tables, for the plan's days only (Learn
    pages at any time: a page read before the plan is counted, and flagged as such)."""
    from companion.core.checkups.models import CheckupResponse
    from companion.core.exercises.models import PracticeSession
    from companion.core.learn.models import ArticleRead
    from companion.core.mood.models import MoodEntry

    low, high = utc_bounds(plan.starts, plan.ends + timedelta(days=1))
    kinds = {type(t) for t in plan.tasks}
    exercises = {t.exercise for t in plan.tasks if isinstance(t, ExerciseTask)}
    questionnaires = {t.questionnaire for t in plan.tasks if isinstance(t, QuestionnaireTask)}
    pages = {p for t in plan.tasks if isinstance(t, ReadTask) for p in t.pages}
    checkins: list[datetime] = []
    practice: list[Practice] = []
    taken: list[TakenQuestionnaire] = []
    reads: dict[str, datetime] = {}
    with db.connect() as conn:
        if CheckInTask in kinds:
            m = MoodEntry.__table__.c
            for at, offset in conn.execute(
                select(m.occurred_at, m.utc_offset_minutes).where(
                    m.occurred_at >= low, m.occurred_at < high
                )
            ):
                checkins.append(local_time(at, offset))
        if exercises:
            e = PracticeSession.__table__.c
            for exercise_id, at, offset, completed in conn.execute(
                select(e.exercise_id, e.started_at, e.utc_offset_minutes, e.completed).where(
                    e.started_at >= low, e.started_at < high, e.exercise_id.in_(exercises)
                )
            ):
                practice.append(Practice(exercise_id, local_time(at, offset), bool(completed)))
        if questionnaires:
            c = CheckupResponse.__table__.c
            for questionnaire_id, at, offset in conn.execute(
                select(c.questionnaire_id, c.completed_at, c.utc_offset_minutes).where(
                    c.completed_at >= low,
                    c.completed_at < high,
                    c.questionnaire_id.in_(questionnaires),
                )
            ):
                taken.append(TakenQuestionnaire(questionnaire_id, local_time(at, offset)))
        if pages:
            a = ArticleRead.__table__.c
            for slug, at, offset in conn.execute(
                select(a.slug, a.read_at, a.utc_offset_minutes).where(a.slug.in_(pages))
            ):
                reads[slug] = local_time(at, offset)
    return Logged(
        checkins=checkins, practice=practice, reads=reads, questionnaires=taken, ticks=ticks
    )
