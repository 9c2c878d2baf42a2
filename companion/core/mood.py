"""The mood diary: check-ins, tags and custom trackers (the service the UI calls).

Everything the UI needs goes through :class:`MoodService`. It validates input and raises
:class:`~companion.core.errors.ValidationError` with one sentence meant for the person; bad
input never reaches the database. It returns frozen dataclasses, never ORM objects.

Conventions
-----------
- **Time.** A check-in describes a moment, stored as UTC plus the UTC offset (minutes) of the
  person's clock at that moment, so 3 a.m. stays 3 a.m. after travel or a daylight-saving change
  (:func:`local_time`, :attr:`Entry.local_time`, :attr:`Entry.local_date`). Any number of
  check-ins a day; backdating is allowed (back to 1900); a time more than
  :data:`CLOCK_SKEW` in the future is refused.
- **Optional means unknown.** Only mood is required. ``None`` means "not recorded", never zero:
  a UI that wants "no exercise today" must send ``0``, and the insights only compare days
  where the value was recorded.
- **Amounts and nights.** Exercise, time outdoors and alcohol are amounts logged with that
  check-in (a day's total is the sum of its check-ins). Sleep hours and quality describe the
  night before the check-in; when a day has several, the latest check-in's values stand.
- **Scales.** Mood, anxiety, energy and irritability are 0–10 with a name for every step
  (:data:`ANCHORS`, so screen readers never announce a bare "7/10"). Mood: 0 = worst, 10 = best;
  anxiety and irritability: higher = worse. Feeling wired or unusually up ("elevated") is 0–3,
  as on clinical mood charts. Sleep quality is 1–5 (very poor … very good), the
  scale of the clinical data dictionary (clinical-reference §6.1): five named steps are quicker
  to answer half-asleep than eleven, and 1–5 cannot be confused with the 0–10 ratings.
- **Deletes are real.** :meth:`MoodService.delete_entry` removes the row and returns a snapshot;
  :meth:`MoodService.restore_entry` re-creates it with the same id (the UI's undo). Tags and
  trackers work the same way.
"""

from __future__ import annotations

import math
import unicodedata
import uuid
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, timezone
from enum import StrEnum
from functools import cached_property
from typing import Any, Final

from sqlalchemy import ColumnElement, String, delete, func, insert, select, type_coerce
from sqlalchemy.orm import Session

from companion.core.errors import ValidationError
from companion.core.models import (
    MoodEntry,
    MoodEntryTag,
    MoodTag,
    Setting,
    Tracker,
    TrackerValue,
    new_id,
    utcnow,
)
from companion.storage.database import Database

# -- limits and scales -----------------------------------------------------------------------

MAX_NOTE_CHARS: Final = 20_000
MAX_DETAIL_CHARS: Final = 200
MAX_NAME_CHARS: Final = 40
MAX_UNIT_CHARS: Final = 20
#: How far in the future a check-in may be (two computers' clocks rarely agree exactly).
CLOCK_SKEW: Final = timedelta(minutes=5)
EARLIEST: Final = datetime(1900, 1, 1, tzinfo=UTC)
#: Real offsets run from −12:00 to +14:00; the database accepts ±18:00 like Python does.
MAX_OFFSET_MINUTES: Final = 18 * 60
MAX_TRACKER_MAGNITUDE: Final = 1e9

MOOD_ANCHORS: Final[tuple[str, ...]] = (
    "As low as it gets",
    "Extremely low",
    "Very low",
    "Low",
    "A bit low",
    "Neither good nor bad",
    "A bit good",
    "Good",
    "Very good",
    "Extremely good",
    "As good as it gets",
)
#: For anxiety and irritability (higher = worse).
INTENSITY_ANCHORS: Final[tuple[str, ...]] = (
    "None",
    "Barely there",
    "Slight",
    "Mild",
    "Noticeable",
    "Moderate",
    "Marked",
    "Strong",
    "Severe",
    "Very severe",
    "Overwhelming",
)
ENERGY_ANCHORS: Final[tuple[str, ...]] = (
    "None at all",
    "Exhausted",
    "Very low",
    "Low",
    "A bit low",
    "Moderate",
    "Fair",
    "Good",
    "High",
    "Very high",
    "As high as it gets",
)
#: Index 0 is unused: sleep quality runs 1–5.
SLEEP_QUALITY_ANCHORS: Final[tuple[str, ...]] = (
    "",
    "Very poor",
    "Poor",
    "Fair",
    "Good",
    "Very good",
)
#: Feeling "wired" or unusually up, 0–3 (none / mild / moderate / severe in eMoods' mood chart;
#: clinical-reference §6.1: spells of it are worth a clinician's look, and the diary only
#: records them, never names them).
ELEVATED_ANCHORS: Final[tuple[str, ...]] = (
    "Not at all",
    "A little",
    "Quite a bit",
    "A lot",
)
ANCHORS: Final[Mapping[str, tuple[str, ...]]] = {
    "mood": MOOD_ANCHORS,
    "anxiety": INTENSITY_ANCHORS,
    "energy": ENERGY_ANCHORS,
    "irritability": INTENSITY_ANCHORS,
    "elevated": ELEVATED_ANCHORS,
    "sleep_quality": SLEEP_QUALITY_ANCHORS,
}

#: The trauma-related experiences asked about as optional yes/no questions (the source
#: article's list of signs; clinical-reference §1 row 15: they are experiences worth noting,
#: never a test of anything). Field name → the question as shown. "Felt unsafe or on guard"
#: presumes nothing about the place (§4.1: no fixed claim that the person is safe; someone
#: may really be unsafe), and a "yes" offers the safety plan and helplines in the form.
TRAUMA_SIGNS: Final[Mapping[str, str]] = {
    "felt_numb": "Felt numb or disconnected",
    "intrusive_memories": "Intrusive memories or flashbacks",
    "strong_reaction": "A strong reaction to a small trigger",
    "felt_unsafe": "Felt unsafe or on guard",
}


def anchor(scale: str, value: int) -> str:
    """The name of one step, e.g. ``anchor("mood", 7) == "Good"``."""
    names = ANCHORS[scale]
    low = 1 if scale == "sleep_quality" else 0
    if not low <= value < len(names):
        raise ValidationError(f"{value} is not a step of this scale.")
    return names[value]


class TagKind(StrEnum):
    ACTIVITY = "activity"
    TRIGGER = "trigger"


class TrackerKind(StrEnum):
    SCALE = "scale"  # whole numbers 0–10
    YES_NO = "yes_no"  # stored as 1.0 / 0.0
    NUMBER = "number"  # a number with a unit, between the tracker's bounds


#: The starting set, seeded on first use (ids are fixed, so two diaries that both started
#: from the defaults share them and an import never duplicates them).
DEFAULT_TAGS: Final[tuple[tuple[TagKind, str], ...]] = (
    (TagKind.ACTIVITY, "Work or study"),
    (TagKind.ACTIVITY, "Friends"),
    (TagKind.ACTIVITY, "Family"),
    (TagKind.ACTIVITY, "Walk"),
    (TagKind.ACTIVITY, "Time in nature"),
    (TagKind.ACTIVITY, "Hobby"),
    (TagKind.ACTIVITY, "Reading"),
    (TagKind.ACTIVITY, "Music"),
    (TagKind.ACTIVITY, "Cooking"),
    (TagKind.ACTIVITY, "Housework"),
    (TagKind.ACTIVITY, "Rest"),
    (TagKind.ACTIVITY, "Therapy session"),
    (TagKind.ACTIVITY, "Grounding exercise"),
    (TagKind.TRIGGER, "Conflict"),
    (TagKind.TRIGGER, "Loneliness"),
    (TagKind.TRIGGER, "Work stress"),
    (TagKind.TRIGGER, "Money worries"),
    (TagKind.TRIGGER, "Health worries"),
    (TagKind.TRIGGER, "Feeling criticised"),
    (TagKind.TRIGGER, "Reminder of the past"),
    (TagKind.TRIGGER, "Crowds or noise"),
    (TagKind.TRIGGER, "News or social media"),
    (TagKind.TRIGGER, "Physical pain"),
)
_DEFAULTS_NAMESPACE: Final = uuid.UUID("5b0b8c0e-6f1d-4a53-9d0e-6a3c7f2b1c11")
_SEEDED_KEY: Final = "mood.default_tags_seeded"


def default_tag_id(kind: TagKind, name: str) -> str:
    return str(uuid.uuid5(_DEFAULTS_NAMESPACE, f"{kind.value}:{name}"))


# -- local time ------------------------------------------------------------------------------


def local_time(utc: datetime, offset_minutes: int) -> datetime:
    """The wall-clock time at the moment of entry, as an aware datetime with a fixed offset."""
    return utc.astimezone(timezone(timedelta(minutes=offset_minutes)))


def local_date(utc: datetime, offset_minutes: int) -> date:
    return local_time(utc, offset_minutes).date()


def offset_minutes(moment: datetime) -> int:
    """The UTC offset of an aware datetime in whole minutes (naive means this computer's zone)."""
    aware = moment if moment.tzinfo is not None else moment.astimezone()
    delta = aware.utcoffset()
    if delta is None:
        aware = moment.replace(tzinfo=None).astimezone()
        delta = aware.utcoffset()
    seconds = int(delta.total_seconds()) if delta is not None else 0
    if seconds % 60:
        raise ValidationError("The time zone offset must be a whole number of minutes.")
    return seconds // 60


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.replace(tzinfo=None).astimezone()  # this computer's local zone
    return moment


# -- input and output ------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class CheckIn:
    """What the person entered. ``at=None`` means now (on update: keep the entry's time).

    ``at`` should be aware; its offset is the one stored. A naive time is read as this
    computer's local time.
    """

    mood: int
    at: datetime | None = None
    anxiety: int | None = None
    energy: int | None = None
    irritability: int | None = None
    elevated: int | None = None
    sleep_hours: float | None = None
    sleep_quality: int | None = None
    exercise_minutes: int | None = None
    outdoors_minutes: int | None = None
    alcohol_units: float | None = None
    substances_used: bool | None = None
    substances_detail: str | None = field(default=None, repr=False)
    felt_numb: bool | None = None
    intrusive_memories: bool | None = None
    strong_reaction: bool | None = None
    felt_unsafe: bool | None = None
    tag_ids: Collection[str] = ()
    #: tracker id → value (a bool for yes/no trackers, a whole number 0–10 for scales)
    tracker_values: Mapping[str, float | bool] = field(default_factory=dict)
    #: free text: kept out of ``repr`` so it can never end up in a log or a traceback
    note: str | None = field(default=None, repr=False)


#: The columns a check-in carries besides its time, links and bookkeeping.
_VALUE_FIELDS: Final = (
    "mood",
    "anxiety",
    "energy",
    "irritability",
    "elevated",
    "sleep_hours",
    "sleep_quality",
    "exercise_minutes",
    "outdoors_minutes",
    "alcohol_units",
    "substances_used",
    "substances_detail",
    "felt_numb",
    "intrusive_memories",
    "strong_reaction",
    "felt_unsafe",
    "note",
)


@dataclass(frozen=True, kw_only=True)
class Entry:
    """A stored check-in. Also the snapshot :meth:`MoodService.restore_entry` takes back."""

    id: str
    occurred_at: datetime  # aware, UTC
    utc_offset_minutes: int
    mood: int
    anxiety: int | None = None
    energy: int | None = None
    irritability: int | None = None
    elevated: int | None = None
    sleep_hours: float | None = None
    sleep_quality: int | None = None
    exercise_minutes: int | None = None
    outdoors_minutes: int | None = None
    alcohol_units: float | None = None
    substances_used: bool | None = None
    substances_detail: str | None = field(default=None, repr=False)
    felt_numb: bool | None = None
    intrusive_memories: bool | None = None
    strong_reaction: bool | None = None
    felt_unsafe: bool | None = None
    note: str | None = field(default=None, repr=False)
    tag_ids: frozenset[str] = frozenset()
    tracker_values: Mapping[str, float] = field(default_factory=dict)
    created_at: datetime
    updated_at: datetime

    @cached_property
    def local_time(self) -> datetime:
        """The time on the person's clock when they checked in (fixed offset)."""
        return local_time(self.occurred_at, self.utc_offset_minutes)

    @cached_property
    def local_date(self) -> date:
        return self.local_time.date()

    @property
    def backfilled(self) -> bool:
        """Written more than a day after the moment it describes (clinical-reference §6.1)."""
        return self.created_at - self.occurred_at > timedelta(days=1)

    def to_checkin(self) -> CheckIn:
        """The same values as a form would send them (for an edit form or an undo of an edit)."""
        values: dict[str, Any] = {name: getattr(self, name) for name in _VALUE_FIELDS}
        return CheckIn(
            at=self.local_time,
            tag_ids=self.tag_ids,
            tracker_values=dict(self.tracker_values),
            **values,
        )


@dataclass(frozen=True)
class DayGroup:
    """The check-ins of one local day, in time order."""

    day: date
    entries: tuple[Entry, ...]

    @property
    def mood_mean(self) -> float:
        return sum(e.mood for e in self.entries) / len(self.entries)

    @property
    def mood_min(self) -> int:
        return min(e.mood for e in self.entries)

    @property
    def mood_max(self) -> int:
        return max(e.mood for e in self.entries)


@dataclass(frozen=True)
class DailyPoint:
    """One local day of one 0–10 rating (a chart point)."""

    day: date
    mean: float
    minimum: int
    maximum: int
    n: int  # check-ins that rated it that day


@dataclass(frozen=True)
class TagInfo:
    id: str
    name: str
    kind: TagKind
    archived: bool
    position: int


@dataclass(frozen=True)
class TagSnapshot:
    """A deleted tag and the entries that carried it (for undo)."""

    tag: TagInfo
    created_at: datetime
    updated_at: datetime
    entry_ids: tuple[str, ...]


@dataclass(frozen=True)
class TrackerInfo:
    id: str
    name: str
    kind: TrackerKind
    unit: str | None
    minimum: float | None
    maximum: float | None
    archived: bool
    position: int

    def format_value(self, value: float) -> str:
        """A value as the person would say it: "yes", "7", "2.5 cups"."""
        if self.kind is TrackerKind.YES_NO:
            return "yes" if value >= 0.5 else "no"
        text = f"{value:g}"
        return f"{text} {self.unit}" if self.kind is TrackerKind.NUMBER and self.unit else text


@dataclass(frozen=True)
class TrackerSnapshot:
    """A deleted tracker and every value it held (for undo)."""

    tracker: TrackerInfo
    created_at: datetime
    updated_at: datetime
    values: tuple[tuple[str, float], ...]  # (entry id, value)


class NotFoundError(ValidationError):
    """The thing asked for is not (or no longer) in the diary."""


# -- validation helpers ----------------------------------------------------------------------


def _whole(label: str, value: object, low: int, high: int, *, required: bool = False) -> int | None:
    if value is None:
        if required:
            raise ValidationError(f"{label} is required.")
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{label} must be a whole number from {low} to {high}.")
    if not low <= value <= high:
        raise ValidationError(f"{label} must be from {low} to {high}; {value} is outside that.")
    return value


def _number(label: str, value: object, low: float, high: float, unit: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(f"{label} must be a number.")
    number = float(value)
    if not math.isfinite(number) or not low <= number <= high:
        raise ValidationError(f"{label} must be from {low:g} to {high:g} {unit}.")
    return number


def _yes_no(label: str, value: object) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise ValidationError(f"{label} must be yes, no or left empty.")


def _text(label: str, value: object, limit: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError(f"{label} must be text.")
    if not value.strip():
        return None
    if len(value) > limit:
        raise ValidationError(
            f"{label} is too long: it has {len(value):,} characters and the limit is "
            f"{limit:,}. Please shorten it or split it over more than one check-in."
        )
    return value


def _name(label: str, value: object) -> str:
    if not isinstance(value, str):
        raise ValidationError(f"The {label} name must be text.")
    name = " ".join(value.split())
    if not name:
        raise ValidationError(f"The {label} needs a name.")
    if len(name) > MAX_NAME_CHARS:
        raise ValidationError(
            f"The {label} name is too long; please keep it to {MAX_NAME_CHARS} characters."
        )
    return name


def fold(text: str) -> str:
    """Case- and accent-insensitive form for searching ("Café" and "cafe" match)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


# -- the service -----------------------------------------------------------------------------

_ENTRY_COLUMNS: Final = tuple(MoodEntry.__table__.columns)
_TIME_COLUMNS: Final = ("occurred_at", "created_at", "updated_at")
#: The time columns read as their stored text and parsed by ``datetime.fromisoformat``
#: (C code): a third of the cost of loading ten years through the type's processor.
_ENTRY_SELECT: Final = tuple(
    type_coerce(c, String()).label(c.name) if c.name in _TIME_COLUMNS else c for c in _ENTRY_COLUMNS
)


def _parse_utc(stored: str | datetime) -> datetime:
    if isinstance(stored, datetime):
        return stored if stored.tzinfo is not None else stored.replace(tzinfo=UTC)
    return datetime.fromisoformat(stored).replace(tzinfo=UTC)


class MoodService:
    """Check-ins, history, tags and trackers over one unlocked diary database.

    ``clock`` returns the current time (aware); tests pass a fixed one.
    """

    def __init__(self, db: Database, *, clock: Callable[[], datetime] = utcnow) -> None:
        self._db = db
        self._clock = clock

    @property
    def database(self) -> Database:
        return self._db

    # -- check-ins ---------------------------------------------------------------------------

    def create_entry(self, checkin: CheckIn) -> Entry:
        """Save a new check-in and return it as stored."""
        with self._db.session() as session:
            values = self._validate(session, checkin, previous=None)
            now = self._clock()
            entry_id = new_id()
            self._write(session, entry_id, values, created_at=now, updated_at=now, new=True)
            return self._load_one(session, entry_id)

    def update_entry(self, entry_id: str, checkin: CheckIn) -> Entry:
        """Replace every value of a check-in (``at=None`` keeps its time)."""
        with self._db.session() as session:
            row = self._entry_row(session, entry_id)
            values = self._validate(session, checkin, previous=row)
            self._write(
                session,
                entry_id,
                values,
                created_at=row.created_at,
                updated_at=self._clock(),
                new=False,
            )
            return self._load_one(session, entry_id)

    def delete_entry(self, entry_id: str) -> Entry:
        """Delete a check-in for real; the returned snapshot lets the UI undo."""
        with self._db.session() as session:
            snapshot = self._load_one(session, entry_id)
            session.execute(delete(MoodEntry).where(MoodEntry.id == entry_id))
        return snapshot

    def restore_entry(self, snapshot: Entry) -> Entry:
        """Re-create a deleted check-in with its id and timestamps (undo of a delete).

        Tags or trackers deleted in the meantime are left off; everything else is restored.
        """
        with self._db.session() as session:
            if session.get(MoodEntry, snapshot.id) is not None:
                raise ValidationError("That check-in is already in the diary.")
            known_tags = set(
                session.scalars(select(MoodTag.id).where(MoodTag.id.in_(snapshot.tag_ids)))
            )
            known_trackers = set(
                session.scalars(
                    select(Tracker.id).where(Tracker.id.in_(list(snapshot.tracker_values)))
                )
            )
            checkin = replace(
                snapshot.to_checkin(),
                tag_ids=snapshot.tag_ids & known_tags,
                tracker_values={
                    k: v for k, v in snapshot.tracker_values.items() if k in known_trackers
                },
            )
            values = self._validate(session, checkin, previous=None, allow_future=True)
            self._write(
                session,
                snapshot.id,
                values,
                created_at=snapshot.created_at,
                updated_at=snapshot.updated_at,
                new=True,
            )
            return self._load_one(session, snapshot.id)

    def get_entry(self, entry_id: str) -> Entry:
        with self._db.sessions() as session:
            return self._load_one(session, entry_id)

    def count_entries(self) -> int:
        with self._db.sessions() as session:
            return int(session.scalar(select(func.count()).select_from(MoodEntry)) or 0)

    def entries(
        self,
        *,
        start: date | None = None,
        end: date | None = None,
        tag_ids: Collection[str] = (),
        all_tags: bool = False,
        text: str | None = None,
    ) -> list[Entry]:
        """Check-ins in time order, filtered by local day (inclusive), tags and note text.

        ``tag_ids``: entries carrying any of them (all of them with ``all_tags=True``).
        ``text``: words that must all appear in the note, ignoring case and accents.
        """
        if start is not None and end is not None and start > end:
            raise ValidationError("The start date is after the end date.")
        conditions: list[ColumnElement[bool]] = []
        # Narrow in SQL by UTC with the widest possible offset, then exactly by local day.
        margin = timedelta(minutes=MAX_OFFSET_MINUTES)
        if start is not None:
            conditions.append(
                MoodEntry.occurred_at >= datetime.combine(start, time(), tzinfo=UTC) - margin
            )
        if end is not None:
            after = datetime.combine(end + timedelta(days=1), time(), tzinfo=UTC) + margin
            conditions.append(MoodEntry.occurred_at < after)
        wanted_tags = set(tag_ids)
        if wanted_tags:
            conditions.append(
                MoodEntry.id.in_(
                    select(MoodEntryTag.entry_id).where(MoodEntryTag.tag_id.in_(wanted_tags))
                )
            )
        with self._db.sessions() as session:
            found = self._load(session, conditions)
        words = [fold(w) for w in (text or "").split()]
        out = []
        for entry in found:
            day = entry.local_date
            if start is not None and day < start:
                continue
            if end is not None and day > end:
                continue
            if all_tags and not wanted_tags <= entry.tag_ids:
                continue
            if words:
                if not entry.note:
                    continue
                note = fold(entry.note)
                if not all(w in note for w in words):
                    continue
            out.append(entry)
        return out

    def history(
        self,
        *,
        start: date | None = None,
        end: date | None = None,
        tag_ids: Collection[str] = (),
        all_tags: bool = False,
        text: str | None = None,
    ) -> list[DayGroup]:
        """Check-ins grouped by local day, newest day first (entries in time order)."""
        found = self.entries(start=start, end=end, tag_ids=tag_ids, all_tags=all_tags, text=text)
        return group_by_day(found, newest_first=True)

    def daily_aggregates(
        self, metric: str, start: date | None = None, end: date | None = None
    ) -> list[DailyPoint]:
        """Per local day: mean, min, max and count of one 0–10 rating, computed in SQL."""
        if metric not in ("mood", "anxiety", "energy", "irritability"):
            raise ValidationError("Only mood, anxiety, energy and irritability can be charted.")
        column = MoodEntry.__table__.c[metric]
        shift = func.printf("%+d minutes", MoodEntry.utc_offset_minutes)
        day = func.date(type_coerce(MoodEntry.occurred_at, String()), shift)
        query = select(
            day, func.avg(column), func.min(column), func.max(column), func.count(column)
        ).where(column.is_not(None))
        if start is not None:
            query = query.where(day >= start.isoformat())
        if end is not None:
            query = query.where(day <= end.isoformat())
        with self._db.sessions() as session:
            rows = session.connection().execute(query.group_by(day).order_by(day)).all()
        return [
            DailyPoint(date.fromisoformat(d), float(mean), int(low), int(high), int(n))
            for d, mean, low, high, n in rows
        ]

    def daily_aggregates_all(
        self, start: date | None = None, end: date | None = None
    ) -> dict[str, list[DailyPoint]]:
        """:meth:`daily_aggregates` for all four ratings from one pass over the table (a chart's
        first draw of ten years reads this once instead of four times)."""
        metrics = ("mood", "anxiety", "energy", "irritability")
        # Plain SQL on the driver connection: SQLAlchemy's row processing cost more than the
        # query itself for ten years of days. Column names are fixed here, never input.
        day = "date(occurred_at, printf('%+d minutes', utc_offset_minutes))"
        columns = ", ".join(f"avg({m}), min({m}), max({m}), count({m})" for m in metrics)
        where: list[str] = []
        params: list[str] = []
        if start is not None:
            where.append(f"{day} >= ?")
            params.append(start.isoformat())
        if end is not None:
            where.append(f"{day} <= ?")
            params.append(end.isoformat())
        sql = (
            f"SELECT {day} AS day, {columns} FROM mood_entries"
            + (f" WHERE {' AND '.join(where)}" if where else "")
            + " GROUP BY day ORDER BY day"
        )
        with self._db.sessions() as session:
            driver = session.connection().connection.driver_connection
            assert driver is not None
            rows = driver.execute(sql, params).fetchall()
        out: dict[str, list[DailyPoint]] = {m: [] for m in metrics}
        for row in rows:
            when = date.fromisoformat(row[0])
            for i, metric in enumerate(metrics):
                mean, low, high, n = row[1 + 4 * i : 5 + 4 * i]
                if n:
                    out[metric].append(DailyPoint(when, float(mean), int(low), int(high), int(n)))
        return out

    # -- tags --------------------------------------------------------------------------------

    def tags(self, kind: TagKind | None = None, *, include_archived: bool = True) -> list[TagInfo]:
        """Tags in display order (seeding the starting set on first use)."""
        with self._db.session() as session:
            self._seed_defaults(session)
            query = select(MoodTag).order_by(MoodTag.kind, MoodTag.position, MoodTag.name)
            if kind is not None:
                query = query.where(MoodTag.kind == TagKind(kind).value)
            if not include_archived:
                query = query.where(MoodTag.archived.is_(False))
            return [_tag_info(t) for t in session.scalars(query)]

    def add_tag(self, name: str, kind: TagKind) -> TagInfo:
        try:
            tag_kind = TagKind(kind)
        except ValueError:
            raise ValidationError("A tag is either an activity or a trigger.") from None
        clean = _name("tag", name)
        with self._db.session() as session:
            self._seed_defaults(session)
            self._check_tag_name_free(session, clean, tag_kind, except_id=None)
            last = session.scalar(
                select(func.max(MoodTag.position)).where(MoodTag.kind == tag_kind.value)
            )
            tag = MoodTag(name=clean, kind=tag_kind.value, position=(last or 0) + 1)
            session.add(tag)
            session.flush()
            return _tag_info(tag)

    def rename_tag(self, tag_id: str, name: str) -> TagInfo:
        clean = _name("tag", name)
        with self._db.session() as session:
            tag = self._tag_row(session, tag_id)
            self._check_tag_name_free(session, clean, TagKind(tag.kind), except_id=tag.id)
            tag.name = clean
            session.flush()
            return _tag_info(tag)

    def set_tag_archived(self, tag_id: str, archived: bool) -> TagInfo:
        """Hide a tag from new check-ins (past entries keep it) or bring it back."""
        with self._db.session() as session:
            tag = self._tag_row(session, tag_id)
            tag.archived = bool(archived)
            session.flush()
            return _tag_info(tag)

    def tag_usage(self, tag_id: str) -> int:
        """How many check-ins carry the tag (so the UI can offer archiving before deleting)."""
        with self._db.sessions() as session:
            query = select(func.count()).where(MoodEntryTag.tag_id == tag_id)
            return int(session.scalar(query) or 0)

    def delete_tag(self, tag_id: str) -> TagSnapshot:
        """Delete a tag and remove it from every check-in (the check-ins stay)."""
        with self._db.session() as session:
            tag = self._tag_row(session, tag_id)
            entry_ids = tuple(
                session.scalars(
                    select(MoodEntryTag.entry_id)
                    .where(MoodEntryTag.tag_id == tag_id)
                    .order_by(MoodEntryTag.entry_id)
                )
            )
            snapshot = TagSnapshot(_tag_info(tag), tag.created_at, tag.updated_at, entry_ids)
            session.execute(delete(MoodTag).where(MoodTag.id == tag_id))
        return snapshot

    def restore_tag(self, snapshot: TagSnapshot) -> TagInfo:
        """Undo :meth:`delete_tag`: the same tag, back on the check-ins that still exist."""
        info = snapshot.tag
        with self._db.session() as session:
            if session.get(MoodTag, info.id) is not None:
                raise ValidationError("That tag is already in the diary.")
            self._check_tag_name_free(session, info.name, info.kind, except_id=None)
            session.add(
                MoodTag(
                    id=info.id,
                    name=info.name,
                    kind=info.kind.value,
                    archived=info.archived,
                    position=info.position,
                    created_at=snapshot.created_at,
                    updated_at=snapshot.updated_at,
                )
            )
            session.flush()
            existing = set(
                session.scalars(select(MoodEntry.id).where(MoodEntry.id.in_(snapshot.entry_ids)))
            )
            rows = [{"entry_id": e, "tag_id": info.id} for e in snapshot.entry_ids if e in existing]
            if rows:
                session.execute(insert(MoodEntryTag), rows)
            return info

    # -- trackers ----------------------------------------------------------------------------

    def trackers(self, *, include_archived: bool = True) -> list[TrackerInfo]:
        with self._db.sessions() as session:
            query = select(Tracker).order_by(Tracker.position, Tracker.name)
            if not include_archived:
                query = query.where(Tracker.archived.is_(False))
            return [_tracker_info(t) for t in session.scalars(query)]

    def add_tracker(
        self,
        name: str,
        kind: TrackerKind,
        *,
        unit: str | None = None,
        minimum: float | None = None,
        maximum: float | None = None,
    ) -> TrackerInfo:
        """A custom tracker: a 0–10 scale, yes/no, or a number with a unit and bounds."""
        clean, tracker_kind, clean_unit, low, high = _tracker_fields(
            name, kind, unit, minimum, maximum
        )
        with self._db.session() as session:
            self._check_tracker_name_free(session, clean, except_id=None)
            last = session.scalar(select(func.max(Tracker.position)))
            tracker = Tracker(
                name=clean,
                kind=tracker_kind.value,
                unit=clean_unit,
                min_value=low,
                max_value=high,
                position=(last or 0) + 1,
            )
            session.add(tracker)
            session.flush()
            return _tracker_info(tracker)

    def update_tracker(
        self,
        tracker_id: str,
        *,
        name: str,
        unit: str | None = None,
        minimum: float | None = None,
        maximum: float | None = None,
    ) -> TrackerInfo:
        """Rename a tracker or change its unit and bounds (its kind cannot change)."""
        with self._db.session() as session:
            tracker = self._tracker_row(session, tracker_id)
            kind = TrackerKind(tracker.kind)
            clean, _, clean_unit, low, high = _tracker_fields(name, kind, unit, minimum, maximum)
            self._check_tracker_name_free(session, clean, except_id=tracker.id)
            if kind is TrackerKind.NUMBER and low is not None and high is not None:
                outside = session.scalar(
                    select(func.count()).where(
                        TrackerValue.tracker_id == tracker_id,
                        (TrackerValue.value < low) | (TrackerValue.value > high),
                    )
                )
                if outside:
                    raise ValidationError(
                        f"{outside} recorded value{'s' if outside != 1 else ''} of “{clean}” "
                        f"would fall outside {low:g} to {high:g}; widen the range or edit them "
                        "first."
                    )
            tracker.name = clean
            tracker.unit = clean_unit
            tracker.min_value = low
            tracker.max_value = high
            session.flush()
            return _tracker_info(tracker)

    def set_tracker_archived(self, tracker_id: str, archived: bool) -> TrackerInfo:
        """Hide a tracker from new check-ins (its history stays) or bring it back."""
        with self._db.session() as session:
            tracker = self._tracker_row(session, tracker_id)
            tracker.archived = bool(archived)
            session.flush()
            return _tracker_info(tracker)

    def tracker_usage(self, tracker_id: str) -> int:
        with self._db.sessions() as session:
            query = select(func.count()).where(TrackerValue.tracker_id == tracker_id)
            return int(session.scalar(query) or 0)

    def delete_tracker(self, tracker_id: str) -> TrackerSnapshot:
        """Delete a tracker and every value recorded for it (the check-ins stay)."""
        with self._db.session() as session:
            tracker = self._tracker_row(session, tracker_id)
            rows = session.execute(
                select(TrackerValue.entry_id, TrackerValue.value)
                .where(TrackerValue.tracker_id == tracker_id)
                .order_by(TrackerValue.entry_id)
            ).all()
            snapshot = TrackerSnapshot(
                _tracker_info(tracker),
                tracker.created_at,
                tracker.updated_at,
                tuple((r[0], float(r[1])) for r in rows),
            )
            session.execute(delete(Tracker).where(Tracker.id == tracker_id))
        return snapshot

    def restore_tracker(self, snapshot: TrackerSnapshot) -> TrackerInfo:
        info = snapshot.tracker
        with self._db.session() as session:
            if session.get(Tracker, info.id) is not None:
                raise ValidationError("That tracker is already in the diary.")
            self._check_tracker_name_free(session, info.name, except_id=None)
            session.add(
                Tracker(
                    id=info.id,
                    name=info.name,
                    kind=info.kind.value,
                    unit=info.unit,
                    min_value=info.minimum,
                    max_value=info.maximum,
                    archived=info.archived,
                    position=info.position,
                    created_at=snapshot.created_at,
                    updated_at=snapshot.updated_at,
                )
            )
            session.flush()
            wanted = [e for e, _ in snapshot.values]
            existing = set(session.scalars(select(MoodEntry.id).where(MoodEntry.id.in_(wanted))))
            rows = [
                {"entry_id": e, "tracker_id": info.id, "value": v}
                for e, v in snapshot.values
                if e in existing
            ]
            if rows:
                session.execute(insert(TrackerValue), rows)
            return info

    # -- internals ---------------------------------------------------------------------------

    def _validate(
        self,
        session: Session,
        checkin: CheckIn,
        *,
        previous: MoodEntry | None,
        allow_future: bool = False,
    ) -> dict[str, Any]:
        if checkin.at is None:
            if previous is not None:
                moment = previous.occurred_at
                offset = previous.utc_offset_minutes
            else:
                now_local = self._clock().astimezone()
                moment, offset = now_local.astimezone(UTC), offset_minutes(now_local)
        else:
            if not isinstance(checkin.at, datetime):
                raise ValidationError("The time of the check-in is not a valid time.")
            aware = _aware(checkin.at)
            moment, offset = aware.astimezone(UTC), offset_minutes(aware)
        if not -MAX_OFFSET_MINUTES <= offset <= MAX_OFFSET_MINUTES:
            raise ValidationError("The time zone of the check-in is not a real one.")
        if not allow_future and moment > self._clock() + CLOCK_SKEW:
            raise ValidationError(
                "That time is in the future; a check-in can describe now or any time before."
            )
        if moment < EARLIEST:
            raise ValidationError("That date is too far in the past.")

        values: dict[str, Any] = {"occurred_at": moment, "utc_offset_minutes": offset}
        values["mood"] = _whole("Mood", checkin.mood, 0, 10, required=True)
        values["anxiety"] = _whole("Anxiety", checkin.anxiety, 0, 10)
        values["energy"] = _whole("Energy", checkin.energy, 0, 10)
        values["irritability"] = _whole("Irritability", checkin.irritability, 0, 10)
        values["elevated"] = _whole("Feeling wired or unusually up", checkin.elevated, 0, 3)
        values["sleep_hours"] = _number("Sleep", checkin.sleep_hours, 0, 24, "hours")
        values["sleep_quality"] = _whole("Sleep quality", checkin.sleep_quality, 1, 5)
        values["exercise_minutes"] = _whole("Exercise", checkin.exercise_minutes, 0, 1440)
        values["outdoors_minutes"] = _whole("Time outdoors", checkin.outdoors_minutes, 0, 1440)
        values["alcohol_units"] = _number("Alcohol", checkin.alcohol_units, 0, 100, "units")
        values["substances_used"] = _yes_no("Other substances", checkin.substances_used)
        values["substances_detail"] = _text(
            "The substances note", checkin.substances_detail, MAX_DETAIL_CHARS
        )
        for key, question in TRAUMA_SIGNS.items():
            values[key] = _yes_no(f"“{question}”", getattr(checkin, key))
        values["note"] = _text("The note", checkin.note, MAX_NOTE_CHARS)

        if isinstance(checkin.tag_ids, str):
            raise ValidationError("The tags must be a list of tags.")
        tag_ids = set(checkin.tag_ids)
        if tag_ids:
            known = set(session.scalars(select(MoodTag.id).where(MoodTag.id.in_(tag_ids))))
            if tag_ids - known:
                raise NotFoundError("One of the chosen tags no longer exists.")
        values["tag_ids"] = tag_ids

        tracked: dict[str, float] = {}
        if checkin.tracker_values:
            trackers = {
                t.id: t
                for t in session.scalars(
                    select(Tracker).where(Tracker.id.in_(list(checkin.tracker_values)))
                )
            }
            for tracker_id, raw in checkin.tracker_values.items():
                tracker = trackers.get(tracker_id)
                if tracker is None:
                    raise NotFoundError("One of the trackers no longer exists.")
                tracked[tracker_id] = _tracker_value(_tracker_info(tracker), raw)
        values["tracker_values"] = tracked
        return values

    def _write(
        self,
        session: Session,
        entry_id: str,
        values: dict[str, Any],
        *,
        created_at: datetime,
        updated_at: datetime,
        new: bool,
    ) -> None:
        tag_ids: set[str] = values.pop("tag_ids")
        tracked: dict[str, float] = values.pop("tracker_values")
        row = {**values, "id": entry_id, "created_at": created_at, "updated_at": updated_at}
        if new:
            session.execute(insert(MoodEntry), [row])
        else:
            entry = session.get(MoodEntry, entry_id)
            assert entry is not None
            for key, value in row.items():
                setattr(entry, key, value)
            session.flush()
            session.execute(delete(MoodEntryTag).where(MoodEntryTag.entry_id == entry_id))
            session.execute(delete(TrackerValue).where(TrackerValue.entry_id == entry_id))
        if tag_ids:
            session.execute(
                insert(MoodEntryTag), [{"entry_id": entry_id, "tag_id": t} for t in sorted(tag_ids)]
            )
        if tracked:
            session.execute(
                insert(TrackerValue),
                [
                    {"entry_id": entry_id, "tracker_id": t, "value": v}
                    for t, v in sorted(tracked.items())
                ],
            )

    def _entry_row(self, session: Session, entry_id: str) -> MoodEntry:
        row = session.get(MoodEntry, entry_id)
        if row is None:
            raise NotFoundError("That check-in is no longer in the diary.")
        return row

    def _load_one(self, session: Session, entry_id: str) -> Entry:
        found = self._load(session, [MoodEntry.id == entry_id])
        if not found:
            raise NotFoundError("That check-in is no longer in the diary.")
        return found[0]

    def _load(self, session: Session, conditions: Sequence[ColumnElement[bool]]) -> list[Entry]:
        # Core queries on the session's connection: several times faster than ORM loading
        # for the ten-year histories the charts read.
        conn = session.connection()
        rows = conn.execute(
            select(*_ENTRY_SELECT).where(*conditions).order_by(MoodEntry.occurred_at, MoodEntry.id)
        ).all()
        if not rows:
            return []
        ids = select(MoodEntry.id).where(*conditions).scalar_subquery()
        tags: dict[str, set[str]] = defaultdict(set)
        for entry_id, tag_id in conn.execute(
            select(MoodEntryTag.entry_id, MoodEntryTag.tag_id).where(MoodEntryTag.entry_id.in_(ids))
        ):
            tags[entry_id].add(tag_id)
        tracked: dict[str, dict[str, float]] = defaultdict(dict)
        for entry_id, tracker_id, value in conn.execute(
            select(TrackerValue.entry_id, TrackerValue.tracker_id, TrackerValue.value).where(
                TrackerValue.entry_id.in_(ids)
            )
        ):
            tracked[entry_id][tracker_id] = float(value)
        names = [c.name for c in _ENTRY_COLUMNS]
        no_tags: frozenset[str] = frozenset()
        out = []
        for row in rows:
            data = dict(zip(names, row, strict=True))
            for name in _TIME_COLUMNS:
                data[name] = _parse_utc(data[name])
            entry_id = data["id"]
            found_tags = tags.get(entry_id)
            out.append(
                Entry(
                    tag_ids=frozenset(found_tags) if found_tags else no_tags,
                    tracker_values=tracked.get(entry_id, {}),
                    **data,
                )
            )
        return out

    def _seed_defaults(self, session: Session) -> None:
        ensure_default_tags(session)

    def _tag_row(self, session: Session, tag_id: str) -> MoodTag:
        tag = session.get(MoodTag, tag_id)
        if tag is None:
            raise NotFoundError("That tag is no longer in the diary.")
        return tag

    def _check_tag_name_free(
        self, session: Session, name: str, kind: TagKind, *, except_id: str | None
    ) -> None:
        wanted = fold(name)
        for other_id, other in session.execute(
            select(MoodTag.id, MoodTag.name).where(MoodTag.kind == kind.value)
        ):
            if other_id != except_id and fold(other) == wanted:
                what = "an activity" if kind is TagKind.ACTIVITY else "a trigger"
                raise ValidationError(f"There is already {what} called “{other}”.")

    def _tracker_row(self, session: Session, tracker_id: str) -> Tracker:
        tracker = session.get(Tracker, tracker_id)
        if tracker is None:
            raise NotFoundError("That tracker is no longer in the diary.")
        return tracker

    def _check_tracker_name_free(
        self, session: Session, name: str, *, except_id: str | None
    ) -> None:
        wanted = fold(name)
        for other_id, other in session.execute(select(Tracker.id, Tracker.name)):
            if other_id != except_id and fold(other) == wanted:
                raise ValidationError(f"There is already a tracker called “{other}”.")


# -- module helpers --------------------------------------------------------------------------


def group_by_day(entries: Iterable[Entry], *, newest_first: bool = False) -> list[DayGroup]:
    """Group check-ins by the local day they describe (entries in time order within a day)."""
    days: dict[date, list[Entry]] = defaultdict(list)
    for entry in entries:
        days[entry.local_date].append(entry)
    groups = [
        DayGroup(day, tuple(sorted(items, key=lambda e: (e.occurred_at, e.id))))
        for day, items in days.items()
    ]
    groups.sort(key=lambda g: g.day, reverse=newest_first)
    return groups


def default_tags_seeded(session: Session) -> bool:
    return session.get(Setting, _SEEDED_KEY) is not None


def ensure_default_tags(session: Session) -> None:
    """Seed the starting tags once (the first time tags are read or written)."""
    if not default_tags_seeded(session):
        seed_default_tags(session, skip=set(session.scalars(select(MoodTag.id))))


def seed_default_tags(
    session: Session, *, skip: Collection[str] = (), now: datetime | None = None
) -> list[str]:
    """Insert the starting tags (ids in ``skip`` are left alone) and mark the diary seeded."""
    now = now or utcnow()
    positions: dict[TagKind, int] = defaultdict(int)
    rows: list[dict[str, Any]] = []
    for kind, name in DEFAULT_TAGS:
        positions[kind] += 1
        tag_id = default_tag_id(kind, name)
        if tag_id in skip:
            continue
        rows.append(
            {
                "id": tag_id,
                "name": name,
                "kind": kind.value,
                "archived": False,
                "position": positions[kind],
                "created_at": now,
                "updated_at": now,
            }
        )
    if rows:
        session.execute(insert(MoodTag), rows)
    if session.get(Setting, _SEEDED_KEY) is None:
        session.add(Setting(key=_SEEDED_KEY, value="true"))
    session.flush()
    return [str(r["id"]) for r in rows]


def _tag_info(tag: MoodTag) -> TagInfo:
    return TagInfo(tag.id, tag.name, TagKind(tag.kind), bool(tag.archived), tag.position)


def _tracker_info(tracker: Tracker) -> TrackerInfo:
    return TrackerInfo(
        tracker.id,
        tracker.name,
        TrackerKind(tracker.kind),
        tracker.unit,
        tracker.min_value,
        tracker.max_value,
        bool(tracker.archived),
        tracker.position,
    )


def _tracker_fields(
    name: object,
    kind: object,
    unit: object,
    minimum: object,
    maximum: object,
) -> tuple[str, TrackerKind, str | None, float | None, float | None]:
    clean = _name("tracker", name)
    try:
        tracker_kind = TrackerKind(str(kind))
    except ValueError:
        raise ValidationError(
            "A tracker is a 0–10 scale, a yes/no question, or a number."
        ) from None
    if tracker_kind is not TrackerKind.NUMBER:
        if unit not in (None, "") or minimum is not None or maximum is not None:
            raise ValidationError("Only number trackers have a unit and bounds.")
        return clean, tracker_kind, None, None, None
    clean_unit = _text("The unit", unit, MAX_UNIT_CHARS)
    clean_unit = " ".join(clean_unit.split()) if clean_unit else None
    low = _number("The lowest value", minimum, -MAX_TRACKER_MAGNITUDE, MAX_TRACKER_MAGNITUDE, "")
    high = _number("The highest value", maximum, -MAX_TRACKER_MAGNITUDE, MAX_TRACKER_MAGNITUDE, "")
    if low is None or high is None:
        raise ValidationError("A number tracker needs a lowest and a highest value.")
    if not low < high:
        raise ValidationError("The lowest value must be smaller than the highest value.")
    return clean, tracker_kind, clean_unit, low, high


def _tracker_value(tracker: TrackerInfo, raw: object) -> float:
    label = f"“{tracker.name}”"
    if tracker.kind is TrackerKind.YES_NO:
        if isinstance(raw, bool):
            return 1.0 if raw else 0.0
        if isinstance(raw, int | float) and raw in (0, 1):
            return float(raw)
        raise ValidationError(f"{label} is a yes/no question.")
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
        raise ValidationError(f"{label} needs a number.")
    if tracker.kind is TrackerKind.SCALE:
        if raw != int(raw) or not 0 <= raw <= 10:
            raise ValidationError(f"{label} must be a whole number from 0 to 10.")
        return float(raw)
    low = tracker.minimum if tracker.minimum is not None else -MAX_TRACKER_MAGNITUDE
    high = tracker.maximum if tracker.maximum is not None else MAX_TRACKER_MAGNITUDE
    if not low <= raw <= high:
        unit = f" {tracker.unit}" if tracker.unit else ""
        raise ValidationError(f"{label} must be from {low:g} to {high:g}{unit}.")
    return float(raw)
