"""The Diary page shown for a test: alone, or as the main window holds it, in a scroll area
(its scroll bar comes and goes with the tabs' heights); its Charts tab drawn; and a counter of a
widget's hide events."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QScrollArea
from pytestqt.qtbot import QtBot

from companion.core.session import OpenDiary
from companion.ui.mood.page import DiaryPage
from companion.ui.pages import AppContext
from tests.ui.conftest import wait_for_tasks


def diary_page_shown(qtbot: QtBot, diary: OpenDiary, context: AppContext) -> DiaryPage:
    """The page alone at 1100×900, shown and refreshed (its background work may still run)."""
    page = DiaryPage(diary, context)
    qtbot.addWidget(page)
    page.resize(1100, 900)
    page.show()
    qtbot.waitExposed(page)
    page.refresh()
    return page


def charts_drawn(qtbot: QtBot, page: DiaryPage) -> None:
    """The Charts tab drawn, to the calendar (its last turn). Its first drawing begins at the
    tab's first paint, a turn or more after the tab is shown: waiting only for the tasks and
    steps running now (none yet) and for its busy line (not shown yet) let a test go on while
    the tab had not begun, and the tab's first period came in the middle of that test."""
    qtbot.waitUntil(lambda: page.charts.marks is not None, timeout=10_000)
    wait_for_tasks(qtbot)
    qtbot.waitUntil(page.charts.busy.isHidden)


def diary_page_in_scroller(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> tuple[QScrollArea, DiaryPage]:
    """The page in a 1100×700 scroll area, shown, refreshed, its work done."""
    scroller = QScrollArea()
    scroller.setWidgetResizable(True)
    qtbot.addWidget(scroller)
    page = DiaryPage(diary, context)
    scroller.setWidget(page)
    scroller.resize(1100, 700)
    scroller.show()
    qtbot.waitExposed(scroller)
    page.refresh()
    wait_for_tasks(qtbot)
    return scroller, page


class HideCounter(QObject):
    """Counts the hide events of the widgets it is installed on (a scroll bar that goes)."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Hide:
            self.count += 1
        return False


def tab_opened_in_scroller(
    qtbot: QtBot, scroller: QScrollArea, page: DiaryPage, index: int
) -> HideCounter:
    """A click on the Diary's tab ``index`` with the page in a scroll area that shows its bar,
    waited for until the tab is built and its work done: what counts the bar's hide events
    (a bar that goes and comes back lays out every part of the tab again at another width)."""
    bar = scroller.verticalScrollBar()
    assert bar.isVisible()
    hidden = HideCounter()
    bar.installEventFilter(hidden)
    page.tabs.setCurrentIndex(index)
    qtbot.waitUntil(lambda: index in page._built)
    wait_for_tasks(qtbot)
    return hidden
