"""One change hub per open diary: whatever changes the diary says so here, once.

A check-in saved on the Today card, a dose marked from a reminder, an import, a restored
backup: each is announced as a :class:`Change` naming the feature (and, where it helps, what
inside it), so every widget showing that feature refreshes, wherever the change came from.

The hub belongs to one unlock of the diary (the main window makes it and hands it to its pages
through ``AppContext.changes``); after a lock the old widgets, and their hub, are gone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

from PySide6.QtCore import QObject, Signal

#: a feature name for changes that concern every page (a restored backup, an import of
#: Companion's own JSON)
EVERYTHING = "*"


class Change(NamedTuple):
    """What changed (a named tuple: the launch imports this module before its first paint)."""

    #: the feature whose data changed ("mood", "medications"…), or EVERYTHING
    feature: str
    #: what inside it, when a listener may care ("entries", "tags", "doses"…); "" = anything
    what: str = ""
    #: the widget that made the change (it may skip refreshing itself)
    initiator: object | None = None

    def concerns(self, features: Iterable[str]) -> bool:
        return self.feature == EVERYTHING or self.feature in set(features)


class _Listener(QObject):
    """Lives as a child of the listening widget, so it is disconnected when that goes."""

    def __init__(
        self, receiver: QObject, features: tuple[str, ...], slot: Callable[[Change], None]
    ) -> None:
        super().__init__(receiver)
        self.features = features
        self.slot = slot

    def heard(self, change: object) -> None:
        if isinstance(change, Change) and change.concerns(self.features):
            self.slot(change)


class ChangeHub(QObject):
    changed = Signal(object)

    def announce(self, feature: str, what: str = "", *, initiator: object | None = None) -> None:
        """Tell every listener of ``feature`` that its data changed."""
        self.changed.emit(Change(feature, what, initiator))

    def listen(
        self,
        features: str | Iterable[str],
        slot: Callable[[Change], None],
        *,
        receiver: QObject,
    ) -> None:
        """Call ``slot`` for changes to ``features`` while ``receiver`` exists."""
        names = (features,) if isinstance(features, str) else tuple(features)
        listener = _Listener(receiver, names, slot)
        self.changed.connect(listener.heard)


def features_heard(widget: QObject) -> set[str]:
    """The features whose changes ``widget``, or anything inside it, listens to."""
    heard: set[str] = set()
    for listener in widget.findChildren(_Listener):
        heard.update(listener.features)
    return heard
