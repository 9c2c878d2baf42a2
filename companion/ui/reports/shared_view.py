"""What was shared: every export the person made, newest first (from the page and the command
line). Kept only in the diary; a line can be removed (with undo)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from companion import features, i18n
from companion.core.reports.service import ReportsService, Shared
from companion.core.reports.wording import period_text
from companion.i18n import N_, _, format_datetime
from companion.ui.pages import AppContext
from companion.ui.widgets.common import StatusLabel, icon, label
from companion.ui.widgets.undo_bar import UndoBar

if TYPE_CHECKING:
    from companion.core.session import OpenDiary

FORMAT_NAMES = {"pdf": N_("PDF"), "csv": N_("CSV"), "json": N_("JSON"), "fhir": N_("FHIR")}
COLUMNS = (N_("When"), N_("Period"), N_("Format"), N_("What was in it"), N_("Notes"), N_("For"))


def _period(shared: Shared) -> str:
    if shared.period is None:
        return _("The whole diary")
    return period_text(shared.period.start, shared.period.end)


def _contents(shared: Shared) -> str:
    if shared.format == "json":
        return _("Everything")
    known = {s.id: s for s in features.load().export_sections()}
    return ", ".join(i18n._(known[s].title) if s in known else s for s in shared.sections)


class SharedView(QWidget):
    def __init__(self, diary: OpenDiary, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.reports = diary.service(ReportsService)
        self.rows: list[Shared] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(
            label(
                _(
                    "Every summary and export you saved, so you can remember who has what. "
                    "This list stays in your diary: it is never part of an export."
                ),
                name="Muted",
            )
        )
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([i18n._(c) for c in COLUMNS])
        self.table.setAccessibleName(_("What was shared"))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection)
        layout.addWidget(self.table, 1)
        self.empty = label(_("Nothing has been exported yet."), name="Muted")
        layout.addWidget(self.empty)
        row = QHBoxLayout()
        self.remove_button = QPushButton(icon("mdi6.playlist-remove"), _("Remove from the list"))
        self.remove_button.setAccessibleName(_("Remove the chosen export from the list"))
        self.remove_button.setToolTip(
            _("Only the line in this list goes; the file is wherever you saved or sent it.")
        )
        self.remove_button.clicked.connect(self.remove_selected)
        self.remove_button.setEnabled(False)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.status = StatusLabel(accessible_name=_("What was shared status"))
        layout.addWidget(self.status)
        self.undo_bar = UndoBar()
        layout.addWidget(self.undo_bar)
        self.ops = context.operations("reports", self.status, undo=self.undo_bar)
        context.changes.listen("reports", lambda _c: self.refresh(), receiver=self)
        self.refresh()

    def refresh(self) -> None:
        self.rows = self.reports.shared()
        self.table.setRowCount(len(self.rows))
        for n, shared in enumerate(self.rows):
            notes = _("Included") if shared.includes_notes else _("Left out")
            fmt = i18n._(FORMAT_NAMES.get(shared.format, shared.format))
            if shared.protected:
                fmt = _("{format}\nwith a password").format(format=fmt)
            cells = (
                format_datetime(shared.made_at, "medium"),
                _period(shared),
                fmt,
                _contents(shared),
                notes,
                shared.shared_with or "",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 0 and shared.file_name:
                    item.setToolTip(shared.file_name)
                self.table.setItem(n, column, item)
        self.table.resizeRowsToContents()
        self.table.setVisible(bool(self.rows))
        self.empty.setVisible(not self.rows)
        self._selection()

    def _selection(self) -> None:
        self.remove_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def remove_selected(self) -> None:
        chosen = self.table.selectionModel().selectedRows()
        if not chosen:
            return
        shared = self.rows[chosen[0].row()]
        self.ops.run(
            lambda: self.reports.forget(shared.id),
            what="shared",
            undo_text=_("Removed from the list."),
            undo=lambda gone: lambda: self.reports.restore(gone),
        )
