"""The medication page's dialogs: add or edit a medicine (with its schedule), change the dose
or schedule from a date, stop with a reason, side effects, stock, an earlier day's doses, an
as-needed dose, and non-drug treatments.

Every dialog hands its values to a ``save`` callable that calls the service, run through the
one way the UI changes the diary (``ui/operations.py``): a problem is shown in the dialog (one
sentence) and the dialog stays open with everything the person typed, so nothing is lost; a
change is announced on the change hub, so every view of the medicines refreshes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from typing import Final

from PySide6.QtCore import QDateTime, Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
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

from companion.core.medications.adherence import ScheduleKind
from companion.core.medications.service import MedicationService
from companion.core.medications.types import (
    DoseInput,
    MedicationInfo,
    MedicationInput,
    ScheduleInput,
    SideEffectInfo,
    TreatmentInfo,
    TreatmentInput,
)
from companion.core.medications.vocabulary import (
    CATEGORY_LABELS,
    FORM_LABELS,
    MAX_DOSE_NOTE_CHARS,
    MAX_NAME_CHARS,
    MAX_NOTE_CHARS,
    MAX_PURPOSE_CHARS,
    MAX_STOCK,
    SEVERITY_LABELS,
    STOP_REASON_LABELS,
    THERAPY_TYPE_LABELS,
    TREATMENT_END_LABELS,
    TREATMENT_KIND_LABELS,
    amount_text,
    label_for,
    stock_unit,
    unit_label,
    weekday_short,
)
from companion.i18n import N_, _, format_date, qt_date_format, qt_time_format
from companion.ui import theme
from companion.ui.help_access import HelpfulDialog
from companion.ui.medications.doses import DoseList
from companion.ui.medications.fields import (
    Button,
    amount_box,
    combo,
    date_edit,
    dialog_buttons,
    escape,
    pydate,
    qdate,
    run_change,
    unit_box,
)
from companion.ui.pages import AppContext
from companion.ui.widgets.common import (
    StatusLabel,
    icon,
    label,
    link_button,
    tab_order_as_laid_out,
)


class FormDialog(HelpfulDialog):
    """A titled dialog with a form, a one-sentence error line and Save / Cancel.

    ``save`` makes the change; it runs through the dialog's operations (``ops``), which show
    a problem on the error line and keep the dialog open.
    """

    def __init__(
        self,
        title: str,
        context: AppContext,
        parent: QWidget | None = None,
        *,
        save_text: str | None = None,
    ):
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setSpacing(12)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # large text: each field under its label; otherwise a field goes under its label only
        # when the window is too narrow for both (never cut short)
        wrap = QFormLayout.RowWrapPolicy
        large = theme.text_scale() >= 1.5
        self.form.setRowWrapPolicy(wrap.WrapAllRows if large else wrap.WrapLongRows)
        self.layout_.addLayout(self.form)
        self.error = StatusLabel("Error", _("Problem"))
        self.layout_.addWidget(self.error)
        self.buttons = dialog_buttons(Button.Save, Button.Cancel)
        save = self.buttons.button(Button.Save)
        save.setText(save_text or _("Save"))
        save.setAccessibleName(save.text())
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.layout_.addWidget(self.buttons)
        self.ops = context.operations("medications", self.error, initiator=self)
        self.ops.on_field = self._field_problem
        self.save: Callable[[], object] | None = None
        #: the inputs a refused change can be about (``ValidationError.field``)
        self.fields: dict[str, QWidget] = {}
        #: the sentence, right under the field it is about
        self.field_error = StatusLabel("Error", _("Problem with this field"))
        self.field_error.hide()
        self._marked: QWidget | None = None

    def _field_problem(self, field: str | None) -> None:
        """Say the problem beside its field (marked, focused); or clear the mark."""
        if self._marked is not None:
            self._marked.setStyleSheet("")
            self._marked = None
        if self.form.indexOf(self.field_error) >= 0:
            self.form.takeRow(self.field_error)
        self.field_error.hide()
        widget = self.fields.get(field) if field else None
        row = self._row_of(widget) if widget is not None else -1
        if widget is None or row < 0:
            return
        self.field_error.setText(self.error.text())
        self.error.setText("")
        self.form.insertRow(row + 1, "", self.field_error)
        self.field_error.show()
        widget.setStyleSheet(f"border: 2px solid {theme.current().danger}; border-radius: 6px;")
        self._marked = widget
        widget.setFocus()

    def _row_of(self, widget: QWidget) -> int:
        for row in range(self.form.rowCount()):
            item = self.form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if item is None:
                continue
            if item.widget() is widget:
                return row
            inner = item.layout()
            if inner is not None and inner.indexOf(widget) >= 0:
                return row
        return -1

    def intro(self, text: str) -> None:
        self.layout_.insertWidget(0, label(text, name="Muted"))

    def accept(self) -> None:
        if self.save is not None and not run_change(self.ops, self.save):
            return
        super().accept()


# -- schedule --------------------------------------------------------------------------------

KIND_LABELS: Final = {
    ScheduleKind.DAILY.value: N_("Every day"),
    ScheduleKind.WEEKDAYS.value: N_("On some days of the week"),
    ScheduleKind.INTERVAL.value: N_("Every few days"),
    ScheduleKind.AS_NEEDED.value: N_("Only when needed"),
}


class ScheduleEditor(QWidget):
    """How often and at what times: every day, some weekdays, every N days, or as needed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.kind = combo(KIND_LABELS, _("How often"))
        self.kind.currentIndexChanged.connect(self._kind_changed)
        layout.addWidget(self.kind)
        self.days_row = QWidget()
        days = QHBoxLayout(self.days_row)
        days.setContentsMargins(0, 0, 0, 0)
        self.day_boxes = []
        for index in range(7):
            name = weekday_short(index)
            box = QCheckBox(name)
            box.setAccessibleName(_("Take it on {day}").format(day=name))
            box.setChecked(index < 5)
            self.day_boxes.append(box)
            days.addWidget(box)
        days.addStretch(1)
        layout.addWidget(self.days_row)
        self.interval_row = QWidget()
        interval = QHBoxLayout(self.interval_row)
        interval.setContentsMargins(0, 0, 0, 0)
        interval.addWidget(label(_("Every")))
        self.interval = QSpinBox()
        self.interval.setRange(2, 366)
        self.interval.setValue(2)
        self.interval.setSuffix(" " + _("days"))
        self.interval.setAccessibleName(_("Every how many days"))
        interval.addWidget(self.interval)
        interval.addStretch(1)
        layout.addWidget(self.interval_row)
        self.times_box = QWidget()
        self.times_layout = QVBoxLayout(self.times_box)
        self.times_layout.setContentsMargins(0, 0, 0, 0)
        self.times_layout.setSpacing(6)
        layout.addWidget(self.times_box)
        self.time_edits: list[QTimeEdit] = []
        self.add_time_button = link_button(_("Add another time"))
        self.add_time_button.clicked.connect(lambda: self.add_time(time(20, 0)))
        layout.addWidget(self.add_time_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.add_time(time(8, 0))
        self._kind_changed()

    def add_time(self, at: time) -> QTimeEdit:
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        edit = QTimeEdit(QTime(at.hour, at.minute))
        edit.setDisplayFormat(qt_time_format())
        number = len(self.time_edits) + 1
        edit.setAccessibleName(_("Dose time {number}").format(number=number))
        line.addWidget(edit)
        remove = QPushButton(icon("mdi6.close"), "")
        remove.setToolTip(_("Remove this time"))
        remove.setAccessibleName(_("Remove dose time {number}").format(number=number))
        remove.clicked.connect(lambda: self.remove_time(row, edit))
        line.addWidget(remove)
        line.addStretch(1)
        self.times_layout.addWidget(row)
        self.time_edits.append(edit)
        tab_order_as_laid_out(self)
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


# -- medicine ----------------------------------------------------------------------------------


class MedicationDialog(FormDialog):
    """Add a medicine (details, schedule and first dose) or edit its details."""

    def __init__(
        self,
        service: MedicationService,
        context: AppContext,
        info: MedicationInfo | None = None,
        parent: QWidget | None = None,
    ) -> None:
        title = _("Add a medicine") if info is None else _("Edit medicine")
        super().__init__(title, context, parent)
        self.setMinimumWidth(600)
        self.service = service
        self.info = info
        today = service.today()
        self.name = QLineEdit(info.name if info else "")
        self.name.setMaxLength(MAX_NAME_CHARS)
        self.name.setPlaceholderText(_("For example: Sertraline"))
        self.name.setAccessibleName(_("Medicine name"))
        self.form.addRow(_("Name"), self.name)
        self.category = combo(
            CATEGORY_LABELS, _("Kind of medicine"), info.category if info else "other"
        )
        self.form.addRow(_("Kind"), self.category)
        self.medicine_form = combo(FORM_LABELS, _("Form"), info.form if info else "tablet")
        self.form.addRow(_("Form"), self.medicine_form)
        strength_row = QHBoxLayout()
        self.strength = amount_box(
            info.strength or 0 if info else 0, _("Strength of one unit"), empty=_("Not given")
        )
        self.strength_unit = unit_box(info.strength_unit if info else "mg", _("Strength unit"))
        strength_row.addWidget(self.strength)
        strength_row.addWidget(self.strength_unit)
        strength_row.addStretch(1)
        self.form.addRow(_("Strength of one tablet or unit"), strength_row)
        self.purpose = QLineEdit(info.purpose or "" if info else "")
        self.purpose.setMaxLength(MAX_PURPOSE_CHARS)
        self.purpose.setPlaceholderText(_("Optional, in your words"))
        self.purpose.setAccessibleName(_("What it is for"))
        self.form.addRow(_("What it is for"), self.purpose)
        self.started = date_edit(info.started_on if info else today, _("Started on"))
        self.form.addRow(_("Started on"), self.started)
        self.schedule: ScheduleEditor | None = None
        if info is None:
            self.schedule = ScheduleEditor()
            self.form.addRow(_("When"), self.schedule)
            dose_row = QHBoxLayout()
            self.amount = amount_box(0, _("Dose each time"), empty=_("Enter the dose"))
            self.dose_unit = unit_box("mg", _("Dose unit"))
            dose_row.addWidget(self.amount)
            dose_row.addWidget(self.dose_unit)
            dose_row.addStretch(1)
            self.form.addRow(_("Dose each time"), dose_row)
        self.reminders = QCheckBox(_("Remind me while Companion is open"))
        self.reminders.setChecked(info.reminders if info else True)
        self.reminders.setAccessibleName(_("Remind me while Companion is open, for this medicine"))
        self.form.addRow("", self.reminders)
        self.window_box = QSpinBox()
        self.window_box.setRange(0, 720)
        self.window_box.setSingleStep(15)
        self.window_box.setSpecialValueText(_("The usual window"))
        self.window_box.setSuffix(" " + _("minutes either side"))
        self.window_box.setValue(info.window_minutes or 0 if info else 0)
        self.window_box.setAccessibleName(_("On time within, in minutes either side"))
        self.window_box.setToolTip(
            _(
                "How close to the scheduled time counts as on time. Usually ±2 hours for once a "
                "day and ±1 hour for more often."
            )
        )
        self.form.addRow(_("On time within"), self.window_box)
        self.fields = {"name": self.name, "strength": self.strength, "started_on": self.started}
        if info is None:
            self.fields["amount"] = self.amount
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
        self,
        service: MedicationService,
        context: AppContext,
        info: MedicationInfo,
        parent: QWidget | None = None,
    ):
        super().__init__(_("Change when you take {name}").format(name=info.name), context, parent)
        self.intro(
            _(
                "The new times apply from the date you choose; earlier days keep the times they "
                "had, so your history stays true."
            )
        )
        today = service.today()
        current = info.schedule_on(today) or info.latest_schedule
        self.schedule = ScheduleEditor()
        v = current.version
        self.schedule.set_schedule(v.kind.value, v.times, v.weekdays, v.interval_days)
        self.form.addRow(_("When"), self.schedule)
        self.start = date_edit(max(today, info.started_on), _("From"))
        self.form.addRow(_("From"), self.start)
        self.save = lambda: service.set_schedule(
            info.id, self.schedule.value(), pydate(self.start.date())
        )


class DoseDialog(FormDialog):
    """A new dose from a date: one titration or taper step."""

    def __init__(
        self,
        service: MedicationService,
        context: AppContext,
        info: MedicationInfo,
        parent: QWidget | None = None,
    ):
        super().__init__(_("Change the dose of {name}").format(name=info.name), context, parent)
        self.intro(
            _(
                "Record a dose change your prescriber agreed with you. Earlier days keep the "
                "dose they had."
            )
        )
        today = service.today()
        current = (info.dose_on(today) or info.latest_dose).version
        row = QHBoxLayout()
        self.amount = amount_box(current.amount, _("New dose each time"))
        self.unit = unit_box(current.unit, _("Dose unit"))
        row.addWidget(self.amount)
        row.addWidget(self.unit)
        row.addStretch(1)
        self.form.addRow(_("New dose each time"), row)
        now = amount_text(current.amount, current.unit)
        self.form.addRow("", label(_("Now: {dose}").format(dose=now), name="Muted"))
        self.start = date_edit(max(today, info.started_on), _("From"))
        self.form.addRow(_("From"), self.start)
        self.note = QLineEdit()
        self.note.setMaxLength(MAX_DOSE_NOTE_CHARS)
        self.note.setPlaceholderText(_("Optional, e.g. “step agreed at my appointment”"))
        self.note.setAccessibleName(_("Note about this change"))
        self.form.addRow(_("Note"), self.note)
        self.save = lambda: service.change_dose(
            info.id,
            DoseInput(self.amount.value(), self.unit.currentData(), self.note.text() or None),
            pydate(self.start.date()),
        )


class StopDialog(FormDialog):
    """Record that a course ended: its last day and why."""

    def __init__(
        self,
        service: MedicationService,
        context: AppContext,
        info: MedicationInfo,
        parent: QWidget | None = None,
    ):
        super().__init__(
            _("Stopped taking {name}").format(name=info.name),
            context,
            parent,
            save_text=_("Record the stop"),
        )
        self.intro(
            _(
                "This records a change that has happened. If you are thinking about stopping, "
                "please talk to your prescriber or pharmacist first."
            )
        )
        today = service.today()
        self.last_day = date_edit(max(today, info.started_on), _("Last day taken"))
        self.form.addRow(_("Last day taken"), self.last_day)
        self.reason = combo(STOP_REASON_LABELS, _("Why it stopped"), "not_helping")
        self.form.addRow(_("Why"), self.reason)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(_("Optional, private: anything you want to remember"))
        self.note.setAccessibleName(_("Note about stopping"))
        self.note.setFixedHeight(80)
        self.form.addRow(_("Note"), self.note)
        self.save = lambda: service.stop(
            info.id,
            pydate(self.last_day.date()),
            self.reason.currentData(),
            self.note.toPlainText() or None,
        )


class StockDialog(FormDialog):
    """How many units are on hand now (the run-out date follows from the schedule)."""

    def __init__(
        self,
        service: MedicationService,
        context: AppContext,
        info: MedicationInfo,
        parent: QWidget | None = None,
    ):
        super().__init__(_("Stock of {name}").format(name=info.name), context, parent)
        unit = stock_unit(info.form)
        self.intro(
            _(
                "Count the {units} you have now. Companion subtracts each dose you mark as taken "
                "and estimates when they will run out."
            ).format(units=unit)
        )
        self.count = amount_box(
            info.stock_count or 0, _("On hand now: the number of {units}").format(units=unit)
        )
        self.count.setRange(0, MAX_STOCK)
        self.count.setDecimals(1)
        self.count.setSuffix(f" {unit}")
        self.form.addRow(_("On hand now"), self.count)
        self.forget = QCheckBox(_("I don't want to track stock for this medicine"))
        self.form.addRow("", self.forget)
        self.save = lambda: service.set_stock(
            info.id, None if self.forget.isChecked() else self.count.value()
        )


class LogDoseDialog(FormDialog):
    """An as-needed dose, or an extra dose outside the schedule, with its time."""

    def __init__(
        self,
        service: MedicationService,
        context: AppContext,
        info: MedicationInfo,
        parent: QWidget | None = None,
    ):
        super().__init__(_("Log a dose of {name}").format(name=info.name), context, parent)
        now = service.now()
        self.when = QDateTimeEdit(QDateTime(qdate(now.date()), QTime(now.hour, now.minute)))
        self.when.setDisplayFormat(qt_date_format("day_medium", with_time=True))
        self.when.setCalendarPopup(True)
        self.when.setAccessibleName(_("Taken at: the time it was taken"))
        self.form.addRow(_("Taken at"), self.when)
        dose = (info.dose_on(now.date()) or info.latest_dose).version
        self.amount = amount_box(dose.amount, _("Amount taken"))
        self.amount.setSuffix(f" {unit_label(dose.unit)}")
        self.form.addRow(_("Amount"), self.amount)

        def save() -> object:
            value = self.when.dateTime()
            d, t = value.date(), value.time()
            moment = datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=now.tzinfo)
            return service.log_dose(info.id, taken_at=moment, amount=self.amount.value())

        self.save = save


class BackfillDialog(HelpfulDialog):
    """Fill in the doses of an earlier day (marked without a time unless one is given)."""

    def __init__(
        self, service: MedicationService, context: AppContext, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(_("Fill in an earlier day"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.addWidget(
            label(
                _(
                    "Choose a day and mark what you remember. Doses marked taken here are saved "
                    "without a time; use the ⋯ menu to add one."
                ),
                name="Muted",
            )
        )
        today = service.today()
        row = QHBoxLayout()
        row.addWidget(label(_("Day")))
        self.day = date_edit(today, _("Day to fill in"), latest=today)
        self.day.dateChanged.connect(self._day_changed)
        row.addWidget(self.day)
        previous = QPushButton(icon("mdi6.chevron-left"), "")
        previous.setAccessibleName(_("Previous day"))
        previous.clicked.connect(lambda: self.day.setDate(self.day.date().addDays(-1)))
        following = QPushButton(icon("mdi6.chevron-right"), "")
        following.setAccessibleName(_("Next day"))
        following.clicked.connect(lambda: self.day.setDate(self.day.date().addDays(1)))
        row.addWidget(previous)
        row.addWidget(following)
        row.addStretch(1)
        layout.addLayout(row)
        self.doses = DoseList(service, context, backfill=True)
        layout.addWidget(self.doses)
        buttons = dialog_buttons(Button.Close)
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
        context: AppContext,
        info: MedicationInfo,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.context = context
        self.info = info
        self.setWindowTitle(_("Side effects of {name}").format(name=info.name))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.addWidget(
            label(
                _(
                    "Notes for you and your prescriber: what you noticed, how much it bothers "
                    "you, and when it eased. They stay private unless you include notes in an "
                    "export."
                ),
                name="Muted",
            )
        )
        self.list_box = QVBoxLayout()
        layout.addLayout(self.list_box)
        self.empty = label(_("No side effects noted."), name="Muted")
        layout.addWidget(self.empty)
        form = QFormLayout()
        self.description = QLineEdit()
        self.description.setMaxLength(MAX_NOTE_CHARS)
        self.description.setPlaceholderText(_("What you noticed, e.g. “nausea in the mornings”"))
        self.description.setAccessibleName(_("Side effect"))
        form.addRow(_("Side effect"), self.description)
        self.severity = combo(SEVERITY_LABELS, _("How much it bothers you"), "mild")
        form.addRow(_("How much it bothers you"), self.severity)
        today = service.today()
        self.noted = date_edit(today, _("Noticed on"), latest=today)
        form.addRow(_("Noticed on"), self.noted)
        layout.addLayout(form)
        self.error = StatusLabel("Error", _("Problem"))
        layout.addWidget(self.error)
        self.ops = context.operations("medications", self.error, initiator=self)
        add = QPushButton(icon("mdi6.plus"), _("Add this note"))
        add.setAccessibleName(_("Add this note about side effects"))
        add.clicked.connect(self.add)
        layout.addWidget(add, 0, Qt.AlignmentFlag.AlignLeft)
        buttons = dialog_buttons(Button.Close)
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
        noted = format_date(effect.noted_on, "full")
        if effect.resolved_on:
            when = _("{start} to {end}").format(
                start=noted, end=format_date(effect.resolved_on, "full")
            )
        else:
            when = _("since {date}").format(date=noted)
        severity = label_for(SEVERITY_LABELS, effect.severity)
        text = label(
            f"<b>{escape(severity)}</b> · {escape(effect.description or '')}"
            f"<br><span>{escape(when)}</span>"
        )
        text.setTextFormat(Qt.TextFormat.RichText)
        line.addWidget(text, 1)
        if effect.resolved_on is None:
            eased = QPushButton(_("It has eased"))
            eased.setAccessibleName(_("Mark this side effect as eased today"))
            eased.clicked.connect(lambda: self._eased(effect))
            line.addWidget(eased)
        remove = QPushButton(icon("mdi6.delete-outline"), "")
        remove.setToolTip(_("Delete this note"))
        remove.setAccessibleName(_("Delete this side-effect note"))
        remove.clicked.connect(lambda: self._delete(effect))
        line.addWidget(remove)
        return row

    def _change(self, action: Callable[[], object]) -> bool:
        done = run_change(self.ops, action, what="side_effects")
        if done:
            self.refresh()
        return done

    def add(self) -> None:
        info, description = self.info, self.description.text()
        severity, noted = self.severity.currentData(), pydate(self.noted.date())
        if self._change(
            lambda: self.service.add_side_effect(info.id, description, severity, noted)
        ):
            self.description.clear()

    def _eased(self, effect: SideEffectInfo) -> None:
        self._change(
            lambda: self.service.update_side_effect(
                effect.id,
                effect.description or "",
                effect.severity,
                effect.noted_on,
                resolved_on=max(effect.noted_on, self.service.today()),
            )
        )

    def _delete(self, effect: SideEffectInfo) -> None:
        self._change(lambda: self.service.delete_side_effect(effect.id))


# -- other treatments ----------------------------------------------------------------------------

NOT_SPECIFIED: Final = {"": N_("Not specified")}


class TreatmentDialog(FormDialog):
    """A psychotherapy course, ECT, rTMS, esketamine, VNS or ketamine, with dates."""

    def __init__(
        self,
        service: MedicationService,
        context: AppContext,
        info: TreatmentInfo | None = None,
        parent: QWidget | None = None,
    ) -> None:
        title = _("Add a treatment") if info is None else _("Edit treatment")
        super().__init__(title, context, parent)
        today = service.today()
        self.kind = combo(
            TREATMENT_KIND_LABELS, _("Kind of treatment"), info.kind if info else "psychotherapy"
        )
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.form.addRow(_("Kind"), self.kind)
        self.therapy = combo(
            {**NOT_SPECIFIED, **THERAPY_TYPE_LABELS},
            _("Kind of therapy"),
            info.therapy_type or "" if info else "",
        )
        self.form.addRow(_("Therapy"), self.therapy)
        self.own_name = QLineEdit(info.label or "" if info else "")
        self.own_name.setMaxLength(MAX_NAME_CHARS)
        self.own_name.setPlaceholderText(_("Optional, private: your own name for it"))
        self.own_name.setAccessibleName(_("Your name for it"))
        self.form.addRow(_("Your name for it"), self.own_name)
        self.start = date_edit(info.started_on if info else today, _("Started on"))
        self.form.addRow(_("Started on"), self.start)
        self.ended = QCheckBox(_("It has ended"))
        self.ended.setAccessibleName(_("It has ended: the treatment"))
        self.ended.setChecked(bool(info and info.ended_on))
        self.ended.toggled.connect(self._ended_changed)
        self.form.addRow("", self.ended)
        self.end = date_edit(info.ended_on if info and info.ended_on else today, _("Ended on"))
        self.form.addRow(_("Ended on"), self.end)
        self.reason = combo(
            TREATMENT_END_LABELS,
            _("Why it ended"),
            info.end_reason if info and info.end_reason else "completed",
        )
        self.form.addRow(_("Why it ended"), self.reason)
        self.sessions = QSpinBox()
        self.sessions.setRange(-1, 2000)
        self.sessions.setSpecialValueText(_("Not counted"))
        self.sessions.setValue(info.sessions if info and info.sessions is not None else -1)
        self.sessions.setAccessibleName(_("Number of sessions"))
        self.form.addRow(_("Sessions"), self.sessions)
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
