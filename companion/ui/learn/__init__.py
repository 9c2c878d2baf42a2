"""The Learn pages: a list, search and a comfortable reader."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from companion.ui.extension_points import UiRegistry
    from companion.ui.pages import Page


def _page() -> type[Page]:
    from companion.ui.learn.page import LearnPage

    return LearnPage


def register(points: UiRegistry) -> None:
    points.register_page_loader("learn", _page)  # imported when first shown
