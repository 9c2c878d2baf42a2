"""Alembic environment and revisions. Applied at unlock, inside the in-memory database."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, MetaData

MIGRATIONS_DIR = Path(__file__).resolve().parent


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError("no migrations found")
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, target_metadata: MetaData | None = None) -> bool:
    """Bring the schema to the newest revision. Returns True when anything was applied."""
    if current_revision(engine) == head_revision():
        return False
    with engine.begin() as conn:
        cfg = alembic_config(conn)
        cfg.attributes["target_metadata"] = target_metadata
        command.upgrade(cfg, "head")
    return True
