"""Preview and write: duplicates, all or nothing, skipping bad rows, limits, a changed file,
Stop, time shifts, trackers that clash with the person's own."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from companion.core.errors import ImportFileError
from companion.core.mood.importing.engine import (
    MAX_NEW_TAGS,
    ImportRow,
    preview,
    write,
)
from companion.core.mood.importing.reading import ImportCancelled, Monitor, Source
from companion.core.mood.service import CheckIn, MoodService, TagKind, TrackerKind
from companion.storage.database import Database
from tests.core.import_helpers import bring_in, look, options, reader
from tests.core.mood_helpers import fresh_db

HEADER = "full_date,date,weekday,time,mood,activities,note_title,note\n"


@pytest.fixture
def db() -> Iterator[Database]:
    database = fresh_db()
    yield database
    database.close()


def daylio(*rows: str) -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode()


def test_same_minute_same_mood_different_check_ins_are_both_kept(db: Database) -> None:
    svc = MoodService(db)
    walk = {t.name: t.id for t in svc.tags(TagKind.ACTIVITY)}["Walk"]
    at = datetime(2025, 8, 1, 20, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    svc.create_entry(CheckIn(mood=7, at=at, tag_ids=[walk]))
    data = daylio(
        '2025-08-01,x,x,20:00,good,"walk","",""',  # the same check-in: in the diary
        '2025-08-01,x,x,20:00,good,"reading","",""',  # other tags: new
        '2025-08-01,x,x,20:00,good,"walk","","a note"',  # a note: new
        '2025-08-01,x,x,20:00,good,"reading","",""',  # repeats line 3
    )
    plan = look(db, "daylio", data)
    assert (plan.to_import, plan.in_diary, plan.in_file) == (2, 1, 1)
    assert plan.repeats == ((5, 3),)
    text = plan.describe()
    assert "1 row is already in the diary" in text
    assert "1 row repeats an earlier row of this file" in text
    summary = write(db, plan)
    assert summary.added["check-ins"] == 2
    assert svc.count_entries() == 3
    assert "1 was already in the diary" in summary.describe()
    assert "1 row repeated an earlier row" in summary.describe()


def test_tags_match_existing_ones_ignoring_case_and_accents(db: Database) -> None:
    svc = MoodService(db)
    svc.add_tag("Café", TagKind.ACTIVITY)
    summary = bring_in(db, "daylio", daylio('2025-08-01,x,x,20:00,good,"cafe | WALK","",""'))
    assert summary.added["tags"] == 0
    (entry,) = svc.entries()
    names = {t.id: t.name for t in svc.tags()}
    assert sorted(names[i] for i in entry.tag_ids) == ["Café", "Walk"]


def test_one_bad_row_refuses_everything_unless_skipped(db: Database) -> None:
    data = daylio(
        '2025-08-01,x,x,20:00,good,"","",""',
        '2025-08-02,x,x,25:00,good,"","",""',
        '2025-08-03,x,x,20:00,good,"",""',
    )
    plan = look(db, "daylio", data)
    assert plan.blocked and plan.problem_count == 2
    assert [p.line for p in plan.problems] == [3, 4]
    assert plan.problem_sentence().startswith("Line 3: the time could not be read")
    assert "1 more row" in plan.problem_sentence()
    before = db.serialize()
    with pytest.raises(ImportFileError, match="Line 3"):
        write(db, plan)
    assert db.serialize() == before
    summary = write(db, replace(plan, options=replace(plan.options, skip_bad_rows=True)))
    assert summary.added["check-ins"] == 1 and summary.skipped_bad == 2
    assert any("Line 4" in line for line in summary.details)


def test_new_tags_per_import_are_capped_before_anything_is_written(db: Database) -> None:
    rows = [
        f"2025-0{1 + i // 200}-{1 + (i % 200) // 8:02d},x,x,{i % 24}:{i % 60:02d},good,"
        f'"{i}a | {i}b","",""'
        for i in range(MAX_NEW_TAGS // 2 + 5)
    ]
    with pytest.raises(ImportFileError, match=f"at most {MAX_NEW_TAGS}"):
        look(db, "daylio", daylio(*rows))
    assert MoodService(db).count_entries() == 0


def test_a_failure_while_writing_leaves_the_diary_unchanged(db: Database) -> None:
    plan = look(db, "daylio", daylio('2025-08-01,x,x,20:00,good,"","",""'))
    bad = ImportRow(line=2, at=plan.sample[0].at, mood=99)

    class Broken(type(plan.reader)):  # type: ignore[misc]
        def rows(self, *a: object, **k: object) -> Iterator[ImportRow]:
            yield bad

    before = db.serialize()
    with pytest.raises(ImportFileError, match="does not fit"):
        write(db, replace(plan, reader=Broken()))
    assert db.serialize() == before


def test_a_file_changed_after_the_preview_is_not_imported(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(daylio('2025-08-01,x,x,20:00,good,"","",""'))
    plan = preview(db, reader("daylio"), Source.from_path(path), options())
    first, second = '2025-08-01,x,x,20:00,good,"","",""', '2025-08-02,x,x,1:00,bad,"","",""'
    path.write_bytes(daylio(first, second))
    with pytest.raises(ImportFileError, match="changed since the preview"):
        write(db, plan)
    assert MoodService(db).count_entries() == 0


def test_stop_while_writing_rolls_everything_back(db: Database) -> None:
    start = datetime(2020, 1, 1)
    rows = [f'{start + timedelta(hours=i):%Y-%m-%d,x,x,%H:%M},good,"","",""' for i in range(2500)]
    plan = look(db, "daylio", daylio(*rows))
    assert plan.to_import > 2000

    class StopLate(Monitor):
        """Presses Stop after the first batch of rows has been inserted."""

        lines = 0

        def progress(self, done: int, total: int, *, force: bool = False) -> None:
            self.lines += 1
            if self.lines == 2300:
                self.cancel()
            super().progress(done, total, force=force)

    before = db.serialize()
    with pytest.raises(ImportCancelled):
        write(db, plan, StopLate())
    assert db.serialize() == before
    assert MoodService(db).count_entries() == 0


def test_daylight_saving_gaps_are_moved_and_explained(db: Database) -> None:
    data = daylio(
        '2024-03-31,x,x,02:30,good,"","",""',
        '2024-10-27,x,x,02:30,meh,"","",""',
    )
    plan = look(db, "daylio", data)
    assert plan.shifts == {"gap": 1, "twice": 1}
    sentences = " ".join(plan.shift_sentences())
    assert "clocks skipped" in sentences and "happened twice" in sentences
    bring_in(db, "daylio", data)
    times = sorted((e.local_time.hour, e.local_time.minute) for e in MoodService(db).entries())
    assert times == [(2, 30), (3, 30)]


def test_historic_zone_offsets_are_a_documented_shift_not_an_error(db: Database) -> None:
    data = daylio('1930-05-01,x,x,12:00,good,"","",""')
    plan = look(db, "daylio", data, zone=ZoneInfo("Europe/Amsterdam"))
    assert plan.shifts == {"offset": 1}
    write(db, plan)
    (entry,) = MoodService(db).entries()
    assert (entry.local_time.hour, entry.local_time.minute) == (12, 0)
    assert entry.utc_offset_minutes == 20


def test_a_value_that_does_not_fit_the_persons_tracker_is_a_bad_row(db: Database) -> None:
    svc = MoodService(db)
    svc.add_tracker("Water", TrackerKind.NUMBER, unit="glasses", minimum=0, maximum=5)
    svc.add_tracker("Energy", TrackerKind.YES_NO)
    header = "full_date,date,weekday,time,mood,activities,scales,note_title,note\n"
    data = (
        header
        + '2025-08-01,x,x,20:00,good,"","Water: 4 glasses","",""\n'
        + '2025-08-02,x,x,20:00,good,"","Water: 9 glasses","",""\n'
        + '2025-08-03,x,x,20:00,good,"","Energy: 6/10 points","",""\n'
    ).encode()
    plan = look(db, "daylio", data, skip_bad_rows=True)
    assert [p.sentence() for p in plan.problems] == [
        "Line 3: 9 is outside your tracker “Water” (0 to 5).",
        "Line 4: your tracker “Energy” is a yes/no question, but the file has a 0–10 scale for it.",
    ]
    summary = write(db, plan)
    assert summary.added == {"check-ins": 1, "tags": 0, "trackers": 0}


def test_preview_writes_nothing(db: Database) -> None:
    before = db.serialize()
    plan = look(db, "daylio", daylio('2025-08-01,x,x,20:00,good,"brand new","",""'))
    assert plan.to_import == 1 and plan.new_tags == ("brand new",)
    assert db.serialize() == before


# -- a large import builds its indexes once, at the end -----------------------------------------


def _schema(db: Database) -> list[tuple[str, str, str | None]]:
    return db.raw_connection.execute(
        "SELECT type, name, sql FROM sqlite_master ORDER BY type, name"
    ).fetchall()


def _hourly(count: int, *, tags: str = "walk | reading") -> bytes:
    start = datetime(2020, 1, 1)
    return daylio(
        *(
            f'{start + timedelta(hours=i):%Y-%m-%d,x,x,%H:%M},good,"{tags}","","n{i}"'
            for i in range(count)
        )
    )


def test_a_large_import_rebuilds_its_indexes_packed_and_leaves_the_schema_as_it_was(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from companion.core.mood.importing import engine

    monkeypatch.setattr(engine, "_REBUILD_AT", 50)
    dropped: list[str] = []
    real_drop = engine.Index.drop

    def noting_drop(index: engine.Index, *args: object, **kwargs: object) -> None:
        dropped.append(str(index.name))
        real_drop(index, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine.Index, "drop", noting_drop)
    schema = _schema(db)
    svc = MoodService(db)
    svc.create_entry(CheckIn(mood=5, at=datetime(2019, 5, 1, 9, tzinfo=ZoneInfo("UTC"))))
    summary = bring_in(db, "daylio", _hourly(400))
    assert summary.added["check-ins"] == 400
    assert sorted(dropped) == [
        "ix_entry_tags_tag_id",
        "ix_mood_entries_occurred_at",
        "ix_tracker_values_tracker_id",
    ]
    assert _schema(db) == schema  # the same indexes, defined the same way
    raw = db.raw_connection
    assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.scalar("PRAGMA freelist_count") == 0
    plan = " ".join(
        str(row[-1])
        for row in raw.execute(
            "EXPLAIN QUERY PLAN SELECT entry_id FROM entry_tags WHERE tag_id = 'x'"
        )
    )
    assert "ix_entry_tags_tag_id" in plan
    walk = {t.name: t.id for t in svc.tags(TagKind.ACTIVITY)}["Walk"]
    assert len(svc.entries(tag_ids=[walk])) == 400
    assert svc.count_entries() == 401


def test_an_import_smaller_than_the_diary_keeps_its_indexes_in_place(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from companion.core.mood.importing import engine

    monkeypatch.setattr(engine, "_REBUILD_AT", 10)
    bring_in(db, "daylio", _hourly(60))
    dropped: list[str] = []
    monkeypatch.setattr(engine.Index, "drop", lambda index, *a, **k: dropped.append(index.name))
    start = datetime(2024, 1, 1)
    later = daylio(
        *(f'{start + timedelta(hours=i):%Y-%m-%d,x,x,%H:%M},bad,"","",""' for i in range(30))
    )
    assert bring_in(db, "daylio", later).added["check-ins"] == 30
    assert dropped == []


def test_a_large_import_that_fails_after_dropping_its_indexes_changes_nothing(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from companion.core.mood.importing import engine

    monkeypatch.setattr(engine, "_REBUILD_AT", 50)
    plan = look(db, "daylio", _hourly(300))
    good = list(plan.reader.rows(plan.prepared, plan.options, Monitor()))

    class BreaksLate(type(plan.reader)):  # type: ignore[misc]
        """Rows as previewed, then one that does not fit the diary (after the first batch)."""

        def rows(self, *a: object, **k: object) -> Iterator[ImportRow]:
            yield from good
            yield ImportRow(line=999, at=good[0].at, mood=99)

    before, schema = db.serialize(), _schema(db)
    with pytest.raises(ImportFileError, match="does not fit"):
        write(db, replace(plan, reader=BreaksLate()))
    assert _schema(db) == schema
    assert db.serialize() == before


def test_before_save_runs_once_the_rows_are_in_and_before_the_one_save(db: Database) -> None:
    events: list[str] = []
    db.set_saver(lambda image: events.append(f"save {MoodService(db).count_entries()}"))
    plan = look(db, "daylio", _hourly(5))
    write(db, plan, before_save=lambda: events.append("before save"))
    assert events == ["before save", "save 5"]
