"""A gentle check-in prompt at the times the person chose, unless they checked in recently."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from typing import Final

from companion.core.errors import ValidationError
from companion.core.medications.service import MedicationService
from companion.core.medications.validate import parse_time
from companion.core.mood.service import MoodService
from companion.core.reminders import LOOKBACK, Reminder
from companion.core.settings import Option, SettingsService
from companion.i18n import N_, _
from companion.storage.database import Database

#: translated when the reminder is made
GENERIC_CHECKIN_TEXT: Final = N_("Time for a check-in, if you would like one")
DIARY_LINK: Final = "companion:tool/mood"
MAX_CHECKIN_TIMES: Final = 6
#: A check-in this long before the reminder time already counts ("only if not logged yet").
CHECKIN_GRACE: Final = timedelta(hours=2)


def _times(value: object) -> list[str]:
    if not isinstance(value, list | tuple):
        raise ValidationError(_("Check-in reminder times must be a list of times."))
    clean = sorted({parse_time(t) for t in value})
    if len(clean) > MAX_CHECKIN_TIMES:
        raise ValidationError(
            _("Up to {count} check-in reminders a day, please.").format(count=MAX_CHECKIN_TIMES)
        )
    return clean


#: the person's check-in reminder times ("HH:MM", sorted); empty means none
CHECKIN_TIMES: Final[Option[list[str]]] = Option(
    "reminders.checkin_times", [], N_("Check-in reminder times"), _times
)


def checkin_times(db: Database) -> list[str]:
    """The person's check-in reminder times ("HH:MM", sorted); empty means none."""
    return SettingsService(db).get(CHECKIN_TIMES)


def set_checkin_times(db: Database, times: Sequence[str | time]) -> list[str]:
    return SettingsService(db).set(CHECKIN_TIMES, list(times))


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
                    text=_(GENERIC_CHECKIN_TEXT),
                    link=DIARY_LINK,
                )
            )
        return out

    def complete(self, reminder: Reminder, now: datetime) -> None:
        """Nothing to do: the check-in itself is written on the diary page."""
