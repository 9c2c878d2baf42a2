"""The one way to run slow work (KDF, export, big charts) off the GUI thread.

``run_task(fn, on_done, on_error)`` runs ``fn()`` on Companion's own thread pool and calls one of
the callbacks back on the GUI thread. Exceptions are passed to ``on_error`` as objects; they
are never printed, because their text might hold something private.

Two rules keep this safe:

- **Our own pool.** Qt's global pool has as many threads as the machine has cores (two on a
  small laptop), and a task can block for seconds (a keyring behind D-Bus, an import lock). A
  dedicated pool with a few more threads means a blocked task never delays the one the person
  is waiting for (creating or unlocking the diary).
- **Everything a task holds dies on the GUI thread.** The function and its closure (which often
  holds a page), the result, and an exception with its traceback (whose frames hold locals) are
  released by the GUI thread when the outcome is delivered, never by the worker: a Qt object may
  only be destroyed by the thread it belongs to. The worker keeps nothing but the task's number.
- **Nothing of a finished task stays.** Its table entry is the only thing that holds the
  function, the callbacks and the outcome, and the entry goes when the outcome is delivered
  (or dropped at lock or quit). Qt's pool is given a plain function of the task's number, which
  it lets go after running it: a ``QRunnable`` kept by Python would stay referenced by the pool
  for the whole session, and with it whatever it still held (a closure's copy of the diary).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from itertools import count
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, QThreadPool, Signal

from companion.ui import memory

#: at least this many workers, so one or two blocked tasks never hold up the rest
MIN_THREADS = 4


class _Dispatcher(QObject):
    """Lives on the GUI thread; workers announce a finished task by its number."""

    finished = Signal(int)

    def __init__(self, parent: QObject | None) -> None:
        super().__init__(parent)
        self.setObjectName("companion-task-dispatcher")
        self.finished.connect(_deliver, Qt.ConnectionType.QueuedConnection)


@dataclass(eq=False)
class _Pending:
    """One task, from ``run_task`` until its outcome is delivered: the only holder of its
    function, callbacks and outcome."""

    fn: Callable[[], Any] | None
    on_done: Callable[[Any], None]
    on_error: Callable[[BaseException], None]
    owner: QObject | None
    signal: Any
    outcome: tuple[bool, Any] | None = None
    forgotten: bool = False

    def alive(self) -> bool:
        if self.forgotten:
            return False
        return self.owner is None or shiboken6.isValid(self.owner)


_PENDING: dict[int, _Pending] = {}
_NUMBERS = count(1)
_pool: QThreadPool | None = None
_dispatcher: _Dispatcher | None = None


def pool() -> QThreadPool:
    """Companion's thread pool (created on first use, owned by the application)."""
    global _pool
    if _pool is None or not shiboken6.isValid(_pool):
        _pool = QThreadPool(QCoreApplication.instance())
        _pool.setObjectName("companion-tasks")
        _pool.setMaxThreadCount(max(MIN_THREADS, QThread.idealThreadCount()))
    return _pool


def _the_dispatcher() -> _Dispatcher:
    global _dispatcher
    if _dispatcher is None or not shiboken6.isValid(_dispatcher):
        _dispatcher = _Dispatcher(QCoreApplication.instance())
    return _dispatcher


def _work(ident: int) -> None:
    """A worker runs task ``ident``. The entry keeps the function (and, after, the outcome)
    alive, so whatever they hold is released by the GUI thread in :func:`_deliver`."""
    entry = _PENDING.get(ident)
    if entry is None or entry.fn is None:
        return
    fn, signal = entry.fn, entry.signal
    try:
        value = fn()
        ok = True
    except BaseException as exc:  # handed to the GUI thread, never printed
        value, ok = exc, False
    del fn
    # what the work freed (a private copy of the diary, say) goes back to the system, here
    # rather than on the GUI thread (0.1–7 ms)
    memory.give_back()
    entry.outcome = (ok, value)
    del value, entry
    try:
        signal.emit(ident)
    except RuntimeError:
        # the application, and the dispatcher with it, is gone (a command such as
        # ``screenshot`` ending while a warm-up ran): nobody is left to hand the outcome to,
        # and it is not freed here, off the GUI thread; nothing is printed either
        return


def _deliver(ident: int) -> None:
    """GUI thread: hand the outcome to its callback and release everything the task held."""
    entry = _PENDING.pop(ident, None)
    if entry is None:
        return
    outcome, entry.outcome, entry.fn, entry.signal = entry.outcome, None, None, None
    if outcome is None or not entry.alive():
        return
    ok, value = outcome
    if ok:
        entry.on_done(value)
    else:
        entry.on_error(value)


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
    ident = next(_NUMBERS)
    signal = _the_dispatcher().finished
    _PENDING[ident] = _Pending(fn, on_done, on_error, owner or _owner_of(on_done), signal)
    pool().start(partial(_work, ident))


def running() -> int:
    """How many tasks have not reported back yet (tests wait for zero)."""
    return len(_PENDING)


def wait_for_workers(timeout_ms: int) -> bool:
    """Block until no worker is busy (their outcomes are then queued for the GUI thread)."""
    if _pool is None or not shiboken6.isValid(_pool):
        return True
    return _pool.waitForDone(timeout_ms)


def forget_owned_by(root: QObject) -> int:
    """Drop the callbacks of every running task owned by ``root`` or anything inside it
    (used when the diary locks: results that arrive later have nowhere to go)."""
    forgotten = 0
    for entry in list(_PENDING.values()):
        owner = entry.owner
        while owner is not None and shiboken6.isValid(owner):
            if owner is root:
                entry.forgotten = True
                forgotten += 1
                break
            owner = owner.parent()
    return forgotten


def shutdown(timeout_ms: int = 10_000) -> bool:
    """At quit: no callback runs any more; wait for the workers, then release what they held
    (on this, the GUI thread). False when a worker was still busy after ``timeout_ms``."""
    for entry in _PENDING.values():
        entry.forgotten = True
    if not wait_for_workers(timeout_ms):
        return False
    for ident in list(_PENDING):
        _deliver(ident)
    return True
