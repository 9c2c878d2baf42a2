"""The medication log's tables: medicines, their dated schedules and doses, the dose log,
side-effect notes, and non-drug treatments (therapy courses, brain stimulation).

Versioning (clinical-reference §3.4): a schedule change or a dose change is a new dated row
(``effective_from``), never an edit of the old one, so adherence for any past day is computed
with the schedule and dose that were in force that day. A version lasts until the next
version's ``effective_from`` or the medicine's ``stopped_on`` (the last day of the course,
inclusive).

Dose log times: ``occurred_at`` is the moment the entry describes, in UTC, with the person's
UTC offset at that moment. For a dose taken with a time, it is that time
(``time_recorded`` is true); for a skip, or "taken" without a time, it stands in as the
scheduled moment (``time_recorded`` is false) and is never used for on-time figures. A
scheduled dose names its slot by local date and wall-clock time (``slot_date``,
``slot_time``): a dose belongs to its slot, not to the calendar day it was taken on, and the
unique key on the slot makes a second "taken" for the same dose impossible.

Ranges are validated by :mod:`companion.core.medications.validate`; the CHECK constraints below are
defence in depth (they also guard imported files, which bypass the service).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from companion.core.medications.vocabulary import (
    CATEGORIES,
    DOSE_STATUSES,
    FORMS,
    SCHEDULE_KINDS,
    SEVERITIES,
    STOP_REASONS,
    THERAPY_TYPES,
    TREATMENT_END_REASONS,
    TREATMENT_KINDS,
    UNITS,
)
from companion.core.models.base import Base, Key, Timestamped, UTCDateTime


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Medication(Timestamped, Base):
    """A medicine the person takes or took (one row per course: a restart is a new row)."""

    __tablename__ = "medications"
    __table_args__ = (
        CheckConstraint("length(name) BETWEEN 1 AND 80", name="name_length"),
        CheckConstraint(_in("category", CATEGORIES), name="category_valid"),
        CheckConstraint(_in("form", FORMS), name="form_valid"),
        CheckConstraint(
            "strength IS NULL OR (strength > 0 AND strength <= 1000000)", name="strength_range"
        ),
        CheckConstraint(
            "strength_unit IS NULL OR " + _in("strength_unit", UNITS), name="strength_unit_valid"
        ),
        CheckConstraint("stopped_on IS NULL OR stopped_on >= started_on", name="stop_after_start"),
        CheckConstraint(
            "(stopped_on IS NULL) = (stop_reason IS NULL)", name="stop_reason_with_date"
        ),
        CheckConstraint(
            "stop_reason IS NULL OR " + _in("stop_reason", STOP_REASONS), name="stop_reason_valid"
        ),
        CheckConstraint(
            "stock_count IS NULL OR (stock_count >= 0 AND stock_count <= 100000)",
            name="stock_range",
        ),
        CheckConstraint(
            "(stock_count IS NULL) = (stock_counted_at IS NULL)", name="stock_counted_with_count"
        ),
        CheckConstraint(
            "window_minutes IS NULL OR window_minutes BETWEEN 5 AND 720", name="window_range"
        ),
        CheckConstraint("length(stop_note) <= 2000", name="stop_note_length"),
    )

    name: Mapped[str] = mapped_column(String(80))
    strength: Mapped[float | None] = mapped_column(Float)
    strength_unit: Mapped[str | None] = mapped_column(String(10))
    form: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(30))
    #: what it is for, in the person's words
    purpose: Mapped[str | None] = mapped_column(String(200), info={"private_text": True})
    started_on: Mapped[date] = mapped_column(Date, index=True)
    #: the last day of the course (inclusive); NULL while it is being taken
    stopped_on: Mapped[date | None] = mapped_column(Date)
    stop_reason: Mapped[str | None] = mapped_column(String(20))
    stop_note: Mapped[str | None] = mapped_column(Text, info={"private_text": True})
    #: units of the form (tablets, capsules, mL…) on hand when last counted
    stock_count: Mapped[float | None] = mapped_column(Float)
    stock_counted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminders: Mapped[bool] = mapped_column(Boolean, default=True)
    #: the on-time window (± minutes) for this medicine; NULL = the diary's default
    window_minutes: Mapped[int | None] = mapped_column(Integer)


class MedicationSchedule(Timestamped, Base):
    """When a medicine is taken, from a date on (a new row per change)."""

    __tablename__ = "medication_schedules"
    __table_args__ = (
        UniqueConstraint("medication_id", "effective_from"),
        CheckConstraint(_in("kind", SCHEDULE_KINDS), name="kind_valid"),
        CheckConstraint(
            "kind = 'as_needed' OR (times IS NOT NULL AND length(times) >= 5)", name="has_times"
        ),
        CheckConstraint("length(times) <= 120", name="times_length"),
        CheckConstraint("kind != 'weekdays' OR weekdays BETWEEN 1 AND 127", name="weekdays_valid"),
        CheckConstraint(
            "kind != 'interval' OR interval_days BETWEEN 2 AND 366", name="interval_valid"
        ),
    )

    medication_id: Mapped[str] = mapped_column(
        Key(), ForeignKey("medications.id", ondelete="CASCADE"), index=True
    )
    effective_from: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(12))
    #: local wall-clock times, "HH:MM" sorted and comma-separated; NULL when as needed
    times: Mapped[str | None] = mapped_column(String(120))
    #: for kind "weekdays": Monday = 1, Tuesday = 2 … Sunday = 64
    weekdays: Mapped[int | None] = mapped_column(Integer)
    #: for kind "interval": every N days counted from ``effective_from``
    interval_days: Mapped[int | None] = mapped_column(Integer)


class MedicationDose(Timestamped, Base):
    """The amount taken at each scheduled time, from a date on: the titration/taper history."""

    __tablename__ = "medication_doses"
    __table_args__ = (
        UniqueConstraint("medication_id", "effective_from"),
        CheckConstraint("amount > 0 AND amount <= 1000000", name="amount_range"),
        CheckConstraint(_in("unit", UNITS), name="unit_valid"),
    )

    medication_id: Mapped[str] = mapped_column(
        Key(), ForeignKey("medications.id", ondelete="CASCADE"), index=True
    )
    effective_from: Mapped[date] = mapped_column(Date)
    amount: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(String(200), info={"private_text": True})


class DoseLog(Timestamped, Base):
    """A dose taken or skipped: a scheduled one (with its slot) or an as-needed/extra one."""

    __tablename__ = "dose_log"
    __table_args__ = (
        UniqueConstraint("medication_id", "slot_date", "slot_time"),
        CheckConstraint(_in("status", DOSE_STATUSES), name="status_valid"),
        CheckConstraint("(slot_date IS NULL) = (slot_time IS NULL)", name="slot_complete"),
        CheckConstraint("slot_time IS NULL OR length(slot_time) = 5", name="slot_time_format"),
        CheckConstraint("slot_date IS NOT NULL OR status = 'taken'", name="unscheduled_taken"),
        CheckConstraint("utc_offset_minutes BETWEEN -1080 AND 1080", name="offset_range"),
        CheckConstraint("logged_offset_minutes BETWEEN -1080 AND 1080", name="logged_offset_range"),
        CheckConstraint(
            "amount IS NULL OR (amount > 0 AND amount <= 1000000)", name="amount_range"
        ),
        CheckConstraint("length(note) <= 2000", name="note_length"),
        {"info": {"export_time_column": "occurred_at"}},
    )

    medication_id: Mapped[str] = mapped_column(
        Key(), ForeignKey("medications.id", ondelete="CASCADE"), index=True
    )
    #: the scheduled dose this entry is about (local date and "HH:MM"); NULL for as-needed
    #: and extra doses
    slot_date: Mapped[date | None] = mapped_column(Date)
    slot_time: Mapped[str | None] = mapped_column(String(5))
    status: Mapped[str] = mapped_column(String(16))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    utc_offset_minutes: Mapped[int] = mapped_column(Integer)
    #: true when ``occurred_at`` is the time the person gave for taking it
    time_recorded: Mapped[bool] = mapped_column(Boolean)
    #: the amount actually taken when it differed from the scheduled dose (in the dose's unit)
    amount: Mapped[float | None] = mapped_column(Float)
    #: when this was last written, and the clock's offset then (late logging, §3.4)
    logged_at: Mapped[datetime] = mapped_column(UTCDateTime())
    logged_offset_minutes: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text, info={"private_text": True})


class SideEffect(Timestamped, Base):
    """A side effect the person noticed on one medicine, with how much it bothered them."""

    __tablename__ = "side_effects"
    __table_args__ = (
        CheckConstraint(_in("severity", SEVERITIES), name="severity_valid"),
        CheckConstraint(
            "description IS NULL OR length(description) BETWEEN 1 AND 2000",
            name="description_length",
        ),
        CheckConstraint("resolved_on IS NULL OR resolved_on >= noted_on", name="resolved_after"),
    )

    medication_id: Mapped[str] = mapped_column(
        Key(), ForeignKey("medications.id", ondelete="CASCADE"), index=True
    )
    noted_on: Mapped[date] = mapped_column(Date)
    severity: Mapped[str] = mapped_column(String(10))
    #: required by the service; empty only in an export made without notes
    description: Mapped[str | None] = mapped_column(Text, info={"private_text": True})
    resolved_on: Mapped[date | None] = mapped_column(Date)


class Treatment(Timestamped, Base):
    """A non-drug treatment course: a psychotherapy, ECT, rTMS, VNS, ketamine, esketamine."""

    __tablename__ = "treatments"
    __table_args__ = (
        CheckConstraint(_in("kind", TREATMENT_KINDS), name="kind_valid"),
        CheckConstraint(
            "therapy_type IS NULL OR (kind = 'psychotherapy' AND "
            + _in("therapy_type", THERAPY_TYPES)
            + ")",
            name="therapy_type_valid",
        ),
        CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="end_after_start"),
        CheckConstraint(
            "end_reason IS NULL OR " + _in("end_reason", TREATMENT_END_REASONS),
            name="end_reason_valid",
        ),
        CheckConstraint("sessions IS NULL OR sessions BETWEEN 0 AND 2000", name="sessions_range"),
        CheckConstraint("length(label) <= 80", name="label_length"),
        CheckConstraint("length(note) <= 2000", name="note_length"),
    )

    kind: Mapped[str] = mapped_column(String(20))
    therapy_type: Mapped[str | None] = mapped_column(String(30))
    #: the person's own name for it ("group at the clinic")
    label: Mapped[str | None] = mapped_column(String(80), info={"private_text": True})
    started_on: Mapped[date] = mapped_column(Date, index=True)
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(20))
    sessions: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text, info={"private_text": True})
