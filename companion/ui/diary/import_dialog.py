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
    QListWidget,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from companion.core.errors import ImportFileError
from companion.core.import_bearable import BearableReader
from companion.core.import_csv import (
    CSV_FIELDS,
    ColumnMapping,
    CsvReader,
    csv_header,
    guess_mapping,
)
from companion.core.import_daylio import DaylioReader
from companion.core.import_emoods import EmoodsReader
from companion.core.import_engine import (
    MAX_NEW_TAGS,
    PREVIEW_ROWS,
    ImportOptions,
    MoodImportSummary,
    Prepared,
    Preview,
    Reader,
    preview,
    write,
)
from companion.core.import_reading import ImportCancelled, Monitor, Source, plural
from companion.core.import_values import MAX_TAGS_PER_ROW
from companion.core.mood import MOOD_ANCHORS, fold
from companion.storage.database import Database
from companion.ui.diary.events import announce_change
from companion.ui.help_access import HelpfulDialog
from companion.ui.tasks import run_task
from companion.ui.widgets.common import StatusLabel, label, primary_button, title

UNSET = -1
#: (reader, file filter) in the order offered
FORMATS: tuple[tuple[Reader, str], ...] = (
    (DaylioReader(), "Daylio export (*.csv);;All files (*)"),
    (EmoodsReader(), "eMoods backup (*.emoods *.zip *.csv);;All files (*)"),
    (BearableReader(), "Bearable export (*.csv);;All files (*)"),
    (CsvReader(), "CSV files (*.csv *.txt);;All files (*)"),
)


class _Relay(QObject):
    """Carries progress from the worker thread to the window (queued across threads)."""

    progress = Signal(int, int)


class ImportDialog(HelpfulDialog):
    #: emitted after each background step (look, preview, import) reports back
    step_finished = Signal(str)
    #: after an import that wrote check-ins: the first and last day written
    imported = Signal(object, object)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
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
        self.setWindowTitle("Import check-ins")
        self.setModal(True)
        self.resize(960, 860)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(title("Import check-ins"))
        layout.addWidget(
            label(
                "Bring in a diary you kept elsewhere. Nothing changes until you press Import, "
                "and then every new check-in is imported or none is. Check-ins already in your "
                "diary (same time, mood, tags and note) are skipped.",
                name="Muted",
            )
        )
        choose_row = QHBoxLayout()
        self.format_box = QComboBox()
        self.format_box.setAccessibleName("Where the file comes from")
        for reader, _filter in FORMATS:
            self.format_box.addItem(reader.title, reader.name)
        self.format_box.currentIndexChanged.connect(lambda _i: self._format_changed())
        choose_row.addWidget(self.format_box)
        self.choose = QPushButton("Choose file…")
        self.choose.setAccessibleName("Choose the file to import")
        self.choose.clicked.connect(self.choose_file)
        choose_row.addWidget(self.choose)
        self.file_label = label("No file chosen yet.", name="Muted")
        choose_row.addWidget(self.file_label, 1)
        layout.addLayout(choose_row)

        progress_row = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName("Progress")
        self.progress_text = label("", name="Muted")
        self.stop_button = QPushButton("Stop")
        self.stop_button.setAccessibleName("Stop reading or importing the file")
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
        self.mapping_scroll = QScrollArea()
        self.mapping_scroll.setWidgetResizable(True)
        self.mapping_scroll.setWidget(self.mapping)
        self.mapping_scroll.setMaximumHeight(250)
        self.mapping_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.mapping_scroll.hide()
        layout.addWidget(self.mapping_scroll)

        self.preview_button = QPushButton("Preview")
        self.preview_button.setAccessibleName("Preview the import")
        self.preview_button.clicked.connect(self.make_preview)
        self.preview_button.setEnabled(False)
        layout.addWidget(self.preview_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.error = StatusLabel("Error", "Import problem")
        layout.addWidget(self.error)

        self.details = QWidget()
        details = QVBoxLayout(self.details)
        details.setContentsMargins(0, 0, 0, 0)
        self.summary = StatusLabel("", "Import summary")
        details.addWidget(self.summary)
        self.explanation = label("", name="Muted")
        self.explanation.setAccessibleName("How the file's values become Companion's")
        details.addWidget(self.explanation)
        self.problems = QListWidget()
        self.problems.setAccessibleName("Rows that cannot be read")
        self.problems.setMaximumHeight(110)
        self.problems.hide()
        details.addWidget(self.problems)
        self.skip_bad = QCheckBox()
        self.skip_bad.setAccessibleName("Skip the rows that cannot be read and import the rest")
        self.skip_bad.toggled.connect(self._skip_changed)
        self.skip_bad.hide()
        details.addWidget(self.skip_bad)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["When", "Mood", "Activities", "Also", "Note"])
        self.table.setAccessibleName("Check-ins to import")
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setMinimumHeight(240)
        self.table.hide()
        details.addWidget(self.table, 10)
        details.addStretch(1)  # takes the room while the table is hidden
        self.details.hide()
        details_scroll = QScrollArea()
        details_scroll.setWidgetResizable(True)
        details_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        details_scroll.setWidget(self.details)
        layout.addWidget(details_scroll, 1)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.close_button = QPushButton("Cancel")
        self.close_button.setAccessibleName("Close the import window")
        self.close_button.clicked.connect(self.reject)
        self.import_button = primary_button("Import")
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

    # -- the format and the file ---------------------------------------------------------------

    @property
    def reader(self) -> Reader:
        return FORMATS[self.format_box.currentIndex()][0]

    def set_format(self, name: str) -> None:
        index = self.format_box.findData(name)
        if index >= 0:
            self.format_box.setCurrentIndex(index)

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose the file to import", "", FORMATS[self.format_box.currentIndex()][1]
        )
        if path:
            self.load_path(Path(path))

    def load_path(self, path: Path) -> None:
        """Take the file and have a first look at it in the background."""
        self._clear_results()
        self.error.setText("")
        try:
            source = Source.from_path(path)
        except ImportFileError as exc:
            self.error.setText(str(exc))
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
            self._start("look", "Reading the column names…", lambda m: csv_header(source))
        else:
            self._start(
                "look",
                "Reading the file…",
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
            self.progress_text.setText("Stopping…")

    def before_lock(self) -> None:
        """The diary is about to lock: stop any work (an import in progress rolls back)."""
        self.stop()

    def reject(self) -> None:
        self.stop()
        super().reject()

    def _finished(self, step: str, result: Any, exc: BaseException | None) -> None:
        self.busy = ""
        self._cancel = None
        self.progress_box.hide()
        self.choose.setEnabled(True)
        self.format_box.setEnabled(True)
        self.preview_button.setEnabled(self.source is not None and step != "import")
        if exc is not None:
            if isinstance(exc, ImportCancelled):
                self.error.setText("Stopped; nothing was imported.")
            elif isinstance(exc, ImportFileError):
                self.error.setText(str(exc))
            else:
                self.error.setText(
                    "The file could not be read because of an unexpected problem; nothing was "
                    "imported."
                )
            if step == "look":
                self.preview_button.setEnabled(False)
            self._update_import_button()
            self.step_finished.emit(step)
            return
        if step == "look":
            self._looked(result)
        elif step == "preview" and isinstance(result, Prepared):
            reader = self.reader
            self._mood_mapping(result.mood_names, result.mood_defaults)
            unknown = reader.unmapped_moods(result, ImportOptions())
            self.error.setText(reader.unknown_moods_sentence(result, unknown))
        elif step == "preview":
            self._show_preview(result)
        elif step == "import":
            self._imported(result)
        self.step_finished.emit(step)

    # -- mapping -------------------------------------------------------------------------------

    def _looked(self, result: Any) -> None:
        if isinstance(self.reader, CsvReader):
            header, _sample = result
            self.header = header
            self._column_mapping(header)
            self._mood_mapping({}, {})
        else:
            self.prepared = result
            self._mood_mapping(result.mood_names, result.mood_defaults)
            if result.notices:
                self.error.setText(" ".join(result.notices))
        self.preview_button.setEnabled(True)

    def _mood_mapping(self, names: dict[str, int] | Any, defaults: dict[str, int] | Any) -> None:
        chosen = {name: spin.value() for name, spin in self.mood_spins.items()}
        while self.mood_form.rowCount():
            self.mood_form.removeRow(0)
        self.mood_spins = {}
        if names:
            if isinstance(self.reader, EmoodsReader):
                intro = (
                    "The number each eMoods depression level becomes on Companion's 0–10 mood "
                    "(0 as low as it gets, 5 neither good nor bad, 10 as good as it gets)."
                )
            else:
                intro = (
                    "The moods in the file and the number each becomes on Companion's 0–10 "
                    "scale. Give every mood without a number one."
                )
            self.mood_form.addRow(label(intro, name="Muted"))
        for name, count in names.items():
            spin = QSpinBox()
            spin.setRange(UNSET, 10)
            spin.setSpecialValueText("choose a number")
            spin.setValue(chosen.get(name, defaults.get(fold(name), UNSET)))
            spin.setAccessibleName(f"Number for the mood “{name}”")
            spin.setToolTip("; ".join(f"{i}: {a}" for i, a in enumerate(MOOD_ANCHORS)))
            spin.valueChanged.connect(lambda _v: self._clear_results())
            self.mood_spins[name] = spin
            used = f" ({plural(count, 'row')})" if count else ""
            self.mood_form.addRow(f"“{name}”{used}", spin)
        has_columns = isinstance(self.reader, CsvReader)
        self.column_page.setVisible(has_columns)
        self.mood_page.setVisible(bool(names))
        self.mapping_scroll.setVisible(bool(names) or has_columns)

    def _column_mapping(self, header: list[str]) -> None:
        guessed = guess_mapping(header)
        while self.column_form.rowCount():
            self.column_form.removeRow(0)
        self.column_boxes = {}
        self.column_form.addRow(
            label("Which column holds what. A mood and a date are needed.", name="Muted")
        )
        for key, words in CSV_FIELDS.items():
            box = QComboBox()
            box.setAccessibleName(f"Column for {words.lower()}")
            box.addItem("(not in the file)", None)
            for index, name in enumerate(header):
                box.addItem(name or f"Column {index + 1}", index)
            if key in guessed:
                box.setCurrentIndex(guessed[key] + 1)
            box.currentIndexChanged.connect(lambda _i: self._clear_results())
            self.column_boxes[key] = box
            self.column_form.addRow(words, box)
        self.scale = QComboBox()
        self.scale.setAccessibleName("Mood scale in the file")
        self.scale.addItem("0 to 10", 10)
        self.scale.addItem("1 to 5", 5)
        self.scale.currentIndexChanged.connect(lambda _i: self._clear_results())
        self.column_form.addRow("Mood scale in the file", self.scale)

    def options(self) -> ImportOptions:
        unset = [n for n, s in self.mood_spins.items() if s.value() == UNSET]
        if unset:
            shown = ", ".join(f"“{n}”" for n in unset[:8])
            raise ImportFileError(f"Choose a number for each mood first: {shown}.")
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
        return ImportOptions(
            mood_map=moods, skip_bad_rows=self.skip_bad.isChecked(), columns=columns
        )

    # -- preview and import --------------------------------------------------------------------

    def _clear_results(self) -> None:
        self.plan = None
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
        self.error.setText("")
        try:
            options = self.options()
        except ImportFileError as exc:
            self.error.setText(str(exc))
            return
        reader, source, db = self.reader, self.source, self.db
        looked = None if isinstance(reader, CsvReader) else self.prepared

        def work(monitor: Monitor) -> Preview | Prepared:
            prepared = looked or reader.prepare(source, options, monitor)
            if reader.unmapped_moods(prepared, options):
                return prepared  # the window asks for the missing numbers first
            return preview(db, reader, source, options, monitor, prepared=prepared)

        self._clear_results()
        self._start("preview", "Checking every row…", work)

    def _show_preview(self, plan: Preview) -> None:
        self.plan = plan
        self.prepared = plan.prepared
        self.summary.setText(plan.describe())
        lines = [*plan.notices, *plan.mapping, *plan.shift_sentences()]
        if plan.shortened:
            lines.append(
                "Names longer than 40 characters are shortened: "
                + "; ".join(f"“{a}” → “{b}”" for a, b in plan.shortened[:10])
                + ("…" if len(plan.shortened) > 10 else ".")
            )
        if plan.new_tags:
            shown = ", ".join(plan.new_tags[:20]) + ("…" if len(plan.new_tags) > 20 else "")
            lines.append(
                f"New activity tags ({len(plan.new_tags)} of the {MAX_NEW_TAGS} one import may "
                f"add; at most {MAX_TAGS_PER_ROW} on one check-in): {shown}."
            )
        if plan.new_trackers:
            lines.append("New trackers: " + ", ".join(t.name for t in plan.new_trackers) + ".")
        if plan.repeats:
            lines.append(
                "Rows repeated in the file: "
                + ", ".join(f"line {a} repeats line {b}" for a, b in plan.repeats[:5])
                + ("…" if plan.in_file > 5 else ".")
            )
        self.explanation.setText("\n".join(f"• {line}" for line in lines))
        self.problems.clear()
        for problem in plan.problems:
            self.problems.addItem(problem.sentence())
        if plan.problem_count > len(plan.problems):
            self.problems.addItem(
                f"…and {plural(plan.problem_count - len(plan.problems), 'more row')}."
            )
        self.problems.setVisible(bool(plan.problem_count))
        self.skip_bad.setText(
            f"Skip the {plural(plan.problem_count, 'row')} that cannot be read and import the rest"
        )
        self.skip_bad.setVisible(bool(plan.problem_count))
        rows = plan.sample
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            note = (row.note or "").replace("\n", " ")
            also = [f"{k.replace('_', ' ')} {v:g}" for k, v in row.values]
            also += [f"{ref.name} {v:g}" for ref, v in row.trackers]
            cells = (
                f"{row.at:%a %d %b %Y, %H:%M}",
                f"{row.mood}" + (f" ({row.source_mood})" if row.source_mood else ""),
                ", ".join(t.name for t in row.tags),
                ", ".join(also),
                note[:100] + ("…" if len(note) > 100 else ""),
            )
            for j, text in enumerate(cells):
                self.table.setItem(i, j, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.setVisible(bool(rows))
        if plan.to_import > PREVIEW_ROWS:
            self.summary.setText(plan.describe() + f" The table shows the first {PREVIEW_ROWS}.")
        self.details.show()
        self._update_import_button()

    def _skip_changed(self, checked: bool) -> None:
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
        db = self.db
        self.error.setText("")
        self._start("import", "Importing…", lambda m: write(db, plan, m))

    def _imported(self, result: MoodImportSummary) -> None:
        self.outcome = result
        self.plan = None
        self.summary.setText(result.describe())
        lines = list(result.details)
        if result.added.get("check-ins"):
            lines.insert(0, "They are in the Diary now: Check-ins lists them, Charts draws them.")
        self.explanation.setText("\n".join(f"• {line}" for line in lines))
        self.problems.hide()
        self.skip_bad.hide()
        self.table.hide()
        self.mapping_scroll.hide()
        self.preview_button.setEnabled(False)
        self.close_button.setText("Close")
        self._update_import_button()
        announce_change(self.db)
        if result.first_day is not None:
            self.imported.emit(result.first_day, result.last_day)
