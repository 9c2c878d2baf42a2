"""The one application-wide event filter: keys that work in every window, and "the person did
something" for the auto-lock.

An application event filter written in Python is entered for every event of every object
(layout, paint, timers…), so each extra one costs every step of the app; the Diary page's first
open spent 29% of its time in three of them. Everything that needs to see every key or every
input registers here instead: :func:`add_key_handler` (F1 for help, Ctrl+N for a check-in) and
:func:`add_activity_listener` (the idle timer). The filter returns at once for any other event.

At launch the filter waits for the first window's first paint (:func:`hold` and
:func:`release_after_paint`): PySide hands the filter every object an event is for, and the first
object of a class Qt keeps private (a scroll area's scroll-bar holder) makes PySide build the
Python class of every Qt widget type to find its nearest public one, about 40 ms that the first
window need not wait for. Handlers registered meanwhile are kept, and work from then on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QKeyEvent

#: a key handler answers True when it took the key (nothing else sees it then)
KeyHandler = Callable[[QObject, "QKeyEvent"], bool]

_KEY = QEvent.Type.KeyPress
_ACTIVITY = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)
_NAME = "companion-app-input"
#: application property: the filter is not to be installed yet (see :func:`hold`)
_HELD = "companion-app-input-held"


class AppInput(QObject):
    """The filter itself (one per application; see :func:`instance`)."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.setObjectName(_NAME)
        self.keys: list[tuple[QObject, KeyHandler]] = []
        self.activity: list[tuple[QObject, Callable[[], None]]] = []
        self.installed = False

    def install(self) -> None:
        if not self.installed:
            self.installed = True
            app = self.parent()
            if app is not None:
                app.installEventFilter(self)

    def _active(self) -> None:
        for _owner, listener in list(self.activity):
            listener()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == _KEY:
            # imported here: the launch imports this module, and QKeyEvent's Python type
            # (its enums) costs ~1.4 ms the first time, long before the first key
            from PySide6.QtGui import QKeyEvent

            if self.activity:
                self._active()
            if isinstance(event, QKeyEvent):
                for _owner, handler in reversed(list(self.keys)):  # the latest answers first
                    if handler(watched, event):
                        return True
        elif kind in _ACTIVITY and self.activity:
            self._active()
        return False

    def _forget(self, owner: QObject) -> None:
        self.keys = [(o, h) for o, h in self.keys if o is not owner]
        self.activity = [(o, a) for o, a in self.activity if o is not owner]


def instance() -> AppInput | None:
    """The application's filter, installed on first use (None before a QApplication)."""
    app = QApplication.instance()
    if app is None:
        return None
    existing = _existing()
    if existing is not None:
        return existing
    hub = AppInput(app)
    if not app.property(_HELD):
        hub.install()
    return hub


def hold() -> None:
    """Launch: keep the filter out until :func:`release_after_paint` lets it in (registrations
    made meanwhile are kept). Called before the first window is made."""
    app = QApplication.instance()
    if app is not None:
        app.setProperty(_HELD, True)


def release_after_paint(window: QWidget) -> None:
    """Install the filter just after ``window`` is first painted (at the latest a second from
    now, if it is not painted: minimised or hidden in the tray; at once if it is deleted
    first), and let PySide meet the window's widgets there, once, rather than at some later
    event (a first key press, or the unlock, when the main window is built)."""
    from companion.ui.timers import after, after_paint

    hub = instance()
    if hub is None:
        return
    if hub.installed:  # installed before the hold (a second window of the same application)
        app = hub.parent()
        if app is not None:
            app.setProperty(_HELD, False)
        return

    def release(meet_widgets: bool = True) -> None:
        if not shiboken6.isValid(hub) or hub.installed:
            return
        if shiboken6.isValid(fallback):
            fallback.stop()
        app = hub.parent()
        if app is not None:
            app.setProperty(_HELD, False)
        hub.install()
        if meet_widgets and shiboken6.isValid(window):
            window.findChildren(QWidget)  # each widget's Python class, now (see above)

    fallback = after(hub, 1000, release)
    after_paint(window, release)
    window.destroyed.connect(lambda _object=None: release(meet_widgets=False))


@contextmanager
def suspended() -> Iterator[None]:
    """The filter out while a window is built and shown in one go (the main window at unlock):
    every event of every new widget would otherwise pass through Python, thousands of them
    for nothing (no input can arrive in the middle of a slot). Back in when the block ends,
    in time for any key pressed meanwhile, which Qt delivers only after it."""
    hub = _existing()
    app = hub.parent() if hub is not None and hub.installed else None
    if hub is None or app is None:
        yield
        return
    app.removeEventFilter(hub)
    hub.installed = False
    try:
        yield
    finally:
        if shiboken6.isValid(hub):
            hub.install()


def _existing() -> AppInput | None:
    app = QApplication.instance()
    if app is None:
        return None
    for child in app.findChildren(AppInput, _NAME):
        if shiboken6.isValid(child):
            return child
    return None


def _track(hub: AppInput, owner: QObject) -> None:
    owner.destroyed.connect(lambda _o=None, h=hub, w=owner: h._forget(w))


def add_key_handler(owner: QObject, handler: KeyHandler) -> None:
    """``handler`` sees every key press in the application while ``owner`` lives."""
    hub = instance()
    if hub is None:
        return
    hub.keys.append((owner, handler))
    _track(hub, owner)


def remove(owner: QObject) -> None:
    """Stop everything ``owner`` registered (it also stops when ``owner`` is deleted)."""
    hub = instance()
    if hub is not None:
        hub._forget(owner)


def forget_within(root: QObject) -> None:
    """Stop everything registered by ``root`` or anything inside it (a locked window)."""
    hub = instance()
    if hub is None:
        return

    def inside(owner: QObject | None) -> bool:
        while owner is not None and shiboken6.isValid(owner):
            if owner is root:
                return True
            owner = owner.parent()
        return False

    hub.keys = [(o, h) for o, h in hub.keys if not inside(o)]
    hub.activity = [(o, a) for o, a in hub.activity if not inside(o)]


def add_activity_listener(owner: QObject, listener: Callable[[], None]) -> None:
    """``listener`` is called on any key, click, mouse move, wheel or touch while ``owner``
    lives."""
    hub = instance()
    if hub is None:
        return
    hub.activity.append((owner, listener))
    _track(hub, owner)
