"""Import the chart modules (pyqtgraph and numpy, 0.3–0.7 s) before the first chart is needed,
so that opening Charts does not hold the window for that long: numpy (and the other modules
that define no Qt class) on a worker thread, then pyqtgraph and the chart modules on the GUI
thread, one module per turn of its event loop.

**Why not all of it on the worker.** pyqtgraph's modules define Qt classes with signals; PySide
builds each one's meta-object as the class statement runs. Done on a worker while the GUI thread
ran Qt's event loop, that crashed the process now and then (2 of 8 scripted sessions with a
stack sampler running: the GUI thread died inside Qt, once while the worker was in such a class
statement, once after "QBasicTimer::start: Timers cannot be started from another thread").
numpy defines no Qt class and is most of the time (~100 of ~220 ms); the rest runs on the GUI
thread once the worker is done: pyqtgraph (~20-25 ms with the lazy mirrors and deferred
widgets of ``pg_import``) a few statements of its package's body per turn (the worker
compiles them: ``pg_import.prepare_parts``), each chart module (a few ms) in the next turns.

Nothing here imports pyqtgraph at module level. :func:`start` is called by the warm-up (the
person has been still for a moment after unlocking) or when a page that leads to charts is
first opened (the Diary); if a chart is built before the import has finished, the GUI thread
simply waits for it at its own import (Python's import lock), no worse than before. Importing
these modules creates no Qt objects, so a worker thread may do it.

**Taking turns with the window.** Importing is Python work, and Python runs one thread at a
time: a worker importing while the GUI thread builds a page halves the GUI thread's share (a
150 ms page took 300–600 ms when the Diary was opened during the import). So the worker takes
turns: after each :data:`TURN_S` of importing, before its next module, it posts a small event
to the GUI thread and waits (holding nothing) until the GUI thread has handled it, which is
after whatever the window had to do first: while a page is being built, a click handled or a
frame painted, the import waits; while the window waits for the person, it goes on at full
speed. Python is also asked to switch threads every millisecond rather than every five while
the import runs, so the window gets its turn within about a millisecond of waking, even in the
middle of a module.

The worker never waits for a GUI thread that is itself in an import (it may be waiting for a
module the worker has begun: both would wait forever), nor once a chart waits for the modules
(:func:`wanted_now`, :func:`wait`), nor longer than :data:`MAX_WAIT_S` for one turn.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.abc
import importlib.machinery
import sys
import threading
import time
from collections.abc import Callable, Sequence
from functools import partial
from types import ModuleType

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal

from companion.ui.charts import pg_import

_thread: threading.Thread | None = None
_turns: _Turns | None = None

#: imported on the worker: no Qt class is defined in them, nor in anything they import (see
#: the module's text; a test imports them in a fresh interpreter and finds no Qt module after):
#: numpy, the statistics the charts summarise with (``companion.core`` never imports Qt), and
#: the standard library's modules that pyqtgraph 0.14 imports for the charts (found with
#: ``-X importtime``; one it no longer imports is only imported early; ``multiprocessing`` and
#: ``pydoc`` came with the remote views and parameter trees ``pg_import`` now leaves out)
WORKER_MODULES = (
    "numpy",
    "companion.core.mood.stats",
    "xml.etree.ElementTree",
    "statistics",
    "fractions",
)
#: what the Charts and Patterns tabs import (Qt classes: on the GUI thread only), one per turn
#: of its event loop: pyqtgraph alone is most of it
MODULES = (
    "pyqtgraph",
    "companion.ui.charts.api",
    "companion.ui.mood.charts_tab",
    "companion.ui.mood.insights_tab",
)
#: how much importing the worker does between two turns of the window (seconds)
TURN_S = 0.002
#: how often a waiting worker looks whether it must stop waiting (seconds)
POLL_S = 0.002
#: the longest the worker waits for one turn (a window busy for longer than this is not
#: waiting for the person; the import then goes on beside it)
MAX_WAIT_S = 1.0
#: Python's thread switch interval while the import runs (the default is 5 ms)
SWITCH_S = 0.001


class _Relay(QObject):
    """Lives on the GUI thread: a ping posted from the worker is answered there, in turn."""

    ping = Signal()
    #: the worker is done: the rest is imported on the GUI thread
    worker_done = Signal()

    def __init__(self, answered: threading.Event) -> None:
        super().__init__()
        self.answered = answered
        self.ping.connect(self.answer, Qt.ConnectionType.QueuedConnection)
        self.worker_done.connect(self.import_rest, Qt.ConnectionType.QueuedConnection)

    def import_rest(self) -> None:
        import_here()

    def answer(self) -> None:
        self.answered.set()


class _Turns(importlib.abc.MetaPathFinder):
    """Makes the worker take turns with the GUI thread before the modules it imports (a
    finder consulted first for every import, which finds nothing itself)."""

    def __init__(self, gui_thread: int, worker_name: str) -> None:
        self.gui_thread = gui_thread
        self.worker_name = worker_name
        self.answered = threading.Event()
        self.relay = _Relay(self.answered)  # made on the GUI thread (in ``start``)
        self.hurry = threading.Event()
        self.finished = False
        self.last_turn = 0.0
        self.turns = 0  # how many times the worker gave the window its turn
        self.waited_s = 0.0  # and how long it waited for them, in all

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if self.finished or threading.current_thread().name != self.worker_name:
            return None  # the ordinary finders import it
        # found as usual by the finders after this one; the turn is taken when the module is
        # made (its loader's create_module), not here: Python holds its global import lock
        # while a finder is asked, and every thread's imports would wait for the turn
        for finder in list(sys.meta_path):
            find = getattr(finder, "find_spec", None)
            if finder is self or find is None:
                continue
            spec: importlib.machinery.ModuleSpec | None = find(fullname, path, target)
            if spec is None:
                continue
            if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                spec.loader = _AfterATurn(spec.loader, self)
            return spec
        return None

    def take_turn(self) -> None:
        """On the worker: let the GUI thread handle what it has to do first."""
        start = time.monotonic()
        if self.hurry.is_set() or start - self.last_turn < TURN_S:
            return
        self.answered.clear()
        self.relay.ping.emit()  # queued to the GUI thread, after the events waiting there
        while not self.answered.wait(POLL_S):
            if self.hurry.is_set() or self._gui_thread_waits_for_an_import():
                break
            if time.monotonic() - start > MAX_WAIT_S or QCoreApplication.instance() is None:
                break
        self.last_turn = time.monotonic()
        self.turns += 1
        self.waited_s += self.last_turn - start

    def _gui_thread_waits_for_an_import(self) -> bool:
        """Whether the GUI thread is in Python's import machinery: it may be waiting for a
        module this worker has begun (a per-module import lock), so the worker must not wait
        for it; and a GUI thread importing is busy with what it needs now anyway."""
        frame = sys._current_frames().get(self.gui_thread)
        return frame is not None and frame.f_code.co_filename.startswith("<frozen importlib")


class _AfterATurn(importlib.abc.Loader):
    """A module's own loader, after the worker's turn: the module then has its own loader
    again (``__loader__``, ``__spec__.loader``) before its code runs."""

    def __init__(self, real: importlib.abc.Loader, turns: _Turns) -> None:
        self.real = real
        self.turns = turns

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        self.turns.take_turn()  # before an extension module's library is even loaded
        create = getattr(self.real, "create_module", None)
        module: ModuleType | None = create(spec) if create is not None else None
        return module

    def exec_module(self, module: ModuleType) -> None:
        spec = getattr(module, "__spec__", None)
        if spec is not None and spec.loader is self:
            spec.loader = self.real
        if getattr(module, "__loader__", None) is self:
            module.__loader__ = self.real
        self.real.exec_module(module)

    def __getattr__(self, name: str) -> object:  # is_package, get_code… for tools that ask
        return getattr(self.real, name)


def _import(turns: _Turns | None = None) -> None:
    interval = sys.getswitchinterval()
    if turns is not None:
        sys.setswitchinterval(min(interval, SWITCH_S))
    try:
        for name in WORKER_MODULES:
            with contextlib.suppress(Exception):  # the GUI thread's own import then reports it
                importlib.import_module(name)
        with contextlib.suppress(Exception):  # (then imported in one turn, as before)
            pg_import.prepare_parts()  # pyqtgraph's body compiled, to be run in parts
    finally:
        if turns is not None:
            turns.finished = True  # its finder finds nothing and waits for nothing from now on
            sys.setswitchinterval(interval)
            with contextlib.suppress(RuntimeError):  # (the application may be gone)
                turns.relay.worker_done.emit()  # queued: the GUI thread imports the rest


def import_here(names: Sequence[str] | None = None) -> None:
    """On the GUI thread: the modules that define Qt classes, one per turn of its event loop
    (a failure is left for the chart's own import to report; a chart wanted meanwhile
    imports what is left at once, in its own import)."""
    todo = MODULES if names is None else names
    if not todo:
        return
    with contextlib.suppress(Exception):
        if _import_part(todo[0]):
            _next_turn(partial(import_here, tuple(todo)))  # (its next part)
            return
        importlib.import_module(todo[0])
    if len(todo) > 1:
        _next_turn(partial(import_here, tuple(todo[1:])))


def _next_turn(callback: Callable[[], object]) -> None:
    """``callback`` in a later turn, after the timers due before it: a timer a moment later
    (``timers.NEXT_TURN_MS``), not a zero timer or a posted call, which the event loop may
    run in the same pass as the one that started it (two parts of 4-9 ms in one 13-15 ms
    gap)."""
    from companion.ui.timers import NEXT_TURN_MS, after

    app = QCoreApplication.instance()
    if app is not None:
        after(app, NEXT_TURN_MS, callback)


def _import_part(name: str) -> bool:
    """pyqtgraph's package body, a part of it (``pg_import.import_part``); True while parts
    are left."""
    return name == pg_import.PACKAGE and pg_import.import_part() and pg_import.parts_left()


def import_next() -> bool:
    """On the GUI thread: import the first of :data:`MODULES` not imported yet; True when one
    was (a page waiting for the charts calls this once a turn rather than importing them all
    in one). False when none is left, or it failed (the chart's own import then reports it)."""
    left = [
        name
        for name in MODULES
        if name not in sys.modules or (name == pg_import.PACKAGE and pg_import.parts_left())
    ]
    if not left:
        return False
    try:
        if not _import_part(left[0]):
            importlib.import_module(left[0])
    except Exception:  # reported by the chart's own import
        return False
    return True


def when_ready(owner: QObject, callback: Callable[[], object], *, hurry: bool = False) -> None:
    """Call ``callback`` on the GUI thread once a chart can be made without a long turn: the
    worker's part of the import done (started if need be; ``hurry``: a chart is waiting, the
    worker stops taking turns), then the GUI thread's part a module per turn of the event loop
    (pyqtgraph, ~20-25 ms, in parts of ~5 ms). At once when nothing is left; nothing once
    ``owner`` is gone. A failed import is left for the chart's own import to report."""
    from companion.ui.timers import after, in_steps

    if hurry:
        wanted_now()
    else:
        start()

    def check() -> None:
        if not done():  # waiting for the worker, in turns of the event loop
            after(owner, 30, check)
        elif import_next():  # one module this turn, the next (or the callback) in the next
            in_steps(owner, [check])
        else:
            callback()

    check()


def imported() -> bool:
    """Whether the chart modules are imported (or being imported)."""
    return _thread is not None or "companion.ui.charts.api" in sys.modules


def start() -> None:
    """Begin importing the chart modules in the background (once; no-op when imported).
    Called on the GUI thread: the worker takes turns with it (see the module's text)."""
    global _thread, _turns
    if imported():
        return
    name = "companion-chart-import"
    turns = _Turns(threading.get_ident(), name)
    if QCoreApplication.instance() is None:
        turns.hurry.set()  # no event loop to take turns with
    # consulted first at every import from now on (inert once the import has finished); put
    # in place once and never taken out: a finder removed while another thread walks
    # ``sys.meta_path`` could make that thread skip the next one
    sys.meta_path.insert(0, turns)
    _turns = turns
    _thread = threading.Thread(target=_import, args=(turns,), name=name, daemon=True)
    _thread.start()


def wanted_now() -> None:
    """A chart is waiting for the modules (a Charts tab clicked during the import): start the
    import if it has not begun, and stop taking turns with the window, which only waits."""
    start()
    if _turns is not None:
        _turns.hurry.set()


def done() -> bool:
    """Whether nothing is imported in the background any more (the worker's part ended, even in
    failure): the GUI thread may import the chart modules itself without waiting (the rest of
    the import; a failure is reported there)."""
    if _thread is not None:
        return not _thread.is_alive()
    return "companion.ui.charts.api" in sys.modules


def wait(timeout: float | None = None) -> bool:
    """Wait for a background import started by :func:`start`; True when none is running.
    The worker stops taking turns meanwhile (the GUI thread waits here, not in its loop)."""
    if _thread is not None:
        if _turns is not None:
            _turns.hurry.set()
        _thread.join(timeout)
        return not _thread.is_alive()
    return True
