"""The safety plan page."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from companion.ui.extension_points import UiRegistry


def register(points: UiRegistry) -> None:
    from companion.ui.safety.page import SafetyPage

    points.register_page("safety", SafetyPage)
