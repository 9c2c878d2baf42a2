"""The mood diary's pages: check-in, history, charts, insights, tags and trackers, imports."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from companion.ui.extension_points import UiRegistry


def register(points: UiRegistry) -> None:
    from companion.ui.mood.page import DiaryPage
    from companion.ui.mood.today_card import CheckInCard

    points.register_page("mood", DiaryPage)
    points.register_today_card(CheckInCard)
