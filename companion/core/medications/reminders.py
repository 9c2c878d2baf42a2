"""Reminders for scheduled doses whose time has come (by default only those not logged yet)."""

from __future__ import annotations

from datetime import datetime
from typing import Final

from companion.core.medications.service import MedicationService
from companion.core.reminders import LOOKBACK, Reminder
from companion.i18n import _, format_time
from companion.storage.database import Database

MEDICATIONS_LINK: Final = "companion:tool/medications"


def generic_dose_text() -> str:
    """What a dose reminder says unless the person chose to see medicine names."""
    return _("A scheduled dose is due")


class DoseReminders:
    """Scheduled doses whose time has come (by default only those not logged yet)."""

    name = "doses"

    def __init__(self, db: Database) -> None:
        self._db = db

    def _service(self, now: datetime) -> MedicationService:
        return MedicationService(self._db, clock=lambda: now)

    def due(self, now: datetime) -> list[Reminder]:
        service = self._service(now)
        prefs = service.preferences()
        if not prefs.enabled:
            return []
        wanted = {m.id for m in service.medications(include_stopped=False) if m.reminders}
        if not wanted:
            return []
        out = []
        for day in sorted({(now - LOOKBACK).date(), now.date()}):
            for slot in service.doses_for_day(day):
                if slot.medication_id not in wanted:
                    continue
                if not slot.scheduled_at <= now <= slot.scheduled_at + LOOKBACK:
                    continue
                if prefs.only_if_not_logged and slot.logged:
                    continue
                if prefs.show_names:
                    text = _("{name} {dose} is due ({time})").format(
                        name=slot.medication_name,
                        dose=slot.dose_text,
                        time=format_time(slot.scheduled_at),
                    )
                else:
                    text = generic_dose_text()
                out.append(
                    Reminder(
                        key=f"dose:{slot.medication_id}:{slot.day.isoformat()}:{slot.time}",
                        source=self.name,
                        due_at=slot.scheduled_at,
                        text=text,
                        link=MEDICATIONS_LINK,
                        action_label=_("Taken"),
                    )
                )
        return out

    def complete(self, reminder: Reminder, now: datetime) -> None:
        _, medication_id, day, slot_time = reminder.key.split(":", 3)
        self._service(now).mark_taken(
            medication_id, datetime.fromisoformat(day).date(), slot_time, taken_at=now
        )
