"""Exercise files, written and read: the other half of :mod:`companion.content.exercises`.

That module validates the schema; this one writes it. :func:`to_toml` turns an
:class:`~companion.content.exercises.Exercise` into the text of a file that the same parser
reads back equal; :func:`draft_to_toml` does the same for the "write your own" form, with one
plain sentence for anything the form cannot keep; :func:`read_exercise_file` opens a file a
person chose, refusing what is plainly something else (a PDF, a picture, a JSON export) before
parsing it. Everything raises :class:`~companion.content.ContentError`, never another error.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from companion.content import ContentError
from companion.content.exercises import (
    CATEGORIES,
    MAX_CAUTION_TEXT,
    MAX_CAUTIONS,
    MAX_MINUTES,
    MAX_PURPOSE,
    MAX_STEP_SECONDS,
    MAX_STEP_TEXT,
    MAX_STEPS,
    MAX_SUMMARY,
    MAX_TITLE,
    Exercise,
    Step,
    parse_exercise,
    read_limited,
)
from companion.i18n import _

__all__ = [
    "ExerciseDraft",
    "draft_to_toml",
    "read_exercise_file",
    "slugify",
    "to_toml",
    "toml_string",
    "unique_slug",
]

#: an untimed step takes about this long to read and do, at a gentle pace
UNTIMED_STEP_SECONDS: Final = 20


# -- writing ---------------------------------------------------------------------------------

_ESCAPES: Final = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


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


def _toml_bool(value: bool) -> str:
    return "true" if value else "false"


def to_toml(exercise: Exercise) -> str:
    """Write an exercise in the bundled files' schema; ``parse_exercise`` reads it back equal."""
    lines = [
        f"id = {toml_string(exercise.id)}",
        f"title = {toml_string(exercise.title)}",
        f"summary = {toml_string(exercise.summary)}",
        f"purpose = {toml_string(exercise.purpose)}",
        f"category = {toml_string(exercise.category)}",
        f"duration_minutes = {exercise.duration_minutes}",
        f"eyes_open = {_toml_bool(exercise.eyes_open)}",
        f"default_ok = {_toml_bool(exercise.default_ok)}",
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
            f"adjustable = {_toml_bool(p.adjustable)}",
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


def unique_slug(title: str, taken: Collection[str]) -> str:
    """An id made from ``title`` that is not in ``taken`` ("evening", then "evening-2"…)."""
    base = slugify(title)
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug


# -- the "write your own" form ---------------------------------------------------------------


@dataclass(frozen=True)
class ExerciseDraft:
    """What the "write your own" form sends: a plain step list, turned into TOML."""

    title: str
    steps: Sequence[tuple[str, int]]
    purpose: str = ""
    category: str = "grounding"
    duration_minutes: int | None = None
    cautions: Sequence[str] = ()


def _tidy(value: object) -> str:
    return " ".join(str(value or "").split())


def _draft_title(value: object) -> str:
    title = _tidy(value)
    if not title:
        raise ContentError(_("Please give your exercise a name."))
    if len(title) > MAX_TITLE:
        raise ContentError(_("Please keep the name to {limit} characters.").format(limit=MAX_TITLE))
    return title


def _draft_steps(raw: Sequence[tuple[str, int]]) -> tuple[Step, ...]:
    """The steps that have words (empty rows of the form are left out)."""
    steps = [(str(text).strip(), seconds) for text, seconds in raw if str(text).strip()]
    if not steps:
        raise ContentError(_("Please write at least one step."))
    if len(steps) > MAX_STEPS:
        raise ContentError(_("An exercise can have at most {count} steps.").format(count=MAX_STEPS))
    for number, (text, seconds) in enumerate(steps, start=1):
        if len(text) > MAX_STEP_TEXT:
            raise ContentError(
                _("Step {number} is longer than {limit} characters.").format(
                    number=number, limit=MAX_STEP_TEXT
                )
            )
        if (
            isinstance(seconds, bool)
            or not isinstance(seconds, int)
            or not 0 <= seconds <= MAX_STEP_SECONDS
        ):
            raise ContentError(
                _("Step {number} needs a timing from 0 to {most} seconds.").format(
                    number=number, most=MAX_STEP_SECONDS
                )
            )
    return tuple(Step(text=text, seconds=seconds) for text, seconds in steps)


def _draft_purpose(value: object) -> str:
    purpose = _tidy(value) or _("An exercise of your own.")
    if len(purpose) > MAX_PURPOSE:
        raise ContentError(
            _("Please keep “what it is for” to {limit} characters.").format(limit=MAX_PURPOSE)
        )
    return purpose


def _draft_cautions(raw: Sequence[str]) -> tuple[str, ...]:
    cautions = tuple(" ".join(c.split()) for c in raw if c.strip())
    if len(cautions) > MAX_CAUTIONS or any(len(c) > MAX_CAUTION_TEXT for c in cautions):
        raise ContentError(
            _("Please keep to {count} cautions of at most {limit} characters each.").format(
                count=MAX_CAUTIONS, limit=MAX_CAUTION_TEXT
            )
        )
    return cautions


def estimated_minutes(steps: Sequence[Step]) -> int:
    """An honest length: the timed seconds, plus a gentle pace for each untimed step."""
    timed = sum(step.seconds for step in steps)
    untimed = sum(1 for step in steps if step.seconds == 0)
    return max(1, min(MAX_MINUTES, round((timed + UNTIMED_STEP_SECONDS * untimed) / 60)))


def _summary(purpose: str) -> str:
    return purpose if len(purpose) <= MAX_SUMMARY else purpose[: MAX_SUMMARY - 3].rstrip() + "…"


def draft_to_toml(
    draft: ExerciseDraft, *, keep_id: str | None = None, taken: Collection[str] = ()
) -> str:
    """The form as a validated exercise text (ContentError with one sentence if it can't be).

    An edited exercise keeps ``keep_id``; a new one gets an id made from its title that is not
    in ``taken``.
    """
    title = _draft_title(draft.title)
    steps = _draft_steps(draft.steps)
    if draft.category not in CATEGORIES:
        raise ContentError(_("Please choose one of the kinds of exercise."))
    purpose = _draft_purpose(draft.purpose)
    cautions = _draft_cautions(draft.cautions)
    minutes = draft.duration_minutes
    if minutes is None:
        minutes = estimated_minutes(steps)
    exercise = Exercise(
        id=keep_id if keep_id is not None else unique_slug(title, taken),
        title=title,
        summary=_summary(purpose),
        purpose=purpose,
        category=draft.category,
        duration_minutes=minutes,
        eyes_open=True,
        default_ok=True,
        cautions=cautions,
        sources=(),
        steps=steps,
    )
    text = to_toml(exercise)
    parse_exercise(text)  # what is saved is always what every file is held to
    return text


# -- reading a file a person chose -----------------------------------------------------------


def _sniff(raw: bytes) -> str | None:
    """A sentence for files that are plainly something else, before TOML parsing."""
    head = raw.lstrip()[:16]
    if head.startswith(b"%PDF"):
        return _("This is a PDF document, not an exercise file.")
    if head.startswith(b"PK\x03\x04"):
        return _("This is a zip archive or office document, not an exercise file.")
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return _("This is a picture, not an exercise file.")
    if head.startswith((b"{", b"[{", b"[\n", b"[\r")):
        return _("This looks like a JSON file, not an exercise file (TOML).")
    if head.lower().startswith((b"<!doctype", b"<html", b"<?xml")):
        return _("This looks like a web page or XML file, not an exercise file (TOML).")
    return None


def read_exercise_file(path: Path) -> str:
    """The text of an exercise file, checked by the parser (ContentError if unusable)."""
    raw = read_limited(path)
    sniffed = _sniff(raw)
    if sniffed and raw.strip():
        raise ContentError(sniffed)
    parse_exercise(raw)
    return raw.decode("utf-8").removeprefix("\ufeff")
