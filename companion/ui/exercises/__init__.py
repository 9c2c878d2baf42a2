"""Grounding exercises: the page, the player, the Today card and "Ground me now"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from companion.i18n import N_

if TYPE_CHECKING:
    from companion.ui.extension_points import UiRegistry
    from companion.ui.main_window import MainWindow
    from companion.ui.pages import Page


def _ground_me_now(window: MainWindow) -> object:
    from companion.ui.exercises.launch import ground_me_now

    return ground_me_now(window, window.diary, window.context)


def _page() -> type[Page]:
    from companion.ui.exercises.page import ExercisesPage

    return ExercisesPage


def register(points: UiRegistry) -> None:
    from companion.ui.exercises.launch import before_lock
    from companion.ui.exercises.today_card import ExerciseTodayCard
    from companion.ui.extension_points import SidebarAction

    points.register_page_loader("exercises", _page)  # imported when first shown
    points.register_today_card(ExerciseTodayCard)
    points.register_action(
        SidebarAction(
            id="ground",
            label=N_("Ground me now"),
            icon="mdi6.leaf",  # not the safety plan's hand and heart
            shortcut="Ctrl+G",
            tooltip=N_("Start a grounding exercise straight away (Ctrl+G)"),
            run=_ground_me_now,
        )
    )
    points.register_before_lock(before_lock)
