"""One day's scheduled doses, each one click from "taken" or "skipped" (Today card, page,
filling in an earlier day).

Language is gentle (clinical-reference §3.4, DESIGN §2.3): a dose without an entry is
"Not logged yet", never "missed". A one-click "Taken" records the time only when it is close
to the scheduled time; later, it records "taken, time not recorded" rather than inventing a
time, and the time can be added from the row's menu.

Every change goes through the page's way of changing the diary (``ui/operations.py``), so the
Today card, the page and a reminder all show it at once (the change hub).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta, tzinfo

import shiboken6
from PySide6.QtCore import QDateTime, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QBoxLayout,
    QDateTimeEdit,
    QDialog,
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

from companion.core.medications.adherence import DoseStatus
from companion.core.medications.service import MedicationService
from companion.core.medications.types import DoseSlot
from companion.core.medications.vocabulary import format_amount, outcome_label, unit_label
from companion.i18n import _, format_date, format_time, qt_date_format
from companion.ui import theme
from companion.ui.help_access import HelpfulDialog
from companion.ui.medications.fields import Button, dialog_buttons, more_button, run_change
from companion.ui.pages import AppContext
from companion.ui.widgets.common import StatusLabel, icon
from companion.ui.widgets.measured import measured_label as label

#: "Taken" with one click records the time only this close to the scheduled time.
ONE_CLICK_TIME = timedelta(hours=2)


def _slot_time(slot: DoseSlot) -> str:
    return format_time(time.fromisoformat(slot.time))


def status_text(slot: DoseSlot) -> str:
    entry = slot.entry
    if entry is None:
        return outcome_label(None)
    if entry.status is not DoseStatus.TAKEN:
        return outcome_label(entry.status)
    if not entry.time_recorded:
        text = _("Taken (time not recorded)")
    elif entry.local_time.date() != slot.day:
        text = _("Taken at {time} on {date}").format(
            time=format_time(entry.local_time), date=format_date(entry.local_time, "day_short")
        )
    else:
        text = _("Taken at {time}").format(time=format_time(entry.local_time))
    if entry.amount is not None:
        text = _("{taken}, {amount} instead of {dose}").format(
            taken=text, amount=format_amount(entry.amount), dose=slot.dose_text
        )
    return text


class TakenDialog(HelpfulDialog):
    """When a dose was taken, and how much, if either differs from the schedule."""

    def __init__(
        self,
        slot: DoseSlot,
        amount: float,
        unit: str,
        now: datetime,
        context: AppContext,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(_("Taken at a different time or dose"))
        layout = QVBoxLayout(self)
        layout.addWidget(
            label(
                _("The {time} dose of {name} on {date}.").format(
                    time=_slot_time(slot),
                    name=slot.medication_name,
                    date=format_date(slot.day, "full"),
                )
            )
        )
        form = QFormLayout()
        self.when = QDateTimeEdit()
        self.when.setDisplayFormat(qt_date_format("day_medium", with_time=True))
        self.when.setCalendarPopup(True)
        start = slot.entry.local_time if slot.entry and slot.entry.time_recorded else None
        moment = start or min(slot.scheduled_at, now)
        self.when.setDateTime(
            QDateTime(moment.year, moment.month, moment.day, moment.hour, moment.minute, 0)
        )
        self.when.setAccessibleName(_("Taken at: the time it was taken"))
        form.addRow(_("Taken at"), self.when)
        self.amount = QDoubleSpinBox()
        self.amount.setDecimals(2)
        self.amount.setRange(0, 1_000_000)
        self.amount.setSuffix(f" {unit_label(unit)}")
        taken = slot.entry.amount if slot.entry and slot.entry.amount else None
        self.amount.setValue(taken or amount)
        self.amount.setAccessibleName(_("Amount taken"))
        form.addRow(_("Amount"), self.amount)
        layout.addLayout(form)
        self.error = StatusLabel("Error", _("Problem"))
        layout.addWidget(self.error)
        buttons = dialog_buttons(Button.Save, Button.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.ops = context.operations("medications", self.error, initiator=self)
        self.save: Callable[[datetime, float], object] | None = None

    def taken_at(self, zone: tzinfo | None) -> datetime:
        qdt = self.when.dateTime()
        d, t = qdt.date(), qdt.time()
        return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=zone)

    def accept(self) -> None:
        save = self.save
        if save is not None:
            when, amount = self.taken_at(None), self.amount.value()
            if not run_change(self.ops, lambda: save(when, amount), what="doses"):
                return
        super().accept()


class DoseRow(QFrame):
    """Time, medicine and dose, what is logged, and the buttons to log it."""

    changed = Signal(str)  # a short sentence for the list's status line ("" for none)
    failed = Signal(str)

    def __init__(
        self,
        slot: DoseSlot,
        service: MedicationService,
        context: AppContext,
        *,
        backfill: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.slot = slot
        self.service = service
        self.context = context
        self.backfill = backfill
        # a problem is said on the list's status line (``failed``), and cleared on success
        self.ops = context.operations("medications", self.failed.emit, initiator=self)
        self.setObjectName("DoseRow")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 6, 0, 6)
        row.setSpacing(12)
        at = _slot_time(slot)
        when = QLabel(f"<b>{at}</b>")
        bold = QFont(when.font())
        bold.setBold(True)
        # the widest time in this font, so large text never cuts "08:00" to "08:"
        when.setFixedWidth(QFontMetrics(bold).horizontalAdvance("88:88") + 8)
        row.addWidget(when)
        text = QVBoxLayout()
        text.setSpacing(0)
        self.name = label(f"{slot.medication_name} · {slot.dose_text}")
        text.addWidget(self.name)
        state = status_text(slot)
        self.state = label(state, name="Muted")
        self.state.setAccessibleName(
            _("{name} at {time}: {state}").format(name=slot.medication_name, time=at, state=state)
        )
        text.addWidget(self.state)
        row.addLayout(text, 1)

        name = slot.medication_name
        self.taken_button = QPushButton(icon("mdi6.check"), _("Taken"))
        self.taken_button.setAccessibleName(
            _("Mark {name} {time} as taken").format(name=name, time=at)
        )
        self.taken_button.clicked.connect(self.mark_taken)
        self.skip_button = QPushButton(_("Skipped"))
        self.skip_button.setAccessibleName(
            _("Mark {name} {time} as skipped").format(name=name, time=at)
        )
        self.skip_button.clicked.connect(lambda: self.mark_skipped(False))
        self.undo_button = QPushButton(icon("mdi6.undo"), _("Undo"))
        self.undo_button.setAccessibleName(
            _("Undo what is logged for {name} {time}").format(name=name, time=at)
        )
        self.undo_button.clicked.connect(self.clear)
        self.more = more_button()
        self.more.setIcon(icon("mdi6.dots-horizontal"))
        self.more.setAccessibleName(_("More choices for {name} {time}").format(name=name, time=at))
        self.more.setToolTip(_("More choices"))
        self.more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.more)
        menu.addAction(_("Taken at a different time or dose…"), self.taken_at_other_time)
        menu.addAction(_("Skipped on my prescriber's advice"), lambda: self.mark_skipped(True))
        self.more.setMenu(menu)
        logged = slot.entry is not None
        # in the row first: a parentless button made visible is a window of its own for a
        # moment (it flashed on screen and took the keyboard focus from the main window)
        for button in (self.taken_button, self.skip_button):
            row.addWidget(button)
            button.setVisible(not logged)
        row.addWidget(self.undo_button)
        self.undo_button.setVisible(logged)
        row.addWidget(self.more)
        if not logged and not backfill:
            self.taken_button.setObjectName("Primary")
            self.taken_button.setIcon(icon("mdi6.check", colour=theme.current().accent_text))

    def _run(self, action: Callable[[], object]) -> None:
        if run_change(self.ops, action, what="doses") and shiboken6.isValid(self):
            self.changed.emit("")

    def mark_taken(self) -> None:
        slot = self.slot
        now = self.service.now()
        close = abs(now - slot.scheduled_at) <= ONE_CLICK_TIME
        known = close and not self.backfill
        self._run(
            lambda: self.service.mark_taken(
                slot.medication_id, slot.day, slot.time, time_known=known
            )
        )

    def mark_skipped(self, advised: bool) -> None:
        slot = self.slot
        self._run(
            lambda: self.service.mark_skipped(
                slot.medication_id, slot.day, slot.time, advised=advised
            )
        )

    def clear(self) -> None:
        slot = self.slot
        self._run(lambda: self.service.clear_slot(slot.medication_id, slot.day, slot.time))

    def taken_at_other_time(self) -> None:
        slot = self.slot
        info = self.service.get(slot.medication_id)
        dose = info.dose_on(slot.day) or info.latest_dose
        now = self.service.now()
        # parented to the window, not this row: a refresh while it is open replaces the rows
        dialog = TakenDialog(
            slot, dose.version.amount, dose.version.unit, now, self.context, self.window()
        )

        def save(when: datetime, amount: float) -> object:
            moment = when.replace(tzinfo=now.tzinfo)
            entry = slot.entry
            if entry is not None and entry.status is DoseStatus.TAKEN:
                return self.service.update_entry(entry.id, taken_at=moment, amount=amount)
            return self.service.mark_taken(
                slot.medication_id, slot.day, slot.time, taken_at=moment, amount=amount
            )

        dialog.save = save
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        if accepted and shiboken6.isValid(self):
            self.changed.emit("")


def place_in_order(box: QBoxLayout, widgets: Sequence[QWidget]) -> None:
    """Make ``widgets`` the first items of ``box``, in this order (moving only those out of
    place; a widget not in ``box`` yet is added)."""
    for index, widget in enumerate(widgets):
        if box.indexOf(widget) != index:
            if box.indexOf(widget) >= 0:
                box.removeWidget(widget)
            box.insertWidget(index, widget)


class DoseList(QWidget):
    """Every scheduled dose of one day (today unless told otherwise)."""

    changed = Signal()

    def __init__(
        self,
        service: MedicationService,
        context: AppContext,
        *,
        backfill: bool = False,
        empty_text: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.context = context
        self.backfill = backfill
        self.day: date | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.rows_box = QVBoxLayout()
        self.rows_box.setSpacing(0)
        layout.addLayout(self.rows_box)
        if empty_text is None:
            empty_text = _("No doses are scheduled for this day.")
        self.empty = label(empty_text, name="Muted")
        layout.addWidget(self.empty)
        self.error = StatusLabel("Error", _("Problem with the last dose entry"))
        layout.addWidget(self.error)
        self.rows: list[DoseRow] = []
        self._look = ""

    def set_day(self, day: date | None) -> None:
        self.day = day
        self.refresh()

    def refresh(self) -> None:
        """Read the day's doses again and show them: a row whose dose reads as before stays
        as it is (a dose logged replaces its own row, not the list's)."""
        self.show_slots(self.service.doses_for_day(self.day))

    def show_slots(self, slots: list[DoseSlot]) -> None:
        look = theme.current().name  # (the primary button's icon is coloured)
        kept: dict[DoseSlot, list[DoseRow]] = {}
        gone: list[DoseRow] = []
        for shown in self.rows:
            if look == self._look:
                kept.setdefault(shown.slot, []).append(shown)
            else:
                gone.append(shown)
        self._look = look
        rows: list[DoseRow] = []
        for slot in slots:
            same = kept.get(slot)
            if same:
                row = same.pop(0)
            else:
                row = DoseRow(slot, self.service, self.context, backfill=self.backfill)
                row.changed.connect(self._row_changed)
                row.failed.connect(self.error.setText)
            rows.append(row)
        gone += (row for left in kept.values() for row in left)
        for old in gone:
            self.rows_box.removeWidget(old)
            old.hide()
            old.setParent(None)
            old.deleteLater()
        place_in_order(self.rows_box, rows)
        self.rows = rows
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
