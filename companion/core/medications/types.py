"""What the medication service takes (``…Input``) and gives back: frozen dataclasses, never ORM
objects, so a widget or a worker thread can hold them after the session is gone."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from companion.core.errors import ValidationError
from companion.core.medications.adherence import (
    DoseStatus,
    DoseVersion,
    ScheduleKind,
    ScheduleVersion,
)
from companion.core.medications.vocabulary import (
    FORM_NOUNS,
    THERAPY_TYPE_LABELS,
    TREATMENT_KIND_LABELS,
    amount_text,
    category_label,
    describe_schedule,
    label_for,
)
from companion.i18n import _


class NotFoundError(ValidationError):
    """The thing asked for is not (or no longer) in the diary."""


# -- input -------------------------------------------------------------------------------------


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
class TreatmentInput:
    kind: str
    started_on: date
    therapy_type: str | None = None
    label: str | None = field(default=None, repr=False)
    ended_on: date | None = None
    end_reason: str | None = None
    sessions: int | None = None
    note: str | None = field(default=None, repr=False)


# -- output ------------------------------------------------------------------------------------


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
        return amount_text(self.version.amount, self.version.unit)


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


#: at most this many days of stock left: "Refill soon"
REFILL_SOON_DAYS = 7


@dataclass(frozen=True)
class StockEstimate:
    """Stock now, from the last count less the doses logged as taken since."""

    counted: float
    counted_at: datetime
    on_hand: float
    unit: str  # "tablets" (untranslated: see vocabulary.stock_unit)
    per_day: float | None  # units a day on the current schedule (None: as needed)
    runs_out_on: date | None

    @property
    def days_left(self) -> int | None:
        if self.per_day is None or self.per_day <= 0:
            return None
        return int(self.on_hand // self.per_day)

    @property
    def refill_soon(self) -> bool:
        """A week or less left on the current schedule: time to ask for more (a repeat
        prescription and its collection often take a few working days)."""
        days = self.days_left
        return days is not None and days <= REFILL_SOON_DAYS


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
    def description(self) -> str:
        """ "50 mg tablet" (what it is, without its name)."""
        form = label_for(FORM_NOUNS, self.form)
        if self.strength is not None and self.strength_unit:
            strength = amount_text(self.strength, self.strength_unit)
            return _("{strength} {form}").format(strength=strength, form=form)
        return form

    @property
    def label(self) -> str:
        """ "Sertraline 50 mg tablet"."""
        return _("{name} {description}").format(name=self.name, description=self.description)

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
            return label_for(THERAPY_TYPE_LABELS, self.therapy_type)
        return label_for(TREATMENT_KIND_LABELS, self.kind)

    @property
    def short_title(self) -> str:
        """For chart labels: "CBT", "ECT", "rTMS"."""
        return self.title.split(" (")[0]
