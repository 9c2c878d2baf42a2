"""Guided exercises: the TOML schema, a strict parser and the bundled set.

The same parser reads the bundled files and files a therapist or user imports, so it treats its
input as untrusted: anything malformed raises :class:`ContentError` with one plain sentence, and
nothing else escapes (no ``KeyError``, ``RecursionError`` or ``UnicodeError``).

Schema (one exercise per file, ``resources/exercises/<id>.toml``)::

    id = "paced-breathing"          # slug: lower-case letters, digits, hyphens; = file name
    title = "Slow breathing"        # 1-120 characters
    summary = "One sentence."       # 1-300 characters
    purpose = "Why and when."       # 1-1000 characters
    category = "breathing"          # grounding | breathing | relaxation | imagery | soothing
    duration_minutes = 5            # whole minutes, 1-120 (an honest estimate)
    eyes_open = true                # true: the default path never invites closing the eyes.
                                    # false: it may *invite* it, and an "eyes-open" variant
                                    # must exist.
    default_ok = true               # may be suggested without the person choosing it
                                    # (false for body scan: it can trigger trauma survivors)
    cautions = ["..."]              # up to 20 strings, each 1-500 characters
    sources = [{ text = "...", url = "https://..." }]   # up to 30; url optional in user files

    [pacer]                         # optional; needed when a step has pacer = true
    inhale = 4                      # seconds, 1-15
    hold_in = 0                     # seconds, 0-10 (a hold is never required: see below)
    exhale = 6                      # seconds, 1-20
    hold_out = 0                    # seconds, 0-10
    adjustable = true               # the person may change the pace
    min_breaths_per_minute = 4.5    # the slowest pace offered   (2-20)
    max_breaths_per_minute = 7      # the fastest pace offered   (2-20); the default pace,
                                    # 60 / (inhale + hold_in + exhale + hold_out), lies between

    [[steps]]                       # 1-100 steps
    text = "One calm invitation."   # 1-500 characters, one instruction
    seconds = 0                     # 0 = wait for the person to press Next; else 1-3600
    pacer = false                   # optional: show the breathing pacer during this step
    variant = "eyes-open"           # optional: the step belongs only to this variant

    [variant_labels]                # optional: names to show for the variants (1-60 chars)
    default = "Eyes closed or lowered"
    eyes-open = "Eyes open"

Variants: a step without ``variant`` belongs to every path. A step with ``variant = "default"``
belongs only to the default path; any other name (e.g. ``"eyes-open"``, ``"no-hold"``,
``"release-only"``) makes an alternative path the person can choose. Rules that keep exercises
trauma-informed are enforced here, not left to authors: ``eyes_open = false`` needs an
``eyes-open`` variant, and a pacer with breath holds needs a ``no-hold`` variant (the UI then
uses :meth:`Pacer.without_holds`).
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from companion.content import (
    ContentError,
    Source,
    describe,
    has_control_chars,
    is_number,
    is_slug,
    parse_sources,
    resource_path,
)
from companion.i18n import N_, _

__all__ = [
    "CATEGORIES",
    "DEFAULT_VARIANT",
    "MAX_FILE_BYTES",
    "Exercise",
    "Pacer",
    "Step",
    "get_exercise",
    "load_exercise_file",
    "load_exercises",
    "parse_exercise",
    "read_limited",
]

CATEGORIES = ("grounding", "breathing", "relaxation", "imagery", "soothing")
DEFAULT_VARIANT = "default"
EYES_OPEN_VARIANT = "eyes-open"
NO_HOLD_VARIANT = "no-hold"

MAX_FILE_BYTES = 256 * 1024
MAX_TITLE = 120
MAX_SUMMARY = 300
MAX_PURPOSE = 1000
MAX_MINUTES = 120
MAX_STEPS = 100
MAX_STEP_TEXT = 500
MAX_STEP_SECONDS = 3600
MAX_CAUTIONS = 20
MAX_CAUTION_TEXT = 500
MAX_LABEL = 60

_TOP_KEYS = {
    "id",
    "title",
    "summary",
    "purpose",
    "category",
    "duration_minutes",
    "eyes_open",
    "default_ok",
    "cautions",
    "sources",
    "pacer",
    "steps",
    "variant_labels",
}
_REQUIRED_KEYS = ("id", "title", "summary", "purpose", "category", "duration_minutes", "steps")
_PACER_KEYS = (
    "inhale",
    "hold_in",
    "exhale",
    "hold_out",
    "adjustable",
    "min_breaths_per_minute",
    "max_breaths_per_minute",
)
_STEP_KEYS = {"text", "seconds", "pacer", "variant"}

# (field, lowest, highest, plain name: translated where it is shown)
_PACER_RANGES = {
    "inhale": (1.0, 15.0, N_("in-breath")),
    "hold_in": (0.0, 10.0, N_("pause after breathing in")),
    "exhale": (1.0, 20.0, N_("out-breath")),
    "hold_out": (0.0, 10.0, N_("pause after breathing out")),
    "min_breaths_per_minute": (2.0, 20.0, N_("slowest pace")),
    "max_breaths_per_minute": (2.0, 20.0, N_("fastest pace")),
}


@dataclass(frozen=True, slots=True)
class Pacer:
    """A breathing rhythm in seconds per phase, and how far the person may change its pace."""

    inhale: float
    hold_in: float
    exhale: float
    hold_out: float
    adjustable: bool
    min_breaths_per_minute: float
    max_breaths_per_minute: float

    @property
    def cycle_seconds(self) -> float:
        return self.inhale + self.hold_in + self.exhale + self.hold_out

    @property
    def breaths_per_minute(self) -> float:
        return 60.0 / self.cycle_seconds

    @property
    def has_holds(self) -> bool:
        return self.hold_in > 0 or self.hold_out > 0

    def at_rate(self, breaths_per_minute: float) -> Pacer:
        """The same rhythm stretched or shortened to a pace, kept inside the allowed range."""
        if not self.adjustable:
            return self
        return self._scaled(self._clamp(breaths_per_minute))

    def without_holds(self) -> Pacer:
        """The no-hold version: in 4 seconds, out 6, with no pauses (clinical-reference §4.2 e,
        and its slow breathing at about six breaths a minute), whatever the pauses were.

        The 2:3 rhythm is kept; only when six a minute is outside the pacer's own range of
        paces is it moved to the nearest pace the pacer allows."""
        plain = replace(self, inhale=4.0, hold_in=0.0, exhale=6.0, hold_out=0.0)
        return plain._scaled(self._clamp(plain.breaths_per_minute))

    def _clamp(self, rate: float) -> float:
        return min(max(rate, self.min_breaths_per_minute), self.max_breaths_per_minute)

    def _scaled(self, rate: float) -> Pacer:
        factor = (60.0 / rate) / self.cycle_seconds
        if abs(factor - 1.0) < 1e-12:
            return self
        return replace(
            self,
            inhale=self.inhale * factor,
            hold_in=self.hold_in * factor,
            exhale=self.exhale * factor,
            hold_out=self.hold_out * factor,
        )


@dataclass(frozen=True, slots=True)
class Step:
    """One calm instruction; ``seconds == 0`` waits for the person to go on."""

    text: str
    seconds: int
    pacer: bool = False
    variant: str | None = None


@dataclass(frozen=True, slots=True)
class Exercise:
    id: str
    title: str
    summary: str
    purpose: str
    category: str
    duration_minutes: int
    eyes_open: bool
    default_ok: bool
    cautions: tuple[str, ...]
    sources: tuple[Source, ...]
    steps: tuple[Step, ...]
    pacer: Pacer | None = None
    variant_labels: tuple[tuple[str, str], ...] = ()

    @property
    def variants(self) -> tuple[str, ...]:
        """``"default"`` first, then every other variant in the order it first appears."""
        names = [DEFAULT_VARIANT]
        for step in self.steps:
            if step.variant is not None and step.variant not in names:
                names.append(step.variant)
        return tuple(names)

    def steps_for(self, variant: str = DEFAULT_VARIANT) -> tuple[Step, ...]:
        """The steps of one path: the shared steps plus the variant's own, in file order."""
        if variant not in self.variants:
            raise KeyError(variant)
        return tuple(s for s in self.steps if s.variant is None or s.variant == variant)

    def label_for(self, variant: str) -> str:
        """The name to show for a variant: the file's label, or one made from the variant."""
        for name, label in self.variant_labels:
            if name == variant:
                return label
        if variant == DEFAULT_VARIANT:
            return _("Standard")
        return variant.replace("-", " ").capitalize()

    def pacer_for(self, variant: str = DEFAULT_VARIANT) -> Pacer | None:
        if self.pacer is not None and variant == NO_HOLD_VARIANT:
            return self.pacer.without_holds()
        return self.pacer


# --- parsing -------------------------------------------------------------------------------------


def parse_exercise(text: str | bytes) -> Exercise:
    """Parse and validate one exercise file's text; raise ContentError if anything is wrong."""
    data = _load_toml(text)
    return _exercise_from_dict(data)


def load_exercise_file(path: Path) -> Exercise:
    """Read and parse a file, refusing huge files before reading them."""
    return parse_exercise(read_limited(path))


def read_limited(path: Path) -> bytes:
    """A file's bytes, refusing one larger than :data:`MAX_FILE_BYTES` before reading it."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ContentError(_too_large())
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        reason = describe(exc.strerror or _("unknown error"))
        raise ContentError(
            _("The exercise file could not be read ({reason}).").format(reason=reason)
        ) from None
    if len(raw) > MAX_FILE_BYTES:  # it grew while it was read
        raise ContentError(_too_large())
    return raw


def _too_large() -> str:
    return _("This exercise file is larger than 256 KiB, so it was not opened.")


def _load_toml(text: str | bytes) -> dict[str, Any]:
    if isinstance(text, bytes | bytearray):
        if len(text) > MAX_FILE_BYTES:
            raise ContentError(_too_large())
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            raise ContentError(_("This exercise file is not UTF-8 text.")) from None
    if not isinstance(text, str):
        raise ContentError(_("An exercise must be given as text."))
    if len(text) > MAX_FILE_BYTES:
        raise ContentError(_too_large())
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError:
        raise ContentError(
            _("This exercise file contains characters that are not valid text.")
        ) from None
    if size > MAX_FILE_BYTES:
        raise ContentError(_too_large())
    if not text.strip():
        raise ContentError(_("This exercise file is empty."))
    if "\x00" in text:
        raise ContentError(_("This exercise file contains binary data, not text."))
    text = text.removeprefix("\ufeff")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(
            _("This exercise file is not valid TOML ({reason}).").format(reason=describe(exc, 120))
        ) from None
    except (RecursionError, MemoryError, ValueError, TypeError):
        raise ContentError(_("This exercise file is not valid TOML.")) from None
    return data


def _exercise_from_dict(data: dict[str, Any]) -> Exercise:
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise ContentError(
            _("This exercise has an unknown field “{field}”.").format(
                field=describe(sorted(unknown)[0])
            )
        )
    for key in _REQUIRED_KEYS:
        if key not in data:
            raise ContentError(_("This exercise is missing its “{field}”.").format(field=key))

    exercise_id = data["id"]
    if not is_slug(exercise_id):
        raise ContentError(
            _("The exercise id must be 1 to 64 lower-case letters, digits and single hyphens.")
        )
    where = _("Exercise “{id}”").format(id=exercise_id)
    title = _text(data["title"], where, _("title"), MAX_TITLE)
    summary = _text(data["summary"], where, _("summary"), MAX_SUMMARY)
    purpose = _text(data["purpose"], where, _("purpose"), MAX_PURPOSE)

    category = data["category"]
    if category not in CATEGORIES:
        raise ContentError(
            _("{where}: the category must be one of {categories}.").format(
                where=where, categories=", ".join(CATEGORIES)
            )
        )

    duration = data["duration_minutes"]
    if (
        isinstance(duration, bool)
        or not isinstance(duration, int)
        or not 1 <= duration <= MAX_MINUTES
    ):
        raise ContentError(
            _("{where}: the duration must be a whole number of minutes from 1 to {most}.").format(
                where=where, most=MAX_MINUTES
            )
        )

    eyes_open = data.get("eyes_open", True)
    default_ok = data.get("default_ok", True)
    for key, value in (("eyes_open", eyes_open), ("default_ok", default_ok)):
        if not isinstance(value, bool):
            raise ContentError(
                _("{where}: “{field}” must be true or false.").format(where=where, field=key)
            )

    cautions_raw = data.get("cautions", [])
    if not isinstance(cautions_raw, list) or len(cautions_raw) > MAX_CAUTIONS:
        raise ContentError(
            _("{where}: the cautions must be a list of at most {count} texts.").format(
                where=where, count=MAX_CAUTIONS
            )
        )
    cautions = tuple(
        _text(c, where, _("caution {number}").format(number=n), MAX_CAUTION_TEXT)
        for n, c in enumerate(cautions_raw, start=1)
    )

    sources = parse_sources(data.get("sources", []), where, require_url=False)
    pacer = _pacer(data["pacer"], where) if "pacer" in data else None
    steps = _steps(data["steps"], where)
    labels = _labels(data.get("variant_labels", {}), where)

    exercise = Exercise(
        id=exercise_id,
        title=title,
        summary=summary,
        purpose=purpose,
        category=category,
        duration_minutes=duration,
        eyes_open=eyes_open,
        default_ok=default_ok,
        cautions=cautions,
        sources=sources,
        steps=steps,
        pacer=pacer,
        variant_labels=labels,
    )
    _check_paths(exercise, where)
    return exercise


def _text(value: object, where: str, name: str, limit: int) -> str:
    """``name`` is the field as the message shows it, already translated."""
    if not isinstance(value, str) or not value.strip():
        raise ContentError(
            _("{where}: the {field} must be some text.").format(where=where, field=name)
        )
    if len(value) > limit:
        raise ContentError(
            _("{where}: the {field} is longer than {limit} characters.").format(
                where=where, field=name, limit=limit
            )
        )
    if has_control_chars(value):
        raise ContentError(
            _("{where}: the {field} contains control characters.").format(where=where, field=name)
        )
    return value.strip()


def _pacer(raw: object, where: str) -> Pacer:
    if not isinstance(raw, dict):
        raise ContentError(_("{where}: the pacer must be a table.").format(where=where))
    unknown = set(raw) - set(_PACER_KEYS)
    if unknown:
        raise ContentError(
            _("{where}: the pacer has an unknown field “{field}”.").format(
                where=where, field=describe(sorted(unknown)[0])
            )
        )
    for key in _PACER_KEYS:
        if key not in raw:
            raise ContentError(
                _("{where}: the pacer is missing “{field}”.").format(where=where, field=key)
            )
    if not isinstance(raw["adjustable"], bool):
        raise ContentError(
            _("{where}: the pacer's “adjustable” must be true or false.").format(where=where)
        )
    values: dict[str, float] = {}
    for key, (low, high, name) in _PACER_RANGES.items():
        value = raw[key]
        if not is_number(value) or not low <= value <= high:
            raise ContentError(
                _("{where}: the pacer's {field} must be a number from {low} to {high}.").format(
                    where=where, field=_(name), low=f"{low:g}", high=f"{high:g}"
                )
            )
        values[key] = float(value)
    pacer = Pacer(adjustable=raw["adjustable"], **values)
    if pacer.min_breaths_per_minute > pacer.max_breaths_per_minute:
        raise ContentError(
            _("{where}: the pacer's slowest pace is faster than its fastest pace.").format(
                where=where
            )
        )
    rate = pacer.breaths_per_minute
    # A hair of tolerance for rates such as 60 / 16 = 3.75 that floats cannot hold exactly.
    if not pacer.min_breaths_per_minute - 1e-9 <= rate <= pacer.max_breaths_per_minute + 1e-9:
        raise ContentError(
            _(
                "{where}: the pacer's rhythm gives {rate} breaths a minute, outside its own "
                "slowest and fastest pace."
            ).format(where=where, rate=f"{rate:.2g}")
        )
    return pacer


def _steps(raw: object, where: str) -> tuple[Step, ...]:
    if not isinstance(raw, list):
        raise ContentError(
            _("{where}: the steps must be a list of [[steps]] tables.").format(where=where)
        )
    if not raw:
        raise ContentError(_("{where}: there are no steps.").format(where=where))
    if len(raw) > MAX_STEPS:
        raise ContentError(
            _("{where}: there are more than {count} steps.").format(where=where, count=MAX_STEPS)
        )
    return tuple(
        _step(item, _("{where}, step {number}").format(where=where, number=number))
        for number, item in enumerate(raw, start=1)
    )


def _step(item: object, where: str) -> Step:
    if not isinstance(item, dict):
        raise ContentError(
            _("{where}: each step must be a table with text and seconds.").format(where=where)
        )
    unknown = set(item) - _STEP_KEYS
    if unknown:
        raise ContentError(
            _("{where}: unknown field “{field}”.").format(
                where=where, field=describe(sorted(unknown)[0])
            )
        )
    if "text" not in item:
        raise ContentError(_("{where}: the step has no text.").format(where=where))
    text = _text(item["text"], where, _("text"), MAX_STEP_TEXT)
    seconds = item.get("seconds", 0)
    if isinstance(seconds, bool) or not isinstance(seconds, int):
        raise ContentError(_("{where}: “seconds” must be a whole number.").format(where=where))
    if not 0 <= seconds <= MAX_STEP_SECONDS:
        raise ContentError(
            _("{where}: the timing must be from 0 to {most} seconds.").format(
                where=where, most=MAX_STEP_SECONDS
            )
        )
    pacer = item.get("pacer", False)
    if not isinstance(pacer, bool):
        raise ContentError(_("{where}: “pacer” must be true or false.").format(where=where))
    if pacer and seconds == 0:
        raise ContentError(
            _("{where}: a pacer step needs a length in seconds.").format(where=where)
        )
    variant = item.get("variant")
    if variant is not None and not is_slug(variant, 40):
        raise ContentError(
            _("{where}: the variant must be a short lower-case name.").format(where=where)
        )
    return Step(text=text, seconds=seconds, pacer=pacer, variant=variant)


def _labels(raw: object, where: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(raw, dict) or len(raw) > 20:
        raise ContentError(
            _("{where}: “variant_labels” must be a small table of names.").format(where=where)
        )
    labels: list[tuple[str, str]] = []
    for name, label in raw.items():
        if not is_slug(name, 40):
            raise ContentError(
                _("{where}: the variant label “{name}” has a bad name.").format(
                    where=where, name=describe(name)
                )
            )
        field = _("label for “{name}”").format(name=name)
        labels.append((name, _text(label, where, field, MAX_LABEL)))
    return tuple(labels)


def _check_paths(exercise: Exercise, where: str) -> None:
    for variant in exercise.variants:
        if not exercise.steps_for(variant):
            raise ContentError(
                _("{where}: the “{variant}” path has no steps.").format(
                    where=where, variant=describe(variant)
                )
            )
    for name, _label in exercise.variant_labels:
        if name not in exercise.variants:
            raise ContentError(
                _("{where}: there is a label for “{name}”, but no step uses it.").format(
                    where=where, name=name
                )
            )
    uses_pacer = any(step.pacer for step in exercise.steps)
    if uses_pacer and exercise.pacer is None:
        raise ContentError(
            _("{where}: a step shows the pacer, but there is no [pacer] table.").format(where=where)
        )
    if exercise.pacer is not None and not uses_pacer:
        raise ContentError(
            _("{where}: there is a [pacer] table, but no step shows it.").format(where=where)
        )
    holds = exercise.pacer is not None and exercise.pacer.has_holds
    if holds and NO_HOLD_VARIANT not in exercise.variants:
        raise ContentError(
            _("{where}: breath holds need a “no-hold” variant too.").format(where=where)
        )
    if not exercise.eyes_open and EYES_OPEN_VARIANT not in exercise.variants:
        raise ContentError(
            _("{where}: an exercise that invites closed eyes needs an “eyes-open” variant.").format(
                where=where
            )
        )
    total = sum(step.seconds for step in exercise.steps)
    if total > 4 * 3600:
        raise ContentError(
            _("{where}: the timed steps add up to more than four hours.").format(where=where)
        )


# --- the bundled set -----------------------------------------------------------------------------

_CATEGORY_ORDER = {name: index for index, name in enumerate(CATEGORIES)}


@functools.cache
def _bundled() -> tuple[Exercise, ...]:
    folder = resource_path("exercises")
    found: dict[str, Exercise] = {}
    for path in sorted(folder.glob("*.toml")):
        try:
            exercise = load_exercise_file(path)
        except ContentError as exc:
            raise ContentError(_("{file}: {problem}").format(file=path.name, problem=exc)) from None
        if exercise.id != path.stem:
            raise ContentError(
                _("{file}: the id “{id}” does not match the file name.").format(
                    file=path.name, id=exercise.id
                )
            )
        found[exercise.id] = exercise
    ordered = sorted(
        found.values(),
        key=lambda e: (not e.default_ok, _CATEGORY_ORDER[e.category], e.title.casefold()),
    )
    return tuple(ordered)


def load_exercises() -> list[Exercise]:
    """Every bundled exercise, the ones safe to suggest first."""
    return list(_bundled())


def get_exercise(exercise_id: str) -> Exercise:
    for exercise in _bundled():
        if exercise.id == exercise_id:
            return exercise
    raise KeyError(exercise_id)
