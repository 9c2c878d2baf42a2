"""The shared ORM base: ``Base``, the ``settings`` table and column helpers.

Each feature keeps its own tables in ``companion/core/<feature>/models.py`` (with an Alembic
revision); ``companion.features.load()`` imports them, so ``Base.metadata`` then holds every
table (the JSON format, the migrations check and the demo data rely on that).
"""

from __future__ import annotations

from companion.core.models.base import (
    Base,
    Key,
    Setting,
    Timestamped,
    UTCDateTime,
    key_from_db,
    key_to_db,
    new_id,
    utcnow,
)

__all__ = [
    "Base",
    "Key",
    "Setting",
    "Timestamped",
    "UTCDateTime",
    "key_from_db",
    "key_to_db",
    "new_id",
    "utcnow",
]
