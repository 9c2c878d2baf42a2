"""The medication log: medicines, dated schedules and doses, the dose log, side effects,
stock, non-drug treatments and reminder preferences (the service the UI calls).

Everything goes through :class:`MedicationService`. It validates input and raises
:class:`~companion.core.errors.ValidationError` with one sentence meant for the person; bad
input never reaches the database. It returns frozen dataclasses, never ORM objects.

Conventions
-----------
- **Versions, not edits.** Changing the schedule or the dose adds a dated version
  (``effective_from``); the past keeps the schedule and dose it had, so adherence for any past
  day is computed against what was prescribed then (clinical-reference §3.4). Changing a version
  on the same day replaces it. The first versions start on the medicine's start date.
- **A course** runs from ``started_on`` to ``stopped_on``, the *last day it was taken*
  (inclusive). Stopping needs a reason (not helping, side effects, cost, other). Taking a
  medicine again later is a new course (a new medicine row), so each trial keeps its own dates.
- **Dose log.** A scheduled dose is marked against its slot (local date and wall-clock time).
  Marking a dose taken twice changes nothing (idempotent; the database's unique key on the slot
  is the backstop), so a double click or a second computer can never count a dose twice.
  A time given for a dose must be within 12 hours of its scheduled time: across midnight, after
  a clock change or travel, a dose belongs to its slot, not to the calendar date it was taken.
- **Times** are stored in UTC with the UTC offset of the person's clock at that moment; the
  service's clock returns an aware local time (tests pass a fixed one).
- **Deletes are real** and return a snapshot the UI can restore (undo).

Safety copy rules (§3.4): never tell the person to double up, skip or stop; changes are agreed
with the prescriber. This module only records what the person tells it.
"""

from __future__ import annotations

import functools
import math
import operator
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any, Final, TypeVar

from sqlalchemy import Table, delete, func, insert, literal_column, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from companion.core.errors import ValidationError
from companion.core.medications import adherence as adh
from companion.core.medications.adherence import (
    AdherenceConfig,
    DoseStatus,
    DoseVersion,
    LogRecord,
    MedicationRecord,
    Outcome,
    ScheduleKind,
    ScheduleVersion,
)
from companion.core.medications.models import (
    CATEGORIES,
    FORMS,
    SEVERITIES,
    STOP_REASONS,
    THERAPY_TYPES,
    TREATMENT_END_REASONS,
    TREATMENT_KINDS,
    UNITS,
    DoseLog,
    Medication,
    MedicationDose,
    MedicationSchedule,
    SideEffect,
    Treatment,
)
from companion.core.models import new_id
from companion.core.settings import Option, SettingsService
from companion.storage.database import Database

# -- bundled lists and their labels ----------------------------------------------------------

CATEGORY_LABELS: Final[Mapping[str, str]] = {
    "ssri": "SSRI",
    "snri": "SNRI",
    "atypical": "Atypical antidepressant",
    "tricyclic": "Tricyclic antidepressant",
    "maoi": "MAOI",
    "antipsychotic_augmentation": "Antipsychotic (augmentation)",
    "lithium": "Lithium",
    "thyroid_hormone": "Thyroid hormone",
    "esketamine": "Esketamine",
    "other": "Other",
}
#: Antidepressants proper: the 4–6-week duration fact applies to them (clinical-reference §3.1).
ANTIDEPRESSANTS: Final = frozenset({"ssri", "snri", "atypical", "tricyclic", "maoi"})
AUGMENTATION: Final = frozenset({"antipsychotic_augmentation", "lithium", "thyroid_hormone"})
#: Courses shown as trials in the treatment history.
TRIAL_CATEGORIES: Final = ANTIDEPRESSANTS | AUGMENTATION | {"esketamine"}

FORM_LABELS: Final[Mapping[str, str]] = {
    "tablet": "Tablet",
    "capsule": "Capsule",
    "liquid": "Liquid",
    "nasal_spray": "Nasal spray",
    "patch": "Patch",
    "injection": "Injection",
    "other": "Other",
}
#: what one unit of stock is called, per form
STOCK_UNITS: Final[Mapping[str, str]] = {
    "tablet": "tablets",
    "capsule": "capsules",
    "liquid": "mL",
    "nasal_spray": "sprays",
    "patch": "patches",
    "injection": "doses",
    "other": "doses",
}
STOP_REASON_LABELS: Final[Mapping[str, str]] = {
    "not_helping": "Not helping",
    "side_effects": "Side effects",
    "cost": "Cost",
    "other": "Another reason",
}
SEVERITY_LABELS: Final[Mapping[str, str]] = {
    "mild": "Mild",
    "moderate": "Moderate",
    "severe": "Severe",
}
TREATMENT_KIND_LABELS: Final[Mapping[str, str]] = {
    "psychotherapy": "Psychotherapy",
    "ect": "ECT (electroconvulsive therapy)",
    "rtms": "rTMS (repetitive transcranial magnetic stimulation)",
    "esketamine": "Esketamine",
    "vns": "VNS (vagus nerve stimulation)",
    "ketamine": "Ketamine",
    "other": "Other treatment",
}
THERAPY_TYPE_LABELS: Final[Mapping[str, str]] = {
    "cbt": "CBT (cognitive behavioural therapy)",
    "behavioural_activation": "Behavioural activation",
    "ipt": "Interpersonal therapy (IPT)",
    "psychodynamic": "Psychodynamic therapy",
    "emdr": "EMDR",
    "trauma_focused_cbt": "Trauma-focused CBT",
    "dbt": "DBT (dialectical behaviour therapy)",
    "act": "ACT (acceptance and commitment therapy)",
    "cbasp": "CBASP",
    "schema": "Schema therapy",
    "mbct": "Mindfulness-based cognitive therapy",
    "other": "Another kind of therapy",
}
TREATMENT_END_LABELS: Final[Mapping[str, str]] = {
    "completed": "Course completed",
    **STOP_REASON_LABELS,
}
WEEKDAY_NAMES: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

# -- limits ----------------------------------------------------------------------------------

MAX_NAME_CHARS: Final = 80
MAX_PURPOSE_CHARS: Final = 200
MAX_NOTE_CHARS: Final = 2000
MAX_DOSE_NOTE_CHARS: Final = 200
MAX_TIMES_PER_DAY: Final = 12
MAX_STOCK: Final = 100_000
#: The most one dose may be in each unit: far above any real single dose, so only a typing
#: slip (75000 mg, a dose in grams entered as mg) is refused.
MAX_DOSE: Final[Mapping[str, float]] = {
    "mg": 5_000,
    "mcg": 10_000,
    "g": 50,
    "mL": 500,
    "IU": 1_000_000,
    "units": 10_000,
}
#: A time given for a scheduled dose must be this close to the scheduled time.
SLOT_REACH: Final = timedelta(hours=12)
#: How far ahead a dose may be marked (the evening dose in the morning, not tomorrow's).
LOG_AHEAD: Final = timedelta(hours=12)
CLOCK_SKEW: Final = timedelta(minutes=5)
EARLIEST: Final = date(1950, 1, 1)
#: A planned change may lie this far ahead.
PLAN_AHEAD: Final = timedelta(days=366)
#: julianday() of 0000-12-31 00:00, so (julianday − this) × 1440 counts minutes like
#: ``date.toordinal() * 1440`` (the adherence module's local minutes)
_JULIAN_ORDINAL_ZERO: Final = 1721424.5
_HHMM: Final = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def category_label(code: str) -> str:
    return CATEGORY_LABELS.get(code, code)


def format_amount(value: float) -> str:
    """37.5 → "37.5", 75.0 → "75", 0.125 → "0.125"."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text or "0"


def describe_schedule(version: ScheduleVersion) -> str:
    """A schedule in words: "Every day at 08:00 and 20:00", "As needed"."""
    if version.kind is ScheduleKind.AS_NEEDED:
        return "As needed"
    times = version.times
    at = times[0] if len(times) == 1 else ", ".join(times[:-1]) + " and " + times[-1]
    if version.kind is ScheduleKind.DAILY:
        return f"Every day at {at}"
    if version.kind is ScheduleKind.WEEKDAYS:
        days = sorted(version.weekdays)
        if days == [0, 1, 2, 3, 4]:
            names = "Weekdays"
        elif days == [5, 6]:
            names = "Weekends"
        else:
            names = ", ".join(WEEKDAY_NAMES[d] for d in days)
        return f"{names} at {at}"
    return f"Every {version.interval_days} days at {at}"


def long_date(day: date) -> str:
    """Monday 1 June 2026 (never a bare number a tired person has to decode)."""
    return f"{day:%A} {day.day} {day:%B %Y}"


# -- input and output ------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class MedicationInput:
    """What the add/edit form sends."""

    name: str
    category: str
    started_on: date
    form: str = "tablet"
    strength: float | None = None
    strength_unit: str | None = None
    purpose: str | None = field(default=None, repr=False)
    reminders: bool = True
    window_minutes: int | None = None


@dataclass(frozen=True, kw_only=True)
class ScheduleInput:
    """When to take it. ``times`` are local wall-clock times ("08:00" or ``time`` objects);
    ``weekdays`` are 0 = Monday … 6 = Sunday."""

    kind: ScheduleKind | str = ScheduleKind.DAILY
    times: Sequence[str | time] = ()
    weekdays: Collection[int] = ()
    interval_days: int | None = None


@dataclass(frozen=True)
class DoseInput:
    """The amount taken at each scheduled time."""

    amount: float
    unit: str
    note: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class ScheduleEntry:
    id: str
    version: ScheduleVersion

    @property
    def text(self) -> str:
        return describe_schedule(self.version)


@dataclass(frozen=True)
class DoseEntry:
    id: str
    version: DoseVersion
    note: str | None = field(default=None, repr=False)

    @property
    def text(self) -> str:
        return f"{format_amount(self.version.amount)} {self.version.unit}"


@dataclass(frozen=True)
class SideEffectInfo:
    id: str
    medication_id: str
    noted_on: date
    severity: str
    description: str | None = field(repr=False)  # None only after an import without notes
    resolved_on: date | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class StockEstimate:
    """Stock now, from the last count less the doses logged as taken since."""

    counted: float
    counted_at: datetime
    on_hand: float
    unit: str  # "tablets"
    per_day: float | None  # units a day on the current schedule (None: as needed)
    runs_out_on: date | None

    @property
    def days_left(self) -> int | None:
        if self.per_day is None or self.per_day <= 0:
            return None
        return int(self.on_hand // self.per_day)


@dataclass(frozen=True)
class MedicationInfo:
    id: str
    name: str
    category: str
    form: str
    strength: float | None
    strength_unit: str | None
    purpose: str | None = field(repr=False)
    started_on: date
    stopped_on: date | None
    stop_reason: str | None
    stop_note: str | None = field(repr=False)
    stock_count: float | None
    stock_counted_at: datetime | None
    reminders: bool
    window_minutes: int | None
    schedules: tuple[ScheduleEntry, ...]
    doses: tuple[DoseEntry, ...]
    side_effects: tuple[SideEffectInfo, ...]
    created_at: datetime
    updated_at: datetime

    @property
    def category_label(self) -> str:
        return category_label(self.category)

    @property
    def label(self) -> str:
        """ "Sertraline 50 mg tablet"."""
        parts = [self.name]
        if self.strength is not None and self.strength_unit:
            parts.append(f"{format_amount(self.strength)} {self.strength_unit}")
        parts.append(FORM_LABELS.get(self.form, self.form).lower())
        return " ".join(parts)

    def active_on(self, day: date) -> bool:
        return self.started_on <= day and (self.stopped_on is None or day <= self.stopped_on)

    def schedule_on(self, day: date) -> ScheduleEntry | None:
        found = None
        for entry in self.schedules:
            if entry.version.effective_from <= day:
                found = entry
        return found

    def dose_on(self, day: date) -> DoseEntry | None:
        found = None
        for entry in self.doses:
            if entry.version.effective_from <= day:
                found = entry
        return found

    @property
    def latest_schedule(self) -> ScheduleEntry:
        return self.schedules[-1]

    @property
    def latest_dose(self) -> DoseEntry:
        return self.doses[-1]

    @property
    def as_needed(self) -> bool:
        return self.latest_schedule.version.kind is ScheduleKind.AS_NEEDED


@dataclass(frozen=True)
class LogEntry:
    id: str
    medication_id: str
    slot_date: date | None
    slot_time: str | None
    status: DoseStatus
    occurred_at: datetime
    utc_offset_minutes: int
    time_recorded: bool
    amount: float | None
    logged_at: datetime
    logged_offset_minutes: int
    note: str | None = field(default=None, repr=False)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def local_time(self) -> datetime:
        return self.occurred_at.astimezone(timezone(timedelta(minutes=self.utc_offset_minutes)))


@dataclass(frozen=True)
class DoseSlot:
    """One scheduled dose of one day, and what is logged for it (``entry`` None: not yet)."""

    medication_id: str
    medication_name: str
    dose_text: str
    day: date
    time: str
    scheduled_at: datetime  # aware, in the person's local zone
    entry: LogEntry | None

    @property
    def status(self) -> DoseStatus | None:
        return None if self.entry is None else self.entry.status

    @property
    def logged(self) -> bool:
        return self.entry is not None


@dataclass(frozen=True)
class MedicationSnapshot:
    """A deleted medicine and every row that belonged to it (for undo)."""

    medication_id: str
    rows: Mapping[str, tuple[Mapping[str, Any], ...]] = field(repr=False)


@dataclass(frozen=True)
class TreatmentInput:
    kind: str
    started_on: date
    therapy_type: str | None = None
    label: str | None = field(default=None, repr=False)
    ended_on: date | None = None
    end_reason: str | None = None
    sessions: int | None = None
    note: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class TreatmentInfo:
    id: str
    kind: str
    therapy_type: str | None
    label: str | None = field(repr=False)
    started_on: date
    ended_on: date | None
    end_reason: str | None
    sessions: int | None
    note: str | None = field(repr=False)
    created_at: datetime
    updated_at: datetime

    @property
    def title(self) -> str:
        if self.kind == "psychotherapy" and self.therapy_type:
            return THERAPY_TYPE_LABELS.get(self.therapy_type, self.therapy_type)
        return TREATMENT_KIND_LABELS.get(self.kind, self.kind)

    @property
    def short_title(self) -> str:
        """For chart labels: "CBT", "ECT", "rTMS"."""
        return self.title.split(" (")[0]


@dataclass(frozen=True)
class ReminderPreferences:
    """Reminder and adherence settings (stored in the diary, so they travel with it)."""

    enabled: bool = True
    #: show medicine names in reminders and notifications (off: "A scheduled dose is due")
    show_names: bool = False
    #: remind only about doses that are not logged yet
    only_if_not_logged: bool = True
    snooze_minutes: int = 10
    window_once: int = adh.DEFAULT_WINDOW_ONCE
    window_multi: int = adh.DEFAULT_WINDOW_MULTI

    def adherence_config(self) -> AdherenceConfig:
        return AdherenceConfig(window_once=self.window_once, window_multi=self.window_multi)


class NotFoundError(ValidationError):
    """The thing asked for is not (or no longer) in the diary."""


def local_now() -> datetime:
    """Now on this computer's clock, aware."""
    return datetime.now().astimezone()


# -- validation ------------------------------------------------------------------------------


def _clean_name(value: object, what: str = "medicine", limit: int = MAX_NAME_CHARS) -> str:
    if not isinstance(value, str):
        raise ValidationError(f"The {what} name must be text.")
    name = " ".join(value.split())
    if not name:
        raise ValidationError(f"Please give the {what} a name.")
    if len(name) > limit:
        raise ValidationError(f"The {what} name is too long; please keep it to {limit} characters.")
    return name


def _clean_text(label: str, value: object, limit: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError(f"{label} must be text.")
    if not value.strip():
        return None
    if len(value) > limit:
        raise ValidationError(
            f"{label} is too long: it has {len(value):,} characters and the limit is {limit:,}."
        )
    return value


def _choice(label: str, value: object, allowed: Iterable[str]) -> str:
    options = tuple(allowed)
    if not isinstance(value, str) or value not in options:
        raise ValidationError(f"Please choose {label} from the list.")
    return value


def _date(label: str, value: object) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValidationError(f"{label} must be a date.")
    if value < EARLIEST:
        raise ValidationError(f"{label} is before {EARLIEST.year}; please check the year.")
    return value


def _positive(label: str, value: object, limit: float, unit: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(f"{label} must be a number.")
    number = float(value)
    if not math.isfinite(number) or number <= 0:
        raise ValidationError(f"{label} must be more than zero.")
    if number > limit:
        raise ValidationError(
            f"{format_amount(number)} {unit} is more than any single dose would be (this log "
            f"accepts up to {limit:,.0f} {unit}); please check the amount and the unit."
        )
    return number


def _dose_amount(label: str, amount: object, unit: object) -> tuple[float, str]:
    clean_unit = _choice("a unit", unit, UNITS)
    return _positive(label, amount, MAX_DOSE[clean_unit], clean_unit), clean_unit


def parse_time(value: str | time) -> str:
    """ "8:00", "08:00", time(8) → "08:00"; anything else → ValidationError."""
    if isinstance(value, time):
        return f"{value.hour:02d}:{value.minute:02d}"
    if not isinstance(value, str):
        raise ValidationError("A dose time must be a time of day like 08:00.")
    text = value.strip()
    if re.fullmatch(r"\d:\d\d", text):
        text = "0" + text
    if not _HHMM.match(text):
        raise ValidationError(f"“{value[:10]}” is not a time of day; please use a time like 08:00.")
    return text


def clean_schedule(schedule: ScheduleInput) -> tuple[str, str | None, int | None, int | None]:
    """(kind, times, weekday mask, interval) as stored, or a ValidationError."""
    try:
        kind = ScheduleKind(schedule.kind)
    except ValueError:
        raise ValidationError(
            "Please choose how often: every day, some weekdays, every few days or as needed."
        ) from None
    if kind is ScheduleKind.AS_NEEDED:
        return kind.value, None, None, None
    times = sorted({parse_time(t) for t in schedule.times})
    if not times:
        raise ValidationError("Please add at least one time of day for this schedule.")
    if len(times) > MAX_TIMES_PER_DAY:
        raise ValidationError(f"A schedule can have up to {MAX_TIMES_PER_DAY} times a day.")
    if len(times) != len(list(schedule.times)):
        raise ValidationError("The same time appears twice in the schedule; please remove one.")
    mask = None
    interval = None
    if kind is ScheduleKind.WEEKDAYS:
        days = set(schedule.weekdays)
        if not days:
            raise ValidationError("Please choose at least one day of the week.")
        if any(isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= 6 for d in days):
            raise ValidationError("Days of the week run from Monday to Sunday.")
        mask = sum(1 << d for d in days)
    elif kind is ScheduleKind.INTERVAL:
        n = schedule.interval_days
        if isinstance(n, bool) or not isinstance(n, int) or not 2 <= n <= 366:
            raise ValidationError("“Every N days” needs a number of days from 2 to 366.")
        interval = n
    return kind.value, ",".join(times), mask, interval


def _version_from_row(
    effective_from: date, kind: str, times: str | None, mask: int | None, interval: int | None
) -> ScheduleVersion:
    return ScheduleVersion(
        effective_from=effective_from,
        kind=ScheduleKind(kind),
        times=tuple(times.split(",")) if times else (),
        weekdays=frozenset(d for d in range(7) if mask and mask & (1 << d)),
        interval_days=interval,
    )


def _parse_utc(stored: str | datetime) -> datetime:
    if isinstance(stored, datetime):
        return stored if stored.tzinfo is not None else stored.replace(tzinfo=UTC)
    return datetime.fromisoformat(stored).replace(tzinfo=UTC)


def _offset(moment: datetime) -> int:
    delta = moment.utcoffset()
    if delta is None:
        raise ValidationError("A time without a time zone cannot be stored.")
    seconds = int(delta.total_seconds())
    if seconds % 60:
        raise ValidationError("The time zone offset must be a whole number of minutes.")
    return seconds // 60


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.replace(tzinfo=None).astimezone()
    return moment


def _table(model: type[Any]) -> Table:
    table: Table = model.__table__
    return table


@functools.cache
def _log_sql() -> str:
    """The whole dose log for :meth:`MedicationService.records`, compiled once."""
    log_t = _table(DoseLog)
    julian_occurred = func.julianday(log_t.c.occurred_at)
    query = select(
        log_t.c.medication_id,
        log_t.c.status,
        # minutes since 0001-01-01 on the person's clock (adherence.LogRecord.local_minute)
        (julian_occurred - literal_column(repr(_JULIAN_ORDINAL_ZERO))) * literal_column("1440")
        + log_t.c.utc_offset_minutes,
        log_t.c.time_recorded,
        # written more than a day after the dose (adherence.LATE_LOG)
        func.julianday(log_t.c.logged_at) - julian_occurred
        > literal_column(repr(adh.LATE_LOG / timedelta(days=1))),
        log_t.c.slot_date,
        log_t.c.slot_time,
        log_t.c.amount,
    )
    return str(query.compile(dialect=sqlite.dialect()))


def stock_estimate(
    info: MedicationInfo, taken: Sequence[LogEntry], today: date
) -> StockEstimate | None:
    """Stock on hand now and the day it runs out on the current schedule (or None uncounted).

    One dose uses ``dose ÷ strength`` units when both are in the same unit (75 mg of a
    37.5 mg tablet is two tablets), otherwise one unit. ``taken`` are the doses logged as taken.
    """
    if info.stock_count is None or info.stock_counted_at is None:
        return None
    dose = info.dose_on(today) or info.latest_dose
    per_dose = 1.0
    if info.strength and info.strength_unit == dose.version.unit:
        per_dose = dose.version.amount / info.strength
    used = 0.0
    for entry in taken:
        if entry.status is not DoseStatus.TAKEN or entry.occurred_at < info.stock_counted_at:
            continue
        if entry.amount is not None and info.strength and info.strength_unit == dose.version.unit:
            used += entry.amount / info.strength
        else:
            used += per_dose
    on_hand = max(0.0, info.stock_count - used)
    schedule = (info.schedule_on(today) or info.latest_schedule).version
    per_day: float | None = None
    runs_out: date | None = None
    stopped = info.stopped_on is not None and info.stopped_on < today
    if schedule.kind is not ScheduleKind.AS_NEEDED and not stopped:
        per_day = schedule.doses_per_week / 7 * per_dose
        if per_day > 0:
            runs_out = today + timedelta(days=int(on_hand // per_day))
    return StockEstimate(
        counted=info.stock_count,
        counted_at=info.stock_counted_at,
        on_hand=on_hand,
        unit=STOCK_UNITS.get(info.form, "doses"),
        per_day=per_day,
        runs_out_on=runs_out,
    )


# -- the service -----------------------------------------------------------------------------


_VersionT = TypeVar("_VersionT", MedicationSchedule, MedicationDose)


def _version_on(
    session: Session, model: type[_VersionT], medication_id: str, day: date
) -> _VersionT:
    """The schedule or dose version that starts on ``day`` (a new one if there is none):
    a second change on the same day replaces the first rather than stacking up."""
    existing = session.scalars(
        select(model).where(model.medication_id == medication_id, model.effective_from == day)
    ).first()
    if existing is None:
        existing = model(medication_id=medication_id, effective_from=day)
        session.add(existing)
    return existing


_RowT = TypeVar("_RowT", SideEffect, Treatment)
_InfoT = TypeVar("_InfoT")
_MISSING: dict[type, str] = {
    SideEffect: "That side-effect note is no longer in the diary.",
    Treatment: "That treatment is no longer in the diary.",
}


class MedicationService:
    """Medicines, the dose log, treatments and preferences over one unlocked diary.

    ``clock`` returns the current time as an aware datetime in the person's local zone.
    """

    def __init__(self, db: Database, *, clock: Callable[[], datetime] = local_now) -> None:
        self._db = db
        self._clock = clock

    def now(self) -> datetime:
        return _aware(self._clock())

    def today(self) -> date:
        return self.now().date()

    # -- medicines ---------------------------------------------------------------------------

    def medications(self, *, include_stopped: bool = True) -> list[MedicationInfo]:
        """Current medicines by name, then past ones, most recently stopped first."""
        with self._db.sessions() as session:
            rows = list(session.scalars(select(Medication)))
            infos = self._infos(session, rows)
        today = self.today()
        current = sorted(
            (m for m in infos if m.stopped_on is None or m.stopped_on >= today),
            key=lambda m: (m.name.casefold(), m.started_on),
        )
        past = sorted(
            (m for m in infos if m.stopped_on is not None and m.stopped_on < today),
            key=lambda m: (m.stopped_on or date.min, m.started_on),
            reverse=True,
        )
        return current + (past if include_stopped else [])

    def get(self, medication_id: str) -> MedicationInfo:
        with self._db.sessions() as session:
            return self._infos(session, [self._row(session, medication_id)])[0]

    def add(
        self, medication: MedicationInput, schedule: ScheduleInput, dose: DoseInput
    ) -> MedicationInfo:
        """A new medicine with its first schedule and dose (both from its start date)."""
        values = self._validate_medication(medication)
        kind, times, mask, interval = clean_schedule(schedule)
        amount, unit = _dose_amount("The dose", dose.amount, dose.unit)
        note = _clean_text("The note", dose.note, MAX_DOSE_NOTE_CHARS)
        self._check_strength_ratio(values, amount, unit)
        with self._db.session() as session:
            med = Medication(**values)
            session.add(med)
            session.flush()
            session.add(
                MedicationSchedule(
                    medication_id=med.id,
                    effective_from=med.started_on,
                    kind=kind,
                    times=times,
                    weekdays=mask,
                    interval_days=interval,
                )
            )
            session.add(
                MedicationDose(
                    medication_id=med.id,
                    effective_from=med.started_on,
                    amount=amount,
                    unit=unit,
                    note=note,
                )
            )
            session.flush()
            return self._infos(session, [med])[0]

    def update(self, medication_id: str, medication: MedicationInput) -> MedicationInfo:
        """Change the details. A new start date moves the first schedule and dose with it."""
        values = self._validate_medication(medication)
        with self._db.session() as session:
            med = self._row(session, medication_id)
            new_start: date = values["started_on"]
            if med.stopped_on is not None and new_start > med.stopped_on:
                raise ValidationError(
                    f"The start date is after the last day it was taken "
                    f"({long_date(med.stopped_on)})."
                )
            if new_start != med.started_on:
                self._move_start(session, med, new_start)
            latest_dose = session.scalars(
                select(MedicationDose)
                .where(MedicationDose.medication_id == medication_id)
                .order_by(MedicationDose.effective_from.desc())
            ).first()
            if latest_dose is not None:
                self._check_strength_ratio(values, latest_dose.amount, latest_dose.unit)
            for key, value in values.items():
                setattr(med, key, value)
            session.flush()
            return self._infos(session, [med])[0]

    def set_schedule(
        self, medication_id: str, schedule: ScheduleInput, effective_from: date
    ) -> MedicationInfo:
        """A dated schedule change (on the same day as another change: it replaces it)."""
        kind, times, mask, interval = clean_schedule(schedule)
        day = _date("The date of the change", effective_from)
        with self._db.session() as session:
            med = self._row(session, medication_id)
            self._check_change_day(med, day)
            existing = _version_on(session, MedicationSchedule, medication_id, day)
            existing.kind = kind
            existing.times = times
            existing.weekdays = mask
            existing.interval_days = interval
            med.updated_at = datetime.now(UTC)
            session.flush()
            return self._infos(session, [med])[0]

    def change_dose(
        self, medication_id: str, dose: DoseInput, effective_from: date
    ) -> MedicationInfo:
        """A dated dose change: a titration or taper step (same day: replaces that step)."""
        amount, unit = _dose_amount("The dose", dose.amount, dose.unit)
        note = _clean_text("The note", dose.note, MAX_DOSE_NOTE_CHARS)
        day = _date("The date of the change", effective_from)
        with self._db.session() as session:
            med = self._row(session, medication_id)
            self._check_change_day(med, day)
            self._check_strength_ratio(
                {"strength": med.strength, "strength_unit": med.strength_unit, "form": med.form},
                amount,
                unit,
            )
            existing = _version_on(session, MedicationDose, medication_id, day)
            existing.amount = amount
            existing.unit = unit
            existing.note = note
            med.updated_at = datetime.now(UTC)
            session.flush()
            return self._infos(session, [med])[0]

    def remove_change(self, medication_id: str, version_id: str) -> MedicationInfo:
        """Remove a schedule or dose change entered by mistake (never the first one)."""
        with self._db.session() as session:
            med = self._row(session, medication_id)
            found: list[MedicationSchedule | MedicationDose | None] = [
                session.get(MedicationSchedule, version_id),
                session.get(MedicationDose, version_id),
            ]
            for row in found:
                if row is None or row.medication_id != medication_id:
                    continue
                if row.effective_from <= med.started_on:
                    raise ValidationError(
                        "The first schedule and dose cannot be removed; edit them instead."
                    )
                session.delete(row)
                session.flush()
                return self._infos(session, [med])[0]
        raise NotFoundError("That change is no longer in the diary.")

    def stop(
        self, medication_id: str, last_day: date, reason: str, note: str | None = None
    ) -> MedicationInfo:
        """Record that the course ended: ``last_day`` is the last day it was taken."""
        day = _date("The last day", last_day)
        clean_reason = _choice("a reason", reason, STOP_REASONS)
        clean_note = _clean_text("The note", note, MAX_NOTE_CHARS)
        with self._db.session() as session:
            med = self._row(session, medication_id)
            if day < med.started_on:
                raise ValidationError(
                    f"The last day is before the day it was started ({long_date(med.started_on)})."
                )
            if day > self.today() + PLAN_AHEAD:
                raise ValidationError("The last day is more than a year ahead; please check it.")
            later = session.scalars(
                select(DoseLog.slot_date).where(
                    DoseLog.medication_id == medication_id,
                    DoseLog.slot_date > day,
                    DoseLog.status == DoseStatus.TAKEN.value,
                )
            ).first()
            if later is not None:
                raise ValidationError(
                    f"A dose is logged as taken on {long_date(later)}, after that day; "
                    "please choose a later last day or change that entry first."
                )
            versioned: tuple[type[MedicationSchedule] | type[MedicationDose], ...] = (
                MedicationSchedule,
                MedicationDose,
            )
            for model in versioned:
                change = session.scalars(
                    select(model.effective_from).where(
                        model.medication_id == medication_id, model.effective_from > day
                    )
                ).first()
                if change is not None:
                    raise ValidationError(
                        f"A change is planned for {long_date(change)}, after that day; "
                        "please remove it first or choose a later last day."
                    )
            med.stopped_on = day
            med.stop_reason = clean_reason
            med.stop_note = clean_note
            session.flush()
            return self._infos(session, [med])[0]

    def resume(self, medication_id: str) -> MedicationInfo:
        """Undo a stop (the course goes on)."""
        with self._db.session() as session:
            med = self._row(session, medication_id)
            med.stopped_on = None
            med.stop_reason = None
            med.stop_note = None
            session.flush()
            return self._infos(session, [med])[0]

    def set_stock(
        self, medication_id: str, count: float | None, counted_at: datetime | None = None
    ) -> MedicationInfo:
        """Record how many units are on hand (None forgets the count)."""
        with self._db.session() as session:
            med = self._row(session, medication_id)
            if count is None:
                med.stock_count = None
                med.stock_counted_at = None
            else:
                if isinstance(count, bool) or not isinstance(count, int | float):
                    raise ValidationError("The stock must be a number.")
                number = float(count)
                if not math.isfinite(number) or number < 0:
                    raise ValidationError("The stock cannot be less than zero.")
                if number > MAX_STOCK:
                    raise ValidationError(f"The stock can be at most {MAX_STOCK:,}.")
                when = _aware(counted_at) if counted_at is not None else self.now()
                if when > self.now() + CLOCK_SKEW:
                    raise ValidationError("The count cannot be in the future.")
                med.stock_count = number
                med.stock_counted_at = when
            session.flush()
            return self._infos(session, [med])[0]

    def stock(self, medication_id: str) -> StockEstimate | None:
        info = self.get(medication_id)
        if info.stock_counted_at is None:
            return None
        taken = self.log_entries(medication_id, since=info.stock_counted_at)
        return stock_estimate(info, taken, self.today())

    def delete(self, medication_id: str) -> MedicationSnapshot:
        """Delete a medicine and everything logged for it, for real; the snapshot undoes it."""
        with self._db.session() as session:
            self._row(session, medication_id)
            rows: dict[str, tuple[Mapping[str, Any], ...]] = {}
            for model in (Medication, MedicationSchedule, MedicationDose, DoseLog, SideEffect):
                table = _table(model)
                key = table.c.id if model is Medication else table.c.medication_id
                found = session.execute(select(table).where(key == medication_id)).mappings()
                rows[table.name] = tuple(dict(r) for r in found)
            session.execute(delete(Medication).where(Medication.id == medication_id))
        return MedicationSnapshot(medication_id, rows)

    def restore(self, snapshot: MedicationSnapshot) -> MedicationInfo:
        with self._db.session() as session:
            if session.get(Medication, snapshot.medication_id) is not None:
                raise ValidationError("That medicine is already in the diary.")
            for model in (Medication, MedicationSchedule, MedicationDose, DoseLog, SideEffect):
                table = _table(model)
                found = snapshot.rows.get(table.name, ())
                if found:
                    session.execute(insert(table), [dict(r) for r in found])
        return self.get(snapshot.medication_id)

    # -- side effects ------------------------------------------------------------------------

    def add_side_effect(
        self,
        medication_id: str,
        description: str,
        severity: str,
        noted_on: date,
        resolved_on: date | None = None,
    ) -> SideEffectInfo:
        values = self._validate_side_effect(description, severity, noted_on, resolved_on)
        with self._db.session() as session:
            self._row(session, medication_id)
            row = SideEffect(medication_id=medication_id, **values)
            session.add(row)
            session.flush()
            return _side_effect_info(row)

    def update_side_effect(
        self,
        side_effect_id: str,
        description: str,
        severity: str,
        noted_on: date,
        resolved_on: date | None = None,
    ) -> SideEffectInfo:
        values = self._validate_side_effect(description, severity, noted_on, resolved_on)
        return self._update_row(SideEffect, side_effect_id, values, _side_effect_info)

    def delete_side_effect(self, side_effect_id: str) -> SideEffectInfo:
        return self._delete_row(SideEffect, side_effect_id, _side_effect_info)

    def restore_side_effect(self, snapshot: SideEffectInfo) -> SideEffectInfo:
        with self._db.session() as session:
            self._row(session, snapshot.medication_id)
            if session.get(SideEffect, snapshot.id) is not None:
                raise ValidationError("That side-effect note is already in the diary.")
            row = SideEffect(
                id=snapshot.id,
                medication_id=snapshot.medication_id,
                noted_on=snapshot.noted_on,
                severity=snapshot.severity,
                description=snapshot.description,
                resolved_on=snapshot.resolved_on,
                created_at=snapshot.created_at,
                updated_at=snapshot.updated_at,
            )
            session.add(row)
            session.flush()
            return _side_effect_info(row)

    # -- the dose log ------------------------------------------------------------------------

    def doses_for_day(self, day: date | None = None) -> list[DoseSlot]:
        """Every scheduled dose of one local day (today by default), in time order."""
        day = day or self.today()
        zone = self.now().tzinfo
        out: list[DoseSlot] = []
        with self._db.sessions() as session:
            meds = self._infos(
                session,
                list(
                    session.scalars(
                        select(Medication).where(
                            Medication.started_on <= day,
                            (Medication.stopped_on.is_(None)) | (Medication.stopped_on >= day),
                        )
                    )
                ),
            )
            entries = self._entries(
                session, [DoseLog.slot_date == day, DoseLog.medication_id.in_([m.id for m in meds])]
            )
        by_slot = {(e.medication_id, e.slot_time): e for e in entries}
        for med in meds:
            schedule = med.schedule_on(day)
            dose = med.dose_on(day)
            if schedule is None or dose is None:
                continue
            version = schedule.version
            if version.kind is ScheduleKind.AS_NEEDED or not version.doses_on(day):
                continue
            for text in version.times:
                at = datetime.combine(day, time.fromisoformat(text), tzinfo=zone)
                out.append(
                    DoseSlot(
                        medication_id=med.id,
                        medication_name=med.name,
                        dose_text=dose.text,
                        day=day,
                        time=text,
                        scheduled_at=at,
                        entry=by_slot.get((med.id, text)),
                    )
                )
        out.sort(key=lambda s: (s.time, s.medication_name.casefold()))
        return out

    def mark_taken(
        self,
        medication_id: str,
        slot_date: date,
        slot_time: str,
        *,
        taken_at: datetime | None = None,
        time_known: bool = True,
        amount: float | None = None,
        note: str | None = None,
    ) -> LogEntry:
        """Mark a scheduled dose taken. ``taken_at`` None means now (``time_known=False``: the
        time is not known, as when filling in a past day). Marking it again changes nothing."""
        return self._mark(
            medication_id,
            slot_date,
            slot_time,
            DoseStatus.TAKEN,
            taken_at=taken_at,
            time_known=time_known,
            amount=amount,
            note=note,
        )

    def mark_skipped(
        self,
        medication_id: str,
        slot_date: date,
        slot_time: str,
        *,
        advised: bool = False,
        note: str | None = None,
    ) -> LogEntry:
        """Mark a scheduled dose skipped (by choice, or on the prescriber's advice)."""
        status = DoseStatus.SKIPPED_ADVISED if advised else DoseStatus.SKIPPED
        return self._mark(medication_id, slot_date, slot_time, status, note=note, time_known=False)

    def clear_slot(self, medication_id: str, slot_date: date, slot_time: str) -> LogEntry | None:
        """Back to "not logged yet". Returns what was there (for undo), or None."""
        slot = parse_time(slot_time)
        with self._db.session() as session:
            row = session.scalars(
                select(DoseLog).where(
                    DoseLog.medication_id == medication_id,
                    DoseLog.slot_date == slot_date,
                    DoseLog.slot_time == slot,
                )
            ).first()
            if row is None:
                return None
            snapshot = _log_entry(row)
            session.delete(row)
        return snapshot

    def log_dose(
        self,
        medication_id: str,
        *,
        taken_at: datetime | None = None,
        amount: float | None = None,
        note: str | None = None,
    ) -> LogEntry:
        """An as-needed dose, or an extra dose outside the schedule, taken at ``taken_at``."""
        now = self.now()
        when = _aware(taken_at) if taken_at is not None else now
        clean_note = _clean_text("The note", note, MAX_NOTE_CHARS)
        with self._db.session() as session:
            info = self._infos(session, [self._row(session, medication_id)])[0]
            local_day = when.date()
            self._check_when(when, now)
            if not info.active_on(local_day):
                raise ValidationError(
                    f"{info.name} was not being taken on {long_date(local_day)} "
                    "(outside its start and last day)."
                )
            clean_amount = self._check_amount(info, local_day, amount)
            row = DoseLog(
                medication_id=medication_id,
                status=DoseStatus.TAKEN.value,
                occurred_at=when,
                utc_offset_minutes=_offset(when),
                time_recorded=True,
                amount=clean_amount,
                logged_at=now,
                logged_offset_minutes=_offset(now),
                note=clean_note,
            )
            session.add(row)
            session.flush()
            return _log_entry(row)

    def update_entry(
        self,
        entry_id: str,
        *,
        taken_at: datetime | None,
        amount: float | None = None,
        note: str | None = None,
    ) -> LogEntry:
        """Correct a taken dose's time (None: time not known), amount or note."""
        now = self.now()
        clean_note = _clean_text("The note", note, MAX_NOTE_CHARS)
        with self._db.session() as session:
            row = session.get(DoseLog, entry_id)
            if row is None:
                raise NotFoundError("That dose entry is no longer in the diary.")
            info = self._infos(session, [self._row(session, row.medication_id)])[0]
            if row.slot_date is not None and row.slot_time is not None:
                slot_at = datetime.combine(
                    row.slot_date, time.fromisoformat(row.slot_time), tzinfo=now.tzinfo
                )
                when, known = self._taken_time(slot_at, taken_at, True, now, fallback=slot_at)
                day = row.slot_date
            else:
                if taken_at is None:
                    raise ValidationError("An extra or as-needed dose needs the time it was taken.")
                when = _aware(taken_at)
                self._check_when(when, now)
                known = True
                day = when.date()
            if row.status != DoseStatus.TAKEN.value:
                when, known = row.occurred_at, False
            row.occurred_at = when
            row.utc_offset_minutes = _offset(when) if known else row.utc_offset_minutes
            row.time_recorded = known
            row.amount = self._check_amount(info, day, amount)
            row.note = clean_note
            row.logged_at = now
            row.logged_offset_minutes = _offset(now)
            session.flush()
            return _log_entry(row)

    def delete_entry(self, entry_id: str) -> LogEntry:
        with self._db.session() as session:
            row = session.get(DoseLog, entry_id)
            if row is None:
                raise NotFoundError("That dose entry is no longer in the diary.")
            snapshot = _log_entry(row)
            session.delete(row)
        return snapshot

    def restore_entry(self, snapshot: LogEntry) -> LogEntry:
        with self._db.session() as session:
            self._row(session, snapshot.medication_id)
            if session.get(DoseLog, snapshot.id) is not None:
                raise ValidationError("That dose entry is already in the diary.")
            if snapshot.slot_date is not None:
                taken = session.scalars(
                    select(DoseLog.id).where(
                        DoseLog.medication_id == snapshot.medication_id,
                        DoseLog.slot_date == snapshot.slot_date,
                        DoseLog.slot_time == snapshot.slot_time,
                    )
                ).first()
                if taken is not None:
                    raise ValidationError("That dose has been logged again in the meantime.")
            values = asdict(snapshot)
            values["status"] = snapshot.status.value
            values["created_at"] = snapshot.created_at or snapshot.logged_at
            values["updated_at"] = snapshot.updated_at or snapshot.logged_at
            row = DoseLog(**values)
            session.add(row)
            session.flush()
            return _log_entry(row)

    def log_entries(
        self,
        medication_id: str | None = None,
        *,
        since: datetime | None = None,
        start: date | None = None,
        end: date | None = None,
    ) -> list[LogEntry]:
        """Log entries in time order (by medicine, from a moment, or by slot/local date)."""
        conditions: list[Any] = []
        if medication_id is not None:
            conditions.append(DoseLog.medication_id == medication_id)
        if since is not None:
            conditions.append(DoseLog.occurred_at >= since)
        margin = timedelta(days=1)
        if start is not None:
            conditions.append(
                DoseLog.occurred_at >= datetime.combine(start, time(), tzinfo=UTC) - margin
            )
        if end is not None:
            conditions.append(
                DoseLog.occurred_at < datetime.combine(end, time(), tzinfo=UTC) + 2 * margin
            )
        with self._db.sessions() as session:
            found = self._entries(session, conditions)
        if start is not None or end is not None:
            lo = start or date.min
            hi = end or date.max
            found = [e for e in found if lo <= (e.slot_date or e.local_time.date()) <= hi]
        return found

    # -- adherence ---------------------------------------------------------------------------

    def records(self, medication_ids: Collection[str] | None = None) -> list[MedicationRecord]:
        """Every medicine with its versions and whole log as plain values (fast, Core only)."""
        med_t = _table(Medication)
        sched_t = _table(MedicationSchedule)
        dose_t = _table(MedicationDose)
        wanted = None if medication_ids is None else list(medication_ids)
        with self._db.connect() as conn:
            med_q = select(
                med_t.c.id,
                med_t.c.name,
                med_t.c.category,
                med_t.c.started_on,
                med_t.c.stopped_on,
                med_t.c.window_minutes,
                med_t.c.stop_reason,
            ).order_by(med_t.c.started_on, med_t.c.id)
            sched_q = select(
                sched_t.c.medication_id,
                sched_t.c.effective_from,
                sched_t.c.kind,
                sched_t.c.times,
                sched_t.c.weekdays,
                sched_t.c.interval_days,
            ).order_by(sched_t.c.effective_from)
            dose_q = select(
                dose_t.c.medication_id, dose_t.c.effective_from, dose_t.c.amount, dose_t.c.unit
            ).order_by(dose_t.c.effective_from)
            if wanted is not None:
                med_q = med_q.where(med_t.c.id.in_(wanted))
                sched_q = sched_q.where(sched_t.c.medication_id.in_(wanted))
                dose_q = dose_q.where(dose_t.c.medication_id.in_(wanted))
            meds = conn.execute(med_q).all()
            schedules: dict[str, list[ScheduleVersion]] = {}
            for mid, eff, kind, times, mask, interval in conn.execute(sched_q).all():
                schedules.setdefault(mid, []).append(
                    _version_from_row(eff, kind, times, mask, interval)
                )
            doses: dict[str, list[DoseVersion]] = {}
            for mid, eff, amount, unit in conn.execute(dose_q).all():
                doses.setdefault(mid, []).append(DoseVersion(eff, amount, unit))
            # the raw connection is used while this Core connection holds the database lock
            logs = self._log_records(row[0] for row in meds)
        return [
            MedicationRecord(
                id=mid,
                name=name,
                category=category,
                started_on=started,
                stopped_on=stopped,
                schedules=tuple(schedules.get(mid, ())),
                doses=tuple(doses.get(mid, ())),
                log=tuple(logs.get(mid, ())),
                window_minutes=window,
                stop_reason=reason,
            )
            for mid, name, category, started, stopped, window, reason in meds
        ]

    def _log_records(self, medication_ids: Iterable[str]) -> dict[str, list[LogRecord]]:
        """The dose log as :class:`LogRecord` tuples, per medicine, in time order, in as little
        Python as possible: one compiled query on the raw connection (call it while holding
        the database through ``Database.connect``). SQLite works out each entry's local minute
        and whether it was written late; the sort by local minute is done here (a C sort of
        floats: ordering in SQL by text keys costs more than the whole load)."""
        wanted = list(medication_ids)
        logs: dict[str, list[LogRecord]] = {mid: [] for mid in wanted}
        raw = self._db.raw_connection
        statuses = {s.value: s for s in DoseStatus}
        parse_day = date.fromisoformat
        new = tuple.__new__  # LogRecord(...) without NamedTuple's Python-level __new__
        kind = LogRecord
        rows = raw.execute(_log_sql()).fetchall()
        for mid, status, minute, recorded, late, slot_day, slot_time, amount in rows:
            bucket = logs.get(mid)
            if bucket is not None:
                bucket.append(
                    new(
                        kind,
                        (
                            statuses[status],
                            minute,
                            recorded == 1,
                            late == 1,
                            parse_day(slot_day) if slot_day else None,
                            slot_time,
                            amount,
                            "",
                        ),
                    )
                )
        by_minute = operator.itemgetter(1)
        for bucket in logs.values():
            bucket.sort(key=by_minute)
        return logs

    def adherence(
        self, medication_id: str, start: date, end: date, *, config: AdherenceConfig | None = None
    ) -> adh.Adherence:
        records = self.records([medication_id])
        if not records:
            raise NotFoundError("That medicine is no longer in the diary.")
        config = config or self.preferences().adherence_config()
        return adh.adherence(records[0], start, end, self.now(), config)

    # -- treatments --------------------------------------------------------------------------

    def treatments(self) -> list[TreatmentInfo]:
        with self._db.sessions() as session:
            rows = session.scalars(
                select(Treatment).order_by(Treatment.started_on.desc(), Treatment.kind)
            )
            return [_treatment_info(r) for r in rows]

    def add_treatment(self, treatment: TreatmentInput) -> TreatmentInfo:
        values = self._validate_treatment(treatment)
        with self._db.session() as session:
            row = Treatment(**values)
            session.add(row)
            session.flush()
            return _treatment_info(row)

    def update_treatment(self, treatment_id: str, treatment: TreatmentInput) -> TreatmentInfo:
        values = self._validate_treatment(treatment)
        return self._update_row(Treatment, treatment_id, values, _treatment_info)

    def delete_treatment(self, treatment_id: str) -> TreatmentInfo:
        return self._delete_row(Treatment, treatment_id, _treatment_info)

    def restore_treatment(self, snapshot: TreatmentInfo) -> TreatmentInfo:
        with self._db.session() as session:
            if session.get(Treatment, snapshot.id) is not None:
                raise ValidationError("That treatment is already in the diary.")
            row = Treatment(**asdict(snapshot))
            session.add(row)
            session.flush()
            return _treatment_info(row)

    # -- preferences -------------------------------------------------------------------------

    def preferences(self) -> ReminderPreferences:
        return SettingsService(self._db).get(PREFERENCES)

    def set_preferences(self, preferences: ReminderPreferences) -> ReminderPreferences:
        return SettingsService(self._db).set(PREFERENCES, preferences)

    # -- internals ---------------------------------------------------------------------------

    def _get_or_missing(self, session: Session, model: type[_RowT], row_id: str) -> _RowT:
        row = session.get(model, row_id)
        if row is None:
            raise NotFoundError(_MISSING[model])
        return row

    def _update_row(
        self,
        model: type[_RowT],
        row_id: str,
        values: dict[str, Any],
        to_info: Callable[[_RowT], _InfoT],
    ) -> _InfoT:
        """Set validated values on one row and return its snapshot."""
        with self._db.session() as session:
            row = self._get_or_missing(session, model, row_id)
            for key, value in values.items():
                setattr(row, key, value)
            session.flush()
            return to_info(row)

    def _delete_row(
        self, model: type[_RowT], row_id: str, to_info: Callable[[_RowT], _InfoT]
    ) -> _InfoT:
        """A real delete; the snapshot lets the UI undo it."""
        with self._db.session() as session:
            row = self._get_or_missing(session, model, row_id)
            snapshot = to_info(row)
            session.delete(row)
        return snapshot

    def _row(self, session: Session, medication_id: str) -> Medication:
        row = session.get(Medication, medication_id)
        if row is None:
            raise NotFoundError("That medicine is no longer in the diary.")
        return row

    def _infos(self, session: Session, rows: Sequence[Medication]) -> list[MedicationInfo]:
        ids = [r.id for r in rows]
        if not ids:
            return []
        schedules: dict[str, list[ScheduleEntry]] = {}
        for s in session.scalars(
            select(MedicationSchedule)
            .where(MedicationSchedule.medication_id.in_(ids))
            .order_by(MedicationSchedule.effective_from)
        ):
            schedules.setdefault(s.medication_id, []).append(
                ScheduleEntry(
                    s.id,
                    _version_from_row(
                        s.effective_from, s.kind, s.times, s.weekdays, s.interval_days
                    ),
                )
            )
        doses: dict[str, list[DoseEntry]] = {}
        for d in session.scalars(
            select(MedicationDose)
            .where(MedicationDose.medication_id.in_(ids))
            .order_by(MedicationDose.effective_from)
        ):
            doses.setdefault(d.medication_id, []).append(
                DoseEntry(d.id, DoseVersion(d.effective_from, d.amount, d.unit), d.note)
            )
        effects: dict[str, list[SideEffectInfo]] = {}
        for e in session.scalars(
            select(SideEffect)
            .where(SideEffect.medication_id.in_(ids))
            .order_by(SideEffect.noted_on, SideEffect.created_at)
        ):
            effects.setdefault(e.medication_id, []).append(_side_effect_info(e))
        return [
            MedicationInfo(
                id=r.id,
                name=r.name,
                category=r.category,
                form=r.form,
                strength=r.strength,
                strength_unit=r.strength_unit,
                purpose=r.purpose,
                started_on=r.started_on,
                stopped_on=r.stopped_on,
                stop_reason=r.stop_reason,
                stop_note=r.stop_note,
                stock_count=r.stock_count,
                stock_counted_at=r.stock_counted_at,
                reminders=r.reminders,
                window_minutes=r.window_minutes,
                schedules=tuple(schedules.get(r.id, ())),
                doses=tuple(doses.get(r.id, ())),
                side_effects=tuple(effects.get(r.id, ())),
                created_at=r.created_at,
                updated_at=r.updated_at,
            )
            for r in rows
        ]

    def _entries(self, session: Session, conditions: Sequence[Any]) -> list[LogEntry]:
        query = select(DoseLog).order_by(DoseLog.occurred_at, DoseLog.id)
        for condition in conditions:
            query = query.where(condition)
        return [_log_entry(r) for r in session.scalars(query)]

    def _validate_medication(self, medication: MedicationInput) -> dict[str, Any]:
        name = _clean_name(medication.name)
        category = _choice("a kind of medicine", medication.category, CATEGORIES)
        form = _choice("a form", medication.form, FORMS)
        strength: float | None = None
        unit: str | None = None
        if medication.strength is not None:
            unit = _choice("a unit for the strength", medication.strength_unit, UNITS)
            strength = _positive("The strength", medication.strength, MAX_DOSE[unit], unit)
        elif medication.strength_unit is not None:
            unit = _choice("a unit for the strength", medication.strength_unit, UNITS)
        started = _date("The start date", medication.started_on)
        if started > self.today() + PLAN_AHEAD:
            raise ValidationError("The start date is more than a year ahead; please check it.")
        window = medication.window_minutes
        if window is not None and (
            isinstance(window, bool) or not isinstance(window, int) or not 5 <= window <= 720
        ):
            raise ValidationError("The on-time window must be from 5 minutes to 12 hours.")
        if not isinstance(medication.reminders, bool):
            raise ValidationError("Reminders are either on or off.")
        return {
            "name": name,
            "category": category,
            "form": form,
            "strength": strength,
            "strength_unit": unit,
            "purpose": _clean_text("The purpose", medication.purpose, MAX_PURPOSE_CHARS),
            "started_on": started,
            "reminders": medication.reminders,
            "window_minutes": window,
        }

    @staticmethod
    def _check_strength_ratio(values: Mapping[str, Any], amount: float, unit: str) -> None:
        """A dose of more than 20 tablets at once is almost surely a slip of the keyboard."""
        strength = values.get("strength")
        if (
            strength
            and values.get("strength_unit") == unit
            and values.get("form")
            in (
                "tablet",
                "capsule",
            )
        ):
            count = amount / strength
            if count > 20:
                raise ValidationError(
                    f"That dose would be {count:,.0f} {STOCK_UNITS[values['form']]} at once; "
                    "please check the dose and the strength."
                )

    def _check_change_day(self, med: Medication, day: date) -> None:
        if day < med.started_on:
            raise ValidationError(
                f"A change cannot start before the medicine was started "
                f"({long_date(med.started_on)}); to change the start, edit the medicine."
            )
        if med.stopped_on is not None and day > med.stopped_on:
            raise ValidationError(
                f"This medicine was stopped on {long_date(med.stopped_on)}, before that date."
            )
        if day > self.today() + PLAN_AHEAD:
            raise ValidationError("The change is more than a year ahead; please check the date.")

    def _move_start(self, session: Session, med: Medication, new_start: date) -> None:
        versioned: tuple[tuple[type[MedicationSchedule] | type[MedicationDose], str], ...] = (
            (MedicationSchedule, "schedule"),
            (MedicationDose, "dose"),
        )
        for model, what in versioned:
            versions: list[Any] = list(
                session.scalars(
                    select(model)
                    .where(model.medication_id == med.id)
                    .order_by(model.effective_from)
                )
            )
            if len(versions) > 1 and versions[1].effective_from <= new_start:
                raise ValidationError(
                    f"The {what} changes on {long_date(versions[1].effective_from)}; the start "
                    "date must be before that."
                )
            if versions:
                versions[0].effective_from = new_start
        earlier = session.scalars(
            select(DoseLog.slot_date).where(
                DoseLog.medication_id == med.id, DoseLog.slot_date < new_start
            )
        ).first()
        if earlier is not None:
            raise ValidationError(
                f"A dose is logged on {long_date(earlier)}, before that start date; "
                "please choose an earlier start or change that entry first."
            )
        session.flush()

    def _mark(
        self,
        medication_id: str,
        slot_date: date,
        slot_time: str,
        status: DoseStatus,
        *,
        taken_at: datetime | None = None,
        time_known: bool = True,
        amount: float | None = None,
        note: str | None = None,
    ) -> LogEntry:
        slot = parse_time(slot_time)
        day = _date("The day of the dose", slot_date)
        now = self.now()
        clean_note = _clean_text("The note", note, MAX_NOTE_CHARS)
        with self._db.session() as session:
            info = self._infos(session, [self._row(session, medication_id)])[0]
            slot_at = self._check_slot(info, day, slot, now)
            existing = session.scalars(
                select(DoseLog).where(
                    DoseLog.medication_id == medication_id,
                    DoseLog.slot_date == day,
                    DoseLog.slot_time == slot,
                )
            ).first()
            if existing is not None and existing.status == status.value:
                return _log_entry(existing)  # idempotent: already marked so
            if status is DoseStatus.TAKEN:
                when, known = self._taken_time(slot_at, taken_at, time_known, now, fallback=slot_at)
                clean_amount = self._check_amount(info, day, amount)
            else:
                when, known, clean_amount = min(slot_at, now), False, None
            row = existing or DoseLog(medication_id=medication_id, slot_date=day, slot_time=slot)
            row.status = status.value
            row.occurred_at = when
            row.utc_offset_minutes = _offset(when)
            row.time_recorded = known
            row.amount = clean_amount
            row.logged_at = now
            row.logged_offset_minutes = _offset(now)
            row.note = clean_note
            if existing is None:
                session.add(row)
            session.flush()
            return _log_entry(row)

    def _check_slot(self, info: MedicationInfo, day: date, slot: str, now: datetime) -> datetime:
        """The scheduled moment of a dose, or a sentence saying why there is no such dose."""
        if not info.active_on(day):
            if day < info.started_on:
                raise ValidationError(
                    f"{info.name} was started on {long_date(info.started_on)}, after that day."
                )
            assert info.stopped_on is not None
            raise ValidationError(
                f"{info.name} was stopped on {long_date(info.stopped_on)}, before that day."
            )
        schedule = info.schedule_on(day)
        if schedule is None or schedule.version.kind is ScheduleKind.AS_NEEDED:
            raise ValidationError(
                f"{info.name} is taken as needed on that day; log it with the time it was taken."
            )
        if not schedule.version.doses_on(day) or slot not in schedule.version.times:
            raise ValidationError(
                f"{info.name} has no dose at {slot} on {long_date(day)}; please check the day "
                "and time."
            )
        slot_at = datetime.combine(day, time.fromisoformat(slot), tzinfo=now.tzinfo)
        if slot_at - now > LOG_AHEAD:
            raise ValidationError(
                f"The {slot} dose on {long_date(day)} is not due yet; it can be marked from "
                "12 hours before."
            )
        return slot_at

    def _taken_time(
        self,
        slot_at: datetime,
        taken_at: datetime | None,
        time_known: bool,
        now: datetime,
        *,
        fallback: datetime,
    ) -> tuple[datetime, bool]:
        if not time_known:
            return min(fallback, now), False
        when = _aware(taken_at) if taken_at is not None else now
        self._check_when(when, now)
        # Compare wall clocks: the schedule follows the clock on the wall (adherence module).
        wall = when.replace(tzinfo=None) - slot_at.replace(tzinfo=None)
        if abs(wall) > SLOT_REACH:
            raise ValidationError(
                f"That time is more than 12 hours from the {slot_at:%H:%M} dose on "
                f"{long_date(slot_at.date())}. If it belongs to another day's dose, please "
                "log it on that day."
            )
        return when, True

    def _check_when(self, when: datetime, now: datetime) -> None:
        if when > now + CLOCK_SKEW:
            raise ValidationError("That time is in the future; please check the time.")
        if when.date() < EARLIEST:
            raise ValidationError(f"That time is before {EARLIEST.year}; please check the year.")

    def _check_amount(self, info: MedicationInfo, day: date, amount: float | None) -> float | None:
        if amount is None:
            return None
        dose = info.dose_on(day) or info.latest_dose
        value, _unit = _dose_amount("The amount taken", amount, dose.version.unit)
        return None if abs(value - dose.version.amount) < 1e-9 else value

    def _validate_side_effect(
        self, description: str, severity: str, noted_on: date, resolved_on: date | None
    ) -> dict[str, Any]:
        text = _clean_text("The description", description, MAX_NOTE_CHARS)
        if text is None:
            raise ValidationError("Please describe the side effect in a few words.")
        noted = _date("The date", noted_on)
        if noted > self.today():
            raise ValidationError("The date is in the future; please check it.")
        resolved = None
        if resolved_on is not None:
            resolved = _date("The date it eased", resolved_on)
            if resolved < noted:
                raise ValidationError("The date it eased is before the date it was noticed.")
            if resolved > self.today():
                raise ValidationError("The date it eased is in the future; please check it.")
        return {
            "description": text,
            "severity": _choice("how much it bothers you", severity, SEVERITIES),
            "noted_on": noted,
            "resolved_on": resolved,
        }

    def _validate_treatment(self, treatment: TreatmentInput) -> dict[str, Any]:
        kind = _choice("a kind of treatment", treatment.kind, TREATMENT_KINDS)
        therapy = None
        if kind == "psychotherapy":
            if treatment.therapy_type is not None:
                therapy = _choice("a kind of therapy", treatment.therapy_type, THERAPY_TYPES)
        elif treatment.therapy_type is not None:
            raise ValidationError("A kind of therapy belongs to psychotherapy only.")
        started = _date("The start date", treatment.started_on)
        if started > self.today() + PLAN_AHEAD:
            raise ValidationError("The start date is more than a year ahead; please check it.")
        ended = None
        if treatment.ended_on is not None:
            ended = _date("The end date", treatment.ended_on)
            if ended < started:
                raise ValidationError("The end date is before the start date.")
        reason = None
        if treatment.end_reason is not None:
            if ended is None:
                raise ValidationError("Please give the end date together with the reason.")
            reason = _choice("a reason", treatment.end_reason, TREATMENT_END_REASONS)
        sessions = treatment.sessions
        if sessions is not None and (
            isinstance(sessions, bool) or not isinstance(sessions, int) or not 0 <= sessions <= 2000
        ):
            raise ValidationError("The number of sessions must be a whole number up to 2,000.")
        label = None
        if treatment.label is not None and treatment.label.strip():
            label = _clean_name(treatment.label, "treatment")
        return {
            "kind": kind,
            "therapy_type": therapy,
            "label": label,
            "started_on": started,
            "ended_on": ended,
            "end_reason": reason,
            "sessions": sessions,
            "note": _clean_text("The note", treatment.note, MAX_NOTE_CHARS),
        }


def _preferences(value: object) -> ReminderPreferences:
    """A stored mapping (or a ReminderPreferences) checked; unknown keys are dropped."""
    if isinstance(value, dict):
        known = {k: value[k] for k in asdict(ReminderPreferences()) if k in value}
        value = ReminderPreferences(**known)
    if not isinstance(value, ReminderPreferences):
        raise ValidationError("Reminder settings could not be read.")
    return _clean_preferences(value)


def _clean_preferences(p: ReminderPreferences) -> ReminderPreferences:
    for name in ("enabled", "show_names", "only_if_not_logged"):
        if not isinstance(getattr(p, name), bool):
            raise ValidationError("Reminder switches are either on or off.")
    for name, low, high in (("window_once", 5, 720), ("window_multi", 5, 720)):
        value = getattr(p, name)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValidationError("The on-time window must be from 5 minutes to 12 hours.")
    snooze = p.snooze_minutes
    if isinstance(snooze, bool) or not isinstance(snooze, int) or not 1 <= snooze <= 240:
        raise ValidationError("Snooze must be from 1 minute to 4 hours.")
    return p


#: reminder and adherence settings (stored in the diary, so they travel with it)
PREFERENCES: Final[Option[ReminderPreferences]] = Option(
    "medications.preferences",
    ReminderPreferences(),
    "Reminder settings",
    _preferences,
    encode=asdict,
)


def _side_effect_info(row: SideEffect) -> SideEffectInfo:
    return SideEffectInfo(
        id=row.id,
        medication_id=row.medication_id,
        noted_on=row.noted_on,
        severity=row.severity,
        description=row.description,
        resolved_on=row.resolved_on,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _log_entry(row: DoseLog) -> LogEntry:
    return LogEntry(
        id=row.id,
        medication_id=row.medication_id,
        slot_date=row.slot_date,
        slot_time=row.slot_time,
        status=DoseStatus(row.status),
        occurred_at=_parse_utc(row.occurred_at),
        utc_offset_minutes=row.utc_offset_minutes,
        time_recorded=row.time_recorded,
        amount=row.amount,
        logged_at=_parse_utc(row.logged_at),
        logged_offset_minutes=row.logged_offset_minutes,
        note=row.note,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _treatment_info(row: Treatment) -> TreatmentInfo:
    return TreatmentInfo(
        id=row.id,
        kind=row.kind,
        therapy_type=row.therapy_type,
        label=row.label,
        started_on=row.started_on,
        ended_on=row.ended_on,
        end_reason=row.end_reason,
        sessions=row.sessions,
        note=row.note,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def outcome_label(outcome: Outcome | DoseStatus | None) -> str:
    """Gentle words for a dose's state (never "missed")."""
    if outcome is None:
        return "Not logged yet"
    return {
        "taken": "Taken",
        "skipped": "Skipped",
        "skipped_advised": "Skipped on advice",
        "not_logged": "Not logged",
    }[outcome.value]


__all__ = [
    "ANTIDEPRESSANTS",
    "AUGMENTATION",
    "CATEGORY_LABELS",
    "TRIAL_CATEGORIES",
    "DoseInput",
    "DoseSlot",
    "LogEntry",
    "MedicationInfo",
    "MedicationInput",
    "MedicationService",
    "MedicationSnapshot",
    "ReminderPreferences",
    "ScheduleInput",
    "SideEffectInfo",
    "StockEstimate",
    "TreatmentInfo",
    "TreatmentInput",
    "new_id",
]
