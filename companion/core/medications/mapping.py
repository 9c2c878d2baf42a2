"""Rows to the service's dataclasses: one generic field copy (:func:`dto_from_row`) and the few
conversions it cannot do alone (stored text to enums and aware times, a medicine with its
versions and side effects)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from companion.core.medications.adherence import (
    DoseStatus,
    DoseVersion,
    ScheduleKind,
    ScheduleVersion,
)
from companion.core.medications.models import (
    DoseLog,
    Medication,
    MedicationDose,
    MedicationSchedule,
    SideEffect,
    Treatment,
)
from companion.core.medications.types import (
    DoseEntry,
    LogEntry,
    MedicationInfo,
    ScheduleEntry,
    SideEffectInfo,
    TreatmentInfo,
)
from companion.core.timekeeping import parse_utc

D = TypeVar("D")


_FIELDS: dict[type[Any], tuple[str, ...]] = {}


def _field_names(cls: type[Any]) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


def dto_from_row(cls: type[D], row: object, **overrides: Any) -> D:
    """``cls`` (a dataclass) with each field copied from the row's attribute of the same name,
    except those given in ``overrides``. A field the row lacks is an AttributeError: a renamed
    column is caught by the first test that reads it."""
    values = {
        name: overrides[name] if name in overrides else getattr(row, name)
        for name in _field_names(cls)
    }
    return cls(**values)


def table(model: type[Any]) -> Table:
    found: Table = model.__table__
    return found


def version_from_row(
    effective_from: date, kind: str, times: str | None, mask: int | None, interval: int | None
) -> ScheduleVersion:
    return ScheduleVersion(
        effective_from=effective_from,
        kind=ScheduleKind(kind),
        times=tuple(times.split(",")) if times else (),
        weekdays=frozenset(d for d in range(7) if mask and mask & (1 << d)),
        interval_days=interval,
    )


def side_effect_info(row: SideEffect) -> SideEffectInfo:
    return dto_from_row(SideEffectInfo, row)


def treatment_info(row: Treatment) -> TreatmentInfo:
    return dto_from_row(TreatmentInfo, row)


def log_entry(row: DoseLog) -> LogEntry:
    return dto_from_row(
        LogEntry,
        row,
        status=DoseStatus(row.status),
        occurred_at=parse_utc(row.occurred_at),
        logged_at=parse_utc(row.logged_at),
    )


def log_entries(session: Session, conditions: Sequence[Any]) -> list[LogEntry]:
    """Dose log entries in time order, narrowed by ``conditions``."""
    query = select(DoseLog).order_by(DoseLog.occurred_at, DoseLog.id)
    for condition in conditions:
        query = query.where(condition)
    return [log_entry(r) for r in session.scalars(query)]


def medication_infos(session: Session, rows: Sequence[Medication]) -> list[MedicationInfo]:
    """Each medicine with its schedule and dose versions and its side effects (three queries)."""
    ids = [r.id for r in rows]
    if not ids:
        return []
    schedules: dict[str, list[ScheduleEntry]] = {}
    for s in session.scalars(
        select(MedicationSchedule)
        .where(MedicationSchedule.medication_id.in_(ids))
        .order_by(MedicationSchedule.effective_from)
    ):
        version = version_from_row(s.effective_from, s.kind, s.times, s.weekdays, s.interval_days)
        schedules.setdefault(s.medication_id, []).append(ScheduleEntry(s.id, version))
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
        effects.setdefault(e.medication_id, []).append(side_effect_info(e))
    return [
        dto_from_row(
            MedicationInfo,
            r,
            schedules=tuple(schedules.get(r.id, ())),
            doses=tuple(doses.get(r.id, ())),
            side_effects=tuple(effects.get(r.id, ())),
        )
        for r in rows
    ]
