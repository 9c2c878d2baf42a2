"""The safety plan page."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from companion.ui.extension_points import UiRegistry
    from companion.ui.pages import Page


def _page() -> type[Page]:
    from companion.ui.safety.page import SafetyPage

    return SafetyPage


def register(points: UiRegistry) -> None:
    points.register_page_loader("safety", _page)  # imported when first shown
