"""One signal per open diary that every diary widget listens to, so a check-in saved anywhere
(the Today card, the Ctrl+N window, the Diary page, an import) shows up everywhere at once.

The bus belongs to the diary's database: after a lock the old widgets (and their closed
database) hear nothing from the new session.
"""

from __future__ import annotations

import weakref

from PySide6.QtCore import QObject, Signal

from companion.storage.database import Database


class DiaryEvents(QObject):
    #: check-ins, tags or trackers changed (added, edited, deleted, restored, imported)
    changed = Signal()


_BUSES: weakref.WeakKeyDictionary[Database, DiaryEvents] = weakref.WeakKeyDictionary()


def events(db: Database) -> DiaryEvents:
    bus = _BUSES.get(db)
    if bus is None:
        bus = DiaryEvents()
        _BUSES[db] = bus
    return bus


def announce_change(db: Database) -> None:
    events(db).changed.emit()
