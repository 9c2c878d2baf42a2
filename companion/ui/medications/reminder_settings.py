"""Reminder settings and the on-time windows, stored in the diary (the Medications page's last
card), and the check-in reminder times beside them."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QCheckBox, QGridLayout, QHBoxLayout, QLineEdit, QSpinBox

from companion.core.medications.preferences import ReminderPreferences
from companion.core.medications.service import MedicationService
from companion.core.mood.reminders import CHECKIN_TIMES
from companion.core.session import OpenDiary
from companion.core.settings import SettingsService
from companion.i18n import _
from companion.ui.medications.figures import size_hint_at_any_width
from companion.ui.pages import AppContext
from companion.ui.widgets.common import Card, StatusLabel
from companion.ui.widgets.measured import measured_label as label


class RemindersCard(Card):
    """Reminder settings and the on-time windows (stored in the diary)."""

    def sizeHint(self) -> QSize:
        return size_hint_at_any_width(self)  # (a card of the Medications page)

    def __init__(self, diary: OpenDiary, context: AppContext) -> None:
        super().__init__(_("Reminders"))
        self.service = diary.service(MedicationService)
        self.settings = diary.service(SettingsService)
        self.body.addWidget(
            label(
                _(
                    "While Companion is open, a quiet banner (and a system notification where "
                    "there is one) when a dose is due. A notification only ever says “A "
                    "reminder is waiting”; the banner says only “A scheduled dose is due” "
                    "unless you choose to see the names, so nobody reading over your shoulder "
                    "learns what you take."
                ),
                name="Muted",
            )
        )
        self.enabled = QCheckBox(_("Remind me while Companion is open"))
        self.show_names = QCheckBox(_("Show medicine names in the reminder banner"))
        self.only_if_not_logged = QCheckBox(_("Only for doses not logged yet"))
        for box in (self.enabled, self.show_names, self.only_if_not_logged):
            box.setAccessibleName(box.text())
            box.toggled.connect(self.save)
            self.body.addWidget(box)
        grid = QGridLayout()
        self.snooze = self._spin(1, 240, _("Snooze for"))
        self.window_once = self._spin(5, 720, _("On time for once-a-day doses: within"))
        self.window_multi = self._spin(5, 720, _("On time for more frequent doses: within"))
        for index, (text, spin) in enumerate(
            (
                (_("Snooze for"), self.snooze),
                (_("On time, once a day: within ±"), self.window_once),
                (_("On time, more than once a day: within ±"), self.window_multi),
            )
        ):
            caption = label(text)  # wraps when larger text needs the room
            caption.setBuddy(spin)
            spin.setAccessibleName(text)  # the words on screen (voice control says them)
            grid.addWidget(caption, index, 0)
            grid.addWidget(spin, index, 1)
        grid.setColumnStretch(2, 1)
        self.body.addLayout(grid)
        checkin_row = QHBoxLayout()
        checkin_row.addWidget(label(_("Check-in reminders at"), wrap=False))
        self.checkins = QLineEdit()
        self.checkins.setMaximumWidth(320)
        self.checkins.setPlaceholderText(_("e.g. 09:00, 21:00 (empty: none)"))
        self.checkins.setAccessibleName(_("Check-in reminder times"))
        self.checkins.editingFinished.connect(self.save_checkins)
        checkin_row.addWidget(self.checkins, 1)
        checkin_row.addStretch(1)
        self.body.addLayout(checkin_row)
        self.body.addWidget(
            label(
                _(
                    "The usual windows are ±2 hours for once a day and ±1 hour for more often, "
                    "as in hospital medication standards."
                ),
                name="Muted",
            )
        )
        self.status = StatusLabel("Muted", _("Reminder settings"))
        self.body.addWidget(self.status)
        self.ops = context.operations("medications", self.status, initiator=self)
        self._loading = False

    def _spin(self, low: int, high: int, name: str) -> QSpinBox:
        box = QSpinBox()
        box.setRange(low, high)
        box.setSuffix(" " + _("minutes"))
        box.setAccessibleName(name)
        box.valueChanged.connect(self.save)
        return box

    def load(self) -> None:
        self._loading = True
        prefs = self.service.preferences()
        self.enabled.setChecked(prefs.enabled)
        self.show_names.setChecked(prefs.show_names)
        self.only_if_not_logged.setChecked(prefs.only_if_not_logged)
        self.snooze.setValue(prefs.snooze_minutes)
        self.window_once.setValue(prefs.window_once)
        self.window_multi.setValue(prefs.window_multi)
        times: list[str] = self.settings.get(CHECKIN_TIMES)
        self.checkins.setText(", ".join(times))
        self._loading = False

    def save(self) -> None:
        if self._loading:
            return
        before = self.service.preferences()
        wanted = ReminderPreferences(
            enabled=self.enabled.isChecked(),
            show_names=self.show_names.isChecked(),
            only_if_not_logged=self.only_if_not_logged.isChecked(),
            snooze_minutes=self.snooze.value(),
            window_once=self.window_once.value(),
            window_multi=self.window_multi.value(),
        )
        # new on-time windows change the figures: every view of the medicines refreshes
        windows_changed = (before.window_once, before.window_multi) != (
            wanted.window_once,
            wanted.window_multi,
        )
        saved = self.ops.run(
            lambda: self.service.set_preferences(wanted),
            what="preferences",
            announce=windows_changed,
        )
        if saved is not None:
            self.status.setText(_("Saved."))

    def save_checkins(self) -> None:
        text = self.checkins.text().replace(";", ",")
        times = [t for t in (part.strip() for part in text.split(",")) if t]
        saved = self.ops.run(lambda: self.settings.set(CHECKIN_TIMES, times), announce=False)
        if saved is not None:
            self.checkins.setText(", ".join(saved))
            self.status.setText(_("Saved."))
