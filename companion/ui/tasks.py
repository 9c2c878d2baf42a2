"""The one way to run slow work (KDF, export, big charts) off the GUI thread.

``run_task(fn, on_done, on_error)`` runs ``fn()`` on Qt's global thread pool and calls one of
the callbacks back on the GUI thread. Exceptions are passed to ``on_error`` as objects; they
are never printed, because their text might hold something private.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import shiboken6
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
        self.owner: QObject | None = None
        self.forgotten = False

    @Slot()
    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # handed to the GUI thread, never printed
            outcome, value = self.relay.failed, exc
        else:
            outcome, value = self.relay.done, result
        # RuntimeError: the receiver is already gone because the application is quitting.
        with contextlib.suppress(RuntimeError):
            outcome.emit(value)


def _owner_of(callback: Callable[..., Any]) -> QObject | None:
    owner = getattr(callback, "__self__", None)
    return owner if isinstance(owner, QObject) else None


def run_task(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
    *,
    owner: QObject | None = None,
) -> None:
    """Run ``fn`` off the GUI thread; call back on the GUI thread.

    The callbacks are skipped when ``owner`` (by default the object whose bound method
    ``on_done`` is) has been deleted meanwhile, e.g. a window closed or the diary locked while
    the work ran: the result then has nowhere to go.
    """
    task = _Task(fn)
    _RUNNING.add(task)
    watched = owner or _owner_of(on_done)
    task.owner = watched

    def alive() -> bool:
        if task.forgotten:
            return False
        return watched is None or shiboken6.isValid(watched)

    def finished_ok(result: Any) -> None:
        _RUNNING.discard(task)
        if alive():
            on_done(result)

    def finished_error(exc: BaseException) -> None:
        _RUNNING.discard(task)
        if alive():
            on_error(exc)

    task.relay.done.connect(finished_ok)
    task.relay.failed.connect(finished_error)
    QThreadPool.globalInstance().start(task)


def running() -> int:
    """How many tasks have not reported back yet (tests wait for zero)."""
    return len(_RUNNING)


def forget_owned_by(root: QObject) -> int:
    """Drop the callbacks of every running task owned by ``root`` or anything inside it
    (used when the diary locks: results that arrive later have nowhere to go)."""
    count = 0
    for task in list(_RUNNING):
        owner = task.owner
        while owner is not None and shiboken6.isValid(owner):
            if owner is root:
                task.forgotten = True
                count += 1
                break
            owner = owner.parent()
    return count
