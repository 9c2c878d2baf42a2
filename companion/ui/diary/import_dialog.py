"""Import check-ins from Daylio or any CSV: choose the file, map moods or columns, preview,
import. Nothing is written until "Import" and then all rows or none (``core.mood_import``).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from companion.core.errors import ImportFileError
from companion.core.mood import MOOD_ANCHORS, fold
from companion.core.mood_import import (
    CSV_FIELDS,
    DAYLIO_DEFAULT_MOODS,
    MAX_FILE_BYTES,
    ColumnMapping,
    ParsedFile,
    Preview,
    csv_header,
    daylio_mood_names,
    guess_mapping,
    parse_csv,
    parse_daylio,
    preview,
    read_rows,
    read_text,
    write,
)
from companion.storage.database import Database
from companion.ui.diary.events import announce_change
from companion.ui.help_access import HelpfulDialog
from companion.ui.widgets.common import StatusLabel, label, primary_button, title

PREVIEW_ROWS = 200
UNSET = -1


class ImportDialog(HelpfulDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.data: bytes | None = None
        self.path: Path | None = None
        self.plan: Preview | None = None
        self.mood_spins: dict[str, QSpinBox] = {}
        self.column_boxes: dict[str, QComboBox] = {}
        self.setWindowTitle("Import check-ins")
        self.setModal(True)
        self.resize(820, 640)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(title("Import check-ins"))
        layout.addWidget(
            label(
                "Bring in a diary you kept elsewhere. Nothing changes until you press Import, "
                "and then everything is imported or nothing is. Check-ins already in your "
                "diary (same time and mood) are skipped.",
                name="Muted",
            )
        )
        kinds = QHBoxLayout()
        self.daylio = QRadioButton("Daylio export (CSV)")
        self.daylio.setAccessibleName("Daylio export")
        self.generic = QRadioButton("Other CSV file")
        self.generic.setAccessibleName("Other CSV file")
        self.daylio.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.daylio)
        group.addButton(self.generic)
        self.daylio.toggled.connect(lambda _on: self._reparse())
        kinds.addWidget(self.daylio)
        kinds.addWidget(self.generic)
        kinds.addStretch(1)
        layout.addLayout(kinds)

        file_row = QHBoxLayout()
        self.choose = QPushButton("Choose file…")
        self.choose.setAccessibleName("Choose the file to import")
        self.choose.clicked.connect(self.choose_file)
        self.file_label = label("No file chosen yet.", name="Muted")
        file_row.addWidget(self.choose)
        file_row.addWidget(self.file_label, 1)
        layout.addLayout(file_row)

        self.mapping = QStackedWidget()
        self.mood_page = QWidget()
        self.mood_form = QFormLayout(self.mood_page)
        self.column_page = QWidget()
        self.column_form = QFormLayout(self.column_page)
        self.mapping.addWidget(QWidget())
        self.mapping.addWidget(self.mood_page)
        self.mapping.addWidget(self.column_page)
        layout.addWidget(self.mapping)

        self.preview_button = QPushButton("Preview")
        self.preview_button.setAccessibleName("Preview the import")
        self.preview_button.clicked.connect(self.make_preview)
        self.preview_button.setEnabled(False)
        layout.addWidget(self.preview_button)
        self.error = StatusLabel("Error", "Import problem")
        layout.addWidget(self.error)
        self.summary = StatusLabel("", "Import summary")
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["When", "Mood", "Activities", "Note"])
        self.table.setAccessibleName("Check-ins to import")
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.hide()
        layout.addWidget(self.table, 1)

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

    # -- choosing ----------------------------------------------------------------------------

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose the file to import", "", "CSV files (*.csv);;All files (*)"
        )
        if path:
            self.load_path(Path(path))

    def load_path(self, path: Path) -> None:
        self.error.setText("")
        self.summary.setText("")
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise ImportFileError("The file is larger than 50 MB, far more than any export.")
            self.data = path.read_bytes()
        except OSError as exc:
            self.error.setText(f"The file could not be read ({exc.strerror or 'unknown error'}).")
            return
        except ImportFileError as exc:
            self.error.setText(str(exc))
            return
        self.path = path
        self.file_label.setText(path.name)
        self._reparse()

    def _reparse(self) -> None:
        """Build the mood or column mapping for the chosen file."""
        self.plan = None
        self.import_button.setEnabled(False)
        self.table.hide()
        self.summary.setText("")
        self.error.setText("")
        if self.data is None:
            return
        try:
            if self.daylio.isChecked():
                self._mood_mapping()
            else:
                self._column_mapping()
        except ImportFileError as exc:
            self.mapping.setCurrentIndex(0)
            self.preview_button.setEnabled(False)
            self.error.setText(str(exc))
            return
        self.preview_button.setEnabled(True)

    def _mood_mapping(self) -> None:
        assert self.data is not None
        rows = read_rows(read_text(self.data))
        chosen = {name: spin.value() for name, spin in self.mood_spins.items()}
        while self.mood_form.rowCount():
            self.mood_form.removeRow(0)
        self.mood_spins = {}
        names = daylio_mood_names(rows[1:], 4) if len(rows[0]) in (7, 8) else {}
        defaults = {fold(k): v for k, v in DAYLIO_DEFAULT_MOODS.items()}
        self.mood_form.addRow(
            label(
                "Daylio's moods and the number each becomes on Companion's 0–10 scale. "
                "Give every mood you renamed in Daylio a number.",
                name="Muted",
            )
        )
        for name, count in sorted(names.items(), key=lambda kv: -kv[1]):
            spin = QSpinBox()
            spin.setRange(UNSET, 10)
            spin.setSpecialValueText("choose a number")
            spin.setValue(chosen.get(name, defaults.get(fold(name), UNSET)))
            spin.setAccessibleName(f"Number for the mood “{name}”")
            spin.valueChanged.connect(lambda _v: self._mapping_changed())
            spin.setToolTip("; ".join(f"{i}: {a}" for i, a in enumerate(MOOD_ANCHORS)))
            self.mood_spins[name] = spin
            self.mood_form.addRow(f"“{name}” ({count} check-in{'s' if count != 1 else ''})", spin)
        self.mapping.setCurrentIndex(1)

    def _column_mapping(self) -> None:
        assert self.data is not None
        header, _sample = csv_header(self.data)
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
            box.currentIndexChanged.connect(lambda _i: self._mapping_changed())
            self.column_boxes[key] = box
            self.column_form.addRow(words, box)
        self.scale = QComboBox()
        self.scale.setAccessibleName("Mood scale in the file")
        self.scale.addItem("0 to 10", 10)
        self.scale.addItem("1 to 5", 5)
        self.scale.currentIndexChanged.connect(lambda _i: self._mapping_changed())
        self.column_form.addRow("Mood scale in the file", self.scale)
        self.mapping.setCurrentIndex(2)

    def _mapping_changed(self) -> None:
        self.plan = None
        self.import_button.setEnabled(False)
        self.table.hide()
        self.summary.setText("")

    # -- preview and import ------------------------------------------------------------------

    def parse(self) -> ParsedFile:
        assert self.data is not None
        if self.daylio.isChecked():
            unset = [n for n, s in self.mood_spins.items() if s.value() == UNSET]
            if unset:
                shown = ", ".join(f"“{n}”" for n in unset[:8])
                raise ImportFileError(f"Choose a number for each mood first: {shown}.")
            return parse_daylio(self.data, {n: s.value() for n, s in self.mood_spins.items()})
        columns = {
            key: box.currentData()
            for key, box in self.column_boxes.items()
            if box.currentData() is not None
        }
        return parse_csv(self.data, ColumnMapping(columns, mood_scale=self.scale.currentData()))

    def make_preview(self) -> None:
        self.error.setText("")
        try:
            self.plan = preview(self.db, self.parse())
        except ImportFileError as exc:
            self.plan = None
            self.error.setText(str(exc))
            self.table.hide()
            self.import_button.setEnabled(False)
            return
        rows = self.plan.new_rows
        self.table.setRowCount(min(len(rows), PREVIEW_ROWS))
        for i, row in enumerate(rows[:PREVIEW_ROWS]):
            note = (row.note or "").replace("\n", " ")
            cells = (
                f"{row.at:%a %d %b %Y, %H:%M}",
                f"{row.mood}" + (f" ({row.source_mood})" if row.source_mood else ""),
                ", ".join(row.tags),
                note[:80] + ("…" if len(note) > 80 else ""),
            )
            for j, text in enumerate(cells):
                self.table.setItem(i, j, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.setVisible(bool(rows))
        more = f" The table shows the first {PREVIEW_ROWS}." if len(rows) > PREVIEW_ROWS else ""
        self.summary.setText(self.plan.describe() + more)
        self.import_button.setEnabled(bool(rows))

    def run_import(self) -> None:
        if self.plan is None:
            return
        try:
            result = write(self.db, self.plan)
        except ImportFileError as exc:
            self.error.setText(str(exc))
            return
        self.plan = None
        self.summary.setText(result.describe())
        self.import_button.setEnabled(False)
        self.preview_button.setEnabled(False)
        self.close_button.setText("Close")
        self.table.hide()
        announce_change(self.db)
