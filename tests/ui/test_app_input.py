"""One application-wide Python event filter (ui/app_input.py) serves F1, Ctrl+N and the
auto-lock's activity; no other code installs one on the application."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

import companion
from companion.ui import app_input


def test_only_app_input_installs_an_application_event_filter() -> None:
    root = Path(companion.__file__).parent
    found = []
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for line in text.splitlines():
            if re.search(r"\b(app|QApplication\.instance\(\))\.installEventFilter\(", line):
                found.append(path.relative_to(root).as_posix())
    assert found == ["ui/app_input.py"]


def test_handlers_and_listeners_go_with_their_owner(qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    seen: list[str] = []
    owner = QObject()

    def handler(_watched: QObject, event: QKeyEvent) -> bool:
        seen.append(f"key {event.key() == Qt.Key.Key_F9}")
        return event.key() == Qt.Key.Key_F9

    app_input.add_key_handler(owner, handler)
    app_input.add_activity_listener(owner, lambda: seen.append("active"))
    qtbot.keyClick(widget, Qt.Key.Key_F9)
    assert "key True" in seen and "active" in seen
    hub = app_input.instance()
    assert hub is app_input.instance()  # one per application
    assert hub is not None and hub.parent() is QApplication.instance()
    owner.deleteLater()
    qtbot.waitUntil(lambda: not any(o is owner for o, _h in hub.keys))
    seen.clear()
    qtbot.keyClick(widget, Qt.Key.Key_F9)
    assert seen == []


def test_the_filter_is_out_while_a_window_is_built_and_back_after(qtbot: QtBot) -> None:
    """The main window is built and shown inside ``suspended()`` (its thousands of events need
    no Python filter); keys work again as soon as the block ends."""
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    seen: list[int] = []
    owner = QObject()
    app_input.add_key_handler(owner, lambda _w, event: bool(seen.append(event.key())))
    hub = app_input.instance()
    assert hub is not None and hub.installed
    calls: list[int] = []
    real = hub.eventFilter
    hub.eventFilter = lambda watched, event: bool(calls.append(1)) or real(watched, event)  # type: ignore[method-assign]
    try:
        with app_input.suspended():
            built = QWidget(widget)
            built.show()
            qtbot.keyClick(widget, Qt.Key.Key_F9)  # cannot happen in a slot; shows it is out
            assert calls == [] and seen == [] and not hub.installed
        assert hub.installed
        qtbot.keyClick(widget, Qt.Key.Key_F9)
        assert seen == [Qt.Key.Key_F9] and calls
    finally:
        hub.eventFilter = real  # type: ignore[method-assign]
        owner.deleteLater()
