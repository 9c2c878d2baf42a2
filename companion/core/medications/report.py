"""Medications' part of the clinician summary and the exports.

Two sections: **medicines** (adherence per medicine in the period, dose history, side effects,
and the changes the charts mark) and **history** (every antidepressant or augmentation course
and other treatment, as the facts ``companion.core.medications.history`` words, never a
verdict). The figures are the Medications page's own (one evaluation of each dose log).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from companion.core.extension_points import ExportSection
from companion.core.medications.adherence import Adherence, MedicationRecord, ScheduleKind
from companion.core.medications.history import (
    Overview,
    TreatmentHistoryService,
    duration_source,
)
from companion.core.medications.service import MedicationService
from companion.core.medications.types import MedicationInfo
from companion.core.medications.vocabulary import (
    SEVERITY_LABELS,
    STOP_REASON_LABELS,
    TREATMENT_END_LABELS,
    TREATMENT_KIND_LABELS,
    category_label,
    describe_schedule,
    label_for,
)
from companion.core.reports.model import Period, Section
from companion.core.reports.records import (
    AdherenceFigures,
    DoseChange,
    HistoryEntry,
    MedicineRecord,
    SideEffectRecord,
)
from companion.core.reports.sections import ORDER
from companion.core.reports.sections.history import history_section
from companion.core.reports.sections.medicines import medicines_section
from companion.i18n import N_, _
from companion.storage.database import Database

__all__ = [
    "history_entries",
    "history_report",
    "medicine_records",
    "medicines_records",
    "medicines_report",
]


#: the last overview read, so the medicines and history sections of one summary share it
_last: list[tuple[tuple[int, datetime], tuple[Overview, list[MedicationInfo]]]] = []


def _overview(db: Database, now: datetime) -> tuple[Overview, list[MedicationInfo]]:
    key = (id(db), now)
    if _last and _last[0][0] == key:
        return _last[0][1]
    service = MedicationService(db, clock=lambda: now)
    found = TreatmentHistoryService(service, db).overview(), service.medications()
    _last[:] = [(key, found)]
    return found


def _figures(a: Adherence) -> AdherenceFigures:
    return AdherenceFigures(
        expected=a.expected,
        taken=a.taken,
        skipped=a.skipped,
        skipped_advised=a.skipped_advised,
        not_logged=a.not_logged,
        on_time=a.on_time,
        timed=a.timed,
    )


def _doses(record: MedicationRecord) -> tuple[DoseChange, ...]:
    """One change for each day the amount or the schedule changed (the titration history)."""
    days = sorted(
        {v.effective_from for v in record.doses} | {v.effective_from for v in record.schedules}
    )
    out: list[DoseChange] = []
    for day in days:
        dose, schedule = record.dose_on(day), record.schedule_on(day)
        if dose is None or schedule is None:
            continue
        per_day = len(schedule.times) if schedule.kind is ScheduleKind.DAILY else None
        change = DoseChange(day, dose.amount, dose.unit, describe_schedule(schedule), per_day)
        if out and (out[-1].amount, out[-1].unit, out[-1].schedule) == (
            change.amount,
            change.unit,
            change.schedule,
        ):
            continue
        out.append(change)
    return tuple(out)


def medicine_records(
    overview: Overview, infos: Sequence[MedicationInfo], period: Period, *, notes: bool = True
) -> list[MedicineRecord]:
    """Every medicine course with its dose history, and adherence over the period's days."""
    today = overview.now.date()
    by_id = {info.id: info for info in infos}
    out = []
    for record in overview.records:
        info = by_id.get(record.id)
        first = max(period.start, record.started_on)
        last = min(period.end, record.stopped_on or today, today)
        adherence = overview.adherence(record.id, first, last) if first <= last else None
        effects: tuple[SideEffectRecord, ...] = ()
        if info is not None:
            effects = tuple(
                SideEffectRecord(
                    noted_on=e.noted_on,
                    severity=label_for(SEVERITY_LABELS, e.severity),
                    description=(e.description or None) if notes else None,
                    resolved_on=e.resolved_on,
                )
                for e in info.side_effects
            )
        reason = record.stop_reason
        out.append(
            MedicineRecord(
                id=record.id,
                name=record.name,
                category=category_label(record.category),
                started_on=record.started_on,
                stopped_on=record.stopped_on,
                stop_reason=label_for(STOP_REASON_LABELS, reason) if reason else None,
                doses=_doses(record),
                adherence=_figures(adherence) if adherence is not None else None,
                side_effects=effects,
                form=info.form if info is not None else "",
            )
        )
    return out


def history_entries(overview: Overview) -> list[HistoryEntry]:
    """The treatment history as plain entries: trials first, then other treatments."""
    history = overview.history
    entries = []
    for trial in history.trials:
        kind = trial.category_label
        what = (
            trial.role
            if trial.role == kind
            else _("{role} ({kind})").format(role=trial.role, kind=kind)
        )
        reason = trial.stop_reason
        entries.append(
            HistoryEntry(
                kind="medicine",
                title=trial.name,
                what=what,
                started_on=trial.started_on,
                ended_on=trial.stopped_on,
                facts=trial.facts,
                end_reason=label_for(STOP_REASON_LABELS, reason) if reason else "",
            )
        )
    for course in history.courses:
        t = course.treatment
        reason = t.end_reason
        entries.append(
            HistoryEntry(
                kind="treatment",
                title=t.title,
                what=label_for(TREATMENT_KIND_LABELS, t.kind),
                started_on=t.started_on,
                ended_on=t.ended_on,
                facts=course.facts,
                end_reason=label_for(TREATMENT_END_LABELS, reason) if reason else "",
            )
        )
    return entries


def medicines_report(db: Database, period: Period, now: datetime) -> Section:
    overview, infos = _overview(db, now)
    return medicines_section(medicine_records(overview, infos, period), period)


def medicines_records(
    db: Database, period: Period, now: datetime, include_notes: bool
) -> list[object]:
    overview, infos = _overview(db, now)
    return list(medicine_records(overview, infos, period, notes=include_notes))


def history_report(db: Database, period: Period, now: datetime) -> Section:
    overview, _infos = _overview(db, now)
    return history_section(history_entries(overview), context=duration_source())


MEDICINES_SECTION = ExportSection(
    "medicines",
    N_("Medicines"),
    ORDER["medicines"],
    medicines_report,
    about=N_("Doses taken per medicine (self-reported), dose history, side effects."),
    records=medicines_records,
)
HISTORY_SECTION = ExportSection(
    "history",
    N_("Treatment history"),
    ORDER["history"],
    history_report,
    about=N_("Every medicine course and other treatment, as facts."),
)
