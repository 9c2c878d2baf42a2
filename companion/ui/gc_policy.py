"""Python's cyclic garbage collector runs on the GUI thread only.

Automatic collection starts in whichever thread happens to allocate past the threshold; with
background work on a thread pool that is often a worker. Collecting a reference cycle that holds
a Qt object (a widget whose Python attribute refers back to itself, a lambda connected to its
own owner) then destroys that object from the worker thread, while the GUI thread may be using
it: Qt objects may only be destroyed by the thread they belong to, and the result is a
segmentation fault some time later, in either thread. So the GUI process turns automatic
collection off and collects from a timer on the GUI thread instead, one generation at a time
against the usual thresholds (the remedy PyQt and PySide applications use).

Reference counting still frees everything else at once; only cycles wait for the next tick.
"""

from __future__ import annotations

import gc
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication, QTimer

#: how often the GUI thread looks whether a collection is due (cheap when none is)
INTERVAL_MS = 250

_timer: QTimer | None = None
_gui_thread: int | None = None


def disable_automatic() -> None:
    """Turn automatic collection off for the whole process (every thread); call it on the
    thread that will collect, before any worker starts."""
    global _gui_thread
    _gui_thread = threading.get_ident()
    gc.disable()


def collect_if_due() -> int:
    """Collect the generations whose counts passed their thresholds, as the automatic collector
    would; returns how many unreachable objects were found. GUI thread only."""
    if _gui_thread is not None and threading.get_ident() != _gui_thread:
        raise RuntimeError("garbage is collected on the GUI thread only")
    threshold0, threshold1, threshold2 = gc.get_threshold()
    count0, count1, count2 = gc.get_count()
    if threshold0 <= 0 or count0 <= threshold0:
        return 0
    if count1 > threshold1:
        if count2 > threshold2:
            found = gc.collect(2)
            from companion.ui import memory

            memory.give_back()  # after a full collection: what it freed goes back too
            return found
        return gc.collect(1)
    return gc.collect(0)


def install(app: QCoreApplication) -> None:
    """Collect on the GUI thread from a timer owned by ``app``, and never anywhere else."""
    global _timer
    import shiboken6
    from PySide6.QtCore import QTimer

    disable_automatic()
    from companion.ui import memory

    memory.configure()
    if _timer is not None and shiboken6.isValid(_timer) and _timer.parent() is app:
        return
    timer = QTimer(app)
    timer.setObjectName("companion-gc")
    timer.setInterval(INTERVAL_MS)
    timer.timeout.connect(collect_if_due)
    timer.start()
    _timer = timer


def freeze_startup() -> None:
    """Leave what exists now (modules, classes, the features' registries: all of it lives as
    long as the process) out of every later collection (``gc.freeze``), so the first full
    collection after unlocking walks only what the diary's session made, not every object
    the start-up imported (a full collection then took ~150 ms on the GUI thread)."""
    gc.freeze()
