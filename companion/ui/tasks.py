"""The one way to run slow work (KDF, export, big charts) off the GUI thread.

``run_task(fn, on_done, on_error)`` runs ``fn()`` on Qt's global thread pool and calls one of
the callbacks back on the GUI thread. Exceptions are passed to ``on_error`` as objects; they
are never printed, because their text might hold something private.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

_RUNNING: set[_Task] = set()


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn = fn
        self.relay = _Relay()

    @Slot()
    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)


def run_task(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
) -> None:
    task = _Task(fn)
    _RUNNING.add(task)

    def finished_ok(result: Any) -> None:
        _RUNNING.discard(task)
        on_done(result)

    def finished_error(exc: BaseException) -> None:
        _RUNNING.discard(task)
        on_error(exc)

    task.relay.done.connect(finished_ok)
    task.relay.failed.connect(finished_error)
    QThreadPool.globalInstance().start(task)


def running() -> int:
    """How many tasks have not reported back yet (tests wait for zero)."""
    return len(_RUNNING)
