"""The QApplication, the theme, and the walk between setup, unlock and the main window."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from companion import APP_NAME, __version__, i18n, paths
from companion.core import device_settings
from companion.core.device_settings import DeviceSettings
from companion.core.diary_files import InstanceLock, remove_stale_temp_files
from companion.i18n import _
from companion.storage.errors import VaultInUseError
from companion.ui import theme
from companion.ui.context import WINDOW_SIZE, AppContext
from companion.ui.identity import set_app_icon
from companion.ui.timers import after, after_paint

if TYPE_CHECKING:
    from PySide6.QtCore import Qt
    from PySide6.QtNetwork import QLocalServer

    from companion.core.session import OpenDiary
    from companion.ui.main_window import MainWindow
    from companion.ui.stop_signals import StopOnSignals
    from companion.ui.timers import Steps
    from companion.ui.tray import DesktopTray
    from companion.ui.unlock.unlock import UnlockWindow

EXIT_IN_USE = 5
#: work that can wait until the first window is on screen starts when it has been painted, or
#: this many ms after launch if it is not painted (started minimised, or hidden in the tray)
AFTER_FIRST_PAINT_MS = 1000
#: Python's thread switch interval in the GUI process (the default is 5 ms). When the GUI
#: thread lets go of the interpreter lock for a moment (every SQLite step, every Qt call that
#: releases it) while a worker runs Python (a chart's reading, a warm-up import), it gets the
#: lock back only when the worker is asked to give it up: after this long, each time
#: (measured in bench/README.md "The interpreter lock")
SWITCH_INTERVAL_S = 0.001
#: after unlocking, the main window waits for what its first screen reads off the GUI thread
#: (the backups, counted), looking this often, at most this many times, before it is shown
OPENING_WAIT_MS = 4
OPENING_WAITS = 25
#: the unlock window the next lock shows is made this long after the diary's window is shown,
#: at a quiet moment (nothing being built or saved: else it looks again this much later)
UNLOCK_AHEAD_MS = 3000
UNLOCK_AHEAD_RETRY_MS = 500


def make_app(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    # High-DPI scale factors pass through unrounded (150% is 1.5, not 2): Qt 6's default, so
    # not set here, where naming it would build every enum of the Qt namespace (see theme)
    from companion.ui import identity

    identity.set_process_identity()  # Windows: before any window exists
    # Fusion from the start, as theme.apply() wants it: asked for here, Qt makes it itself; set
    # from Python, or checked with app.style(), PySide first builds its QStyle types (~8 ms)
    app = QApplication([*(argv if argv is not None else sys.argv[:1]), "-style", "Fusion"])
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    app.setProperty(theme.FUSION_SET, True)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    identity.set_app_identity(app)  # desktop file name, organisation (the icon: once painted)
    from companion.ui import gc_policy, qt_workarounds

    qt_workarounds.install()  # PySide6 6.12.0's emit() would end in a fatal error
    gc_policy.install(app)  # Python's cyclic garbage collector runs on this thread only
    _translate_qt(app)
    return app


def _translate_qt(app: QApplication) -> None:
    """Qt's own words (the standard Yes, No, Cancel buttons, the file chooser, month names in
    date editors) in the language Companion speaks, from the catalogs and locale data that come
    with Qt; English when there are none."""
    language = i18n.language()
    if language in ("en", i18n.PSEUDO):
        return
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    # date editors take month and weekday names from the default locale
    QLocale.setDefault(QLocale(language))
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(language), "qtbase", "_", folder):
        app.installTranslator(translator)


def _was_hidden(window: QWidget) -> bool:
    """Out of sight (closed into the tray); a locked main window has hidden itself, so what
    counts for it is whether it was hidden before it locked."""
    hidden = getattr(window, "hidden_at_lock", None)
    return window.isHidden() if hidden is None else bool(hidden)


class AppController(QObject):
    """Owns the instance lock from the first window until quit, and the current window."""

    def __init__(
        self,
        data_dir: Path,
        *,
        device: DeviceSettings | None = None,
        minimised: bool = False,
        stop_on_signals: bool = False,
    ) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.vault_path = paths.vault_path(data_dir)
        settings = device or device_settings.load_for(data_dir)
        self.context = AppContext(data_dir=data_dir, device=settings)
        self.context.signals.device_settings_changed.connect(self.apply_theme)
        # "Follow the system": a desktop switching to dark (or back) is followed at once
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._scheme_changed)
        self.instance_lock = InstanceLock(self.vault_path)
        self.window: QWidget | None = None
        self.server: QLocalServer | None = None
        self.diary: OpenDiary | None = None
        self.rekey_dialog: QWidget | None = None
        self.stop_signals: StopOnSignals | None = None
        self._after_first: QTimer | None = None
        #: the unlock window the next lock shows, made ahead, hidden, with what it depends on
        #: (``_make_unlock_ahead``)
        self._unlock_ahead: tuple[UnlockWindow, tuple[object, ...]] | None = None
        #: the work that waits for the first window's paint (the tray, the raise socket) is done
        self.settled = False
        #: started at login (``--minimised``): the windows up to the diary start minimised
        self._minimised = minimised
        #: SIGTERM, SIGHUP and SIGINT lock and quit (``run``), from the first window's paint on:
        #: before it nothing is open, and the default (ending the process) loses nothing
        self._stop_on_signals = stop_on_signals
        self.tray: DesktopTray | None = None
        #: the main window while it is built, before it is shown (``show_main``)
        self.opening: MainWindow | None = None
        self._opening_steps: Steps | None = None
        #: the window waiting (a few milliseconds) for what its first screen reads off the
        #: GUI thread
        self._opening_wait: QTimer | None = None
        #: the first page's first screen is built (``_first_screen_piece``)
        self._first_screen_whole = False

    def _scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self.context.device.theme == "system":
            self.apply_theme()

    def apply_theme(self, settings: DeviceSettings | None = None, *, early: bool = False) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply(app, settings or self.context.device, early=early)

    def start(self) -> int | None:
        """Take the lock and show the first window; an exit code when we cannot."""
        try:
            self.instance_lock.acquire()
        except VaultInUseError as exc:
            from companion.ui.instance import ask_running_instance_to_show

            shown = ask_running_instance_to_show(self.vault_path)
            message = exc.message
            if shown:
                message = _("{problem} It has been brought to the front.").format(problem=message)
            print(message, file=sys.stderr)
            return EXIT_IN_USE
        # Before any window exists, so before any save can be under way: a save's temp file
        # is never mistaken for a crashed save's leftover (that race failed "Create my diary").
        # A quick look first: the usual clean folder costs no import of the vault module.
        remove_stale_temp_files(self.data_dir)
        # light or dark from the platform's palette; Qt's colour scheme is asked once the
        # first window is painted (theme.system_dark), and followed if it says otherwise
        self.apply_theme(early=True)
        if self._minimised:  # where the first window goes depends on the tray
            self._make_tray()
        if self.tray is None and self._minimised and self.context.device.close_to_tray:
            print(
                _(
                    "This desktop has no system tray, so Companion starts minimised in the "
                    "taskbar instead of in the tray."
                ),
                file=sys.stderr,
            )
        if self.vault_path.exists():
            self.show_unlock()
        else:
            self.show_setup()
        # Not needed to show the first window, so done once it has been painted.
        self._after_first = after(self, AFTER_FIRST_PAINT_MS, self._after_first_window)
        if self.window is not None:
            after_paint(self.window, self._after_first_window)
        return None

    def _make_tray(self) -> None:
        """A tray icon where the desktop has a tray (``ui/tray.py``)."""
        from companion.ui import tray

        if not tray.available():
            return
        self.tray = tray.DesktopTray(
            lambda: self.window,
            close_to_tray=lambda: self.context.device.close_to_tray,
            parent=self,
        )
        self.tray.quit_requested.connect(self.quit_from_tray)
        self.tray.show()
        self.context.signals.device_settings_changed.connect(self._tray_setting)
        self._tray_setting()
        if self.window is not None:  # made after the first window
            self.tray.watch(self.window)

    def _tray_setting(self, _settings: object = None) -> None:
        """With close-to-tray on, only Quit ends the app (a hidden window is not a closed one)."""
        app = QApplication.instance()
        if isinstance(app, QApplication) and self.tray is not None:
            app.setQuitOnLastWindowClosed(not self.context.device.close_to_tray)

    def quit_from_tray(self) -> None:
        """Quit from the tray menu: lock (saving first) as closing the window would."""
        self.finish_opening()
        window = self.window
        if self.tray is not None:
            self.tray.quitting = True
        if self.diary is not None and window is not None:
            window.close()  # the main window locks, saves, then quits (``_locked``)
            if self.diary is not None:  # the save failed: the window stays, with the reason
                if self.tray is not None:
                    self.tray.quitting = False
                window.showNormal()
            return
        QApplication.quit()

    def _after_first_window(self) -> None:
        if self._after_first is None or not shiboken6.isValid(self._after_first):
            return  # done already
        self._after_first.stop()
        self._after_first.deleteLater()
        self._after_first = None
        app = QApplication.instance()
        if isinstance(app, QApplication):  # every window's icon, this one's included
            set_app_icon(app)
        self.apply_theme()  # the whole theme: Qt's colour scheme and animation switches
        if self.tray is None and not self._minimised:
            self._make_tray()  # not needed to show the first window (it does not start hidden)
        self._listen()
        if self._stop_on_signals and self.stop_signals is None:
            from companion.ui.stop_signals import StopOnSignals

            self.stop_signals = StopOnSignals(self.stop, self)
        self.settled = True

    def _listen(self) -> None:
        from companion.ui.instance import listen

        if self.server is not None:
            return
        self.server = listen(self.vault_path, self)
        if self.server is not None:
            self.server.newConnection.connect(self._raise_window)

    def stop(self, _signum: int = 0) -> None:
        """Asked to stop from outside (SIGTERM, SIGHUP, SIGINT): lock as Ctrl+L would, so a
        check-in typed but not saved is kept, then quit. Nothing open: just quit."""
        self.finish_opening()
        window = self.window
        if self.diary is not None and window is not None:
            window.close()  # the main window locks (saving first), then asks to quit
        QApplication.quit()

    def _raise_window(self) -> None:
        assert self.server is not None
        self.finish_opening()
        while self.server.hasPendingConnections():
            conn = self.server.nextPendingConnection()
            conn.disconnectFromServer()
        if self.window is not None:
            self.window.showNormal()
            self.window.raise_()
            self.window.activateWindow()

    def _replace_window(self, window: QWidget) -> None:
        old, self.window = self.window, window
        window.resize(*WINDOW_SIZE)
        # closed into the tray: an auto-lock behind it keeps the unlock window there too
        in_tray = self.tray is not None and old is not None and _was_hidden(old)
        quiet = self._minimised or in_tray
        if in_tray or (
            self._minimised and self.tray is not None and self.context.device.close_to_tray
        ):
            window.hide()  # waiting in the tray (started at login, or closed into it)
        elif self._minimised:
            window.showMinimized()
        else:
            window.show()
        if old is not None:
            old.hide()
            # a locked main window deletes its pages a slice at a time, then itself
            getattr(old, "delete_when_torn_down", old.deleteLater)()
        if self.tray is not None:
            self.tray.watch(window)
        if not quiet:
            window.raise_()
            window.activateWindow()
        # What showing the window asked for (its layouts activated, its whole area repainted:
        # posted events) done now, before it is painted as the platform exposes it, as when
        # a window is shown before the event loop runs: after the paint, they painted the
        # whole window a second time (the main window: 5-7 ms more in the show's turn).
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.UpdateLater)

    def show_setup(self) -> None:
        from companion.ui.unlock.setup import SetupWindow

        window = SetupWindow(self.vault_path, context=self.context)
        window.created.connect(self.show_main)
        self._replace_window(window)

    def show_unlock(self, *, try_device: bool = True) -> None:
        from companion.ui.unlock.unlock import UnlockWindow

        window = self._take_unlock_ahead() if not try_device else None
        if window is None:
            window = UnlockWindow(self.vault_path, try_device=try_device, context=self.context)
        window.unlocked.connect(self.show_main)
        self._replace_window(window)
        window.secret.edit.setFocus()

    def show_main(self, diary: OpenDiary, used_recovery_key: bool = False) -> None:
        from companion.ui.main_window import MainWindow

        self.diary = diary
        if diary.must_change_passphrase:
            self._require_new_passphrase(diary)
            return
        self.finish_opening()  # (one before it, were there such a thing, is shown first)
        # Over several turns of the event loop, each well under the 50 ms a person notices
        # (all at once were 60-80 ms): the window's frame and sidebar; the pages' places and
        # the sidebar's rows; its first page (Today, bare); the cards on Today's first screen,
        # a piece per turn (``first_screen_step``); then showing it, and its first paint.
        # The unlock window stays on screen until then, so nothing half-built is ever seen.
        # (Laying the window out and painting it into a pixmap, a band a turn, before showing
        # it made the show's turn 31-33 -> 15-19 ms of GUI work, but the unlock 15-20 ms
        # longer: the bands cost more than the paint they spared, and the unlock is at its
        # budget of 150 ms beyond the KDF.)
        window = MainWindow(diary, self.context, first_page=False)
        window.locked.connect(self._locked)
        self.opening = window
        self._first_screen_whole = False
        parts = window.opening_parts
        self._opening_step(
            window,
            window.make_page_frames,
            window.build_first_page,
            lambda: [part() for part in parts],
        )

    def _opening_step(self, window: MainWindow, *steps: Callable[[], object]) -> None:
        """``steps`` from the next turn of the event loop on, one a turn, then the next one
        (each in a turn of its own), until the window can be shown."""
        from companion.ui.timers import in_steps

        self._opening_steps = in_steps(
            window, steps, budget_ms=0, done=lambda: self._opened_step(window)
        )

    def _first_screen_piece(self, window: MainWindow) -> None:
        """The next piece of the first page's first screen (``TodayPage.first_screen_step``;
        it looks whether the screen is full at the start of its turn, not at the end of the
        one before)."""
        step = getattr(window.current_page(), "first_screen_step", None)
        if not callable(step) or not step():
            self._first_screen_whole = True

    def _opened_step(self, window: MainWindow, waited: int = 0) -> None:
        self._opening_steps = None
        if self.opening is not window:  # locked meanwhile (the screen locked)
            return
        if not self._first_screen_whole:
            self._opening_step(window, lambda: self._first_screen_piece(window))
        elif window.current_page().building and waited < OPENING_WAITS:
            # what the first screen reads off the GUI thread (the backups, counted) is
            # normally in within a few milliseconds: shown without it, the page would change
            # under the person's eyes a moment later
            self._opening_wait = after(
                window, OPENING_WAIT_MS, lambda: self._opened_step(window, waited + 1)
            )
        else:
            # laid out unseen at its size, a piece a turn (``in_steps`` runs the generator's
            # pieces as steps), then shown
            self._opening_step(
                window,
                lambda: window.lay_out_unseen(*WINDOW_SIZE),
                lambda: self._show_opened(window),
            )

    def finish_opening(self) -> None:
        """The main window being opened, built and shown now (someone needs it: quitting,
        a signal to stop, another launch asking for the window)."""
        while True:
            wait, self._opening_wait = self._opening_wait, None
            if wait is not None and shiboken6.isValid(wait) and wait.isActive():
                wait.stop()
                if self.opening is not None:  # (its next step is then scheduled)
                    self._opened_step(self.opening, OPENING_WAITS)
            steps, self._opening_steps = self._opening_steps, None
            if steps is None or not shiboken6.isValid(steps):
                return
            steps.finish_now()  # (its end schedules the next step, or shows the window)

    def _show_opened(self, window: MainWindow) -> None:
        if self.opening is not window:  # locked before it was shown (the screen locked)
            return
        self.opening = None
        self._replace_window(window)
        self._minimised = False  # the diary is open; from now on windows show as usual
        window.focus_start()
        after(window, UNLOCK_AHEAD_MS, self._make_unlock_ahead)

    # -- the unlock window the next lock shows, made ahead ---------------------------------------

    def _make_unlock_ahead(self) -> None:
        """Make, hidden, the unlock window the next lock will show, at a quiet moment while the
        diary is open (its timer belongs to the main window: a lock before then cancels it).
        Made in the lock's own turn, it was a third of that turn (5 ms of 13-17), whose other
        work (the diary saved and cut off) cannot wait; its styling and layout are done here
        too, in a turn of their own. It shows nothing of the diary and never held a secret."""
        window = self.window
        if self._unlock_ahead is not None or self.diary is None or window is None:
            return
        from companion.ui.timers import under_way

        if under_way():  # pages being built, a save: later
            after(window, UNLOCK_AHEAD_RETRY_MS, self._make_unlock_ahead)
            return
        from companion.ui.unlock.unlock import UnlockWindow

        ahead = UnlockWindow(self.vault_path, try_device=False, context=self.context)
        self._unlock_ahead = (ahead, self._unlock_look())
        after(ahead, 0, lambda: self._lay_out_ahead(ahead))

    @staticmethod
    def _lay_out_ahead(window: QWidget) -> None:
        window.resize(*WINDOW_SIZE)
        window.ensurePolished()
        layout = window.layout()
        if layout is not None:
            layout.activate()

    @staticmethod
    def _unlock_look() -> tuple[object, ...]:
        """What an unlock window's making depends on: the style sheet (theme, text size),
        the font and the language (a change in Settings since makes it anew)."""
        from companion import i18n

        app = QApplication.instance()
        sheet = app.styleSheet() if isinstance(app, QApplication) else ""
        return (sheet, QApplication.font().toString(), i18n.language(), theme.text_scale())

    def _take_unlock_ahead(self) -> UnlockWindow | None:
        """The unlock window made ahead, if it is as one made now would be (else deleted)."""
        ahead, self._unlock_ahead = self._unlock_ahead, None
        if ahead is None:
            return None
        window, look = ahead
        if not shiboken6.isValid(window):
            return None
        if look != self._unlock_look():
            window.deleteLater()
            return None
        return window

    def _drop_unlock_ahead(self) -> None:
        ahead, self._unlock_ahead = self._unlock_ahead, None
        if ahead is not None and shiboken6.isValid(ahead[0]):
            ahead[0].deleteLater()

    def _require_new_passphrase(self, diary: OpenDiary) -> None:
        """Opened with the recovery key: a new passphrase before anything else (no 'Later').

        The diary cannot save until then (the vault refuses), and the main window is not
        shown: leaving the dialog locks the diary again without writing anything.
        """
        from PySide6.QtCore import Qt

        from companion.ui.settings.dialogs import ChangePassphraseDialog

        dialog = ChangePassphraseDialog(diary, self.window, after_recovery=True)
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._after_new_passphrase(diary, dialog.result_text))
        dialog.rejected.connect(lambda: self._abandon_recovery(diary))
        self.rekey_dialog = dialog
        dialog.open()

    def _after_new_passphrase(self, diary: OpenDiary, text: str) -> None:
        self.rekey_dialog = None
        self.show_main(diary)
        show = getattr(self.opening or self.window, "show_save_problem", None)
        if callable(show) and text:
            show(text)

    def _abandon_recovery(self, diary: OpenDiary) -> None:
        self.rekey_dialog = None
        self.diary = None
        diary.close()  # nothing was written: there is nothing to save
        self.show_unlock(try_device=False)

    def _locked(self, quitting: bool) -> None:
        self.diary = None
        opening, self.opening = self.opening, None
        if opening is not None:  # locked before it was ever shown (the screen locked)
            self._opening_steps = self._opening_wait = None
            opening.delete_when_torn_down()
        if quitting:
            self._drop_unlock_ahead()
            QApplication.quit()
        else:
            self.show_unlock(try_device=False)

    def shutdown(self) -> None:
        """Lock whatever is open, remove the raise-window socket, let go of the instance
        lock; background work finishes first, so nothing runs on after the app."""
        from companion.ui import instance, tasks

        if self._after_first is not None and shiboken6.isValid(self._after_first):
            self._after_first.stop()
        self.finish_opening()
        if self.diary is not None:  # the main window is showing: lock it (saves first)
            lock = getattr(self.window, "lock", None)
            if callable(lock):
                lock()
            elif self.diary.must_change_passphrase:  # recovery unlock: nothing to save
                self.diary.close()
                self.diary = None
        from companion.ui import teardown

        teardown.finish_all()  # a locked window's pages still being deleted: all at once now
        self._drop_unlock_ahead()
        if self.window is not None:
            for timer in self.window.findChildren(QTimer):
                timer.stop()  # nothing of the window starts after this (e.g. the warm-up)
            self.window.hide()
            self.window.deleteLater()
            self.window = None
        if self.tray is not None:
            self.tray.close()
            self.tray = None
            app = QApplication.instance()
            if isinstance(app, QApplication):
                app.setQuitOnLastWindowClosed(True)
        if self.stop_signals is not None:
            self.stop_signals.uninstall()
            self.stop_signals = None
        if self.server is not None:
            instance.close(self.server)
            self.server.deleteLater()
            self.server = None
        tasks.shutdown()
        self.instance_lock.release()


def run(data_dir: Path, *, minimised: bool = False) -> int:
    from companion import fault_log
    from companion.core.diary_files import make_data_dir_private
    from companion.ui.crash import install_excepthook

    fault_log.enable(data_dir)  # a hard crash leaves its stacks there (no diary content)
    app = make_app()
    install_excepthook()
    warnings = make_data_dir_private(data_dir)  # 0700 folder, 0600 files, where this user owns
    for warning in warnings:
        print(warning, file=sys.stderr)
    controller = AppController(data_dir, minimised=minimised, stop_on_signals=True)
    code = controller.start()
    if code is not None:
        return code
    error = getattr(controller.window, "error", None)
    if warnings and error is not None:
        error.setText(" ".join(warnings))
    app.aboutToQuit.connect(controller.shutdown)
    return app.exec()
