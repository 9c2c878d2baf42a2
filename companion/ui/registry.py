"""Finds the sidebar pages and the Today cards that the feature packages provide.

A feature adds a page by creating ``companion/ui/<feature>/page.py`` with a ``Page`` subclass
(``page_id``, ``title``, ``icon_name``, ``order``), and a card for the Today page with
``companion/ui/<feature>/today_card.py`` holding a ``TodayCard`` subclass. Nothing else needs
editing, so features can grow side by side.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import pkgutil
from types import ModuleType
from typing import TYPE_CHECKING

import companion.ui as _ui

if TYPE_CHECKING:
    from companion.ui.pages import Page, TodayCard


def _feature_modules(leaf: str) -> list[ModuleType]:
    modules = []
    for info in pkgutil.iter_modules(_ui.__path__):
        if not info.ispkg:
            continue
        name = f"companion.ui.{info.name}.{leaf}"
        if importlib.util.find_spec(name) is not None:
            modules.append(importlib.import_module(name))
    return modules


def _subclasses(modules: list[ModuleType], base: type) -> list[type]:
    found = []
    for module in modules:
        for _name, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, base) and obj is not base and obj.__module__ == module.__name__:
                found.append(obj)
    return found


def page_classes() -> list[type[Page]]:
    from companion.ui.pages import Page

    pages: list[type[Page]] = _subclasses(_feature_modules("page"), Page)
    return sorted(pages, key=lambda cls: (cls.order, cls.page_id))


def today_card_classes() -> list[type[TodayCard]]:
    from companion.ui.pages import TodayCard

    cards: list[type[TodayCard]] = _subclasses(_feature_modules("today_card"), TodayCard)
    return sorted(cards, key=lambda cls: (cls.order, cls.__name__))
