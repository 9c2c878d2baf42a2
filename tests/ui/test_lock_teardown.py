"""Lock: the diary leaves the screen at once, its widgets are deleted a slice at a time after,
and a quick unlock while that is still going on shows only the new pages."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QApplication, QTextEdit, QWidget
from pytestqt.qtbot import QtBot

from companion.core.mood.service import CheckIn, MoodService
from companion.core.session import OpenDiary
from companion.ui import gc_policy, teardown
from companion.ui.app import AppController
from companion.ui.main_window import MainWindow
from companion.ui.pages import AppContext, Page
from companion.ui.unlock.unlock import UnlockWindow

from .conftest import PASS, wait_for_tasks
from .test_app_and_privacy import setup_through

SECRET = "Zq7 words of a locked diary"


def _every_page_and_tab(qtbot: QtBot, window: MainWindow) -> list[Page]:
    """Open every page and every Diary tab, as a person looking around would."""
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        wait_for_tasks(qtbot)
    tabs = window.page("mood").tabs  # type: ignore[attr-defined]
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        wait_for_tasks(qtbot)
    return list(window.pages.values())


def _pages_alive() -> list[str]:
    return [type(w).__name__ for w in QApplication.allWidgets() if isinstance(w, Page)]


@pytest.fixture
def one_object_per_turn(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each slice deletes one widget, so the teardown lasts many event-loop turns."""
    monkeypatch.setattr(teardown, "SLICE_MS", 0.0)


@pytest.fixture
def window(qtbot: QtBot, diary: OpenDiary, context: AppContext) -> Iterator[MainWindow]:
    MoodService(diary.db).create_entry(CheckIn(mood=3, note=SECRET))
    w = MainWindow(diary, context)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    wait_for_tasks(qtbot)


def test_lock_hides_everything_at_once_then_deletes_the_pages_in_slices(
    qtbot: QtBot, window: MainWindow, one_object_per_turn: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    thawed: list[bool] = []
    monkeypatch.setattr(gc_policy, "thaw", lambda: thawed.append(True))
    pages = _every_page_and_tab(qtbot, window)
    refs = [weakref.ref(page) for page in pages]
    notes = [e for e in window.findChildren(QTextEdit) if SECRET in e.toPlainText()]
    with qtbot.waitSignal(window.locked, timeout=5000):
        qtbot.keyPress(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    # At once: nothing of the diary on screen, nothing in the window's layout, no input.
    assert not window.isVisible()
    assert window.centralWidget() is None
    assert not window.isEnabled()
    assert not any(page.isVisible() for page in pages)
    assert window.windowTitle() == "Companion"
    running = window.teardown
    assert running is not None and not running.done  # not deleted in the click
    # One slice deletes a little, never everything.
    running.run_slice()
    assert any(shiboken6.isValid(page) for page in pages)
    del pages, notes
    qtbot.waitUntil(lambda: teardown.running() == 0, timeout=20_000)
    assert window.teardown is None
    assert _pages_alive() == []
    # what full collections had frozen of the diary is thawed: the next one walks it all
    assert thawed == [True]
    leftovers = [w for w in QApplication.allWidgets() if w is not window and _inside(w, window)]
    # at most the empty frame the pages hung in (it goes with the window)
    assert len(leftovers) <= 1
    assert [w for w in leftovers if w.findChildren(QWidget)] == []
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    assert [ref for ref in refs if ref() is not None] == []


def _inside(widget: QWidget, root: QWidget) -> bool:
    parent = widget.parent()
    while parent is not None:
        if parent is root:
            return True
        parent = parent.parent()
    return False


def test_a_dialog_open_at_lock_goes_with_the_diary(
    qtbot: QtBot, window: MainWindow, one_object_per_turn: None
) -> None:
    page = window.page("mood")
    dialog = page.shortcut.open_dialog()  # type: ignore[attr-defined]
    qtbot.keyClicks(dialog.form.note, "half a sentence")
    assert dialog.isVisible()
    with qtbot.waitSignal(window.locked, timeout=5000):
        window.lock()
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: teardown.running() == 0, timeout=20_000)
    assert not shiboken6.isValid(dialog)


def test_unlocking_while_the_old_pages_are_still_being_deleted(
    qtbot: QtBot, data_dir: Path, one_object_per_turn: None
) -> None:
    controller = AppController(data_dir)
    assert controller.start() is None
    try:
        old = setup_through(qtbot, controller)
        old_pages = _every_page_and_tab(qtbot, old)
        qtbot.keyPress(old, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
        unlock = controller.window
        assert isinstance(unlock, UnlockWindow)
        assert unlock.isVisible() and not old.isVisible()
        assert teardown.running() == 1
        # Unlock again at once, as a person who locked by mistake would.
        qtbot.keyClicks(unlock.secret.edit, PASS)
        qtbot.keyClick(unlock.secret.edit, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: isinstance(controller.window, MainWindow), timeout=10_000)
        new = controller.window
        assert isinstance(new, MainWindow) and new is not old
        assert teardown.running() == 1  # the old pages are still going
        assert any(shiboken6.isValid(p) for p in old_pages)
        # Every page of the new window is new, and works, while the old ones go.
        for row in range(new.nav.count()):
            new.nav.setCurrentRow(row)
            shown = new.current_page()
            assert shown not in old_pages
            assert shown.isVisible()
        assert not any(shiboken6.isValid(p) and p.isVisible() for p in old_pages)
        qtbot.waitUntil(lambda: teardown.running() == 0, timeout=30_000)
        assert not any(shiboken6.isValid(p) for p in old_pages)
        qtbot.waitUntil(lambda: not shiboken6.isValid(old))  # then the old window itself
        assert new.isVisible() and all(shiboken6.isValid(p) for p in new.pages.values())
        wait_for_tasks(qtbot)
    finally:
        controller.shutdown()


def test_quitting_during_the_teardown_finishes_it(
    qtbot: QtBot, data_dir: Path, one_object_per_turn: None
) -> None:
    controller = AppController(data_dir)
    assert controller.start() is None
    old = setup_through(qtbot, controller)
    pages = _every_page_and_tab(qtbot, old)
    old.lock()
    assert teardown.running() == 1
    controller.shutdown()
    assert teardown.running() == 0
    assert not any(shiboken6.isValid(p) for p in pages)


def test_a_timer_due_during_a_slice_runs_before_the_next_slice(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each slice's timer starts after the slice: a repeating zero timer was due again as a
    slice began, so Qt ran the next slice before a timer that fell due during this one (the
    lock's slices ran two or three back to back)."""
    import time

    from PySide6.QtCore import QObject, QTimer

    owner = QObject()
    roots = [QObject() for _ in range(3)]
    order: list[str] = []
    real = teardown.delete_now

    def delete_now(obj: QObject) -> None:
        if not order:
            QTimer.singleShot(2, lambda: order.append("tick"))
        end = time.perf_counter() + 0.004  # past the tick's time: it is due as this ends
        while time.perf_counter() < end:
            pass
        order.append("deleted")
        real(obj)

    monkeypatch.setattr(teardown, "delete_now", delete_now)
    monkeypatch.setattr(teardown, "SLICE_MS", 1.0)  # one object a slice
    teardown.tear_down(owner, roots)
    qtbot.waitUntil(lambda: teardown.running() == 0)
    assert order == ["deleted", "tick", "deleted", "deleted"]
