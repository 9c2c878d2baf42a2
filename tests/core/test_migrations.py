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
