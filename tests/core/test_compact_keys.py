"""Keys stored as 16 bytes (``models.base.Key``, revision 0010): the same strings everywhere
above the database, a 0009 diary upgraded without a key, a link or an exported byte changing."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select

from companion import features
from companion.core import demo, portable
from companion.core.checkups.models import CheckupDraft, CheckupResponse
from companion.core.medications.models import Medication, SideEffect
from companion.core.medications.vocabulary import SEVERITIES
from companion.core.models import Base, key_from_db, key_to_db, new_id
from companion.core.mood.service import MoodService
from companion.storage import migrations
from companion.storage.database import Database

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
KEYS_0010 = __import__(
    "companion.storage.migrations.versions.0010_compact_keys", fromlist=["KEYS"]
).KEYS


def test_a_key_round_trips_and_only_canonical_uuids_become_bytes() -> None:
    for _ in range(200):
        key = new_id()
        stored = key_to_db(key)
        assert isinstance(stored, bytes) and stored == uuid.UUID(key).bytes
        assert key_from_db(stored) == key
    # anything else stays the text it is, so no key can change on the way in or out
    for other in (
        "entry-04",
        "",
        "E1F0C1B2-3D4E-4F50-8A6B-7C8D9E0F1A2B",  # uppercase: would come back lowercase
        "e1f0c1b2-3d4e-4f50-8a6b-7c8d9e0f1a2",  # one short
        "e1f0c1b2-3d4e-4f50-8a6b-7c8d9e0f1a2g",  # not hex
        "e1f0c1b2-3d4e-4f50-8a6b 7c8d9e0f1a2b",  # a space for a hyphen
        "e1f0c1b2-3d4e-4f50-8a6b-7c8d9e0f1 2b",  # a space inside the hex
        "e1f0c1b23d4e4f508a6b7c8d9e0f1a2b1234",  # no hyphens, same length
    ):
        assert key_to_db(other) == other
        assert key_from_db(other) == other


def test_a_blob_that_no_key_was_stored_as_is_refused_not_misread() -> None:
    with pytest.raises(ValueError):
        key_from_db(b"\x00" * 15)


def test_blob_keys_sort_as_their_text() -> None:
    keys = [new_id() for _ in range(500)]
    raw = sqlite3.connect(":memory:")
    raw.execute("CREATE TABLE t (id VARCHAR(36) PRIMARY KEY)")
    raw.executemany("INSERT INTO t VALUES (?)", [(key_to_db(k),) for k in keys])
    assert [key_from_db(r[0]) for r in raw.execute("SELECT id FROM t ORDER BY id")] == sorted(keys)


# -- a 0009 diary upgraded --------------------------------------------------------------------


def _full_diary() -> Database:
    """A diary at the head holding rows in every table (the demo, plus the two tables a short
    demo leaves empty)."""
    features.load_tables()
    db = Database()
    migrations.upgrade(db.engine, Base.metadata)
    demo.fill(db, 60, 3, today=date(2026, 12, 4))
    with db.session() as session:
        medication = session.scalars(select(Medication.id)).first()
        response = session.scalars(select(CheckupResponse.id)).first()
        assert medication is not None and response is not None
        session.add(
            SideEffect(
                medication_id=medication,
                noted_on=date(2026, 11, 30),
                severity=SEVERITIES[0],
                description="dry mouth",
            )
        )
        session.add(
            CheckupDraft(
                questionnaire_id="draft-only",
                version=1,
                started_at=NOW,
                utc_offset_minutes=60,
                answers={"1": 2},
                response_id=response,
            )
        )
    for table in Base.metadata.sorted_tables:
        assert db.scalar(f"SELECT count(*) FROM {table.name}"), f"{table.name} is empty"
    return db


def _at_0009(db: Database) -> None:
    with db.engine.begin() as conn:
        command.downgrade(migrations.alembic_config(conn), "0009")


def _typeof_keys(db: Database) -> set[str]:
    kinds: set[str] = set()
    for table, columns in KEYS_0010.items():
        for column in columns:
            kinds |= {
                r[0] for r in db.raw_connection.execute(f"SELECT typeof({column}) FROM {table}")
            }
    return kinds - {"null"}


def _rows(db: Database) -> dict[str, set[tuple[object, ...]]]:
    """Every row of every table, keys read back as text."""
    raw = db.raw_connection
    out: dict[str, set[tuple[object, ...]]] = {}
    for table in Base.metadata.sorted_tables:
        names = [c.name for c in table.columns]
        keys = {i for i, name in enumerate(names) if name in KEYS_0010.get(table.name, ())}
        out[table.name] = {
            tuple(key_from_db(v) if i in keys else v for i, v in enumerate(row))
            for row in raw.execute(f"SELECT {', '.join(names)} FROM {table.name}")
        }
    return out


def _export(db: Database) -> dict[str, object]:
    document = portable.export_document(db, include_notes=True, now=NOW)
    return {k: v for k, v in document.items() if k not in ("schema", "app_version")}


def test_0009_to_0010_keeps_every_key_link_and_exported_byte() -> None:
    db = _full_diary()
    try:
        _at_0009(db)
        assert migrations.current_revision(db.engine) == "0009"
        assert _typeof_keys(db) == {"text"}  # as an older version wrote them
        before_rows = _rows(db)
        before_export = _export(db)
        pages_before = db.scalar("PRAGMA page_count")

        assert migrations.upgrade(db.engine, Base.metadata) is True
        assert migrations.current_revision(db.engine) == migrations.head_revision()
        assert _typeof_keys(db) == {"blob"}
        assert _rows(db) == before_rows  # every key the same string, every link intact
        assert _export(db) == before_export
        raw = db.raw_connection
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.scalar("PRAGMA freelist_count") == 0
        assert db.scalar("PRAGMA page_count") < pages_before  # repacked (VACUUM)
        # the constraints and cascades still hold on the converted keys
        entry = MoodService(db).entries()[-1]
        assert entry.tag_ids
        MoodService(db).delete_entry(entry.id)
        assert not db.scalar(
            "SELECT count(*) FROM entry_tags WHERE entry_id = ?", key_to_db(entry.id)
        )
        with pytest.raises(sqlite3.IntegrityError):
            raw.execute("INSERT INTO entry_tags VALUES (?, ?)", (key_to_db(new_id()), b"x" * 16))
    finally:
        db.close()


def test_0010_downgrades_to_the_text_keys_it_started_from() -> None:
    db = _full_diary()
    try:
        _at_0009(db)
        before = {t: set(db.raw_connection.execute(f"SELECT * FROM {t}")) for t in KEYS_0010}
        migrations.upgrade(db.engine, Base.metadata)
        _at_0009(db)
        assert {t: set(db.raw_connection.execute(f"SELECT * FROM {t}")) for t in KEYS_0010} == (
            before
        )
    finally:
        db.close()


def test_keys_an_older_version_wrote_by_hand_stay_text_and_still_join() -> None:
    db = _full_diary()
    try:
        _at_0009(db)
        raw = db.raw_connection
        raw.execute("PRAGMA foreign_keys=OFF")
        raw.execute("UPDATE tags SET id = 'walk-tag' WHERE name = 'Walk'")
        raw.execute(
            "UPDATE entry_tags SET tag_id = 'walk-tag' WHERE tag_id NOT IN (SELECT id FROM tags)"
        )
        raw.commit()
        raw.execute("PRAGMA foreign_keys=ON")
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
        uses = db.scalar("SELECT count(*) FROM entry_tags WHERE tag_id = 'walk-tag'")
        assert uses
        migrations.upgrade(db.engine, Base.metadata)
        assert db.scalar("SELECT typeof(id) FROM tags WHERE name = 'Walk'") == "text"
        assert db.scalar("SELECT count(*) FROM entry_tags WHERE tag_id = 'walk-tag'") == uses
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
        found = MoodService(db).entries(tag_ids={"walk-tag"})
        assert len(found) == uses
        assert all("walk-tag" in e.tag_ids for e in found)
        assert sum(d.count for d in MoodService(db).history_days(tag_ids={"walk-tag"})) == uses
    finally:
        db.close()


def test_the_history_filters_written_in_plain_sql_find_blob_keys() -> None:
    db = _full_diary()
    try:
        service = MoodService(db)
        entries = service.entries()
        tag = next(iter(entries[-1].tag_ids))
        tagged = [e for e in entries if tag in e.tag_ids]
        assert sum(d.count for d in service.history_days(tag_ids={tag})) == len(tagged)
        word = next(e.note for e in reversed(entries) if e.note).split()[0]
        noted = service.entries(text=word)
        assert noted and sum(d.count for d in service.history_days(text=word)) == len(noted)
    finally:
        db.close()


# -- the whole path: a vault and its backups in the old format ------------------------------


def test_a_0009_vault_upgrades_at_unlock_and_its_0009_backup_restores(tmp_path: Path) -> None:
    from companion.core.session import OpenDiary

    passphrase = "harbour-lantern-quietly-orbit-7"
    vault = tmp_path / "diary.companion"
    old = _full_diary()
    _at_0009(old)
    before_rows = _rows(old)
    before_export = _export(old)
    image = old.serialize()
    old.close()
    diary, _key = OpenDiary.create(vault, passphrase)
    diary.db.replace_image(image)
    diary.db.save(force=True)
    diary.close()

    diary = OpenDiary.unlock(vault, passphrase=passphrase)  # migrates, saves, backs up the old
    try:
        assert migrations.current_revision(diary.db.engine) == migrations.head_revision()
        assert _rows(diary.db) == before_rows
        assert _export(diary.db) == before_export
        diary.flush()
        backups = diary.backups()
        assert backups
        diary.restore_backup(backups[0])  # the 0009 file: restoring runs the migrations
        assert migrations.current_revision(diary.db.engine) == migrations.head_revision()
        assert _typeof_keys(diary.db) == {"blob"}
        assert _rows(diary.db) == before_rows
        assert _export(diary.db) == before_export
        assert diary.db.raw_connection.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        diary.close()


def test_the_diary_check_names_a_key_stored_as_bytes_no_key_has() -> None:
    from companion.core.diary_check import check_rows

    db = _full_diary()
    try:
        assert not check_rows(db).problems
        damaged = b"\x01" * 15
        db.raw_connection.execute("UPDATE articles_read SET id = ? WHERE rowid = 1", (damaged,))
        db.raw_connection.commit()
        assert check_rows(db).problems == {("articles_read", "id"): 1}
    finally:
        db.close()


def test_0010_converts_every_key_column_a_0009_diary_has() -> None:
    """Every column declared as a ``Key`` in a table that existed at 0009 is in 0010's list
    (one left out would keep text keys that the models then look up as bytes)."""
    from companion.core.models import Key

    module = __import__(
        "companion.storage.migrations.versions.0010_compact_keys", fromlist=["VACUUM_AFTER"]
    )
    assert module.VACUUM_AFTER == migrations.VACUUM_AFTER
    features.load_tables()
    db = Database()
    try:
        with db.engine.begin() as conn:
            command.upgrade(migrations.alembic_config(conn), "0009")
        tables = db.raw_connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        at_0009 = {r[0] for r in tables}
    finally:
        db.close()
    for table in Base.metadata.sorted_tables:
        keys = {c.name for c in table.columns if isinstance(c.type, Key)}
        if table.name in at_0009:
            assert keys == set(KEYS_0010.get(table.name, ())), table.name
