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
