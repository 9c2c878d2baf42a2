"""THE list of Companion's features, loaded the same way by the GUI, the command line and tests.

Adding a feature means creating ``companion/core/<name>/`` (and ``companion/ui/<name>/`` if it
has screens) with a ``register(points)`` function each, and adding its name here. Order matters
only where one feature's declarations refer to another's (a page's place in the sidebar comes
from its declared ``order``, not from this list).
"""

from __future__ import annotations

import importlib
import importlib.util
from functools import cache
from typing import Final

from companion.core.extension_points import Registry

FEATURES: Final = (
    "mood",
    "medications",
    "exercises",
    "learn",
    "safety",
)


def build(names: tuple[str, ...] = FEATURES) -> Registry:
    """A fresh registry of ``names`` (tests build partial ones)."""
    registry = Registry()
    for name in names:
        module = importlib.import_module(f"companion.core.{name}")
        registry.begin_feature(name)
        module.register(registry)
    return registry


@cache
def load_tables() -> None:
    """Import every feature's ORM models, so ``Base.metadata`` holds every table."""
    for name in FEATURES:
        if importlib.util.find_spec(f"companion.core.{name}.models") is not None:
            importlib.import_module(f"companion.core.{name}.models")


@cache
def load() -> Registry:
    """The registry of every feature, built once per process."""
    return build()
