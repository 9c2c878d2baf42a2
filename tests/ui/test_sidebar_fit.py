"""The sidebar fits the window: the nine pages without scrolling at 900×600 and 1024×640 (rows
closer together when the height is short), and only its icons when large text meets a narrow
window, every page still named for a screen reader and in its tooltip."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAccessible, QFocusEvent
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from companion.core.device_settings import DeviceSettings
from companion.core.session import OpenDiary
from companion.ui import theme
from companion.ui.main_window import MainWindow
from companion.ui.pages import AppContext

from .conftest import wait_for_tasks


def _window(qtbot: QtBot, diary: OpenDiary, context: AppContext, scale: float) -> MainWindow:
    device = DeviceSettings(theme="light", text_scale=scale)
    theme.apply(QApplication.instance(), device)  # type: ignore[arg-type]
    context.device = device
    window = MainWindow(diary, context)
    qtbot.addWidget(window)
    return window


@pytest.fixture
def restore_theme(qapp: QApplication) -> Iterator[None]:
    yield
    theme.apply(qapp, DeviceSettings(theme="light"))


def _show(qtbot: QtBot, window: MainWindow, width: int, height: int) -> None:
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    QApplication.processEvents()


@pytest.mark.parametrize(
    ("size", "scale", "narrow"),
    [((900, 600), 1.0, False), ((1024, 640), 1.0, False), ((1280, 800), 2.0, False),
     ((1024, 640), 2.0, True), ((900, 600), 1.5, True)],
)  # fmt: skip
def test_the_nine_pages_fit_without_scrolling(
    qtbot: QtBot,
    diary: OpenDiary,
    context: AppContext,
    restore_theme: None,
    size: tuple[int, int],
    scale: float,
    narrow: bool,
) -> None:
    window = _window(qtbot, diary, context, scale)
    _show(qtbot, window, *size)
    assert window.nav.count() == 9
    assert window.nav.verticalScrollBar().maximum() == 0, "the page list scrolls"
    assert window.sidebar_fit.narrow is narrow
    assert window.help_button.isVisible()
    wait_for_tasks(qtbot)


def test_rows_close_up_only_when_the_height_is_short(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    window = _window(qtbot, diary, context, 1.0)
    _show(qtbot, window, 1280, 800)
    usual = window.nav.sizeHintForRow(0)
    assert not window.sidebar_fit.compact
    window.resize(900, 600)
    QApplication.processEvents()
    assert window.sidebar_fit.compact and window.nav.sizeHintForRow(0) < usual
    assert window.nav.verticalScrollBar().maximum() == 0
    window.resize(1280, 800)
    QApplication.processEvents()
    assert not window.sidebar_fit.compact and window.nav.sizeHintForRow(0) == usual
    wait_for_tasks(qtbot)


def test_narrow_sidebar_keeps_names_help_and_comes_back_whole(
    qtbot: QtBot, diary: OpenDiary, context: AppContext, restore_theme: None
) -> None:
    window = _window(qtbot, diary, context, 2.0)
    _show(qtbot, window, 1280, 800)
    names = [window.nav.item(row).text() for row in range(window.nav.count())]
    assert all(names) and window.help_button.text() == "Get help now"
    window.resize(1024, 640)
    QApplication.processEvents()
    assert window.sidebar_fit.narrow and window.sidebar.width() < 200
    assert window.brand.isHidden() and window.last_saved.isHidden()
    # "Get help now" is never only a picture; the other buttons keep their names for readers
    assert window.help_button.text() == "Help"
    assert window.help_button.accessibleName() == "Get help now"
    assert window.lock_button.text() == "" and window.lock_button.accessibleName()
    iface = QAccessible.queryAccessibleInterface(window.nav)
    for row in range(window.nav.count()):
        item = window.nav.item(row)
        assert item.text() == "" and item.toolTip() == names[row]
        assert item.data(Qt.ItemDataRole.AccessibleTextRole) == names[row]
        assert iface.child(row).text(QAccessible.Text.Name) == names[row]
    window.nav.setCurrentRow(3)  # still works by keyboard and click
    assert window.stack.currentIndex() == 3
    window.resize(1280, 800)
    QApplication.processEvents()
    assert [window.nav.item(row).text() for row in range(window.nav.count())] == names
    assert window.help_button.text() == "Get help now" and window.lock_button.text() == "Lock"
    assert not window.brand.isHidden() and not window.last_saved.isHidden()
    wait_for_tasks(qtbot)


def test_the_narrow_sidebar_still_says_when_the_diary_was_saved(
    qtbot: QtBot, diary: OpenDiary, context: AppContext, restore_theme: None
) -> None:
    """Icons only (200% text at 1024×640): the "Last saved" line becomes a saved mark whose
    sentence is its tooltip and accessible name, shown when it is reached with Tab or clicked;
    the line comes back when the sidebar is wide again."""
    window = _window(qtbot, diary, context, 2.0)
    _show(qtbot, window, 1280, 800)
    sentence = window.last_saved.text()
    assert sentence.startswith("Last saved before this session: ")
    assert window.last_saved.isVisible() and not window.saved_mark.isVisible()
    window.resize(1024, 640)
    QApplication.processEvents()
    mark = window.saved_mark
    assert window.sidebar_fit.narrow and window.last_saved.isHidden() and mark.isVisible()
    assert mark.toolTip() == sentence and mark.accessibleName() == sentence
    iface = QAccessible.queryAccessibleInterface(mark)
    assert iface.text(QAccessible.Text.Name) == sentence
    # inside the sidebar, beside the Lock button (a row of its own made the pages scroll)
    centre = mark.mapTo(window, mark.rect().center())
    lock = window.lock_button.geometry().translated(window.lock_button.parentWidget().pos())
    assert window.sidebar.geometry().contains(centre)
    assert mark.geometry().left() >= window.lock_button.geometry().right()
    assert lock.top() <= mark.mapTo(window.sidebar, mark.rect().center()).y() <= lock.bottom()
    for _round in range(3):
        QApplication.processEvents()
    assert window.nav.verticalScrollBar().maximum() == 0, "the page list scrolls"
    # the keyboard reaches it after Lock, and it says its sentence
    window.lock_button.setFocus()
    window.focusNextPrevChild(True)  # what Tab does
    assert window.focusWidget() is mark
    # (offscreen, the window is not active, so Qt sends no focus event of its own)
    QApplication.sendEvent(mark, QFocusEvent(QEvent.Type.FocusIn, Qt.FocusReason.TabFocusReason))
    qtbot.waitUntil(lambda: QToolTip.isVisible() and QToolTip.text() == sentence)
    QToolTip.hideText()
    qtbot.waitUntil(lambda: not QToolTip.isVisible())
    qtbot.keyClick(mark, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: QToolTip.isVisible() and QToolTip.text() == sentence)
    QToolTip.hideText()
    window.resize(1280, 800)
    QApplication.processEvents()
    assert window.last_saved.isVisible() and not mark.isVisible()
    wait_for_tasks(qtbot)


def test_no_saved_mark_when_there_is_nothing_to_say(
    qtbot: QtBot, diary: OpenDiary, context: AppContext, restore_theme: None
) -> None:
    """A diary never saved before this session has no "Last saved" line, so no mark either."""
    window = _window(qtbot, diary, context, 2.0)
    window.last_saved.setText("")
    window.saved_mark.set_sentence("")
    _show(qtbot, window, 1024, 640)
    assert window.sidebar_fit.narrow and not window.saved_mark.isVisible()
    wait_for_tasks(qtbot)
