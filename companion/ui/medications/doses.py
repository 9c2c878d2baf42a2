"""One day's scheduled doses, each one click from "taken" or "skipped" (Today card, page,
filling in an earlier day).

Language is gentle (clinical-reference §3.4, DESIGN §2.3): a dose without an entry is
"Not logged yet", never "missed". A one-click "Taken" records the time only when it is close
to the scheduled time; later, it records "taken, time not recorded" rather than inventing a
time, and the time can be added from the row's menu.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import shiboken6
from PySide6.QtCore import QDateTime, Signal
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from companion.core.adherence import DoseStatus
from companion.core.errors import ValidationError
from companion.core.medication import (
    DoseSlot,
    MedicationService,
    format_amount,
    long_date,
    outcome_label,
)
from companion.storage.database import Database
from companion.ui import theme
from companion.ui.help_access import HelpfulDialog
from companion.ui.medications.events import announce_change
from companion.ui.widgets.common import StatusLabel, icon, label

#: "Taken" with one click records the time only this close to the scheduled time.
ONE_CLICK_TIME = timedelta(hours=2)


def status_text(slot: DoseSlot) -> str:
    entry = slot.entry
    if entry is None:
        return outcome_label(None)
    if entry.status is DoseStatus.TAKEN:
        text = (
            f"Taken at {entry.local_time:%H:%M}"
            if entry.time_recorded
            else "Taken (time not recorded)"
        )
        if entry.local_time.date() != slot.day and entry.time_recorded:
            text += f" on {entry.local_time:%a %d %b}"
        if entry.amount is not None:
            text += f", {format_amount(entry.amount)} instead of {slot.dose_text}"
        return text
    return outcome_label(entry.status)


class TakenDialog(HelpfulDialog):
    """When a dose was taken, and how much, if either differs from the schedule."""

    def __init__(
        self,
        slot: DoseSlot,
        amount: float,
        unit: str,
        now: datetime,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle("Taken at a different time or dose")
        layout = QVBoxLayout(self)
        layout.addWidget(
            label(f"The {slot.time} dose of {slot.medication_name} on {long_date(slot.day)}.")
        )
        form = QFormLayout()
        self.when = QDateTimeEdit()
        self.when.setDisplayFormat("ddd d MMM yyyy  HH:mm")
        self.when.setCalendarPopup(True)
        start = slot.entry.local_time if slot.entry and slot.entry.time_recorded else None
        moment = start or min(slot.scheduled_at, now)
        self.when.setDateTime(
            QDateTime(moment.year, moment.month, moment.day, moment.hour, moment.minute, 0)
        )
        self.when.setAccessibleName("Time it was taken")
        form.addRow("Taken at", self.when)
        self.amount = QDoubleSpinBox()
        self.amount.setDecimals(2)
        self.amount.setRange(0, 1_000_000)
        self.amount.setSuffix(f" {unit}")
        taken = slot.entry.amount if slot.entry and slot.entry.amount else None
        self.amount.setValue(taken or amount)
        self.amount.setAccessibleName("Amount taken")
        form.addRow("Amount", self.amount)
        layout.addLayout(form)
        self.error = StatusLabel("Error", "Problem")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.save: Callable[[datetime, float], None] | None = None

    def taken_at(self, tz: object) -> datetime:
        qdt = self.when.dateTime()
        d, t = qdt.date(), qdt.time()
        return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=tz)  # type: ignore[arg-type]

    def accept(self) -> None:
        if self.save is None:
            super().accept()
            return
        try:
            self.save(self.taken_at(None), self.amount.value())
        except ValidationError as exc:
            self.error.setText(str(exc))
            return
        super().accept()


def more_button(text: str = "") -> QToolButton:
    """A "⋯" button that opens a menu, looking like the other buttons (no arrow)."""
    c = theme.current()
    button = QToolButton()
    button.setText(text)
    button.setObjectName("MoreButton")
    button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    button.setStyleSheet(
        f"QToolButton#MoreButton {{ padding: 6px 10px; border-radius: 8px;"
        f" border: 1px solid {c.border}; background: {c.surface}; }}"
        f"QToolButton#MoreButton:focus {{ border: 2px solid {c.accent}; }}"
        "QToolButton#MoreButton::menu-indicator { image: none; width: 0px; }"
    )
    return button


class DoseRow(QFrame):
    """Time, medicine and dose, what is logged, and the buttons to log it."""

    changed = Signal(str)  # a short sentence for the list's status line ("" for none)
    failed = Signal(str)

    def __init__(
        self,
        slot: DoseSlot,
        service: MedicationService,
        db: Database,
        *,
        backfill: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.slot = slot
        self.service = service
        self.db = db
        self.backfill = backfill
        self.setObjectName("DoseRow")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 6, 0, 6)
        row.setSpacing(12)
        when = QLabel(f"<b>{slot.time}</b>")
        when.setFixedWidth(52)
        row.addWidget(when)
        text = QVBoxLayout()
        text.setSpacing(0)
        self.name = label(f"{slot.medication_name} · {slot.dose_text}")
        text.addWidget(self.name)
        self.state = label(status_text(slot), name="Muted")
        self.state.setAccessibleName(f"{slot.medication_name} at {slot.time}: {status_text(slot)}")
        text.addWidget(self.state)
        row.addLayout(text, 1)

        who = f"{slot.medication_name} {slot.time}"
        self.taken_button = QPushButton(icon("mdi6.check"), "Taken")
        self.taken_button.setAccessibleName(f"Mark {who} as taken")
        self.taken_button.clicked.connect(self.mark_taken)
        self.skip_button = QPushButton("Skipped")
        self.skip_button.setAccessibleName(f"Mark {who} as skipped")
        self.skip_button.clicked.connect(lambda: self.mark_skipped(False))
        self.undo_button = QPushButton(icon("mdi6.undo"), "Undo")
        self.undo_button.setAccessibleName(f"Undo what is logged for {who}")
        self.undo_button.clicked.connect(self.clear)
        self.more = more_button()
        self.more.setIcon(icon("mdi6.dots-horizontal"))
        self.more.setAccessibleName(f"More choices for {who}")
        self.more.setToolTip("More choices")
        self.more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.more)
        menu.addAction("Taken at a different time or dose…", self.taken_at_other_time)
        menu.addAction("Skipped on my prescriber's advice", lambda: self.mark_skipped(True))
        self.more.setMenu(menu)
        logged = slot.entry is not None
        for button in (self.taken_button, self.skip_button):
            button.setVisible(not logged)
            row.addWidget(button)
        self.undo_button.setVisible(logged)
        row.addWidget(self.undo_button)
        row.addWidget(self.more)
        if not logged and not backfill:
            self.taken_button.setObjectName("Primary")
            self.taken_button.setIcon(icon("mdi6.check", colour=theme.current().accent_text))

    def _run(self, action: Callable[[], object], message: str) -> None:
        try:
            action()
        except ValidationError as exc:
            self.failed.emit(str(exc))
            return
        announce_change(self.db)
        if shiboken6.isValid(self):
            self.changed.emit(message)

    def mark_taken(self) -> None:
        slot = self.slot
        now = self.service.now()
        close = abs(now - slot.scheduled_at) <= ONE_CLICK_TIME
        known = close and not self.backfill

        def act() -> object:
            return self.service.mark_taken(
                slot.medication_id, slot.day, slot.time, time_known=known
            )

        self._run(act, "")

    def mark_skipped(self, advised: bool) -> None:
        slot = self.slot
        self._run(
            lambda: self.service.mark_skipped(
                slot.medication_id, slot.day, slot.time, advised=advised
            ),
            "",
        )

    def clear(self) -> None:
        slot = self.slot
        self._run(lambda: self.service.clear_slot(slot.medication_id, slot.day, slot.time), "")

    def taken_at_other_time(self) -> None:
        slot = self.slot
        info = self.service.get(slot.medication_id)
        dose = info.dose_on(slot.day) or info.latest_dose
        now = self.service.now()
        # parented to the window, not this row: a refresh while it is open replaces the rows
        dialog = TakenDialog(slot, dose.version.amount, dose.version.unit, now, self.window())

        def save(when: datetime, amount: float) -> None:
            moment = when.replace(tzinfo=now.tzinfo)
            entry = slot.entry
            if entry is not None and entry.status is DoseStatus.TAKEN:
                self.service.update_entry(entry.id, taken_at=moment, amount=amount)
            else:
                self.service.mark_taken(
                    slot.medication_id, slot.day, slot.time, taken_at=moment, amount=amount
                )

        dialog.save = save
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        if accepted:
            announce_change(self.db)
            if shiboken6.isValid(self):
                self.changed.emit("")


class DoseList(QWidget):
    """Every scheduled dose of one day (today unless told otherwise)."""

    changed = Signal()

    def __init__(
        self,
        service: MedicationService,
        db: Database,
        *,
        backfill: bool = False,
        empty_text: str = "No doses are scheduled for this day.",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.db = db
        self.backfill = backfill
        self.day: date | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.rows_box = QVBoxLayout()
        self.rows_box.setSpacing(0)
        layout.addLayout(self.rows_box)
        self.empty = label(empty_text, name="Muted")
        layout.addWidget(self.empty)
        self.error = StatusLabel("Error", "Problem with the last dose entry")
        layout.addWidget(self.error)
        self.rows: list[DoseRow] = []

    def set_day(self, day: date | None) -> None:
        self.day = day
        self.refresh()

    def refresh(self) -> None:
        for row in self.rows:
            self.rows_box.removeWidget(row)
            row.hide()
            row.setParent(None)
            row.deleteLater()
        self.rows = []
        slots = self.service.doses_for_day(self.day)
        for slot in slots:
            row = DoseRow(slot, self.service, self.db, backfill=self.backfill)
            row.changed.connect(self._row_changed)
            row.failed.connect(self.error.setText)
            self.rows.append(row)
            self.rows_box.addWidget(row)
        self.empty.setVisible(not slots)

    @property
    def not_logged(self) -> int:
        return sum(1 for row in self.rows if row.slot.entry is None)

    def _row_changed(self, _message: str) -> None:
        self.error.setText("")
        self.refresh()
        self.changed.emit()

    def row_for(self, medication_name: str, time: str) -> DoseRow:
        for row in self.rows:
            if row.slot.medication_name == medication_name and row.slot.time == time:
                return row
        raise KeyError(f"{medication_name} {time}")


__all__ = ["DoseList", "DoseRow", "TakenDialog", "status_text"]
