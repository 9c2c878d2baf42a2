"""The Diary page: check in, history, charts, patterns & insights, tags & trackers, import.

Ctrl+N opens a new check-in from anywhere in the app (``dialogs.NewCheckInKey``, installed by
the Today card, which is always built, and by this page).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTabWidget, QVBoxLayout, QWidget

from companion.core.mood.service import MoodService
from companion.core.session import OpenDiary
from companion.i18n import _
from companion.ui.mood.charts_tab import ChartsView
from companion.ui.mood.checkin_form import CheckInForm
from companion.ui.mood.dialogs import NEW_CHECKIN_SHORTCUT, CheckInDialog, NewCheckInKey
from companion.ui.mood.history import HistoryView
from companion.ui.mood.insights_tab import InsightsView
from companion.ui.mood.manage import ManageView
from companion.ui.pages import AppContext, Page
from companion.ui.widgets.common import Card, icon, label, title


class DiaryPage(Page):
    page_id = "mood"

    def __init__(self, diary: OpenDiary, context: AppContext, parent: QWidget | None = None):
        super().__init__(diary, context, parent)
        self.service = diary.service(MoodService)
        self.dialog: QWidget | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.setSpacing(14)
        head = QHBoxLayout()
        head.addWidget(title(_("Diary")), 1)
        self.import_button = QPushButton(icon("mdi6.file-import-outline"), _("Import…"))
        self.import_button.setAccessibleName(
            _("Import check-ins from Daylio, eMoods, Bearable or a CSV file")
        )
        self.import_button.setToolTip(
            _("Bring in check-ins from Daylio, eMoods, Bearable or a spreadsheet (CSV)")
        )
        self.import_button.clicked.connect(self.open_import)
        head.addWidget(self.import_button)
        layout.addLayout(head)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(_("Diary sections"))
        self.tabs.setDocumentMode(True)
        self.tabs.setUsesScrollButtons(True)  # large text: the tabs scroll, the page does not

        history_tab = QWidget()
        history_layout = QVBoxLayout(history_tab)
        history_layout.setContentsMargins(0, 12, 0, 0)
        self.checkin_card = Card(_("New check-in"))
        self.form = CheckInForm(self.service, context)
        self.checkin_card.body.addWidget(self.form)
        tip = _("Tip: {shortcut} opens a check-in from any page.")
        self.checkin_card.body.addWidget(
            label(tip.format(shortcut=NEW_CHECKIN_SHORTCUT), name="Muted")
        )
        history_layout.addWidget(self.checkin_card)
        self.history = HistoryView(self.service, context)
        history_layout.addWidget(self.history, 1)
        self.charts = ChartsView(diary)
        self.insights = InsightsView(diary)
        self.manage = ManageView(self.service, context)
        self.tabs.addTab(history_tab, icon("mdi6.format-list-bulleted"), _("Check-ins"))
        self.tabs.addTab(self.charts, icon("mdi6.chart-line"), _("Charts"))
        self.tabs.addTab(self.insights, icon("mdi6.lightbulb-outline"), _("Patterns && insights"))
        self.tabs.addTab(self.manage, icon("mdi6.tag-multiple-outline"), _("Tags && trackers"))
        layout.addWidget(self.tabs, 1)
        self._stale = {0: True, 1: True, 2: True, 3: True}
        self.tabs.currentChanged.connect(self._tab_shown)

        # Ctrl+N from anywhere: an application-wide key filter that lives as long as this page
        # (a QShortcut would only fire while this often hidden page is visible)
        self.shortcut = NewCheckInKey.install(self, self.service, context)
        context.changes.listen("mood", lambda _change: self._diary_changed(), receiver=self)

    # -- refreshing --------------------------------------------------------------------------

    def refresh(self) -> None:
        for key in self._stale:
            self._stale[key] = True
        if self.form.editing is None:
            self.form.reload_options()
        self._tab_shown(self.tabs.currentIndex())

    def _diary_changed(self) -> None:
        for key in self._stale:
            self._stale[key] = True
        if self.isVisible():
            self._tab_shown(self.tabs.currentIndex())
        if self.form.editing is None:
            self.form.reload_options()

    def _tab_shown(self, index: int) -> None:
        if not self._stale.get(index, False):
            return
        self._stale[index] = False
        if index == 0:
            self.history.reload_keeping_place()
        elif index == 1:
            self.charts.refresh()
        elif index == 2:
            self.insights.refresh()
        elif index == 3:
            self.manage.refresh()

    def show_tab(self, name: str) -> None:
        index = {"history": 0, "charts": 1, "insights": 2, "manage": 3}[name]
        self.tabs.setCurrentIndex(index)
        self._tab_shown(index)

    def open_item(self, item_id: str) -> bool:
        """``companion:diary/<entry id>`` opens that check-in for editing."""
        entry = self.service.find_entry(item_id)
        if entry is None:
            return False
        self.show_tab("history")
        self.history.edit(entry)
        return True

    # -- actions -----------------------------------------------------------------------------

    def before_lock(self) -> None:
        """A check-in with a mood chosen (or an edit) is saved rather than lost on a lock."""
        self.form.save_if_started()
        for dialog in (self.history.dialog, self.shortcut.dialog):
            if isinstance(dialog, CheckInDialog) and dialog.isVisible():
                dialog.form.save_if_started()
        stop = getattr(self.dialog, "before_lock", None)
        if callable(stop):  # an import in progress stops and writes nothing
            stop()

    def open_import(self) -> None:
        from companion.core.mood.importing.engine import MoodImporter
        from companion.ui.mood.import_dialog import ImportDialog

        dialog = ImportDialog(self.diary.service(MoodImporter), self.context, self.window())
        dialog.imported.connect(self._show_imported)
        self.dialog = dialog
        dialog.open()

    def _show_imported(self, first: date, _last: date) -> None:
        """Imported history older than the charts' window: show all of it there."""
        start, _end = self.charts.period
        if first < start:
            self.charts.presets.buttons["all"].click()
