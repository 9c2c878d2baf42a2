"""Adherence from a self-reported dose log: pure functions over plain dataclasses.

The maths follows clinical-reference §3.3–3.4 (ABC taxonomy and the dose-log algorithm):

- **Expected doses** are expanded from the schedule *version in force on each day* (dose changes
  and schedule changes never rewrite the past), between the medicine's start and its last day
  (``stopped_on``, inclusive), and only up to now. A dose whose time has not come yet, or whose
  on-time window is still open and which is not logged yet, is *pending* and not counted.
- **As-needed** medicines have no expected doses; they are counted separately and never enter
  adherence.
- **Skipped on the prescriber's advice** leaves the denominators; **skipped by choice** stays in
  them (it is a dose not taken), and so does a dose **not logged** — reported on its own, never
  called missed, because "not logged" is not the same as "not taken".
- **Matching.** A log entry names its slot (local date and wall-clock time), so a 00:30 dose for
  a 23:30 slot belongs to the 23:30 slot's day. Entries whose slot no longer exists (the
  schedule was changed back in time) and extra doses logged without a slot are matched to the
  nearest unmatched dose within half the dosing interval (12 h for once daily; the earlier dose
  when two are as near); what is left is reported as *extra doses*, never added to "taken".
  Extra and as-needed doses are counted on the days of the course only (from its start to its
  last day), like the expected ones: a dose logged before a start or after a stop that were
  later moved stays in the log but is not counted here.
- **Time.** Schedules follow the clock on the wall (the usual choice for once-daily medicines,
  §3.4): an 08:00 dose is due at 08:00 wherever the person is, so travel and daylight-saving
  changes neither create nor lose doses, and on-time is judged on local times. Every log entry
  keeps its own UTC offset, so a dose taken in another time zone is still read correctly.
- **On time** means within the window of the scheduled time: by default ±2 h for once-daily
  (and less often) and ±1 h for more often (ISMP, §3.3); a medicine may have its own window and
  the defaults are configurable. Only doses taken *with a recorded time* can be on time or not.
- **Late logging.** Entries written more than 24 h after the dose are counted as lower
  reliability (§3.4).

Figures (names as in §3.3/§3.4):

- ``taking`` = taken ÷ expected ("doses taken");
- ``pdc`` = days on which every expected dose was taken ÷ dose days (the dose-log analogue of
  the proportion of days covered, capped at 100% by construction);
- ``correct_days`` = days with exactly the expected doses and no extra one ÷ dose days;
- ``on_time_share`` = taken on time ÷ taken with a recorded time; ``timing`` = taken on time ÷
  expected (the reference's timing adherence);
- gaps: runs of consecutive dose days with no dose logged as taken.

Nothing here judges a figure: the app reports numbers, a clinician interprets them (§0.7).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cached_property
from itertools import accumulate, pairwise
from typing import Any, Final, NamedTuple, TypeVar

#: ISMP windows (clinical-reference §3.3): ±2 h once daily or less often, ±1 h more often.
DEFAULT_WINDOW_ONCE: Final = 120
DEFAULT_WINDOW_MULTI: Final = 60
#: Entries written more than this long after the dose are lower reliability (§3.4).
LATE_LOG: Final = timedelta(hours=24)
#: Gaps of at least this many dose days are listed one by one (the longest is always given).
GAP_LIST_MIN_DAYS: Final = 3
MINUTES_PER_DAY: Final = 1440
#: 1970-01-01 00:00 in minutes since 0001-01-01 (the proleptic ordinal of 1970-01-01 × 1440)
_EPOCH_MINUTE: Final = 719163 * MINUTES_PER_DAY


class ScheduleKind(StrEnum):
    DAILY = "daily"
    WEEKDAYS = "weekdays"
    INTERVAL = "interval"  # every N days from the version's first day
    AS_NEEDED = "as_needed"


class DoseStatus(StrEnum):
    TAKEN = "taken"
    SKIPPED = "skipped"  # by choice
    SKIPPED_ADVISED = "skipped_advised"  # on the prescriber's advice


class Outcome(StrEnum):
    TAKEN = "taken"
    SKIPPED = "skipped"
    SKIPPED_ADVISED = "skipped_advised"
    NOT_LOGGED = "not_logged"


def parse_hhmm(text: str) -> int:
    """Minutes after midnight of a "HH:MM" wall-clock time."""
    hours, _, minutes = text.partition(":")  # pragma: no mutate (rpartition: one colon)
    return int(hours) * 60 + int(minutes)


@dataclass(frozen=True)
class ScheduleVersion:
    """When doses are due from ``effective_from`` on (until the next version)."""

    effective_from: date
    kind: ScheduleKind
    times: tuple[str, ...] = ()  # "HH:MM", sorted
    weekdays: frozenset[int] = frozenset()  # 0 = Monday … 6 = Sunday
    interval_days: int | None = None

    @cached_property
    def slots(self) -> tuple[tuple[str, int], ...]:
        """Each time as ("HH:MM", minutes after midnight)."""
        return tuple((t, parse_hhmm(t)) for t in self.times)

    def doses_on(self, day: date) -> bool:
        """Whether this version has doses on ``day`` (which must be on or after it starts)."""
        if self.kind is ScheduleKind.DAILY:
            return True
        if self.kind is ScheduleKind.WEEKDAYS:
            return day.weekday() in self.weekdays
        if self.kind is ScheduleKind.INTERVAL:
            return (day - self.effective_from).days % (self.interval_days or 1) == 0
        return False

    @property
    def doses_per_week(self) -> float:
        per_day = len(self.times)
        if self.kind is ScheduleKind.DAILY:
            return 7.0 * per_day
        if self.kind is ScheduleKind.WEEKDAYS:
            return float(len(self.weekdays) * per_day)
        if self.kind is ScheduleKind.INTERVAL:
            return 7.0 * per_day / (self.interval_days or 1)
        return 0.0


@dataclass(frozen=True)
class DoseVersion:
    """The amount per scheduled dose from ``effective_from`` on (a titration or taper step)."""

    effective_from: date
    amount: float
    unit: str


class LogRecord(NamedTuple):
    """One dose-log entry as the adherence maths needs it (a tuple: ten years hold thousands).

    Build one from aware datetimes with :func:`log_record`; the service computes the same
    values in SQL when it loads the log.
    """

    status: DoseStatus
    #: minutes since 0001-01-01 00:00 on the person's clock at the moment of the dose
    local_minute: float
    time_recorded: bool
    #: written more than 24 h after the dose (lower reliability, §3.4)
    late: bool
    slot_date: date | None = None
    slot_time: str | None = None  # "HH:MM"
    amount: float | None = None
    id: str = ""

    @property
    def local_date(self) -> date:
        return date.fromordinal(_day_of(self.local_minute))


def _day_of(minute: float) -> int:
    """The day (proleptic ordinal) a minute since 0001-01-01 falls on."""
    # "/" for "//" differs only within a float's last digit of midnight (under a microsecond,
    # finer than a local minute is stored): an equivalent mutant.
    return int(minute // MINUTES_PER_DAY)  # pragma: no mutate


def log_record(
    status: DoseStatus,
    occurred_at: datetime,
    utc_offset_minutes: int,
    time_recorded: bool,
    logged_at: datetime,
    *,
    slot_date: date | None = None,
    slot_time: str | None = None,
    amount: float | None = None,
    id: str = "",
) -> LogRecord:
    """A :class:`LogRecord` from aware datetimes: the moment (UTC) plus the offset then."""
    return LogRecord(
        status=status,
        local_minute=occurred_at.timestamp() / 60 + utc_offset_minutes + _EPOCH_MINUTE,
        time_recorded=time_recorded,
        late=logged_at - occurred_at > LATE_LOG,
        slot_date=slot_date,
        slot_time=slot_time,
        amount=amount,
        id=id,
    )


@dataclass(frozen=True)
class MedicationRecord:
    """A medicine with its whole history, as plain values (what the service loads)."""

    id: str
    name: str
    category: str
    started_on: date
    stopped_on: date | None
    schedules: tuple[ScheduleVersion, ...]  # sorted by effective_from
    doses: tuple[DoseVersion, ...] = ()  # sorted by effective_from
    log: tuple[LogRecord, ...] = ()
    window_minutes: int | None = None
    stop_reason: str | None = None

    def schedule_on(self, day: date) -> ScheduleVersion | None:
        return _version_on(self.schedules, day)

    def dose_on(self, day: date) -> DoseVersion | None:
        return _version_on(self.doses, day)

    @property
    def as_needed_now(self) -> bool:
        return bool(self.schedules) and self.schedules[-1].kind is ScheduleKind.AS_NEEDED


_V = TypeVar("_V", ScheduleVersion, DoseVersion)


def _version_on(versions: Sequence[_V], day: date) -> _V | None:
    index = bisect.bisect_right([v.effective_from for v in versions], day) - 1
    return versions[index] if index >= 0 else None


@dataclass(frozen=True)
class AdherenceConfig:
    """The on-time windows (± minutes); a medicine's own window overrides both."""

    window_once: int = DEFAULT_WINDOW_ONCE
    window_multi: int = DEFAULT_WINDOW_MULTI

    def window_for(self, doses_per_day: int, own: int | None) -> int:
        if own is not None:
            return own
        return self.window_once if doses_per_day <= 1 else self.window_multi


class SlotResult(NamedTuple):
    """What became of one expected dose (a tuple: one is made for every dose in a period)."""

    day: date
    time: str  # "HH:MM"
    outcome: Outcome
    window: int
    scheduled_amount: float | None
    on_time: bool | None = None  # None: not taken, or taken without a recorded time
    late_logged: bool = False
    amount_differs: bool = False
    record_id: str | None = None
    #: minutes between the dose and its scheduled time (None without a recorded time)
    delay_minutes: float | None = None


@dataclass(frozen=True)
class Gap:
    """A run of dose days with no dose logged as taken (``first`` and ``last`` inclusive)."""

    first: date
    last: date
    dose_days: int

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


@dataclass(frozen=True)
class Evaluation:
    """Every expected dose of one medicine in a range, matched to the log, plus the rest."""

    medication_id: str
    start: date
    end: date
    #: the matched doses as evaluate() left them (read through ``slots`` and ``index``)
    rows: Sequence[Sequence[Any]] = field(repr=False)
    extra: tuple[LogRecord, ...]  # taken, matched to no expected dose
    as_needed: tuple[LogRecord, ...]  # taken while the schedule was "as needed"
    pending: int  # doses whose time (or on-time window) has not passed yet, not logged

    @cached_property
    def slots(self) -> tuple[SlotResult, ...]:
        """Every expected dose and what became of it, in day and time order."""
        return tuple(_result(row) for row in self.rows)

    @cached_property
    def index(self) -> DayIndex:
        """The per-day running totals every summary is read from (built on first use)."""
        return index_rows(self.rows, self.extra)


@dataclass(frozen=True)
class Adherence:
    """The figures for one medicine (or several, summed) over ``start``…``end``."""

    start: date
    end: date
    scheduled: int = 0  # expected doses, including those skipped on advice
    taken: int = 0
    skipped: int = 0
    skipped_advised: int = 0
    not_logged: int = 0
    on_time: int = 0
    timed: int = 0  # taken with a recorded time
    late_logged: int = 0
    different_dose: int = 0
    extra: int = 0
    as_needed: int = 0
    pending: int = 0
    dose_days: int = 0
    covered_days: int = 0
    correct_days: int = 0
    longest_gap: Gap | None = None
    gaps: tuple[Gap, ...] = ()
    windows: frozenset[int] = field(default_factory=frozenset)

    @property
    def expected(self) -> int:
        """The denominator: doses expected, less those skipped on the prescriber's advice."""
        return self.scheduled - self.skipped_advised

    @property
    def taking(self) -> float | None:
        return _ratio(self.taken, self.expected)

    @property
    def pdc(self) -> float | None:
        return _ratio(self.covered_days, self.dose_days)

    @property
    def correct_day_share(self) -> float | None:
        return _ratio(self.correct_days, self.dose_days)

    @property
    def on_time_share(self) -> float | None:
        return _ratio(self.on_time, self.timed)

    @property
    def timing(self) -> float | None:
        return _ratio(self.on_time, self.expected)

    @property
    def not_logged_share(self) -> float | None:
        return _ratio(self.not_logged, self.expected)

    @property
    def longest_gap_days(self) -> int:
        return self.longest_gap.days if self.longest_gap else 0

    @property
    def has_data(self) -> bool:
        return self.expected > 0 or self.as_needed > 0 or self.extra > 0


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole > 0 else None


# -- expansion and matching ------------------------------------------------------------------


def _local_minute(moment: datetime) -> int:
    """Whole minutes since 0001-01-01 on the wall clock of an aware datetime.

    The seconds are dropped: this is compared only with whole-minute deadlines (a slot plus its
    window), which a moment has passed exactly when its whole minute has.
    """
    naive = moment.replace(tzinfo=None)
    return naive.toordinal() * MINUTES_PER_DAY + naive.hour * 60 + naive.minute


def evaluate(
    med: MedicationRecord,
    start: date,
    end: date,
    now: datetime,
    config: AdherenceConfig | None = None,
) -> Evaluation:
    """Match ``med``'s log to its expected doses on local days ``start``…``end``.

    ``now`` is aware and in the person's local time zone: its wall-clock time decides which
    doses are due yet.
    """
    config = config or AdherenceConfig()
    now_minute = _local_minute(now)
    today = now.replace(tzinfo=None).date()
    # the days of the course in the range (rows stop at today: later doses are not due yet)
    first = max(start, med.started_on)
    last = min(end, med.stopped_on or end)
    one_day = timedelta(days=1)
    # Expand one day either side, so a dose logged across midnight from a slot just outside
    # the range is matched to that slot and not to one inside it.
    ext_first = max(first - one_day, med.started_on)
    # Never past today (later doses are not due) or the stop; and at most a day past the range
    # (a bound for speed: rows further on could match nothing counted).
    ext_last = min(today, med.stopped_on or today)
    ext_last = min(ext_last, last + one_day)

    # Days are proleptic ordinals (ints) below: cheaper than dates, and the minutes follow.
    first_o, last_o = ext_first.toordinal(), ext_last.toordinal()
    scheduled: dict[tuple[int, str | None], LogRecord] = {}
    loose: list[LogRecord] = []  # taken without a slot
    for record in med.log:
        if record.slot_date is not None:  # with its time too (check constraint slot_complete)
            if ext_first <= record.slot_date <= ext_last:
                scheduled[(record.slot_date.toordinal(), record.slot_time)] = record
        elif record.status is DoseStatus.TAKEN:
            loose.append(record)

    # rows: [day ordinal, "HH:MM", slot minute, window, scheduled amount, record, due]
    rows: list[list[Any]] = []
    pop = scheduled.pop
    # Stretches of days with one schedule version and one dose: [a, b) in ordinals.
    changes = [v.effective_from for v in med.schedules] + [v.effective_from for v in med.doses]
    # (an empty range has no stretch; a change before the range starts it at first_o)
    bounds = sorted(
        {first_o, max(first_o, last_o + 1)}
        | {max(first_o, day.toordinal()) for day in changes if day.toordinal() <= last_o}
    )
    for a, b in pairwise(bounds):
        version = med.schedule_on(date.fromordinal(a))
        if version is None or version.kind is ScheduleKind.AS_NEEDED or not version.times:
            continue
        dose = med.dose_on(date.fromordinal(a))
        amount = dose.amount if dose is not None else None
        window = config.window_for(len(version.times), med.window_minutes)
        slot_times = version.slots
        days: Iterable[int]
        if version.kind is ScheduleKind.DAILY:
            days = range(a, b)
        elif version.kind is ScheduleKind.WEEKDAYS:
            # date.fromordinal(1) is a Monday, so (ordinal − 1) % 7 is the weekday
            days = [o for o in range(a, b) if (o - 1) % 7 in version.weekdays]
        else:
            anchor = version.effective_from.toordinal()
            step = version.interval_days or 1
            days = [o for o in range(a, b) if (o - anchor) % step == 0]
        for o in days:
            base = o * MINUTES_PER_DAY
            for text, minute in slot_times:
                slot_minute = base + minute
                rows.append(
                    [
                        o,
                        text,
                        slot_minute,
                        window,
                        amount,
                        pop((o, text), None),
                        slot_minute + window <= now_minute,
                    ]
                )

    # Entries whose slot is not expected (a back-dated schedule change, a stop) and extra doses:
    # match each taken one to the nearest unmatched expected dose within half the interval.
    orphans = [r for r in scheduled.values() if r.status is DoseStatus.TAKEN]
    # A shortcut (excluded from mutation testing: widening it changes nothing): a loose dose
    # more than a day from every expected one can match none, and is on no day of the course.
    lo_minute = (first_o - 1) * MINUTES_PER_DAY  # pragma: no mutate
    hi_minute = (last_o + 2) * MINUTES_PER_DAY  # pragma: no mutate
    loose = [r for r in loose if lo_minute <= r.local_minute < hi_minute]  # pragma: no mutate
    candidates = sorted(orphans + loose, key=_record_minute)
    as_needed: list[LogRecord] = []
    extra: list[LogRecord] = []
    open_minutes = [row[2] for row in rows]
    for record in candidates:
        at = _record_minute(record)
        local_day = date.fromordinal(_day_of(at))
        in_force = med.schedule_on(local_day)
        if in_force is not None and in_force.kind is ScheduleKind.AS_NEEDED:
            if first <= local_day <= last:
                as_needed.append(record)
            continue
        per_day = len(in_force.times) if in_force is not None and in_force.times else 1
        horizon = MINUTES_PER_DAY / 2 / per_day
        best = _nearest_open(rows, open_minutes, at, horizon)
        if best is not None:
            rows[best][5] = record
        elif first <= local_day <= last:
            extra.append(record)

    pending = 0
    kept: list[list[Any]] = []
    in_first, in_last = first.toordinal(), last.toordinal()
    for row in rows:
        if not in_first <= row[0] <= in_last:
            continue
        if row[5] is None and not row[6]:
            pending += 1
            continue
        kept.append(row)
    return Evaluation(med.id, start, end, kept, tuple(extra), tuple(as_needed), pending)


def _record_minute(record: LogRecord) -> float:
    if not record.time_recorded and record.slot_date is not None and record.slot_time:
        return record.slot_date.toordinal() * MINUTES_PER_DAY + parse_hhmm(record.slot_time)
    return record.local_minute


def _nearest_open(
    rows: list[list[Any]], minutes: list[int], minute: float, horizon: float
) -> int | None:
    """The index of the unmatched slot nearest ``minute`` within ``horizon`` minutes."""
    centre = bisect.bisect_left(minutes, minute)
    best: int | None = None
    best_distance = horizon
    for direction in (-1, 1):
        index = centre if direction == 1 else centre - 1
        while 0 <= index < len(rows):
            distance = abs(minutes[index] - minute)
            if distance > best_distance:
                break
            if rows[index][5] is None:
                if best is None or distance < best_distance:
                    best, best_distance = index, distance
                break
            index += direction
    return best


_OUTCOMES: Final = {
    DoseStatus.TAKEN: Outcome.TAKEN,
    DoseStatus.SKIPPED: Outcome.SKIPPED,
    DoseStatus.SKIPPED_ADVISED: Outcome.SKIPPED_ADVISED,
}


def _amount_differs(taken: float | None, scheduled: float | None) -> bool:
    """Whether a dose was logged with an amount other than the one scheduled (float noise aside)."""
    return taken is not None and scheduled is not None and not math.isclose(taken, scheduled)


def _result(row: Sequence[Any]) -> SlotResult:
    ordinal, text, slot_minute, window, scheduled_amount, record, _due = row
    day = date.fromordinal(ordinal)
    if record is None:
        return SlotResult(day, text, Outcome.NOT_LOGGED, window, scheduled_amount)
    outcome = _OUTCOMES[record.status]
    if outcome is not Outcome.TAKEN:
        return SlotResult(day, text, outcome, window, scheduled_amount, record_id=record.id or None)
    delay = record.local_minute - slot_minute if record.time_recorded else None
    return SlotResult(
        day,
        text,
        outcome,
        window,
        scheduled_amount,
        None if delay is None else abs(delay) <= window,
        record.late,
        _amount_differs(record.amount, scheduled_amount),
        record.id or None,
        delay,
    )


# -- summaries -------------------------------------------------------------------------------


#: the counters kept per day, in this order, as running totals in :class:`DayIndex`
_COUNTERS: Final = (
    "scheduled",
    "skipped_advised",
    "taken",
    "skipped",
    "not_logged",
    "on_time",
    "timed",
    "late_logged",
    "different_dose",
    "dose_days",
    "covered_days",
    "correct_days",
    "extra",
)


@dataclass(frozen=True)
class DayIndex:
    """An evaluation folded per day, with running totals, so any period's figures cost a few
    bisections however long the history (a page can ask for every month of ten years).

    ``days`` are the days (as ordinals) with at least one scheduled or extra dose, in order;
    ``totals[k][i]`` is counter ``_COUNTERS[k]`` summed over ``days[:i]``; ``runs`` are the runs
    of dose days with nothing taken, each as the indices (into ``days``) of its dose days.
    """

    days: tuple[int, ...]  # proleptic ordinals (date.toordinal)
    totals: tuple[tuple[int, ...], ...]
    runs: tuple[tuple[int, ...], ...]
    run_ends: tuple[int, ...]  # last index of each run, for bisection
    windows: tuple[frozenset[int], ...]  # the on-time windows in force, per day


def index_rows(rows: Sequence[Sequence[Any]], extra: Sequence[LogRecord]) -> DayIndex:
    """Fold evaluate()'s matched doses (in day order) and the extra doses into a
    :class:`DayIndex`, in one pass (the same rules as :func:`_result`)."""
    per_day: dict[int, list[int]] = {}
    windows: dict[int, set[int]] = {}
    taken_status, skipped_status = DoseStatus.TAKEN, DoseStatus.SKIPPED
    advised_status = DoseStatus.SKIPPED_ADVISED
    width = len(_COUNTERS)
    for day, _time, slot_minute, window, amount, record, _due in rows:
        row = per_day.get(day)
        if row is None:
            row = per_day[day] = [0] * width
            windows[day] = {window}  # one schedule version a day, so one window a day
        row[0] += 1
        if record is None:
            row[4] += 1
            continue
        status = record.status
        if status is advised_status:
            row[1] += 1
        elif status is taken_status:
            row[2] += 1
            if record.time_recorded:
                row[6] += 1
                row[5] += abs(record.local_minute - slot_minute) <= window
            row[7] += record.late
            row[8] += _amount_differs(record.amount, amount)
        elif status is skipped_status:
            row[3] += 1
    for extra_record in extra:
        extra_day = _day_of(_record_minute(extra_record))  # the day evaluate() counted it on
        if extra_day not in per_day:
            per_day[extra_day] = [0] * width
            windows[extra_day] = set()
        per_day[extra_day][12] += 1
    days = sorted(per_day)
    runs: list[tuple[int, ...]] = []
    run: list[int] = []
    for i, day in enumerate(days):
        row = per_day[day]
        expected = row[0] - row[1]
        if expected <= 0:  # no doses, or every dose of the day skipped on advice
            continue
        row[9] = 1
        if row[2] == expected:
            row[10] = 1
            row[11] = 0 if row[12] else 1
        if row[2] == 0:
            run.append(i)
        elif run:
            runs.append(tuple(run))
            run = []
    if run:
        runs.append(tuple(run))
    # running totals; only their differences are read, so where they start is immaterial
    zero = 0  # pragma: no mutate
    totals = [
        tuple(accumulate((per_day[day][k] for day in days), initial=zero)) for k in range(width)
    ]
    return DayIndex(
        days=tuple(days),
        totals=tuple(totals),
        runs=tuple(runs),
        run_ends=tuple(r[-1] for r in runs),
        windows=tuple(frozenset(windows[d]) for d in days),
    )


def summarise(
    evaluation: Evaluation, start: date | None = None, end: date | None = None
) -> Adherence:
    """The figures for the evaluated doses on local days ``start``…``end`` (default: all)."""
    lo = start or evaluation.start
    hi = end or evaluation.end
    index = evaluation.index
    first = bisect.bisect_left(index.days, lo.toordinal())
    last = bisect.bisect_right(index.days, hi.toordinal())  # exclusive
    totals = index.totals
    counts = {name: totals[k][last] - totals[k][first] for k, name in enumerate(_COUNTERS)}
    gaps: list[Gap] = []
    # the runs that end before the period are skipped (a shortcut: they would add nothing)
    first_run = bisect.bisect_left(index.run_ends, first)
    for r in range(first_run, len(index.runs)):  # pragma: no mutate
        run = index.runs[r]
        if run[0] >= last:  # pragma: no mutate (a run from `last` on adds nothing either)
            break
        inside = run[bisect.bisect_left(run, first) : bisect.bisect_left(run, last)]
        if inside:
            gaps.append(
                Gap(
                    date.fromordinal(index.days[inside[0]]),
                    date.fromordinal(index.days[inside[-1]]),
                    len(inside),
                )
            )
    longest = max(gaps, key=lambda g: (g.days, g.last), default=None)
    windows = frozenset(w for ws in index.windows[first:last] for w in ws)
    as_needed = sum(1 for r in evaluation.as_needed if lo <= r.local_date <= hi)
    return Adherence(
        start=lo,
        end=hi,
        as_needed=as_needed,
        pending=evaluation.pending if hi >= evaluation.end else 0,
        longest_gap=longest,
        gaps=tuple(g for g in gaps if g.dose_days >= GAP_LIST_MIN_DAYS),
        windows=windows,
        **counts,
    )


def adherence(
    med: MedicationRecord,
    start: date,
    end: date,
    now: datetime,
    config: AdherenceConfig | None = None,
) -> Adherence:
    """One medicine's figures over local days ``start``…``end``."""
    return summarise(evaluate(med, start, end, now, config))


def combine(parts: Iterable[Adherence], start: date, end: date) -> Adherence:
    """Several medicines' figures summed (gaps: the longest of any one medicine)."""
    items = list(parts)
    gaps = tuple(g for a in items for g in a.gaps)
    longest = max(
        (a.longest_gap for a in items if a.longest_gap is not None),
        key=lambda g: (g.days, g.last),
        default=None,
    )
    counts = {
        name: sum(getattr(a, name) for a in items)
        for name in (
            "scheduled",
            "taken",
            "skipped",
            "skipped_advised",
            "not_logged",
            "on_time",
            "timed",
            "late_logged",
            "different_dose",
            "extra",
            "as_needed",
            "pending",
            "dose_days",
            "covered_days",
            "correct_days",
        )
    }
    windows = frozenset(w for a in items for w in a.windows)
    return Adherence(
        start=start, end=end, longest_gap=longest, gaps=gaps, windows=windows, **counts
    )


def periods(start: date, end: date, unit: str) -> list[tuple[date, date]]:
    """Calendar weeks (Monday–Sunday) or months covering ``start``…``end``, clipped to it."""
    if start > end:
        return []
    out: list[tuple[date, date]] = []
    if unit == "week":
        first = start - timedelta(days=start.weekday())
        while first <= end:
            last = first + timedelta(days=6)
            out.append((max(first, start), min(last, end)))
            first = last + timedelta(days=1)
        return out
    if unit == "month":
        first = start.replace(day=1)
        while first <= end:
            following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
            out.append((max(first, start), min(following - timedelta(days=1), end)))
            first = following
        return out
    raise ValueError(f"unknown period unit {unit!r}")


def by_period(
    med: MedicationRecord,
    start: date,
    end: date,
    unit: str,
    now: datetime,
    config: AdherenceConfig | None = None,
) -> list[Adherence]:
    """Figures per week or month, from one evaluation (the log is matched once)."""
    evaluation = evaluate(med, start, end, now, config)
    return [summarise(evaluation, lo, hi) for lo, hi in periods(start, end, unit)]


def format_share(value: float | None) -> str:
    """A share as the reports show it: whole percent, or a dash when there is nothing to count."""
    return "–" if value is None else f"{round(value * 100)}%"
