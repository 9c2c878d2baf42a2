"""The features' warm-ups (``UiRegistry.register_warm_up``) start once the first page is painted
and the person has been still for a moment: any input puts them off again."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from companion.ui import app_input
from companion.ui.extension_points import load as load_ui
from companion.ui.main_window import StillFor


def test_the_mood_feature_warms_its_charts_up() -> None:
    names = [f.__name__ for f in load_ui().warm_ups()]
    assert "_warm_up_charts" in names


def test_still_for_waits_for_a_moment_without_input(qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    assert app_input.instance() is not None
    fired: list[int] = []
    still = StillFor(60_000, widget)
    still.still.connect(lambda: fired.append(1))
    assert still.timer.isActive() and not fired
    still.timer.stop()
    qtbot.keyClick(widget, Qt.Key.Key_A)  # a key, a click, a move: the wait starts again
    assert still.timer.isActive()
    still.timer.stop()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
    assert still.timer.isActive()
    still.timer.setInterval(1)
    still.timer.start()
    qtbot.waitUntil(lambda: fired == [1])
    qtbot.keyClick(widget, Qt.Key.Key_A)  # once: input no longer starts it
    assert not still.timer.isActive() and fired == [1]
