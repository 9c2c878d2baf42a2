"""Writing a plan (the Reports page's "Write a plan", for a therapist's own copy).

:func:`compose` turns what the form holds into a :class:`~companion.core.homework.plan.Plan`,
carrying along any exercise of the author's own that a task uses (a person's copy does not
have it), and checks it with the very reader the person's copy will use: a plan that could
not be opened there is refused here with the same sentence. :func:`save_plan` writes the file
through the private-write helper, never over an existing file unless asked. Nothing here
reads or writes anyone's diary data: a plan holds only what its author typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from companion.content import ContentError
from companion.content.exercises import parse_exercise
from companion.core.errors import ValidationError
from companion.core.homework.plan import (
    CheckInTask,
    EmbeddedExercise,
    ExerciseTask,
    FreeTextTask,
    Per,
    Plan,
    QuestionnaireTask,
    ReadTask,
    Task,
    bundled_catalogue,
    write_plan,
)
from companion.i18n import _

__all__ = ["PlanDraft", "TaskDraft", "compose", "save_plan"]


@dataclass(frozen=True)
class TaskDraft:
    """One task as the form holds it (only the fields of its ``kind`` matter)."""

    kind: str
    times: int | None = None
    per: str | None = None
    exercise: str = ""
    pages: tuple[str, ...] = ()
    questionnaire: str = ""
    every_weeks: int | None = None
    text: str = ""
    note: str = ""


@dataclass(frozen=True)
class PlanDraft:
    title: str
    author: str
    starts: date
    weeks: int
    message: str = ""
    tasks: tuple[TaskDraft, ...] = field(default=())


def _per(value: str | None) -> Per:
    return "week" if value == "week" else "day"


def _task(draft: TaskDraft) -> Task:
    note = draft.note.strip()
    if draft.kind == "check-in":
        return CheckInTask(times=draft.times or 1, per=_per(draft.per), note=note)
    if draft.kind == "exercise":
        if not draft.exercise:
            raise ValidationError(_("Please choose the exercise for the exercise task."))
        return ExerciseTask(draft.exercise, draft.times or 1, _per(draft.per), note=note)
    if draft.kind == "read":
        if not draft.pages:
            raise ValidationError(_("Please tick at least one page for the reading task."))
        return ReadTask(pages=tuple(draft.pages), note=note)
    if draft.kind == "questionnaire":
        if not draft.questionnaire:
            raise ValidationError(_("Please choose the questionnaire."))
        return QuestionnaireTask(draft.questionnaire, draft.every_weeks or 1, note=note)
    if draft.kind == "free-text":
        if draft.times is None:
            return FreeTextTask(text=draft.text.strip(), note=note)
        return FreeTextTask(draft.text.strip(), draft.times, _per(draft.per), note=note)
    raise ValidationError(_("That is not a kind of task a plan can hold."))


def compose(draft: PlanDraft, plan_id: str, own_exercises: Mapping[str, str]) -> Plan:
    """The plan the form describes, checked as a reader would; ``own_exercises`` maps the
    ids of the author's own exercises to their text (any a task uses travel in the plan).
    :class:`ValidationError` with one sentence when it could not be opened."""
    from companion.core.homework.plan import parse_plan, plan_to_toml

    if not 1 <= draft.weeks <= 52:
        raise ValidationError(_("A plan can last from 1 to 52 weeks."))
    tasks = tuple(_task(t) for t in draft.tasks)
    bundled = bundled_catalogue().exercises
    carried: list[EmbeddedExercise] = []
    for task in tasks:
        if isinstance(task, ExerciseTask) and task.exercise not in bundled:
            text = own_exercises.get(task.exercise)
            if text is None:
                raise ValidationError(_("That exercise is not in this copy of Companion any more."))
            try:
                exercise = parse_exercise(text)
            except ContentError as exc:
                raise ValidationError(
                    _("Your exercise cannot go into a plan: {problem}").format(problem=exc)
                ) from None
            if all(e.exercise.id != exercise.id for e in carried):
                carried.append(EmbeddedExercise(text=text, exercise=exercise))
    plan = Plan(
        id=plan_id,
        title=" ".join(draft.title.split()),
        author=" ".join(draft.author.split()),
        starts=draft.starts,
        ends=draft.starts + timedelta(days=7 * draft.weeks - 1),
        tasks=tasks,
        message=draft.message.strip(),
        exercises=tuple(carried),
    )
    return parse_plan(plan_to_toml(plan))  # the person's reader: same checks, same sentences


def save_plan(plan: Plan, path: Path, *, replace: bool = False) -> Path:
    """Write the plan file; :class:`ValidationError` with one sentence when it cannot be."""
    try:
        return write_plan(plan, Path(path), replace_existing=replace)
    except FileExistsError:
        raise ValidationError(
            _("There is already a file called {name}; choose another name.").format(
                name=Path(path).name
            )
        ) from None
    except OSError as exc:
        raise ValidationError(
            _("The plan could not be saved there ({reason}).").format(
                reason=exc.strerror or _("unknown error")
            )
        ) from None
