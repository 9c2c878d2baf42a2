"""Medications: the page, its dialogs, the timeline and today's doses."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from companion.ui.extension_points import UiRegistry
    from companion.ui.pages import Page


def _page() -> type[Page]:
    from companion.ui.medications.page import MedicationsPage

    return MedicationsPage


def register(points: UiRegistry) -> None:
    from companion.ui.medications.today_card import DosesCard

    points.register_page_loader("medications", _page)  # imported when first shown
    points.register_today_card(DosesCard)
