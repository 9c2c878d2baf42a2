"""The unlock window a lock shows is made ahead, hidden, at a quiet moment while the diary is
open: the lock's own turn only shows it. One made before a change of the style sheet (theme,
text size), the font or the language is not used: the lock makes one as it is now."""

from __future__ import annotations

from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from companion.ui import app as app_module
from companion.ui import timers
from companion.ui.app import AppController
from companion.ui.main_window import MainWindow
from companion.ui.unlock.unlock import UnlockWindow

from .conftest import PASS, wait_for_tasks
from .test_app_and_privacy import setup_through


@pytest.fixture
def soon(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_module, "UNLOCK_AHEAD_MS", 10)
    monkeypatch.setattr(app_module, "UNLOCK_AHEAD_RETRY_MS", 10)


def _made_ahead(qtbot: QtBot, controller: AppController) -> UnlockWindow:
    qtbot.waitUntil(lambda: controller._unlock_ahead is not None, timeout=5000)
    assert controller._unlock_ahead is not None
    ahead = controller._unlock_ahead[0]
    assert not ahead.isVisible()
    return ahead


def test_the_lock_shows_the_unlock_window_made_ahead_at_a_quiet_moment(
    qtbot: QtBot, data_dir: Path, soon: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    busy = [True]
    monkeypatch.setattr(timers, "under_way", lambda: busy[0])
    controller = AppController(data_dir)
    assert controller.start() is None
    try:
        main = setup_through(qtbot, controller)
        qtbot.wait(100)
        assert controller._unlock_ahead is None  # not while something is under way
        busy[0] = False
        ahead = _made_ahead(qtbot, controller)
        made: list[UnlockWindow] = []
        real_init = UnlockWindow.__init__

        def counted(self: UnlockWindow, *args: object, **kwargs: object) -> None:
            made.append(self)
            real_init(self, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(UnlockWindow, "__init__", counted)
        qtbot.keyPress(main, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
        assert controller.window is ahead and ahead.isVisible()
        assert made == []  # none made in the lock's turn
        assert ahead.secret.text() == "" and ahead.error.text() == ""
        qtbot.waitUntil(lambda: QApplication.focusWidget() is ahead.secret.edit)
        qtbot.keyClicks(ahead.secret.edit, PASS)
        qtbot.keyClick(ahead.secret.edit, Qt.Key.Key_Return)
        wait_for_tasks(qtbot)
        qtbot.waitUntil(lambda: isinstance(controller.window, MainWindow), timeout=10_000)
        assert not shiboken6.isValid(ahead) or not ahead.isVisible()
        _made_ahead(qtbot, controller)  # and again for the next lock
    finally:
        controller.shutdown()
    assert controller._unlock_ahead is None  # (deleted with the rest)


def test_one_made_before_the_style_changed_is_not_used(
    qtbot: QtBot, data_dir: Path, soon: None
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    sheet = app.styleSheet()
    controller = AppController(data_dir)
    assert controller.start() is None
    try:
        main = setup_through(qtbot, controller)
        ahead = _made_ahead(qtbot, controller)
        app.setStyleSheet(sheet + "\n/* a theme changed in Settings */")
        qtbot.keyPress(main, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
        assert isinstance(controller.window, UnlockWindow)
        assert controller.window is not ahead and controller.window.isVisible()
        qtbot.waitUntil(lambda: not shiboken6.isValid(ahead))  # let go of
    finally:
        app.setStyleSheet(sheet)
        controller.shutdown()
