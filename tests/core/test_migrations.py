"""The models and the Alembic revisions describe the same schema (DESIGN §5)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from companion.core.models import Base
from companion.storage import migrations
from companion.storage.database import Database


def _migrated() -> Database:
    db = Database(image=None, saver=None)
    migrations.upgrade(db.engine, Base.metadata)
    return db


def test_migrations_create_exactly_what_the_models_declare() -> None:
    db = _migrated()
    try:
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            differences = compare_metadata(context, Base.metadata)
        assert differences == []
    finally:
        db.close()


def test_migrations_reach_the_head_and_a_second_upgrade_does_nothing() -> None:
    db = _migrated()
    try:
        assert migrations.current_revision(db.engine) == migrations.head_revision()
        assert migrations.upgrade(db.engine, Base.metadata) is False
    finally:
        db.close()


def test_check_constraints_and_cascades_exist_in_the_migrated_schema() -> None:
    """compare_metadata does not look at CHECK constraints or ON DELETE: check the SQL itself."""
    db = _migrated()
    try:
        for table in Base.metadata.sorted_tables:
            sql = db.scalar(
                "SELECT sql FROM sqlite_master WHERE type='table' AND name=?", table.name
            )
            assert sql is not None, table.name
            for constraint in table.constraints:
                name = constraint.name
                if isinstance(name, str) and name.startswith(("ck_", "fk_")):
                    assert name in sql, f"{name} missing from the migrated {table.name}"
            for fk in table.foreign_keys:
                if fk.ondelete:
                    assert f"ON DELETE {fk.ondelete}" in sql, table.name
    finally:
        db.close()


def test_tables_are_without_rowid_exactly_where_the_models_say() -> None:
    """compare_metadata does not look at WITHOUT ROWID either."""
    db = _migrated()
    try:
        for table in Base.metadata.sorted_tables:
            sql = str(
                db.scalar("SELECT sql FROM sqlite_master WHERE type='table' AND name=?", table.name)
            )
            wanted = table.dialect_options["sqlite"]["with_rowid"] is False
            assert ("WITHOUT ROWID" in sql) == wanted, table.name
    finally:
        db.close()


def test_a_migrated_image_reopens_at_the_head() -> None:
    db = _migrated()
    image = db.serialize()
    db.close()
    again = Database(image=image)
    try:
        assert migrations.current_revision(again.engine) == migrations.head_revision()
        assert isinstance(again.raw_connection, sqlite3.Connection)
    finally:
        again.close()


def test_0006_adds_the_elevated_rating_without_touching_existing_check_ins() -> None:
    """The column is added in place: a table rebuild would cascade into tags and trackers."""
    from alembic import command

    db = Database(image=None, saver=None)
    try:
        with db.engine.begin() as conn:
            command.upgrade(migrations.alembic_config(conn), "0005")
        stamp = "2026-11-01 09:00:00.000000"
        with db.engine.begin() as conn:
            raw = conn.connection.driver_connection
            assert isinstance(raw, sqlite3.Connection)
            raw.execute(
                "INSERT INTO mood_entries (id, occurred_at, utc_offset_minutes, mood, "
                "created_at, updated_at) VALUES ('e', ?, 60, 4, ?, ?)",
                (stamp, stamp, stamp),
            )
            raw.execute(
                "INSERT INTO tags (id, name, kind, archived, position, created_at, updated_at) "
                "VALUES ('t', 'Walk', 'activity', 0, 0, ?, ?)",
                (stamp, stamp),
            )
            raw.execute("INSERT INTO entry_tags (entry_id, tag_id) VALUES ('e', 't')")
            raw.execute(
                "INSERT INTO trackers (id, name, kind, archived, position, created_at, "
                "updated_at) VALUES ('k', 'Pain', 'scale', 0, 0, ?, ?)",
                (stamp, stamp),
            )
            raw.execute(
                "INSERT INTO tracker_values (entry_id, tracker_id, value) VALUES ('e', 'k', 3)"
            )
        assert migrations.upgrade(db.engine, Base.metadata) is True
        assert migrations.current_revision(db.engine) == migrations.head_revision()
        assert db.scalar("SELECT mood FROM mood_entries WHERE id='e'") == 4
        assert db.scalar("SELECT elevated FROM mood_entries WHERE id='e'") is None
        assert db.scalar("SELECT count(*) FROM entry_tags") == 1
        assert db.scalar("SELECT count(*) FROM tracker_values") == 1
        with db.engine.begin() as conn:
            raw = conn.connection.driver_connection
            assert isinstance(raw, sqlite3.Connection)
            raw.execute("UPDATE mood_entries SET elevated = 3 WHERE id='e'")
            try:
                raw.execute("UPDATE mood_entries SET elevated = 4 WHERE id='e'")
            except sqlite3.IntegrityError:
                pass
            else:
                raise AssertionError("elevated = 4 was accepted")
        assert db.scalar("SELECT elevated FROM mood_entries WHERE id='e'") == 3
    finally:
        db.close()


# -- 0009: the link tables become WITHOUT ROWID ----------------------------------------------

_STAMP = "2026-11-01 09:00:00.000000"


def _at_0008_with_links() -> Database:
    """A diary at revision 0008 holding check-ins with tags and tracker values."""
    from alembic import command

    db = Database(image=None, saver=None)
    with db.engine.begin() as conn:
        command.upgrade(migrations.alembic_config(conn), "0008")
    raw = db.raw_connection
    for n in range(40):
        raw.execute(
            "INSERT INTO mood_entries (id, occurred_at, utc_offset_minutes, mood, note, "
            "created_at, updated_at) VALUES (?, ?, 60, ?, ?, ?, ?)",
            (f"entry-{n:02d}", _STAMP, n % 11, f"note {n}", _STAMP, _STAMP),
        )
    for n, name in enumerate(("Walk", "Work", "Friends")):
        raw.execute(
            "INSERT INTO tags (id, name, kind, archived, position, created_at, updated_at) "
            "VALUES (?, ?, 'activity', 0, ?, ?, ?)",
            (f"tag-{n}", name, n, _STAMP, _STAMP),
        )
    for n, name in enumerate(("Pain", "Steps")):
        raw.execute(
            "INSERT INTO trackers (id, name, kind, min_value, max_value, archived, position, "
            "created_at, updated_at) VALUES (?, ?, 'number', 0, 100000, 0, ?, ?, ?)",
            (f"tracker-{n}", name, n, _STAMP, _STAMP),
        )
    for n in range(0, 39, 3):  # 0–3 tags on the next check-in, two tracker values on this one
        for t in range(n % 4):
            raw.execute("INSERT INTO entry_tags VALUES (?, ?)", (f"entry-{n + 1:02d}", f"tag-{t}"))
        raw.execute("INSERT INTO tracker_values VALUES (?, 'tracker-0', ?)", (f"entry-{n:02d}", n))
        raw.execute(
            "INSERT INTO tracker_values VALUES (?, 'tracker-1', ?)", (f"entry-{n:02d}", n * 1.5)
        )
    raw.commit()
    return db


def _rows(db: Database) -> dict[str, set[tuple[object, ...]]]:
    raw = db.raw_connection
    return {
        table: set(raw.execute(f"SELECT * FROM {table}").fetchall())
        for table in ("mood_entries", "tags", "trackers", "entry_tags", "tracker_values")
    }


def _sql(db: Database, table: str) -> str:
    return str(db.scalar("SELECT sql FROM sqlite_master WHERE type='table' AND name=?", table))


def test_0009_makes_the_link_tables_without_rowid_and_keeps_every_link() -> None:
    db = _at_0008_with_links()
    try:
        before = _rows(db)
        assert len(before["entry_tags"]) == 18 and len(before["tracker_values"]) == 26
        assert "WITHOUT ROWID" not in _sql(db, "entry_tags")
        assert migrations.upgrade(db.engine, Base.metadata) is True
        assert migrations.current_revision(db.engine) == migrations.head_revision()
        assert _rows(db) == before
        for table in ("entry_tags", "tracker_values"):
            assert "WITHOUT ROWID" in _sql(db, table)
        indexes = {
            name
            for (name,) in db.raw_connection.execute(
                "SELECT name FROM sqlite_master WHERE type='index' "
                "AND tbl_name IN ('entry_tags', 'tracker_values')"
            )
        }
        # the key is the table: no separate key index any more, the second-column indexes kept
        assert indexes == {"ix_entry_tags_tag_id", "ix_tracker_values_tracker_id"}
        assert db.raw_connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.raw_connection.execute("PRAGMA foreign_key_check").fetchall() == []
        assert db.scalar("PRAGMA freelist_count") == 0  # the old tables' pages given back
        assert db.scalar("SELECT count(*) FROM temp.sqlite_master") == 0  # nothing left aside
        # the constraints still hold: a repeated link, a link to nothing, the cascade
        raw = db.raw_connection
        for sql in (
            "INSERT INTO entry_tags VALUES ('entry-04', 'tag-0')",
            "INSERT INTO entry_tags VALUES ('entry-01', 'no-such-tag')",
            "INSERT INTO tracker_values VALUES ('no-such-entry', 'tracker-0', 1)",
        ):
            try:
                raw.execute(sql)
            except sqlite3.IntegrityError:
                pass
            else:
                raise AssertionError(f"accepted: {sql}")
        raw.execute("DELETE FROM tags WHERE id = 'tag-0'")
        raw.execute("DELETE FROM mood_entries WHERE id = 'entry-00'")
        assert db.scalar("SELECT count(*) FROM entry_tags WHERE tag_id = 'tag-0'") == 0
        assert db.scalar("SELECT count(*) FROM tracker_values WHERE entry_id = 'entry-00'") == 0
    finally:
        db.close()


def test_0009_leaves_out_links_to_nothing_rather_than_refuse_the_diary() -> None:
    db = _at_0008_with_links()
    try:
        raw = db.raw_connection
        raw.execute("PRAGMA foreign_keys=OFF")
        raw.execute("INSERT INTO entry_tags VALUES ('entry-05', 'deleted-tag')")
        raw.execute("INSERT INTO tracker_values VALUES ('deleted-entry', 'tracker-0', 2)")
        raw.commit()
        raw.execute("PRAGMA foreign_keys=ON")
        assert migrations.upgrade(db.engine, Base.metadata) is True
        assert db.scalar("SELECT count(*) FROM entry_tags WHERE tag_id = 'deleted-tag'") == 0
        assert db.scalar("SELECT count(*) FROM tracker_values WHERE entry_id LIKE 'deleted%'") == 0
        assert db.scalar("SELECT count(*) FROM entry_tags") == 18
        assert db.raw_connection.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        db.close()


def test_0009_downgrades_to_rowid_tables_with_the_same_links() -> None:
    from alembic import command

    db = _at_0008_with_links()
    try:
        before = _rows(db)
        migrations.upgrade(db.engine, Base.metadata)
        with db.engine.begin() as conn:
            command.downgrade(migrations.alembic_config(conn), "0008")
        assert "WITHOUT ROWID" not in _sql(db, "entry_tags")
        assert _rows(db) == before
        assert db.raw_connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        db.close()


def test_a_vault_at_0008_is_upgraded_at_unlock_and_saved_and_a_failure_leaves_it_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from companion.core.mood.service import MoodService
    from companion.core.session import OpenDiary

    passphrase = "harbour-lantern-quietly-orbit-7"
    vault = tmp_path / "diary.companion"
    old = _at_0008_with_links()
    before = _rows(old)
    image = old.serialize()
    old.close()
    diary, _key = OpenDiary.create(vault, passphrase)
    diary.db.replace_image(image)
    diary.db.save(force=True)
    diary.close()

    def everything_on_disk() -> dict[str, bytes]:
        return {
            str(p.relative_to(tmp_path)): p.read_bytes()
            for p in sorted(tmp_path.rglob("*"))
            if p.is_file()
        }

    files = everything_on_disk()

    def fails(engine: object) -> bool:
        raise RuntimeError("the migration failed halfway")

    with monkeypatch.context() as patch:  # migrated in memory, then a failure: nothing written
        patch.setattr(migrations, "compact", fails)
        with pytest.raises(RuntimeError):
            OpenDiary.unlock(vault, passphrase=passphrase)
    assert everything_on_disk() == files

    diary = OpenDiary.unlock(vault, passphrase=passphrase)
    diary.close()  # without a save: the upgrade was written at unlock
    diary = OpenDiary.unlock(vault, passphrase=passphrase)
    try:
        assert migrations.current_revision(diary.db.engine) == migrations.head_revision()
        assert "WITHOUT ROWID" in _sql(diary.db, "entry_tags")
        assert _rows(diary.db) == before
        entries = {e.id: e for e in MoodService(diary.db).entries()}
        assert entries["entry-04"].tag_ids == frozenset({"tag-0", "tag-1", "tag-2"})
        assert entries["entry-03"].tracker_values == {"tracker-0": 3.0, "tracker-1": 4.5}
    finally:
        diary.close()
