"""From rows of another app's export to check-ins: preview first, then write, all or nothing.

Every format (Daylio, eMoods, Bearable, any CSV) is a :class:`Reader` that streams
:class:`ImportRow` values (or :class:`~companion.core.mood.importing.reading.RowProblem` for rows it
cannot read). This module does the rest the same way for all of them:

1. :func:`preview` reads the file once and writes nothing. It counts the rows, lists the rows
   that cannot be read (line numbers and reasons), finds rows already in the diary and rows
   repeated inside the file, the activity tags and trackers the import would create, and keeps
   the first rows for a table. It explains the mapping in words (the reader's sentences).
2. :func:`write` reads the file again and writes every new row in one transaction and one
   save. Without ``skip_bad_rows`` a single unreadable row refuses the whole file; with it the
   rest is imported and the skipped rows are counted. Any other failure, a Stop, or a file that
   changed since the preview writes nothing.

Duplicates
----------
A row is *already in the diary* when a check-in has the same local date, hour and minute, the
same mood, the same set of tags (names, ignoring case and accents) and the same note. Two
different check-ins in the same minute with the same mood are both kept. A row that repeats an
earlier row of the same file is imported once, and counted separately.

Limits
------
At most :data:`~companion.core.mood.importing.values.MAX_TAGS_PER_ROW` activities on one row
(more is a bad row), at most :data:`MAX_NEW_TAGS` new tags and :data:`MAX_NEW_TRACKERS` new
trackers in one import (more refuses the file, before anything is written). Names longer than
Companion's 40 characters are shortened at a word boundary and listed in the preview.
"""

from __future__ import annotations

import hashlib
import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from typing import Any, Final

from sqlalchemy import Index, func, insert, select

from companion.core.errors import ImportFileError
from companion.core.models import Base, new_id, utcnow
from companion.core.mood.importing.reading import (
    Encoding,
    ImportCancelled,
    Monitor,
    RowProblem,
    Source,
    join_words,
)
from companion.core.mood.importing.values import (
    MAX_TAGS_PER_ROW,
    fold_name,
    forget,
    forget_days,
)
from companion.core.mood.models import MoodEntry, MoodEntryTag, MoodTag, Tracker
from companion.core.mood.tags import default_tags_seeded, ensure_default_tags
from companion.core.mood.vocabulary import (
    CLOCK_SKEW,
    DEFAULT_TAGS,
    EARLIEST,
    MAX_TRACKER_MAGNITUDE,
    TagKind,
    TrackerKind,
)
from companion.core.portable import ImportSummary
from companion.core.timekeeping import local_time
from companion.i18n import N_, _, format_date, format_number, ngettext
from companion.storage.database import Database

#: what each kind of tracker is, for a sentence (translated where said)
_KIND_WORDS: Final = {
    TrackerKind.SCALE: N_("a 0–10 scale"),
    TrackerKind.YES_NO: N_("a yes/no question"),
    TrackerKind.NUMBER: N_("a number"),
}
MAX_NEW_TAGS: Final = 400
MAX_NEW_TRACKERS: Final = 40
#: Rows shown in the preview table (and problems listed) at most.
PREVIEW_ROWS: Final = 200
PREVIEW_PROBLEMS: Final = 200
_BATCH: Final = 2000
#: An import of at least this many new check-ins, and at least as many as the diary already
#: holds, drops the link and time indexes and builds them again once its rows are in (see
#: :func:`_write_rows`).
_REBUILD_AT: Final = 5000
#: the tables an import writes rows into
_ROW_TABLES: Final = ("mood_entries", "entry_tags", "tracker_values")

#: Check-in columns an importer may fill besides mood and note, with their ranges.
_ENTRY_FIELDS: Final[Mapping[str, tuple[float, float, bool]]] = {
    # name: (lowest, highest, whole numbers only)
    "anxiety": (0, 10, True),
    "energy": (0, 10, True),
    "irritability": (0, 10, True),
    "elevated": (0, 3, True),
    "sleep_hours": (0, 24, False),
    "sleep_quality": (1, 5, True),
}


# -- what readers produce ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TagRef:
    name: str  # at most 40 characters
    #: the name as written in the file, when it had to be shortened
    original: str = ""


@dataclass(frozen=True, slots=True)
class TrackerRef:
    """A tracker the row has a value for: matched to the person's tracker of that name (any
    case), else created. Number trackers without bounds get bounds from the values seen."""

    name: str
    kind: TrackerKind
    unit: str | None = None
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True, slots=True)
class ImportRow:
    """One check-in to bring in (line numbers are the file's, for messages)."""

    line: int
    at: datetime  # aware, fixed offset
    mood: int
    source_mood: str = ""
    values: tuple[tuple[str, float], ...] = ()
    tags: tuple[TagRef, ...] = ()
    trackers: tuple[tuple[TrackerRef, float], ...] = ()
    note: str | None = field(default=None, repr=False)
    #: a documented time shift (see import_values.local_moment), else ""
    shift: str = ""

    @property
    def minute(self) -> str:
        return self.at.strftime("%Y-%m-%d %H:%M")

    def value(self, name: str) -> float | None:
        for key, value in self.values:
            if key == name:
                return value
        return None


@dataclass(frozen=True)
class ImportOptions:
    """Choices the person made: names of moods to numbers (any case), whether rows that cannot
    be read are skipped, a column mapping (generic CSV), and for tests the zone and clock."""

    mood_map: Mapping[str, int] = field(default_factory=dict)
    skip_bad_rows: bool = False
    columns: Any = None  # import_csv.ColumnMapping for the generic CSV
    zone: tzinfo | None = None  # None: this computer's time zone
    now: datetime | None = None

    def folded_moods(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for name, value in self.mood_map.items():
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
                raise ImportFileError(
                    _("The mood “{name}” must be given a whole number from 0 to 10.").format(
                        name=name
                    )
                )
            out[fold_name(" ".join(name.split()))] = value
        return out


@dataclass(frozen=True)
class Prepared:
    """What a first look at the file found (before any mapping choice)."""

    source: Source
    encoding: Encoding
    #: mood words in the file with how many rows use them (formats with named moods)
    mood_names: Mapping[str, int] = field(default_factory=dict)
    #: folded mood word → the number it becomes without a choice (known default names)
    mood_defaults: Mapping[str, int] = field(default_factory=dict)
    #: sentences shown before the preview (encoding fallback, language found…)
    notices: tuple[str, ...] = ()
    #: data rows in the file (header excluded), as the person would count them
    record_count: int = 0
    #: format-specific findings (layout, language, column positions…)
    details: Mapping[str, Any] = field(default_factory=dict)


class Reader(ABC):
    """One source format."""

    name: str = ""
    title: str = ""

    @abstractmethod
    def prepare(self, source: Source, options: ImportOptions, monitor: Monitor) -> Prepared:
        """Look at the whole file once: layout, encoding, mood words. Raises ImportFileError
        when the file cannot be this format at all."""

    @abstractmethod
    def rows(
        self, prepared: Prepared, options: ImportOptions, monitor: Monitor
    ) -> Iterator[ImportRow | RowProblem]:
        """Stream the rows; the same file and options always give the same rows."""

    def describe(self, prepared: Prepared, options: ImportOptions) -> list[str]:
        """The mapping in words, one sentence each."""
        return []

    def unmapped_moods(self, prepared: Prepared, options: ImportOptions) -> list[str]:
        chosen = options.folded_moods()
        return [
            name
            for name in prepared.mood_names
            if fold_name(name) not in chosen and fold_name(name) not in prepared.mood_defaults
        ]

    def mood_value(self, prepared: Prepared, options: ImportOptions, name: str) -> int | None:
        key = fold_name(" ".join(name.split()))
        chosen = options.folded_moods()
        if key in chosen:
            return chosen[key]
        return prepared.mood_defaults.get(key)

    def check_moods(self, prepared: Prepared, options: ImportOptions) -> None:
        """Refuse (one sentence) when some mood words have no number yet."""
        unknown = self.unmapped_moods(prepared, options)
        if unknown:
            raise ImportFileError(self.unknown_moods_sentence(prepared, unknown))

    def unknown_moods_sentence(self, prepared: Prepared, unknown: list[str]) -> str:
        return _(
            "The file uses mood names Companion does not know: {names}; give each a number "
            "from 0 to 10 (in the import window, or with --mood NAME=VALUE)."
        ).format(names=join_words(sorted(unknown)))


# -- the preview ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Preview:
    """What an import would do, before it does it."""

    reader: Reader
    source: Source
    prepared: Prepared
    options: ImportOptions
    digest: bytes
    rows_read: int
    to_import: int
    in_diary: int
    in_file: int
    #: (line, line of the earlier row it repeats), the first few
    repeats: tuple[tuple[int, int], ...]
    problems: tuple[RowProblem, ...]
    problem_count: int
    new_tags: tuple[str, ...]
    shortened: tuple[tuple[str, str], ...]  # (file's name, Companion's name)
    new_trackers: tuple[TrackerRef, ...]
    shifts: Mapping[str, int]
    first_day: date | None
    last_day: date | None
    sample: tuple[ImportRow, ...]
    mapping: tuple[str, ...]
    notices: tuple[str, ...]

    @property
    def blocked(self) -> bool:
        """Rows cannot be read and the person has not chosen to skip them."""
        return self.problem_count > 0 and not self.options.skip_bad_rows

    def describe(self) -> str:
        """One paragraph: how many rows, what happens to each kind."""
        n = self.rows_read
        parts = [ngettext("{count} row read", "{count} rows read", n).format(count=_count(n))]
        n = self.to_import
        text = ngettext("{count} check-in to import", "{count} check-ins to import", n).format(
            count=_count(n)
        )
        if self.first_day and self.last_day and self.to_import:
            text = _with_days(text, self.first_day, self.last_day)
        extras = []
        if self.new_tags:
            n = len(self.new_tags)
            extras.append(
                ngettext("{count} new activity tag", "{count} new activity tags", n).format(
                    count=_count(n)
                )
            )
        if self.new_trackers:
            n = len(self.new_trackers)
            extras.append(
                ngettext("{count} new tracker", "{count} new trackers", n).format(count=_count(n))
            )
        if len(extras) == 2:
            text = _("{text}, with {first} and {second}").format(
                text=text, first=extras[0], second=extras[1]
            )
        elif extras:
            text = _("{text}, with {what}").format(text=text, what=extras[0])
        parts.append(text)
        if self.in_diary:
            parts.append(
                ngettext(
                    "{count} row is already in the diary (same time, mood, tags and note) and "
                    "will be skipped",
                    "{count} rows are already in the diary (same time, mood, tags and note) and "
                    "will be skipped",
                    self.in_diary,
                ).format(count=_count(self.in_diary))
            )
        if self.in_file:
            parts.append(
                ngettext(
                    "{count} row repeats an earlier row of this file and will be imported once",
                    "{count} rows repeat an earlier row of this file and will be imported once",
                    self.in_file,
                ).format(count=_count(self.in_file))
            )
        if self.problem_count:
            n = self.problem_count
            if self.options.skip_bad_rows:
                unread = ngettext(
                    "{count} row cannot be read and will be skipped",
                    "{count} rows cannot be read and will be skipped",
                    n,
                )
            else:
                unread = ngettext(
                    "{count} row cannot be read and is listed below",
                    "{count} rows cannot be read and are listed below",
                    n,
                )
            parts.append(unread.format(count=_count(n)))
        return _("{clauses}.").format(clauses="; ".join(parts))

    def shift_sentences(self) -> list[str]:
        out = []
        gap = self.shifts.get("gap", 0)
        if gap:
            out.append(
                ngettext(
                    "{count} check-in is at a time the clocks skipped when they went forward "
                    "(daylight saving); it is moved forward by the skipped time, as a clock "
                    "would have.",
                    "{count} check-ins are at a time the clocks skipped when they went forward "
                    "(daylight saving); they are moved forward by the skipped time, as a clock "
                    "would have.",
                    gap,
                ).format(count=_count(gap))
            )
        twice = self.shifts.get("twice", 0)
        if twice:
            out.append(
                ngettext(
                    "{count} check-in is at a time that happened twice when the clocks went "
                    "back; the first of the two is used.",
                    "{count} check-ins are at a time that happened twice when the clocks went "
                    "back; the first of the two is used.",
                    twice,
                ).format(count=_count(twice))
            )
        offset = self.shifts.get("offset", 0)
        if offset:
            out.append(
                ngettext(
                    "{count} check-in is from years when this computer's time zone was not a "
                    "whole number of minutes from UTC; the times are kept as written and the "
                    "zone is rounded to the minute.",
                    "{count} check-ins are from years when this computer's time zone was not a "
                    "whole number of minutes from UTC; the times are kept as written and the "
                    "zone is rounded to the minute.",
                    offset,
                ).format(count=_count(offset))
            )
        return out

    def problem_sentence(self) -> str:
        """Why the file is refused as a whole (the first problem and how many more)."""
        if not self.problems:
            return ""
        first = self.problems[0]
        more = self.problem_count - 1
        if more:
            return ngettext(
                "{where}: {reason} (and {count} more row cannot be read); import the rest "
                "with --skip-bad-rows or in the import window.",
                "{where}: {reason} (and {count} more rows cannot be read); import the rest "
                "with --skip-bad-rows or in the import window.",
                more,
            ).format(where=first.where(), reason=first.reason, count=_count(more))
        return _(
            "{where}: {reason}; import the rest with --skip-bad-rows or in the import window."
        ).format(where=first.where(), reason=first.reason)


@dataclass(frozen=True)
class MoodImportSummary(ImportSummary):
    in_file: int = 0
    skipped_bad: int = 0
    first_day: date | None = None
    last_day: date | None = None
    #: sentences worth keeping: the file's notices, time shifts, the rows skipped
    details: tuple[str, ...] = ()

    def describe(self) -> str:
        n = self.added.get("check-ins", 0)
        parts = [ngettext("{count} check-in", "{count} check-ins", n).format(count=_count(n))]
        if self.added.get("tags"):
            n = self.added["tags"]
            parts.append(ngettext("{count} new tag", "{count} new tags", n).format(count=_count(n)))
        if self.added.get("trackers"):
            n = self.added["trackers"]
            parts.append(
                ngettext("{count} new tracker", "{count} new trackers", n).format(count=_count(n))
            )
        if len(parts) == 1:
            text = _("Imported {what}").format(what=parts[0])
        else:
            text = _("Imported {some} and {last}").format(
                some=", ".join(parts[:-1]), last=parts[-1]
            )
        if self.first_day and self.last_day:
            text = _with_days(text, self.first_day, self.last_day)
        notes = []
        in_diary = self.skipped_existing.get("check-ins", 0) - self.in_file
        if in_diary:
            notes.append(
                ngettext(
                    "{count} was already in the diary (same time, mood, tags and note) and skipped",
                    "{count} were already in the diary (same time, mood, tags and note) and "
                    "skipped",
                    in_diary,
                ).format(count=_count(in_diary))
            )
        if self.in_file:
            notes.append(
                ngettext(
                    "{count} row repeated an earlier row of the file and was imported once",
                    "{count} rows repeated an earlier row of the file and were imported once",
                    self.in_file,
                ).format(count=_count(self.in_file))
            )
        if self.skipped_bad:
            notes.append(
                ngettext(
                    "{count} row that could not be read was skipped",
                    "{count} rows that could not be read were skipped",
                    self.skipped_bad,
                ).format(count=_count(self.skipped_bad))
            )
        if notes:
            text = _("{text}; {notes}").format(text=text, notes="; ".join(notes))
        return _("{clauses}.").format(clauses=text)


def _count(n: int) -> str:
    return format_number(n)


def _with_days(text: str, first: date, last: date) -> str:
    """``text`` with the days it covers: "… (4 Dec 2026)" or "… (1 Dec 2026 to 4 Dec 2026)"."""
    if first == last:
        return _("{text} ({day})").format(text=text, day=format_date(first, "medium"))
    return _("{text} ({first} to {last})").format(
        text=text, first=format_date(first, "medium"), last=format_date(last, "medium")
    )


# -- sorting rows --------------------------------------------------------------------------------


def row_key(minute: str, mood: int, tags: Iterable[str], note: str | None) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{minute}\x1f{mood}\x1f".encode())
    h.update("\x1e".join(sorted({fold_name(t) for t in tags})).encode())
    h.update(b"\x1f")
    h.update((note or "").encode())
    return h.digest()


def _nice_ceiling(value: float) -> float:
    """1, 2 or 5 times a power of ten, at least ``value`` (bounds for a new number tracker)."""
    if value <= 1:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return float(step * power)
    return float(10 * power)


@dataclass
class _TrackerPlan:
    ref: TrackerRef
    low: float = math.inf
    high: float = -math.inf

    def final(self) -> TrackerRef:
        if self.ref.kind is not TrackerKind.NUMBER:
            return self.ref
        low = self.ref.minimum
        high = self.ref.maximum
        if low is None:
            low = min(0.0, self.low) if math.isfinite(self.low) else 0.0
            low = -_nice_ceiling(-low) if low < 0 else low
        if high is None:
            high = _nice_ceiling(max(self.high * 2, 1.0)) if math.isfinite(self.high) else 10.0
        if high <= low:
            high = low + 1
        return TrackerRef(self.ref.name, self.ref.kind, self.ref.unit, low, high)


@dataclass
class _ExistingTracker:
    id: str
    name: str
    kind: TrackerKind
    minimum: float | None
    maximum: float | None


class _Sieve:
    """Sorts rows into new, already in the diary, repeated in the file, or not importable."""

    def __init__(
        self,
        existing_keys: set[bytes],
        known_tags: set[str],
        trackers: dict[str, _ExistingTracker],
        now: datetime,
    ) -> None:
        self.existing = existing_keys
        self.seen: dict[bytes, int] = {}
        self.known_tags = known_tags
        self.trackers = trackers
        self.now = now
        self.new_tags: dict[str, str] = {}
        self.shortened: dict[str, str] = {}
        self.new_trackers: dict[str, _TrackerPlan] = {}

    def classify(self, row: ImportRow) -> tuple[str, Any]:
        """("new", None) · ("in_diary", None) · ("in_file", first line) · ("problem", RP)."""
        utc = row.at.astimezone(UTC)
        if utc > self.now + CLOCK_SKEW:
            return "problem", RowProblem(
                row.line,
                _("it is dated in the future ({day})").format(day=format_date(row.at, "medium")),
            )
        if utc < EARLIEST:
            return "problem", RowProblem(row.line, _("it is dated before 1900"))
        for name, value in row.values:
            low, high, whole = _ENTRY_FIELDS[name]
            if not low <= value <= high or (whole and value != int(value)):
                return "problem", RowProblem(
                    row.line,
                    _("a value is outside {low}–{high}").format(low=f"{low:g}", high=f"{high:g}"),
                )
        if len(row.tags) > MAX_TAGS_PER_ROW:
            return "problem", RowProblem(
                row.line,
                _("it has more than {count} activities").format(count=MAX_TAGS_PER_ROW),
            )
        for ref, value in row.trackers:
            problem = self._tracker_problem(ref, value)
            if problem:
                return "problem", RowProblem(row.line, problem)
        key = row_key(row.minute, row.mood, (t.name for t in row.tags), row.note)
        if key in self.existing:
            return "in_diary", None
        first = self.seen.get(key)
        if first is not None:
            return "in_file", first
        self.seen[key] = row.line
        self._note_new(row)
        return "new", None

    def _tracker_problem(self, ref: TrackerRef, value: float) -> str:
        name = ref.name
        if not math.isfinite(value) or abs(value) > MAX_TRACKER_MAGNITUDE:
            return _("the value for “{name}” is not a usable number").format(name=name)
        kind = ref.kind
        if kind is TrackerKind.SCALE and (value != int(value) or not 0 <= value <= 10):
            return _("“{name}” must be a whole number from 0 to 10").format(name=name)
        if kind is TrackerKind.YES_NO and value not in (0, 1):
            return _("“{name}” must be yes or no").format(name=name)
        existing = self.trackers.get(fold_name(ref.name))
        if existing is None:
            plan = self.new_trackers.get(fold_name(ref.name))
            if plan is not None and plan.ref.kind is not kind:
                return _("“{name}” has values of two different kinds in this file").format(
                    name=name
                )
            if kind is TrackerKind.NUMBER:
                lo, hi = ref.minimum, ref.maximum
                if (lo is not None and value < lo) or (hi is not None and value > hi):
                    return _("“{name}” must be from {low} to {high}").format(
                        name=name, low=f"{lo:g}", high=f"{hi:g}"
                    )
            return ""
        if existing.kind is not kind:
            return _("your tracker “{name}” is {kind}, but the file has {other} for it").format(
                name=existing.name, kind=_(_KIND_WORDS[existing.kind]), other=_(_KIND_WORDS[kind])
            )
        if kind is TrackerKind.NUMBER:
            lo = existing.minimum if existing.minimum is not None else -MAX_TRACKER_MAGNITUDE
            hi = existing.maximum if existing.maximum is not None else MAX_TRACKER_MAGNITUDE
            if not lo <= value <= hi:
                return _("{value} is outside your tracker “{name}” ({low} to {high})").format(
                    value=f"{value:g}", name=existing.name, low=f"{lo:g}", high=f"{hi:g}"
                )
        return ""

    def _note_new(self, row: ImportRow) -> None:
        for tag in row.tags:
            key = fold_name(tag.name)
            if key not in self.known_tags and key not in self.new_tags:
                if len(self.new_tags) >= MAX_NEW_TAGS:
                    raise ImportFileError(
                        _(
                            "The file would add more than {limit} new activity tags (line "
                            "{line} adds another); one import can add at most {limit}. Check "
                            "that the activities column is right."
                        ).format(limit=MAX_NEW_TAGS, line=row.line)
                    )
                self.new_tags[key] = tag.name
            if tag.original:
                self.shortened[tag.original] = tag.name
        for ref, value in row.trackers:
            key = fold_name(ref.name)
            if key in self.trackers:
                continue
            plan = self.new_trackers.get(key)
            if plan is None:
                if len(self.new_trackers) >= MAX_NEW_TRACKERS:
                    raise ImportFileError(
                        _(
                            "The file would add more than {limit} new trackers (line {line} "
                            "adds another); one import can add at most {limit}."
                        ).format(limit=MAX_NEW_TRACKERS, line=row.line)
                    )
                plan = self.new_trackers[key] = _TrackerPlan(ref)
            plan.low = min(plan.low, value)
            plan.high = max(plan.high, value)


def _existing_state(
    session: Any,
) -> tuple[set[bytes], set[str], dict[str, _ExistingTracker]]:
    tags_of: dict[str, list[str]] = {}
    for entry_id, name in session.execute(
        select(MoodEntryTag.entry_id, MoodTag.name).join(MoodTag, MoodTag.id == MoodEntryTag.tag_id)
    ):
        tags_of.setdefault(entry_id, []).append(name)
    keys: set[bytes] = set()
    for entry_id, occurred, offset, mood, note in session.execute(
        select(
            MoodEntry.id,
            MoodEntry.occurred_at,
            MoodEntry.utc_offset_minutes,
            MoodEntry.mood,
            MoodEntry.note,
        )
    ):
        minute = local_time(occurred, offset).strftime("%Y-%m-%d %H:%M")
        keys.add(row_key(minute, mood, tags_of.get(entry_id, ()), note))
    known = {fold_name(name) for name in session.scalars(select(MoodTag.name))}
    if not default_tags_seeded(session):  # seeded before an import writes
        known |= {fold_name(name) for _kind, name in DEFAULT_TAGS}
    trackers = {
        fold_name(t.name): _ExistingTracker(
            t.id, t.name, TrackerKind(t.kind), t.min_value, t.max_value
        )
        for t in session.scalars(select(Tracker))
    }
    return keys, known, trackers


# -- preview -------------------------------------------------------------------------------------


def preview(
    db: Database,
    reader: Reader,
    source: Source,
    options: ImportOptions | None = None,
    monitor: Monitor | None = None,
    *,
    prepared: Prepared | None = None,
) -> Preview:
    """Read the whole file and say what importing it would do. Writes nothing."""
    options = options or ImportOptions()
    monitor = monitor or Monitor()
    forget_days()
    if prepared is None:
        prepared = reader.prepare(source, options, monitor)
    reader.check_moods(prepared, options)
    digest = source.digest(monitor)
    with db.sessions() as session:
        keys, known, trackers = _existing_state(session)
    sieve = _Sieve(keys, known, trackers, options.now or utcnow())
    counts = {"new": 0, "in_diary": 0, "in_file": 0}
    repeats: list[tuple[int, int]] = []
    problems: list[RowProblem] = []
    problem_count = 0
    sample: list[ImportRow] = []
    shifts: dict[str, int] = {}
    first_day: date | None = None
    last_day: date | None = None
    rows_read = 0
    extra: Any
    for item in reader.rows(prepared, options, monitor):
        rows_read += 1
        if isinstance(item, RowProblem):
            verdict, extra = "problem", item
        else:
            verdict, extra = sieve.classify(item)
        if verdict == "problem":
            problem_count += 1
            if len(problems) < PREVIEW_PROBLEMS:
                problems.append(extra)
            continue
        counts[verdict] += 1
        assert isinstance(item, ImportRow)
        if verdict == "in_file" and len(repeats) < 20:
            repeats.append((item.line, extra))
        if verdict != "new":
            continue
        if item.shift:
            shifts[item.shift] = shifts.get(item.shift, 0) + 1
        day = item.at.date()
        first_day = day if first_day is None or day < first_day else first_day
        last_day = day if last_day is None or day > last_day else last_day
        if len(sample) < PREVIEW_ROWS:
            sample.append(item)
    monitor.progress(source.size, source.size, force=True)
    return Preview(
        reader=reader,
        source=source,
        prepared=prepared,
        options=options,
        digest=digest,
        rows_read=prepared.record_count or rows_read,
        to_import=counts["new"],
        in_diary=counts["in_diary"],
        in_file=counts["in_file"],
        repeats=tuple(repeats),
        problems=tuple(problems),
        problem_count=problem_count,
        new_tags=tuple(sieve.new_tags.values()),
        shortened=tuple(sieve.shortened.items()),
        new_trackers=tuple(p.final() for p in sieve.new_trackers.values()),
        shifts=shifts,
        first_day=first_day,
        last_day=last_day,
        sample=tuple(sample),
        mapping=tuple(reader.describe(prepared, options)),
        notices=prepared.notices,
    )


# -- write ---------------------------------------------------------------------------------------


def write(
    db: Database,
    plan: Preview,
    monitor: Monitor | None = None,
    *,
    before_save: Callable[[], None] | None = None,
) -> MoodImportSummary:
    """Import the previewed file: every new row in one transaction and one save, or nothing.

    The save comes after :func:`_write_rows` has returned, so what it used to sort the rows
    (a key per row read, a few dozen megabytes for a large file) is freed before the save
    holds the image twice (the database and its snapshot), and so are what reading remembered
    (:func:`~companion.core.mood.importing.values.forget`, about 15 MB at 200,000 rows) and
    SQLite's page cache (about 4 MB). ``before_save`` is called between the two (the app and
    the command line give the freed memory back to the system there: about 12 MB at 200,000
    rows)."""
    monitor = monitor or Monitor()
    if plan.blocked:
        raise ImportFileError(plan.problem_sentence())
    with db.saves_suspended():
        try:
            summary = _write_rows(db, plan, monitor)
        finally:
            forget()
        db.scalar("PRAGMA shrink_memory")  # SQLite's page cache, a few MB, refilled on use
        if before_save is not None:
            before_save()
    return summary


def _write_rows(db: Database, plan: Preview, monitor: Monitor) -> MoodImportSummary:
    """The transaction of :func:`write` (committed, not yet saved)."""
    forget_days()
    reader, prepared, options = plan.reader, plan.prepared, plan.options
    now = utcnow()
    try:
        with db.session() as session:
            ensure_default_tags(session)
            keys, known, trackers = _existing_state(session)
            # A large import (relative to the diary) drops the secondary indexes and builds
            # them again at the end, from sorted keys: pages full rather than half-empty (the
            # Daylio export runs newest first, which leaves the time index half empty), in
            # less time; inside the transaction, so a failure brings them back as they were.
            rebuilt = _secondary_indexes() if _worth_rebuilding(session, plan.to_import) else []
            for index in rebuilt:
                index.drop(session.connection())
            sieve = _Sieve(keys, known, trackers, options.now or now)
            planned_trackers = {fold_name(t.name): t for t in plan.new_trackers}
            tag_ids = _tag_ids(session)
            tracker_ids = {key: t.id for key, t in trackers.items()}
            positions = {"tag": len(tag_ids), "tracker": len(tracker_ids)}
            added = {"check-ins": 0, "tags": 0, "trackers": 0}
            in_diary = in_file = skipped = 0
            first_day: date | None = None
            last_day: date | None = None
            skipped_sentences: list[str] = []
            entries: list[dict[str, Any]] = []
            links: list[dict[str, str]] = []
            values: list[dict[str, Any]] = []

            connection = session.connection()  # Core inserts: a third of the ORM's cost
            tables = {
                name: Base.metadata.tables[name]
                for name in ("mood_entries", "entry_tags", "tracker_values")
            }

            def flush() -> None:
                if entries:
                    connection.execute(insert(tables["mood_entries"]), entries)
                if links:
                    connection.execute(insert(tables["entry_tags"]), links)
                if values:
                    connection.execute(insert(tables["tracker_values"]), values)
                entries.clear()
                links.clear()
                values.clear()

            extra: Any
            for item in reader.rows(prepared, options, monitor):
                if isinstance(item, RowProblem):
                    verdict, extra = "problem", item
                else:
                    verdict, extra = sieve.classify(item)
                if verdict == "problem":
                    if not options.skip_bad_rows:
                        raise ImportFileError(
                            _(
                                "{where}: {reason}; nothing was imported (the file changed "
                                "since the preview, or use --skip-bad-rows)."
                            ).format(where=extra.where(), reason=extra.reason)
                        )
                    skipped += 1
                    if len(skipped_sentences) < 20:
                        skipped_sentences.append(
                            _("Skipped: {problem}").format(problem=extra.sentence())
                        )
                    continue
                if verdict == "in_diary":
                    in_diary += 1
                    continue
                if verdict == "in_file":
                    in_file += 1
                    continue
                assert isinstance(item, ImportRow)
                entry_id = new_id()
                occurred = item.at.astimezone(UTC)
                day = item.at.date()
                first_day = day if first_day is None or day < first_day else first_day
                last_day = day if last_day is None or day > last_day else last_day
                record: dict[str, Any] = {
                    "id": entry_id,
                    "occurred_at": occurred,
                    "utc_offset_minutes": _offset(item.at),
                    "mood": item.mood,
                    "note": item.note,
                    # written in the other app at the time it describes, as far as anyone can
                    # tell: not "written later" (mood.Entry.backfilled)
                    "created_at": min(occurred, now),
                    "updated_at": now,
                }
                for name in _ENTRY_FIELDS:
                    record[name] = None
                for name, value in item.values:
                    record[name] = int(value) if _ENTRY_FIELDS[name][2] else float(value)
                entries.append(record)
                seen_tags: set[str] = set()
                for tag in item.tags:
                    key = fold_name(tag.name)
                    if key in seen_tags:
                        continue
                    seen_tags.add(key)
                    if key not in tag_ids:
                        positions["tag"] += 1
                        tag_ids[key] = _new_tag(session, tag.name, positions["tag"], now)
                        added["tags"] += 1
                    links.append({"entry_id": entry_id, "tag_id": tag_ids[key]})
                seen_trackers: set[str] = set()
                for ref, value in item.trackers:
                    key = fold_name(ref.name)
                    if key in seen_trackers:
                        continue
                    seen_trackers.add(key)
                    if key not in tracker_ids:
                        spec = planned_trackers.get(key)
                        if spec is None or not _fits(spec, value):
                            raise ImportFileError(
                                _("The file changed since the preview; please preview it again.")
                            )
                        positions["tracker"] += 1
                        tracker_ids[key] = _new_tracker(session, spec, positions["tracker"], now)
                        added["trackers"] += 1
                    values.append(
                        {"entry_id": entry_id, "tracker_id": tracker_ids[key], "value": value}
                    )
                added["check-ins"] += 1
                if len(entries) >= _BATCH:
                    flush()
            flush()
            for index in rebuilt:
                index.create(connection)
            if plan.source.digest() != plan.digest:
                raise ImportFileError(
                    _(
                        "The file changed since the preview; nothing was imported. Please "
                        "preview it again."
                    )
                )
            monitor.check()
    except (ImportFileError, ImportCancelled):
        raise
    except Exception as exc:  # a constraint the checks missed: the transaction rolled back
        raise ImportFileError(
            _(
                "The file could not be imported because one of its rows does not fit the "
                "diary; nothing was imported."
            )
        ) from exc
    if skipped > len(skipped_sentences):
        more = skipped - len(skipped_sentences)
        skipped_sentences.append(
            ngettext("…and {count} more row.", "…and {count} more rows.", more).format(
                count=_count(more)
            )
        )
    return MoodImportSummary(
        added=added,
        skipped_existing={"check-ins": in_diary + in_file},
        in_file=in_file,
        skipped_bad=skipped,
        first_day=first_day,
        last_day=last_day,
        details=(*plan.notices, *plan.shift_sentences(), *skipped_sentences),
    )


def run(
    db: Database,
    reader: Reader,
    source: Source,
    options: ImportOptions | None = None,
    monitor: Monitor | None = None,
    *,
    before_save: Callable[[], None] | None = None,
) -> MoodImportSummary:
    """Preview and write in one go (the command line)."""
    plan = preview(db, reader, source, options, monitor)
    if plan.blocked:
        raise ImportFileError(plan.problem_sentence())
    return write(db, plan, monitor, before_save=before_save)


class MoodImporter:
    """:func:`preview` and :func:`write` over one diary, as a service the UI is handed
    (``diary.service(MoodImporter)``): the import window never holds the database itself.

    Both may run on a worker thread: the database serves one thread at a time, and the write
    is one transaction and one save."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def preview(
        self,
        reader: Reader,
        source: Source,
        options: ImportOptions | None = None,
        monitor: Monitor | None = None,
        *,
        prepared: Prepared | None = None,
    ) -> Preview:
        return preview(self._db, reader, source, options, monitor, prepared=prepared)

    def write(
        self,
        plan: Preview,
        monitor: Monitor | None = None,
        *,
        before_save: Callable[[], None] | None = None,
    ) -> MoodImportSummary:
        return write(self._db, plan, monitor, before_save=before_save)


def _secondary_indexes() -> list[Index]:
    """The non-unique indexes of the tables an import fills (time, tag, tracker)."""
    return [
        index
        for name in _ROW_TABLES
        for index in sorted(Base.metadata.tables[name].indexes, key=lambda i: str(i.name))
        if not index.unique
    ]


def _worth_rebuilding(session: Any, new_rows: int) -> bool:
    if new_rows < _REBUILD_AT:
        return False
    existing = session.scalar(select(func.count()).select_from(MoodEntry))
    return bool(new_rows >= (existing or 0))


def _fits(spec: TrackerRef, value: float) -> bool:
    if spec.kind is not TrackerKind.NUMBER:
        return True
    low = spec.minimum if spec.minimum is not None else -MAX_TRACKER_MAGNITUDE
    high = spec.maximum if spec.maximum is not None else MAX_TRACKER_MAGNITUDE
    return low <= value <= high


def _offset(moment: datetime) -> int:
    delta = moment.utcoffset()
    return int(delta.total_seconds()) // 60 if delta is not None else 0


def _tag_ids(session: Any) -> dict[str, str]:
    """Folded tag name → id, preferring activity tags when a trigger has the same name."""
    out: dict[str, str] = {}
    activity = TagKind.ACTIVITY.value
    for tag_id, name, kind in session.execute(select(MoodTag.id, MoodTag.name, MoodTag.kind)):
        if kind == activity or fold_name(name) not in out:
            out[fold_name(name)] = tag_id
    return out


def _new_tag(session: Any, name: str, position: int, now: datetime) -> str:
    tag_id = new_id()
    session.execute(
        insert(MoodTag),
        [
            {
                "id": tag_id,
                "name": name,
                "kind": TagKind.ACTIVITY.value,
                "archived": False,
                "position": position,
                "created_at": now,
                "updated_at": now,
            }
        ],
    )
    return tag_id


def _new_tracker(session: Any, spec: TrackerRef, position: int, now: datetime) -> str:
    tracker_id = new_id()
    number = spec.kind is TrackerKind.NUMBER
    session.execute(
        insert(Tracker),
        [
            {
                "id": tracker_id,
                "name": spec.name,
                "kind": spec.kind.value,
                "unit": spec.unit if number else None,
                "min_value": spec.minimum if number else None,
                "max_value": spec.maximum if number else None,
                "archived": False,
                "position": position,
                "created_at": now,
                "updated_at": now,
            }
        ],
    )
    return tracker_id
