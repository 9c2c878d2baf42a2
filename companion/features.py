"""THE list of Companion's features, loaded the same way by the GUI, the command line and tests.

Adding a feature means creating ``companion/core/<name>/`` (and ``companion/ui/<name>/`` if it
has screens), each with a ``register(points)`` function, and adding its name to
:data:`FEATURES`. Nothing registers itself when imported: what a feature offers is what its
``register`` declares (see ``companion.core.extension_points``).
"""

from __future__ import annotations

import importlib
import importlib.util
import threading
from functools import cache
from typing import TYPE_CHECKING, Any, Final

from companion.core.extension_points import (
    DemoData,
    ImportFormat,
    LinkKind,
    PageDecl,
    Registry,
)
from companion.i18n import N_

if TYPE_CHECKING:
    from companion.core.settings import Option

FEATURES: Final = (
    "mood",
    "medications",
    "exercises",
    "learn",
    "safety",
    "checkups",
    "homework",
    "reports",
)

#: the pages of the app itself, around the features' pages
SHELL_PAGES: Final = (
    PageDecl(id="today", title=N_("Today"), icon="mdi6.white-balance-sunny", order=0),
    PageDecl(id="settings", title=N_("Settings"), icon="mdi6.cog-outline", order=100),
)


def _register_shell(points: Registry) -> None:
    from companion.core import device_settings, getting_started
    from companion.core.portable import import_file
    from companion.core.settings import AUTO_LOCK_MINUTES

    points.begin_feature("app")
    for page in SHELL_PAGES:
        points.register_page(page)
    options: tuple[Option[Any], ...] = (
        AUTO_LOCK_MINUTES,
        getting_started.PUT_ASIDE,
        *device_settings.OPTIONS,
    )
    for option in options:
        points.register_setting(option)
    points.register_link_kind(LinkKind("settings", "settings"))  # "country"
    points.register_demo_data(DemoData("getting-started", getting_started.fill_demo, order=90))
    points.register_import_format(
        ImportFormat(
            "json",
            N_("Companion's own JSON export"),
            lambda db, path, _options: import_file(db, path),
        )
    )


def build(names: tuple[str, ...] = FEATURES) -> Registry:
    """A fresh registry of the app and ``names`` (tests build partial ones)."""
    registry = Registry()
    _register_shell(registry)
    load_tables(names)
    for name in names:
        module = importlib.import_module(f"companion.core.{name}")
        registry.begin_feature(name)
        module.register(registry)
    return registry


def load_tables(names: tuple[str, ...] = FEATURES) -> None:
    """Import every feature's ORM models, so ``Base.metadata`` holds every table."""
    for name in names:
        if importlib.util.find_spec(f"companion.core.{name}.models") is not None:
            importlib.import_module(f"companion.core.{name}.models")


_loading = threading.Lock()


def load() -> Registry:
    """The registry of every feature, built once per process (the unlock window builds it on
    a worker thread while the passphrase is typed; a second caller waits for that one)."""
    with _loading:
        return _load()


@cache
def _load() -> Registry:
    return build()
