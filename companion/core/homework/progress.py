"""Progress on a plan, worked out from what the diary recorded (pure functions).

Rules (the same on Today, in the summary and in the exports):

- **Days are the person's local days** (each logged moment carries its UTC offset). Weeks are
  counted from the plan's first day, not calendar weeks: "three times a week" means between
  sessions. The last week may be shorter; its target is then scaled to its days and rounded
  up (3 a week over 3 days asks for 2).
- **Only what the app records counts** for check-ins, exercises, Learn pages and
  questionnaires; nobody ticks those off by hand. A free-text task is the one thing the app
  cannot see, so it counts the days the person ticked it, and says so (``self_reported``).
- **"N a day"** counts at most N on any one day: six check-ins on Monday do not make up for
  none on Tuesday. **"N a week"** counts everything in the week, and at most N towards it.
- **Exercises** count sessions that were finished; sessions started and stopped early are
  counted separately (stopping is always allowed, and partial practice is useful to know).
- **Questionnaires** are due on the first day and every N weeks after; an occasion is done if
  the questionnaire was completed before the next one falls due.
- **Learn pages** count when marked read, also before the plan started (flagged).
- **So far** never counts today, or the rest of a week still running, as missed: an open week
  asks for what its finished days asked (N a day), or only for what is already done (N a week).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

from companion.core.homework.plan import (
    CheckInTask,
    ExerciseTask,
    FreeTextTask,
    Plan,
    QuestionnaireTask,
    ReadTask,
    Task,
)

__all__ = [
    "Logged",
    "PageStatus",
    "PlanProgress",
    "Practice",
    "Stretch",
    "TakenQuestionnaire",
    "TaskProgress",
    "progress",
]

State = Literal["upcoming", "open", "closed"]


def _local(moment: datetime) -> date:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("logged times must carry their UTC offset")
    return moment.date()


@dataclass(frozen=True, slots=True)
class Practice:
    exercise_id: str
    at: datetime
    completed: bool


@dataclass(frozen=True, slots=True)
class TakenQuestionnaire:
    questionnaire_id: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Logged:
    """What the diary recorded. ``ticks`` maps a free-text task's number (1-based, its place
    in the plan) to the days the person ticked it; nothing else is ever ticked by hand."""

    checkins: Sequence[datetime] = ()
    practice: Sequence[Practice] = ()
    reads: Mapping[str, datetime] = field(default_factory=dict)
    questionnaires: Sequence[TakenQuestionnaire] = ()
    ticks: Mapping[int, Sequence[date]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Stretch:
    """One week of a task (or one questionnaire occasion, or the whole plan for pages)."""

    start: date
    end: date
    target: int
    #: what counts towards the target (at most ``times`` a day for "a day" tasks)
    done: int
    state: State
    #: what the target is so far (see the module docstring); equals ``target`` once closed
    due: int
    #: exercise sessions started but not finished
    started: int = 0

    @property
    def counted(self) -> int:
        return min(self.done, self.target)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True, slots=True)
class PageStatus:
    slug: str
    read_at: datetime | None
    before_plan: bool = False


@dataclass(frozen=True, slots=True)
class TaskProgress:
    number: int
    task: Task
    stretches: tuple[Stretch, ...]
    self_reported: bool = False
    pages: tuple[PageStatus, ...] = ()

    @property
    def done(self) -> int:
        """Counted so far (capped at each stretch's target)."""
        return sum(min(s.counted, s.due) if s.state == "open" else s.counted for s in self._past)

    @property
    def due(self) -> int:
        return sum(s.due for s in self._past)

    @property
    def target(self) -> int:
        """What the whole plan asks for."""
        return sum(s.target for s in self.stretches)

    @property
    def share(self) -> float | None:
        due = self.due
        return self.done / due if due else None

    @property
    def started(self) -> int:
        return sum(s.started for s in self._past)

    @property
    def _past(self) -> list[Stretch]:
        return [s for s in self.stretches if s.state != "upcoming"]


@dataclass(frozen=True, slots=True)
class PlanProgress:
    plan: Plan
    today: date
    tasks: tuple[TaskProgress, ...]

    @property
    def state(self) -> Literal["upcoming", "active", "ended"]:
        if self.today < self.plan.starts:
            return "upcoming"
        return "ended" if self.today > self.plan.ends else "active"

    @property
    def week(self) -> int | None:
        """The plan's week number today (1-based), None outside the plan."""
        if self.state != "active":
            return None
        return (self.today - self.plan.starts).days // 7 + 1


def _state(start: date, end: date, today: date) -> State:
    if today < start:
        return "upcoming"
    return "closed" if today > end else "open"


def _weeks(plan: Plan) -> list[tuple[date, date]]:
    out = []
    start = plan.starts
    while start <= plan.ends:
        end = min(start + timedelta(days=6), plan.ends)
        out.append((start, end))
        start = end + timedelta(days=1)
    return out


def _week_target(times: int, per: str, days: int) -> int:
    if per == "day":
        return times * days
    return -(-times * days // 7)


def _counted_per_day(days: Iterable[date], times: int, start: date, end: date) -> int:
    counts = Counter(d for d in days if start <= d <= end)
    return sum(min(n, times) for n in counts.values())


def _scheduled(
    plan: Plan, days: Sequence[date], times: int, per: str, today: date, started: Sequence[date]
) -> tuple[Stretch, ...]:
    out = []
    for start, end in _weeks(plan):
        state = _state(start, end, today)
        target = _week_target(times, per, (end - start).days + 1)
        if per == "day":
            done = _counted_per_day(days, times, start, end)
        else:
            done = sum(1 for d in days if start <= d <= end)
        if state == "closed":
            due = target
        elif state == "upcoming":
            due = 0
        elif per == "day":
            before_today = (today - start).days
            due = times * before_today + _counted_per_day(days, times, today, today)
        else:
            due = min(done, target)
        out.append(
            Stretch(
                start=start,
                end=end,
                target=target,
                done=done,
                state=state,
                due=due,
                started=sum(1 for d in started if start <= d <= end),
            )
        )
    return tuple(out)


def _occasions(
    plan: Plan, every_weeks: int, days: Sequence[date], today: date
) -> tuple[Stretch, ...]:
    out = []
    start = plan.starts
    step = timedelta(weeks=every_weeks)
    while start <= plan.ends:
        end = min(start + step - timedelta(days=1), plan.ends)
        state = _state(start, end, today)
        done = 1 if any(start <= d <= end for d in days) else 0
        due = 1 if state == "closed" else (done if state == "open" else 0)
        out.append(Stretch(start=start, end=end, target=1, done=done, state=state, due=due))
        start += step
    return tuple(out)


def _pages(task: ReadTask, plan: Plan, reads: Mapping[str, datetime], today: date) -> TaskProgress:
    statuses = []
    for slug in task.pages:
        at = reads.get(slug)
        if at is not None and _local(at) > today:
            at = None
        statuses.append(
            PageStatus(slug, at, before_plan=at is not None and _local(at) < plan.starts)
        )
    done = sum(1 for s in statuses if s.read_at is not None)
    state = _state(plan.starts, plan.ends, today)
    target = len(task.pages)
    due = target if state == "closed" else (done if state == "open" else 0)
    stretch = Stretch(plan.starts, plan.ends, target=target, done=done, state=state, due=due)
    return TaskProgress(number=0, task=task, stretches=(stretch,), pages=tuple(statuses))


def _task_progress(
    number: int, task: Task, plan: Plan, logged: Logged, today: date
) -> TaskProgress:
    def upto(days: Iterable[date]) -> list[date]:
        return [d for d in days if d <= today]

    if isinstance(task, CheckInTask):
        days = upto(_local(m) for m in logged.checkins)
        stretches = _scheduled(plan, days, task.times, task.per, today, ())
        return TaskProgress(number, task, stretches)
    if isinstance(task, ExerciseTask):
        mine = [p for p in logged.practice if p.exercise_id == task.exercise]
        finished = upto(_local(p.at) for p in mine if p.completed)
        stopped = upto(_local(p.at) for p in mine if not p.completed)
        stretches = _scheduled(plan, finished, task.times, task.per, today, stopped)
        return TaskProgress(number, task, stretches)
    if isinstance(task, ReadTask):
        found = _pages(task, plan, logged.reads, today)
        return TaskProgress(number, task, found.stretches, pages=found.pages)
    if isinstance(task, QuestionnaireTask):
        days = upto(
            _local(q.at) for q in logged.questionnaires if q.questionnaire_id == task.questionnaire
        )
        return TaskProgress(number, task, _occasions(plan, task.every_weeks, days, today))
    assert isinstance(task, FreeTextTask)
    ticked = upto(logged.ticks.get(number, ()))
    if task.times is not None and task.per is not None:
        stretches = _scheduled(plan, ticked, task.times, task.per, today, ())
    else:
        state = _state(plan.starts, plan.ends, today)
        done = 1 if any(plan.starts <= d <= plan.ends for d in ticked) else 0
        due = 1 if state == "closed" else (done if state == "open" else 0)
        stretches = (Stretch(plan.starts, plan.ends, 1, done, state, due),)
    return TaskProgress(number, task, stretches, self_reported=True)


def progress(plan: Plan, logged: Logged, today: date) -> PlanProgress:
    """Each task's progress, week by week, as of ``today`` (the person's local day)."""
    tasks = tuple(
        _task_progress(n, task, plan, logged, today) for n, task in enumerate(plan.tasks, start=1)
    )
    return PlanProgress(plan=plan, today=today, tasks=tasks)
