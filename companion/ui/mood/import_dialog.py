"""Import check-ins from Daylio, eMoods, Bearable or any CSV.

Choose the format and the file, give renamed moods (or the CSV's columns) a number, preview,
import. The file is read on a worker thread with progress and a Stop button; nothing is
written until "Import", and then every new row or none (``core.import_engine``). The preview
explains the mapping in words, lists the rows that cannot be read with their line numbers and
reasons, and offers to import the rest.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from companion.core.errors import ImportFileError
from companion.core.mood.importing.bearable import BearableReader
from companion.core.mood.importing.daylio import DaylioReader
from companion.core.mood.importing.emoods import EmoodsReader
from companion.core.mood.importing.engine import (
    MAX_NEW_TAGS,
    PREVIEW_ROWS,
    ImportOptions,
    MoodImporter,
    MoodImportSummary,
    Prepared,
    Preview,
    Reader,
)
from companion.core.mood.importing.generic_csv import (
    CSV_FIELDS,
    ColumnMapping,
    CsvReader,
    csv_header,
    guess_mapping,
)
from companion.core.mood.importing.reading import ImportCancelled, Monitor, Source
from companion.core.mood.importing.values import MAX_TAGS_PER_ROW
from companion.core.mood.vocabulary import anchors, fold
from companion.i18n import N_, _, format_datetime, ngettext
from companion.ui import memory
from companion.ui.help_access import HelpfulDialog
from companion.ui.pages import AppContext
from companion.ui.tasks import run_task
from companion.ui.timers import NEXT_TURN_MS, after, after_paint, in_steps, under_way
from companion.ui.widgets.common import (
    StatusLabel,
    follow_in_tab_order,
    label,
    laid_out_tab_stops,
    primary_button,
    scroll_area,
    title,
)
from companion.ui.widgets.measured import measure_now

UNSET = -1
#: how long one turn of the window's work in steps may take (``timers.in_steps``): the
#: mapping's rows made, the preview's columns fitted
STEP_MS = 6.0
#: how many rows of the preview table are filled in one turn (200 took ~5 ms)
CELL_ROWS = 70
#: the preview's parts wait this long while other work is under way (``_make_details``)
DETAILS_RETRY_MS = 50
#: (reader, the kind of file, its patterns) in the order offered
FORMATS: tuple[tuple[Reader, str, str], ...] = (
    (DaylioReader(), N_("Daylio export"), "*.csv"),
    (EmoodsReader(), N_("eMoods backup"), "*.emoods *.zip *.csv"),
    (BearableReader(), N_("Bearable export"), "*.csv"),
    (CsvReader(), N_("CSV files"), "*.csv *.txt"),
)
#: what an imported row's other values are called in the preview table
VALUE_NAMES = {
    "anxiety": N_("anxiety"),
    "energy": N_("energy"),
    "irritability": N_("irritability"),
    "elevated": N_("elevated"),
    "sleep_hours": N_("sleep hours"),
    "sleep_quality": N_("sleep quality"),
}


def file_filter(index: int) -> str:
    """The file dialog's filter for ``FORMATS[index]`` (then any file)."""
    _reader, kind, patterns = FORMATS[index]
    return f"{_(kind)} ({patterns});;{_('All files')} (*)"


class _Relay(QObject):
    """Carries progress from the worker thread to the window (queued across threads)."""

    progress = Signal(int, int)


class ImportDialog(HelpfulDialog):
    #: emitted after each background step (look, preview, import) reports back
    step_finished = Signal(str)
    #: after an import that wrote check-ins: the first and last day written
    imported = Signal(object, object)

    def __init__(
        self, importer: MoodImporter, context: AppContext, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.importer = importer
        self.changes = context.changes
        self.path: Path | None = None
        self.source: Source | None = None
        self.prepared: Prepared | None = None
        self.plan: Preview | None = None
        self.outcome: MoodImportSummary | None = None
        self.header: list[str] = []
        self.mood_spins: dict[str, QSpinBox] = {}
        self.column_boxes: dict[str, QComboBox] = {}
        self.scale: QComboBox | None = None
        self.busy = ""
        self._cancel: threading.Event | None = None
        self._relay = _Relay(self)
        self._relay.progress.connect(self._show_progress)
        self.setWindowTitle(_("Import check-ins"))
        self.setModal(True)
        self.resize(960, 860)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(title(_("Import check-ins")))
        layout.addWidget(
            label(
                _(
                    "Bring in a diary you kept elsewhere. Nothing changes until you press "
                    "Import, and then every new check-in is imported or none is. Check-ins "
                    "already in your diary (same time, mood, tags and note) are skipped."
                ),
                name="Muted",
            )
        )
        choose_row = QHBoxLayout()
        self.format_box = QComboBox()
        self.format_box.setAccessibleName(_("Where the file comes from"))
        for reader, _kind, _patterns in FORMATS:
            self.format_box.addItem(_(reader.title), reader.name)
        self.format_box.currentIndexChanged.connect(lambda _i: self._format_changed())
        choose_row.addWidget(self.format_box)
        self.choose = QPushButton(_("Choose file…"))
        self.choose.setAccessibleName(_("Choose file: the file to import"))
        self.choose.clicked.connect(self.choose_file)
        choose_row.addWidget(self.choose)
        self.file_label = label(_("No file chosen yet."), name="Muted")
        choose_row.addWidget(self.file_label, 1)
        layout.addLayout(choose_row)

        progress_row = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName(_("Progress"))
        self.progress_text = label("", name="Muted")
        self.stop_button = QPushButton(_("Stop"))
        self.stop_button.setAccessibleName(_("Stop reading or importing the file"))
        self.stop_button.clicked.connect(self.stop)
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.progress_text, 2)
        progress_row.addWidget(self.stop_button)
        self.progress_box = QWidget()
        self.progress_box.setLayout(progress_row)
        self.progress_box.hide()
        layout.addWidget(self.progress_box)

        self.mapping = QWidget()
        mapping = QVBoxLayout(self.mapping)
        mapping.setContentsMargins(0, 0, 0, 0)
        self.column_page = QWidget()
        self.column_form = QFormLayout(self.column_page)
        self.mood_page = QWidget()
        self.mood_form = QFormLayout(self.mood_page)
        mapping.addWidget(self.column_page)
        mapping.addWidget(self.mood_page)
        self.mapping_scroll = scroll_area()
        self.mapping_scroll.setWidgetResizable(True)
        self.mapping_scroll.setAccessibleName(_("Columns to import"))
        self.mapping_scroll.setWidget(self.mapping)
        self.mapping_scroll.setMaximumHeight(250)
        self.mapping_scroll.hide()
        layout.addWidget(self.mapping_scroll)

        self.preview_button = QPushButton(_("Preview"))
        self.preview_button.setAccessibleName(_("Preview the import"))
        self.preview_button.clicked.connect(self.make_preview)
        self.preview_button.setEnabled(False)
        layout.addWidget(self.preview_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.error = StatusLabel("Error", _("Import problem"))
        self.ops = context.operations("mood", self.error)
        layout.addWidget(self.error)

        # what a preview shows is made just after the window's first paint (or when first
        # needed), in a turn of its own: it is hidden until then (``_make_details``)
        self.details: QWidget
        self.summary: StatusLabel
        self.explanation: QLabel
        self.problems: QListWidget
        self.skip_bad: QCheckBox
        self.table: QTableWidget
        self._details_made = False
        self._details_cleared = False
        self.details_scroll = details_scroll = scroll_area()
        details_scroll.setWidgetResizable(True)
        details_scroll.setAccessibleName(_("Import details"))
        layout.addWidget(details_scroll, 1)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.close_button = QPushButton(_("Cancel"))
        self.close_button.setAccessibleName(_("Cancel: close the import window"))
        self.close_button.clicked.connect(self.reject)
        self.import_button = primary_button(_("Import"))
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.run_import)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.import_button)
        layout.addLayout(buttons)
        # Enter never imports by accident: no button is the dialog's default
        for button in (
            self.choose,
            self.stop_button,
            self.preview_button,
            self.close_button,
            self.import_button,
        ):
            button.setAutoDefault(False)
        # Styled, its help row placed (``HelpfulDialog``, else as it is first shown) and laid
        # out now, in the turn that makes it (``DiaryPage.open_import`` shows it in the next):
        # that turn then only shows and paints it (first opens, 4 runs each: the click's turn
        # 4-7 -> 7-11 ms of GUI CPU, the showing turn 12-16 -> 5-15)
        for widget in (self, *self.findChildren(QWidget)):
            widget.ensurePolished()
        self._place_help_button()
        layout.activate()
        # (a turn after the paint's, not in the same pass as what waited for the paint)
        after_paint(self, lambda: after(self, NEXT_TURN_MS, self._make_details_when_quiet))

    def _make_details_when_quiet(self) -> None:
        """The preview's parts made once nothing else is under way (a file read, its mapping
        made in steps: not in one of their turns); a preview needs them at once."""
        if self._details_made:
            return
        if under_way():
            after(self, DETAILS_RETRY_MS, self._make_details_when_quiet)
            return
        self._make_details()

    def _make_details(self) -> None:
        """The preview's parts (its words, the unreadable rows, the table), hidden until a
        preview: made after the window's first paint, not with it (a third of the ~13 ms of
        GUI work making the window took, and of its first show's styling and layout), or at
        once by whatever needs them first (a file chosen before then needs them not: they
        are made as it leaves them)."""
        if self._details_made:
            return
        self._details_made = True
        self.details = QWidget()
        details = QVBoxLayout(self.details)
        details.setContentsMargins(0, 0, 0, 0)
        self.summary = StatusLabel("", _("Import summary"))
        details.addWidget(self.summary)
        self.explanation = label("", name="Muted")
        self.explanation.setAccessibleName(_("How the file's values become Companion's"))
        details.addWidget(self.explanation)
        self.problems = QListWidget()
        self.problems.setAccessibleName(_("Rows that cannot be read"))
        self.problems.setMaximumHeight(110)
        self.problems.hide()
        details.addWidget(self.problems)
        self.skip_bad = QCheckBox()
        self.skip_bad.setAccessibleName(_("Skip the rows that cannot be read and import the rest"))
        self.skip_bad.toggled.connect(self._skip_changed)
        self.skip_bad.hide()
        details.addWidget(self.skip_bad)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [_("When"), _("Mood"), _("Activities"), _("Also"), _("Note")]
        )
        self.table.setAccessibleName(_("Check-ins to import"))
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setMinimumHeight(240)
        self.table.hide()
        details.addWidget(self.table, 10)
        details.addStretch(1)  # takes the room while the table is hidden
        self.details.hide()
        self.details_scroll.setWidget(self.details)
        if self._details_cleared:  # as ``_clear_results`` leaves them
            self.details.hide()
        # in the Tab order where the window's layout puts them (not after Import)
        follow_in_tab_order(self.details_scroll, laid_out_tab_stops(self.details))

    # -- the format and the file ---------------------------------------------------------------

    @property
    def reader(self) -> Reader:
        return FORMATS[self.format_box.currentIndex()][0]

    def set_format(self, name: str) -> None:
        index = self.format_box.findData(name)
        if index >= 0:
            self.format_box.setCurrentIndex(index)

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Choose the file to import"), "", file_filter(self.format_box.currentIndex())
        )
        if path:
            self.load_path(Path(path))

    def load_path(self, path: Path) -> None:
        """Take the file and have a first look at it in the background."""
        self._clear_results()
        source = self.ops.run(lambda: Source.from_path(path), announce=False)
        if source is None:
            return
        self.path = path
        self.source = source
        self.file_label.setText(path.name)
        self._look()

    def _format_changed(self) -> None:
        self._clear_results()
        self.error.setText("")
        if self.source is not None:
            self._look()

    def _look(self) -> None:
        assert self.source is not None
        self.prepared = None
        self.mapping_scroll.hide()
        self.preview_button.setEnabled(False)
        reader, source = self.reader, self.source
        if isinstance(reader, CsvReader):
            self._start("look", _("Reading the column names…"), lambda m: csv_header(source))
        else:
            self._start(
                "look",
                _("Reading the file…"),
                lambda m: reader.prepare(source, ImportOptions(), m),
            )

    # -- background work ---------------------------------------------------------------------

    def _start(self, step: str, words: str, work: Callable[[Monitor], Any]) -> None:
        cancel = threading.Event()
        self._cancel = cancel
        relay = self._relay

        def report(done: int, total: int) -> None:
            with contextlib.suppress(RuntimeError):  # the window is already gone
                relay.progress.emit(done, total)

        monitor = Monitor(report, cancel)
        self.busy = step
        self.progress.setValue(0)
        self.progress_text.setText(words)
        self.progress.setAccessibleName(words)
        self.progress_box.show()
        self.stop_button.setEnabled(True)
        for widget in (self.choose, self.format_box, self.preview_button, self.import_button):
            widget.setEnabled(False)
        run_task(
            lambda: work(monitor),
            lambda result: self._finished(step, result, None),
            lambda exc: self._finished(step, None, exc),
            owner=self,
        )

    def _show_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progress.setValue(min(1000, done * 1000 // total))

    def stop(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
            self.stop_button.setEnabled(False)
            self.progress_text.setText(_("Stopping…"))

    def before_lock(self) -> None:
        """The diary is about to lock: stop any work (an import in progress rolls back)."""
        self.stop()

    def reject(self) -> None:
        self.stop()
        super().reject()

    def _finished(self, step: str, result: Any, exc: BaseException | None) -> None:
        if exc is None and step == "look":
            # The mapping's rows are made a few per turn of the event loop, out of sight (all
            # at once, with their layout, held the window 13-25 ms); the progress stays until
            # they are all made, then the mapping is shown whole and Preview can be pressed.
            self._cancel = None  # (the reading is over: nothing left to stop)
            shown = [self._measure_mapping, lambda: self._reported("look", result, None)]
            # the rows a few per turn; then measuring them, then showing them, a turn each
            in_steps(self, self._looked(result), STEP_MS, done=lambda: in_steps(self, shown, 0))
            return
        self._reported(step, result, exc)

    def _reported(self, step: str, result: Any, exc: BaseException | None) -> None:
        self.busy = ""
        self._cancel = None
        self.progress_box.hide()
        self.choose.setEnabled(True)
        self.format_box.setEnabled(True)
        self.preview_button.setEnabled(self.source is not None and step != "import")
        if exc is not None:
            if isinstance(exc, ImportCancelled):
                self.error.setText(_("Stopped; nothing was imported."))
            elif isinstance(exc, ImportFileError):
                self.error.setText(str(exc))
            else:
                self.error.setText(
                    _(
                        "The file could not be read because of an unexpected problem; nothing "
                        "was imported."
                    )
                )
            if step == "look":
                self.preview_button.setEnabled(False)
            self._update_import_button()
            self.step_finished.emit(step)
            return
        if step == "look":
            self._show_mapping()
            if self.prepared is not None and self.prepared.notices:
                self.error.setText(" ".join(self.prepared.notices))
            self.preview_button.setEnabled(True)
        elif step == "preview" and isinstance(result, Prepared):
            reader = self.reader
            self._mood_mapping(result.mood_names, result.mood_defaults)
            unknown = reader.unmapped_moods(result, ImportOptions())
            self.error.setText(reader.unknown_moods_sentence(result, unknown))
        elif step == "preview":
            self._show_preview(result)
            return  # ``step_finished`` once the preview is on screen (a turn later)
        elif step == "import":
            self._imported(result)
        self.step_finished.emit(step)

    # -- mapping -------------------------------------------------------------------------------

    def _looked(self, result: Any) -> list[Callable[[], object]]:
        """The steps that make the mapping for what the first look at the file found
        (measured by :meth:`_measure_mapping`, shown by :meth:`_show_mapping` once they have
        all run)."""
        if isinstance(self.reader, CsvReader):
            header, _sample = result
            self.header = header
            steps = [*self._column_rows(header), *self._mood_rows({}, {})]
        else:
            self.prepared = result
            steps = self._mood_rows(result.mood_names, result.mood_defaults)
        return steps

    def _mood_mapping(self, names: dict[str, int] | Any, defaults: dict[str, int] | Any) -> None:
        """The moods' rows made and shown at once (after a preview that found moods without a
        number: a few rows)."""
        for make in self._mood_rows(names, defaults):
            make()
        self._show_mapping()

    def _mood_rows(
        self, names: dict[str, int] | Any, defaults: dict[str, int] | Any
    ) -> list[Callable[[], object]]:
        """The steps that make the moods' rows: the form emptied (a number already chosen
        kept) and its intro, then a row per mood."""
        chosen = {name: spin.value() for name, spin in self.mood_spins.items()}
        steps = "; ".join(
            _("{step}: {words}").format(step=i, words=a) for i, a in enumerate(anchors("mood"))
        )

        def start() -> None:
            while self.mood_form.rowCount():
                self.mood_form.removeRow(0)
            self.mood_spins = {}
            if not names:
                return
            if isinstance(self.reader, EmoodsReader):
                intro = _(
                    "The number each eMoods depression level becomes on Companion's 0–10 mood "
                    "(0 as low as it gets, 5 neither good nor bad, 10 as good as it gets)."
                )
            else:
                intro = _(
                    "The moods in the file and the number each becomes on Companion's 0–10 "
                    "scale. Give every mood without a number one."
                )
            self.mood_form.addRow(label(intro, name="Muted"))

        def row(name: str, count: int) -> None:
            spin = QSpinBox()
            spin.setRange(UNSET, 10)
            spin.setSpecialValueText(_("choose a number"))
            spin.setValue(chosen.get(name, defaults.get(fold(name), UNSET)))
            spin.setAccessibleName(_("Number for the mood “{name}”").format(name=name))
            spin.setToolTip(steps)
            spin.valueChanged.connect(lambda _v: self._clear_results())
            self.mood_spins[name] = spin
            if count:
                caption = ngettext("“{name}” ({count} row)", "“{name}” ({count} rows)", count)
            else:
                caption = _("“{name}”")
            self.mood_form.addRow(caption.format(name=name, count=f"{count:,}"), spin)

        return [start, *(partial(row, name, count) for name, count in names.items())]

    def _column_rows(self, header: list[str]) -> list[Callable[[], object]]:
        """The steps that make the columns' rows: the form emptied and its intro, a row per
        field, the mood scale."""
        guessed = guess_mapping(header)

        def start() -> None:
            while self.column_form.rowCount():
                self.column_form.removeRow(0)
            self.column_boxes = {}
            self.column_form.addRow(
                label(_("Which column holds what. A mood and a date are needed."), name="Muted")
            )

        def row(key: str, field_name: str) -> None:
            words = _(field_name)
            box = QComboBox()
            box.setAccessibleName(_("Column for {field}").format(field=words.lower()))
            box.addItem(_("(not in the file)"), None)
            for index, name in enumerate(header):
                box.addItem(name or _("Column {number}").format(number=index + 1), index)
            if key in guessed:
                box.setCurrentIndex(guessed[key] + 1)
            box.currentIndexChanged.connect(lambda _i: self._clear_results())
            self.column_boxes[key] = box
            self.column_form.addRow(words, box)

        def scale() -> None:
            self.scale = QComboBox()
            self.scale.setAccessibleName(_("Mood scale in the file"))
            self.scale.addItem(_("0 to 10"), 10)
            self.scale.addItem(_("1 to 5"), 5)
            self.scale.currentIndexChanged.connect(lambda _i: self._clear_results())
            self.column_form.addRow(_("Mood scale in the file"), self.scale)

        return [start, *(partial(row, k, f) for k, f in CSV_FIELDS.items()), scale]

    def _measure_mapping(self) -> None:
        """The new rows styled and measured out of sight, in a step of their own: the turn
        that shows the mapping then only lays it out and paints it."""
        for widget in self.mapping.findChildren(QWidget):  # (new ones in a polished parent)
            widget.ensurePolished()
        measure_now(self.mapping, max(1, self.width() - 48))

    def _show_mapping(self) -> None:
        has_columns = isinstance(self.reader, CsvReader)
        has_moods = bool(self.mood_spins)
        self.column_page.setVisible(has_columns)
        self.mood_page.setVisible(has_moods)
        self.mapping_scroll.setVisible(has_moods or has_columns)

    def options(self) -> ImportOptions:
        unset = [n for n, s in self.mood_spins.items() if s.value() == UNSET]
        if unset:
            shown = ", ".join(_("“{name}”").format(name=n) for n in unset[:8])
            raise ImportFileError(
                _("Choose a number for each mood first: {moods}.").format(moods=shown)
            )
        columns = None
        if isinstance(self.reader, CsvReader):
            chosen = {
                key: box.currentData()
                for key, box in self.column_boxes.items()
                if box.currentData() is not None
            }
            scale = self.scale.currentData() if self.scale is not None else 10
            columns = ColumnMapping(chosen, mood_scale=scale)
        defaults = self.prepared.mood_defaults if self.prepared is not None else {}
        moods = {  # only the numbers the person chose (the rest are the format's defaults)
            name: spin.value()
            for name, spin in self.mood_spins.items()
            if defaults.get(fold(name)) != spin.value()
        }
        skip = self._details_made and self.skip_bad.isChecked()
        return ImportOptions(mood_map=moods, skip_bad_rows=skip, columns=columns)

    # -- preview and import --------------------------------------------------------------------

    def _clear_results(self) -> None:
        self.plan = None
        if not self._details_made:  # (nothing to clear in them yet: they are made cleared)
            self._details_cleared = True
            self._update_import_button()
            return
        self.details.hide()
        self.table.hide()
        self.summary.setText("")
        self.skip_bad.blockSignals(True)
        self.skip_bad.setChecked(False)
        self.skip_bad.blockSignals(False)
        self._update_import_button()

    def make_preview(self) -> None:
        if self.source is None or self.busy:
            return
        options = self.ops.run(self.options, announce=False)
        if options is None:
            return
        reader, source, importer = self.reader, self.source, self.importer
        looked = None if isinstance(reader, CsvReader) else self.prepared

        def work(monitor: Monitor) -> Preview | Prepared:
            prepared = looked or reader.prepare(source, options, monitor)
            if reader.unmapped_moods(prepared, options):
                return prepared  # the window asks for the missing numbers first
            return importer.preview(reader, source, options, monitor, prepared=prepared)

        self._clear_results()
        self._start("preview", _("Checking every row…"), work)

    def _show_preview(self, plan: Preview) -> None:
        """The preview over a few turns of the event loop, shown in the last: its words
        (hidden), then its table's cells a part per turn, then the table's columns fitted to
        their text one per turn (the cells and the columns of 200 rows took 13-16 ms, in
        turns that also laid out and painted the dialog: 15-21 ms), then everything shown at
        once. Import stays disabled until then; a choice changed in between (a new preview, a
        mapping) leaves the rest undone."""
        self._make_details()
        self.plan = plan
        self.prepared = plan.prepared
        self.summary.setText(plan.describe())
        lines = [*plan.notices, *plan.mapping, *plan.shift_sentences()]
        if plan.shortened:
            pairs = "; ".join(
                _("“{long}” → “{short}”").format(long=a, short=b) for a, b in plan.shortened[:10]
            )
            if len(plan.shortened) > 10:
                text = _("Names longer than 40 characters are shortened: {pairs}…")
            else:
                text = _("Names longer than 40 characters are shortened: {pairs}.")
            lines.append(text.format(pairs=pairs))
        if plan.new_tags:
            shown = ", ".join(plan.new_tags[:20]) + ("…" if len(plan.new_tags) > 20 else "")
            lines.append(
                _(
                    "New activity tags ({count} of the {limit} one import may add; at most "
                    "{per_row} on one check-in): {tags}."
                ).format(
                    count=len(plan.new_tags),
                    limit=MAX_NEW_TAGS,
                    per_row=MAX_TAGS_PER_ROW,
                    tags=shown,
                )
            )
        if plan.new_trackers:
            names = ", ".join(t.name for t in plan.new_trackers)
            lines.append(_("New trackers: {names}.").format(names=names))
        if plan.repeats:
            repeats = ", ".join(
                _("line {line} repeats line {first}").format(line=a, first=b)
                for a, b in plan.repeats[:5]
            )
            if plan.in_file > 5:
                text = _("Rows repeated in the file: {repeats}…")
            else:
                text = _("Rows repeated in the file: {repeats}.")
            lines.append(text.format(repeats=repeats))
        self.explanation.setText("\n".join(f"• {line}" for line in lines))
        self.problems.clear()
        for problem in plan.problems:
            self.problems.addItem(problem.sentence())
        more = plan.problem_count - len(plan.problems)
        if more > 0:
            self.problems.addItem(
                ngettext("…and {count} more row.", "…and {count} more rows.", more).format(
                    count=f"{more:,}"
                )
            )
        self.problems.setVisible(bool(plan.problem_count))
        self.skip_bad.setText(
            ngettext(
                "Skip the {count} row that cannot be read and import the rest",
                "Skip the {count} rows that cannot be read and import the rest",
                plan.problem_count,
            ).format(count=f"{plan.problem_count:,}")
        )
        self.skip_bad.setVisible(bool(plan.problem_count))
        rows = plan.sample
        self.table.setRowCount(len(rows))
        if plan.to_import > PREVIEW_ROWS:
            self.summary.setText(
                _("{summary} The table shows the first {count}.").format(
                    summary=plan.describe(), count=PREVIEW_ROWS
                )
            )

        def current() -> bool:
            return self.plan is plan and not self.busy  # not cleared or replaced meanwhile

        def fill(first: int) -> None:
            if current():
                for i, row in enumerate(rows[first : first + CELL_ROWS], start=first):
                    for j, text in enumerate(_cells(row)):
                        self.table.setItem(i, j, QTableWidgetItem(text))

        def fit(column: int) -> None:
            if current():
                self.table.resizeColumnToContents(column)

        def show() -> None:
            if current():
                self.table.setVisible(bool(rows))
                self.details.show()
                self._update_import_button()
                self.step_finished.emit("preview")

        cells = [partial(fill, i) for i in range(0, len(rows), CELL_ROWS)]
        columns = [partial(fit, j) for j in range(self.table.columnCount())]
        in_steps(self, [*cells, *columns, show], 0)  # (a step per turn)

    def _skip_changed(self, checked: bool) -> None:
        self._make_details()
        if self.plan is not None:
            self.plan = replace(
                self.plan, options=replace(self.plan.options, skip_bad_rows=checked)
            )
            self.summary.setText(self.plan.describe())
        self._update_import_button()

    def _update_import_button(self) -> None:
        plan = self.plan
        self.import_button.setEnabled(
            not self.busy and plan is not None and plan.to_import > 0 and not plan.blocked
        )

    def run_import(self) -> None:
        plan = self.plan
        if plan is None or self.busy or plan.blocked:
            return
        importer = self.importer
        self.error.setText("")
        self._start(
            "import",
            _("Importing…"),
            # the rows' working memory goes back to the system before the save's snapshot
            lambda m: importer.write(plan, m, before_save=memory.give_back),
        )

    def _imported(self, result: MoodImportSummary) -> None:
        self._make_details()
        self.outcome = result
        self.plan = None
        self.summary.setText(result.describe())
        lines = list(result.details)
        if result.added.get("check-ins"):
            lines.insert(
                0, _("They are in the Diary now: Check-ins lists them, Charts draws them.")
            )
        self.explanation.setText("\n".join(f"• {line}" for line in lines))
        self.problems.hide()
        self.skip_bad.hide()
        self.table.hide()
        self.mapping_scroll.hide()
        self.preview_button.setEnabled(False)
        self.close_button.setText(_("Close"))
        self._update_import_button()
        self.changes.announce("mood", "import")
        if result.first_day is not None:
            self.imported.emit(result.first_day, result.last_day)


def _cells(row: Any) -> tuple[str, ...]:
    """An imported row's cells in the preview table."""
    note = (row.note or "").replace("\n", " ")
    also = [_value(_(VALUE_NAMES[k]), v) for k, v in row.values]
    also += [_value(ref.name, v) for ref, v in row.trackers]
    if row.source_mood:
        mood = _("{value} ({name})").format(value=row.mood, name=row.source_mood)
    else:
        mood = str(row.mood)
    return (
        format_datetime(row.at, "medium"),
        mood,
        ", ".join(t.name for t in row.tags),
        ", ".join(also),
        note[:100] + ("…" if len(note) > 100 else ""),
    )


def _value(name: str, value: float) -> str:
    """One more value of an imported row, as the preview table shows it: "energy 6"."""
    return _("{name} {value}").format(name=name, value=f"{value:g}")
