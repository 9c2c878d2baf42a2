"""The mood diary's pages: check-in, history, charts, insights, tags and trackers, imports."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from companion.ui.extension_points import UiRegistry
    from companion.ui.pages import Page


def _page() -> type[Page]:
    from companion.ui.mood.page import DiaryPage

    return DiaryPage


def register(points: UiRegistry) -> None:
    from companion.ui.mood.today_card import CheckInCard

    points.register_page_loader("mood", _page)  # imported when first shown
    points.register_today_card(CheckInCard)
