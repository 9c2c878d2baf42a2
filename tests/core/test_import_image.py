"""What a large import leaves in the saved image: its rows and nothing else (no free pages,
no staging tables), in one save made after the import's own working state is gone."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from companion.core.mood.service import MoodService
from tests.core.import_helpers import bring_in
from tests.core.mood_helpers import fresh_db

HEADER = "full_date,date,weekday,time,mood,activities,note_title,note\n"
MOODS = ("rad", "good", "meh", "bad", "awful")


def _export(rows: int) -> bytes:
    moment = datetime(2025, 12, 31, 21, 0)
    lines = [HEADER]
    for i in range(rows):  # newest first, as Daylio writes them
        moment -= timedelta(minutes=97)
        tags = " | ".join(f"activity {(i + k) % 9}" for k in range(i % 4))
        lines.append(
            f"{moment:%Y-%m-%d},x,x,{moment:%H:%M},{MOODS[i % 5]},"
            f'"{tags}","","note {i} about the day"\n'
        )
    return "".join(lines).encode()


def test_a_large_import_saves_once_and_leaves_no_free_pages_or_staging_tables() -> None:
    db = fresh_db()
    try:
        with db.connect() as connection:
            tables_before = sorted(
                connection.exec_driver_sql("SELECT name FROM sqlite_master").scalars()
            )
        saved: list[bytes] = []
        db.set_saver(saved.append)
        summary = bring_in(db, "daylio", _export(3000))
        assert summary.added["check-ins"] == 3000
        assert len(saved) == 1  # one save, after the transaction
        image = saved[0]
        assert image == db.serialize()
        check = sqlite3.connect(":memory:")
        try:
            check.deserialize(image)
            assert check.execute("PRAGMA freelist_count").fetchone() == (0,)
            names = sorted(r[0] for r in check.execute("SELECT name FROM sqlite_master"))
            assert names == tables_before  # nothing left behind by the import
            assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        finally:
            check.close()
        assert MoodService(db).count_entries() == 3000
    finally:
        db.close()
