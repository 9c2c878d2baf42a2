"""Delayed calls that go away with the object they belong to.

``QTimer.singleShot(ms, callable)`` in PySide leaves a parentless timer running after the
object it would call back into has been deleted (a closed window, a locked diary): it then
fires into nothing, or into a deleted widget. ``after`` makes the timer a child of its owner,
so deleting the owner cancels it. ``after_paint`` waits for a widget's first paint instead.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


def after(owner: QObject, ms: int, callback: Callable[[], object]) -> QTimer:
    """Call ``callback`` once, ``ms`` milliseconds from now, unless ``owner`` is deleted first."""
    timer = QTimer(owner)
    timer.setSingleShot(True)
    timer.timeout.connect(callback)
    timer.timeout.connect(timer.deleteLater)
    timer.start(ms)
    return timer


class _FirstPaint(QObject):
    def __init__(self, widget: QWidget, callback: Callable[[], object], at_most_ms: int) -> None:
        super().__init__(widget)
        self.widget = widget
        self.callback: Callable[[], object] | None = callback
        widget.installEventFilter(self)
        self.fallback = after(self, at_most_ms, self.fire)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget and event.type() == QEvent.Type.Paint:
            self.widget.removeEventFilter(self)
            after(self, 0, self.fire)  # once this paint pass is over
        return False

    def fire(self) -> None:
        callback, self.callback = self.callback, None
        self.widget.removeEventFilter(self)
        self.fallback.stop()
        self.deleteLater()
        if callback is not None:
            callback()


def after_paint(widget: QWidget, callback: Callable[[], object], at_most_ms: int = 1000) -> None:
    """Call ``callback`` once, just after ``widget`` has first been painted: work that is not
    on the first screen waits until that screen is there. A widget not painted within
    ``at_most_ms`` (a minimised or hidden window) does not hold it back any longer. Nothing is
    called if ``widget`` is deleted first."""
    _FirstPaint(widget, callback, at_most_ms)
