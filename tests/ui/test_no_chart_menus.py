"""No chart in the app opens pyqtgraph's own menus.

They are in English, they offer to change the view in ways the app's controls then contradict,
and their "Export..." writes what a chart shows (ten years of moods, as a CSV) to any file a
person picks, past the Reports page's exports and what they say about where data goes. (The
mood chart's second axis, for a feature's scores through ``MoodChart.add_points``, had its menu
on: ``mood/test_chart_overlays.py`` right-clicks it.)"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from companion.core import demo
from companion.core.session import OpenDiary
from companion.ui.main_window import MainWindow
from companion.ui.pages import AppContext
from tests.ui.conftest import main_window_shown

from .conftest import wait_for_tasks


@pytest.fixture
def window(qtbot: QtBot, diary: OpenDiary, context: AppContext) -> Iterator[MainWindow]:
    demo.fill(diary.db, 200, 7)  # check-ups, medicines, practice: every chart has data
    w = main_window_shown(qtbot, diary, context, (1280, 800))
    yield w
    wait_for_tasks(qtbot)


def test_every_chart_on_every_page_and_tab_has_its_menus_off(
    qtbot: QtBot, window: MainWindow
) -> None:
    import pyqtgraph as pg

    seen = 0
    for page_id in window.page_ids:
        window.open_page(page_id)
        page = window.page(page_id)
        page.finish_building()
        wait_for_tasks(qtbot)
        tabs = getattr(page, "tabs", None)
        for index in range(tabs.count() if tabs is not None else 1):
            if tabs is not None:
                tabs.setCurrentIndex(index)
                wait_for_tasks(qtbot)
                QApplication.processEvents()
            for view in page.findChildren(pg.GraphicsView):
                for item in view.scene().items():
                    if isinstance(item, pg.ViewBox):
                        seen += 1
                        assert not item.menuEnabled(), (page_id, index, type(view).__name__)
                    if isinstance(item, pg.PlotItem):
                        assert item.ctrlMenu is None or not item.menuEnabled(), (page_id, index)
    assert seen >= 4  # the mood chart, sleep, patterns, practice
