"""The Reports page: summary and exports, homework plans, what was shared, writing a plan."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from companion.ui.extension_points import UiRegistry


def register(points: UiRegistry) -> None:
    from companion.ui.reports.page import ReportsPage

    points.register_page("reports", ReportsPage)
