"""SIGTERM, SIGHUP and SIGINT stop the app the way closing its window does: lock first.

A logout, a shutdown or ``kill`` sends SIGTERM, closing the terminal that started the app sends
SIGHUP, Ctrl+C there sends SIGINT. Without a handler the process dies at once and a check-in
typed but not yet saved is lost. Python runs a signal handler only when the interpreter gets
control, and while Qt's event loop waits inside C that may be never. So the C-level handler
writes the signal's number into a pipe (``signal.set_wakeup_fd``); a ``QSocketNotifier`` on
the GUI thread watches the other end, the loop wakes at once, and the stop runs there, between
two events, like a click would. (Windows has no pipe wake-up: there a short timer gives Python
control, and the handler itself asks for the stop.)
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable
from types import FrameType

from PySide6.QtCore import QObject, QSocketNotifier, QTimer

#: Windows only: how often Python gets control so that a pending handler can run
WAKE_MS = 200


def stop_signals() -> tuple[signal.Signals, ...]:
    names = ("SIGTERM", "SIGHUP", "SIGINT")
    return tuple(getattr(signal, n) for n in names if hasattr(signal, n))


def _ignore(_signum: int, _frame: FrameType | None) -> None:
    """The Python-level handler where the pipe does the work (the notifier, between events)."""


class StopOnSignals(QObject):
    """While installed, each stop signal calls ``on_stop(signum)`` on the GUI thread, at once."""

    def __init__(
        self,
        on_stop: Callable[[int], None],
        parent: QObject | None = None,
        signals: tuple[signal.Signals, ...] | None = None,
    ) -> None:
        super().__init__(parent)
        self.on_stop = on_stop
        self.signals = signals if signals is not None else stop_signals()
        self.notifier: QSocketNotifier | None = None
        self.timer: QTimer | None = None
        self._pipe: tuple[int, int] | None = None
        self._previous_fd: int | None = None
        if sys.platform == "win32":
            handler: Callable[[int, FrameType | None], None] = self._handled_directly
            self.timer = QTimer(self)
            self.timer.timeout.connect(lambda: None)  # Python runs: pending handlers run
            self.timer.start(WAKE_MS)
        else:
            handler = _ignore
            read_end, write_end = os.pipe()
            for fd in (read_end, write_end):
                os.set_blocking(fd, False)
                os.set_inheritable(fd, False)
            self._pipe = (read_end, write_end)
            self._previous_fd = signal.set_wakeup_fd(write_end, warn_on_full_buffer=False)
            self.notifier = QSocketNotifier(read_end, QSocketNotifier.Type.Read, self)
            self.notifier.activated.connect(self._woken)
        self._previous = {sig: signal.signal(sig, handler) for sig in self.signals}
        self.installed = True

    def _handled_directly(self, signum: int, _frame: FrameType | None) -> None:
        self.on_stop(signum)

    def _woken(self) -> None:
        assert self._pipe is not None
        try:
            data = os.read(self._pipe[0], 256)
        except (BlockingIOError, InterruptedError):
            return
        wanted = {int(s) for s in self.signals}
        for signum in data:
            if signum in wanted:
                self.on_stop(signum)

    def uninstall(self) -> None:
        """Give the signals and the wake-up descriptor back to what they were before."""
        if not self.installed:
            return
        self.installed = False
        for sig, previous in self._previous.items():
            with contextlib.suppress(TypeError, ValueError):
                signal.signal(sig, previous if previous is not None else signal.SIG_DFL)
        if self.timer is not None:
            self.timer.stop()
        if self.notifier is not None:
            self.notifier.setEnabled(False)
        if self._previous_fd is not None:
            with contextlib.suppress(ValueError):
                signal.set_wakeup_fd(self._previous_fd)
        if self._pipe is not None:
            for fd in self._pipe:
                os.close(fd)
            self._pipe = None
