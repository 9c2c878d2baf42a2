"""Keys that work in every window, and "the person did something" for the auto-lock, without
an application-wide event filter.

An application event filter written in Python is entered for every event of every object
(layout, paint, timers…), thousands per page built, so Companion has none (a test holds it to
that). Instead:

- **Keys** (:func:`add_key`: F1 for help, Ctrl+N for a check-in) are ``QShortcut``s, one per
  key on each top-level window where it applies, made as the window is first shown or first
  takes the focus. Qt matches them natively; Python runs only when one is pressed, and then the
  latest handler registered for that key and window answers first.
- **Activity** (:func:`add_activity_listener`: the auto-lock's idle timer, the garbage
  collector's quiet moment) comes from a filter on each top-level window's ``QWindow``. A
  platform delivers every key press, click, mouse move, wheel and touch to the window first,
  and then Qt passes it on to the widget, so that filter sees every input of the window but
  none of the events Qt sends to its widgets (paint, layout, polish, timers).
A window is watched when :func:`watch` is called for it (the main window, every Companion
dialog as it is shown, the unlock and setup windows) and when it, or a widget in it, takes the
focus (message boxes, file choosers and pop-ups Qt makes itself).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut, QWindow
from PySide6.QtWidgets import QApplication, QWidget

#: a key's handler gets the window the key was pressed in, and answers True when it took the
#: key (no older handler of that key is asked then)
KeyHandler = Callable[[QWidget], bool]

_ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)
_NAME = "companion-app-input"
_KEYS_NAME = "companion-window-keys"
#: dynamic property of a QWindow whose input the hub already watches
_WATCHED = "companion-input-watched"


@dataclass(frozen=True)
class _Key:
    owner: QObject
    sequence: str
    handler: KeyHandler
    where: Callable[[QWidget], bool] | None


class _WindowKeys(QObject):
    """The registered keys' shortcuts on one top-level window (a child of it)."""

    def __init__(self, window: QWidget, hub: AppInput) -> None:
        super().__init__(window)
        self.setObjectName(_KEYS_NAME)
        self.top = window
        self.hub = hub
        self.shortcuts: dict[str, QShortcut] = {}
        self.handle: QWindow | None = None  # its QWindow, once shown and watched

    def offer(self, sequence: str) -> None:
        if sequence in self.shortcuts:
            return
        shortcut = QShortcut(QKeySequence(sequence), self.top)
        shortcut.activated.connect(lambda s=sequence: self.hub.pressed(self.top, s))
        self.shortcuts[sequence] = shortcut

    def withdraw(self, sequence: str) -> None:
        shortcut = self.shortcuts.pop(sequence, None)
        if shortcut is not None and shiboken6.isValid(shortcut):
            shortcut.setEnabled(False)
            shortcut.deleteLater()


class AppInput(QObject):
    """The registrations and the per-window watchers (one per application: :func:`instance`).
    As an event filter it is installed on top-level ``QWindow``s only."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.setObjectName(_NAME)
        self.keys: list[_Key] = []
        self.activity: list[tuple[QObject, Callable[[], None]]] = []
        self.windows: list[_WindowKeys] = []
        self.last: _WindowKeys | None = None  # the window watched last (focus moves within it)
        app.focusChanged.connect(self._focus_changed)
        app.focusWindowChanged.connect(self._focus_window_changed)

    # -- activity ------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and self.activity:
            self.active()
        return False

    def active(self) -> None:
        for _owner, listener in list(self.activity):
            listener()

    # -- windows -------------------------------------------------------------------------------

    def watch_input(self, handle: QWindow | None) -> None:
        if handle is None or not shiboken6.isValid(handle) or handle.property(_WATCHED):
            return
        handle.setProperty(_WATCHED, True)
        handle.installEventFilter(self)

    def watch(self, widget: QWidget) -> None:
        window = widget.window()
        handle = window.windowHandle()
        last = self.last
        if (
            last is not None
            and shiboken6.isValid(last)
            and last.top is window
            and last.handle is handle
        ):
            return  # the focus moved within the window watched last
        from PySide6.QtCore import Qt  # (not at import: the Qt namespace's first use is dear)

        keys = window.findChild(_WindowKeys, _KEYS_NAME, Qt.FindChildOption.FindDirectChildrenOnly)
        if keys is None:
            keys = _WindowKeys(window, self)
            self.windows.append(keys)
            keys.destroyed.connect(self._forget_when_gone(keys))
            for sequence in self._sequences_for(window):
                keys.offer(sequence)
        if keys.handle is not handle:  # shown for the first time (or made anew)
            self.watch_input(handle)
            keys.handle = handle
        self.last = keys

    def _forget_when_gone(self, keys: _WindowKeys) -> Callable[[], None]:
        # A slot with no parameter: for one that takes the object being destroyed, PySide
        # looks its type up by name, and the first such look-up builds every class not yet
        # used of every Qt module loaded (~200 enums: 10-30 ms of the GUI thread, once)
        def gone() -> None:
            self._window_gone(keys)

        return gone

    def _window_gone(self, keys: _WindowKeys) -> None:
        self.windows = [k for k in self.windows if k is not keys]

    def _sequences_for(self, window: QWidget) -> list[str]:
        wanted: list[str] = []
        for key in self.keys:
            if key.sequence not in wanted and (key.where is None or key.where(window)):
                wanted.append(key.sequence)
        return wanted

    def _focus_changed(self, _old: QWidget | None, now: QWidget | None) -> None:
        if now is not None:
            self.watch(now)

    def _focus_window_changed(self, handle: QWindow | None) -> None:
        self.watch_input(handle)
        active = QApplication.activeWindow()
        if active is not None:
            self.watch(active)

    # -- keys ----------------------------------------------------------------------------------

    def add_key(self, key: _Key) -> None:
        self.keys.append(key)
        for keys in list(self.windows):
            if shiboken6.isValid(keys) and (key.where is None or key.where(keys.top)):
                keys.offer(key.sequence)

    def pressed(self, window: QWidget, sequence: str) -> None:
        self.active()  # a shortcut's key never reaches the window's filter
        for key in reversed(list(self.keys)):  # the latest answers first
            if key.sequence == sequence and key.handler(window):
                return

    def forget(self, gone: Callable[[QObject], bool]) -> None:
        before = {k.sequence for k in self.keys}
        self.keys = [k for k in self.keys if not gone(k.owner)]
        self.activity = [(o, a) for o, a in self.activity if not gone(o)]
        for sequence in before - {k.sequence for k in self.keys}:
            for keys in self.windows:
                if shiboken6.isValid(keys):
                    keys.withdraw(sequence)


def instance() -> AppInput | None:
    """The application's hub, made on first use (None before a QApplication)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return None
    for child in app.findChildren(AppInput, _NAME):
        if shiboken6.isValid(child):
            return child
    hub = AppInput(app)
    focus = QGuiApplication.focusWindow()
    hub.watch_input(focus)
    active = QApplication.activeWindow()
    if active is not None:
        hub.watch(active)
    return hub


def watch(widget: QWidget) -> None:
    """Keys and activity in ``widget``'s window from now on (call it once the window exists;
    its input is watched once it is shown, at the latest when it takes the focus)."""
    hub = instance()
    if hub is not None:
        hub.watch(widget)


def _track(hub: AppInput, owner: QObject) -> None:
    def gone() -> None:  # (no parameter: see ``AppInput._forget_when_gone``)
        hub.forget(lambda o: o is owner)

    owner.destroyed.connect(gone)


def add_key(
    owner: QObject,
    sequence: str,
    handler: KeyHandler,
    where: Callable[[QWidget], bool] | None = None,
) -> None:
    """``handler`` runs when ``sequence`` is pressed in a watched window (``where`` says which
    windows get the key at all: by default every one) while ``owner`` lives."""
    hub = instance()
    if hub is None:
        return
    hub.add_key(_Key(owner, sequence, handler, where))
    _track(hub, owner)


def remove(owner: QObject) -> None:
    """Stop everything ``owner`` registered (it also stops when ``owner`` is deleted)."""
    hub = instance()
    if hub is not None:
        hub.forget(lambda o: o is owner)


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

    hub.forget(inside)


def add_activity_listener(owner: QObject, listener: Callable[[], None]) -> None:
    """``listener`` is called on any key, click, mouse move, wheel or touch in a watched
    window while ``owner`` lives."""
    hub = instance()
    if hub is None:
        return
    hub.activity.append((owner, listener))
    _track(hub, owner)
