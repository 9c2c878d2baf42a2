"""A main window in which only the Medications page is built ahead (the others would take a
test's time), soon after the person is still."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from companion.core.session import OpenDiary
from companion.ui import build_ahead
from companion.ui.main_window import MainWindow
from companion.ui.pages import AppContext
from tests.ui.conftest import main_window_shown, wait_for_tasks


def medications_built_ahead(
    qtbot: QtBot, diary: OpenDiary, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    """For a fixture (``yield from``): the window, then, once the test is over, its work
    waited for and its building ahead paused."""
    monkeypatch.setattr(build_ahead, "STILL_MS", 1)
    window = main_window_shown(qtbot, diary, context)
    monkeypatch.setattr(window, "may_build_ahead", lambda page_id: page_id == "medications")
    yield window
    wait_for_tasks(qtbot)
    if not window.locking:
        window.build_ahead_pages.paused = True
