"""What a feature adds to the window: its page, its Today card, a sidebar action, a save
before the diary locks.

The screens' counterpart of ``companion.core.extension_points``: each feature package
``companion.ui.<feature>`` has a ``register(points)`` function, called by :func:`load` for every
name in ``companion.features.FEATURES``. A page is declared once in the core (its id, title,
icon and place) and given its widget here, under the same id.
"""

from __future__ import annotations

import importlib
import importlib.util
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from companion import features
from companion.core.extension_points import DuplicateDeclarationError, PageDecl, Registry

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from companion.ui.main_window import MainWindow
    from companion.ui.pages import Page, TodayCard


@dataclass(frozen=True)
class SidebarAction:
    """A button under the sidebar's pages, with a shortcut that works from any page
    (e.g. "Ground me now", Ctrl+G)."""

    id: str
    label: str
    icon: str
    shortcut: str
    tooltip: str
    run: Callable[[MainWindow], object]


#: called with the main window just before the diary locks (an open exercise player saves
#: its note and time so far); every page's own ``before_lock`` runs as well
BeforeLock = Callable[["QWidget"], None]


class UiRegistry:
    """The widgets the loaded features declared, beside the core registry."""

    def __init__(self, core: Registry) -> None:
        self.core = core
        self._pages: dict[str, Callable[[], type[Page]]] = {}
        self._cards: list[type[TodayCard]] = []
        self._actions: dict[str, SidebarAction] = {}
        self._before_lock: list[BeforeLock] = []
        self._warm_ups: list[Callable[[], None]] = []

    def register_page(self, page_id: str, cls: type[Page]) -> None:
        """The widget for the page the core declared as ``page_id``."""
        self.register_page_loader(page_id, lambda: cls)

    def register_page_loader(self, page_id: str, loader: Callable[[], type[Page]]) -> None:
        """Like :meth:`register_page`, with a function that imports the page's module and
        returns its class: called when the page is first shown, so the modules of pages not
        opened yet (and what they import) are not imported at the first page."""
        if self.core.page(page_id) is None:
            raise DuplicateDeclarationError(f"no page {page_id!r} is declared in the core")
        if page_id in self._pages:
            raise DuplicateDeclarationError(f"page {page_id!r} has two widgets")
        self._pages[page_id] = loader

    def register_today_card(self, cls: type[TodayCard]) -> None:
        """A card on the Today page (placed by its ``order``, top first)."""
        self._cards.append(cls)

    def register_action(self, action: SidebarAction) -> None:
        """A sidebar button and shortcut, e.g. "Ground me now"."""
        if action.id in self._actions:
            raise DuplicateDeclarationError(f"sidebar action {action.id!r} is declared twice")
        self._actions[action.id] = action

    def register_before_lock(self, hook: BeforeLock) -> None:
        """Save what a feature's floating window holds before the diary locks."""
        self._before_lock.append(hook)

    def register_warm_up(self, warm_up: Callable[[], None]) -> None:
        """Work started a little after the first page is painted (e.g. importing a feature's
        heavy modules on a worker), so that the feature's first use later does not wait."""
        self._warm_ups.append(warm_up)

    # -- reading -------------------------------------------------------------------------------

    def pages(self) -> list[tuple[PageDecl, type[Page]]]:
        """Every page with a widget, in sidebar order (importing every page's module)."""
        return [(decl, loader()) for decl, loader in self.page_loaders()]

    def page_loaders(self) -> list[tuple[PageDecl, Callable[[], type[Page]]]]:
        """Every page with a widget, in sidebar order, its class still to be imported."""
        return [
            (decl, self._pages[decl.id]) for decl in self.core.pages() if decl.id in self._pages
        ]

    def today_cards(self) -> list[type[TodayCard]]:
        return sorted(self._cards, key=lambda cls: (cls.order, cls.__name__))

    def actions(self) -> list[SidebarAction]:
        return list(self._actions.values())

    def before_lock_hooks(self) -> list[BeforeLock]:
        return list(self._before_lock)

    def warm_ups(self) -> list[Callable[[], None]]:
        return list(self._warm_ups)

    def page_for_link(self, url: str) -> tuple[str | None, str]:
        """The page a ``companion:`` link opens and the item in it (``None``: no page here).

        ``tool/<page or alias>`` opens a page, ``<kind>/<item>`` opens an item on the page the
        kind belongs to; ``tool/help`` is the help window, not a page.
        """
        kind, _, item = url.removeprefix("companion:").partition("/")
        if kind == "tool":
            decl = self.core.page(item)
            return (decl.id if decl is not None and decl.id in self._pages else None), ""
        link = self.core.link_kinds().get(kind)
        if link is None or link.page_id not in self._pages:
            return None, item
        return link.page_id, item


def build(names: tuple[str, ...] = features.FEATURES) -> UiRegistry:
    """A fresh registry of the app's own pages and ``names`` (tests build partial ones)."""
    from companion.ui.today.getting_started import GettingStartedCard
    from companion.ui.today.page import TodayPage

    def settings_page() -> type[Page]:
        from companion.ui.settings.page import SettingsPage

        return SettingsPage

    core = features.load() if names == features.FEATURES else features.build(names)
    points = UiRegistry(core)
    points.register_page("today", TodayPage)
    points.register_page_loader("settings", settings_page)
    from companion.ui.settings import warm_up_keyring

    points.register_warm_up(warm_up_keyring)
    points.register_today_card(GettingStartedCard)
    for name in names:
        if importlib.util.find_spec(f"companion.ui.{name}") is None:
            continue
        importlib.import_module(f"companion.ui.{name}").register(points)
    return points


_loading = threading.Lock()


def load() -> UiRegistry:
    """The registry of every feature's screens, built once per process (on a worker thread
    while the passphrase is typed, see ``ui/unlock/common.py``; a second caller waits)."""
    with _loading:
        return _load()


@cache
def _load() -> UiRegistry:
    return build()
