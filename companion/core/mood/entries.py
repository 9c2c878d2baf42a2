"""Check-ins: what a person entered, checked; the history by day; the charts' daily series.

- **Time.** A check-in describes a moment, stored as UTC plus the UTC offset (minutes) of the
  person's clock at that moment, so 3 a.m. stays 3 a.m. after travel or a daylight-saving change
  (``companion.core.timekeeping``, :attr:`Entry.local_time`, :attr:`Entry.local_date`). Any
  number of check-ins a day; backdating is allowed (back to 1900); a time more than
  :data:`~companion.core.mood.vocabulary.CLOCK_SKEW` in the future is refused.
- **Optional means unknown.** Only mood is required. ``None`` means "not recorded", never zero:
  a UI that wants "no exercise today" must send ``0``, and the insights only compare days
  where the value was recorded.
- **Amounts and nights.** Exercise, time outdoors and alcohol are amounts logged with that
  check-in (a day's total is the sum of its check-ins). Sleep hours and quality describe the
  night before the check-in; when a day has several, the latest check-in's values stand.
- **Deletes are real.** :meth:`EntryService.delete_entry` removes the row and returns a
  snapshot; :meth:`EntryService.restore_entry` re-creates it with the same id (the UI's undo).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from typing import Any, Final, NamedTuple

from sqlalchemy import ColumnElement, String, delete, func, insert, select, type_coerce
from sqlalchemy.orm import Session

from companion.core import validation
from companion.core.errors import ValidationError
from companion.core.models import key_from_db, key_to_db, new_id
from companion.core.mood.models import MoodEntry, MoodEntryTag, MoodTag, Tracker, TrackerValue
from companion.core.mood.store import MoodStore, NotFoundError
from companion.core.mood.trackers import tracker_info, tracker_value
from companion.core.mood.vocabulary import (
    CLOCK_SKEW,
    EARLIEST,
    MAX_DETAIL_CHARS,
    MAX_NOTE_CHARS,
    TRAUMA_SIGNS,
    fold,
    trauma_question,
)
from companion.core.timekeeping import (
    MAX_OFFSET_MINUTES,
    aware,
    local_time,
    offset_minutes,
    parse_utc,
)
from companion.i18n import _

# -- input and output ------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class CheckInValues:
    """The values a check-in carries besides its time, tags and trackers: one list for what the
    person enters (:class:`CheckIn`) and what is stored (:class:`Entry`)."""

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
    #: free text: kept out of ``repr`` so it can never end up in a log or a traceback
    note: str | None = field(default=None, repr=False)


#: The columns a check-in carries besides its time, links and bookkeeping.
_VALUE_FIELDS: Final = tuple(f.name for f in fields(CheckInValues))


@dataclass(frozen=True, kw_only=True)
class CheckIn(CheckInValues):
    """What the person entered. ``at=None`` means now (on update: keep the entry's time).

    ``at`` should be aware; its offset is the one stored. A naive time is read as this
    computer's local time.
    """

    at: datetime | None = None
    tag_ids: Collection[str] = ()
    #: tracker id → value (a bool for yes/no trackers, a whole number 0–10 for scales)
    tracker_values: Mapping[str, float | bool] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class Entry(CheckInValues):
    """A stored check-in. Also the snapshot :meth:`EntryService.restore_entry` takes back."""

    id: str
    occurred_at: datetime  # aware, UTC
    utc_offset_minutes: int
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
class DayCount:
    """One local day of the history index: how many check-ins match, and their moods."""

    day: date
    count: int
    mood_min: int
    mood_max: int
    mood_mean: float


#: days in the trailing window of the 7-day average (the charts' lines and the summaries)
ROLLING_WINDOW_DAYS: Final = 7


class DailyPoint(NamedTuple):
    """One local day of one 0–10 rating (a chart point). A named tuple rather than a frozen
    dataclass: ten years are ~11,000 of them, made in a third of the time."""

    day: date
    mean: float
    minimum: int
    maximum: int
    n: int  # check-ins that rated it that day


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


_ENTRY_COLUMNS: Final = tuple(MoodEntry.__table__.columns)
_TIME_COLUMNS: Final = ("occurred_at", "created_at", "updated_at")
#: The time columns read as their stored text and parsed by ``datetime.fromisoformat``
#: (C code): a third of the cost of loading ten years through the type's processor.
_ENTRY_SELECT: Final = tuple(
    type_coerce(c, String()).label(c.name) if c.name in _TIME_COLUMNS else c for c in _ENTRY_COLUMNS
)
_RATINGS: Final = ("mood", "anxiety", "energy", "irritability")
#: the columns whose sums mark a day (with its count and times): what the charts draw
_MARKED: Final = (*_RATINGS, "sleep_hours", "sleep_quality", "utc_offset_minutes")
#: the local day of a check-in, in SQL (the stored UTC time shifted by its offset)
_DAY_SQL: Final = "date(occurred_at, printf('%+d minutes', utc_offset_minutes))"
#: the same day as its ``date.toordinal()``, found in whole numbers rather than as text: SQLite
#: holds a time as whole milliseconds, which ``julianday`` hands back as a float and ``round``
#: recovers exactly, so this is the day ``date()`` formats, without formatting it (or the
#: offset as a modifier) and grouping text (a fifth of the time of a ten-year chart's read).
#: 148731163200000: 0001-01-01 00:00 in those milliseconds
_DAY_ORDINAL_SQL: Final = (
    "(CAST(round(julianday(occurred_at) * 86400000.0) AS INTEGER)"
    " + 60000 * utc_offset_minutes - 148731163200000) / 86400000 + 1"
)


def _day_range(
    where: list[str], params: list[str | bytes], start: date | None, end: date | None
) -> None:
    """Add "the check-in's local day is from ``start`` to ``end``" (either may be open) to a
    plain-SQL ``where`` list and its ``params``."""
    if start is not None:
        where.append(f"{_DAY_SQL} >= ?")
        params.append(start.isoformat())
    if end is not None:
        where.append(f"{_DAY_SQL} <= ?")
        params.append(end.isoformat())


class EntryService(MoodStore):
    """Check-ins and their history."""

    def create_entry(self, checkin: CheckIn) -> Entry:
        """Save a new check-in and return it as stored."""
        with self._db.session() as session:
            values = self._validate(session, checkin, previous=None)
            now = self._clock()
            entry_id = new_id()
            _write(session, entry_id, values, created_at=now, updated_at=now, new=True)
            return _load_one(session, entry_id)

    def compile_ahead(self) -> None:
        """Read the newest check-in as :meth:`create_entry` reads back the one it saves, so
        that SQLAlchemy compiles those statements now (its cache is the engine's): the first
        check-in saved in a session would otherwise compile them in the click's turn (a third
        of its cost). Reads only: nothing is written, nothing saved."""
        with self._db.sessions() as session:
            newest = session.scalar(
                select(MoodEntry.id).order_by(MoodEntry.occurred_at.desc()).limit(1)
            )
            if newest is not None:
                _load(session, [MoodEntry.id == newest])

    def update_entry(self, entry_id: str, checkin: CheckIn) -> Entry:
        """Replace every value of a check-in (``at=None`` keeps its time)."""
        with self._db.session() as session:
            row = session.get(MoodEntry, entry_id)
            if row is None:
                raise NotFoundError(_("That check-in is no longer in the diary."))
            values = self._validate(session, checkin, previous=row)
            _write(
                session,
                entry_id,
                values,
                created_at=row.created_at,
                updated_at=self._clock(),
                new=False,
            )
            return _load_one(session, entry_id)

    def delete_entry(self, entry_id: str) -> Entry:
        """Delete a check-in for real; the returned snapshot lets the UI undo."""
        with self._db.session() as session:
            snapshot = _load_one(session, entry_id)
            session.execute(delete(MoodEntry).where(MoodEntry.id == entry_id))
        return snapshot

    def restore_entry(self, snapshot: Entry) -> Entry:
        """Re-create a deleted check-in with its id and timestamps (undo of a delete).

        Tags or trackers deleted in the meantime are left off; everything else is restored.
        """
        with self._db.session() as session:
            if session.get(MoodEntry, snapshot.id) is not None:
                raise ValidationError(_("That check-in is already in the diary."))
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
            _write(
                session,
                snapshot.id,
                values,
                created_at=snapshot.created_at,
                updated_at=snapshot.updated_at,
                new=True,
            )
            return _load_one(session, snapshot.id)

    def get_entry(self, entry_id: str) -> Entry:
        with self._db.sessions() as session:
            return _load_one(session, entry_id)

    def find_entry(self, entry_id: str) -> Entry | None:
        """The check-in, or None when it is not (or no longer) in the diary (a link to it)."""
        with self._db.sessions() as session:
            found = _load(session, [MoodEntry.id == entry_id])
        return found[0] if found else None

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
            raise ValidationError(_("The start date is after the end date."))
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
            found = _load(session, conditions)
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

    def history_days(
        self,
        *,
        start: date | None = None,
        end: date | None = None,
        tag_ids: Collection[str] = (),
        text: str | None = None,
    ) -> list[DayCount]:
        """The days :meth:`history` would return (newest first) with their counts and moods,
        computed in SQL without loading a check-in: a list shows these, then reads the
        check-ins of the days it shows (``entries(start=…, end=…)`` with the same filters)."""
        if start is not None and end is not None and start > end:
            raise ValidationError(_("The start date is after the end date."))
        day = _DAY_SQL
        where: list[str] = []
        params: list[str | bytes] = []
        _day_range(where, params, start, end)
        wanted_tags = sorted(set(tag_ids))
        if wanted_tags:  # keys as stored (``Key``: bytes), one parameter each (a few tags)
            where.append(
                f"id IN (SELECT entry_id FROM {MoodEntryTag.__tablename__}"
                f" WHERE tag_id IN ({', '.join('?' * len(wanted_tags))}))"
            )
            params.extend(key_to_db(t) for t in wanted_tags)
        # Plain SQL on the driver connection (column names fixed here, never input).
        with self._db.sessions() as session:
            driver = session.connection().connection.driver_connection
            assert driver is not None
            words = [fold(w) for w in (text or "").split()]
            if words:
                # Only the notes are read to match the words (accents and case ignored).
                notes = driver.execute(
                    f"SELECT rowid, note FROM {MoodEntry.__tablename__} WHERE note IS NOT NULL"
                    + "".join(f" AND {w}" for w in where),
                    params,
                ).fetchall()
                matched = [i for i, note in notes if all(w in fold(note) for w in words)]
                where.append("rowid IN (SELECT value FROM json_each(?))")
                params.append(json.dumps(matched))
            sql = (
                f"SELECT {day} AS day, count(*), min(mood), max(mood), avg(mood)"
                f" FROM {MoodEntry.__tablename__}"
                + (f" WHERE {' AND '.join(where)}" if where else "")
                + " GROUP BY day ORDER BY day DESC"
            )
            rows = driver.execute(sql, params).fetchall()
        return [
            DayCount(date.fromisoformat(d), int(n), int(low), int(high), float(mean))
            for d, n, low, high, mean in rows
        ]

    def daily_aggregates(
        self, metric: str, start: date | None = None, end: date | None = None
    ) -> list[DailyPoint]:
        """Per local day: mean, min, max and count of one 0–10 rating, computed in SQL."""
        if metric not in _RATINGS:
            raise ValidationError(_("Only mood, anxiety, energy and irritability can be charted."))
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
        self,
        start: date | None = None,
        end: date | None = None,
        *,
        days: Collection[date] | None = None,
        ratings: Sequence[str] = _RATINGS,
    ) -> dict[str, list[DailyPoint]]:
        """:meth:`daily_aggregates` for all four ratings (or those of ``ratings``) from one
        pass over the table (a chart's first draw of ten years reads this once instead of four
        times; each rating left out is a quarter less to aggregate). ``days``: only those days
        (a chart updating the days a change touched)."""
        unknown = [m for m in ratings if m not in _RATINGS]
        if unknown or not ratings:
            raise ValueError(f"not chartable ratings: {unknown or ratings!r}")
        chosen = tuple(m for m in _RATINGS if m in ratings)  # fixed names, never input
        # Plain SQL on the driver connection: SQLAlchemy's row processing cost more than the
        # query itself for ten years of days. Column names are fixed here, never input. The
        # lowest and highest are cast as ``int()`` would (whole numbers in any valid diary).
        columns = ", ".join(
            f"avg({m}), CAST(min({m}) AS INTEGER), CAST(max({m}) AS INTEGER), count({m})"
            for m in chosen
        )
        where: list[str] = []
        params: list[str | bytes] = []
        _day_range(where, params, start, end)
        if days is not None:
            where.append(f"{_DAY_SQL} IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(sorted(d.isoformat() for d in days)))
        sql = (
            f"SELECT {_DAY_ORDINAL_SQL} AS day, {columns} FROM mood_entries"
            + (f" WHERE {' AND '.join(where)}" if where else "")
            + " GROUP BY day ORDER BY day"
        )
        with self._db.sessions() as session:
            driver = session.connection().connection.driver_connection
            assert driver is not None
            rows = driver.execute(sql, params).fetchall()
        if not rows:
            return {m: [] for m in chosen}
        # column by column (ten years are ~3,000 days of up to four ratings each): the
        # points made from the columns zipped, a day kept where the rating was given (the
        # mean is a float, as ``avg`` always returns)
        by_column = list(zip(*rows, strict=True))
        when = list(map(date.fromordinal, by_column[0]))
        make = tuple.__new__  # (``DailyPoint._make`` without its check of the length: five)
        out: dict[str, list[DailyPoint]] = {}
        for k, metric in enumerate(chosen):
            mean, low, high, n = by_column[1 + 4 * k : 5 + 4 * k]
            points = zip(when, mean, low, high, n, strict=True)
            out[metric] = [make(DailyPoint, p) for p in points if p[4]]
        return out

    def diary_mark(self) -> tuple[object, ...]:
        """One mark for all check-ins (under a millisecond): when it has not changed, no
        :meth:`day_marks` has either, so a chart need not look further."""
        sums = ", ".join(f"total({c})" for c in _MARKED)
        sql = (
            f"SELECT count(*), max(updated_at), min(occurred_at), max(occurred_at), {sums}"
            f" FROM {MoodEntry.__tablename__}"
        )
        with self._db.sessions() as session:
            driver = session.connection().connection.driver_connection
            assert driver is not None
            return tuple(driver.execute(sql).fetchone())

    def day_marks(self) -> dict[date, tuple[object, ...]]:
        """For every day with a check-in, a mark that changes when any check-in of that day is
        added, deleted, moved or edited (how many, when one last changed, the sums of what the
        charts draw). Two calls compared tell which days changed in between, so a chart redraws
        only those; one pass in SQL, a few milliseconds for ten years."""
        sums = ", ".join(f"total({c})" for c in _MARKED)
        sql = (
            f"SELECT {_DAY_SQL} AS day, count(*), max(updated_at), min(occurred_at),"
            f" max(occurred_at), {sums} FROM {MoodEntry.__tablename__} GROUP BY day"
        )
        with self._db.sessions() as session:
            driver = session.connection().connection.driver_connection
            assert driver is not None
            rows = driver.execute(sql).fetchall()
        return {date.fromisoformat(row[0]): tuple(row[1:]) for row in rows}

    # -- checking ----------------------------------------------------------------------------

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
                raise ValidationError(_("The time of the check-in is not a valid time."))
            at = aware(checkin.at)
            moment, offset = at.astimezone(UTC), offset_minutes(at)
        if not allow_future and moment > self._clock() + CLOCK_SKEW:
            raise ValidationError(
                _("That time is in the future; a check-in can describe now or any time before.")
            )
        if moment < EARLIEST:
            raise ValidationError(_("That date is too far in the past."))

        values: dict[str, Any] = {"occurred_at": moment, "utc_offset_minutes": offset}
        whole, number, yes_no = validation.whole, validation.number, validation.yes_no
        values["mood"] = whole(_("Mood"), checkin.mood, 0, 10, required=True)
        values["anxiety"] = whole(_("Anxiety"), checkin.anxiety, 0, 10)
        values["energy"] = whole(_("Energy"), checkin.energy, 0, 10)
        values["irritability"] = whole(_("Irritability"), checkin.irritability, 0, 10)
        values["elevated"] = whole(_("Feeling wired or unusually up"), checkin.elevated, 0, 3)
        values["sleep_hours"] = number(_("Sleep"), checkin.sleep_hours, 0, 24, _("hours"))
        values["sleep_quality"] = whole(_("Sleep quality"), checkin.sleep_quality, 1, 5)
        values["exercise_minutes"] = whole(_("Exercise"), checkin.exercise_minutes, 0, 1440)
        values["outdoors_minutes"] = whole(_("Time outdoors"), checkin.outdoors_minutes, 0, 1440)
        values["alcohol_units"] = number(_("Alcohol"), checkin.alcohol_units, 0, 100, _("units"))
        values["substances_used"] = yes_no(_("Other substances"), checkin.substances_used)
        shorten = _("Please shorten it or split it over more than one check-in.")
        values["substances_detail"] = validation.text(
            _("The substances note"), checkin.substances_detail, MAX_DETAIL_CHARS, hint=shorten
        )
        for key in TRAUMA_SIGNS:
            question = _("“{question}”").format(question=trauma_question(key))
            values[key] = yes_no(question, getattr(checkin, key))
        values["note"] = validation.text(_("The note"), checkin.note, MAX_NOTE_CHARS, hint=shorten)

        if isinstance(checkin.tag_ids, str):
            raise ValidationError(_("The tags must be a list of tags."))
        tag_ids = set(checkin.tag_ids)
        if tag_ids:
            known = set(session.scalars(select(MoodTag.id).where(MoodTag.id.in_(tag_ids))))
            if tag_ids - known:
                raise NotFoundError(_("One of the chosen tags no longer exists."))
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
                    raise NotFoundError(_("One of the trackers no longer exists."))
                tracked[tracker_id] = tracker_value(tracker_info(tracker), raw)
        values["tracker_values"] = tracked
        return values


# -- reading and writing rows ----------------------------------------------------------------


def _write(
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


def _stored(column: Any) -> Any:
    """A key column read as it is stored (bytes, or text for a key that is not a UUID)."""
    return type_coerce(column, String())


def _load_one(session: Session, entry_id: str) -> Entry:
    found = _load(session, [MoodEntry.id == entry_id])
    if not found:
        raise NotFoundError(_("That check-in is no longer in the diary."))
    return found[0]


def _load(session: Session, conditions: Sequence[ColumnElement[bool]]) -> list[Entry]:
    # Core queries on the session's connection: several times faster than ORM loading
    # for the ten-year histories the charts read.
    conn = session.connection()
    rows = conn.execute(
        select(*_ENTRY_SELECT).where(*conditions).order_by(MoodEntry.occurred_at, MoodEntry.id)
    ).all()
    if not rows:
        return []

    def ids() -> Any:
        # one subquery for each statement: compiling a statement marks the subquery in it
        # as compiled for the ORM, which changes the cache key of the next statement holding
        # the same one, so a shared one would be compiled again on the next call whenever
        # the first was taken from the cache (``compile_ahead`` then warmed the wrong key)
        return select(MoodEntry.id).where(*conditions).scalar_subquery()

    # The links' keys are read as stored (``Key``: 16 bytes) and turned into text once per
    # distinct key rather than once per link: a tag is on thousands of check-ins.
    text: dict[Any, str] = {}

    def key(stored: Any) -> str:
        found = text.get(stored)
        if found is None:
            found = text[stored] = key_from_db(stored)
        return found

    tags: dict[str, set[str]] = defaultdict(set)
    for entry_id, tag_id in conn.execute(
        select(_stored(MoodEntryTag.entry_id), _stored(MoodEntryTag.tag_id)).where(
            MoodEntryTag.entry_id.in_(ids())
        )
    ):
        tags[key(entry_id)].add(key(tag_id))
    tracked: dict[str, dict[str, float]] = defaultdict(dict)
    for entry_id, tracker_id, value in conn.execute(
        select(
            _stored(TrackerValue.entry_id), _stored(TrackerValue.tracker_id), TrackerValue.value
        ).where(TrackerValue.entry_id.in_(ids()))
    ):
        tracked[key(entry_id)][key(tracker_id)] = float(value)
    names = [c.name for c in _ENTRY_COLUMNS]
    no_tags: frozenset[str] = frozenset()
    out = []
    for row in rows:
        data = dict(zip(names, row, strict=True))
        for name in _TIME_COLUMNS:
            data[name] = parse_utc(data[name])
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
