"""Deleting a locked window's widgets a slice at a time, after it has left the screen.

Deleting every page of a ten-year diary in one go held the GUI thread for 0.4–0.9 s at lock
(most of it Qt re-polishing the whole tree when the central widget was taken out of the
window), and the unlock window waited behind it. Now the main window hides first, so nothing of
the diary is on screen or reachable, the unlock window appears at once, and the old widgets are
deleted here: in each turn of the event loop as many as fit in :data:`SLICE_MS`, so a click or
a paint in the unlock window never waits long.

Only widgets whose children can go one by one are split: plain containers (a ``QWidget`` or
``QFrame`` and the app's own subclasses of them, whose children sit in Qt's layouts), the pages of a
stacked or tab widget, and a scroll area's content. Qt's composite widgets (a list view, a text
editor, a chart, a tab widget's tab bar…) keep pointers to their internal children, so they are
deleted whole. A container's signals are blocked while its children go, so no "current page
changed" reaches code of a locked diary.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import (
    QFrame,
    QLayout,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QWidget,
)

from companion.ui.timers import NEXT_TURN_MS

#: the longest a slice may go on deleting (one more subtree may still be started before it)
SLICE_MS = 6.0

#: the teardowns not finished yet: they hold their window, so the garbage collector cannot
#: delete it whole in the middle (which would be one long stall)
_RUNNING: dict[int, Teardown] = {}

#: Qt classes whose children a program adds and removes freely (in layouts)
_PLAIN = (QWidget, QFrame)


def _qt_class(widget: QObject) -> type:
    """The Qt class a (possibly Python) widget class is built on."""
    for cls in type(widget).__mro__:
        if cls.__module__.startswith("PySide6."):
            return cls
    return QObject


def _qt_layouts_only(widget: QWidget) -> bool:
    """Whether every layout in ``widget`` is one of Qt's own. A layout written in Python
    (``FlowLayout``) holds items Python made, which Qt would delete a second time when a
    child widget went on its own."""
    pending = [widget.layout()]
    while pending:
        layout = pending.pop()
        if layout is None:
            continue
        if _qt_class(layout) is not type(layout):
            return False
        pending.extend(c for c in layout.children() if isinstance(c, QLayout))
    return True


def parts(widget: QObject) -> list[QWidget]:
    """What of ``widget`` may be deleted before it, one at a time (empty: delete it whole)."""
    if isinstance(widget, QScrollArea):
        content = widget.widget()
        return [content] if content is not None else []
    if isinstance(widget, QTabWidget | QStackedWidget):
        return [w for i in range(widget.count()) if (w := widget.widget(i)) is not None]
    if _qt_class(widget) in _PLAIN and _qt_layouts_only(widget):  # type: ignore[arg-type]
        return [c for c in widget.children() if isinstance(c, QWidget)]
    return []


def delete_now(obj: QObject) -> None:
    """Delete ``obj`` the way Qt deletes anything (its destructor, then its wrapper's), now."""
    obj.deleteLater()
    QCoreApplication.sendPostedEvents(obj, QEvent.Type.DeferredDelete)


class Teardown(QObject):
    """Deletes ``roots`` (and everything in them) a slice per event-loop turn; a child of
    ``owner``, so deleting the owner stops it. ``then`` runs once everything is deleted."""

    def __init__(
        self,
        owner: QObject,
        roots: Sequence[QObject],
        then: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(owner)
        self.owner = owner
        self.then = then
        #: a stack of (object, split yet?): the top is deleted (or split) next
        self._work: list[tuple[QObject, bool]] = [(root, False) for root in reversed(roots)]
        # started again after each slice, not a repeating zero timer: that one was due again
        # as each slice began, so Qt ran the next slice before any timer that fell due during
        # this one (two or three 6 ms slices back to back: 15-20 ms with nothing between)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.run_slice)
        self._started = False
        key = id(self)
        _RUNNING[key] = self

        # deleted with its owner before it finished (a closed test window): forget it
        # (no parameter: see ``app_input.AppInput._forget_when_gone``)
        def forget() -> None:
            _RUNNING.pop(key, None)

        self.destroyed.connect(forget)

    def start(self) -> None:
        self._started = True
        self._timer.start(0)

    @property
    def done(self) -> bool:
        return not self._work

    def run_slice(self, budget_ms: float | None = None) -> None:
        """Delete for about ``budget_ms`` (:data:`SLICE_MS`; everything when infinite)."""
        budget = SLICE_MS if budget_ms is None else budget_ms
        deadline = time.perf_counter() + budget / 1000
        work = self._work
        while work:
            obj, split = work.pop()
            if not shiboken6.isValid(obj):
                continue
            if not split:
                inner = parts(obj)
                if inner:
                    obj.blockSignals(True)  # e.g. no "current tab changed" while tabs go
                    work.append((obj, True))
                    work.extend((child, False) for child in reversed(inner))
                    continue
            delete_now(obj)
            del obj
            if time.perf_counter() >= deadline:
                break
        if not work:
            self._finish()
        elif self._started:
            self._timer.start(NEXT_TURN_MS)  # (other timers due by then first)

    def finish_now(self) -> None:
        """Everything that is left, at once (at quit)."""
        self.run_slice(float("inf"))

    def _finish(self) -> None:
        self._timer.stop()
        _RUNNING.pop(id(self), None)
        then, self.then = self.then, None
        self.owner = None  # type: ignore[assignment]
        if then is not None:
            then()
        self.deleteLater()


def tear_down(
    owner: QObject, roots: Sequence[QObject], then: Callable[[], object] | None = None
) -> Teardown:
    """Start deleting ``roots`` in slices (see the module's description)."""
    teardown = Teardown(owner, roots, then)
    teardown.start()
    return teardown


def running() -> int:
    """How many teardowns have not finished (tests and the bench wait for zero)."""
    return len(_RUNNING)


def finish_all() -> None:
    """Finish every teardown at once (at quit, when nobody is waiting for a frame)."""
    for teardown in list(_RUNNING.values()):
        if shiboken6.isValid(teardown):
            teardown.finish_now()
        else:
            _RUNNING.pop(id(teardown), None)
