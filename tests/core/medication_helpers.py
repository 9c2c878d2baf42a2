"""Shared set-up for the medication tests: a fresh diary and a clock the test can move."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from companion.core.medications.service import MedicationService
from companion.core.medications.types import (
    DoseInput,
    MedicationInfo,
    MedicationInput,
    ScheduleInput,
)
from companion.storage.database import Database
from tests.core.mood_helpers import fresh_db

PLUS2 = timezone(timedelta(hours=2))
#: Monday 15 June 2026, 12:00 at UTC+2
NOW = datetime(2026, 6, 15, 12, 0, tzinfo=PLUS2)


@dataclass
class Clock:
    now: datetime = NOW

    def __call__(self) -> datetime:
        return self.now


def service() -> tuple[MedicationService, Clock, Database]:
    db = fresh_db()
    clock = Clock()
    return MedicationService(db, clock=clock), clock, db


def add_daily(
    svc: MedicationService,
    name: str = "Sertraline",
    *,
    times: tuple[str, ...] = ("08:00",),
    started: date = date(2026, 6, 1),
    amount: float = 50,
    strength: float | None = 50,
    category: str = "ssri",
) -> MedicationInfo:
    return svc.add(
        MedicationInput(
            name=name,
            category=category,
            started_on=started,
            strength=strength,
            strength_unit="mg" if strength else None,
        ),
        ScheduleInput(times=times),
        DoseInput(amount, "mg"),
    )
