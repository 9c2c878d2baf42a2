"""Shared set-up for the mood diary tests: a migrated in-memory diary and a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from companion.core.models import Base
from companion.storage import migrations
from companion.storage.database import Database

#: "Now" for every test: a Monday afternoon in summer.
NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
PLUS2 = timezone(timedelta(hours=2))

_TEMPLATE: bytes | None = None


def fresh_db() -> Database:
    """A migrated, empty diary (migrations run once; later copies deserialize the image)."""
    global _TEMPLATE
    if _TEMPLATE is None:
        db = Database(image=None, saver=None)
        migrations.upgrade(db.engine, Base.metadata)
        _TEMPLATE = db.serialize()
        db.close()
    return Database(image=_TEMPLATE, saver=None)


def clock() -> datetime:
    return NOW
