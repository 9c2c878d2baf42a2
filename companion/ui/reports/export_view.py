"""The Reports page's first tab: choose the period, the sections and the format, see the
summary as it will look, and save it.

Everything slow runs on a worker over a read snapshot of the diary (``OpenDiary.
read_snapshot``) through ``companion.ui.tasks``: the preview is rebuilt a moment after a
choice changes, and saving renders, protects and writes the file there too, with progress and
a Cancel button. The preview pages are the PDF's own pages, painted onto images
(``SummaryDocument.page_image``), so what the person sees is what their clinician gets.
Saving never replaces a file silently: the file dialog asks first, and the file is written
through the private-write helper (0600, never half-written). Every export is then added to
"What was shared".
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QBuffer, QDate, QIODevice, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from companion import features, i18n
from companion.core.errors import ValidationError
from companion.core.reports.model import Period
from companion.core.reports.service import ReportsService
from companion.core.timekeeping import local_now
from companion.i18n import N_, _, format_date, ngettext
from companion.reports.export import (
    SUFFIXES,
    ExportCancelled,
    ExportRequest,
    Format,
    build_summary,
    render,
    write_export,
)
from companion.ui import tasks
from companion.ui.pages import AppContext, in_locked_page
from companion.ui.timers import Steps, after_paint, in_steps, settle_layouts
from companion.ui.widgets.common import (
    Card,
    StatusLabel,
    icon,
    label,
    primary_button,
    scroll_area,
    tab_order_as_laid_out,
)

if TYPE_CHECKING:
    from companion.core.session import OpenDiary

#: (id, words, days) of the period choices; days None: since the first entry; 0: chosen dates
PERIODS: tuple[tuple[str, str, int | None], ...] = (
    ("4w", N_("The last 4 weeks"), 28),
    ("3m", N_("The last 3 months"), 90),
    ("6m", N_("The last 6 months"), 182),
    ("1y", N_("The last year"), 365),
    ("all", N_("Since your first entry"), None),
    ("custom", N_("Dates you choose"), 0),
)
FORMAT_WORDS: dict[str, tuple[str, str]] = {
    "pdf": (N_("PDF summary"), N_("A few pages a clinician can read in two minutes.")),
    "csv": (N_("Spreadsheet tables (CSV)"), N_("A zip of tables with a data dictionary.")),
    "fhir": (N_("FHIR (health records)"), N_("For systems that read FHIR R4; no name in it.")),
    "json": (N_("The whole diary (JSON)"), N_("Everything, to keep or to move to another copy.")),
}
PREVIEW_WIDTH = 760
PREVIEW_PAGES = 12
#: how long to wait after a change before the preview is made again
PREVIEW_DELAY_MS = 450


class _Relay(QObject):
    """Carries progress from the worker to the GUI thread (a queued signal)."""

    progressed = Signal(int, int, str)


@dataclass
class Preview:
    """What the preview shows: page images (PDF), or lines saying what the file holds.

    The pages are kept as PNG (a mostly white page is ~100 KB that way, 3.3 MB as an image:
    twelve of them held 40 MB for as long as the page was open); the one shown is decoded
    when it is shown."""

    pages: int = 0
    encoded: list[bytes] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    #: the first page as the worker drew it, until it is first shown: decoding it from PNG
    #: on the GUI thread took 4-5 ms of the turn that shows the preview (12-14 ms at ten years)
    first: QImage | None = None

    @property
    def shown(self) -> int:
        """How many of the pages the preview holds."""
        return len(self.encoded)

    def image(self, index: int) -> QImage:
        if index == 0 and self.first is not None:
            first, self.first = self.first, None  # (shown again, it is decoded like the rest)
            return first
        return QImage.fromData(self.encoded[index])  # the format is read from the data

    @property
    def images(self) -> list[QImage]:
        return [self.image(i) for i in range(self.shown)]


def _png(image: QImage) -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # PySide6 takes the format as a string here (its stubs say bytes, which it refuses)
    image.save(buffer, "PNG")  # type: ignore[call-overload]
    return bytes(buffer.data().data())


@dataclass(frozen=True)
class Saved:
    path: Path
    request: ExportRequest
    pages: int | None


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _cancel_check(event: threading.Event) -> Callable[[], None]:
    def check() -> None:
        if event.is_set():
            raise ExportCancelled

    return check


class ExportView(QWidget):
    """The summary and export tab."""

    #: emitted after a file was written and recorded (the What was shared tab listens)
    exported = Signal()

    def __init__(self, diary: OpenDiary, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.diary = diary
        self.context = context
        self.reports = diary.service(ReportsService)
        self.registry = features.load()
        self._cancel: threading.Event | None = None
        self._busy = False
        self._preview_wanted = False
        self._preview_running = False
        self.preview_result: Preview | None = None
        self.saved: Saved | None = None
        self._page_index = 0
        self._ready = False  # choices made while the form is built do not count
        self._asked = False  # a preview was asked for before the form was made
        self._relay = _Relay(self)
        self._relay.progressed.connect(self._progressed)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.update_preview)

        row = QHBoxLayout(self)
        row.setContentsMargins(0, 12, 0, 0)
        row.setSpacing(16)
        form_area = scroll_area()
        form_area.setAccessibleName(_("Export choices"))
        form_area.setWidgetResizable(True)
        form_area.setMinimumWidth(330)
        form_area.setMaximumWidth(470)
        form = QWidget()
        column = QVBoxLayout(form)
        column.setContentsMargins(0, 0, 8, 0)
        column.setSpacing(12)
        column.addStretch(1)
        form_area.setWidget(form)
        row.addWidget(form_area, 4)
        row.addWidget(self._preview_card(), 5)  # (now: the form's width does not change)

        def add(make: Callable[[], QWidget]) -> Callable[[], None]:
            def run() -> None:
                if not in_locked_page(self):
                    card = make()
                    column.insertWidget(column.count() - 1, card)  # above the stretch
                    card.show()  # now, not in a later turn (a finished form is all there)

            return run

        # the form's cards a turn each, top-down, then the preview (see ``finish_now``)
        self._steps: Steps | None = in_steps(
            self,
            [add(self._period_card), add(self._sections_card), add(self._format_card)],
            budget_ms=0,  # (a card a turn: with 8 ms of them, all three were one 11-17 ms turn)
            done=self._form_made,
        )

    def _form_made(self) -> None:
        self._steps = None
        if in_locked_page(self):
            return
        self._ready = True
        self._choice_changed()
        tab_order_as_laid_out(self)  # the form's cards were made after the preview's buttons
        settle_layouts(self)
        if self._asked:
            self.update_preview()  # asked for while the form was made: now, not after a delay

    @property
    def building(self) -> bool:
        return self._steps is not None

    def finish_now(self) -> None:
        """Make the rest of the form at once (someone needs all of it now)."""
        if self._steps is not None:
            self._steps.finish_now()

    # -- the form ----------------------------------------------------------------------------

    def _period_card(self) -> Card:
        card = Card(_("Period"))
        self.period = QComboBox()
        self.period.setAccessibleName(_("Period to include"))
        for key, words, _days in PERIODS:
            self.period.addItem(i18n._(words), key)
        self.period.setCurrentIndex(1)
        card.body.addWidget(self.period)
        self.dates = QWidget()
        dates = QHBoxLayout(self.dates)
        dates.setContentsMargins(0, 0, 0, 0)
        today = local_now().date()
        self.start = QDateEdit(_qdate(today - timedelta(days=89)))
        self.end = QDateEdit(_qdate(today))
        for edit, name in ((self.start, _("First day")), (self.end, _("Last day"))):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            edit.setAccessibleName(name)
            edit.setMaximumDate(_qdate(today))
            edit.dateChanged.connect(self._choice_changed)
        dates.addWidget(label(_("From"), wrap=False))
        dates.addWidget(self.start, 1)
        dates.addWidget(label(_("to"), wrap=False))
        dates.addWidget(self.end, 1)
        card.body.addWidget(self.dates)
        self.period_words = label("", name="Muted")
        card.body.addWidget(self.period_words)
        self.period.currentIndexChanged.connect(self._choice_changed)
        return card

    def _sections_card(self) -> Card:
        card = Card(_("What to include"))
        self.section_boxes: dict[str, QCheckBox] = {}
        for section in self.registry.export_sections():
            box = QCheckBox(i18n._(section.title))
            box.setChecked(section.default)
            box.setAccessibleName(i18n._(section.title))
            if section.about:
                box.setAccessibleDescription(i18n._(section.about))
                box.setToolTip(i18n._(section.about))
            box.toggled.connect(self._choice_changed)
            self.section_boxes[section.id] = box
            card.body.addWidget(box)
            if section.about and not section.default:
                hint = label(i18n._(section.about), name="Muted")
                hint.setContentsMargins(26, 0, 0, 0)
                card.body.addWidget(hint)
        self.json_note = label(
            _("The whole diary goes into a JSON file; your notes only if Diary notes is ticked."),
            name="Muted",
        )
        card.body.addWidget(self.json_note)
        return card

    def _format_card(self) -> Card:
        card = Card(_("Format"))
        self.formats = QButtonGroup(self)
        self.format_buttons: dict[str, QRadioButton] = {}
        for key, (name, about) in FORMAT_WORDS.items():
            button = QRadioButton(i18n._(name))
            button.setAccessibleName(i18n._(name))
            button.setAccessibleDescription(i18n._(about))
            button.setToolTip(i18n._(about))
            self.formats.addButton(button)
            self.format_buttons[key] = button
            card.body.addWidget(button)
            card.body.addWidget(self._indented(label(i18n._(about), name="Muted")))
            button.toggled.connect(self._choice_changed)
        self.format_buttons["pdf"].setChecked(True)

        self.pdf_options = QWidget()
        options = QFormLayout(self.pdf_options)
        options.setContentsMargins(0, 6, 0, 0)
        self.paper = QComboBox()
        self.paper.addItem(_("A4"), "a4")
        self.paper.addItem(_("US Letter"), "letter")
        self.paper.setAccessibleName(_("Paper size"))
        self.paper.currentIndexChanged.connect(self._choice_changed)
        options.addRow(_("Paper"), self.paper)
        self.subject = QLineEdit()
        self.subject.setMaxLength(80)
        self.subject.setPlaceholderText(_("Optional: your name or initials"))
        self.subject.setAccessibleName(_("Name on it: the name printed on the summary"))
        self.subject.textChanged.connect(self._choice_changed)
        options.addRow(_("Name on it"), self.subject)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMaxLength(127)
        self.password.setPlaceholderText(_("Optional: a password you tell your clinician"))
        self.password.setAccessibleName(_("Password for the PDF"))
        self.password.setToolTip(
            _("The PDF then opens only with this password (AES-256). At least 8 characters.")
        )
        options.addRow(_("Password"), self.password)
        card.body.addWidget(self.pdf_options)

        self.shared_with = QLineEdit()
        self.shared_with.setMaxLength(80)
        self.shared_with.setPlaceholderText(_("Optional, kept only in your diary"))
        self.shared_with.setAccessibleName(_("Who it is for"))
        who = QFormLayout()
        who.setContentsMargins(0, 0, 0, 0)
        who.addRow(_("For"), self.shared_with)
        card.body.addLayout(who)

        self.save_button = primary_button(_("Save…"), "mdi6.content-save-outline")
        self.save_button.setAccessibleName(_("Save the export to a file"))
        self.save_button.clicked.connect(self.choose_file)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        card.body.addLayout(buttons)

        self.progress_row = QWidget()
        progress = QHBoxLayout(self.progress_row)
        progress.setContentsMargins(0, 0, 0, 0)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName(_("Export progress"))
        self.progress_words = label("", name="Muted")
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.setAccessibleName(_("Cancel the export"))
        self.cancel_button.clicked.connect(self.cancel)
        progress.addWidget(self.progress, 1)
        progress.addWidget(self.cancel_button)
        card.body.addWidget(self.progress_row)
        card.body.addWidget(self.progress_words)
        self.progress_row.hide()
        self.status = StatusLabel(accessible_name=_("Export status"))
        card.body.addWidget(self.status)
        return card

    @staticmethod
    def _indented(widget: QWidget) -> QWidget:
        widget.setContentsMargins(26, 0, 0, 4)
        return widget

    def _preview_card(self) -> QWidget:
        card = Card(_("Preview"))
        card.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.preview_area = scroll_area()
        self.preview_area.setAccessibleName(_("Preview"))
        self.preview_area.setWidgetResizable(True)
        self.preview_area.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.preview_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.page_image = QLabel()
        self.page_image.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.page_image.setAccessibleName(_("Preview of the page"))
        self.page_image.setWordWrap(True)
        self.page_image.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview_area.setWidget(self.page_image)
        card.body.addWidget(self.preview_area, 1)
        nav = QHBoxLayout()
        self.previous_page = QPushButton(icon("mdi6.chevron-left"), "")
        self.previous_page.setAccessibleName(_("Previous page"))
        self.previous_page.setToolTip(_("Previous page"))
        self.previous_page.clicked.connect(lambda: self.show_page(self._page_index - 1))
        self.next_page = QPushButton(icon("mdi6.chevron-right"), "")
        self.next_page.setAccessibleName(_("Next page"))
        self.next_page.setToolTip(_("Next page"))
        self.next_page.clicked.connect(lambda: self.show_page(self._page_index + 1))
        self.page_words = label("", name="Muted", wrap=False)
        nav.addWidget(self.previous_page)
        nav.addWidget(self.page_words, 1, Qt.AlignmentFlag.AlignHCenter)
        nav.addWidget(self.next_page)
        card.body.addLayout(nav)
        return card

    # -- what the person chose ---------------------------------------------------------------

    def chosen_format(self) -> Format:
        for key, button in self.format_buttons.items():
            if button.isChecked():
                return key  # type: ignore[return-value]
        return "pdf"

    def chosen_sections(self) -> tuple[str, ...]:
        return tuple(key for key, box in self.section_boxes.items() if box.isChecked())

    def chosen_period(self) -> Period | None:
        """The local days chosen (None: the whole diary, for JSON)."""
        key = self.period.currentData()
        today = local_now().date()
        days = next(d for k, _w, d in PERIODS if k == key)
        if days == 0:
            start, end = self.start.date().toPython(), self.end.date().toPython()
            assert isinstance(start, date) and isinstance(end, date)
            return Period(min(start, end), max(start, end))
        if days is None:
            if self.chosen_format() == "json":
                return None
            first = self.reports.first_day() or today
            return Period(min(first, today), today)
        return Period(today - timedelta(days=days - 1), today)

    def request(self, *, for_saving: bool = False) -> ExportRequest:
        fmt = self.chosen_format()
        password = self.password.text() if fmt == "pdf" and for_saving else ""
        key = ""
        if fmt == "fhir" and for_saving:
            key = self.reports.pseudonym_key(create=not self.diary.read_only) or ""
        return ExportRequest(
            format=fmt,
            period=self.chosen_period(),
            sections=self.chosen_sections() if fmt != "json" else (),
            include_notes="notes" in self.chosen_sections(),
            paper=self.paper.currentData(),
            password=password or None,
            subject=self.subject.text().strip(),
            pseudonym_key=key,
        )

    def _checked_request(self) -> ExportRequest:
        """The request for saving, with the password checked (ValidationError if not)."""
        from companion.reports.protect import check_password

        request = self.request(for_saving=True)
        if request.password:
            check_password(request.password)
        return request

    def _choice_changed(self) -> None:
        if not self._ready:
            return
        fmt = self.chosen_format()
        custom = self.period.currentData() == "custom"
        self.dates.setVisible(custom)
        self.pdf_options.setVisible(fmt == "pdf")
        self.json_note.setVisible(fmt == "json")
        for key, box in self.section_boxes.items():
            box.setEnabled(fmt != "json" or key == "notes")
        period = self.chosen_period()
        if period is None:
            self.period_words.setText(_("Everything in the diary."))
        else:
            self.period_words.setText(
                ngettext(
                    "{start} to {end} ({days} day)", "{start} to {end} ({days} days)", period.days
                ).format(
                    start=format_date(period.start, "medium"),
                    end=format_date(period.end, "medium"),
                    days=period.days,
                )
            )
        self._preview_wanted = True
        self._timer.start()

    # -- preview -----------------------------------------------------------------------------

    def mark_stale(self) -> None:
        """The diary changed: make the preview again when it is next looked at."""
        self._preview_wanted = True
        if self.isVisible():
            self._timer.start()

    def preview_after_paint(self) -> None:
        """The page was just shown (or the diary changed): the preview is made again once
        what is on screen has been painted. Its worker, started in the same turn, took turns
        for Python's lock with that paint (Reports' first open: 38 ms, against 15 for a plain
        PySide6 copy of the page, ``bench/page_floor.py``)."""
        self._preview_wanted = True
        self._timer.stop()  # (the delay a change or the show event started: this comes first)
        after_paint(self, self.update_preview, at_most_ms=PREVIEW_DELAY_MS)

    def update_preview(self) -> None:
        if self._steps is not None:
            self._asked = True  # made once the form is (``_form_made``)
            return
        if not self._preview_wanted:
            return
        if not self.isVisible():
            # left before its delay was over (a person passing through to another page): the
            # preview is made when the page is shown again, not on a worker that would take
            # turns for Python's lock with the page now being opened
            return
        if self._preview_running or self._busy:
            self._timer.start()  # after the current one
            return
        self._preview_wanted = False
        self._preview_running = True
        request = self.request()
        now = local_now()
        snapshot = self.diary.read_snapshot()
        self.page_words.setText(_("Making the preview…"))

        def job() -> Preview:
            try:
                return _make_preview(snapshot.db, request, now)
            finally:
                snapshot.close()

        tasks.run_task(job, self._preview_done, self._preview_failed, owner=self)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._preview_wanted and not self._preview_running and not self._timer.isActive():
            self._timer.start()  # (one put off while the page was not shown)

    def _preview_done(self, preview: Preview) -> None:
        self._preview_running = False
        self.preview_result = preview
        self.show_page(0)
        settle_layouts(self)  # the page image laid out with the page, not a few turns later
        if self._preview_wanted:
            self._timer.start()

    def _preview_failed(self, exc: BaseException) -> None:
        self._preview_running = False
        self.preview_result = None
        self.page_image.setPixmap(QPixmap())
        self.page_image.setText(_("The preview could not be made."))
        self.page_words.setText("")
        if self._preview_wanted:
            self._timer.start()

    def show_page(self, index: int) -> None:
        preview = self.preview_result
        if preview is None:
            return
        if preview.lines:
            self.page_image.setPixmap(QPixmap())
            self.page_image.setText("\n".join(preview.lines))
            self.page_image.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            self.page_words.setText("")
            self.previous_page.setEnabled(False)
            self.next_page.setEnabled(False)
            return
        shown = preview.shown
        index = max(0, min(index, shown - 1))
        self._page_index = index
        self.page_image.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        if shown:
            bar = self.preview_area.verticalScrollBar()
            width = max(240, self.preview_area.width() - bar.sizeHint().width() - 12)
            pixmap = QPixmap.fromImage(preview.image(index))
            ratio = self.devicePixelRatioF()
            scaled = pixmap.scaledToWidth(
                int(width * ratio), Qt.TransformationMode.SmoothTransformation
            )
            scaled.setDevicePixelRatio(ratio)
            self.page_image.setPixmap(scaled)
        if preview.pages > shown:
            words = _("Page {number} of {total} (the preview shows the first {shown})")
        else:
            words = _("Page {number} of {total}")
        self.page_words.setText(words.format(number=index + 1, total=preview.pages, shown=shown))
        self.page_image.setAccessibleDescription(self.page_words.text())
        self.previous_page.setEnabled(index > 0)
        self.next_page.setEnabled(index + 1 < shown)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self.preview_result is not None and self.preview_result.shown:
            self.show_page(self._page_index)

    # -- saving ------------------------------------------------------------------------------

    def suggested_name(self) -> str:
        fmt = self.chosen_format()
        stem = {
            "pdf": _("summary"),
            "csv": _("tables"),
            "fhir": _("fhir"),
            "json": _("diary"),
        }[fmt]
        return f"companion-{stem}-{local_now().date().isoformat()}{SUFFIXES[fmt]}"

    def choose_file(self) -> None:
        fmt = self.chosen_format()
        filters = {
            "pdf": _("PDF documents (*.pdf)"),
            "csv": _("Zip archives (*.zip)"),
            "fhir": _("FHIR JSON (*.json)"),
            "json": _("JSON files (*.json)"),
        }
        start = str(Path.home() / self.suggested_name())
        name, _chosen = QFileDialog.getSaveFileName(self, _("Save the export"), start, filters[fmt])
        if not name:
            return
        path = Path(name)
        if not path.suffix:
            path = path.with_suffix(SUFFIXES[fmt])
        # the dialog asked before letting an existing file be chosen
        self.save_to(path, replace=path.exists())

    def save_to(self, path: Path, *, replace: bool = False) -> None:
        """Render and write the export to ``path`` on a worker; ``replace`` only when the
        person said so (an existing file is otherwise refused)."""
        if self._busy:
            return
        ops = self.context.operations("reports", self.status)
        request = ops.run(lambda: self._checked_request(), announce=False)
        if request is None:  # the reason is shown in the status line
            return
        if not request.sections and request.format != "json":
            self.status.setText(_("Please tick at least one section."))
            return
        self._busy = True
        self._cancel = threading.Event()
        check = _cancel_check(self._cancel)
        relay = self._relay
        now = local_now()
        snapshot = self.diary.read_snapshot()
        self.status.setText("")
        self.save_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress_row.show()
        self.progress_words.setText(_("Starting…"))

        def job() -> Saved:
            try:
                made = render(
                    snapshot.db, request, now, progress=relay.progressed.emit, check=check
                )
                check()
                write_export(path, made.data, replace=replace)
                return Saved(path, request, made.pages)
            finally:
                snapshot.close()

        tasks.run_task(job, self._saved, self._save_failed, owner=self)

    def _progressed(self, done: int, total: int, words: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress_words.setText(words)

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
            self.progress_words.setText(_("Stopping…"))

    def _finish(self) -> None:
        self._busy = False
        self._cancel = None
        self.save_button.setEnabled(True)
        self.progress_row.hide()
        self.progress_words.setText("")

    def _saved(self, saved: Saved) -> None:
        self._finish()
        self.saved = saved
        request = saved.request
        ops = self.context.operations("reports", self.status)
        recorded = ops.run(
            lambda: self.reports.record(
                format=request.format,
                period=request.period,
                sections=request.sections,
                includes_notes=request.include_notes,
                protected=bool(request.password),
                file_name=saved.path.name,
                shared_with=self.shared_with.text(),
            ),
            what="shared",
        )
        if saved.pages is not None:
            words = ngettext(
                "Saved {name} ({count} page).", "Saved {name} ({count} pages).", saved.pages
            )
        else:
            words = _("Saved {name}.")
        text = words.format(name=saved.path.name, count=saved.pages or 0)
        if recorded is not None:
            text = _("{saved} It is listed under What was shared.").format(saved=text)
        self.status.setText(text)
        self.exported.emit()

    def _save_failed(self, exc: BaseException) -> None:
        self._finish()
        if isinstance(exc, ExportCancelled):
            self.status.setText(_("Cancelled; nothing was saved."))
        elif isinstance(exc, FileExistsError):
            self.status.setText(
                _(
                    "A file of that name appeared meanwhile; nothing was replaced. Please save "
                    "again."
                )
            )
        elif isinstance(exc, OSError):
            self.status.setText(
                _("The file could not be written there ({reason}); nothing was saved.").format(
                    reason=exc.strerror or _("unknown error")
                )
            )
        elif isinstance(exc, ValidationError):
            self.status.setText(str(exc))
        else:
            self.status.setText(_("The export could not be made; nothing was saved."))

    def before_lock(self) -> None:
        if self._steps is not None:
            return  # the form is not made yet: nothing to stop or clear
        self.cancel()
        self.password.clear()

    @property
    def busy(self) -> bool:
        return self._busy or self._preview_running


def _make_preview(db: Any, request: ExportRequest, now: datetime) -> Preview:
    """Worker: the preview for a request (the PDF's own pages, or what the file holds)."""
    if request.format == "json":
        from companion.core import portable

        period = request.period
        document = portable.export_document(
            db,
            include_notes=request.include_notes,
            start=period.start if period else None,
            end=period.end if period else None,
            now=now,
        )
        counts = {name: len(rows) for name, rows in document["tables"].items() if rows}
        total = sum(counts.values())
        lines = [
            ngettext(
                "The file will hold {count} record from {tables} table:",
                "The file will hold {count} records from {tables} tables:",
                total,
            ).format(count=total, tables=len(counts)),
            "",
        ]
        lines += [
            _("{table}: {count}").format(table=name, count=count) for name, count in counts.items()
        ]
        lines += [
            "",
            _("Companion can read this file back: companion import --format json FILE."),
        ]
        return Preview(lines=lines)
    if request.format == "fhir":
        from companion.core.reports.records import CheckupRecord, MedicineRecord, MoodCheckin

        registry = features.load()
        records: list[object] = []
        assert request.period is not None
        for section in registry.export_sections():
            if section.id in request.sections and section.records is not None:
                records += section.records(db, request.period, now, request.include_notes)
        checkups = sum(isinstance(r, CheckupRecord) for r in records)
        checkins = sum(isinstance(r, MoodCheckin) for r in records)
        medicines = sum(isinstance(r, MedicineRecord) for r in records)
        return Preview(
            lines=[
                _("A FHIR R4 bundle with:"),
                "",
                _("a pseudonymous Patient (no name, the same in every export of this diary)"),
                ngettext(
                    "{count} questionnaire response, with its total and answers",
                    "{count} questionnaire responses, each with its total and answers",
                    checkups,
                ).format(count=checkups),
                ngettext("{count} mood check-in", "{count} mood check-ins", checkins).format(
                    count=checkins
                ),
                ngettext(
                    "{count} medicine course with its dose history",
                    "{count} medicine courses with their dose history",
                    medicines,
                ).format(count=medicines),
                "",
                _("Only the ticked sections that have such records are included."),
            ]
        )
    summary = build_summary(db, request, now)
    if request.format == "csv":
        tables = list(summary.tables())
        lines = [_("A zip with these files:"), ""]
        lines.append(_("README.txt, data_dictionary.csv, key_facts.csv"))
        lines += [
            ngettext(
                "{file}: {title}, {count} row", "{file}: {title}, {count} rows", len(t.rows)
            ).format(file=f"{t.id}.csv", title=t.title, count=len(t.rows))
            for t in tables
        ]
        return Preview(lines=lines)
    from companion.reports.summary_pdf import SummaryDocument

    pdf = SummaryDocument(summary, paper=request.paper)
    first: QImage | None = None
    pages: list[bytes] = []
    for index in range(min(pdf.page_count, PREVIEW_PAGES)):
        image = pdf.page_image(index, PREVIEW_WIDTH)  # (one at a time: each ~3 MB as an image)
        pages.append(_png(image))
        if index == 0:
            first = image
    return Preview(pages=pdf.page_count, encoded=pages, first=first)
