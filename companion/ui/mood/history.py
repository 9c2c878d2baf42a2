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

from companion.core.mood.service import DayGroup, Entry, MoodService, TagKind
from companion.core.mood.vocabulary import anchor
from companion.i18n import _, format_datetime, format_number, ngettext, qt_date_format
from companion.ui.mood.dialogs import CheckInDialog
from companion.ui.mood.entry_view import EntryView, day_heading
from companion.ui.pages import AppContext
from companion.ui.widgets.common import Card, StatusLabel, icon, label, tab_order_as_laid_out
from companion.ui.widgets.undo_bar import UndoBar

DAYS_PER_PAGE = 30


class HistoryView(QWidget):
    def __init__(
        self, service: MoodService, context: AppContext, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.context = context
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
        self.search.setPlaceholderText(_("Search notes"))
        self.search.setAccessibleName(_("Search notes"))
        self.search.setClearButtonEnabled(True)
        self.search.setMaxLength(200)
        self.tag = QComboBox()
        self.tag.setAccessibleName(_("Only check-ins with this tag"))
        self.tag.setMinimumWidth(170)
        self.use_dates = QCheckBox(_("Dates"))
        self.use_dates.setAccessibleName(_("Only check-ins between two dates"))
        self.start = QDateEdit()
        self.end = QDateEdit()
        for edit, name in ((self.start, _("From date")), (self.end, _("To date"))):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(qt_date_format("medium"))
            edit.setAccessibleName(name)
            edit.setEnabled(False)
        today = QDate.currentDate()
        self.end.setDate(today)
        self.start.setDate(today.addDays(-30))
        self.clear_button = QPushButton(icon("mdi6.filter-remove-outline"), _("Clear"))
        self.clear_button.setAccessibleName(_("Clear the filters"))
        self.clear_button.clicked.connect(self.clear_filters)
        filters.addWidget(self.search, 2)
        filters.addWidget(self.tag, 1)
        filters.addWidget(self.use_dates)
        filters.addWidget(self.start)
        filters.addWidget(label(_("to"), wrap=False))
        filters.addWidget(self.end)
        filters.addWidget(self.clear_button)
        layout.addLayout(filters)

        self.undo = UndoBar()
        layout.addWidget(self.undo)
        self.error = StatusLabel("Error", _("History problem"))
        layout.addWidget(self.error)
        self.ops = context.operations("mood", self.error, undo=self.undo)
        self.count = label("", name="Muted")
        self.count.setAccessibleName(_("How many check-ins are shown"))
        layout.addWidget(self.count)
        self.list_card = Card()
        self.list_box = QVBoxLayout()
        self.list_box.setSpacing(4)
        self.list_card.body.addLayout(self.list_box)
        self.more_button = QPushButton(_("Show earlier days"))
        self.more_button.setAccessibleName(_("Show earlier days"))
        self.more_button.clicked.connect(self.show_more)
        self.list_card.body.addWidget(self.more_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.list_card.setAccessibleName(_("Your check-ins"))
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
        self.reload_tags()

    # -- filters -----------------------------------------------------------------------------

    def reload_tags(self) -> None:
        current = self.tag.currentData()
        self.tag.blockSignals(True)
        self.tag.clear()
        self.tag.addItem(_("All tags"), None)
        for tag in self.service.tags():
            if tag.kind is TagKind.ACTIVITY:
                shown = _("{name} (activity, archived)") if tag.archived else _("{name} (activity)")
            elif tag.archived:
                shown = _("{name} (hard thing, archived)")
            else:
                shown = _("{name} (hard thing)")
            self.tag.addItem(shown.format(name=tag.name), tag.id)
        index = self.tag.findData(current)
        self.tag.setCurrentIndex(max(0, index))
        self.tag.blockSignals(False)

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
        tag_id = self.tag.currentData()
        start = end = None
        if self.use_dates.isChecked():
            start = cast(date, self.start.date().toPython())
            end = cast(date, self.end.date().toPython())
        text = self.search.text().strip() or None
        found = self.ops.run(
            lambda: self.service.history(
                start=start, end=end, tag_ids=[tag_id] if tag_id else [], text=text
            ),
            announce=False,
        )
        self.groups = found if found is not None else []
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
            day.setAccessibleName(
                _("{day}: {summary}").format(day=day_heading(group.day), summary=summary)
            )
            for entry in reversed(group.entries):  # newest first, like the days
                view = EntryView(entry, tags, trackers)
                view.edit_requested.connect(self.edit)
                view.delete_requested.connect(self.delete)
                self.views.append(view)
                box.addWidget(view)
            self.list_box.addWidget(day)
        if not self.groups:
            self.count.setText(
                _("No check-ins match these filters.")
                if self.filtering()
                else _("Nothing logged yet.")
            )
        else:
            self.count.setText(self._count_text(len(shown)))
        self.more_button.setVisible(len(shown) < len(self.groups))
        tab_order_as_laid_out(self)  # the new rows' buttons before "Show earlier days"

    def _count_text(self, shown: int) -> str:
        total = sum(len(g.entries) for g in self.groups)
        days = len(self.groups)
        check_ins = ngettext("{count} check-in", "{count} check-ins", total).format(count=total)
        on_days = ngettext("{count} day", "{count} days", days).format(count=days)
        latest = ngettext("{count} day", "{count} days", shown).format(count=shown)
        if shown < days:
            if self.filtering():
                text = _("{check_ins} on {days}; showing the latest {shown} match these filters.")
            else:
                text = _("{check_ins} on {days}; showing the latest {shown}.")
        elif self.filtering():
            text = _("{check_ins} on {days} match these filters.")
        else:
            text = _("{check_ins} on {days}.")
        return text.format(check_ins=check_ins, days=on_days, shown=latest)

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
        fresh = self.ops.run(lambda: self.service.get_entry(entry.id), announce=False)
        if fresh is None:
            return
        self.dialog = CheckInDialog(self.service, self.context, self.window(), fresh)
        self.dialog.form.saved.connect(
            lambda _e: self.undo.offer(_("Your changes are saved."), None)
        )
        self.dialog.open()

    def delete(self, entry: Entry) -> None:
        when = format_datetime(entry.local_time)
        self.ops.run(
            lambda: self.service.delete_entry(entry.id),
            what="entries",
            undo_text=_("The check-in of {when} was deleted.").format(when=when),
            undo=lambda snapshot: lambda: self._restore(snapshot),
        )

    def _restore(self, snapshot: Entry) -> None:
        """The undo of a delete (run through ``ops``, which reports a problem)."""
        self.service.restore_entry(snapshot)
        self.undo.offer(_("The check-in is back."), None)


def day_summary(group: DayGroup) -> str:
    """E.g. "3 check-ins · mood from 4 to 7, average 5.3" (nothing judged, nothing missing)."""
    n = len(group.entries)
    if n == 1:
        words = anchor("mood", group.entries[0].mood).lower()
        return _("1 check-in · {words}").format(words=words)
    if group.mood_min == group.mood_max:
        return ngettext(
            "{count} check-in · mood {value} each time",
            "{count} check-ins · mood {value} each time",
            n,
        ).format(count=n, value=group.mood_min)
    return ngettext(
        "{count} check-in · mood from {low} to {high}, average {mean}",
        "{count} check-ins · mood from {low} to {high}, average {mean}",
        n,
    ).format(
        count=n, low=group.mood_min, high=group.mood_max, mean=format_number(group.mood_mean, 1)
    )
