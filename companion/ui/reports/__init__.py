"""The Reports page: summary and exports, homework plans, what was shared, writing a plan."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from companion.ui.extension_points import UiRegistry
    from companion.ui.pages import Page


def _page() -> type[Page]:
    from companion.ui.reports.page import ReportsPage

    return ReportsPage


def register(points: UiRegistry) -> None:
    points.register_page_loader("reports", _page)  # imported when first shown
