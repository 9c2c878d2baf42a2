"""Check-ups: the page (taking a questionnaire, its result, scores over time) and the Today card.

The widgets here take a questionnaire, answers and scores and report what the person does
through signals; the page decides what to save (through ``Operations.run``) and where
"Get help now" leads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from companion.ui.extension_points import UiRegistry


def register(points: UiRegistry) -> None:
    from companion.ui.checkups.page import CheckupsPage
    from companion.ui.checkups.today_card import CheckupsCard

    points.register_page("checkups", CheckupsPage)
    points.register_today_card(CheckupsCard)
