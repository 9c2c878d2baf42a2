"""A fast stand-in diary for widget tests that need only the database (no vault, no KDF).

The shared ``diary`` fixture creates a real vault; the lock and main-window tests use it. The
rest share one migrated in-memory image (``fresh_db``), which is many times quicker.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar, cast

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QWidget

from companion.storage.database import Database
from tests.core.mood_helpers import fresh_db

S = TypeVar("S")


class FastDiary:
    """What the exercise widgets use of an OpenDiary: its services (and, for the tests
    themselves, its database)."""

    def __init__(self) -> None:
        self.db: Database = fresh_db()
        self._services: dict[Callable[[Database], Any], Any] = {}

    def service(self, cls: Callable[[Database], S]) -> S:
        if cls not in self._services:
            self._services[cls] = cls(self.db)
        return cast(S, self._services[cls])

    def backups(self) -> list[object]:
        return []


@pytest.fixture
def fast_diary() -> Iterator[FastDiary]:
    diary = FastDiary()
    yield diary
    diary.db.close()


def dispose(widget: QWidget) -> None:
    """Close and really delete a test's widgets, so later tests don't re-style leftovers."""
    widget.close()
    widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
