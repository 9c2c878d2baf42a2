"""Python's cyclic garbage collector runs on the GUI thread only, and its long passes wait for
a quiet moment.

Automatic collection starts in whichever thread happens to allocate past the threshold; with
background work on a thread pool that is often a worker. Collecting a reference cycle that holds
a Qt object (a widget whose Python attribute refers back to itself, a lambda connected to its
own owner) then destroys that object from the worker thread, while the GUI thread may be using
it: Qt objects may only be destroyed by the thread they belong to, and the result is a
segmentation fault some time later, in either thread. So the GUI process turns automatic
collection off and collects from a timer on the GUI thread instead (the remedy PyQt and PySide
applications use).

The young generations are collected as the automatic collector would, against the usual
thresholds: that takes a few milliseconds. A full collection walks every object the process
holds (a whole diary's pages: 50–150 ms), so:

- it is due only when the heap has grown by a quarter since the last one (CPython's own rule:
  the automatic collector skips full passes until a quarter of the old objects are new);
- a due one waits for a quiet moment: no key, click or wheel for :data:`QUIET_MS`, no page
  being built in steps (``timers.running()``), no background task or lock teardown going, and
  the timer itself on time (no long turn of the event loop just ran, a page opening);
- it never waits longer than :data:`MAX_WAIT_S`, so garbage cannot grow without bound while a
  person keeps typing;
- what survives it is frozen (``gc.freeze``): the next full collection walks only what was made
  since. Frozen objects that become cyclic garbage later are found by the next *complete*
  collection, which thaws everything first: every :data:`THAW_EVERY`-th full collection, and
  the first one after a lock (the locked diary's widgets and rows, which must not linger in
  memory);
- a complete collection walks the whole heap, what start-up froze included (70-110 ms on the
  test VM, more under load), so it waits for a longer quiet moment (:data:`THAW_QUIET_MS`: a
  person who has just locked and is typing the passphrase again does not meet it between two
  keys), and longer at most (:data:`THAW_MAX_WAIT_S`).

Reference counting still frees everything else at once; only cycles wait.
"""

from __future__ import annotations

import gc
import sys
import threading
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication, QTimer

#: how often the GUI thread looks whether a collection is due (cheap when none is)
INTERVAL_MS = 250
#: a full collection waits until nobody has pressed a key or clicked for this long
QUIET_MS = 800
#: a tick later than this (beyond its interval) means a long turn just ran: not quiet
LATE_MS = 40
#: the longest a due full collection waits for a quiet moment
MAX_WAIT_S = 10.0
#: a full collection is due once the heap grew by this share since the last one
GROWTH = 0.25
#: every this many full collections, one thaws what earlier ones froze and walks it all
THAW_EVERY = 8
#: a complete collection (everything thawed first) waits until nobody has pressed a key or
#: clicked for this long, and at most this long
THAW_QUIET_MS = 3000
THAW_MAX_WAIT_S = 60.0
#: the longest a due young collection waits while a page builds or background work runs
YOUNG_MAX_WAIT_S = 2.0

_timer: QTimer | None = None
_gui_thread: int | None = None


class _State:
    """What the policy remembers between ticks (one per process)."""

    def __init__(self) -> None:
        self.last_input = 0.0
        self.last_tick = 0.0
        self.due_since: float | None = None
        #: a young collection has been due since (waiting for the work under way)
        self.young_since: float | None = None
        #: pymalloc blocks in use just after the last full collection
        self.heap_after_full = 0
        self.fulls = 0
        #: the next full collection thaws everything first (after a lock)
        self.thaw_next = False
        #: survivors of a full collection are frozen (the app's timer: see ``install``)
        self.freezing = False
        self.listening = False


_state = _State()


def disable_automatic() -> None:
    """Turn automatic collection off for the whole process (every thread); call it on the
    thread that will collect, before any worker starts."""
    global _gui_thread
    _gui_thread = threading.get_ident()
    gc.disable()


def _check_thread() -> None:
    if _gui_thread is not None and threading.get_ident() != _gui_thread:
        raise RuntimeError("garbage is collected on the GUI thread only")


def _young_collection() -> int:
    """Collect generation 0 or 1 if its count passed its threshold (as the automatic collector
    would); -1 when a full collection would be next instead."""
    threshold0, threshold1, threshold2 = gc.get_threshold()
    count0, count1, count2 = gc.get_count()
    if threshold0 <= 0 or count0 <= threshold0:
        return 0
    if count1 > threshold1:
        if count2 > threshold2:
            return -1
        return gc.collect(1)
    return gc.collect(0)


def _heap_grew() -> bool:
    return sys.getallocatedblocks() >= _state.heap_after_full * (1 + GROWTH)


def _full_collection() -> int:
    """Collect everything not frozen (everything, when a thaw is due), then freeze what is
    left: it lives on, and the next full collection need not walk it again."""
    _state.fulls += 1
    if _state.thaw_next or _state.fulls % THAW_EVERY == 0:
        gc.unfreeze()
        _state.thaw_next = False
    found = gc.collect(2)
    if _state.freezing:
        gc.freeze()
    _state.heap_after_full = sys.getallocatedblocks()
    _state.due_since = None
    from companion.ui import memory

    memory.give_back()  # after a full collection: what it freed goes back too
    return found


def collect_if_due() -> int:
    """Collect the generations whose counts passed their thresholds, now (a full collection
    only when the heap has also grown: see the module's description); returns how many
    unreachable objects were found. GUI thread only."""
    _check_thread()
    found = _young_collection()
    if found >= 0:
        return found
    if _heap_grew() or _state.thaw_next:
        return _full_collection()
    return gc.collect(1)  # the old generation is not worth walking yet


def collect_everything() -> int:
    """A complete collection now (everything thawed first), on the GUI thread: for a window
    thrown away where no event loop will collect after it (the screenshot command renders
    and exits). Left to the interpreter's exit, its reference cycles were collected after
    the application had gone, and a Diary page's crashed the process in 3 to 5 runs of 6."""
    _check_thread()
    _state.thaw_next = True
    return _full_collection()


def _thaws_next() -> bool:
    """The next full collection is a complete one (it thaws everything first)."""
    return _state.thaw_next or (_state.fulls + 1) % THAW_EVERY == 0


def _quiet(now: float, late: bool, quiet_ms: int = QUIET_MS) -> bool:
    """Nothing is going on that a long collection would hold up."""
    if late or now - _state.last_input < quiet_ms / 1000:
        return False
    from companion.ui import timers

    return not timers.under_way()


def tick() -> None:
    """The timer's work: young collections when due; a due full collection when quiet (or
    once it has waited :data:`MAX_WAIT_S`; a complete one :data:`THAW_QUIET_MS` and
    :data:`THAW_MAX_WAIT_S`), the young generations meanwhile."""
    _check_thread()
    now = time.monotonic()
    late = bool(_state.last_tick) and now - _state.last_tick > (INTERVAL_MS + LATE_MS) / 1000
    _state.last_tick = now
    _listen_for_input()
    if _young_waits(now, late):
        return
    young = _young_collection()  # -1: the full collection's turn
    if young < 0 and _heap_grew() and _state.due_since is None:
        _state.due_since = now
    if _state.thaw_next and _state.due_since is None:
        _state.due_since = now
    complete = _thaws_next()
    quiet_ms, max_wait_s = (THAW_QUIET_MS, THAW_MAX_WAIT_S) if complete else (QUIET_MS, MAX_WAIT_S)
    due = _state.due_since
    if due is not None and (_quiet(now, late, quiet_ms) or now - due >= max_wait_s):
        _full_collection()
    elif young < 0:
        gc.collect(1)  # the old generation waits (or is not worth walking yet)


def _young_waits(now: float, late: bool) -> bool:
    """A due young collection waits (at most :data:`YOUNG_MAX_WAIT_S`) while a long turn just
    ran or work is under way: a page building in steps allocates tens of thousands of objects
    between two ticks, and walking them (10–50 ms, more under load) would add to its turns."""
    threshold0 = gc.get_threshold()[0]
    if threshold0 <= 0 or gc.get_count()[0] <= threshold0:
        _state.young_since = None
        return False
    from companion.ui import timers

    if not (late or timers.under_way()):
        _state.young_since = None
        return False
    if _state.young_since is None:
        _state.young_since = now
    return now - _state.young_since < YOUNG_MAX_WAIT_S


def _listen_for_input() -> None:
    """Note the time of every key, click and wheel (from the first tick on, once the app
    watches its windows' input)."""
    if _state.listening or _timer is None:
        return
    from companion.ui import app_input

    if app_input.instance() is None:
        return
    _state.listening = True
    app_input.add_activity_listener(_timer, note_input)


def note_input() -> None:
    """A key, click or wheel just now (the app's event filter calls this through
    ``add_activity_listener``; tests call it directly)."""
    _state.last_input = time.monotonic()


def thaw() -> None:
    """The diary locked and its widgets are gone: the next full collection walks everything,
    frozen or not, at the next quiet moment (whatever the thresholds say), so nothing of the
    locked diary lingers in memory."""
    _state.thaw_next = True


def install(app: QCoreApplication, *, freeze: bool = True) -> None:
    """Collect on the GUI thread from a timer owned by ``app``, and never anywhere else.
    ``freeze``: what survives a full collection is frozen (tests turn it off, so that one
    test's objects never outlive it)."""
    global _timer
    import shiboken6
    from PySide6.QtCore import QTimer

    disable_automatic()
    from companion.ui import memory

    memory.configure()
    _state.freezing = freeze
    if _timer is not None and shiboken6.isValid(_timer) and _timer.parent() is app:
        return
    timer = QTimer(app)
    timer.setObjectName("companion-gc")
    timer.setInterval(INTERVAL_MS)
    timer.timeout.connect(tick)
    timer.start()
    _timer = timer
    _state.listening = False
    _state.heap_after_full = sys.getallocatedblocks()


def freeze_startup() -> None:
    """Leave what exists now (modules, classes, the features' registries: all of it lives as
    long as the process) out of every later collection (``gc.freeze``), so the first full
    collection after unlocking walks only what the diary's session made, not every object
    the start-up imported (a full collection then took ~150 ms on the GUI thread)."""
    gc.freeze()
