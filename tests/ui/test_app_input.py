"""Keys of every window and "the person did something" without an application-wide event
filter (ui/app_input.py): QShortcuts on each window, a filter on each window's QWindow."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

import companion
from companion.ui import app_input

from .conftest import wheel_event


def test_nothing_installs_an_application_event_filter() -> None:
    """A Python filter on the application is entered for every event of every object (5–10 ms
    of CPU in each page's first open): input is watched per window instead."""
    root = Path(companion.__file__).parent
    found = []
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for line in text.splitlines():
            if re.search(
                r"\b(app|qapp|application|QApplication\.instance\(\)|"
                r"QCoreApplication\.instance\(\))\.installEventFilter\(",
                line,
            ):
                found.append(path.relative_to(root).as_posix())
    assert found == []


def _window(qtbot: QtBot) -> tuple[QWidget, QLineEdit]:
    widget = QWidget()
    qtbot.addWidget(widget)
    field = QLineEdit(widget)
    QVBoxLayout(widget).addWidget(field)
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    field.setFocus()
    return widget, field


def test_a_key_goes_with_its_owner_and_the_latest_answers_first(qtbot: QtBot) -> None:
    widget, field = _window(qtbot)
    app_input.watch(widget)
    seen: list[str] = []
    older, newer = QObject(), QObject()
    app_input.add_key(older, "F9", lambda window: bool(seen.append("older")) or True)
    app_input.add_key(
        newer, "F9", lambda window: bool(seen.append(f"newer {window is widget}")) or False
    )
    qtbot.keyClick(field, Qt.Key.Key_F9)
    assert seen == ["newer True", "older"]  # the newer one declined, so the older took it
    seen.clear()
    older.deleteLater()
    newer.deleteLater()
    hub = app_input.instance()
    assert hub is not None
    qtbot.waitUntil(lambda: not any(k.sequence == "F9" for k in hub.keys))
    qtbot.keyClick(field, Qt.Key.Key_F9)
    qtbot.keyClicks(field, "typed")
    assert seen == [] and field.text() == "typed"  # F9 is no shortcut any more


def test_a_key_is_only_offered_where_it_applies(qtbot: QtBot) -> None:
    widget, field = _window(qtbot)
    seen: list[QWidget] = []
    owner = QObject()
    app_input.add_key(
        owner,
        "F9",
        lambda window: bool(seen.append(window)) or True,
        where=lambda window: window is not widget,
    )
    app_input.watch(widget)
    qtbot.keyClick(field, Qt.Key.Key_F9)
    assert seen == []
    other, other_field = _window(qtbot)
    qtbot.keyClick(other_field, Qt.Key.Key_F9)  # watched as it took the focus
    assert seen == [other]
    owner.deleteLater()


def test_input_in_any_window_reaches_the_activity_listeners(qtbot: QtBot) -> None:
    """Keys, clicks, moves and the wheel reach the window before its widgets (as a platform
    delivers them); a window Qt makes itself (a message box) is watched as it takes the
    focus."""
    widget, _field = _window(qtbot)
    seen: list[int] = []
    owner = QObject()
    app_input.add_activity_listener(owner, lambda: seen.append(1))
    app_input.watch(widget)
    handle = widget.windowHandle()
    centre = widget.rect().center()
    for act in (
        lambda: QTest.keyClick(handle, Qt.Key.Key_A),
        lambda: QTest.mousePress(handle, Qt.MouseButton.LeftButton, pos=centre),
        lambda: QTest.mouseMove(handle, centre + QPoint(3, 3)),
        lambda: QApplication.sendEvent(handle, wheel_event(centre)),
    ):
        seen.clear()
        act()
        assert seen, act
    QTest.mouseRelease(handle, Qt.MouseButton.LeftButton, pos=centre)
    box = QMessageBox(QMessageBox.Icon.Question, "Companion", "Go on?", parent=widget)
    box.open()
    qtbot.waitUntil(box.isActiveWindow)
    seen.clear()
    QTest.keyClick(box.windowHandle(), Qt.Key.Key_Shift)
    assert seen
    box.reject()
    owner.deleteLater()
    hub = app_input.instance()
    assert hub is not None
    qtbot.waitUntil(lambda: all(o is not owner for o, _listener in hub.activity))
    seen.clear()
    QTest.keyClick(handle, Qt.Key.Key_A)
    assert seen == []
