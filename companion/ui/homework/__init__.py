"""Homework on screen: the Today card, the plan dialog (Accept or Decline), each plan's
progress, and the homework tab of the Reports page."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from companion.ui.extension_points import UiRegistry


def register(points: UiRegistry) -> None:
    from companion.ui.homework.today_card import HomeworkCard

    points.register_today_card(HomeworkCard)
