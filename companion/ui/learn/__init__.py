"""The Learn pages: a list, search and a comfortable reader."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from companion.ui.extension_points import UiRegistry


def register(points: UiRegistry) -> None:
    from companion.ui.learn.page import LearnPage

    points.register_page("learn", LearnPage)
