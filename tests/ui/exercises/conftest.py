"""A fast stand-in diary for widget tests that need only the database (no vault, no KDF).

The shared ``diary`` fixture creates a real vault; the lock and main-window tests use it. The
rest share one migrated in-memory image (``fresh_db``), which is many times quicker.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from companion.storage.database import Database
from tests.core.mood_helpers import fresh_db


class FastDiary:
    """What the exercise widgets use of an OpenDiary: its database."""

    def __init__(self) -> None:
        self.db: Database = fresh_db()

    def backups(self) -> list[object]:
        return []


@pytest.fixture
def fast_diary() -> Iterator[FastDiary]:
    diary = FastDiary()
    yield diary
    diary.db.close()
