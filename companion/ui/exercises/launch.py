"""Starting the exercise player over a window, "Ground me now", and saving before a lock.

The player opens over the whole window (sidebar included), so nothing else competes for
attention; it is a child of the window, so locking or closing the window takes it away with
everything else, and the session it saved step by step stays in the diary.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QMainWindow, QWidget

from companion.core.exercises.favourites import GROUND_ME_NOW_DEFAULT, FavouriteService
from companion.core.exercises.service import ExerciseService

if TYPE_CHECKING:
    from companion.core.session import OpenDiary
    from companion.ui.exercises.clock import Clock
    from companion.ui.exercises.player import ExercisePlayer
    from companion.ui.pages import AppContext

__all__ = ["active_player", "before_lock", "ground_me_now", "start_exercise"]


class _FollowResize(QObject):
    """Keeps the player covering its window as the window is resized."""

    def __init__(self, player: QWidget, window: QWidget) -> None:
        super().__init__(player)
        self.player = player
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.player.setGeometry(watched.rect())
        return False


def active_player(window: QWidget) -> ExercisePlayer | None:
    from companion.ui.exercises.player import ExercisePlayer

    for child in window.findChildren(
        ExercisePlayer, options=Qt.FindChildOption.FindDirectChildrenOnly
    ):
        if not child.property("closing"):
            return child
    return None


def start_exercise(
    window: QWidget,
    diary: OpenDiary,
    context: AppContext,
    exercise_id: str,
    *,
    quick: bool = False,
    clock: Clock | None = None,
) -> ExercisePlayer | None:
    """Open the player for one exercise over ``window``; None if the exercise is unknown.

    If a player is already open there, it is brought forward instead of starting another.
    """
    from companion.ui.exercises.player import ExercisePlayer

    host = window.window() if window.window() is not None else window
    current = active_player(host)
    if current is not None:
        current.raise_()
        current.setFocus(Qt.FocusReason.OtherFocusReason)
        return current
    found = diary.service(ExerciseService).find(exercise_id)
    if found is None:
        return None
    player = ExercisePlayer(diary, context, found[0], quick=quick, clock=clock, parent=host)
    player.setGeometry(host.rect())
    _FollowResize(player, host)
    # The page under the player is out of sight: keep Tab and screen readers out of it too.
    behind = host.centralWidget() if isinstance(host, QMainWindow) else None
    if behind is not None:
        behind.hide()

    def closed() -> None:
        # the pages that show practice heard it on the change hub as the player closed
        player.setProperty("closing", True)
        if behind is not None:
            behind.show()
        player.hide()
        player.deleteLater()

    player.closed.connect(closed)
    player.show()
    player.raise_()
    player.setFocus(Qt.FocusReason.OtherFocusReason)
    return player


def ground_me_now(
    window: QWidget, diary: OpenDiary, context: AppContext, *, clock: Clock | None = None
) -> ExercisePlayer | None:
    """One click from anywhere: the first favourite, or 5-4-3-2-1, straight to its first step."""
    exercise_id = diary.service(FavouriteService).ground_me_now_id()
    player = start_exercise(window, diary, context, exercise_id, quick=True, clock=clock)
    if player is None and exercise_id != GROUND_ME_NOW_DEFAULT:
        player = start_exercise(
            window, diary, context, GROUND_ME_NOW_DEFAULT, quick=True, clock=clock
        )
    return player


def before_lock(window: QWidget) -> None:
    """Save what an open player holds (a note being typed, time in a long step) before the
    diary locks; called by the main window's lock, after which the player is thrown away."""
    host = window.window() if window.window() is not None else window
    player = active_player(host)
    if player is not None:
        player.save_now()
