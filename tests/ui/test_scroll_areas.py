"""Every scroll area paints its own background (``widgets.common.scroll_area``): what scrolls
in it is repainted without the window beneath it being painted again too (a page's full repaint
cost 2.5-3 times as much when a style-sheet rule left the viewports unfilled)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QFrame, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from companion.core.session import OpenDiary
from companion.ui.main_window import MainWindow
from companion.ui.pages import AppContext
from tests.ui.conftest import main_window_shown, wait_for_tasks


@pytest.fixture
def window(qtbot: QtBot, diary: OpenDiary, context: AppContext) -> Iterator[MainWindow]:
    yield main_window_shown(qtbot, diary, context)


class _Paints(QObject):
    """Counts the paint events of the widgets it watches."""

    def __init__(self, widgets: list[QWidget]) -> None:
        super().__init__()
        self.count = 0
        for widget in widgets:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def test_every_scroll_area_of_every_page_is_frameless_and_fills_its_viewport(
    qtbot: QtBot, window: MainWindow
) -> None:
    for page_id in window.page_ids:
        window.open_page(page_id)
        wait_for_tasks(qtbot)
    sheet = QApplication.instance().styleSheet()  # type: ignore[union-attr]
    assert "QPushButton" in sheet and "QScrollArea" not in sheet
    areas = window.findChildren(QScrollArea)
    assert len(areas) >= len(window.page_ids)
    for area in areas:
        assert area.frameShape() == QFrame.Shape.NoFrame, area.accessibleName()
        assert area.viewport().autoFillBackground(), area.accessibleName()


@pytest.mark.parametrize("page_id", ["today", "medications", "safety"])
def test_a_page_repainted_does_not_paint_the_window_beneath_it(
    qtbot: QtBot, window: MainWindow, page_id: str
) -> None:
    window.open_page(page_id)
    wait_for_tasks(qtbot)
    scroller = window.scroller(page_id)
    central = window.centralWidget()
    assert central is not None
    beneath = [scroller, window.stack, central]
    paints = _Paints(beneath)
    for _round in range(3):
        scroller.viewport().repaint()
    assert paints.count == 0
    central.repaint()  # (the watch itself works)
    assert paints.count > 0
