"""Medicines: their details, dated schedule and dose versions, the end of a course, stock, and
a real delete that can be undone.

Versions, not edits: changing the schedule or the dose adds a dated version
(``effective_from``); the past keeps the schedule and dose it had, so adherence for any past day
is computed against what was prescribed then (clinical-reference §3.4). A second change on the
same day replaces the first. The first versions start on the medicine's start date.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from companion.core.errors import ValidationError
from companion.core.medications import validate
from companion.core.medications.adherence import DoseStatus, ScheduleKind
from companion.core.medications.mapping import log_entries, medication_infos, table
from companion.core.medications.models import (
    DoseLog,
    Medication,
    MedicationDose,
    MedicationSchedule,
    SideEffect,
)
from companion.core.medications.store import MedicationStore
from companion.core.medications.types import (
    DoseInput,
    LogEntry,
    MedicationInfo,
    MedicationInput,
    MedicationSnapshot,
    NotFoundError,
    ScheduleInput,
    StockEstimate,
)
from companion.core.medications.vocabulary import (
    MAX_DOSE_NOTE_CHARS,
    MAX_NOTE_CHARS,
    MAX_STOCK,
    STOCK_UNITS,
    STOP_REASONS,
)
from companion.core.timekeeping import aware, utcnow
from companion.core.validation import text
from companion.i18n import _, format_date, format_number

_VersionT = TypeVar("_VersionT", MedicationSchedule, MedicationDose)
#: every table a medicine's rows live in, the medicine first (delete and undo)
_OWN_TABLES: tuple[type[Any], ...] = (
    Medication,
    MedicationSchedule,
    MedicationDose,
    DoseLog,
    SideEffect,
)


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


class Catalog(MedicationStore):
    """Medicines, their schedule and dose versions, stopping, stock, delete and undo."""

    def medications(self, *, include_stopped: bool = True) -> list[MedicationInfo]:
        """Current medicines by name, then past ones, most recently stopped first."""
        with self._db.sessions() as session:
            rows = list(session.scalars(select(Medication)))
            infos = medication_infos(session, rows)
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
            return self._info(session, medication_id)

    def add(
        self, medication: MedicationInput, schedule: ScheduleInput, dose: DoseInput
    ) -> MedicationInfo:
        """A new medicine with its first schedule and dose (both from its start date)."""
        values = validate.medication(medication, self.today())
        kind, times, mask, interval = validate.clean_schedule(schedule)
        amount, unit = validate.dose_amount(_("The dose"), dose.amount, dose.unit)
        note = text(_("The note"), dose.note, MAX_DOSE_NOTE_CHARS)
        validate.strength_ratio(values, amount, unit)
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
            return medication_infos(session, [med])[0]

    def update(self, medication_id: str, medication: MedicationInput) -> MedicationInfo:
        """Change the details. A new start date moves the first schedule and dose with it."""
        values = validate.medication(medication, self.today())
        with self._db.session() as session:
            med = self._row(session, medication_id)
            new_start: date = values["started_on"]
            if med.stopped_on is not None and new_start > med.stopped_on:
                raise ValidationError(
                    _("The start date is after the last day it was taken ({date}).").format(
                        date=format_date(med.stopped_on, "full")
                    )
                )
            if new_start != med.started_on:
                self._move_start(session, med, new_start)
            latest_dose = session.scalars(
                select(MedicationDose)
                .where(MedicationDose.medication_id == medication_id)
                .order_by(MedicationDose.effective_from.desc())
            ).first()
            if latest_dose is not None:
                validate.strength_ratio(values, latest_dose.amount, latest_dose.unit)
            for key, value in values.items():
                setattr(med, key, value)
            session.flush()
            return medication_infos(session, [med])[0]

    def set_schedule(
        self, medication_id: str, schedule: ScheduleInput, effective_from: date
    ) -> MedicationInfo:
        """A dated schedule change (on the same day as another change: it replaces it)."""
        kind, times, mask, interval = validate.clean_schedule(schedule)
        day = validate.day(_("The date of the change"), effective_from)
        with self._db.session() as session:
            med = self._row(session, medication_id)
            self._check_change_day(med, day)
            existing = _version_on(session, MedicationSchedule, medication_id, day)
            existing.kind = kind
            existing.times = times
            existing.weekdays = mask
            existing.interval_days = interval
            med.updated_at = utcnow()
            session.flush()
            return medication_infos(session, [med])[0]

    def change_dose(
        self, medication_id: str, dose: DoseInput, effective_from: date
    ) -> MedicationInfo:
        """A dated dose change: a titration or taper step (same day: replaces that step)."""
        amount, unit = validate.dose_amount(_("The dose"), dose.amount, dose.unit)
        note = text(_("The note"), dose.note, MAX_DOSE_NOTE_CHARS)
        day = validate.day(_("The date of the change"), effective_from)
        with self._db.session() as session:
            med = self._row(session, medication_id)
            self._check_change_day(med, day)
            validate.strength_ratio(
                {"strength": med.strength, "strength_unit": med.strength_unit, "form": med.form},
                amount,
                unit,
            )
            existing = _version_on(session, MedicationDose, medication_id, day)
            existing.amount = amount
            existing.unit = unit
            existing.note = note
            med.updated_at = utcnow()
            session.flush()
            return medication_infos(session, [med])[0]

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
                        _("The first schedule and dose cannot be removed; edit them instead.")
                    )
                session.delete(row)
                session.flush()
                return medication_infos(session, [med])[0]
        raise NotFoundError(_("That change is no longer in the diary."))

    def stop(
        self, medication_id: str, last_day: date, reason: str, note: str | None = None
    ) -> MedicationInfo:
        """Record that the course ended: ``last_day`` is the last day it was taken."""
        day = validate.day(_("The last day"), last_day)
        clean_reason = validate.choose(_("a reason"), reason, STOP_REASONS)
        clean_note = text(_("The note"), note, MAX_NOTE_CHARS)
        with self._db.session() as session:
            med = self._row(session, medication_id)
            if day < med.started_on:
                raise ValidationError(
                    _("The last day is before the day it was started ({date}).").format(
                        date=format_date(med.started_on, "full")
                    )
                )
            if day > self.today() + validate.PLAN_AHEAD:
                raise ValidationError(_("The last day is more than a year ahead; please check it."))
            later = session.scalars(
                select(DoseLog.slot_date).where(
                    DoseLog.medication_id == medication_id,
                    DoseLog.slot_date > day,
                    DoseLog.status == DoseStatus.TAKEN.value,
                )
            ).first()
            if later is not None:
                raise ValidationError(
                    _(
                        "A dose is logged as taken on {date}, after that day; please choose a "
                        "later last day or change that entry first."
                    ).format(date=format_date(later, "full"))
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
                        _(
                            "A change is planned for {date}, after that day; please remove it "
                            "first or choose a later last day."
                        ).format(date=format_date(change, "full"))
                    )
            med.stopped_on = day
            med.stop_reason = clean_reason
            med.stop_note = clean_note
            session.flush()
            return medication_infos(session, [med])[0]

    def resume(self, medication_id: str) -> MedicationInfo:
        """Undo a stop (the course goes on)."""
        with self._db.session() as session:
            med = self._row(session, medication_id)
            med.stopped_on = None
            med.stop_reason = None
            med.stop_note = None
            session.flush()
            return medication_infos(session, [med])[0]

    # -- stock -----------------------------------------------------------------------------------

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
                    raise ValidationError(_("The stock must be a number."))
                number = float(count)
                if not math.isfinite(number) or number < 0:
                    raise ValidationError(_("The stock cannot be less than zero."))
                if number > MAX_STOCK:
                    raise ValidationError(
                        _("The stock can be at most {limit}.").format(
                            limit=format_number(MAX_STOCK)
                        )
                    )
                when = aware(counted_at) if counted_at is not None else self.now()
                if when > self.now() + validate.CLOCK_SKEW:
                    raise ValidationError(_("The count cannot be in the future."))
                med.stock_count = number
                med.stock_counted_at = when
            session.flush()
            return medication_infos(session, [med])[0]

    def stock(self, medication_id: str) -> StockEstimate | None:
        with self._db.sessions() as session:
            return self._stock(session, self._info(session, medication_id))

    def stock_of(self, info: MedicationInfo) -> StockEstimate | None:
        """``stock`` for a medicine as just read (``medications()``), without reading it again
        (a page of medicines asks for each one's)."""
        with self._db.sessions() as session:
            return self._stock(session, info)

    def _stock(self, session: Session, info: MedicationInfo) -> StockEstimate | None:
        if info.stock_counted_at is None:
            return None
        taken = log_entries(
            session,
            [
                DoseLog.medication_id == info.id,
                DoseLog.occurred_at >= info.stock_counted_at,
            ],
        )
        return stock_estimate(info, taken, self.today())

    # -- delete and undo -------------------------------------------------------------------------

    def delete(self, medication_id: str) -> MedicationSnapshot:
        """Delete a medicine and everything logged for it, for real; the snapshot undoes it."""
        with self._db.session() as session:
            self._row(session, medication_id)
            rows: dict[str, tuple[Mapping[str, Any], ...]] = {}
            for model in _OWN_TABLES:
                own = table(model)
                key = own.c.id if model is Medication else own.c.medication_id
                found = session.execute(select(own).where(key == medication_id)).mappings()
                rows[own.name] = tuple(dict(r) for r in found)
            session.execute(delete(Medication).where(Medication.id == medication_id))
        return MedicationSnapshot(medication_id, rows)

    def restore(self, snapshot: MedicationSnapshot) -> MedicationInfo:
        with self._db.session() as session:
            if session.get(Medication, snapshot.medication_id) is not None:
                raise ValidationError(_("That medicine is already in the diary."))
            for model in _OWN_TABLES:
                own = table(model)
                found = snapshot.rows.get(own.name, ())
                if found:
                    session.execute(insert(own), [dict(r) for r in found])
        return self.get(snapshot.medication_id)

    # -- checks ----------------------------------------------------------------------------------

    def _check_change_day(self, med: Medication, day: date) -> None:
        if day < med.started_on:
            raise ValidationError(
                _(
                    "A change cannot start before the medicine was started ({date}); to change "
                    "the start, edit the medicine."
                ).format(date=format_date(med.started_on, "full"))
            )
        if med.stopped_on is not None and day > med.stopped_on:
            raise ValidationError(
                _("This medicine was stopped on {date}, before that date.").format(
                    date=format_date(med.stopped_on, "full")
                )
            )
        if day > self.today() + validate.PLAN_AHEAD:
            raise ValidationError(_("The change is more than a year ahead; please check the date."))

    def _move_start(self, session: Session, med: Medication, new_start: date) -> None:
        versioned: tuple[type[MedicationSchedule] | type[MedicationDose], ...] = (
            MedicationSchedule,
            MedicationDose,
        )
        for model in versioned:
            versions: list[Any] = list(
                session.scalars(
                    select(model)
                    .where(model.medication_id == med.id)
                    .order_by(model.effective_from)
                )
            )
            if len(versions) > 1 and versions[1].effective_from <= new_start:
                second = format_date(versions[1].effective_from, "full")
                message = (
                    _("The schedule changes on {date}; the start date must be before that.")
                    if model is MedicationSchedule
                    else _("The dose changes on {date}; the start date must be before that.")
                )
                raise ValidationError(message.format(date=second))
            if versions:
                versions[0].effective_from = new_start
        earlier = session.scalars(
            select(DoseLog.slot_date).where(
                DoseLog.medication_id == med.id, DoseLog.slot_date < new_start
            )
        ).first()
        if earlier is not None:
            raise ValidationError(
                _(
                    "A dose is logged on {date}, before that start date; please choose an "
                    "earlier start or change that entry first."
                ).format(date=format_date(earlier, "full"))
            )
        session.flush()
