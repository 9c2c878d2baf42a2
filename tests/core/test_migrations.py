"""The models and the Alembic revisions describe the same schema (DESIGN §5)."""

from __future__ import annotations

import sqlite3

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import companion.core.features  # noqa: F401  (every feature's tables join Base.metadata)
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
