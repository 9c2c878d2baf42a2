"""A page region or a chart that takes the keyboard shows a ring while it has it (WCAG 2.4.7),
drawn over it so that it takes no room (a border made a page scroll sideways at 200%)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton, QScrollArea, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from companion.core.session import OpenDiary
from companion.ui.main_window import MainWindow
from companion.ui.pages import AppContext
from companion.ui.widgets.focus_ring import FocusRing, ring_of

from .conftest import wait_for_tasks


def _focus(window: QWidget, widget: QWidget) -> None:
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    QApplication.processEvents()


def test_the_page_region_shows_a_ring_only_while_focused(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    window = MainWindow(diary, context)
    qtbot.addWidget(window)
    window.resize(1024, 640)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    region = window.stack.currentWidget()
    assert isinstance(region, QScrollArea)
    viewport = region.viewport().geometry()
    _focus(window, region)
    assert region.hasFocus()
    ring = ring_of(region)
    assert isinstance(ring, FocusRing) and ring.isVisible()
    assert ring.geometry() == region.rect()  # over all of it, on top
    assert region.viewport().geometry() == viewport  # and it took no room
    assert ring.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    assert not ring.focusPolicy() & Qt.FocusPolicy.TabFocus
    region.resize(region.width() - 10, region.height())
    QApplication.processEvents()
    assert ring.geometry() == region.rect()  # follows its region
    _focus(window, window.lock_button)
    assert not ring.isVisible()
    wait_for_tasks(qtbot)


def test_a_hand_painted_region_asks_for_one_and_a_button_gets_none(
    qtbot: QtBot, context: AppContext
) -> None:
    root = QWidget()
    qtbot.addWidget(root)
    layout = QVBoxLayout(root)
    chart, button = QWidget(), QPushButton("Save")
    chart.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    chart.setProperty("focusRing", True)
    layout.addWidget(chart)
    layout.addWidget(button)
    root.show()
    root.activateWindow()
    qtbot.waitUntil(root.isActiveWindow)
    _focus(root, chart)
    ring = ring_of(chart)
    assert ring is not None and ring.isVisible()
    _focus(root, button)
    assert not ring.isVisible() and ring_of(button) is None
