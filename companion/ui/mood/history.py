"""The history: check-ins grouped by day, newest first, with filters, edit and delete + undo.

Days are shown a page at a time (most recent first, "Show earlier days" adds more), so ten
years of check-ins never build thousands of widgets at once.
"""

from __future__ import annotations

from datetime import date
from typing import cast

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from companion.core.errors import ValidationError
from companion.core.mood.service import DayGroup, Entry, MoodService, TagKind
from companion.core.mood.vocabulary import anchor
from companion.ui.mood.dialogs import CheckInDialog
from companion.ui.mood.entry_view import EntryView, day_heading
from companion.ui.mood.events import announce_change
from companion.ui.widgets.common import Card, StatusLabel, icon, label
from companion.ui.widgets.undo_bar import UndoBar

DAYS_PER_PAGE = 30


class HistoryView(QWidget):
    def __init__(self, service: MoodService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.groups: list[DayGroup] = []
        self.shown_days = DAYS_PER_PAGE
        self.views: list[EntryView] = []
        self.dialog: CheckInDialog | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.setSpacing(10)

        filters = QHBoxLayout()
        filters.setSpacing(8)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search notes")
        self.search.setAccessibleName("Search notes")
        self.search.setClearButtonEnabled(True)
        self.search.setMaxLength(200)
        self.tag = QComboBox()
        self.tag.setAccessibleName("Only check-ins with this tag")
        self.tag.setMinimumWidth(170)
        self.use_dates = QCheckBox("Dates")
        self.use_dates.setAccessibleName("Only check-ins between two dates")
        self.start = QDateEdit()
        self.end = QDateEdit()
        for edit, name in ((self.start, "From date"), (self.end, "To date")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            edit.setAccessibleName(name)
            edit.setEnabled(False)
        today = QDate.currentDate()
        self.end.setDate(today)
        self.start.setDate(today.addDays(-30))
        self.clear_button = QPushButton(icon("mdi6.filter-remove-outline"), "Clear")
        self.clear_button.setAccessibleName("Clear the filters")
        self.clear_button.clicked.connect(self.clear_filters)
        filters.addWidget(self.search, 2)
        filters.addWidget(self.tag, 1)
        filters.addWidget(self.use_dates)
        filters.addWidget(self.start)
        filters.addWidget(label("to", wrap=False))
        filters.addWidget(self.end)
        filters.addWidget(self.clear_button)
        layout.addLayout(filters)

        self.undo = UndoBar()
        layout.addWidget(self.undo)
        self.error = StatusLabel("Error", "History problem")
        layout.addWidget(self.error)
        self.count = label("", name="Muted")
        self.count.setAccessibleName("How many check-ins are shown")
        layout.addWidget(self.count)
        self.list_card = Card()
        self.list_box = QVBoxLayout()
        self.list_box.setSpacing(4)
        self.list_card.body.addLayout(self.list_box)
        self.more_button = QPushButton("Show earlier days")
        self.more_button.setAccessibleName("Show earlier days")
        self.more_button.clicked.connect(self.show_more)
        self.list_card.body.addWidget(self.more_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.list_card.setAccessibleName("Your check-ins")
        layout.addWidget(self.list_card)
        layout.addStretch(1)

        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(250)
        self._typing.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _t: self._typing.start())
        self.tag.currentIndexChanged.connect(lambda _i: self.reload())
        self.use_dates.toggled.connect(self._dates_toggled)
        self.start.dateChanged.connect(lambda _d: self.reload())
        self.end.dateChanged.connect(lambda _d: self.reload())
        self._loading_tags = False
        self.reload_tags()

    # -- filters -----------------------------------------------------------------------------

    def reload_tags(self) -> None:
        current = self.tag.currentData()
        self._loading_tags = True
        self.tag.blockSignals(True)
        self.tag.clear()
        self.tag.addItem("All tags", None)
        for tag in self.service.tags():
            kind = "activity" if tag.kind is TagKind.ACTIVITY else "hard thing"
            archived = ", archived" if tag.archived else ""
            self.tag.addItem(f"{tag.name} ({kind}{archived})", tag.id)
        index = self.tag.findData(current)
        self.tag.setCurrentIndex(max(0, index))
        self.tag.blockSignals(False)
        self._loading_tags = False

    def _dates_toggled(self, on: bool) -> None:
        self.start.setEnabled(on)
        self.end.setEnabled(on)
        self.reload()

    def clear_filters(self) -> None:
        for widget in (self.search, self.tag, self.use_dates):
            widget.blockSignals(True)
        self.search.clear()
        self.tag.setCurrentIndex(0)
        self.use_dates.setChecked(False)
        self.start.setEnabled(False)
        self.end.setEnabled(False)
        for widget in (self.search, self.tag, self.use_dates):
            widget.blockSignals(False)
        self.reload()

    def filtering(self) -> bool:
        return bool(
            self.search.text().strip() or self.tag.currentData() or self.use_dates.isChecked()
        )

    # -- list --------------------------------------------------------------------------------

    def reload(self) -> None:
        self._typing.stop()
        self.error.setText("")
        tag_id = self.tag.currentData()
        start = end = None
        if self.use_dates.isChecked():
            start = cast(date, self.start.date().toPython())
            end = cast(date, self.end.date().toPython())
        try:
            self.groups = self.service.history(
                start=start,
                end=end,
                tag_ids=[tag_id] if tag_id else [],
                text=self.search.text().strip() or None,
            )
        except ValidationError as exc:
            self.groups = []
            self.error.setText(str(exc))
        self.shown_days = DAYS_PER_PAGE
        self._render()

    def show_more(self) -> None:
        self.shown_days += DAYS_PER_PAGE
        self._render()

    def _render(self) -> None:
        for i in reversed(range(self.list_box.count())):
            item = self.list_box.takeAt(i)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        self.views = []
        tags = {t.id: t for t in self.service.tags()}
        trackers = {t.id: t for t in self.service.trackers()}
        shown = self.groups[: self.shown_days]
        for group in shown:
            day = QWidget()
            box = QVBoxLayout(day)
            box.setContentsMargins(0, 10, 0, 0)
            box.setSpacing(0)
            heading = label(f"<b>{day_heading(group.day)}</b>", wrap=False)
            summary = day_summary(group)
            head = QHBoxLayout()
            head.setSpacing(14)
            head.addWidget(heading)
            head.addWidget(label(summary, name="Muted"), 1)
            box.addLayout(head)
            day.setAccessibleName(f"{day_heading(group.day)}: {summary}")
            for entry in reversed(group.entries):  # newest first, like the days
                view = EntryView(entry, tags, trackers)
                view.edit_requested.connect(self.edit)
                view.delete_requested.connect(self.delete)
                self.views.append(view)
                box.addWidget(view)
            self.list_box.addWidget(day)
        total = sum(len(g.entries) for g in self.groups)
        if not self.groups:
            self.count.setText(
                "No check-ins match these filters." if self.filtering() else "Nothing logged yet."
            )
        else:
            days = len(self.groups)
            what = f"{total} check-in{'s' if total != 1 else ''} on {days} "
            what += "day" if days == 1 else "days"
            if len(shown) < days:
                what += f"; showing the latest {len(shown)} days"
            self.count.setText(
                what + ("" if not self.filtering() else " match these filters") + "."
            )
        self.more_button.setVisible(len(shown) < len(self.groups))

    def reload_keeping_place(self) -> None:
        """After a change: the same filters and as many days as were shown."""
        self.reload_tags()
        keep = self.shown_days
        self.reload()
        if keep > self.shown_days:
            self.shown_days = keep
            self._render()

    # -- actions -----------------------------------------------------------------------------

    def edit(self, entry: Entry) -> None:
        try:
            fresh = self.service.get_entry(entry.id)
        except ValidationError as exc:
            self.error.setText(str(exc))
            return
        self.dialog = CheckInDialog(self.service, self.window(), fresh)
        self.dialog.form.saved.connect(lambda _e: self.undo.offer("Your changes are saved.", None))
        self.dialog.open()

    def delete(self, entry: Entry) -> None:
        try:
            snapshot = self.service.delete_entry(entry.id)
        except ValidationError as exc:
            self.error.setText(str(exc))
            return
        when = f"{snapshot.local_time:%a %d %b, %H:%M}"
        self.undo.offer(f"The check-in of {when} was deleted.", lambda: self._restore(snapshot))
        announce_change(self.service.database)

    def _restore(self, snapshot: Entry) -> None:
        try:
            self.service.restore_entry(snapshot)
        except ValidationError as exc:
            self.error.setText(str(exc))
            return
        self.undo.offer("The check-in is back.", None)
        announce_change(self.service.database)


def day_summary(group: DayGroup) -> str:
    """E.g. "3 check-ins · mood from 4 to 7, average 5.3" (nothing judged, nothing missing)."""
    n = len(group.entries)
    if n == 1:
        return f"1 check-in · {anchor('mood', group.entries[0].mood).lower()}"
    if group.mood_min == group.mood_max:
        return f"{n} check-ins · mood {group.mood_min} each time"
    return (
        f"{n} check-ins · mood from {group.mood_min} to {group.mood_max}, "
        f"average {group.mood_mean:.1f}"
    )
