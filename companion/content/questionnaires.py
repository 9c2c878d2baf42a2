"""Validated self-check questionnaires (PHQ-9, GAD-7, PCL-5, ACE, WHO-5) as data.

Each instrument lives in ``resources/questionnaires/<id>.toml`` with its official wording,
answers, scoring rule, bands, change rule, LOINC codes and notice. The wording must match the
publisher's copy word for word (clinical-reference.md §2.1), so this loader checks everything it
can check mechanically: the number of scored questions and the answer values against the
published instrument, bands that cover every possible total exactly once, LOINC codes whose
check digit is right, a notice to show, and the sources the wording was checked against. Anything
wrong raises :class:`ContentError` naming the file and the field.

Schema (one instrument per file, ``id`` = file name)::

    id = "phq9"                   # one of INSTRUMENTS
    version = 1                   # bumped whenever wording or scoring changes; stored answers
                                  # carry it
    compatible_versions = []      # optional: earlier versions whose answers score the same way
    name = "PHQ-9"                # short name, 1-20 characters
    title = "..."                 # full name
    about = "..."                 # what it asks, in our words (not the instrument's)
    instructions = "..."          # official instructions, verbatim
    stem = "..."                  # optional: official lead-in shown above each question
    recall_days = 14              # the recall window (0 = lifetime, as for the ACE)
    min_interval_days = 14        # never prompt again sooner than this (0 = never prompt)
    default_interval_days = 14    # the default reminder interval (0 = no reminder)
    content_note = "..."          # optional: shown before starting (trauma questionnaires)
    skip_label = "..."            # optional: the words of the skip button
    result_note = "..."           # optional: shown with every result (our words)
    related_article = "slug"      # optional: a Learn article to offer (companion:article/slug)
    notice = "..."                # the copyright or public-domain notice shown in the app
    deviations = ["..."]          # each difference from the paper form, said plainly
    loinc_panel = "44249-1"       # "" when none was verified
    loinc_total = "44261-6"       # "" when none was verified
    checked = 2026-12-04          # when the wording was last checked against the sources
    sources = [{ text, url }]     # where the wording (first) and the rules come from

    [scoring]
    method = "sum"                # the total is the sum of the scored answers
    multiplier = 1                # the total shown is the sum times this (WHO-5: 4, a percentage)
    missing = "none"              # none: any scored answer missing -> not scored
                                  # prorate: up to max_missing missing -> the mean of the others
                                  #   stands in for each missing answer
                                  # count: missing answers are left out and the result says so
    max_missing = 0
    source = "..."                # where the missing-answer rule comes from
    source_url = ""

    [[options]]                   # the answers, shared by every question
    value = 0
    label = "Not at all"
    code = "LA6568-5"             # optional LOINC answer code

    [[items]]
    id = "1"                      # stable key for stored answers
    text = "..."                  # official wording, verbatim (line breaks allowed)
    code = "44250-9"              # optional LOINC code
    scored = true                 # false for e.g. the PHQ-9 difficulty question
    flag = "self-harm"            # optional: any answer above zero needs the safety response
    [[items.options]]             # optional: this question's own answers (unscored items only)

    [[bands]]                     # contiguous, from the lowest to the highest possible total
    min = 0
    max = 4
    label = "Minimal"             # the clinicians' name for the range
    meaning = "..."               # what it means in plain words; never a diagnosis

    [interpretation]              # instead of bands when no cut-off is valid (the ACE)
    meaning = "..."

    [change]                      # optional
    direction = "lower-is-better" # or "higher-is-better"
    meaningful = 5                # in shown points (WHO-5: percentage points)
    reliable = 5                  # optional, below meaningful
    response_drop_percent = 50    # optional: a fall of at least this share from a baseline
    remission_below = 5           # optional: a total under this
    min_baseline = 10             # needed with either: the baseline must be at least this
    source = "..."
    source_url = ""
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from companion.content import (
    ContentError,
    Source,
    describe,
    has_control_chars,
    is_slug,
    is_web_url,
    parse_sources,
    resource_path,
)

__all__ = [
    "INSTRUMENTS",
    "Band",
    "ChangeRule",
    "Item",
    "Option",
    "Questionnaire",
    "Scoring",
    "get_questionnaire",
    "load_questionnaire_file",
    "load_questionnaires",
    "loinc_is_valid",
    "parse_questionnaire",
]


@dataclass(frozen=True, slots=True)
class Instrument:
    """What the published instrument fixes: how many questions are scored, and their answers."""

    scored_items: int
    values: tuple[int, ...]


#: The published instruments this app may carry, and what their files must match.
INSTRUMENTS: dict[str, Instrument] = {
    "phq9": Instrument(scored_items=9, values=(0, 1, 2, 3)),
    "gad7": Instrument(scored_items=7, values=(0, 1, 2, 3)),
    "pcl5": Instrument(scored_items=20, values=(0, 1, 2, 3, 4)),
    "ace": Instrument(scored_items=10, values=(0, 1)),
    "who5": Instrument(scored_items=5, values=(0, 1, 2, 3, 4, 5)),
}

MAX_FILE_BYTES = 128 * 1024
SKIP_LABEL = "Skip this question"
MAX_TEXT = 600
MAX_LONG_TEXT = 2000
FLAGS = ("self-harm",)
MISSING_RULES = ("none", "prorate", "count")
DIRECTIONS = ("lower-is-better", "higher-is-better")

_LOINC_RE = re.compile(r"^[0-9]{1,7}-[0-9]$")
_ANSWER_RE = re.compile(r"^LA[0-9]{1,7}-[0-9]$")
_ITEM_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")

_TOP_KEYS = {
    "id",
    "version",
    "compatible_versions",
    "name",
    "title",
    "about",
    "instructions",
    "stem",
    "recall_days",
    "min_interval_days",
    "default_interval_days",
    "content_note",
    "skip_label",
    "result_note",
    "related_article",
    "notice",
    "deviations",
    "loinc_panel",
    "loinc_total",
    "checked",
    "sources",
    "scoring",
    "options",
    "items",
    "bands",
    "interpretation",
    "change",
}
_REQUIRED = (
    "id",
    "version",
    "name",
    "title",
    "about",
    "instructions",
    "recall_days",
    "min_interval_days",
    "default_interval_days",
    "notice",
    "checked",
    "sources",
    "scoring",
    "options",
    "items",
)
_SCORING_KEYS = {"method", "multiplier", "missing", "max_missing", "source", "source_url"}
_OPTION_KEYS = {"value", "label", "code"}
_ITEM_KEYS = {"id", "text", "code", "scored", "flag", "options"}
_BAND_KEYS = {"min", "max", "label", "meaning"}
_CHANGE_KEYS = {
    "direction",
    "meaningful",
    "reliable",
    "response_drop_percent",
    "remission_below",
    "min_baseline",
    "source",
    "source_url",
}


def loinc_is_valid(code: str) -> bool:
    """A LOINC code: up to seven digits, a hyphen and the right mod-10 check digit.

    LOINC's check digit is the Luhn digit of the number part (LOINC Users' Guide, appendix),
    so a mistyped digit is caught, not just a badly shaped code.
    """
    if not _LOINC_RE.match(code):
        return False
    number, _, check = code.partition("-")
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10 == int(check)


@dataclass(frozen=True, slots=True)
class Option:
    value: int
    label: str
    code: str = ""


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    number: int  # 1-based position in the questionnaire, as printed
    text: str
    options: tuple[Option, ...]
    code: str = ""
    scored: bool = True
    flag: str = ""

    def option(self, value: int) -> Option | None:
        for option in self.options:
            if option.value == value:
                return option
        return None

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(option.value for option in self.options)


@dataclass(frozen=True, slots=True)
class Band:
    min: int
    max: int
    label: str
    meaning: str

    def contains(self, total: int) -> bool:
        return self.min <= total <= self.max


@dataclass(frozen=True, slots=True)
class Scoring:
    method: str
    multiplier: int
    missing: str
    max_missing: int
    source: str
    source_url: str = ""


@dataclass(frozen=True, slots=True)
class ChangeRule:
    direction: str
    meaningful: int
    source: str
    reliable: int | None = None
    response_drop_percent: int | None = None
    remission_below: int | None = None
    min_baseline: int | None = None
    source_url: str = ""

    @property
    def lower_is_better(self) -> bool:
        return self.direction == "lower-is-better"


@dataclass(frozen=True, slots=True)
class Questionnaire:
    id: str
    version: int
    name: str
    title: str
    about: str
    instructions: str
    recall_days: int
    min_interval_days: int
    default_interval_days: int
    notice: str
    checked: dt.date
    sources: tuple[Source, ...]
    scoring: Scoring
    items: tuple[Item, ...]
    bands: tuple[Band, ...] = ()
    interpretation: str = ""
    change: ChangeRule | None = None
    stem: str = ""
    content_note: str = ""
    skip_label: str = SKIP_LABEL
    result_note: str = ""
    related_article: str = ""
    deviations: tuple[str, ...] = ()
    loinc_panel: str = ""
    loinc_total: str = ""
    compatible_versions: tuple[int, ...] = field(default=())

    @property
    def scored_items(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.scored)

    @property
    def min_total(self) -> int:
        return sum(min(item.values) for item in self.scored_items)

    @property
    def max_total(self) -> int:
        return sum(max(item.values) for item in self.scored_items)

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def band_for(self, total: int) -> Band | None:
        for band in self.bands:
            if band.contains(total):
                return band
        return None

    def scores_version(self, version: int) -> bool:
        """True when answers given to ``version`` of this instrument score as this one does."""
        return version == self.version or version in self.compatible_versions


# --- parsing -------------------------------------------------------------------------------------


class _Where:
    """Builds error messages that name the file and the field."""

    def __init__(self, source_name: str) -> None:
        self.file = source_name

    def error(self, fieldname: str, message: str) -> ContentError:
        return ContentError(f"{self.file}, {fieldname}: {message}")


def parse_questionnaire(text: str | bytes, source_name: str = "questionnaire") -> Questionnaire:
    """Parse and validate one questionnaire file's text; raise ContentError if anything is wrong."""
    where = _Where(source_name)
    data = _load_toml(text, where)
    return _questionnaire(data, where)


def load_questionnaire_file(path: Path) -> Questionnaire:
    where = _Where(path.name)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise where.error("file", "it is larger than 128 KiB, so it was not opened.")
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise where.error("file", f"it could not be read ({describe(exc.strerror)}).") from exc
    questionnaire = parse_questionnaire(raw, path.name)
    if questionnaire.id != path.stem:
        raise where.error("id", f"“{questionnaire.id}” does not match the file name.")
    return questionnaire


def _load_toml(text: str | bytes, where: _Where) -> dict[str, Any]:
    if isinstance(text, bytes | bytearray):
        if len(text) > MAX_FILE_BYTES:
            raise where.error("file", "it is larger than 128 KiB, so it was not opened.")
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            raise where.error("file", "it is not UTF-8 text.") from None
    if not isinstance(text, str):
        raise where.error("file", "a questionnaire must be given as text.")
    if len(text) > MAX_FILE_BYTES:
        raise where.error("file", "it is larger than 128 KiB, so it was not opened.")
    if "\x00" in text:
        raise where.error("file", "it contains binary data, not text.")
    try:
        data = tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as exc:
        raise where.error("file", f"it is not valid TOML ({describe(exc, 120)}).") from None
    except (RecursionError, MemoryError, ValueError, TypeError):
        raise where.error("file", "it is not valid TOML.") from None
    if not data:
        raise where.error("file", "it is empty.")
    return data


def _text(
    raw: object, where: _Where, name: str, *, limit: int = MAX_TEXT, blank: bool = False
) -> str:
    if not isinstance(raw, str):
        raise where.error(name, "must be text.")
    if not blank and not raw.strip():
        raise where.error(name, "is empty.")
    if len(raw) > limit:
        raise where.error(name, f"is longer than {limit} characters.")
    if has_control_chars(raw):
        raise where.error(name, "contains control characters.")
    return raw.strip()


def _article(raw: object, where: _Where) -> str:
    if raw == "":
        return ""
    if not is_slug(raw):
        raise where.error("related_article", "must be an article's short name, such as “x-y”.")
    assert isinstance(raw, str)
    return raw


def _whole(raw: object, where: _Where, name: str, low: int, high: int) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
        raise where.error(name, f"must be a whole number from {low} to {high}.")
    return raw


def _loinc(raw: object, where: _Where, name: str, *, answer: bool = False) -> str:
    if raw is None or raw == "":
        return ""
    if not isinstance(raw, str):
        raise where.error(name, "must be a LOINC code written as text.")
    if answer:
        if not _ANSWER_RE.match(raw):
            raise where.error(name, f"“{describe(raw)}” is not a LOINC answer code (LAnnnn-n).")
    elif not loinc_is_valid(raw):
        raise where.error(
            name, f"“{describe(raw)}” is not a LOINC code (nnnnn-n with the right check digit)."
        )
    return raw


def _unknown(raw: dict[str, Any], allowed: set[str], where: _Where, name: str) -> None:
    unknown = set(raw) - allowed
    if unknown:
        raise where.error(name, f"unknown field “{describe(sorted(unknown)[0])}”.")


def _questionnaire(data: dict[str, Any], where: _Where) -> Questionnaire:
    _unknown(data, _TOP_KEYS, where, "top level")
    for key in _REQUIRED:
        if key not in data:
            raise where.error(key, "is missing.")
    qid = data["id"]
    if qid not in INSTRUMENTS:
        known = ", ".join(INSTRUMENTS)
        raise where.error("id", f"“{describe(qid)}” is not one of the instruments ({known}).")
    instrument = INSTRUMENTS[qid]
    version = _whole(data["version"], where, "version", 1, 10_000)
    compatible_raw = data.get("compatible_versions", [])
    if not isinstance(compatible_raw, list):
        raise where.error("compatible_versions", "must be a list of earlier version numbers.")
    if compatible_raw and version == 1:
        raise where.error("compatible_versions", "version 1 has no earlier versions.")
    compatible = tuple(
        _whole(v, where, "compatible_versions", 1, version - 1) for v in compatible_raw
    )
    checked = data["checked"]
    if not isinstance(checked, dt.date) or isinstance(checked, dt.datetime):
        raise where.error("checked", "must be a date such as 2026-12-04.")
    recall = _whole(data["recall_days"], where, "recall_days", 0, 366)
    minimum = _whole(data["min_interval_days"], where, "min_interval_days", 0, 3660)
    default = _whole(data["default_interval_days"], where, "default_interval_days", 0, 3660)
    if default and default < minimum:
        raise where.error(
            "default_interval_days", f"{default} is sooner than the minimum of {minimum} days."
        )
    if minimum and minimum < recall:
        raise where.error(
            "min_interval_days",
            f"{minimum} days is shorter than the recall window of {recall} days.",
        )
    notice = _text(data["notice"], where, "notice", limit=MAX_LONG_TEXT)
    deviations_raw = data.get("deviations", [])
    if not isinstance(deviations_raw, list) or len(deviations_raw) > 20:
        raise where.error("deviations", "must be a list of at most 20 sentences.")
    deviations = tuple(
        _text(d, where, f"deviations[{n}]", limit=MAX_LONG_TEXT)
        for n, d in enumerate(deviations_raw)
    )
    try:
        sources = parse_sources(data["sources"], where.file, require_url=False)
    except ContentError as exc:
        raise where.error("sources", str(exc).removeprefix(f"{where.file}: ")) from None
    if not sources:
        raise where.error("sources", "name at least one source the wording was checked against.")

    scoring = _scoring(data["scoring"], where)
    options = _options(data["options"], where, "options")
    items = _items(data["items"], options, instrument, where)
    bands, interpretation = _bands(data, items, where)
    change = _change(data["change"], where) if "change" in data else None
    if change is not None and not bands:
        raise where.error("change", "change rules need bands (a score that can be compared).")

    questionnaire = Questionnaire(
        id=qid,
        version=version,
        compatible_versions=compatible,
        name=_text(data["name"], where, "name", limit=20),
        title=_text(data["title"], where, "title", limit=120),
        about=_text(data["about"], where, "about"),
        instructions=_text(data["instructions"], where, "instructions"),
        stem=_text(data.get("stem", ""), where, "stem", blank=True),
        recall_days=recall,
        min_interval_days=minimum,
        default_interval_days=default,
        content_note=_text(
            data.get("content_note", ""), where, "content_note", limit=MAX_LONG_TEXT, blank=True
        ),
        skip_label=_text(data.get("skip_label", SKIP_LABEL), where, "skip_label", limit=40),
        result_note=_text(
            data.get("result_note", ""), where, "result_note", limit=MAX_LONG_TEXT, blank=True
        ),
        related_article=_article(data.get("related_article", ""), where),
        notice=notice,
        deviations=deviations,
        loinc_panel=_loinc(data.get("loinc_panel", ""), where, "loinc_panel"),
        loinc_total=_loinc(data.get("loinc_total", ""), where, "loinc_total"),
        checked=checked,
        sources=sources,
        scoring=scoring,
        items=items,
        bands=bands,
        interpretation=interpretation,
        change=change,
    )
    _check_scoring(questionnaire, where)
    return questionnaire


def _scoring(raw: object, where: _Where) -> Scoring:
    if not isinstance(raw, dict):
        raise where.error("scoring", "must be a [scoring] table.")
    _unknown(raw, _SCORING_KEYS, where, "scoring")
    for key in ("method", "multiplier", "missing", "max_missing", "source"):
        if key not in raw:
            raise where.error(f"scoring.{key}", "is missing.")
    if raw["method"] != "sum":
        raise where.error("scoring.method", "must be “sum”.")
    missing = raw["missing"]
    if missing not in MISSING_RULES:
        raise where.error("scoring.missing", f"must be one of {', '.join(MISSING_RULES)}.")
    url = raw.get("source_url", "")
    if url and not is_web_url(url):
        raise where.error("scoring.source_url", "must start with http(s)://.")
    return Scoring(
        method="sum",
        multiplier=_whole(raw["multiplier"], where, "scoring.multiplier", 1, 100),
        missing=missing,
        max_missing=_whole(raw["max_missing"], where, "scoring.max_missing", 0, 100),
        source=_text(raw["source"], where, "scoring.source", limit=MAX_LONG_TEXT),
        source_url=url,
    )


def _options(raw: object, where: _Where, name: str) -> tuple[Option, ...]:
    if not isinstance(raw, list) or not raw:
        raise where.error(name, "must be a list of [[options]] tables.")
    if len(raw) > 11:
        raise where.error(name, "has more than 11 answers (digits 0-9 pick them).")
    options: list[Option] = []
    for n, entry in enumerate(raw):
        label = f"{name}[{n}]"
        if not isinstance(entry, dict):
            raise where.error(label, "must be a table with value and label.")
        _unknown(entry, _OPTION_KEYS, where, label)
        if "value" not in entry or "label" not in entry:
            raise where.error(label, "needs a value and a label.")
        value = _whole(entry["value"], where, f"{label}.value", 0, 9)
        options.append(
            Option(
                value=value,
                label=_text(entry["label"], where, f"{label}.label", limit=80),
                code=_loinc(entry.get("code", ""), where, f"{label}.code", answer=True),
            )
        )
    values = [o.value for o in options]
    if len(set(values)) != len(values):
        raise where.error(name, "two answers have the same value.")
    labels = [o.label.casefold() for o in options]
    if len(set(labels)) != len(labels):
        raise where.error(name, "two answers have the same label.")
    return tuple(options)


def _items(
    raw: object, shared: tuple[Option, ...], instrument: Instrument, where: _Where
) -> tuple[Item, ...]:
    if not isinstance(raw, list) or not raw:
        raise where.error("items", "must be a list of [[items]] tables.")
    if len(raw) > 60:
        raise where.error("items", "has more than 60 questions.")
    items: list[Item] = []
    for n, entry in enumerate(raw):
        name = f"items[{n}]"
        if not isinstance(entry, dict):
            raise where.error(name, "must be a table with an id and text.")
        _unknown(entry, _ITEM_KEYS, where, name)
        if "id" not in entry or "text" not in entry:
            raise where.error(name, "needs an id and text.")
        item_id = entry["id"]
        if not isinstance(item_id, str) or not _ITEM_ID_RE.match(item_id):
            raise where.error(f"{name}.id", "must be a short lower-case key such as “1”.")
        scored = entry.get("scored", True)
        if not isinstance(scored, bool):
            raise where.error(f"{name}.scored", "must be true or false.")
        flag = entry.get("flag", "")
        if flag and flag not in FLAGS:
            raise where.error(f"{name}.flag", f"must be one of {', '.join(FLAGS)}.")
        if "options" in entry:
            if scored:
                raise where.error(
                    f"{name}.options", "only an unscored question may have its own answers."
                )
            options = _options(entry["options"], where, f"{name}.options")
        else:
            options = shared
        if scored:
            unknown = sorted(set(o.value for o in options) - set(instrument.values))
            if unknown or len(options) != len(instrument.values):
                expected = ", ".join(str(v) for v in instrument.values)
                bad = f" (unknown value {unknown[0]})" if unknown else ""
                raise where.error(
                    "options", f"the published answers score {expected}; these do not match{bad}."
                )
        items.append(
            Item(
                id=item_id,
                number=n + 1,
                text=_text(entry["text"], where, f"{name}.text"),
                options=options,
                code=_loinc(entry.get("code", ""), where, f"{name}.code"),
                scored=scored,
                flag=flag,
            )
        )
    ids = [item.id for item in items]
    if len(set(ids)) != len(ids):
        raise where.error("items", "two questions have the same id.")
    scored_count = sum(1 for item in items if item.scored)
    if scored_count != instrument.scored_items:
        raise where.error(
            "items",
            f"there are {scored_count} scored questions, "
            f"but the published instrument has {instrument.scored_items}.",
        )
    codes = [item.code for item in items if item.code]
    if len(set(codes)) != len(codes):
        raise where.error("items", "two questions have the same LOINC code.")
    return tuple(items)


def _bands(
    data: dict[str, Any], items: tuple[Item, ...], where: _Where
) -> tuple[tuple[Band, ...], str]:
    raw = data.get("bands")
    interpretation = data.get("interpretation")
    if raw is None and interpretation is None:
        raise where.error("bands", "give [[bands]], or an [interpretation] if no cut-off is valid.")
    if raw is not None and interpretation is not None:
        raise where.error("interpretation", "give [[bands]] or an [interpretation], not both.")
    if interpretation is not None:
        if not isinstance(interpretation, dict):
            raise where.error("interpretation", "must be a table with a meaning.")
        _unknown(interpretation, {"meaning"}, where, "interpretation")
        meaning = _text(
            interpretation.get("meaning"), where, "interpretation.meaning", limit=MAX_LONG_TEXT
        )
        return (), meaning
    if not isinstance(raw, list) or not raw:
        raise where.error("bands", "must be a list of [[bands]] tables.")
    bands: list[Band] = []
    for n, entry in enumerate(raw):
        name = f"bands[{n}]"
        if not isinstance(entry, dict):
            raise where.error(name, "must be a table with min, max, label and meaning.")
        _unknown(entry, _BAND_KEYS, where, name)
        for key in ("min", "max", "label", "meaning"):
            if key not in entry:
                raise where.error(f"{name}.{key}", "is missing.")
        low = _whole(entry["min"], where, f"{name}.min", 0, 1000)
        high = _whole(entry["max"], where, f"{name}.max", 0, 1000)
        if low > high:
            raise where.error(name, f"starts at {low} but ends at {high}.")
        bands.append(
            Band(
                min=low,
                max=high,
                label=_text(entry["label"], where, f"{name}.label", limit=60),
                meaning=_text(entry["meaning"], where, f"{name}.meaning"),
            )
        )
    scored = [item for item in items if item.scored]
    lowest = sum(min(item.values) for item in scored)
    highest = sum(max(item.values) for item in scored)
    if bands[0].min != lowest:
        raise where.error("bands", f"the first band starts at {bands[0].min}, not at {lowest}.")
    for before, after in itertools.pairwise(bands):
        if after.min <= before.max:
            raise where.error(
                "bands",
                f"“{before.label}” ({before.min}-{before.max}) and “{after.label}” "
                f"({after.min}-{after.max}) overlap.",
            )
        if after.min > before.max + 1:
            raise where.error(
                "bands",
                f"no band covers {before.max + 1}-{after.min - 1} "
                f"(between “{before.label}” and “{after.label}”).",
            )
    if bands[-1].max != highest:
        raise where.error("bands", f"the last band ends at {bands[-1].max}, not at {highest}.")
    labels = [band.label.casefold() for band in bands]
    if len(set(labels)) != len(labels):
        raise where.error("bands", "two bands have the same label.")
    return tuple(bands), ""


def _positive(raw: dict[str, Any], key: str, where: _Where) -> int | None:
    if key not in raw:
        return None
    return _whole(raw[key], where, f"change.{key}", 1, 1000)


def _change(raw: object, where: _Where) -> ChangeRule:
    if not isinstance(raw, dict):
        raise where.error("change", "must be a [change] table.")
    _unknown(raw, _CHANGE_KEYS, where, "change")
    for key in ("direction", "meaningful", "source"):
        if key not in raw:
            raise where.error(f"change.{key}", "is missing.")
    if raw["direction"] not in DIRECTIONS:
        raise where.error("change.direction", f"must be one of {', '.join(DIRECTIONS)}.")
    url = raw.get("source_url", "")
    if url and not is_web_url(url):
        raise where.error("change.source_url", "must start with http(s)://.")
    rule = ChangeRule(
        direction=raw["direction"],
        meaningful=_whole(raw["meaningful"], where, "change.meaningful", 1, 1000),
        reliable=_positive(raw, "reliable", where),
        response_drop_percent=(
            _whole(raw["response_drop_percent"], where, "change.response_drop_percent", 1, 100)
            if "response_drop_percent" in raw
            else None
        ),
        remission_below=_positive(raw, "remission_below", where),
        min_baseline=_positive(raw, "min_baseline", where),
        source=_text(raw["source"], where, "change.source", limit=MAX_LONG_TEXT),
        source_url=url,
    )
    if rule.reliable is not None and rule.reliable >= rule.meaningful:
        raise where.error("change.reliable", "must be smaller than change.meaningful.")
    needs_baseline = rule.response_drop_percent is not None or rule.remission_below is not None
    if needs_baseline and rule.min_baseline is None:
        raise where.error("change.min_baseline", "is needed with response or remission.")
    if rule.min_baseline is not None and not needs_baseline:
        raise where.error("change.min_baseline", "is only used with response or remission.")
    return rule


def _check_scoring(q: Questionnaire, where: _Where) -> None:
    scoring = q.scoring
    if scoring.missing == "none" and scoring.max_missing != 0:
        raise where.error("scoring.max_missing", "must be 0 when no answer may be missing.")
    if scoring.missing == "prorate":
        if not 1 <= scoring.max_missing < len(q.scored_items):
            raise where.error(
                "scoring.max_missing", "must leave at least one answered question to prorate."
            )
        if not q.bands:
            raise where.error("scoring.missing", "prorating needs bands.")
    if scoring.missing == "count" and scoring.max_missing != len(q.scored_items):
        raise where.error(
            "scoring.max_missing", "must equal the number of scored questions with “count”."
        )
    if scoring.multiplier != 1 and q.change is None:
        raise where.error("scoring.multiplier", "a shown percentage needs a [change] rule.")
    flagged = [item for item in q.items if item.flag]
    for item in flagged:
        if not item.scored or 0 not in item.values:
            raise where.error(
                f"items[{item.number - 1}].flag", "needs a scored question with answers from 0."
            )


# --- the bundled set -----------------------------------------------------------------------------

_ORDER = {name: n for n, name in enumerate(INSTRUMENTS)}


@functools.cache
def _bundled() -> tuple[Questionnaire, ...]:
    folder = resource_path("questionnaires")
    found = [load_questionnaire_file(path) for path in sorted(folder.glob("*.toml"))]
    return tuple(sorted(found, key=lambda q: _ORDER[q.id]))


def load_questionnaires() -> list[Questionnaire]:
    """Every bundled questionnaire, in the order of :data:`INSTRUMENTS`."""
    return list(_bundled())


def get_questionnaire(questionnaire_id: str) -> Questionnaire:
    for questionnaire in _bundled():
        if questionnaire.id == questionnaire_id:
            return questionnaire
    raise KeyError(questionnaire_id)
