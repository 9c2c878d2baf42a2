"""Medications: the page, its dialogs, the timeline and today's doses."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from companion.ui.extension_points import UiRegistry


def register(points: UiRegistry) -> None:
    from companion.ui.medications.page import MedicationsPage
    from companion.ui.medications.today_card import DosesCard

    points.register_page("medications", MedicationsPage)
    points.register_today_card(DosesCard)
