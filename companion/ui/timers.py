"""Delayed calls that go away with the object they belong to.

``QTimer.singleShot(ms, callable)`` in PySide leaves a parentless timer running after the
object it would call back into has been deleted (a closed window, a locked diary): it then
fires into nothing, or into a deleted widget. ``after`` makes the timer a child of its owner,
so deleting the owner cancels it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer


def after(owner: QObject, ms: int, callback: Callable[[], object]) -> QTimer:
    """Call ``callback`` once, ``ms`` milliseconds from now, unless ``owner`` is deleted first."""
    timer = QTimer(owner)
    timer.setSingleShot(True)
    timer.timeout.connect(callback)
    timer.timeout.connect(timer.deleteLater)
    timer.start(ms)
    return timer
