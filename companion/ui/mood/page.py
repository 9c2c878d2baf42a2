"""The Diary page: check in, history, charts, patterns & insights, tags & trackers, import.

Ctrl+N opens a new check-in from anywhere in the app (``dialogs.NewCheckInKey``, installed by
the Today card, which is always built, and by this page).
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLayout,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from companion.core.mood.service import MoodService
from companion.core.session import OpenDiary
from companion.i18n import _
from companion.ui.changes import Change
from companion.ui.context import WINDOW_SIZE
from companion.ui.mood.checkin_form import CheckInForm
from companion.ui.mood.dialogs import NEW_CHECKIN_SHORTCUT, NewCheckInKey, alive
from companion.ui.mood.history import DAYS_PER_PAGE, HistoryView
from companion.ui.pages import AppContext, Page
from companion.ui.timers import after, after_paint, in_steps, under_way
from companion.ui.widgets.common import BusyRow, Card, icon, label, title

if TYPE_CHECKING:
    # the chart tabs import pyqtgraph and numpy: only when one is first opened
    from companion.ui.mood.charts_tab import ChartsView
    from companion.ui.mood.insights_tab import InsightsView
    from companion.ui.mood.manage import ManageView

TAB_NAMES = ("history", "charts", "insights", "manage")
#: the check-ins list out of sight is read again this long after the last change (ms)
HISTORY_REREAD_MS = 100
#: while other work is under way it waits (another ``HISTORY_REREAD_MS``) at most this often
HISTORY_WAITS = 10


class DiaryPage(Page):
    """The page frame (title, Import, the tab bar) is built at once; each tab's content the
    first time that tab is shown, and each tab is as tall as its own content."""

    page_id = "mood"

    def __init__(self, diary: OpenDiary, context: AppContext, parent: QWidget | None = None):
        super().__init__(diary, context, parent)
        self.service = diary.service(MoodService)
        self.dialog: QWidget | None = None
        self._import_waiting: QDialog | None = None  # made, shown on the next turn
        self._imported_first: date | None = None
        self._waiting: BusyRow | None = None  # "Drawing the charts…" while they import
        self._list_waiting = False  # the check-ins are read once the page is painted

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
        self.import_button.clicked.connect(lambda: self.open_import(now=False))
        head.addWidget(self.import_button)
        layout.addLayout(head)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(_("Diary sections"))
        self.tabs.setDocumentMode(True)
        self.tabs.setUsesScrollButtons(True)  # large text: the tabs scroll, the page does not
        self._holders: list[QWidget] = []
        self._built: dict[int, QWidget] = {}
        for icon_name, text in (
            ("mdi6.format-list-bulleted", _("Check-ins")),
            ("mdi6.chart-line", _("Charts")),
            ("mdi6.lightbulb-outline", _("Patterns && insights")),
            ("mdi6.tag-multiple-outline", _("Tags && trackers")),
        ):
            holder = QWidget()
            box = QVBoxLayout(holder)
            box.setContentsMargins(0, 0, 0, 0)
            self._holders.append(holder)
            self.tabs.addTab(holder, icon(icon_name), text)
        layout.addWidget(self.tabs)
        layout.addStretch(1)
        self._stale = {0: True, 1: True, 2: True, 3: True}
        #: the diary's version, the date and the theme when the tabs were last marked to be read
        #: (the page is made from the diary as it is now: its first showing reads it)
        self._seen: object = self.diary_day_theme()
        #: the check-ins list out of sight, read again after a change (``_keep_history_current``)
        self._history_reread = QTimer(self)
        self._history_reread.setSingleShot(True)
        self._history_reread.setInterval(HISTORY_REREAD_MS)
        self._history_reread.timeout.connect(self._reread_history)
        self._history_waits = 0
        self._fit_tabs(0)
        self.tabs.currentChanged.connect(self._tab_shown)

        # Ctrl+N from anywhere: a key handler that lives as long as this page
        # (a QShortcut would only fire while this often hidden page is visible)
        self.shortcut = NewCheckInKey.install(self, self.service, context)
        context.changes.listen("mood", self._diary_changed, receiver=self)
        #: built ahead: the check-ins are to be read as soon as its build steps make their
        #: list (``start_steps_now`` came first)
        self._read_when_made = False
        if self.service.count_entries() >= DAYS_PER_PAGE:
            # Many check-ins (reading and laying out the newest days is ~50 ms at ten years):
            # the list is filled a turn after the page is first painted, in a place already
            # taller than the window (``_build``), so the first paint has the scroll bar the
            # full page has (a short list is read when the page is first shown, in the same
            # turn).
            self.refreshed_when_built = True
            self._list_waiting = True
            after_paint(self, self._fill_list)
        if self.built_ahead:
            # built ahead, out of sight: the check-ins tab (the tab the page opens on) in two
            # build steps, a turn each (in the constructor, with it: one turn of 20-30 ms)
            self.build_in_steps(
                [self._make_form, self._make_history, partial(self.tab, 0)], budget_ms=0
            )
        else:
            self.tab(0)  # the check-ins: the tab the page opens on
        # the Charts tab is a click away: import pyqtgraph and numpy meanwhile, off this thread
        from companion.ui.charts import warm

        if not warm.imported():
            QTimer.singleShot(300, self, warm.start)

    # -- tabs, built when first shown --------------------------------------------------------

    def tab(self, index: int) -> QWidget:
        """The content of a tab, built now if it has not been shown yet."""
        built = self._built.get(index)
        if built is None:
            holder = self._holders[index].layout()
            assert holder is not None
            built = self._build(index, holder)
            self._built[index] = built
            if holder.indexOf(built) < 0:
                holder.addWidget(built)
            built.setVisible(index == self.tabs.currentIndex())
            if index != 3:
                self._holders[index].setMinimumHeight(0)  # (as tall as its content from now on)
        return built

    @property
    def history(self) -> HistoryView:
        """The check-ins list (its tab made now if the page's build steps have not yet)."""
        self.tab(0)
        return self._history

    @property
    def form(self) -> CheckInForm:
        """The check-in form (its tab made now if the page's build steps have not yet)."""
        self.tab(0)
        return self._form

    def _make_form(self) -> None:
        """The check-ins tab's frame and its check-in card (the first part of ``_build(0)``)."""
        if hasattr(self, "_form"):
            return
        holder = self._holders[0].layout()
        assert holder is not None
        # from the outside in: each part is put in its place before its own parts are
        # made, so no finished subtree is moved (and styled again) more than once
        self._history_tab = QWidget()
        holder.addWidget(self._history_tab)
        history_layout = QVBoxLayout(self._history_tab)
        history_layout.setContentsMargins(0, 12, 0, 0)
        self.checkin_card = Card(_("New check-in"))
        history_layout.addWidget(self.checkin_card)
        self._form = CheckInForm(self.service, self.context)
        self.checkin_card.body.addWidget(self._form)
        tip = _("Tip: {shortcut} opens a check-in from any page.")
        self.checkin_card.body.addWidget(
            label(tip.format(shortcut=NEW_CHECKIN_SHORTCUT), name="Muted")
        )

    def _make_history(self) -> None:
        """The check-ins list below the check-in card (the second part of ``_build(0)``)."""
        self._make_form()
        if hasattr(self, "_history"):
            return
        self._history = HistoryView(self.service, self.context)
        history_layout = self._history_tab.layout()
        assert history_layout is not None
        history_layout.addWidget(self._history)
        self._history.check_in_requested.connect(self._form.mood.setFocus)

    def _build(self, index: int, holder: QLayout) -> QWidget:
        if index == 0:
            self._make_history()
            history_tab = self._history_tab
            if self._list_waiting:  # (the list fits its rows once filled)
                self._history.list_card.setMinimumHeight(WINDOW_SIZE[1])
            if self._read_when_made:
                self._read_when_made = False
                after(self, 0, self.start_steps_now)  # (once the tab is in place)
            return history_tab
        # made inside their holder (the tab's place), for the same reason
        parent = self._holders[index]
        if index == 1:
            from companion.ui.mood.charts_tab import ChartsView

            self._charts = ChartsView(self.diary, parent)
            return self._charts
        if index == 2:
            from companion.ui.mood.insights_tab import InsightsView

            self._insights = InsightsView(self.diary, parent)
            return self._insights
        from companion.ui.mood.manage import ManageView

        self._manage = ManageView(self.service, self.context, parent)
        # its place kept as tall as the tab before until its rows are made (a few a turn: the
        # page's scroll bar went as the tab's frame came, and came back with its rows)
        place = self._holders[index]
        self._manage.rows_made.connect(lambda: place.setMinimumHeight(0))
        return self._manage

    @property
    def charts(self) -> ChartsView:
        self.tab(1)
        return self._charts

    @property
    def insights(self) -> InsightsView:
        self.tab(2)
        return self._insights

    @property
    def manage(self) -> ManageView:
        self.tab(3)
        return self._manage

    @property
    def building(self) -> bool:
        made = getattr(self, "_manage", None)
        return (
            super().building
            or self._list_waiting
            or (0 in self._built and self.history.reading)
            or (made is not None and made.building)
        )

    def finish_building(self) -> None:
        super().finish_building()
        self._fill_list()
        made = getattr(self, "_manage", None)
        if made is not None:
            made.finish_now()

    def start_steps_now(self) -> None:
        """Built ahead, out of sight (``ui/build_ahead.py``): the check-ins are read now, on a
        copy of the diary off the GUI thread (not after a first paint that will come only
        when the page is opened, and then on this thread: 40-50 ms at ten years)."""
        super().start_steps_now()
        if self._list_waiting and not self.locked and not self.isVisible():
            if 0 not in self._built:  # (its build steps have yet to make the list: then)
                self._read_when_made = True
                return
            self._list_waiting = False
            self._stale[0] = False
            card = self.history.list_card
            self.history.reload_off_thread(
                self.diary.read_snapshot(), then=lambda: card.setMinimumHeight(0)
            )

    def _fill_list(self) -> None:
        if self._list_waiting and not self.locked:
            self._list_waiting = False
            self._fill(0)
            self.history.list_card.setMinimumHeight(0)

    def _fit_tabs(self, current: int) -> None:
        """Only the shown tab counts for the page's height (a hidden tab's size is ignored),
        so a short tab never scrolls into the blank height of a long one."""
        for i, holder in enumerate(self._holders):
            vertical = QSizePolicy.Policy.Preferred if i == current else QSizePolicy.Policy.Ignored
            holder.setSizePolicy(QSizePolicy.Policy.Preferred, vertical)
            content = self._built.get(i)
            if content is not None:
                # a hidden widget takes no room in its holder's layout (nor its width's height)
                content.setVisible(i == current)
        self.tabs.updateGeometry()

    # -- refreshing --------------------------------------------------------------------------

    def reads_now(self) -> object:
        """Shown again with the diary, the day and the theme as they were, the page is shown
        as it is (``Page.shown``): nothing is read, the tabs and the form are as they were."""
        return self.diary_day_theme()

    def refresh(self) -> None:
        # Every change announced on the hub has marked its tabs already (``_diary_changed``);
        # what was not announced (a restored backup, a new day) is caught by the version
        # and the date: only then is every tab read again as the page is shown.
        seen = self.diary_day_theme()
        if seen != self._seen:
            for key in self._stale:
                self._stale[key] = True
        self._seen = seen
        if self.form.editing is None:
            self.form.reload_options()
        self._tab_shown(self.tabs.currentIndex())

    def _diary_changed(self, change: Change) -> None:
        for key in self._stale:
            self._stale[key] = True
        self._seen = self.diary_day_theme()  # (its tabs are marked)
        index = self.tabs.currentIndex()
        if not self.isVisible() or index != 0:
            self._keep_history_current()
        if not self.isVisible():
            return  # ``refresh`` runs when the page is shown again

        if change.what == "import" and index == 0 and 0 in self._built:
            # many check-ins: read on a copy of the diary off the GUI thread (counting ten
            # years of days and reading the newest ones held the window ~25 ms); the list
            # shown stays as it was until the new one replaces it in one turn
            self._stale[0] = False
            self.history.reload_off_thread(self.diary.read_snapshot())
        else:
            self._tab_shown(index)
        # a check-in saved or deleted changes no tag or tracker: the form's chips stay
        if change.what != "entries" and self.form.editing is None:
            self.form.reload_options()

    def _keep_history_current(self) -> None:
        """The check-ins list, built but out of sight (another page or tab shown), read again
        off the GUI thread once the changes have stopped for a moment (not in the turn of a
        save, nor beside the charts' own update): shown later, it is already current, and
        its showing turn does not read ten years of days (23-40 ms on the GUI thread)."""
        if 0 not in self._built or self._list_waiting:
            return
        self._stale[0] = False
        self._history_reread.start()

    def _reread_history(self) -> None:
        if self.locked or self._stale[0]:
            return  # (to be read on this thread as it is shown)
        if under_way() and self._history_waits < HISTORY_WAITS:
            # not beside other work (the charts' update read and drawn after a check-in):
            # Python runs one thread at a time, so each of that work's turns on this thread
            # took up to twice as long while the list was read on a worker
            self._history_waits += 1
            self._history_reread.start()
            return
        self._history_waits = 0
        self.history.reload_off_thread(self.diary.read_snapshot())

    def _tab_shown(self, index: int) -> None:
        self._fit_tabs(index)
        first = index not in self._built
        if first and index != 0:
            # in slices, each painted before the next: the frame (tab bar, the tab's place),
            # then the tab's widgets, then its data. The place is as tall as the tab shown
            # before until the tab is made, so the page's scroll bar does not go for one frame
            # and come back with the tab (every tab laid out again at another width)
            holder = self._holders[index]
            holder.setMinimumHeight(max(0, self.tabs.height() - self.tabs.tabBar().height()))
            # (steps, not a bare timer: whoever waits for the page's work waits for these too)
            in_steps(self, [partial(self._build_then_fill, index)], budget_ms=0)
            return
        self._fill(index)

    def _build_then_fill(self, index: int) -> None:
        from companion.ui.charts import warm

        if self.locked:  # (a turn put off before the lock)
            return

        if index in (1, 2):
            if not warm.done() and self._waiting is None:
                # the chart modules are still being imported on a worker: say so, and wait
                # for them in turns of the event loop rather than in the import (a freeze)
                self._waiting = BusyRow()
                self._waiting.start(_("Drawing the charts…"))
                layout = self._holders[index].layout()
                assert layout is not None
                layout.addWidget(self._waiting)
            warm.when_ready(self, lambda: self._build_now(index), hurry=True)
            return
        self._build_now(index)

    def _build_now(self, index: int) -> None:
        if self.locked:
            return
        if self._waiting is not None:
            self._waiting.hide()
            self._waiting.deleteLater()
            self._waiting = None
        self.tab(index)
        # its data a turn later (the Charts tab makes its mood chart then, and shows it with
        # its first days the turn after: never an empty chart first)
        in_steps(self, [partial(self._fill, index)], budget_ms=0)

    def _fill(self, index: int) -> None:
        if self.locked:
            return
        self.tab(index)
        if index == 0 and self._history_reread.isActive():
            self._history_reread.stop()  # shown before its reading began: read now
            self._stale[0] = True
        if not self._stale.get(index, False):
            return
        self._stale[index] = False
        if index == 0:
            self.history.reload_keeping_place()
        elif index == 1:
            first, self._imported_first = self._imported_first, None
            if first is not None and first < self.charts.period[0]:
                self.charts.presets.choose_quietly("all")  # drawn by the first draw below
            self.charts.update_changed()  # the first time: everything; later only the changed days
        elif index == 2:
            self.insights.refresh()
        elif index == 3:
            self.manage.refresh_in_steps()  # the rows a few per turn, top-down

    def show_tab(self, name: str) -> None:
        index = TAB_NAMES.index(name)
        self.tabs.setCurrentIndex(index)
        self._fit_tabs(index)
        self._fill(index)
        if index == 3:
            self.manage.finish_now()  # asked for by name: the whole tab, now

    def open_item(self, item_id: str) -> bool:
        """``companion:diary/<entry id>`` opens that check-in for editing;
        ``companion:diary/import`` opens the import window."""
        if item_id == "import":
            self.open_import()
            return True
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
            if alive(dialog) and dialog.isVisible():
                dialog.form.save_if_started()
        stop = getattr(self.dialog, "before_lock", None)
        if callable(stop):  # an import in progress stops and writes nothing
            stop()

    def open_import(self, now: bool = True) -> None:
        """The import window; with ``now=False`` (the Import button) it is made in this turn
        of the event loop and shown in the next (each about half of the ~16 ms both took)."""
        from companion.core.mood.importing.engine import MoodImporter
        from companion.ui.mood.import_dialog import ImportDialog

        if self._import_waiting is None or not shiboken6.isValid(self._import_waiting):
            dialog = ImportDialog(self.diary.service(MoodImporter), self.context, self.window())
            dialog.imported.connect(self._show_imported)
            self.dialog = self._import_waiting = dialog
            if not now:
                after(dialog, 0, self._show_import)
                return
        if now:  # (or a second click before it was shown: nothing more)
            self._show_import()

    def _show_import(self) -> None:
        dialog, self._import_waiting = self._import_waiting, None
        if dialog is not None and shiboken6.isValid(dialog) and not self.locked:
            dialog.open()

    def _show_imported(self, first: date, _last: date) -> None:
        """Imported history older than the charts' window: show all of it there.

        Only the choice is made now ("All" marked): the charts draw it when they draw the
        imported days (at once if they are showing: the change that came before this is being
        read for them; else when the tab is next shown), never the old days over the new
        period first."""
        if 1 not in self._built:
            self._imported_first = first  # applied when the charts are first drawn
            return
        start, _end = self.charts.period
        if first < start:
            self.charts.presets.choose_quietly("all")
