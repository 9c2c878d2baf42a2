"""Alembic environment and revisions. Applied at unlock, inside the in-memory database.

Features may add revisions on separate branches from a common parent; the database is always
brought to every head, and "up to date" means its heads are exactly the scripts' heads.
"""

from __future__ import annotations

import functools
import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, MetaData

MIGRATIONS_DIR = Path(__file__).resolve().parent
#: set in the connection's ``info`` by a migration that wants the image repacked after it
VACUUM_AFTER = "companion_vacuum_after_upgrade"


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


@functools.cache
def head_revisions() -> frozenset[str]:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    if not heads:
        raise RuntimeError("no migrations found")
    return frozenset(heads)


def head_revision() -> str:
    """The schema's name in exports: the head revision(s), sorted and joined."""
    return "+".join(sorted(head_revisions()))


def current_revisions(engine: Engine) -> frozenset[str]:
    with engine.connect() as conn:
        return frozenset(MigrationContext.configure(conn).get_current_heads())


def current_revision(engine: Engine) -> str | None:
    current = current_revisions(engine)
    return "+".join(sorted(current)) if current else None


def upgrade(engine: Engine, target_metadata: MetaData | None = None) -> bool:
    """Bring the schema to the newest revisions. Returns True when anything was applied."""
    current = current_revisions(engine)
    heads = head_revisions()
    if current == heads:
        return False
    unknown = current - _all_revisions()
    if unknown:
        from companion.storage.errors import UnsupportedVersionError

        raise UnsupportedVersionError()
    with engine.begin() as conn:
        cfg = alembic_config(conn)
        cfg.attributes["target_metadata"] = target_metadata
        command.upgrade(cfg, "heads")
    compact(engine)
    return True


def compact(engine: Engine) -> bool:
    """Give back the pages a migration freed (a rebuilt table's old pages), which would
    otherwise stay in every saved image: ``VACUUM``, run only when there are free pages or a
    migration asked for it (:data:`VACUUM_AFTER` in the connection's ``info``: one that made
    rows smaller in place, leaving pages half empty). Returns True when it ran. Outside any
    transaction (VACUUM cannot run inside one)."""
    raw = engine.raw_connection()
    try:
        driver = raw.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        if driver.in_transaction:
            return False
        asked = bool(raw.info.pop(VACUUM_AFTER, False))
        if not asked and not driver.execute("PRAGMA freelist_count").fetchone()[0]:
            return False
        driver.execute("VACUUM")
        return True
    finally:
        raw.close()


@functools.cache
def _all_revisions() -> frozenset[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return frozenset(rev.revision for rev in script.walk_revisions())
