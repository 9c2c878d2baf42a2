"""Import the chart modules (pyqtgraph and numpy, 0.3–0.7 s) on a worker thread before the
first chart is needed, so that opening Charts does not hold the window for that long.

Nothing here imports pyqtgraph at module level. :func:`start` is called when a page that leads
to charts is first opened (the Diary); if a chart is built before the import has finished, the
GUI thread simply waits for it at its own import (Python's import lock), no worse than before.
Importing these modules creates no Qt objects, so a worker thread may do it.
"""

from __future__ import annotations

import contextlib
import importlib
import sys
import threading

_thread: threading.Thread | None = None


#: what the Charts and Patterns tabs import (every module's top level makes no Qt object)
MODULES = (
    "companion.ui.charts.api",
    "companion.ui.mood.charts_tab",
    "companion.ui.mood.insights_tab",
)


def _import() -> None:
    for name in MODULES:
        with contextlib.suppress(Exception):  # the GUI thread's own import then reports it
            importlib.import_module(name)


def imported() -> bool:
    """Whether the chart modules are imported (or being imported)."""
    return _thread is not None or "companion.ui.charts.api" in sys.modules


def start() -> None:
    """Begin importing the chart modules in the background (once; no-op when imported)."""
    global _thread
    if imported():
        return
    _thread = threading.Thread(target=_import, name="companion-chart-import", daemon=True)
    _thread.start()


def done() -> bool:
    """Whether the chart modules can be used without waiting for an import (imported, or a
    background import that ended, even in failure: the GUI thread's import then reports it)."""
    if _thread is not None:
        return not _thread.is_alive()
    return "companion.ui.charts.api" in sys.modules


def wait(timeout: float | None = None) -> bool:
    """Wait for a background import started by :func:`start`; True when none is running."""
    if _thread is not None:
        _thread.join(timeout)
        return not _thread.is_alive()
    return True
