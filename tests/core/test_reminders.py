"""The reminder registry and its sources, under a controlled clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest

from companion import features
from companion.core import reminders
from companion.core.errors import ValidationError
from companion.core.extension_points import ReminderSourceDecl
from companion.core.medications.adherence import DoseStatus
from companion.core.medications.preferences import ReminderPreferences
from companion.core.medications.reminders import DoseReminders, generic_dose_text
from companion.core.mood import reminders as checkins
from companion.core.mood.reminders import GENERIC_CHECKIN_TEXT, CheckInReminders
from companion.core.mood.service import CheckIn, MoodService
from companion.core.reminders import Reminder, ReminderRegistry, describe_due
from tests.core.medication_helpers import NOW, PLUS2, add_daily, service


def at(hh: int, mm: int = 0, day: int = 15) -> datetime:
    return datetime(2026, 6, day, hh, mm, tzinfo=PLUS2)


@dataclass
class FakeSource:
    """What a questionnaire feature would register: one "due" reminder with an action."""

    name: str = "questionnaires"
    completed: list[str] = field(default_factory=list)

    def due(self, now: datetime) -> list[Reminder]:
        if now < at(9):
            return []
        return [Reminder("phq9:2026-06-15", self.name, at(9), "A check-up is due")]

    def complete(self, reminder: Reminder, now: datetime) -> None:
        self.completed.append(reminder.key)


class BrokenSource:
    name = "broken"

    def due(self, now: datetime) -> list[Reminder]:
        raise RuntimeError("a bug in another feature")

    def complete(self, reminder: Reminder, now: datetime) -> None:
        raise AssertionError


def test_a_dose_reminder_is_due_at_its_time_with_generic_text() -> None:
    svc, _clock, db = service()
    med = add_daily(svc, times=("08:00", "20:00"))
    source = DoseReminders(db)
    assert source.due(at(7, 59)) == []
    (due,) = source.due(at(8, 0))
    assert due.text == generic_dose_text() == "A scheduled dose is due"
    assert "Sertraline" not in due.text and due.action_label == "Taken"
    assert due.key == f"dose:{med.id}:2026-06-15:08:00"
    assert describe_due(due, at(8)) == "Due at 08:00"
    # three hours later it is quietly dropped
    assert source.due(at(11, 1)) == []


def test_names_appear_only_when_the_person_opts_in() -> None:
    svc, _clock, db = service()
    add_daily(svc)
    svc.set_preferences(ReminderPreferences(show_names=True))
    (due,) = DoseReminders(db).due(at(8, 5))
    assert due.text == "Sertraline 50 mg is due (08:00)"


def test_only_if_not_logged_yet_and_the_switches() -> None:
    svc, _clock, db = service()
    med = add_daily(svc)
    svc.mark_taken(med.id, NOW.date(), "08:00", taken_at=at(7, 50))
    source = DoseReminders(db)
    assert source.due(at(8, 5)) == []
    svc.set_preferences(ReminderPreferences(only_if_not_logged=False))
    assert len(source.due(at(8, 5))) == 1
    svc.set_preferences(ReminderPreferences(enabled=False))
    assert source.due(at(8, 5)) == []
    # per medicine: reminders off
    svc.set_preferences(ReminderPreferences())
    other = add_daily(
        svc, "Lithium", times=("09:00",), category="lithium", amount=400, strength=400
    )
    from companion.core.medications.types import MedicationInput

    svc.update(
        other.id,
        MedicationInput(
            name="Lithium",
            category="lithium",
            started_on=other.started_on,
            strength=400,
            strength_unit="mg",
            reminders=False,
        ),
    )
    assert [r.key for r in source.due(at(9, 30))] == []


def test_taken_from_the_reminder_marks_the_dose_once() -> None:
    svc, _clock, db = service()
    med = add_daily(svc)
    registry = ReminderRegistry([DoseReminders(db)])
    (due,) = registry.due(at(8, 10))
    registry.complete(due, at(8, 10))
    registry.complete(due, at(8, 11))  # a second click changes nothing
    (entry,) = svc.log_entries(med.id)
    assert entry.status is DoseStatus.TAKEN and entry.local_time == at(8, 10)
    assert registry.due(at(8, 12)) == []


def test_a_late_night_dose_is_still_offered_after_midnight() -> None:
    svc, _clock, db = service()
    add_daily(svc, times=("23:30",), started=datetime(2026, 6, 1).date())
    (due,) = DoseReminders(db).due(at(0, 30, day=16))
    assert due.key.endswith("2026-06-15:23:30")
    assert describe_due(due, at(0, 30, day=16)) == "Due at 23:30 on Monday 15 June 2026"


def test_snooze_and_dismiss() -> None:
    registry = ReminderRegistry([FakeSource()])
    (due,) = registry.due(at(9))
    registry.snooze(due, at(9, 10))
    assert registry.due(at(9, 5)) == []
    assert registry.due(at(9, 9)) == []
    assert registry.due(at(9, 10)) == [due]  # back when the snooze ends
    registry.dismiss(due)
    assert registry.due(at(9, 30)) == []


def test_one_broken_source_does_not_silence_the_others() -> None:
    fake = FakeSource()
    registry = ReminderRegistry([BrokenSource(), fake])
    assert [r.key for r in registry.due(at(9))] == ["phq9:2026-06-15"]
    assert registry.failures == 1
    (due,) = registry.due(at(9))
    registry.complete(due, at(9))
    assert fake.completed == ["phq9:2026-06-15"]
    with pytest.raises(ValueError, match="already registered"):
        registry.register(FakeSource())
    registry.unregister("questionnaires")
    with pytest.raises(ValidationError, match="no longer available"):
        registry.complete(due, at(9))


def test_features_register_through_the_hook() -> None:
    _svc, _clock, db = service()
    points = features.build()
    points.register_reminder_source(ReminderSourceDecl("questionnaires", lambda _db: FakeSource()))
    points.register_reminder_source(ReminderSourceDecl("nothing", lambda _db: None))
    registry = ReminderRegistry.for_diary(db, points)
    assert registry.source_names == ["checkins", "doses", "checkups", "questionnaires"]


def test_check_in_reminders_only_when_nothing_was_logged_recently() -> None:
    _svc, _clock, db = service()
    assert checkins.checkin_times(db) == []
    assert checkins.set_checkin_times(db, ["20:00", "9:00"]) == ["09:00", "20:00"]
    source = CheckInReminders(db)
    (due,) = source.due(at(9, 15))
    assert due.text == GENERIC_CHECKIN_TEXT and due.action_label is None
    MoodService(db, clock=lambda: at(9, 20)).create_entry(CheckIn(mood=5, at=at(8, 0)))
    assert source.due(at(9, 25)) == []  # a check-in within two hours before counts
    with pytest.raises(ValidationError, match="Up to 6"):
        checkins.set_checkin_times(db, [f"{h:02d}:00" for h in range(7)])
    with pytest.raises(ValidationError, match="not a time of day"):
        checkins.set_checkin_times(db, ["noon"])
    assert timedelta(hours=3) == reminders.LOOKBACK


def test_asking_one_source_at_a_time_gives_what_due_gives() -> None:
    fake = FakeSource()
    registry = ReminderRegistry([BrokenSource(), fake])
    (due,) = registry.due(at(9))
    registry.failures = 0
    found = [r for name in registry.source_names for r in registry.ask(name, at(9))]
    assert registry.select(found, at(9)) == [due] and registry.failures == 1
    assert registry.ask("no such source", at(9)) == []
    registry.snooze(due, at(9, 10))
    found = [r for name in registry.source_names for r in registry.ask(name, at(9, 5))]
    assert found == [due] and registry.select(found, at(9, 5)) == []  # snoozed
