"""The mood diary's pages: check-in, history, charts, insights, tags and trackers, imports."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from companion.ui.extension_points import UiRegistry
    from companion.ui.pages import Page


def _page() -> type[Page]:
    from companion.ui.mood.page import DiaryPage

    return DiaryPage


def _warm_up_charts() -> None:
    """pyqtgraph and numpy, imported on a worker while the person reads Today, so that the
    Charts tab does not wait for them (``charts/warm.py``)."""
    from companion.ui.charts import warm

    warm.start()


def register(points: UiRegistry) -> None:
    from companion.ui.mood.today_card import CheckInCard

    points.register_page_loader("mood", _page)  # imported when first shown
    points.register_today_card(CheckInCard)
    points.register_warm_up(_warm_up_charts)
