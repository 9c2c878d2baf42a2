"""The main window: a sidebar of pages, 'Get help now', lock (Ctrl+L) and auto-lock."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from companion import APP_NAME
from companion.core.errors import ValidationError
from companion.core.extension_points import PageDecl
from companion.core.session import OpenDiary
from companion.core.settings import AUTO_LOCK_MINUTES, SettingsService
from companion.core.timekeeping import local_now
from companion.i18n import N_, _, format_datetime, ngettext
from companion.storage.errors import VaultError
from companion.ui import app_input
from companion.ui.build_ahead import BuildAhead, activate_hidden, lay_out_hidden
from companion.ui.changes import EVERYTHING, Change, ChangeHub, features_heard
from companion.ui.extension_points import load as load_ui
from companion.ui.help_access import install_help_key
from companion.ui.pages import AppContext, Page
from companion.ui.reminders import ReminderBanner, ReminderCenter
from companion.ui.screen_lock import ScreenLockWatcher
from companion.ui.sidebar_fit import SavedMark, SidebarFit
from companion.ui.tasks import forget_owned_by
from companion.ui.teardown import Teardown, tear_down
from companion.ui.timers import APART_MS, NEXT_TURN_MS, after
from companion.ui.widgets.common import Notice, help_now_button, icon, scroll_area


class StillFor(QObject):
    """Emits ``still`` once, after ``ms`` without any input anywhere in the application."""

    still = Signal()

    def __init__(self, ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(ms)
        self.timer.timeout.connect(self._done)
        app_input.add_activity_listener(self, self.timer.start)
        self.timer.start()

    def _done(self) -> None:
        app_input.remove(self)
        self.still.emit()


class IdleWatcher(QObject):
    """Restarts a single-shot timer on any input anywhere in the application."""

    idle = Signal()

    def __init__(self, minutes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.idle)
        self.set_minutes(minutes)
        # input in any of the app's windows (ui/app_input.py: a filter on each window)
        app_input.add_activity_listener(self, self.timer.start)

    def set_minutes(self, minutes: int) -> None:
        self.timer.setInterval(max(1, minutes) * 60_000)
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        app_input.remove(self)


def when_text(moment: datetime) -> str:
    """A moment on this computer's clock, with its year ("Fri 4 Dec 2026, 14:05")."""
    return format_datetime(moment.astimezone(), "day_medium")


def last_saved_text(diary: OpenDiary) -> str:
    """When the diary was last saved before this session, from the authenticated header."""
    saved = diary.last_saved_at
    if saved is None:
        return ""
    return _("Last saved before this session: {when}").format(when=when_text(saved))


def rollback_text(diary: OpenDiary) -> str:
    """A warning when a backup is newer than the diary file (it was replaced by an older one)."""
    newer = diary.newer_backups()
    if newer:
        return _(
            "A backup from {when} is newer than this diary file, so the file may have been "
            "replaced by an older copy. If entries are missing, Settings → Backups can restore "
            "the newer one."
        ).format(when=when_text(max(b.saved_at for b in newer)))
    if diary.rekeyed_backups():
        return _(REKEYED_TEXT)
    return ""


#: the features' warm-ups start when there has been no input for this long after the main window
#: was built: its first page has been painted, and the person is reading it (one on the way to
#: another page moves the mouse; the Diary's own warm-up, 300 ms after it is shown, comes first)
WARM_UP_AFTER_MS = 1500
#: a page module's import waits this long when something else is under way
IMPORT_RETRY_MS = 100

REKEYED_TEXT = N_(
    "The backups use a newer passphrase than this diary file, so this file may be an older copy "
    "that was put back. Your newer diary may be among the backups: they open with your newest "
    "passphrase. Please keep the files in the diary's folder as they are."
)


def dropped_text(count: int) -> str:
    return ngettext(
        "The disk is full, so {count} old backup file was removed to make room for your latest "
        "change. Please free some space on this computer.",
        "The disk is full, so {count} old backup files were removed to make room for your latest "
        "change. Please free some space on this computer.",
        count,
    ).format(count=count)


@dataclass
class _Ahead:
    """A page built ahead (``ui/build_ahead.py``) and not shown yet."""

    #: how many changes the hub had announced when it was built
    changes: int
    #: the day it was built on (what is due, "today" and "yesterday" depend on it)
    day: date


class MainWindow(QMainWindow):
    """Everything here is thrown away on lock, so no widget or undo stack survives it."""

    #: emitted after the diary is locked; True when the window was closed (quit)
    locked = Signal(bool)
    #: a storage message from the saving thread (a backup dropped on a full disk)
    storage_notice = Signal(str)

    def __init__(self, diary: OpenDiary, context: AppContext, *, first_page: bool = True) -> None:
        """``first_page=False`` leaves the first page (Today) to ``build_first_page``, on a
        later turn of the event loop (``AppController.show_main``): the frame and the page
        are each well under a frame's worth of stalls, the two at once are not. It leaves
        ``opening_parts`` too, for a turn of their own before the window is shown: the
        screen lock's watcher (its D-Bus connections, 4 ms) and the backups read for the
        rollback warning (3 ms); the constructor was 15 ms of one turn with them."""
        super().__init__()
        self.diary = diary
        self.context = context
        #: this unlock's change hub: every page hears every change through it
        self.changes = ChangeHub(self)
        context.changes = self.changes
        self.setWindowTitle(APP_NAME)
        self.setMinimumSize(900, 600)
        self._locking = False
        self._quitting = False
        #: the pages being deleted after a lock (``ui/teardown.py``); None before and after
        self.teardown: Teardown | None = None
        self._delete_when_torn_down = False
        #: whether the window was out of sight (closed into the tray) when it locked
        self.hidden_at_lock: bool | None = None

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.setCentralWidget(central)

        sidebar = QWidget()
        sidebar.setObjectName("Sidebar")
        self.sidebar = sidebar
        side = QVBoxLayout(sidebar)
        side.setContentsMargins(8, 18, 8, 14)
        brand = QLabel(APP_NAME)
        brand.setObjectName("CardTitle")
        brand.setContentsMargins(14, 0, 0, 10)
        self.brand = brand
        side.addWidget(brand)
        self.nav = QListWidget()
        self.nav.setObjectName("SidebarList")
        self.nav.setAccessibleName(_("Pages"))
        side.addWidget(self.nav, 1)
        self.ui = load_ui()
        #: the features' sidebar actions ("Ground me now"), by id
        self.action_buttons: dict[str, QPushButton] = {}
        for action in self.ui.actions():
            button = QPushButton(icon(action.icon), _(action.label))
            button.setAccessibleName(_(action.label))
            button.setToolTip(_(action.tooltip))
            button.clicked.connect(lambda _=False, a=action: a.run(self))
            side.addWidget(button)
            self.action_buttons[action.id] = button
        self.help_button = help_now_button()
        self.help_button.clicked.connect(self.open_help)
        side.addWidget(self.help_button)
        self.lock_button = QPushButton(icon("mdi6.lock-outline"), _("Lock"))
        self.lock_button.setAccessibleName(_("Lock the diary"))
        self.lock_button.setToolTip(_("Lock the diary (Ctrl+L)"))
        self.lock_button.clicked.connect(self.lock)
        # Lock, and beside it the "Last saved" line's mark when the sidebar keeps only its
        # icons (in a row of its own, the page list would scroll at 200% text on 1024×640)
        lock_row = QWidget()
        lock_row.setObjectName("LockRow")
        lock_line = QHBoxLayout(lock_row)
        lock_line.setContentsMargins(0, 0, 0, 0)
        lock_line.setSpacing(4)
        lock_line.addWidget(self.lock_button, 1)
        side.addWidget(lock_row)
        self.last_saved = QLabel(last_saved_text(diary))
        self.last_saved.setObjectName("Muted")
        self.last_saved.setWordWrap(True)
        self.last_saved.setContentsMargins(14, 6, 8, 0)
        side.addWidget(self.last_saved)
        #: the line's stand-in when the sidebar keeps only its icons
        self.saved_mark = SavedMark(self.last_saved.text())
        lock_line.addWidget(self.saved_mark)
        # the buttons' icons as large as the pages' (Qt's default button icon is smaller)
        for button in (*self.action_buttons.values(), self.help_button, self.lock_button):
            button.setIconSize(QSize(20, 20))
        row.addWidget(sidebar)

        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        self.save_notice = Notice("")
        self.save_notice.hide()
        right.addWidget(self.save_notice)
        self.reminder_banner = ReminderBanner()
        right.addWidget(self.reminder_banner)
        self.stack = QStackedWidget()
        right.addWidget(self.stack, 1)
        row.addLayout(right, 1)

        # Pages are built the first time they are shown, so unlocking stays fast however many
        # features there are; Today (the first) is built at once. Once the person has been
        # still for a while, the others are built ahead, hidden (``ui/build_ahead.py``).
        #: each page's class, imported when the page is first shown
        self._classes: dict[str, Callable[[], type[Page]]] = {}
        self._built: dict[str, Page] = {}
        self._scrollers: dict[str, QScrollArea] = {}
        #: the pages built ahead and not shown yet, and the features of every change since
        self._ahead: dict[str, _Ahead] = {}
        self._changes_seen: list[str] = []
        self.changes.changed.connect(self._heard)
        #: the pages' declarations, in sidebar order (``make_page_frames``)
        self._decls: list[PageDecl] = []
        for decl, loader in self.ui.page_loaders():
            self._classes[decl.id] = loader
            self._decls.append(decl)
        self.sidebar_fit = SidebarFit(
            self,
            sidebar,
            self.nav,
            [*self.action_buttons.values(), self.help_button, self.lock_button],
            [brand, self.last_saved],
            {self.help_button: _("Help")},
            [self.saved_mark],
        )
        context.signals.device_settings_changed.connect(self.sidebar_fit.fit)
        if first_page:
            self.make_page_frames()
            self.build_first_page()

        QShortcut(QKeySequence("Ctrl+L"), self, self.lock)
        install_help_key()  # F1 in this window and in every dialog it opens
        app_input.watch(self)  # F1 and Ctrl+N here
        for action in self.ui.actions():
            QShortcut(QKeySequence(action.shortcut), self, lambda a=action: a.run(self))
        for number in range(1, min(9, len(self.page_ids)) + 1):
            QShortcut(
                QKeySequence(f"Ctrl+{number}"),
                self,
                lambda n=number: self.nav.setCurrentRow(n - 1),
            )

        minutes = diary.service(SettingsService).get(AUTO_LOCK_MINUTES)
        self.idle = IdleWatcher(minutes, self)
        self.idle.idle.connect(self.lock)
        #: locks the diary when the desktop's screen locks (``_watch_screen_lock``)
        self.screen_lock: ScreenLockWatcher | None = None
        signals = context.signals
        signals.lock_requested.connect(self.lock)
        signals.auto_lock_changed.connect(self.idle.set_minutes)
        signals.diary_replaced.connect(self._refresh_all)
        signals.save_failed.connect(self.show_save_problem)
        signals.open_page.connect(self.open_page)
        signals.open_link.connect(self.open_link)
        self.reminders = ReminderCenter(
            diary,
            self.reminder_banner,
            context.operations(EVERYTHING, self.reminder_banner.text.setText),
            after_first_paint=True,
            parent=self,
        )
        self.reminders.open_link.connect(self.open_link)
        # Told every time a backup had to go to make room (queued: saves may run elsewhere).
        self.storage_notice.connect(self.show_save_problem)
        diary.on_backup_dropped(lambda n: self.storage_notice.emit(dropped_text(n)))
        # Saves are written on the diary's writer thread; a failed one is told through the
        # app's save-failed signal, like a failed save anywhere (queued to this thread). The
        # snapshot of a commit made here is taken in a turn of its own a moment after it, not
        # in the click's (lock and everything else that needs the file flush first); the
        # application owns that timer, so no window closing can cancel it.
        app = QCoreApplication.instance()
        assert app is not None
        diary.save_in_background(signals.save_failed.emit, lambda hand: after(app, APART_MS, hand))
        #: what is left to do before the window is shown (see above); done here when the
        #: window is built at once
        self.opening_parts: list[Callable[[], None]] = [
            self._watch_screen_lock,
            self._warn_of_rollback,
        ]
        if first_page:
            for part in self.opening_parts:
                part()
            self.opening_parts = []
        # the features' warm-ups, once the first page has long been painted and the person
        # is still (reading, not on the way to another page: the warm-up holds Python's lock)
        self.warm_up_wait = StillFor(WARM_UP_AFTER_MS, self)
        self.warm_up_wait.still.connect(self._warm_up)
        #: the pages not opened yet, built hidden once the warm-up is over and the person still
        self.build_ahead_pages = BuildAhead(self)

    def _watch_screen_lock(self) -> None:
        if self.screen_lock is None and not self._locking:
            self.screen_lock = ScreenLockWatcher(self)
            self.screen_lock.locked.connect(self.lock)

    def _warn_of_rollback(self) -> None:
        """The notice over the pages when the file may be an older copy put back."""
        if self._locking:
            return
        rollback = rollback_text(self.diary)
        if rollback:
            self.show_save_problem(rollback)

    def _warm_up(self) -> None:
        for warm_up in self.ui.warm_ups():
            warm_up()
        self._import_pages(
            [
                self._compile_ahead,
                *(load for page, load in self._classes.items() if page not in self._built),
            ]
        )

    def _compile_ahead(self) -> None:
        """The statements a check-in's save reads it back with compiled now (5–7 ms, reads
        only), not in the turn of the session's first save (``EntryService.compile_ahead``)."""
        from companion.core.mood.service import MoodService

        self.diary.service(MoodService).compile_ahead()

    def _import_pages(self, loaders: list[Callable[[], object]]) -> None:
        """The statements a check-in's save reads with compiled (``_compile_ahead``), then the
        modules of the pages not opened yet (8–22 ms each), one per turn of the event loop,
        each when nothing else is under way (a page building in steps, background work
        coming back): their first open then builds the page and no more."""
        if self._locking:
            return
        if not loaders:
            self.build_ahead_pages.start()
            return
        from companion.ui import timers

        if timers.under_way():
            after(self, IMPORT_RETRY_MS, lambda: self._import_pages(loaders))
            return
        loaders.pop(0)()
        # (not a zero timer: it ran in the same pass of the event loop as this one, two
        # imports of 6-8 ms back to back, or one beside the charts' warm-up step)
        after(self, NEXT_TURN_MS, lambda: self._import_pages(loaders))

    # -- navigation ------------------------------------------------------------------------

    def make_page_frames(self) -> None:
        """Each page's place in the stack (a scroll area, empty until the page is first
        shown) and its row in the sidebar, then the sidebar fitted to them: with
        ``first_page=False``, in a turn of its own before Today is built (5.7 and 2.3 ms of
        the constructor's 18, in one turn with it)."""
        if self._scrollers:
            return
        for decl in self._decls:
            scroller = scroll_area()
            scroller.setWidgetResizable(True)
            scroller.setAccessibleName(_(decl.title))  # the page's region, scrolled by keys
            self._scrollers[decl.id] = scroller
            self.stack.addWidget(scroller)
            item = QListWidgetItem(icon(decl.icon), _(decl.title))
            item.setData(Qt.ItemDataRole.UserRole, decl.id)
            self.nav.addItem(item)
        self.nav.setCurrentRow(0)  # the stack shows its first page already
        self.nav.currentRowChanged.connect(self._show_row)
        self.sidebar_fit.fit()

    def lay_out_unseen(self, width: int, height: int) -> Iterator[None]:
        """The window laid out, hidden, at the size it is about to be shown at, a piece per
        ``next()`` (``AppController`` runs them in turns of their own before the show): its
        frame and sidebar; the first page's scroll area, at its real width beside the scroll
        bar a page taller than the window has (``build_ahead.lay_out_hidden``); the page's
        own layouts. Shown without it, the window was laid out in the show's turn, painted,
        then laid out again once its page's scroll bar appeared (the scroll area shows it in
        a queued call) and painted again: 29-37 ms in one turn; now the show is 3-5 ms and
        its one paint 11-15 ms (pieces of 5-9 ms before them)."""
        self.resize(width, height)
        scroller = self.stack.currentWidget()
        page = scroller.widget() if isinstance(scroller, QScrollArea) else None
        if not isinstance(scroller, QScrollArea) or page is None:
            yield from activate_hidden(self)
            return
        yield from activate_hidden(self, leave_out=(scroller,))
        lay_out_hidden(scroller, scroller)
        yield
        yield from activate_hidden(page)

    def build_first_page(self) -> None:
        """Build the page the window opens on (Today), unless something has built it already
        (a person's Ctrl+2 on a window being opened, a test asking for the page)."""
        row = self.nav.currentRow()
        if self.page_ids[row] in self._built:
            return
        try:
            self._show_row(row)
        except Exception:  # reported as when it was built by the sidebar's signal: the
            sys.excepthook(*sys.exc_info())  # window still opens (and can lock) without it

    @property
    def page_ids(self) -> list[str]:
        return list(self._classes)

    def page(self, page_id: str) -> Page:
        """The page, built now if it has not been shown yet."""
        built = self._built.get(page_id)
        if built is None:
            self.make_page_frames()  # (asked for before the window's opening made them)
            built = self._classes[page_id]()(self.diary, self.context)
            self._built[page_id] = built
            self._scrollers[page_id].setWidget(built)
            # (``setWidget`` has the page fill its background, the viewport's colour behind
            # it: an opaque page is painted on its own first as it is shown, then again with
            # the window around it, ~2-4 ms twice over for a page of Exercises' size)
            built.setAutoFillBackground(False)
        return built

    @property
    def pages(self) -> dict[str, Page]:
        """Every page (building the ones not shown yet)."""
        return {page_id: self.page(page_id) for page_id in self._classes}

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        page_id = self.nav.item(row).data(Qt.ItemDataRole.UserRole)
        ahead = self._ahead.pop(page_id, None)
        new = page_id not in self._built or (ahead is not None and self._current(page_id, ahead))
        page = self.page(page_id)
        if ahead is not None and page.building:
            page.finish_building()  # (opened while it was built ahead: its first screen whole)
        self.stack.setCurrentIndex(row)
        page.shown(fresh=new and page.refreshed_when_built)
        if not self._ahead:
            self._changes_seen.clear()

    # -- pages built ahead (``ui/build_ahead.py``) -----------------------------------------

    @property
    def locking(self) -> bool:
        """The diary is locking or locked: nothing more may be built."""
        return self._locking

    def may_build_ahead(self, page_id: str) -> bool:
        return page_id not in self._built and self._classes[page_id]().build_ahead

    def build_ahead(self, page_id: str) -> Page:
        """Build a page not opened yet, hidden; its first open shows it as it was built
        unless the diary changed since in a way it shows (``_current``)."""
        from companion.ui.pages import building_ahead

        with building_ahead():
            page = self.page(page_id)
        self._ahead[page_id] = _Ahead(len(self._changes_seen), local_now().date())
        return page

    def is_ahead(self, page_id: str) -> bool:
        """The page was built ahead and has not been shown yet."""
        return page_id in self._ahead

    def built_page(self, page_id: str) -> Page | None:
        return self._built.get(page_id)

    def built_pages(self) -> list[Page]:
        return list(self._built.values())

    def scroller(self, page_id: str) -> QScrollArea:
        return self._scrollers[page_id]

    def _heard(self, change: object) -> None:
        if isinstance(change, Change) and self._ahead:
            self._changes_seen.append(change.feature)

    def _current(self, page_id: str, ahead: _Ahead) -> bool:
        """Whether a page built ahead still shows the diary as it is, as one built now would:
        the same day, and no change since that it listens to (it may have put off redrawing
        until it is shown); a page that listens to no change shows nothing that changed only
        if nothing did."""
        if local_now().date() != ahead.day:
            return False
        since = set(self._changes_seen[ahead.changes :])
        if not since:
            return True
        if EVERYTHING in since:
            return False
        heard = features_heard(self._built[page_id])
        return bool(heard) and not since & heard

    def open_page(self, page_id: str) -> None:
        """Show a page by its id or one of its other names (``diary`` for the mood diary)."""
        decl = self.ui.core.page(page_id)
        if decl is not None and decl.id in self._classes:
            self.nav.setCurrentRow(self.page_ids.index(decl.id))

    def open_link(self, url: str) -> bool:
        """Follow a ``companion:`` link: ``article/<slug>``, ``exercise/<id>``, ``tool/<name>``.

        Returns False (and changes nothing) for a link that leads nowhere in this version.
        """
        if url == "companion:tool/help":
            self.open_help()
            return True
        page_id, item = self.ui.page_for_link(url)
        if page_id is None or page_id not in self._classes:
            return False
        self.open_page(page_id)
        return True if not item else self.page(page_id).open_item(item)

    def focus_start(self) -> None:
        """After setup or unlock: focus where a person starts (the check-in on Today), not
        the sidebar."""
        if not self.current_page().focus_start():
            self.nav.setFocus()

    def current_page(self) -> Page:
        return self.page(self.page_ids[self.stack.currentIndex()])

    def _refresh_all(self) -> None:
        """A backup was restored: everything on screen reloads (a page built ahead and not
        shown yet, when it is first shown: it hears that everything changed)."""
        for page_id, page in self._built.items():
            if page_id not in self._ahead:
                page.refresh()
        self.changes.announce(EVERYTHING)

    def open_help(self) -> None:
        self.context.open_help(self)

    def show_save_problem(self, message: str) -> None:
        self.save_notice.text.setText(message)
        self.save_notice.show()

    # -- locking ---------------------------------------------------------------------------

    def lock(self) -> None:
        """Save, drop the database and keys, and hand back to the unlock window."""
        if self._locking:
            return
        self._locking = True
        self.idle.stop()
        self.reminders.stop()
        for page in self._built.values():
            # What cannot be saved (too long…) stays unsaved; the rest of the diary is saved.
            with contextlib.suppress(ValidationError):
                page.before_lock()
        for hook in self.ui.before_lock_hooks():
            hook(self)  # e.g. an open exercise player: its note and time so far
        try:
            self.diary.lock()
        except VaultError as exc:
            # The last change could not be written; the data stays in memory and we do not
            # lock, because locking now would lose it. Tell the person what to do.
            self._locking = False
            self.idle.set_minutes(self.diary.service(SettingsService).get(AUTO_LOCK_MINUTES))
            self.reminders.start()
            self.show_save_problem(exc.message)
            return
        self._clear_everything()
        self.locked.emit(self._quitting)

    def _clear_everything(self) -> None:
        """After a lock nothing may touch the closed diary, and no widget (nor its undo
        history) may keep what was on screen. First everything leaves the screen and every
        way in is cut (timers, background results, signals, keys); then the pages are deleted
        a slice per event-loop turn (``ui/teardown.py``), so the unlock window appears at once
        instead of after the whole tree has been deleted."""
        if self.screen_lock is not None:
            self.screen_lock.locked.disconnect(self.lock)
        self.nav.currentRowChanged.disconnect(self._show_row)
        self._disconnect_app_signals()
        # a refresh a page or card deferred (a change announced while locking) must not run
        # against the closed diary before the widgets are deleted
        for timer in self.findChildren(QTimer):
            timer.stop()
        for page in self._built.values():
            # what a page put off to a later turn (the next slice of a tab being built) sees
            # this and does nothing; the call itself still runs, so PySide lets go of it
            # (a queued call dropped unrun keeps its function, and the page, alive for good)
            page.locked = True
        central = self.centralWidget()
        forget_owned_by(self)
        app_input.forget_within(self)
        self.hidden_at_lock = self.isHidden()
        windows = self._own_windows()  # dialogs of the diary: they go first
        for window in windows:
            window.hide()
        self.hide()
        # Out of the window's layout: centralWidget() is None from now on. (Qt would also
        # delete it at the next turn, all at once; the teardown deletes it in slices instead.)
        if central is not None:
            self.setCentralWidget(None)  # type: ignore[arg-type]
            QCoreApplication.removePostedEvents(central, QEvent.Type.DeferredDelete)
        # Inert: the window (hidden, with no content left in its layout) takes no input. Only
        # the window's own flag is set; propagating it to every widget about to be deleted
        # would cost a frame at ten years.
        self.setAttribute(Qt.WidgetAttribute.WA_Disabled, True)
        roots: list[QObject] = [*windows, *self._built.values()]
        if central is not None:
            roots.append(central)
        self._built.clear()
        self._ahead.clear()
        self.teardown = tear_down(self, roots, then=self._torn_down)

    def _own_windows(self) -> list[QWidget]:
        """The windows (dialogs, message boxes) that belong to this one, wherever they hang."""
        mine = []
        for widget in QApplication.topLevelWidgets():
            parent = widget.parent()
            while parent is not None and parent is not self:
                parent = parent.parent()
            if parent is self:
                mine.append(widget)
        return mine

    def _disconnect_app_signals(self) -> None:
        """The app's signals outlive this window: a locked window hears none of them."""
        signals = self.context.signals
        for signal, slot in (
            (signals.lock_requested, self.lock),
            (signals.auto_lock_changed, self.idle.set_minutes),
            (signals.diary_replaced, self._refresh_all),
            (signals.save_failed, self.show_save_problem),
            (signals.open_page, self.open_page),
            (signals.open_link, self.open_link),
            (signals.device_settings_changed, self.sidebar_fit.fit),
        ):
            with contextlib.suppress(RuntimeError, TypeError):
                signal.disconnect(slot)

    def _torn_down(self) -> None:
        self.teardown = None
        from companion.ui import gc_policy

        gc_policy.thaw()  # the locked diary's objects are collected at the next quiet moment
        if self._delete_when_torn_down:
            self.deleteLater()

    def delete_when_torn_down(self) -> None:
        """Delete this (locked) window once its pages are gone; at once if they are."""
        if self.teardown is None:
            self.deleteLater()
        else:
            self._delete_when_torn_down = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        app_input.watch(self)  # its QWindow exists now: its input keeps the diary unlocked

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the window locks the diary and quits; if saving fails, stay open."""
        if not self._locking:
            self._quitting = True
            self.lock()
            if not self._locking:
                self._quitting = False
                event.ignore()
                return
        event.accept()
