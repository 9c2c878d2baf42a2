"""Lock the diary when the desktop's screen locks (Linux: the freedesktop/GNOME screensaver
``ActiveChanged`` signal on the session bus, and logind's ``Lock`` on the system bus).

Where no such service exists (other systems, a bare session) nothing happens and the idle
timer remains the safety net.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import SLOT, QObject, Signal, Slot

SCREENSAVERS = (
    ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver"),
    ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver"),
)


class ScreenLockWatcher(QObject):
    """Emits ``locked`` when the session's screen locks."""

    locked = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.connected: list[str] = []
        if sys.platform.startswith("linux"):
            self._connect_dbus()

    def _connect_dbus(self) -> None:
        from PySide6.QtDBus import QDBusConnection

        session = QDBusConnection.sessionBus()
        if session.isConnected():
            for interface, path in SCREENSAVERS:
                # Any sender: the service may not be running yet when we start.
                # The stubs want the slot as bytes; PySide6 takes SLOT()'s text.
                if session.connect(  # type: ignore[call-overload]
                    "", path, interface, "ActiveChanged", self, SLOT("_active(bool)")
                ):
                    self.connected.append(interface)
        system = QDBusConnection.systemBus()
        if system.isConnected() and system.connect(  # type: ignore[call-overload]
            "org.freedesktop.login1",
            "",
            "org.freedesktop.login1.Session",
            "Lock",
            self,
            SLOT("_lock()"),
        ):
            self.connected.append("org.freedesktop.login1.Session")

    @Slot(bool)
    def _active(self, active: bool) -> None:
        if active:
            self.locked.emit()

    @Slot()
    def _lock(self) -> None:
        self.locked.emit()
