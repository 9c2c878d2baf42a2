"""Importing this module registers every feature (its tables, demo data) with the core."""

from __future__ import annotations

from companion.core import (  # noqa: F401  (importing a module registers it)
    models,
    mood,
    mood_demo,
    mood_stats,
)
