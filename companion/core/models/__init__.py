"""The typed ORM classes: the shared base, then one module per feature.

Every module in this package is imported here, so ``Base.metadata`` always holds every table
(the JSON format, the migrations check and the demo data rely on that). A feature adds its
tables as ``companion/core/models/<feature>.py`` and an Alembic revision.
"""

from __future__ import annotations

import importlib
import pkgutil

from companion.core.models.base import (
    Base,
    Setting,
    Timestamped,
    UTCDateTime,
    new_id,
    utcnow,
)

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

from companion.core.models.mood import (  # noqa: E402
    MoodEntry,
    MoodEntryTag,
    MoodTag,
    Tracker,
    TrackerValue,
)

__all__ = [
    "Base",
    "MoodEntry",
    "MoodEntryTag",
    "MoodTag",
    "Setting",
    "Timestamped",
    "Tracker",
    "TrackerValue",
    "UTCDateTime",
    "new_id",
    "utcnow",
]
