"""One signal per open diary for medication changes, so a dose marked anywhere (the Today
card, a reminder banner, the Medications page) shows up everywhere at once.

The bus belongs to the diary's database: after a lock the old widgets hear nothing more.
"""

from __future__ import annotations

import weakref

from PySide6.QtCore import QObject, Signal

from companion.storage.database import Database


class MedicationEvents(QObject):
    #: medicines, doses, the dose log or treatments changed
    changed = Signal()


_BUSES: weakref.WeakKeyDictionary[Database, MedicationEvents] = weakref.WeakKeyDictionary()


def events(db: Database) -> MedicationEvents:
    bus = _BUSES.get(db)
    if bus is None:
        bus = MedicationEvents()
        _BUSES[db] = bus
    return bus


def announce_change(db: Database) -> None:
    events(db).changed.emit()
