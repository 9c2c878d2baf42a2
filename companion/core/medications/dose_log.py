"""The dose log: each day's scheduled doses, marking one taken or skipped, as-needed and extra
doses, corrections, and a real delete that can be undone.

A scheduled dose is marked against its slot (local date and wall-clock time). Marking a dose
taken twice changes nothing (idempotent; the database's unique key on the slot is the
backstop), so a double click or a second computer can never count a dose twice. A time given
for a dose must be within 12 hours of its scheduled time: across midnight, after a clock change
or travel, a dose belongs to its slot, not to the calendar date it was taken. Times are stored
in UTC with the UTC offset of the person's clock at that moment.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from companion.core.errors import ValidationError
from companion.core.medications import validate
from companion.core.medications.adherence import DoseStatus, ScheduleKind
from companion.core.medications.mapping import log_entries, log_entry, medication_infos
from companion.core.medications.models import DoseLog, Medication
from companion.core.medications.store import MedicationStore
from companion.core.medications.types import DoseSlot, LogEntry, MedicationInfo, NotFoundError
from companion.core.medications.vocabulary import MAX_NOTE_CHARS
from companion.core.timekeeping import aware, offset_minutes
from companion.core.validation import text
from companion.i18n import _, format_date, format_time


class Logbook(MedicationStore):
    """What was taken or skipped, dose by dose."""

    def doses_for_day(self, day: date | None = None) -> list[DoseSlot]:
        """Every scheduled dose of one local day (today by default), in time order."""
        day = day or self.today()
        zone = self.now().tzinfo
        out: list[DoseSlot] = []
        with self._db.sessions() as session:
            meds = medication_infos(
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
            entries = log_entries(
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
            for slot_time in version.times:
                at = datetime.combine(day, time.fromisoformat(slot_time), tzinfo=zone)
                out.append(
                    DoseSlot(
                        medication_id=med.id,
                        medication_name=med.name,
                        dose_text=dose.text,
                        day=day,
                        time=slot_time,
                        scheduled_at=at,
                        entry=by_slot.get((med.id, slot_time)),
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
        slot = validate.parse_time(slot_time)
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
            snapshot = log_entry(row)
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
        when = aware(taken_at) if taken_at is not None else now
        clean_note = text(_("The note"), note, MAX_NOTE_CHARS)
        with self._db.session() as session:
            info = self._info(session, medication_id)
            local_day = when.date()
            validate.when_taken(when, now)
            if not info.active_on(local_day):
                raise ValidationError(
                    _(
                        "{name} was not being taken on {date} (outside its start and last day)."
                    ).format(name=info.name, date=format_date(local_day, "full"))
                )
            clean_amount = self._check_amount(info, local_day, amount)
            row = DoseLog(
                medication_id=medication_id,
                status=DoseStatus.TAKEN.value,
                occurred_at=when,
                utc_offset_minutes=offset_minutes(when),
                time_recorded=True,
                amount=clean_amount,
                logged_at=now,
                logged_offset_minutes=offset_minutes(now),
                note=clean_note,
            )
            session.add(row)
            session.flush()
            return log_entry(row)

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
        clean_note = text(_("The note"), note, MAX_NOTE_CHARS)
        with self._db.session() as session:
            row = session.get(DoseLog, entry_id)
            if row is None:
                raise NotFoundError(_("That dose entry is no longer in the diary."))
            info = self._info(session, row.medication_id)
            if row.slot_date is not None and row.slot_time is not None:
                slot_at = datetime.combine(
                    row.slot_date, time.fromisoformat(row.slot_time), tzinfo=now.tzinfo
                )
                when, known = self._taken_time(slot_at, taken_at, True, now, fallback=slot_at)
                day = row.slot_date
            else:
                if taken_at is None:
                    raise ValidationError(
                        _("An extra or as-needed dose needs the time it was taken.")
                    )
                when = aware(taken_at)
                validate.when_taken(when, now)
                known = True
                day = when.date()
            if row.status != DoseStatus.TAKEN.value:
                when, known = row.occurred_at, False
            row.occurred_at = when
            row.utc_offset_minutes = offset_minutes(when) if known else row.utc_offset_minutes
            row.time_recorded = known
            row.amount = self._check_amount(info, day, amount)
            row.note = clean_note
            row.logged_at = now
            row.logged_offset_minutes = offset_minutes(now)
            session.flush()
            return log_entry(row)

    def delete_entry(self, entry_id: str) -> LogEntry:
        with self._db.session() as session:
            row = session.get(DoseLog, entry_id)
            if row is None:
                raise NotFoundError(_("That dose entry is no longer in the diary."))
            snapshot = log_entry(row)
            session.delete(row)
        return snapshot

    def restore_entry(self, snapshot: LogEntry) -> LogEntry:
        with self._db.session() as session:
            self._row(session, snapshot.medication_id)
            if session.get(DoseLog, snapshot.id) is not None:
                raise ValidationError(_("That dose entry is already in the diary."))
            if snapshot.slot_date is not None:
                taken = session.scalars(
                    select(DoseLog.id).where(
                        DoseLog.medication_id == snapshot.medication_id,
                        DoseLog.slot_date == snapshot.slot_date,
                        DoseLog.slot_time == snapshot.slot_time,
                    )
                ).first()
                if taken is not None:
                    raise ValidationError(_("That dose has been logged again in the meantime."))
            values = asdict(snapshot)
            values["status"] = snapshot.status.value
            values["created_at"] = snapshot.created_at or snapshot.logged_at
            values["updated_at"] = snapshot.updated_at or snapshot.logged_at
            row = DoseLog(**values)
            session.add(row)
            session.flush()
            return log_entry(row)

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
            found = log_entries(session, conditions)
        if start is not None or end is not None:
            lo = start or date.min
            hi = end or date.max
            found = [e for e in found if lo <= (e.slot_date or e.local_time.date()) <= hi]
        return found

    # -- internals -------------------------------------------------------------------------------

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
        slot = validate.parse_time(slot_time)
        day = validate.day(_("The day of the dose"), slot_date)
        now = self.now()
        clean_note = text(_("The note"), note, MAX_NOTE_CHARS)
        with self._db.session() as session:
            info = self._info(session, medication_id)
            slot_at = self._check_slot(info, day, slot, now)
            existing = session.scalars(
                select(DoseLog).where(
                    DoseLog.medication_id == medication_id,
                    DoseLog.slot_date == day,
                    DoseLog.slot_time == slot,
                )
            ).first()
            if existing is not None and existing.status == status.value:
                return log_entry(existing)  # idempotent: already marked so
            if status is DoseStatus.TAKEN:
                when, known = self._taken_time(slot_at, taken_at, time_known, now, fallback=slot_at)
                clean_amount = self._check_amount(info, day, amount)
            else:
                when, known, clean_amount = min(slot_at, now), False, None
            row = existing or DoseLog(medication_id=medication_id, slot_date=day, slot_time=slot)
            row.status = status.value
            row.occurred_at = when
            row.utc_offset_minutes = offset_minutes(when)
            row.time_recorded = known
            row.amount = clean_amount
            row.logged_at = now
            row.logged_offset_minutes = offset_minutes(now)
            row.note = clean_note
            if existing is None:
                session.add(row)
            session.flush()
            return log_entry(row)

    def _check_slot(self, info: MedicationInfo, day: date, slot: str, now: datetime) -> datetime:
        """The scheduled moment of a dose, or a sentence saying why there is no such dose."""
        if not info.active_on(day):
            if day < info.started_on:
                raise ValidationError(
                    _("{name} was started on {date}, after that day.").format(
                        name=info.name, date=format_date(info.started_on, "full")
                    )
                )
            assert info.stopped_on is not None
            raise ValidationError(
                _("{name} was stopped on {date}, before that day.").format(
                    name=info.name, date=format_date(info.stopped_on, "full")
                )
            )
        schedule = info.schedule_on(day)
        if schedule is None or schedule.version.kind is ScheduleKind.AS_NEEDED:
            raise ValidationError(
                _(
                    "{name} is taken as needed on that day; log it with the time it was taken."
                ).format(name=info.name)
            )
        if not schedule.version.doses_on(day) or slot not in schedule.version.times:
            raise ValidationError(
                _("{name} has no dose at {time} on {date}; please check the day and time.").format(
                    name=info.name,
                    time=format_time(time.fromisoformat(slot)),
                    date=format_date(day, "full"),
                )
            )
        slot_at = datetime.combine(day, time.fromisoformat(slot), tzinfo=now.tzinfo)
        if slot_at - now > validate.LOG_AHEAD:
            raise ValidationError(
                _(
                    "The {time} dose on {date} is not due yet; it can be marked from 12 hours "
                    "before."
                ).format(time=format_time(slot_at), date=format_date(day, "full"))
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
        when = aware(taken_at) if taken_at is not None else now
        validate.when_taken(when, now)
        validate.near_slot(when, slot_at)
        return when, True

    def _check_amount(self, info: MedicationInfo, day: date, amount: float | None) -> float | None:
        if amount is None:
            return None
        dose = info.dose_on(day) or info.latest_dose
        value, _unit = validate.dose_amount(_("The amount taken"), amount, dose.version.unit)
        return None if abs(value - dose.version.amount) < 1e-9 else value
