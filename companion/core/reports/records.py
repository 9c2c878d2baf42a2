"""The plain facts a feature hands to the summary and the exports (no database, no Qt).

Each feature reads its own tables and fills these; :mod:`companion.core.reports.sections`
turns them into summary sections and :mod:`companion.reports.fhir` into FHIR resources, so
neither depends on where a feature's code lives. Times are aware datetimes on the person's
clock at the moment (UTC plus the offset then, DESIGN §5); labels arrive already worded by
the feature that owns them ("SSRI", "Side effects", "Every day at 08:00").

Fields holding words the person wrote are named in each docstring; they are only filled when
the person chose to include their notes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

__all__ = [
    "AdherenceFigures",
    "CheckupRecord",
    "DiaryNote",
    "DoseChange",
    "HistoryEntry",
    "MedicineRecord",
    "MoodCheckin",
    "PracticeRecord",
    "SafetyPlanRecord",
    "SafetyStep",
    "SideEffectRecord",
]


def _aware(moment: datetime, what: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must carry its UTC offset")


def _rating(value: int | None, low: int, high: int, what: str) -> None:
    if value is not None and (isinstance(value, bool) or not low <= value <= high):
        raise ValueError(f"{what} must be from {low} to {high}")


@dataclass(frozen=True, slots=True)
class MoodCheckin:
    """One check-in. ``note`` is the person's own words."""

    at: datetime
    mood: int
    anxiety: int | None = None
    energy: int | None = None
    irritability: int | None = None
    sleep_hours: float | None = None
    sleep_quality: int | None = None
    note: str | None = None
    #: the row's id in the diary (stable ids in the FHIR bundle); "" when there is none
    id: str = ""

    def __post_init__(self) -> None:
        _aware(self.at, "a check-in time")
        _rating(self.mood, 0, 10, "mood")
        for name in ("anxiety", "energy", "irritability"):
            _rating(getattr(self, name), 0, 10, name)
        _rating(self.sleep_quality, 1, 5, "sleep quality")
        if self.sleep_hours is not None and not 0 <= self.sleep_hours <= 24:
            raise ValueError("sleep hours must be from 0 to 24")

    @property
    def day(self) -> date:
        return self.at.date()


@dataclass(frozen=True, slots=True)
class CheckupRecord:
    """One completed questionnaire: the raw answers as stored (totals are worked out again)."""

    questionnaire_id: str
    version: int
    completed_at: datetime
    answers: Mapping[str, int | None]
    id: str = ""

    def __post_init__(self) -> None:
        _aware(self.completed_at, "a questionnaire time")

    @property
    def day(self) -> date:
        return self.completed_at.date()


@dataclass(frozen=True, slots=True)
class DoseChange:
    """A dose held from ``effective_from`` on: the titration and taper history."""

    effective_from: date
    amount: float
    unit: str
    #: the schedule in words ("Every day at 08:00 and 20:00", "As needed")
    schedule: str
    #: doses on a dosing day; None when not every day or as needed
    doses_per_day: int | None = None


@dataclass(frozen=True, slots=True)
class AdherenceFigures:
    """Self-reported figures for one medicine over the summary's period (DESIGN §3.4 rules,
    computed by the medications feature)."""

    expected: int
    taken: int
    skipped: int = 0
    skipped_advised: int = 0
    not_logged: int = 0
    on_time: int = 0
    timed: int = 0

    def __post_init__(self) -> None:
        if min(self.expected, self.taken, self.not_logged, self.on_time, self.timed) < 0:
            raise ValueError("adherence counts cannot be negative")

    @property
    def taking(self) -> float | None:
        return self.taken / self.expected if self.expected else None

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.timed if self.timed else None

    @property
    def not_logged_share(self) -> float | None:
        return self.not_logged / self.expected if self.expected else None


@dataclass(frozen=True, slots=True)
class SideEffectRecord:
    """A side effect noted on one medicine. ``description`` is the person's own words."""

    noted_on: date
    severity: str
    description: str | None = None
    resolved_on: date | None = None


@dataclass(frozen=True, slots=True)
class MedicineRecord:
    """One course of a medicine (a restart is another course)."""

    id: str
    name: str
    #: "SSRI", "Atypical antidepressant"…
    category: str
    started_on: date
    stopped_on: date | None = None
    #: "Side effects", "Not helping"… when stopped
    stop_reason: str | None = None
    doses: tuple[DoseChange, ...] = ()
    adherence: AdherenceFigures | None = None
    side_effects: tuple[SideEffectRecord, ...] = ()
    #: "tablet", "capsule"… for the FHIR dose form
    form: str = ""

    def __post_init__(self) -> None:
        if self.stopped_on is not None and self.stopped_on < self.started_on:
            raise ValueError("a medicine cannot stop before it starts")
        days = [d.effective_from for d in self.doses]
        if days != sorted(set(days)):
            raise ValueError("dose changes must be in order, one a day at most")

    def dose_on(self, day: date) -> DoseChange | None:
        current = None
        for change in self.doses:
            if change.effective_from <= day:
                current = change
        return current

    def taken_on(self, day: date) -> bool:
        return self.started_on <= day and (self.stopped_on is None or day <= self.stopped_on)


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One course in the treatment history, told as facts (never a verdict)."""

    kind: Literal["medicine", "treatment"]
    title: str
    #: "Antidepressant (SSRI)", "Psychotherapy (CBT)"
    what: str
    started_on: date
    ended_on: date | None
    facts: tuple[str, ...] = ()
    #: why it ended, already worded ("Side effects"); "" while ongoing
    end_reason: str = ""


@dataclass(frozen=True, slots=True)
class PracticeRecord:
    """One time an exercise was opened, with distress before and after (0-10) if rated."""

    exercise_id: str
    title: str
    started_at: datetime
    completed: bool
    distress_before: int | None = None
    distress_after: int | None = None

    def __post_init__(self) -> None:
        _aware(self.started_at, "a practice time")
        _rating(self.distress_before, 0, 10, "distress")
        _rating(self.distress_after, 0, 10, "distress")


@dataclass(frozen=True, slots=True)
class SafetyStep:
    number: int
    title: str
    #: the person's own entries (with phone numbers where the step has them)
    items: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SafetyPlanRecord:
    """The safety plan, included only when the person chose its section."""

    steps: tuple[SafetyStep, ...]
    reviewed_on: date | None = None


@dataclass(frozen=True, slots=True)
class DiaryNote:
    """A check-in's note, the person's own words (only with their consent)."""

    at: datetime
    text: str
    tags: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        _aware(self.at, "a note time")
