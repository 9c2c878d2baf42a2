"""The homework plan file: a versioned TOML file that holds no personal data.

A therapist's copy of Companion writes it; the person's copy reads it, shows what it asks and,
once accepted, shows progress on Today. The file says what to do and who asks it, nothing
about the person. Format (version 1; documented for people in ``docs/homework-plans.md``)::

    format = "companion-homework-plan"
    version = 1
    id = "0b9f…"                      # a random UUID: the same plan opened twice is noticed
    title = "Between our sessions"    # 1-120 characters
    from = "Sam (your therapist)"     # the name the author chose to show, 1-80 characters
    starts = 2026-12-07               # the first and last day, both included (a TOML date)
    ends = 2027-01-03                 # at most 366 days in all
    message = "..."                   # optional, up to 2000 characters

    [[tasks]]                         # 1-20 tasks, each with an optional "note" (500 chars)
    kind = "check-in"                 # check in N times a day (1-10) or a week (1-70)
    times = 2
    per = "day"

    [[tasks]]
    kind = "exercise"                 # practise an exercise N times a day (1-5) or week (1-35)
    exercise = "five-senses"          # a bundled exercise, or one in [[exercises]] below
    times = 3
    per = "week"

    [[tasks]]
    kind = "read"                     # read these Learn pages (1-20)
    pages = ["what-is-trd", "grounding-and-self-soothing"]

    [[tasks]]
    kind = "questionnaire"            # take a questionnaire every N weeks (1-52), never more
    questionnaire = "phq9"            # often than its own recall window allows
    every_weeks = 2

    [[tasks]]
    kind = "free-text"                # anything else, in the author's words (1-500 chars);
    text = "A ten-minute walk after lunch"  # optional times/per; the person ticks it off
    times = 5
    per = "week"

    [[exercises]]                     # up to 10 exercises of the author's own, each the text
    toml = '''                        # of an exercise file (companion.content.exercises)
    id = "my-exercise"
    ...
    '''

Why TOML: every other file a therapist may write or read for Companion (exercises,
questionnaires, the articles' front matter) is TOML, it reads well in a text editor and allows
comments, and the standard library reads it strictly. An author's own exercise is embedded as
the exact text of an exercise file, so it is checked by the same parser and can be saved back
out unchanged.

The reader is strict: anything it cannot use raises :class:`PlanFileError` (exit code 6) with
one sentence: an empty, huge, binary or malformed file, another format, a newer version, an
unknown field or task kind, an impossible schedule, or a page, exercise or questionnaire this
copy of Companion does not have. Nothing else escapes it.
"""

from __future__ import annotations

import functools
import re
import tomllib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal, TypeAlias

from companion.content import ContentError, describe, has_control_chars, is_slug
from companion.content.exercises import Exercise, parse_exercise
from companion.core.errors import ImportFileError
from companion.core.reports.wording import how_often
from companion.i18n import _, ngettext
from companion.storage.atomic import write_new, write_private

__all__ = [
    "FORMAT",
    "MAX_FILE_BYTES",
    "VERSION",
    "Catalogue",
    "CheckInTask",
    "EmbeddedExercise",
    "ExerciseTask",
    "FreeTextTask",
    "Plan",
    "PlanFileError",
    "QuestionnaireInfo",
    "QuestionnaireTask",
    "ReadTask",
    "Task",
    "bundled_catalogue",
    "describe_task",
    "new_plan_id",
    "parse_plan",
    "plan_to_toml",
    "read_plan_file",
    "write_plan",
]

FORMAT = "companion-homework-plan"
VERSION = 1
MAX_FILE_BYTES = 512 * 1024
MAX_DAYS = 366
MAX_TASKS = 20
MAX_PAGES = 20
MAX_EXERCISES = 10
TITLE_CHARS = 120
AUTHOR_CHARS = 80
MESSAGE_CHARS = 2000
NOTE_CHARS = 500
#: (lowest, highest) times per day / per week
CHECK_IN_LIMITS = {"day": 10, "week": 70}
EXERCISE_LIMITS = {"day": 5, "week": 35}
FREE_LIMITS = {"day": 10, "week": 70}
MAX_EVERY_WEEKS = 52
EARLIEST = date(2000, 1, 1)
LATEST = date(2200, 12, 31)

Per = Literal["day", "week"]
_UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class PlanFileError(ImportFileError):
    """A plan file that cannot be used; ``str()`` is one sentence, nothing was changed."""


# -- the plan ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CheckInTask:
    times: int
    per: Per
    note: str = ""
    kind: Literal["check-in"] = "check-in"


@dataclass(frozen=True, slots=True)
class ExerciseTask:
    exercise: str
    times: int
    per: Per
    note: str = ""
    kind: Literal["exercise"] = "exercise"


@dataclass(frozen=True, slots=True)
class ReadTask:
    pages: tuple[str, ...]
    note: str = ""
    kind: Literal["read"] = "read"


@dataclass(frozen=True, slots=True)
class QuestionnaireTask:
    questionnaire: str
    every_weeks: int
    note: str = ""
    kind: Literal["questionnaire"] = "questionnaire"


@dataclass(frozen=True, slots=True)
class FreeTextTask:
    text: str
    times: int | None = None
    per: Per | None = None
    note: str = ""
    kind: Literal["free-text"] = "free-text"


Task: TypeAlias = CheckInTask | ExerciseTask | ReadTask | QuestionnaireTask | FreeTextTask
TASK_KINDS = ("check-in", "exercise", "read", "questionnaire", "free-text")


@dataclass(frozen=True, slots=True)
class EmbeddedExercise:
    """An exercise of the author's own, carried in the plan as the text of an exercise file."""

    text: str
    exercise: Exercise


@dataclass(frozen=True, slots=True)
class Plan:
    id: str
    title: str
    author: str
    starts: date
    ends: date
    tasks: tuple[Task, ...]
    message: str = ""
    exercises: tuple[EmbeddedExercise, ...] = ()

    @property
    def days(self) -> int:
        return (self.ends - self.starts).days + 1

    def exercise_title(self, exercise_id: str, catalogue: Catalogue) -> str:
        for embedded in self.exercises:
            if embedded.exercise.id == exercise_id:
                return embedded.exercise.title
        return catalogue.exercises.get(exercise_id, exercise_id)


def new_plan_id() -> str:
    return str(uuid.uuid4())


# -- what this copy of Companion has ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QuestionnaireInfo:
    name: str
    #: never asked again sooner than this; 0 = asked once, never on a schedule (the ACE)
    min_interval_days: int


@dataclass(frozen=True, slots=True)
class Catalogue:
    """What a plan may point at: bundled exercises, Learn pages and questionnaires, by id,
    with the titles shown to people."""

    exercises: Mapping[str, str] = field(default_factory=dict)
    articles: Mapping[str, str] = field(default_factory=dict)
    questionnaires: Mapping[str, QuestionnaireInfo] = field(default_factory=dict)


@functools.cache
def bundled_catalogue() -> Catalogue:
    from companion.content.articles import load_articles
    from companion.content.exercises import load_exercises
    from companion.content.questionnaires import load_questionnaires

    return Catalogue(
        exercises={e.id: e.title for e in load_exercises()},
        articles={a.slug: a.title for a in load_articles()},
        questionnaires={
            q.id: QuestionnaireInfo(q.name, q.min_interval_days) for q in load_questionnaires()
        },
    )


# -- words ------------------------------------------------------------------------------------


def describe_task(task: Task, plan: Plan, catalogue: Catalogue | None = None) -> str:
    """The task in a short sentence: "Check in twice a day", "PHQ-9 every 2 weeks"."""
    known = catalogue or bundled_catalogue()
    if isinstance(task, CheckInTask):
        return _("Check in {how_often}").format(how_often=how_often(task.times, task.per))
    if isinstance(task, ExerciseTask):
        title = plan.exercise_title(task.exercise, known)
        return _("Practise “{exercise}” {how_often}").format(
            exercise=title, how_often=how_often(task.times, task.per)
        )
    if isinstance(task, ReadTask):
        titles = [_("“{title}”").format(title=known.articles.get(p, p)) for p in task.pages]
        if len(titles) == 1:
            return _("Read {page}").format(page=titles[0])
        return _("Read {pages} and {last}").format(pages=", ".join(titles[:-1]), last=titles[-1])
    if isinstance(task, QuestionnaireTask):
        info = known.questionnaires.get(task.questionnaire)
        name = info.name if info else task.questionnaire
        return ngettext(
            "{questionnaire} every week", "{questionnaire} every {count} weeks", task.every_weeks
        ).format(questionnaire=name, count=task.every_weeks)
    if task.times is not None and task.per is not None:
        return _("{task} ({how_often})").format(
            task=task.text, how_often=how_often(task.times, task.per)
        )
    return task.text


# -- reading ------------------------------------------------------------------------------------

_TOP = {"format", "version", "id", "title", "from", "starts", "ends", "message", "tasks"}
_TOP_OPTIONAL = {"message", "exercises"}
_TASK_KEYS: dict[str, set[str]] = {
    "check-in": {"kind", "times", "per", "note"},
    "exercise": {"kind", "exercise", "times", "per", "note"},
    "read": {"kind", "pages", "note"},
    "questionnaire": {"kind", "questionnaire", "every_weeks", "note"},
    "free-text": {"kind", "text", "times", "per", "note"},
}


def _sniff(raw: bytes) -> str | None:
    head = raw.lstrip()[:16]
    if head.startswith(b"%PDF"):
        return _("This is a PDF document, not a homework plan.")
    if head.startswith(b"PK\x03\x04"):
        return _("This is a zip archive or office document, not a homework plan.")
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return _("This is a picture, not a homework plan.")
    if head.startswith((b"{", b"[{", b"[\n", b"[\r")):
        return _("This looks like a JSON file, not a homework plan (which is TOML).")
    if head.lower().startswith((b"<!doctype", b"<html", b"<?xml")):
        return _("This looks like a web page or XML file, not a homework plan.")
    return None


def _load(raw: bytes | str) -> dict[str, Any]:
    if isinstance(raw, str):
        try:
            raw = raw.encode("utf-8")
        except UnicodeEncodeError:
            raise PlanFileError(
                _("This plan file contains characters that are not text.")
            ) from None
    if len(raw) > MAX_FILE_BYTES:
        raise PlanFileError(_("This plan file is larger than 512 KiB, so it was not opened."))
    if not raw.strip():
        raise PlanFileError(_("This plan file is empty."))
    sniffed = _sniff(raw)
    if sniffed:
        raise PlanFileError(sniffed)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PlanFileError(_("This plan file is saved as UTF-16; please save it as UTF-8 text."))
    if b"\x00" in raw:
        raise PlanFileError(_("This plan file contains binary data, not text."))
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise PlanFileError(_("This plan file is not UTF-8 text.")) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PlanFileError(
            _("This plan file is not valid TOML ({reason}).").format(reason=describe(exc, 120))
        ) from None
    except (RecursionError, MemoryError, ValueError, TypeError):
        raise PlanFileError(_("This plan file is not valid TOML.")) from None
    if not data:
        raise PlanFileError(_("This plan file is empty."))
    return data


def _text(raw: object, what: str, limit: int, *, blank: bool = False) -> str:
    if not isinstance(raw, str):
        raise PlanFileError(_("The plan's {what} must be text.").format(what=what))
    value = raw.strip()
    if not value and not blank:
        raise PlanFileError(_("The plan's {what} is empty.").format(what=what))
    if len(value) > limit:
        raise PlanFileError(
            _("The plan's {what} is longer than {limit} characters.").format(what=what, limit=limit)
        )
    if has_control_chars(value):
        raise PlanFileError(_("The plan's {what} contains control characters.").format(what=what))
    return value


def _whole(raw: object, what: str, low: int, high: int) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise PlanFileError(_("The plan's {what} must be a whole number.").format(what=what))
    if not low <= raw <= high:
        raise PlanFileError(
            _("The plan's {what} must be from {low} to {high}.").format(
                what=what, low=low, high=high
            )
        )
    return raw


def _day(raw: object, what: str) -> date:
    if isinstance(raw, datetime) or not isinstance(raw, date):
        raise PlanFileError(
            _("The plan's {what} must be a day written like 2026-12-07.").format(what=what)
        )
    if not EARLIEST <= raw <= LATEST:
        raise PlanFileError(
            _("The plan's {what} ({day}) is not a believable date.").format(
                what=what, day=raw.isoformat()
            )
        )
    return raw


def _unknown(table: Mapping[str, object], allowed: set[str], where: str) -> None:
    extra = sorted(set(table) - allowed)
    if extra:
        raise PlanFileError(
            _("{where} has a field this copy of Companion does not know (“{field}”).").format(
                where=where, field=describe(extra[0])
            )
        )


def _schedule(
    task: Mapping[str, Any], where: str, limits: Mapping[str, int], what: str
) -> tuple[int, Per]:
    if "times" not in task or "per" not in task:
        raise PlanFileError(_("{where} needs “times” and “per” (day or week).").format(where=where))
    per = task["per"]
    if per not in ("day", "week"):
        raise PlanFileError(_("{where}: “per” must be “day” or “week”.").format(where=where))
    times = task["times"]
    if isinstance(times, bool) or not isinstance(times, int):
        raise PlanFileError(_("{where}: “times” must be a whole number.").format(where=where))
    if times < 1:
        raise PlanFileError(_("{where}: “times” must be at least 1.").format(where=where))
    if times > limits[per]:
        raise PlanFileError(
            _("{where} asks for {what} {how_often}; a plan can ask for at most {most}.").format(
                where=where,
                what=what,
                how_often=how_often(times, per),
                most=how_often(limits[per], per),
            )
        )
    return times, per


def _embedded(raw: object, catalogue: Catalogue) -> tuple[EmbeddedExercise, ...]:
    if not isinstance(raw, list):
        raise PlanFileError(_("The plan's exercises must be a list of [[exercises]] tables."))
    if len(raw) > MAX_EXERCISES:
        raise PlanFileError(
            _("A plan can carry at most {most} exercises of its own.").format(most=MAX_EXERCISES)
        )
    found: list[EmbeddedExercise] = []
    for number, entry in enumerate(raw, start=1):
        where = _("The plan's exercise {number}").format(number=number)
        if not isinstance(entry, dict):
            raise PlanFileError(
                _("{where} must be a table with the exercise's text in “toml”.").format(where=where)
            )
        _unknown(entry, {"toml"}, where)
        text = entry.get("toml")
        if not isinstance(text, str) or not text.strip():
            raise PlanFileError(
                _("{where} must hold the exercise's text in “toml”.").format(where=where)
            )
        try:
            exercise = parse_exercise(text)
        except ContentError as exc:
            raise PlanFileError(
                _("{where} is not a valid exercise: {problem}").format(where=where, problem=exc)
            ) from None
        if exercise.id in catalogue.exercises:
            raise PlanFileError(
                _(
                    "{where} uses the id “{id}”, which belongs to one of Companion's own exercises."
                ).format(where=where, id=exercise.id)
            )
        if any(e.exercise.id == exercise.id for e in found):
            raise PlanFileError(
                _("Two of the plan's exercises have the id “{id}”.").format(id=exercise.id)
            )
        found.append(EmbeddedExercise(text=text, exercise=exercise))
    return tuple(found)


def _task(entry: object, number: int, embedded: set[str], catalogue: Catalogue) -> Task:
    where = _("Task {number}").format(number=number)
    if not isinstance(entry, dict):
        raise PlanFileError(_("{where} must be a [[tasks]] table.").format(where=where))
    kind = entry.get("kind")
    if not isinstance(kind, str) or not kind:
        raise PlanFileError(_("{where} does not say what kind of task it is.").format(where=where))
    if kind not in _TASK_KEYS:
        raise PlanFileError(
            _(
                "{where} is a kind of task this copy of Companion does not know (“{kind}”); the "
                "plan may come from a newer version."
            ).format(where=where, kind=describe(kind))
        )
    _unknown(entry, _TASK_KEYS[kind], where)
    note = _text(
        entry.get("note", ""),
        _("note on task {number}").format(number=number),
        NOTE_CHARS,
        blank=True,
    )
    if kind == "check-in":
        times, per = _schedule(entry, where, CHECK_IN_LIMITS, _("check-ins"))
        return CheckInTask(times=times, per=per, note=note)
    if kind == "exercise":
        exercise = entry.get("exercise")
        if not is_slug(exercise):
            raise PlanFileError(_("{where} must name an exercise by its id.").format(where=where))
        assert isinstance(exercise, str)
        if exercise not in catalogue.exercises and exercise not in embedded:
            raise PlanFileError(
                _(
                    "{where} asks for the exercise “{exercise}”, which neither this copy of "
                    "Companion nor the plan has."
                ).format(where=where, exercise=exercise)
            )
        times, per = _schedule(entry, where, EXERCISE_LIMITS, _("the exercise"))
        return ExerciseTask(exercise=exercise, times=times, per=per, note=note)
    if kind == "read":
        pages = entry.get("pages")
        if not isinstance(pages, list) or not pages:
            raise PlanFileError(_("{where} must list the Learn pages to read.").format(where=where))
        if len(pages) > MAX_PAGES:
            raise PlanFileError(
                _("{where} lists more than {most} pages.").format(where=where, most=MAX_PAGES)
            )
        for page in pages:
            if not is_slug(page):
                raise PlanFileError(
                    _("{where} names a page with a malformed id.").format(where=where)
                )
            if page not in catalogue.articles:
                raise PlanFileError(
                    _(
                        "{where} asks you to read a page this copy of Companion does not have "
                        "(“{page}”); an update may add it."
                    ).format(where=where, page=page)
                )
        if len(set(pages)) != len(pages):
            raise PlanFileError(_("{where} lists the same page twice.").format(where=where))
        return ReadTask(pages=tuple(pages), note=note)
    if kind == "questionnaire":
        questionnaire = entry.get("questionnaire")
        if not isinstance(questionnaire, str) or questionnaire not in catalogue.questionnaires:
            raise PlanFileError(
                _(
                    "{where} asks for a questionnaire this copy of Companion does not have "
                    "(“{questionnaire}”)."
                ).format(where=where, questionnaire=describe(questionnaire))
            )
        info = catalogue.questionnaires[questionnaire]
        if info.min_interval_days == 0:
            raise PlanFileError(
                _(
                    "The {questionnaire} is answered once, never on a schedule, so it cannot be a "
                    "repeated task in a plan."
                ).format(questionnaire=info.name)
            )
        every = _whole(
            entry.get("every_weeks"),
            _("interval for the {questionnaire}").format(questionnaire=info.name),
            1,
            52,
        )
        shortest = -(-info.min_interval_days // 7)
        if every < shortest:
            raise PlanFileError(
                _(
                    "The {questionnaire} looks back over {days} days, so a plan can ask for it "
                    "every {shortest} weeks at the most often, not every {every}."
                ).format(
                    questionnaire=info.name,
                    days=info.min_interval_days,
                    shortest=shortest,
                    every=every,
                )
            )
        return QuestionnaireTask(questionnaire=questionnaire, every_weeks=every, note=note)
    text = _text(entry.get("text"), _("text of task {number}").format(number=number), NOTE_CHARS)
    if "times" in entry or "per" in entry:
        times, per = _schedule(entry, where, FREE_LIMITS, _("it"))
        return FreeTextTask(text=text, times=times, per=per, note=note)
    return FreeTextTask(text=text, note=note)


def parse_plan(raw: bytes | str, catalogue: Catalogue | None = None) -> Plan:
    """Read a plan file's bytes; :class:`PlanFileError` with one sentence if unusable."""
    known = catalogue or bundled_catalogue()
    data = _load(raw)
    if data.get("format") != FORMAT:
        raise PlanFileError(_("This is not a Companion homework plan."))
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise PlanFileError(_("This plan file does not say which version of the format it uses."))
    if version > VERSION:
        raise PlanFileError(
            _(
                "This plan was made by a newer version of Companion (plan format {version}); "
                "please update Companion to open it."
            ).format(version=version)
        )
    _unknown(data, _TOP | _TOP_OPTIONAL, _("The plan"))
    for key in sorted(_TOP - _TOP_OPTIONAL):
        if key not in data:
            raise PlanFileError(_("The plan is missing its “{key}”.").format(key=key))
    plan_id = data["id"]
    if not isinstance(plan_id, str) or not _UUID_RE.match(plan_id):
        raise PlanFileError(_("The plan's id must be a UUID such as 0b9f6c1e-…."))
    title = _text(data["title"], _("title"), TITLE_CHARS)
    author = _text(data["from"], _("“from” name"), AUTHOR_CHARS)
    message = _text(data.get("message", ""), _("message"), MESSAGE_CHARS, blank=True)
    starts = _day(data["starts"], _("first day"))
    ends = _day(data["ends"], _("last day"))
    if ends < starts:
        raise PlanFileError(
            _("The plan ends ({ends}) before it starts ({starts}).").format(
                ends=ends.isoformat(), starts=starts.isoformat()
            )
        )
    days = (ends - starts).days + 1
    if days > MAX_DAYS:
        raise PlanFileError(
            _("A plan can last at most a year; this one runs {days} days.").format(days=days)
        )
    embedded = _embedded(data.get("exercises", []), known)
    raw_tasks = data["tasks"]
    if not isinstance(raw_tasks, list) or not raw_tasks:
        raise PlanFileError(_("The plan has no tasks."))
    if len(raw_tasks) > MAX_TASKS:
        raise PlanFileError(_("A plan can hold at most {most} tasks.").format(most=MAX_TASKS))
    embedded_ids = {e.exercise.id for e in embedded}
    tasks = tuple(
        _task(entry, n, embedded_ids, known) for n, entry in enumerate(raw_tasks, start=1)
    )
    _check_together(tasks, embedded_ids, known)
    return Plan(
        id=plan_id,
        title=title,
        author=author,
        starts=starts,
        ends=ends,
        tasks=tasks,
        message=message,
        exercises=embedded,
    )


def _check_together(tasks: tuple[Task, ...], embedded: set[str], catalogue: Catalogue) -> None:
    if sum(isinstance(t, CheckInTask) for t in tasks) > 1:
        raise PlanFileError(_("The plan asks for check-ins in two tasks; one is enough."))
    exercises = [t.exercise for t in tasks if isinstance(t, ExerciseTask)]
    if len(set(exercises)) != len(exercises):
        raise PlanFileError(_("The plan asks for the same exercise in two tasks."))
    questionnaires = [t.questionnaire for t in tasks if isinstance(t, QuestionnaireTask)]
    if len(set(questionnaires)) != len(questionnaires):
        name = next(q for q in questionnaires if questionnaires.count(q) > 1)
        info = catalogue.questionnaires.get(name)
        raise PlanFileError(
            _("The plan asks for the {questionnaire} in two tasks.").format(
                questionnaire=info.name if info else name
            )
        )
    unused = sorted(embedded - set(exercises))
    if unused:
        raise PlanFileError(
            _("The plan carries the exercise “{id}”, but no task uses it.").format(id=unused[0])
        )


def read_plan_file(path: Path, catalogue: Catalogue | None = None) -> Plan:
    """Read and check a plan file, refusing huge files before reading them."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise PlanFileError(_("This plan file is larger than 512 KiB, so it was not opened."))
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except IsADirectoryError:
        raise PlanFileError(_("This is a folder, not a homework plan.")) from None
    except OSError as exc:
        raise PlanFileError(
            _("The plan file could not be read ({reason}).").format(
                reason=describe(exc.strerror or "unknown error")
            )
        ) from None
    return parse_plan(raw, catalogue)


# -- writing ------------------------------------------------------------------------------------

_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def toml_string(value: str) -> str:
    """A TOML basic string (the same rule as the exercise writer's, without importing the
    exercises service and, through it, the database layer)."""
    out = []
    for ch in value:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


_HEADER = (
    "# A Companion homework plan (plan format 1).\n"
    "# It holds no personal data: only what the plan asks, its dates and the name its author\n"
    "# chose to show.\n"
)


def _multiline(text: str) -> str:
    """The exercise's text as a TOML literal block when it can be one (readable), else escaped."""
    clean = all(ch in "\n\t" or (ord(ch) >= 0x20 and ord(ch) != 0x7F) for ch in text)
    if clean and "'''" not in text and not text.endswith("'") and "\r" not in text:
        return "'''\n" + text + "'''"
    return toml_string(text)


def plan_to_toml(plan: Plan) -> str:
    """The plan as a file; :func:`parse_plan` reads it back equal."""
    lines = [
        _HEADER.rstrip("\n"),
        f"format = {toml_string(FORMAT)}",
        f"version = {VERSION}",
        f"id = {toml_string(plan.id)}",
        f"title = {toml_string(plan.title)}",
        f"from = {toml_string(plan.author)}",
        f"starts = {plan.starts.isoformat()}",
        f"ends = {plan.ends.isoformat()}",
    ]
    if plan.message:
        lines.append(f"message = {toml_string(plan.message)}")
    for task in plan.tasks:
        lines += ["", "[[tasks]]", f"kind = {toml_string(task.kind)}"]
        if isinstance(task, CheckInTask):
            lines += [f"times = {task.times}", f"per = {toml_string(task.per)}"]
        elif isinstance(task, ExerciseTask):
            lines += [
                f"exercise = {toml_string(task.exercise)}",
                f"times = {task.times}",
                f"per = {toml_string(task.per)}",
            ]
        elif isinstance(task, ReadTask):
            lines.append(f"pages = [{', '.join(toml_string(p) for p in task.pages)}]")
        elif isinstance(task, QuestionnaireTask):
            lines += [
                f"questionnaire = {toml_string(task.questionnaire)}",
                f"every_weeks = {task.every_weeks}",
            ]
        else:
            lines.append(f"text = {toml_string(task.text)}")
            if task.times is not None and task.per is not None:
                lines += [f"times = {task.times}", f"per = {toml_string(task.per)}"]
        if task.note:
            lines.append(f"note = {toml_string(task.note)}")
    for embedded in plan.exercises:
        lines += ["", "[[exercises]]", f"toml = {_multiline(embedded.text)}"]
    return "\n".join(lines) + "\n"


def write_plan(
    plan: Plan,
    path: Path,
    *,
    replace_existing: bool = False,
    catalogue: Catalogue | None = None,
) -> Path:
    """Check the plan by reading its own text back, then write it privately.

    :class:`PlanFileError` if the plan is not one a reader would accept (nothing is written);
    ``OSError`` when the file cannot be written, ``FileExistsError`` when a file of that name
    is there and ``replace_existing`` was not given (the caller asks the person first).
    """
    text = plan_to_toml(plan)
    if parse_plan(text, catalogue) != plan:
        raise PlanFileError(_("This plan could not be written so that it reads back the same."))
    path = Path(path)
    if replace_existing:
        write_private(path, text.encode("utf-8"))
    else:
        write_new(path, text.encode("utf-8"))
    return path
