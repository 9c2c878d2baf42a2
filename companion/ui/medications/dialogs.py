"""The medication page's dialogs: add or edit a medicine (with its schedule), change the dose
or schedule from a date, stop with a reason, side effects, stock, an earlier day's doses, an
as-needed dose, and non-drug treatments.

Every dialog hands its values to a ``save`` callable that calls the service; a
:class:`~companion.core.errors.ValidationError` is shown in the dialog (one sentence) and the
dialog stays open with everything the person typed, so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, time

from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from companion.core.adherence import ScheduleKind
from companion.core.errors import ValidationError
from companion.core.medication import (
    CATEGORY_LABELS,
    FORM_LABELS,
    MAX_NAME_CHARS,
    MAX_NOTE_CHARS,
    MAX_PURPOSE_CHARS,
    SEVERITY_LABELS,
    STOCK_UNITS,
    STOP_REASON_LABELS,
    THERAPY_TYPE_LABELS,
    TREATMENT_END_LABELS,
    TREATMENT_KIND_LABELS,
    WEEKDAY_NAMES,
    DoseInput,
    MedicationInfo,
    MedicationInput,
    MedicationService,
    ScheduleInput,
    SideEffectInfo,
    TreatmentInfo,
    TreatmentInput,
    format_amount,
    long_date,
)
from companion.core.models.medications import UNITS
from companion.storage.database import Database
from companion.ui.help_access import HelpfulDialog
from companion.ui.medications.doses import DoseList
from companion.ui.medications.events import announce_change
from companion.ui.widgets.common import StatusLabel, icon, label, link_button


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def date_edit(day: date, accessible_name: str, *, latest: date | None = None) -> QDateEdit:
    edit = QDateEdit(qdate(day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("ddd d MMM yyyy")
    edit.setMinimumDate(QDate(1950, 1, 1))
    if latest is not None:
        edit.setMaximumDate(qdate(latest))
    edit.setAccessibleName(accessible_name)
    return edit


def combo(
    options: Mapping[str, str], accessible_name: str, current: str | None = None
) -> QComboBox:
    box = QComboBox()
    for key, text in options.items():
        box.addItem(text, key)
    if current is not None:
        box.setCurrentIndex(max(0, box.findData(current)))
    box.setAccessibleName(accessible_name)
    return box


class FormDialog(HelpfulDialog):
    """A titled dialog with a form, a one-sentence error line and Save / Cancel."""

    def __init__(self, title: str, parent: QWidget | None = None, *, save_text: str = "Save"):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setSpacing(12)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.layout_.addLayout(self.form)
        self.error = StatusLabel("Error", "Problem")
        self.layout_.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setText(save_text)
        save.setAccessibleName(save_text)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.layout_.addWidget(self.buttons)
        self.save: Callable[[], object] | None = None
        self.result_value: object = None

    def intro(self, text: str) -> None:
        self.layout_.insertWidget(0, label(text, name="Muted"))

    def accept(self) -> None:
        if self.save is not None:
            try:
                self.result_value = self.save()
            except ValidationError as exc:
                self.error.setText(str(exc))
                return
        super().accept()


# -- schedule --------------------------------------------------------------------------------

KIND_LABELS = {
    ScheduleKind.DAILY.value: "Every day",
    ScheduleKind.WEEKDAYS.value: "On some days of the week",
    ScheduleKind.INTERVAL.value: "Every few days",
    ScheduleKind.AS_NEEDED.value: "Only when needed",
}


class ScheduleEditor(QWidget):
    """How often and at what times: every day, some weekdays, every N days, or as needed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.kind = combo(KIND_LABELS, "How often")
        self.kind.currentIndexChanged.connect(self._kind_changed)
        layout.addWidget(self.kind)
        self.days_row = QWidget()
        days = QHBoxLayout(self.days_row)
        days.setContentsMargins(0, 0, 0, 0)
        self.day_boxes = []
        for index, name in enumerate(WEEKDAY_NAMES):
            box = QCheckBox(name)
            box.setAccessibleName(f"Take it on {name}")
            box.setChecked(index < 5)
            self.day_boxes.append(box)
            days.addWidget(box)
        days.addStretch(1)
        layout.addWidget(self.days_row)
        self.interval_row = QWidget()
        interval = QHBoxLayout(self.interval_row)
        interval.setContentsMargins(0, 0, 0, 0)
        interval.addWidget(label("Every"))
        self.interval = QSpinBox()
        self.interval.setRange(2, 366)
        self.interval.setValue(2)
        self.interval.setSuffix(" days")
        self.interval.setAccessibleName("Every how many days")
        interval.addWidget(self.interval)
        interval.addStretch(1)
        layout.addWidget(self.interval_row)
        self.times_box = QWidget()
        self.times_layout = QVBoxLayout(self.times_box)
        self.times_layout.setContentsMargins(0, 0, 0, 0)
        self.times_layout.setSpacing(6)
        layout.addWidget(self.times_box)
        self.time_edits: list[QTimeEdit] = []
        self.add_time_button = link_button("Add another time")
        self.add_time_button.clicked.connect(lambda: self.add_time(time(20, 0)))
        layout.addWidget(self.add_time_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.add_time(time(8, 0))
        self._kind_changed()

    def add_time(self, at: time) -> QTimeEdit:
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        edit = QTimeEdit(QTime(at.hour, at.minute))
        edit.setDisplayFormat("HH:mm")
        edit.setAccessibleName(f"Dose time {len(self.time_edits) + 1}")
        line.addWidget(edit)
        remove = QPushButton(icon("mdi6.close"), "")
        remove.setToolTip("Remove this time")
        remove.setAccessibleName(f"Remove dose time {len(self.time_edits) + 1}")
        remove.clicked.connect(lambda: self.remove_time(row, edit))
        line.addWidget(remove)
        line.addStretch(1)
        self.times_layout.addWidget(row)
        self.time_edits.append(edit)
        return edit

    def remove_time(self, row: QWidget, edit: QTimeEdit) -> None:
        """Remove a time (the schedule check says so if none is left)."""
        if edit in self.time_edits:
            self.time_edits.remove(edit)
        self.times_layout.removeWidget(row)
        row.hide()
        row.deleteLater()

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        self.days_row.setVisible(kind == ScheduleKind.WEEKDAYS.value)
        self.interval_row.setVisible(kind == ScheduleKind.INTERVAL.value)
        timed = kind != ScheduleKind.AS_NEEDED.value
        self.times_box.setVisible(timed)
        self.add_time_button.setVisible(timed)

    def set_schedule(
        self, kind: str, times: tuple[str, ...], weekdays: frozenset[int], n: int | None
    ) -> None:
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        for edit in list(self.time_edits):
            row = edit.parentWidget()
            if row is not None:
                self.remove_time(row, edit)
        for text in times or ("08:00",):
            self.add_time(time.fromisoformat(text))
        for index, box in enumerate(self.day_boxes):
            box.setChecked(index in weekdays if weekdays else index < 5)
        self.interval.setValue(n or 2)

    def value(self) -> ScheduleInput:
        return ScheduleInput(
            kind=self.kind.currentData(),
            times=[e.time().toString("HH:mm") for e in self.time_edits],
            weekdays=[i for i, box in enumerate(self.day_boxes) if box.isChecked()],
            interval_days=self.interval.value(),
        )


def amount_box(value: float, accessible_name: str, *, empty: str = "") -> QDoubleSpinBox:
    """A number box; ``empty`` is what it shows at zero (e.g. "Not given")."""
    box = QDoubleSpinBox()
    box.setDecimals(2)
    if empty:
        box.setSpecialValueText(empty)
    box.setRange(0, 1_000_000)
    box.setValue(value)
    box.setAccessibleName(accessible_name)
    box.setMinimumWidth(120)
    return box


def unit_box(current: str | None, accessible_name: str) -> QComboBox:
    return combo({u: u for u in UNITS}, accessible_name, current or "mg")


# -- medicine ----------------------------------------------------------------------------------


class MedicationDialog(FormDialog):
    """Add a medicine (details, schedule and first dose) or edit its details."""

    def __init__(
        self,
        service: MedicationService,
        info: MedicationInfo | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Add a medicine" if info is None else "Edit medicine", parent)
        self.setMinimumWidth(600)
        self.service = service
        self.info = info
        today = service.today()
        self.name = QLineEdit(info.name if info else "")
        self.name.setMaxLength(MAX_NAME_CHARS)
        self.name.setPlaceholderText("For example: Sertraline")
        self.name.setAccessibleName("Medicine name")
        self.form.addRow("Name", self.name)
        self.category = combo(
            CATEGORY_LABELS, "Kind of medicine", info.category if info else "ssri"
        )
        self.form.addRow("Kind", self.category)
        self.medicine_form = combo(FORM_LABELS, "Form", info.form if info else "tablet")
        self.form.addRow("Form", self.medicine_form)
        strength_row = QHBoxLayout()
        self.strength = amount_box(
            info.strength or 0 if info else 0, "Strength of one unit", empty="Not given"
        )
        self.strength_unit = unit_box(info.strength_unit if info else "mg", "Strength unit")
        strength_row.addWidget(self.strength)
        strength_row.addWidget(self.strength_unit)
        strength_row.addStretch(1)
        self.form.addRow("Strength of one tablet or unit", strength_row)
        self.purpose = QLineEdit(info.purpose or "" if info else "")
        self.purpose.setMaxLength(MAX_PURPOSE_CHARS)
        self.purpose.setPlaceholderText("Optional, in your words")
        self.purpose.setAccessibleName("What it is for")
        self.form.addRow("What it is for", self.purpose)
        self.started = date_edit(info.started_on if info else today, "Started on")
        self.form.addRow("Started on", self.started)
        self.schedule: ScheduleEditor | None = None
        if info is None:
            self.schedule = ScheduleEditor()
            self.form.addRow("When", self.schedule)
            dose_row = QHBoxLayout()
            self.amount = amount_box(0, "Dose each time", empty="Enter the dose")
            self.dose_unit = unit_box("mg", "Dose unit")
            dose_row.addWidget(self.amount)
            dose_row.addWidget(self.dose_unit)
            dose_row.addStretch(1)
            self.form.addRow("Dose each time", dose_row)
        self.reminders = QCheckBox("Remind me while Companion is open")
        self.reminders.setChecked(info.reminders if info else True)
        self.reminders.setAccessibleName("Reminders for this medicine")
        self.form.addRow("", self.reminders)
        self.window_box = QSpinBox()
        self.window_box.setRange(0, 720)
        self.window_box.setSingleStep(15)
        self.window_box.setSpecialValueText("The usual window")
        self.window_box.setSuffix(" minutes either side")
        self.window_box.setValue(info.window_minutes or 0 if info else 0)
        self.window_box.setAccessibleName("On-time window")
        self.window_box.setToolTip(
            "How close to the scheduled time counts as on time. Usually ±2 hours for once a "
            "day and ±1 hour for more often."
        )
        self.form.addRow("On time within", self.window_box)
        self.save = self._save
        self.name.setFocus()

    def medication_input(self) -> MedicationInput:
        strength = self.strength.value() or None
        return MedicationInput(
            name=self.name.text(),
            category=self.category.currentData(),
            form=self.medicine_form.currentData(),
            strength=strength,
            strength_unit=self.strength_unit.currentData() if strength else None,
            purpose=self.purpose.text() or None,
            started_on=pydate(self.started.date()),
            reminders=self.reminders.isChecked(),
            window_minutes=self.window_box.value() or None,
        )

    def _save(self) -> MedicationInfo:
        details = self.medication_input()
        if self.info is not None:
            return self.service.update(self.info.id, details)
        assert self.schedule is not None
        return self.service.add(
            details,
            self.schedule.value(),
            DoseInput(self.amount.value(), self.dose_unit.currentData()),
        )


class ScheduleDialog(FormDialog):
    """A new schedule from a date (earlier days keep the schedule they had)."""

    def __init__(
        self, service: MedicationService, info: MedicationInfo, parent: QWidget | None = None
    ):
        super().__init__(f"Change when you take {info.name}", parent)
        self.intro(
            "The new times apply from the date you choose; earlier days keep the times they "
            "had, so your history stays true."
        )
        today = service.today()
        current = info.schedule_on(today) or info.latest_schedule
        self.schedule = ScheduleEditor()
        v = current.version
        self.schedule.set_schedule(v.kind.value, v.times, v.weekdays, v.interval_days)
        self.form.addRow("When", self.schedule)
        self.start = date_edit(max(today, info.started_on), "From")
        self.form.addRow("From", self.start)
        self.save = lambda: service.set_schedule(
            info.id, self.schedule.value(), pydate(self.start.date())
        )


class DoseDialog(FormDialog):
    """A new dose from a date: one titration or taper step."""

    def __init__(
        self, service: MedicationService, info: MedicationInfo, parent: QWidget | None = None
    ):
        super().__init__(f"Change the dose of {info.name}", parent)
        self.intro(
            "Record a dose change your prescriber agreed with you. Earlier days keep the dose "
            "they had."
        )
        today = service.today()
        current = (info.dose_on(today) or info.latest_dose).version
        row = QHBoxLayout()
        self.amount = amount_box(current.amount, "New dose each time")
        self.unit = unit_box(current.unit, "Dose unit")
        row.addWidget(self.amount)
        row.addWidget(self.unit)
        row.addStretch(1)
        self.form.addRow("New dose each time", row)
        self.form.addRow(
            "", label(f"Now: {format_amount(current.amount)} {current.unit}", name="Muted")
        )
        self.start = date_edit(max(today, info.started_on), "From")
        self.form.addRow("From", self.start)
        self.note = QLineEdit()
        self.note.setMaxLength(200)
        self.note.setPlaceholderText("Optional, e.g. “step agreed at my appointment”")
        self.note.setAccessibleName("Note about this change")
        self.form.addRow("Note", self.note)
        self.save = lambda: service.change_dose(
            info.id,
            DoseInput(self.amount.value(), self.unit.currentData(), self.note.text() or None),
            pydate(self.start.date()),
        )


class StopDialog(FormDialog):
    """Record that a course ended: its last day and why."""

    def __init__(
        self, service: MedicationService, info: MedicationInfo, parent: QWidget | None = None
    ):
        super().__init__(f"Stopped taking {info.name}", parent, save_text="Record the stop")
        self.intro(
            "This records a change that has happened. If you are thinking about stopping, "
            "please talk to your prescriber or pharmacist first."
        )
        today = service.today()
        self.last_day = date_edit(max(today, info.started_on), "Last day taken")
        self.form.addRow("Last day taken", self.last_day)
        self.reason = combo(STOP_REASON_LABELS, "Why it stopped", "not_helping")
        self.form.addRow("Why", self.reason)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("Optional, private: anything you want to remember")
        self.note.setAccessibleName("Note about stopping")
        self.note.setFixedHeight(80)
        self.form.addRow("Note", self.note)
        self.save = lambda: service.stop(
            info.id,
            pydate(self.last_day.date()),
            self.reason.currentData(),
            self.note.toPlainText() or None,
        )


class StockDialog(FormDialog):
    """How many units are on hand now (the run-out date follows from the schedule)."""

    def __init__(
        self, service: MedicationService, info: MedicationInfo, parent: QWidget | None = None
    ):
        super().__init__(f"Stock of {info.name}", parent)
        unit = STOCK_UNITS.get(info.form, "doses")
        self.intro(
            f"Count the {unit} you have now. Companion subtracts each dose you mark as taken "
            "and estimates when they will run out."
        )
        self.count = amount_box(info.stock_count or 0, f"{unit.capitalize()} on hand")
        self.count.setRange(0, 100_000)
        self.count.setDecimals(1)
        self.count.setSuffix(f" {unit}")
        self.form.addRow("On hand now", self.count)
        self.forget = QCheckBox("I don't want to track stock for this medicine")
        self.forget.setAccessibleName("Stop tracking stock")
        self.form.addRow("", self.forget)
        self.save = lambda: service.set_stock(
            info.id, None if self.forget.isChecked() else self.count.value()
        )


class LogDoseDialog(FormDialog):
    """An as-needed dose, or an extra dose outside the schedule, with its time."""

    def __init__(
        self, service: MedicationService, info: MedicationInfo, parent: QWidget | None = None
    ):
        super().__init__(f"Log a dose of {info.name}", parent)
        now = service.now()
        self.when = QDateTimeEdit(QDateTime(qdate(now.date()), QTime(now.hour, now.minute)))
        self.when.setDisplayFormat("ddd d MMM yyyy  HH:mm")
        self.when.setCalendarPopup(True)
        self.when.setAccessibleName("Time it was taken")
        self.form.addRow("Taken at", self.when)
        dose = (info.dose_on(now.date()) or info.latest_dose).version
        self.amount = amount_box(dose.amount, "Amount taken")
        self.amount.setSuffix(f" {dose.unit}")
        self.form.addRow("Amount", self.amount)

        def save() -> object:
            value = self.when.dateTime()
            d, t = value.date(), value.time()
            moment = datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=now.tzinfo)
            return service.log_dose(info.id, taken_at=moment, amount=self.amount.value())

        self.save = save


class BackfillDialog(HelpfulDialog):
    """Fill in the doses of an earlier day (marked without a time unless one is given)."""

    def __init__(self, service: MedicationService, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Fill in an earlier day")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.addWidget(
            label(
                "Choose a day and mark what you remember. Doses marked taken here are saved "
                "without a time; use the ⋯ menu to add one.",
                name="Muted",
            )
        )
        today = service.today()
        row = QHBoxLayout()
        row.addWidget(label("Day"))
        self.day = date_edit(today, "Day to fill in", latest=today)
        self.day.dateChanged.connect(self._day_changed)
        row.addWidget(self.day)
        previous = QPushButton(icon("mdi6.chevron-left"), "")
        previous.setAccessibleName("Previous day")
        previous.clicked.connect(lambda: self.day.setDate(self.day.date().addDays(-1)))
        following = QPushButton(icon("mdi6.chevron-right"), "")
        following.setAccessibleName("Next day")
        following.clicked.connect(lambda: self.day.setDate(self.day.date().addDays(1)))
        row.addWidget(previous)
        row.addWidget(following)
        row.addStretch(1)
        layout.addLayout(row)
        self.doses = DoseList(service, db, backfill=True)
        layout.addWidget(self.doses)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self._day_changed()

    def _day_changed(self) -> None:
        self.doses.set_day(pydate(self.day.date()))


class SideEffectsDialog(HelpfulDialog):
    """Side effects noticed on one medicine: what, how much it bothers you, since and until."""

    def __init__(
        self,
        service: MedicationService,
        db: Database,
        info: MedicationInfo,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.db = db
        self.info = info
        self.setWindowTitle(f"Side effects of {info.name}")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.addWidget(
            label(
                "Notes for you and your prescriber: what you noticed, how much it bothers you, "
                "and when it eased. They stay private unless you include notes in an export.",
                name="Muted",
            )
        )
        self.list_box = QVBoxLayout()
        layout.addLayout(self.list_box)
        self.empty = label("No side effects noted.", name="Muted")
        layout.addWidget(self.empty)
        form = QFormLayout()
        self.description = QLineEdit()
        self.description.setMaxLength(MAX_NOTE_CHARS)
        self.description.setPlaceholderText("What you noticed, e.g. “nausea in the mornings”")
        self.description.setAccessibleName("Side effect")
        form.addRow("Side effect", self.description)
        self.severity = combo(SEVERITY_LABELS, "How much it bothers you", "mild")
        form.addRow("How much it bothers you", self.severity)
        today = service.today()
        self.noted = date_edit(today, "Noticed on", latest=today)
        form.addRow("Noticed on", self.noted)
        layout.addLayout(form)
        self.error = StatusLabel("Error", "Problem")
        layout.addWidget(self.error)
        add = QPushButton(icon("mdi6.plus"), "Add this note")
        add.setAccessibleName("Add this side-effect note")
        add.clicked.connect(self.add)
        layout.addWidget(add, 0, Qt.AlignmentFlag.AlignLeft)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.rows: list[QWidget] = []
        self.refresh()

    def refresh(self) -> None:
        for row in self.rows:
            self.list_box.removeWidget(row)
            row.deleteLater()
        self.rows = []
        self.info = self.service.get(self.info.id)
        for effect in self.info.side_effects:
            self.rows.append(self._row(effect))
            self.list_box.addWidget(self.rows[-1])
        self.empty.setVisible(not self.info.side_effects)

    def _row(self, effect: SideEffectInfo) -> QWidget:
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 2, 0, 2)
        when = f"since {long_date(effect.noted_on)}"
        if effect.resolved_on:
            when = f"{long_date(effect.noted_on)} to {long_date(effect.resolved_on)}"
        text = label(
            f"<b>{SEVERITY_LABELS[effect.severity]}</b> · {_escape(effect.description or '')}"
            f"<br><span>{when}</span>"
        )
        text.setTextFormat(Qt.TextFormat.RichText)
        line.addWidget(text, 1)
        if effect.resolved_on is None:
            eased = QPushButton("It has eased")
            eased.setAccessibleName("Mark this side effect as eased today")
            eased.clicked.connect(lambda: self._eased(effect))
            line.addWidget(eased)
        remove = QPushButton(icon("mdi6.delete-outline"), "")
        remove.setToolTip("Delete this note")
        remove.setAccessibleName("Delete this side-effect note")
        remove.clicked.connect(lambda: self._delete(effect))
        line.addWidget(remove)
        return row

    def _changed(self) -> None:
        announce_change(self.db)
        self.refresh()

    def add(self) -> None:
        try:
            self.service.add_side_effect(
                self.info.id,
                self.description.text(),
                self.severity.currentData(),
                pydate(self.noted.date()),
            )
        except ValidationError as exc:
            self.error.setText(str(exc))
            return
        self.error.setText("")
        self.description.clear()
        self._changed()

    def _eased(self, effect: SideEffectInfo) -> None:
        try:
            self.service.update_side_effect(
                effect.id,
                effect.description or "",
                effect.severity,
                effect.noted_on,
                resolved_on=max(effect.noted_on, self.service.today()),
            )
        except ValidationError as exc:
            self.error.setText(str(exc))
            return
        self._changed()

    def _delete(self, effect: SideEffectInfo) -> None:
        self.service.delete_side_effect(effect.id)
        self._changed()


class TreatmentDialog(FormDialog):
    """A psychotherapy course, ECT, rTMS, esketamine, VNS or ketamine, with dates."""

    def __init__(
        self,
        service: MedicationService,
        info: TreatmentInfo | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Add a treatment" if info is None else "Edit treatment", parent)
        today = service.today()
        self.kind = combo(
            TREATMENT_KIND_LABELS, "Kind of treatment", info.kind if info else "psychotherapy"
        )
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.form.addRow("Kind", self.kind)
        self.therapy = combo(
            {"": "Not specified", **THERAPY_TYPE_LABELS},
            "Kind of therapy",
            info.therapy_type or "" if info else "",
        )
        self.form.addRow("Therapy", self.therapy)
        self.own_name = QLineEdit(info.label or "" if info else "")
        self.own_name.setMaxLength(80)
        self.own_name.setPlaceholderText("Optional, private: your own name for it")
        self.own_name.setAccessibleName("Your own name for it")
        self.form.addRow("Your name for it", self.own_name)
        self.start = date_edit(info.started_on if info else today, "Started on")
        self.form.addRow("Started on", self.start)
        self.ended = QCheckBox("It has ended")
        self.ended.setAccessibleName("The treatment has ended")
        self.ended.setChecked(bool(info and info.ended_on))
        self.ended.toggled.connect(self._ended_changed)
        self.form.addRow("", self.ended)
        self.end = date_edit(info.ended_on if info and info.ended_on else today, "Ended on")
        self.form.addRow("Ended on", self.end)
        self.reason = combo(
            TREATMENT_END_LABELS,
            "Why it ended",
            info.end_reason if info and info.end_reason else "completed",
        )
        self.form.addRow("Why it ended", self.reason)
        self.sessions = QSpinBox()
        self.sessions.setRange(-1, 2000)
        self.sessions.setSpecialValueText("Not counted")
        self.sessions.setValue(info.sessions if info and info.sessions is not None else -1)
        self.sessions.setAccessibleName("Number of sessions")
        self.form.addRow("Sessions", self.sessions)
        self._kind_changed()
        self._ended_changed()

        def save() -> object:
            value = TreatmentInput(
                kind=self.kind.currentData(),
                therapy_type=(self.therapy.currentData() or None)
                if self.kind.currentData() == "psychotherapy"
                else None,
                label=self.own_name.text() or None,
                started_on=pydate(self.start.date()),
                ended_on=pydate(self.end.date()) if self.ended.isChecked() else None,
                end_reason=self.reason.currentData() if self.ended.isChecked() else None,
                sessions=self.sessions.value() if self.sessions.value() >= 0 else None,
                note=info.note if info else None,
            )
            if info is None:
                return service.add_treatment(value)
            return service.update_treatment(info.id, value)

        self.save = save

    def _kind_changed(self) -> None:
        therapy = self.kind.currentData() == "psychotherapy"
        self.therapy.setVisible(therapy)
        self.form.labelForField(self.therapy).setVisible(therapy)

    def _ended_changed(self) -> None:
        ended = self.ended.isChecked()
        for widget in (self.end, self.reason):
            widget.setVisible(ended)
            self.form.labelForField(widget).setVisible(ended)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
