"""The system tray icon, where the desktop has a tray (``QSystemTrayIcon.isSystemTrayAvailable``).

Its menu: Open Companion, Check in, the features' sidebar actions (Ground me now), Lock and Quit.
With "Keep running in the tray when the window is closed" (``CLOSE_TO_TRAY``), closing the
window hides it instead of quitting; the diary keeps to its own rules meanwhile (auto-lock,
lock when the screen locks). Reminders reach the person as system notifications through this
icon, with generic words only: the name of a medicine or anything from the diary never leaves
the window.

Many desktops have no tray (GNOME without an extension, a bare X server, the offscreen
platform): then there is no icon, the window closes as before, and the settings say why the
option cannot be turned on.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from companion import APP_NAME
from companion.i18n import N_, _
from companion.ui.identity import app_icon

if TYPE_CHECKING:
    from companion.ui.main_window import MainWindow

#: the one sentence the settings show when there is no tray
NO_TRAY = N_(
    "This desktop has no system tray, so Companion closes with its window. (On GNOME, an "
    "extension such as AppIndicator adds one.)"
)

#: what every reminder notification says (never a medicine's name, never diary text)
REMINDER_TITLE = APP_NAME


def reminder_text() -> str:
    return _("A reminder is waiting.")


def available() -> bool:
    return QSystemTrayIcon.isSystemTrayAvailable()


_current: DesktopTray | None = None


def current() -> DesktopTray | None:
    """The app's tray icon, if one is showing (the reminders notify through it)."""
    if _current is not None and shiboken6.isValid(_current):
        return _current
    return None


class DesktopTray(QObject):
    """The tray icon of one running app; asks ``window()`` for the window it acts on."""

    #: the person chose Quit in the tray menu
    quit_requested = Signal()

    def __init__(
        self,
        window: Callable[[], QWidget | None],
        *,
        close_to_tray: Callable[[], bool],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._window = window
        self._close_to_tray = close_to_tray
        #: set while the app quits for real: the close event must go through
        self.quitting = False
        self.icon = QSystemTrayIcon(app_icon(), self)
        self.icon.setToolTip(APP_NAME)
        self.menu = QMenu()
        self.open_action = self._add(_("Open Companion"), self.show_window)
        self.check_in_action = self._add(_("Check in…"), self.check_in)
        self.feature_actions: list[QAction] = []
        self._feature_actions()
        self.menu.addSeparator()
        self.lock_action = self._add(_("Lock"), self.lock)
        self.quit_action = self._add(_("Quit"), self.quit_requested.emit)
        self.menu.aboutToShow.connect(self.update_actions)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.icon.messageClicked.connect(self.show_window)
        self._watched: QWidget | None = None

    def _add(self, text: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self.menu)
        action.triggered.connect(lambda _checked=False: slot())
        self.menu.addAction(action)
        return action

    def _feature_actions(self) -> None:
        from companion.ui.extension_points import load

        for decl in load().actions():
            action = self._add(_(decl.label), partial(self._with_main, decl.run))
            self.feature_actions.append(action)

    # -- showing ----------------------------------------------------------------------------

    def show(self) -> None:
        global _current
        self.icon.show()
        _current = self

    def close(self) -> None:
        global _current
        if _current is self:
            _current = None
        self.watch(None)
        self.icon.hide()
        self.menu.deleteLater()

    def notify(self, title: str, text: str) -> None:
        if self.icon.isVisible():
            self.icon.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 15_000)

    # -- the window -------------------------------------------------------------------------

    def watch(self, window: QWidget | None) -> None:
        """Follow the app's current window (closing it may hide it into the tray)."""
        if self._watched is not None and shiboken6.isValid(self._watched):
            self._watched.removeEventFilter(self)
        self._watched = window
        if window is not None:
            window.installEventFilter(self)
        self.update_actions()

    def hides_on_close(self) -> bool:
        return not self.quitting and self.icon.isVisible() and self._close_to_tray()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        closing = event.type() == QEvent.Type.Close and watched is self._watched
        if closing and self.hides_on_close():
            assert isinstance(watched, QWidget)
            watched.hide()
            event.ignore()
            return True
        return False

    def main_window(self) -> MainWindow | None:
        from companion.ui.main_window import MainWindow

        window = self._window()
        if isinstance(window, MainWindow) and window.isEnabled():
            return window
        return None

    def update_actions(self) -> None:
        unlocked = self.main_window() is not None
        for action in (self.check_in_action, self.lock_action, *self.feature_actions):
            action.setEnabled(unlocked)

    def show_window(self) -> None:
        window = self._window()
        if window is None:
            return
        window.showNormal()
        window.raise_()
        window.activateWindow()

    def _with_main(self, act: Callable[[MainWindow], object]) -> None:
        """Bring the window up, then act on the unlocked diary (locked: just the window)."""
        self.show_window()
        window = self.main_window()
        if window is not None:
            act(window)

    def check_in(self) -> None:
        self._with_main(open_check_in)

    def lock(self) -> None:
        window = self.main_window()
        if window is not None:
            window.lock()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            window = self._window()
            if window is not None and window.isVisible() and not window.isMinimized():
                if self._close_to_tray():
                    window.hide()
                return
            self.show_window()


def open_check_in(window: MainWindow) -> QWidget | None:
    """The new check-in window, opened the way Ctrl+N opens it (so a lock saves it)."""
    if "today" in window.page_ids:
        window.open_page("today")
    from companion.ui.mood.dialogs import NewCheckInKey

    keys = window.findChildren(NewCheckInKey)
    if not keys:
        return None
    return keys[-1].open_dialog()
