"""Reminder and adherence settings, stored in the diary (so they travel with it) as one option
of the settings registry (:mod:`companion.core.settings`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Final

from companion.core.errors import ValidationError
from companion.core.medications import adherence as adh
from companion.core.medications.adherence import AdherenceConfig
from companion.core.medications.store import MedicationStore
from companion.core.settings import Option, SettingsService
from companion.i18n import N_, _


@dataclass(frozen=True)
class ReminderPreferences:
    """Reminder and adherence settings (stored in the diary, so they travel with it)."""

    enabled: bool = True
    #: show medicine names in the in-window reminder banner (off: "A scheduled dose is due");
    #: system notifications never name a medicine
    show_names: bool = False
    #: remind only about doses that are not logged yet
    only_if_not_logged: bool = True
    snooze_minutes: int = 10
    window_once: int = adh.DEFAULT_WINDOW_ONCE
    window_multi: int = adh.DEFAULT_WINDOW_MULTI

    def adherence_config(self) -> AdherenceConfig:
        return AdherenceConfig(window_once=self.window_once, window_multi=self.window_multi)


def _in_range(value: object, low: int, high: int) -> bool:
    return not isinstance(value, bool) and isinstance(value, int) and low <= value <= high


def check_preferences(value: object) -> ReminderPreferences:
    """A stored mapping (or a ReminderPreferences) checked; unknown keys are dropped."""
    if isinstance(value, dict):
        known = {k: value[k] for k in asdict(ReminderPreferences()) if k in value}
        value = ReminderPreferences(**known)
    if not isinstance(value, ReminderPreferences):
        raise ValidationError(_("Reminder settings could not be read."))
    for switch in (value.enabled, value.show_names, value.only_if_not_logged):
        if not isinstance(switch, bool):
            raise ValidationError(_("Reminder switches are either on or off."))
    for window in (value.window_once, value.window_multi):
        if not _in_range(window, 5, 720):
            raise ValidationError(_("The on-time window must be from 5 minutes to 12 hours."))
    if not _in_range(value.snooze_minutes, 1, 240):
        raise ValidationError(_("Snooze must be from 1 minute to 4 hours."))
    return value


#: reminder and adherence settings (stored in the diary, so they travel with it)
PREFERENCES: Final[Option[ReminderPreferences]] = Option(
    "medications.preferences",
    ReminderPreferences(),
    N_("Reminder settings"),
    check_preferences,
    encode=asdict,
)


class Preferences(MedicationStore):
    def preferences(self) -> ReminderPreferences:
        return SettingsService(self._db).get(PREFERENCES)

    def set_preferences(self, preferences: ReminderPreferences) -> ReminderPreferences:
        return SettingsService(self._db).set(PREFERENCES, preferences)
