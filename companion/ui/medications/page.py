"""The Medications page: today's doses, the medicines with their schedules, doses, side effects
and stock, adherence with the numbers behind each figure, the treatment history as plain facts,
a timeline over the mood chart, other treatments, and reminder settings.

The figures and the history are computed off the GUI thread (``ui/tasks.py``) from one read of
the diary; everything else is a quick query. Wording follows clinical-reference §3: numbers
are reported, never judged; nothing here tells anyone to change, skip or stop a medicine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from companion.core import adherence as adh
from companion.core import reminders as core_reminders
from companion.core.errors import ValidationError
from companion.core.medication import (
    STOP_REASON_LABELS,
    MedicationInfo,
    MedicationService,
    ReminderPreferences,
    TreatmentInfo,
    long_date,
)
from companion.core.mood import DailyPoint, MoodService
from companion.core.treatment_history import (
    DURATION_SOURCE,
    Overview,
    TreatmentHistoryService,
)
from companion.core.unlocked import OpenDiary
from companion.storage.database import Database
from companion.ui import tasks
from companion.ui.medications.dialogs import (
    BackfillDialog,
    DoseDialog,
    FormDialog,
    LogDoseDialog,
    MedicationDialog,
    ScheduleDialog,
    SideEffectsDialog,
    StockDialog,
    StopDialog,
    TreatmentDialog,
)
from companion.ui.medications.doses import DoseList, more_button
from companion.ui.medications.events import announce_change, events
from companion.ui.medications.timeline import Timeline
from companion.ui.pages import AppContext, Page
from companion.ui.widgets.common import (
    BusyRow,
    Card,
    StatusLabel,
    icon,
    label,
    link_button,
    primary_button,
    title,
)

PERIODS: dict[str, tuple[str, int | None]] = {
    "30": ("Last 30 days", 30),
    "90": ("Last 90 days", 90),
    "365": ("Last 12 months", 365),
    "course": ("Each whole course", None),
}
UNDO_SECONDS = 30


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _pct(part: int, whole: int) -> str:
    return f"{part} of {whole} ({adh.format_share(part / whole if whole else None)})"


@dataclass(frozen=True)
class _Loaded:
    """What the worker read from its copy of the diary (the GUI thread then only draws)."""

    overview: Overview
    mood: list[DailyPoint]
    medicines: list[MedicationInfo]
    treatments: list[TreatmentInfo]


class UndoBar(QFrame):
    """What just happened, with Undo, for half a minute."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Notice")
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 8, 10, 8)
        self.text = label("")
        row.addWidget(self.text, 1)
        self.undo_button = QPushButton(icon("mdi6.undo"), "Undo")
        self.undo_button.setAccessibleName("Undo")
        self.undo_button.clicked.connect(self._undo)
        row.addWidget(self.undo_button)
        self._action: Callable[[], None] | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(UNDO_SECONDS * 1000)
        self.timer.timeout.connect(self.hide)
        self.hide()

    def offer(self, message: str, undo: Callable[[], None]) -> None:
        self.text.setText(message)
        self._action = undo
        self.show()
        self.timer.start()

    def _undo(self) -> None:
        action, self._action = self._action, None
        self.hide()
        if action is not None:
            action()


class MedicationRow(QFrame):
    """One medicine: what, how much, when, since when, stock, and what can be done with it."""

    def __init__(self, page: MedicationsPage, info: MedicationInfo) -> None:
        super().__init__()
        self.page = page
        self.info = info
        self.setObjectName("MedicationRow")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 10, 0, 10)
        outer.setSpacing(4)
        today = page.service.today()
        active = info.stopped_on is None
        head = label(
            f"<b>{_escape(info.name)}</b> &nbsp;<span>{_escape(info.label[len(info.name) :])}"
            f"</span> &nbsp;·&nbsp; {_escape(info.category_label)}"
        )
        head.setTextFormat(Qt.TextFormat.RichText)
        outer.addWidget(head)
        lines: list[str] = []
        if active:
            schedule = info.schedule_on(today) or info.latest_schedule
            dose = info.dose_on(today) or info.latest_dose
            if info.as_needed:
                lines.append(f"{dose.text} when needed")
            else:
                lines.append(f"{dose.text} · {schedule.text}")
            lines.append(f"Since {long_date(info.started_on)}")
            stock = page.service.stock(info.id) if info.stock_count is not None else None
            if stock is not None:
                text = f"{stock.on_hand:g} {stock.unit} left"
                if stock.runs_out_on is not None and stock.days_left is not None:
                    text += (
                        f", enough for about {stock.days_left} day"
                        f"{'s' if stock.days_left != 1 else ''} "
                        f"(until {long_date(stock.runs_out_on)})"
                    )
                lines.append(text)
        else:
            assert info.stopped_on is not None
            reason = STOP_REASON_LABELS.get(info.stop_reason or "", "").lower()
            lines.append(
                f"Taken from {long_date(info.started_on)} to {long_date(info.stopped_on)}"
                + (f" · stopped: {reason}" if reason else "")
            )
        if info.side_effects:
            open_effects = sum(1 for e in info.side_effects if e.resolved_on is None)
            count = len(info.side_effects)
            lines.append(
                f"{count} side-effect note{'s' if count != 1 else ''}"
                + (f", {open_effects} not eased yet" if open_effects and active else "")
            )
        details = label("<br>".join(_escape(line) for line in lines), name="Muted")
        details.setTextFormat(Qt.TextFormat.RichText)
        outer.addWidget(details)

        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        name = info.name
        if active and info.as_needed:
            buttons.addWidget(
                self._button("Log a dose", f"Log a dose of {name}", self.log_dose, "mdi6.plus")
            )
        if active:
            buttons.addWidget(
                self._button("Change dose", f"Change the dose of {name}", self.change_dose)
            )
            buttons.addWidget(
                self._button("Change times", f"Change when you take {name}", self.change_schedule)
            )
        buttons.addWidget(
            self._button("Side effects", f"Side effects of {name}", self.side_effects)
        )
        more = more_button("More")
        more.setIcon(icon("mdi6.dots-horizontal"))
        more.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        more.setAccessibleName(f"More for {name}")
        menu = QMenu(more)
        menu.addAction("Edit details…", self.edit)
        if active:
            menu.addAction("Stock on hand…", self.stock)
            if not info.as_needed:
                menu.addAction("Log an extra dose…", self.log_dose)
            menu.addAction("Stopped taking it…", self.stop)
        else:
            menu.addAction("It was not stopped (undo the stop)", self.resume)
        menu.addSeparator()
        menu.addAction("Delete this medicine and its log…", self.delete)
        more.setMenu(menu)
        self.more = more
        buttons.addWidget(more)
        buttons.addStretch(1)
        outer.addLayout(buttons)

    def _button(
        self, text: str, name: str, slot: Callable[[], None], icon_name: str | None = None
    ) -> QPushButton:
        button = QPushButton(icon(icon_name), text) if icon_name else QPushButton(text)
        button.setAccessibleName(name)
        button.clicked.connect(slot)
        return button

    def _dialog(self, dialog: QDialog) -> None:
        # Dialogs belong to the page, not to this row: a refresh while one is open (a dose
        # logged from a reminder) replaces the rows, and must not take the dialog with it.
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        if accepted:
            self.page.changed()

    def edit(self) -> None:
        self._dialog(MedicationDialog(self.page.service, self.info, self.page))

    def change_dose(self) -> None:
        self._dialog(DoseDialog(self.page.service, self.info, self.page))

    def change_schedule(self) -> None:
        self._dialog(ScheduleDialog(self.page.service, self.info, self.page))

    def stop(self) -> None:
        self._dialog(StopDialog(self.page.service, self.info, self.page))

    def stock(self) -> None:
        self._dialog(StockDialog(self.page.service, self.info, self.page))

    def log_dose(self) -> None:
        self._dialog(LogDoseDialog(self.page.service, self.info, self.page))

    def side_effects(self) -> None:
        dialog = SideEffectsDialog(self.page.service, self.page.diary.db, self.info, self.page)
        dialog.exec()
        dialog.deleteLater()
        self.page.changed()

    def resume(self) -> None:
        self.page.service.resume(self.info.id)
        self.page.changed()

    def delete(self) -> None:
        page = self.page
        snapshot = page.service.delete(self.info.id)
        page.changed()

        def undo() -> None:
            page.service.restore(snapshot)
            page.changed()

        page.undo_bar.offer(f"{self.info.name} and its log were deleted.", undo)


class AdherenceView(QWidget):
    """Per medicine, the figures with the counts behind them, for a chosen period."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSpacing(14)
        self.blocks: list[QWidget] = []

    def show_overview(self, overview: Overview, period: str) -> None:
        for block in self.blocks:
            self.box.removeWidget(block)
            block.deleteLater()
        self.blocks = []
        today = overview.now.date()
        days = PERIODS[period][1]
        for record in sorted(overview.records, key=lambda r: (r.stopped_on is not None, r.name)):
            end = min(record.stopped_on or today, today)
            start = record.started_on if days is None else today - timedelta(days=days - 1)
            if end < start or record.started_on > today:
                continue
            figures = overview.adherence(record.id, max(start, record.started_on), end)
            if figures is None or (not figures.has_data and not figures.not_logged):
                continue
            block = self._block(record.name, figures, start if days else record.started_on, end)
            self.blocks.append(block)
            self.box.addWidget(block)
        if not self.blocks:
            empty = label("Nothing to count in this period yet.", name="Muted")
            self.blocks.append(empty)
            self.box.addWidget(empty)

    def _block(self, name: str, a: adh.Adherence, start: date, end: date) -> QWidget:
        block = QWidget()
        block.setAccessibleName(f"Adherence for {name}")
        layout = QVBoxLayout(block)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        head = label(f"<b>{_escape(name)}</b>")
        head.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(head)
        if a.expected == 0:
            layout.addWidget(
                label(
                    f"Taken as needed: {a.as_needed} dose{'s' if a.as_needed != 1 else ''} "
                    "logged in this period. As-needed medicines are not counted as adherence.",
                    name="Muted",
                )
            )
            return block
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(2)
        windows = sorted(a.windows)
        window = " or ".join(_window_text(w) for w in windows) or "the usual window"
        rows = [
            ("Doses logged as taken", _pct(a.taken, a.expected)),
            ("Days with every dose taken", _pct(a.covered_days, a.dose_days)),
            # the reference's timing adherence (clinical-reference §3.4): on time ÷ expected,
            # then the share among doses logged with a time, labelled as such
            (f"On time (within {window})", f"{_pct(a.on_time, a.expected)} expected doses"),
            (
                "On time, of those with a time",
                f"{_pct(a.on_time, a.timed)} doses logged with a time"
                if a.timed
                else "no doses logged with a time",
            ),
            (
                "Not logged",
                f"{a.not_logged} dose{'s' if a.not_logged != 1 else ''} (not known whether taken)",
            ),
        ]
        if a.skipped:
            rows.append(("Skipped", f"{a.skipped} dose{'s' if a.skipped != 1 else ''}"))
        if a.skipped_advised:
            rows.append(("Skipped on advice (not counted)", str(a.skipped_advised)))
        rows.append(
            (
                "Longest stretch without a dose logged as taken",
                f"{a.longest_gap_days} day{'s' if a.longest_gap_days != 1 else ''}"
                if a.longest_gap
                else "none",
            )
        )
        if a.extra:
            rows.append(("Extra doses outside the schedule", str(a.extra)))
        if a.different_dose:
            rows.append(("Taken at a different amount", str(a.different_dose)))
        if a.late_logged:
            rows.append(("Entered more than a day later", str(a.late_logged)))
        for index, (what, value) in enumerate(rows):
            left = label(what, name="Muted", wrap=False)
            right = label(value)
            right.setAccessibleName(f"{what}: {value}")
            grid.addWidget(left, index, 0)
            grid.addWidget(right, index, 1)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        layout.addWidget(
            label(
                f"{long_date(start)} to {long_date(end)} · {a.dose_days} days with doses",
                name="Muted",
            )
        )
        return block


def _window_text(minutes: int) -> str:
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"±{hours} hour{'s' if hours != 1 else ''}"
    return f"±{minutes} minutes"


class HistoryView(QWidget):
    """Each trial and treatment course as a short list of plain facts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSpacing(14)
        self.blocks: list[QWidget] = []

    def show_overview(self, overview: Overview) -> None:
        for block in self.blocks:
            self.box.removeWidget(block)
            block.deleteLater()
        self.blocks = []
        history = overview.history
        for trial in history.trials:
            when = (
                f"since {long_date(trial.started_on)}"
                if trial.ongoing
                else f"{long_date(trial.started_on)} to {long_date(trial.end)}"
            )
            self._add(f"{trial.name} · {trial.category_label}", when, trial.facts[1:])
        for course in history.courses:
            t = course.treatment
            heading = t.title + (f" · {t.label}" if t.label else "")
            when = (
                f"since {long_date(t.started_on)}"
                if course.ongoing
                else f"{long_date(t.started_on)} to {long_date(course.end)}"
            )
            self._add(heading, when, course.facts[1:])
        if not self.blocks:
            empty = label(
                "Antidepressant and augmentation courses, and treatments such as therapy, "
                "appear here once they are added.",
                name="Muted",
            )
            self.blocks.append(empty)
            self.box.addWidget(empty)

    def _add(self, heading: str, when: str, facts: tuple[str, ...]) -> None:
        block = QWidget()
        layout = QVBoxLayout(block)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        head = label(f"<b>{_escape(heading)}</b> &nbsp;<span>{_escape(when)}</span>")
        head.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(head)
        items = "".join(f"<li>{_escape(f)}</li>" for f in facts)
        body = label(f"<ul style='margin-left:-20px'>{items}</ul>")
        body.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(body)
        block.setAccessibleName(f"{heading}, {when}")
        self.blocks.append(block)
        self.box.addWidget(block)


class MedicationsPage(Page):
    page_id = "medications"
    title = "Medications"
    icon_name = "mdi6.pill"
    order = 30

    def __init__(self, diary: OpenDiary, context: AppContext, parent: QWidget | None = None):
        super().__init__(diary, context, parent)
        self.service = MedicationService(diary.db)
        self.overview: Overview | None = None
        self._loading = False
        self._again = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.setSpacing(18)
        head = QHBoxLayout()
        head.addWidget(title("Medications"), 1)
        self.add_button = primary_button("Add a medicine", "mdi6.plus")
        self.add_button.clicked.connect(self.add_medicine)
        head.addWidget(self.add_button)
        layout.addLayout(head)
        layout.addWidget(
            label(
                "A record of what you take and how it goes, to share with your prescriber if you "
                "wish. Companion reports what you logged; your clinician interprets it.",
                name="Muted",
            )
        )
        self.undo_bar = UndoBar()
        layout.addWidget(self.undo_bar)

        # today
        self.today_card = Card("Today's doses")
        self.doses = DoseList(
            self.service,
            diary.db,
            empty_text="No doses are scheduled for today.",
        )
        self.today_card.body.addWidget(self.doses)
        backfill = link_button("Fill in an earlier day")
        backfill.clicked.connect(self.backfill)
        self.today_card.body.addWidget(backfill, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.today_card)

        # medicines
        self.list_card = Card("Your medicines")
        self.current_box = QVBoxLayout()
        self.current_box.setSpacing(0)
        self.list_card.body.addLayout(self.current_box)
        self.no_medicines = label(
            "No medicines yet. Add one with its schedule to see today's doses here and on "
            "the Today page.",
            name="Muted",
        )
        self.list_card.body.addWidget(self.no_medicines)
        self.past_toggle = link_button("")
        self.past_toggle.clicked.connect(self._toggle_past)
        self.list_card.body.addWidget(self.past_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        self.past_box_widget = QWidget()
        self.past_box = QVBoxLayout(self.past_box_widget)
        self.past_box.setContentsMargins(0, 0, 0, 0)
        self.past_box.setSpacing(0)
        self.past_box_widget.hide()
        self.list_card.body.addWidget(self.past_box_widget)
        layout.addWidget(self.list_card)
        self.rows: list[MedicationRow] = []

        # adherence
        self.adherence_card = Card("How regularly")
        period_row = QHBoxLayout()
        self.period = QComboBox()
        for key, (text, _days) in PERIODS.items():
            self.period.addItem(text, key)
        self.period.setAccessibleName("Period for the figures")
        self.period.currentIndexChanged.connect(self._show_adherence)
        period_row.addWidget(label("Period"))
        period_row.addWidget(self.period)
        period_row.addStretch(1)
        self.adherence_card.body.addLayout(period_row)
        self.busy = BusyRow()
        self.adherence_card.body.addWidget(self.busy)
        self.adherence_view = AdherenceView()
        self.adherence_card.body.addWidget(self.adherence_view)
        self.adherence_card.body.addWidget(
            label(
                "Self-reported: these figures come from what you logged. Doses skipped on your "
                "prescriber's advice are left out, and medicines taken only when needed are not "
                "counted.",
                name="Muted",
            )
        )
        self.load_error = StatusLabel("Error", "Problem")
        self.adherence_card.body.addWidget(self.load_error)
        layout.addWidget(self.adherence_card)

        # timeline
        self.timeline_card = Card("Timeline")
        self.timeline_card.body.addWidget(
            label(
                "Medicines and treatments drawn over your mood. Shaded bands are courses; "
                "lines mark dose changes.",
                name="Muted",
            )
        )
        self.timeline: Timeline | None = None
        self.mood_daily: list[DailyPoint] = []
        layout.addWidget(self.timeline_card)

        # history
        self.history_card = Card("Treatment history")
        self.history_card.body.addWidget(
            label(
                "Each course as facts your clinician can read quickly: dates, doses and weeks at "
                "each, doses logged, mood around it, and why it ended. Companion does not judge "
                "whether a treatment was adequate; that is for your clinician.",
                name="Muted",
            )
        )
        self.history_view = HistoryView()
        self.history_card.body.addWidget(self.history_view)
        self.history_card.body.addWidget(label(DURATION_SOURCE, name="Muted"))
        layout.addWidget(self.history_card)

        # other treatments
        self.treatments_card = Card("Other treatments")
        self.treatments_card.body.addWidget(
            label(
                "Talking therapies and brain-stimulation treatments (ECT, rTMS, VNS), and "
                "ketamine or esketamine given at a clinic.",
                name="Muted",
            )
        )
        self.treatments_box = QVBoxLayout()
        self.treatments_card.body.addLayout(self.treatments_box)
        add_treatment = QPushButton(icon("mdi6.plus"), "Add a treatment")
        add_treatment.setAccessibleName("Add a treatment")
        add_treatment.clicked.connect(self.add_treatment)
        self.treatments_card.body.addWidget(add_treatment, 0, Qt.AlignmentFlag.AlignLeft)
        self.treatment_rows: list[QWidget] = []
        layout.addWidget(self.treatments_card)

        # reminders
        self.reminders_card = RemindersCard(self)
        layout.addWidget(self.reminders_card)
        layout.addStretch(1)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)
        self._refresh_timer.timeout.connect(self.refresh)
        events(diary.db).changed.connect(self._refresh_timer.start)
        self.refresh()

    # -- loading -----------------------------------------------------------------------------

    def refresh(self) -> None:
        self.doses.refresh()
        self._fill_medicines()
        self._fill_treatments()
        self.reminders_card.load()
        self._load_overview()

    def changed(self) -> None:
        """Something changed here: every medication view of this diary refreshes."""
        announce_change(self.diary.db)

    def _load_overview(self) -> None:
        if self._loading:
            self._again = True
            return
        self._loading = True
        self.busy.start("Working out the figures…")
        # The diary's connection belongs to the GUI thread, so the worker reads a private
        # in-memory copy (a memory copy of a few megabytes even for ten years).
        image = self.diary.db.serialize()

        def work() -> _Loaded:
            copy = Database(image=image, saver=None)
            try:
                service = MedicationService(copy)
                return _Loaded(
                    TreatmentHistoryService(service, copy).overview(),
                    MoodService(copy).daily_aggregates("mood"),
                    service.medications(),
                    service.treatments(),
                )
            finally:
                copy.close()

        tasks.run_task(work, self._overview_ready, self._overview_failed)

    def _overview_ready(self, result: object) -> None:
        if not shiboken6.isValid(self):  # the window went away (a lock) while it worked
            return
        self._loading = False
        self.busy.stop()
        if self._again:
            self._again = False
            self._load_overview()
            return
        assert isinstance(result, _Loaded)
        self.overview = result.overview
        self.mood_daily = result.mood
        self.load_error.setText("")
        self._show_adherence()
        self.history_view.show_overview(result.overview)
        self._draw_timeline(result)

    def _overview_failed(self, _error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._loading = False
        self.busy.stop()
        self.load_error.setText(
            "The figures could not be worked out just now; your log is safe. Try again by "
            "opening this page later."
        )

    def _show_adherence(self) -> None:
        if self.overview is not None:
            self.adherence_view.show_overview(self.overview, self.period.currentData())

    # -- medicines ---------------------------------------------------------------------------

    def _fill_medicines(self) -> None:
        for row in self.rows:
            row.hide()
            row.setParent(None)
            row.deleteLater()
        self.rows = []
        medicines = self.service.medications()
        current = [m for m in medicines if m.stopped_on is None]
        past = [m for m in medicines if m.stopped_on is not None]
        for info in current:
            row = MedicationRow(self, info)
            self.rows.append(row)
            self.current_box.addWidget(row)
        for info in past:
            row = MedicationRow(self, info)
            self.rows.append(row)
            self.past_box.addWidget(row)
        self.no_medicines.setVisible(not current)
        self.past_toggle.setVisible(bool(past))
        self._past_count = len(past)
        self._update_past_toggle()

    def _update_past_toggle(self) -> None:
        shown = self.past_box_widget.isVisibleTo(self)
        verb = "Hide" if shown else "Show"
        self.past_toggle.setText(f"{verb} past medicines ({self._past_count})")
        self.past_toggle.setAccessibleName(self.past_toggle.text())

    def _toggle_past(self) -> None:
        self.past_box_widget.setVisible(not self.past_box_widget.isVisibleTo(self))
        self._update_past_toggle()

    def row_for(self, name: str) -> MedicationRow:
        for row in self.rows:
            if row.info.name == name:
                return row
        raise KeyError(name)

    def _run_dialog(self, dialog: QDialog) -> None:
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        if accepted:
            self.changed()

    def add_medicine(self) -> None:
        self._run_dialog(MedicationDialog(self.service, None, self))

    def backfill(self) -> None:
        dialog = BackfillDialog(self.service, self.diary.db, self)
        dialog.exec()
        dialog.deleteLater()
        self.changed()

    # -- treatments --------------------------------------------------------------------------

    def _fill_treatments(self) -> None:
        for row in self.treatment_rows:
            self.treatments_box.removeWidget(row)
            row.deleteLater()
        self.treatment_rows = []
        for info in self.service.treatments():
            self.treatment_rows.append(self._treatment_row(info))
            self.treatments_box.addWidget(self.treatment_rows[-1])

    def _treatment_row(self, info: TreatmentInfo) -> QWidget:
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 2, 0, 2)
        when = (
            f"since {long_date(info.started_on)}"
            if info.ended_on is None
            else f"{long_date(info.started_on)} to {long_date(info.ended_on)}"
        )
        text = label(f"<b>{_escape(info.title)}</b> &nbsp;<span>{when}</span>")
        text.setTextFormat(Qt.TextFormat.RichText)
        line.addWidget(text, 1)
        edit = QPushButton("Edit")
        edit.setAccessibleName(f"Edit {info.short_title}")
        edit.clicked.connect(lambda: self.edit_treatment(info))
        line.addWidget(edit)
        remove = QPushButton(icon("mdi6.delete-outline"), "")
        remove.setToolTip("Delete")
        remove.setAccessibleName(f"Delete {info.short_title}")
        remove.clicked.connect(lambda: self.delete_treatment(info))
        line.addWidget(remove)
        return row

    def add_treatment(self) -> None:
        self._run_dialog(TreatmentDialog(self.service, None, self))

    def edit_treatment(self, info: TreatmentInfo) -> None:
        self._run_dialog(TreatmentDialog(self.service, info, self))

    def delete_treatment(self, info: TreatmentInfo) -> None:
        snapshot = self.service.delete_treatment(info.id)
        self.changed()

        def undo() -> None:
            self.service.restore_treatment(snapshot)
            self.changed()

        self.undo_bar.offer(f"{info.short_title} was deleted.", undo)

    # -- timeline ----------------------------------------------------------------------------

    def _draw_timeline(self, loaded: _Loaded) -> None:
        if self.timeline is None:
            self.timeline = Timeline()
            self.timeline_card.body.addWidget(self.timeline)
        self.timeline.show_overview(
            loaded.overview, loaded.mood, loaded.medicines, loaded.treatments
        )


class RemindersCard(Card):
    """Reminder settings and the on-time windows (stored in the diary)."""

    def __init__(self, page: MedicationsPage) -> None:
        super().__init__("Reminders")
        self.page = page
        self.body.addWidget(
            label(
                "While Companion is open, a quiet banner (and a system notification where "
                "there is one) when a dose is due. By default they say only “A scheduled dose "
                "is due”, so nobody reading over your shoulder learns what you take.",
                name="Muted",
            )
        )
        self.enabled = QCheckBox("Remind me while Companion is open")
        self.show_names = QCheckBox("Show medicine names in reminders")
        self.only_if_not_logged = QCheckBox("Only for doses not logged yet")
        for box in (self.enabled, self.show_names, self.only_if_not_logged):
            box.setAccessibleName(box.text())
            box.toggled.connect(self.save)
            self.body.addWidget(box)
        grid = QGridLayout()
        self.snooze = self._spin(1, 240, " minutes", "Snooze for")
        self.window_once = self._spin(5, 720, " minutes", "On time for once-a-day doses: within")
        self.window_multi = self._spin(
            5, 720, " minutes", "On time for more frequent doses: within"
        )
        for index, (text, spin) in enumerate(
            (
                ("Snooze for", self.snooze),
                ("On time, once a day: within ±", self.window_once),
                ("On time, more than once a day: within ±", self.window_multi),
            )
        ):
            grid.addWidget(label(text, wrap=False), index, 0)
            grid.addWidget(spin, index, 1)
        grid.setColumnStretch(2, 1)
        self.body.addLayout(grid)
        checkin_row = QHBoxLayout()
        checkin_row.addWidget(label("Check-in reminders at", wrap=False))
        self.checkins = QLineEdit()
        self.checkins.setMaximumWidth(320)
        self.checkins.setPlaceholderText("e.g. 09:00, 21:00 (empty: none)")
        self.checkins.setAccessibleName("Check-in reminder times")
        self.checkins.editingFinished.connect(self.save_checkins)
        checkin_row.addWidget(self.checkins, 1)
        checkin_row.addStretch(1)
        self.body.addLayout(checkin_row)
        self.body.addWidget(
            label(
                "The usual windows are ±2 hours for once a day and ±1 hour for more often, "
                "as in hospital medication standards.",
                name="Muted",
            )
        )
        self.status = StatusLabel("Muted", "Reminder settings")
        self.body.addWidget(self.status)
        self._loading = False

    def _spin(self, low: int, high: int, suffix: str, name: str) -> QSpinBox:
        box = QSpinBox()
        box.setRange(low, high)
        box.setSuffix(suffix)
        box.setAccessibleName(name)
        box.valueChanged.connect(self.save)
        return box

    def load(self) -> None:
        self._loading = True
        prefs = self.page.service.preferences()
        self.enabled.setChecked(prefs.enabled)
        self.show_names.setChecked(prefs.show_names)
        self.only_if_not_logged.setChecked(prefs.only_if_not_logged)
        self.snooze.setValue(prefs.snooze_minutes)
        self.window_once.setValue(prefs.window_once)
        self.window_multi.setValue(prefs.window_multi)
        self.checkins.setText(", ".join(core_reminders.checkin_times(self.page.diary.db)))
        self._loading = False

    def save(self) -> None:
        if self._loading:
            return
        before = self.page.service.preferences()
        try:
            self.page.service.set_preferences(
                ReminderPreferences(
                    enabled=self.enabled.isChecked(),
                    show_names=self.show_names.isChecked(),
                    only_if_not_logged=self.only_if_not_logged.isChecked(),
                    snooze_minutes=self.snooze.value(),
                    window_once=self.window_once.value(),
                    window_multi=self.window_multi.value(),
                )
            )
        except ValidationError as exc:
            self.status.setText(str(exc))
            return
        self.status.setText("Saved.")
        if (before.window_once, before.window_multi) != (
            self.window_once.value(),
            self.window_multi.value(),
        ):
            self.page.changed()

    def save_checkins(self) -> None:
        text = self.checkins.text().replace(";", ",")
        times = [t for t in (part.strip() for part in text.split(",")) if t]
        try:
            saved = core_reminders.set_checkin_times(self.page.diary.db, times)
        except ValidationError as exc:
            self.status.setText(str(exc))
            return
        self.checkins.setText(", ".join(saved))
        self.status.setText("Saved.")


__all__ = ["FormDialog", "MedicationsPage"]
