"""A host window for the check-up widgets, and key presses sent where a person's would go."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from companion.core.device_settings import DeviceSettings
from companion.ui import theme


@pytest.fixture
def host(qtbot: QtBot, qapp: QApplication) -> Iterator[Callable[[QWidget], QWidget]]:
    """Put a widget in a shown, active window (keys only reach the focused widget)."""
    theme.apply(qapp, DeviceSettings(theme="light"))
    windows: list[QWidget] = []

    def show(widget: QWidget) -> QWidget:
        window = QWidget()
        layout = QVBoxLayout(window)
        layout.addWidget(widget)
        window.resize(1000, 760)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        windows.append(window)
        return window

    yield show
    for window in windows:
        window.close()
        window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def focused(widget: QWidget) -> QWidget:
    return QApplication.focusWidget() or widget.focusWidget() or widget


def press(qtbot: QtBot, widget: QWidget, *keys: Qt.Key | str) -> None:
    """Press keys, each delivered to whatever has the focus at that moment."""
    for key in keys:
        if isinstance(key, str):
            qtbot.keyClicks(focused(widget), key)
        else:
            qtbot.keyClick(focused(widget), key)


def tab_to(qtbot: QtBot, widget: QWidget, target: QAbstractButton, limit: int = 40) -> None:
    """Move the focus with Tab until it reaches ``target``, as a keyboard user would."""
    for _ in range(limit):
        if focused(widget) is target:
            return
        qtbot.keyClick(focused(widget), Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {target.accessibleName()!r}")
