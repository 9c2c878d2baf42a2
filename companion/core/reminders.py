"""Reminders while the app runs: a registry of sources that say what is due (no Qt here).

The hook for features
---------------------
A feature that wants reminders (a questionnaire that is "due", a homework practice) registers
a *source factory*, the same way demo generators register::

    from companion.core import reminders

    @reminders.reminder_source
    def questionnaires_due(db: Database) -> reminders.ReminderSource | None:
        return MyQuestionnaireSource(db)

A source has a ``name`` and two methods: ``due(now)`` returns the reminders whose time has
come (and which are still wanted, e.g. "only if not logged yet"), and ``complete(reminder,
now)`` does the reminder's one action (mark the dose taken; sources with nothing to do can
ignore it). ``now`` is aware, in the person's local zone. Reminder keys must be stable for one
occurrence ("dose:<medicine>:<date>:<time>"), so snoozing and dismissing work across ticks.

:class:`ReminderRegistry` asks every source, drops what was dismissed or is snoozed, and sorts
the rest; ``companion.ui.reminders.ReminderCenter`` shows them as an in-app banner and a system
notification. Text is generic by default ("A scheduled dose is due"); names appear only when
the person opts in (privacy: a notification can be read over a shoulder). Reminder wording is
neutral and never shaming (clinical-reference §3.4).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Final, Protocol

from companion.core.errors import ValidationError
from companion.core.medications.service import MedicationService, long_date, parse_time
from companion.core.models import Setting
from companion.core.mood.service import MoodService
from companion.storage.database import Database

#: A reminder stays on offer this long after its time (then it is quietly dropped).
LOOKBACK: Final = timedelta(hours=3)
GENERIC_DOSE_TEXT: Final = "A scheduled dose is due"
GENERIC_CHECKIN_TEXT: Final = "Time for a check-in, if you would like one"
MEDICATIONS_LINK: Final = "companion:tool/medications"
DIARY_LINK: Final = "companion:tool/diary"


@dataclass(frozen=True)
class Reminder:
    key: str  # stable for one occurrence
    source: str
    due_at: datetime  # aware
    text: str  # what the banner and the notification say
    link: str | None = None  # a ``companion:`` link the banner can open
    action_label: str | None = None  # e.g. "Taken"; None: the reminder has no action


class ReminderSource(Protocol):
    name: str

    def due(self, now: datetime) -> list[Reminder]: ...

    def complete(self, reminder: Reminder, now: datetime) -> None: ...


SourceFactory = Callable[[Database], "ReminderSource | None"]
SOURCE_FACTORIES: list[SourceFactory] = []


def reminder_source(factory: SourceFactory) -> SourceFactory:
    """Register a factory called with the open diary's database (None: nothing to add)."""
    SOURCE_FACTORIES.append(factory)
    return factory


class ReminderRegistry:
    """The sources of one open diary, plus what the person snoozed or dismissed this session."""

    def __init__(self, sources: Iterable[ReminderSource] = ()) -> None:
        self._sources: dict[str, ReminderSource] = {}
        self._snoozed: dict[str, datetime] = {}
        self._dismissed: set[str] = set()
        #: sources that raised on the last ask (counted, never logged: text may be private)
        self.failures = 0
        for source in sources:
            self.register(source)

    @classmethod
    def for_diary(cls, db: Database) -> ReminderRegistry:
        sources = [factory(db) for factory in SOURCE_FACTORIES]
        return cls(s for s in sources if s is not None)

    def register(self, source: ReminderSource) -> None:
        if source.name in self._sources:
            raise ValueError(f"a reminder source called {source.name!r} is already registered")
        self._sources[source.name] = source

    def unregister(self, name: str) -> None:
        self._sources.pop(name, None)

    @property
    def source_names(self) -> list[str]:
        return list(self._sources)

    def due(self, now: datetime) -> list[Reminder]:
        """Everything due now, oldest first, without the snoozed and the dismissed."""
        found: list[Reminder] = []
        failures = 0
        for source in self._sources.values():
            try:
                found.extend(source.due(now))
            except Exception:  # one broken source must not silence the others
                failures += 1
        self.failures = failures
        self._snoozed = {k: until for k, until in self._snoozed.items() if until > now}
        out = [r for r in found if r.key not in self._dismissed and r.key not in self._snoozed]
        out.sort(key=lambda r: (r.due_at, r.key))
        return out

    def snooze(self, reminder: Reminder, until: datetime) -> None:
        self._snoozed[reminder.key] = until

    def dismiss(self, reminder: Reminder) -> None:
        self._dismissed.add(reminder.key)

    def complete(self, reminder: Reminder, now: datetime) -> None:
        """Do the reminder's action (e.g. mark the dose taken), then stop showing it."""
        source = self._sources.get(reminder.source)
        if source is None:
            raise ValidationError("That reminder is no longer available.")
        source.complete(reminder, now)
        self._dismissed.add(reminder.key)


# -- doses -----------------------------------------------------------------------------------


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
                    text = f"{slot.medication_name} {slot.dose_text} is due ({slot.time})"
                else:
                    text = GENERIC_DOSE_TEXT
                out.append(
                    Reminder(
                        key=f"dose:{slot.medication_id}:{slot.day.isoformat()}:{slot.time}",
                        source=self.name,
                        due_at=slot.scheduled_at,
                        text=text,
                        link=MEDICATIONS_LINK,
                        action_label="Taken",
                    )
                )
        return out

    def complete(self, reminder: Reminder, now: datetime) -> None:
        _, medication_id, day, slot_time = reminder.key.split(":", 3)
        self._service(now).mark_taken(
            medication_id, datetime.fromisoformat(day).date(), slot_time, taken_at=now
        )


@reminder_source
def _dose_source(db: Database) -> ReminderSource:
    return DoseReminders(db)


# -- check-ins -------------------------------------------------------------------------------

_CHECKIN_KEY: Final = "reminders.checkin_times"
MAX_CHECKIN_TIMES: Final = 6
#: A check-in this long before the reminder time already counts ("only if not logged yet").
CHECKIN_GRACE: Final = timedelta(hours=2)


def checkin_times(db: Database) -> list[str]:
    """The person's check-in reminder times ("HH:MM", sorted); empty means none."""
    with db.sessions() as session:
        row = session.get(Setting, _CHECKIN_KEY)
    if row is None:
        return []
    try:
        raw = json.loads(row.value)
        return sorted({parse_time(t) for t in raw})[:MAX_CHECKIN_TIMES]
    except (ValueError, TypeError):
        return []


def set_checkin_times(db: Database, times: Sequence[str | time]) -> list[str]:
    clean = sorted({parse_time(t) for t in times})
    if len(clean) > MAX_CHECKIN_TIMES:
        raise ValidationError(f"Up to {MAX_CHECKIN_TIMES} check-in reminders a day, please.")
    with db.session() as session:
        row = session.get(Setting, _CHECKIN_KEY)
        text = json.dumps(clean)
        if row is None:
            session.add(Setting(key=_CHECKIN_KEY, value=text))
        else:
            row.value = text
    return clean


class CheckInReminders:
    """A gentle prompt at the person's check-in times, unless they checked in recently."""

    name = "checkins"

    def __init__(self, db: Database) -> None:
        self._db = db
        self._mood = MoodService(db)
        self._medications = MedicationService(db)

    def due(self, now: datetime) -> list[Reminder]:
        if not self._medications.preferences().enabled:
            return []
        out = []
        for text in checkin_times(self._db):
            at = datetime.combine(now.date(), time.fromisoformat(text), tzinfo=now.tzinfo)
            if not at <= now <= at + LOOKBACK:
                continue
            since = at - CHECKIN_GRACE
            recent = [
                e
                for e in self._mood.entries(start=since.date(), end=now.date())
                if since <= e.occurred_at <= now + timedelta(minutes=5)
            ]
            if recent:
                continue
            out.append(
                Reminder(
                    key=f"checkin:{now.date().isoformat()}:{text}",
                    source=self.name,
                    due_at=at,
                    text=GENERIC_CHECKIN_TEXT,
                    link=DIARY_LINK,
                )
            )
        return out

    def complete(self, reminder: Reminder, now: datetime) -> None:
        """Nothing to do: the check-in itself is written on the diary page."""


@reminder_source
def _checkin_source(db: Database) -> ReminderSource:
    return CheckInReminders(db)


def describe_due(reminder: Reminder, now: datetime) -> str:
    """ "Due at 08:00", or "Due at 23:30 on Monday 1 June 2026" when not today."""
    text = f"Due at {reminder.due_at:%H:%M}"
    if reminder.due_at.date() != now.date():
        text += f" on {long_date(reminder.due_at.date())}"
    return text
