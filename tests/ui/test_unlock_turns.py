"""Unlocking builds the main window over a few turns of the event loop (its frame and sidebar,
then Today, then it is shown), each short enough not to be felt; the unlock window stays on
screen meanwhile, so the first thing seen of the diary is Today with its first cards, never an
empty page. Whatever happens during those turns (a lock, a quit) loses nothing."""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QScrollArea
from pytestqt.qtbot import QtBot

from companion.core.mood.service import CheckIn, MoodService
from companion.core.session import OpenDiary
from companion.ui.app import AppController
from companion.ui.main_window import MainWindow
from companion.ui.mood.today_card import CheckInCard
from companion.ui.unlock.unlock import UnlockWindow

from .conftest import PASS, wait_for_tasks


class _AtShow(QObject):
    """What the window held at the moment it was first shown."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.seen: list[tuple[bool, int]] = []
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Show and not self.seen:
            today = self.window._built.get("today")
            cards = list(getattr(today, "_cards", []))
            self.seen.append((today is not None, len(cards)))
            assert self.window.stack.currentWidget().widget() is today  # what is painted
            assert cards and isinstance(cards[0], CheckInCard)
        return False


def _diary_with_a_check_in(data_dir: Path) -> None:
    diary, _key = OpenDiary.create(data_dir / "vault.companion", PASS)
    diary.service(MoodService).create_entry(CheckIn(mood=4))
    diary.lock()


def _press_unlock(qtbot: QtBot, controller: AppController) -> tuple[UnlockWindow, list[object]]:
    """Unlock; returns the unlock window and what ``show_main`` left (the window opening)."""
    unlock = controller.window
    assert isinstance(unlock, UnlockWindow)
    opening: list[object] = []
    # connected after the controller's own slot: called right after show_main has returned
    unlock.unlocked.connect(lambda *_a: opening.append(controller.opening))
    qtbot.keyClicks(unlock.secret.edit, PASS)
    qtbot.keyClick(unlock.secret.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(opening), timeout=10_000)
    return unlock, opening


def _opening(qtbot: QtBot, controller: AppController) -> MainWindow:
    """Unlock; the main window being opened (built in turns, not shown yet)."""
    _unlock, opening = _press_unlock(qtbot, controller)
    window = opening[0]
    assert isinstance(window, MainWindow)
    return window


def test_the_window_is_shown_once_today_is_built(qtbot: QtBot, data_dir: Path) -> None:
    _diary_with_a_check_in(data_dir)
    controller = AppController(data_dir)
    assert controller.start() is None
    try:
        unlock = controller.window
        assert isinstance(unlock, UnlockWindow)
        watchers: list[_AtShow] = []
        opening: list[tuple[object, bool, bool, bool]] = []
        frames: list[int] = []  # the sidebar's rows in show_main's turn

        def right_after_show_main(*_args: object) -> None:
            window = controller.opening
            assert isinstance(window, MainWindow)
            watchers.append(_AtShow(window))
            opening.append(
                (window, window.isVisible(), "today" in window._built, unlock.isVisible())
            )
            frames.append(window.nav.count())

        unlock.unlocked.connect(right_after_show_main)
        qtbot.keyClicks(unlock.secret.edit, PASS)
        qtbot.keyClick(unlock.secret.edit, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: bool(opening), timeout=10_000)
        window, visible, today_built, unlock_visible = opening[0]
        # the frame and sidebar only, in that turn (the pages' places and rows: the next);
        # the unlock window still on screen
        assert not visible and not today_built and unlock_visible and frames == [0]
        assert controller.window is unlock
        qtbot.waitUntil(lambda: controller.window is window, timeout=10_000)
        assert controller.opening is None
        assert window.isVisible()
        assert not shiboken6.isValid(unlock) or not unlock.isVisible()  # hidden, then deleted
        assert watchers[0].seen == [(True, watchers[0].seen[0][1])]  # Today, with its cards
        assert window.nav.count() == len(window.page_ids) == window.stack.count()
        # where a person starts: the check-in, as before
        today = window.page("today")
        qtbot.waitUntil(lambda: window.focusWidget() is today._cards[0].form.mood)  # type: ignore[attr-defined]
        wait_for_tasks(qtbot)
    finally:
        controller.shutdown()


def test_a_lock_before_the_window_is_shown_keeps_it_unseen(qtbot: QtBot, data_dir: Path) -> None:
    """The screen locks in the instant between Unlock and the window: the diary locks again,
    the half-built window is never shown and goes, and the diary opens as before."""
    _diary_with_a_check_in(data_dir)
    controller = AppController(data_dir)
    assert controller.start() is None
    try:
        window = _opening(qtbot, controller)
        shown: list[bool] = []
        window.installEventFilter(watcher := _ShowSpy(shown))
        controller.context.signals.lock_requested.emit()
        assert controller.diary is None and controller.opening is None
        again = controller.window
        assert isinstance(again, UnlockWindow) and again.isVisible()
        qtbot.waitUntil(lambda: not shiboken6.isValid(window), timeout=10_000)
        assert not shown
        del watcher
        # and it unlocks again, with the check-in there
        _unlock, opening = _press_unlock(qtbot, controller)
        qtbot.waitUntil(lambda: isinstance(controller.window, MainWindow), timeout=10_000)
        main = controller.window
        assert isinstance(main, MainWindow) and main is opening[0]
        assert [e.mood for e in main.diary.service(MoodService).entries()] == [4]
        wait_for_tasks(qtbot)
    finally:
        controller.shutdown()


class _ShowSpy(QObject):
    def __init__(self, shown: list[bool]) -> None:
        super().__init__()
        self.shown = shown

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show:
            self.shown.append(True)
        return False


def test_quitting_before_the_window_is_shown_locks_the_diary(qtbot: QtBot, data_dir: Path) -> None:
    _diary_with_a_check_in(data_dir)
    controller = AppController(data_dir)
    assert controller.start() is None
    _opening(qtbot, controller)
    controller.shutdown()  # as a quit (the tray's, a signal's) right after Unlock
    assert controller.diary is None and controller.opening is None
    wait_for_tasks(qtbot)
    diary = OpenDiary.unlock(data_dir / "vault.companion", passphrase=PASS)
    assert [e.mood for e in diary.service(MoodService).entries()] == [4]
    diary.lock()


def test_the_screen_lock_watcher_and_the_rollback_warning_come_in_turns_before_the_show(
    qtbot: QtBot, data_dir: Path
) -> None:
    """Not in the constructor's turn (4 and 3 ms of it) but in one of their own, and both
    in place when the window is first shown: the warning is part of its first paint."""
    from companion.storage import vault as V

    vault_path = data_dir / "vault.companion"
    _diary_with_a_check_in(data_dir)
    old_copy = vault_path.read_bytes()
    for _ in range(2):  # (the second save keeps the first's file as a backup)
        diary = OpenDiary.unlock(vault_path, passphrase=PASS)
        diary.vault._clock = lambda: V._utcnow().replace(year=V._utcnow().year + 1)
        diary.db.save(force=True)  # a backup newer than the file put back below
        diary.lock()
    vault_path.write_bytes(old_copy)
    controller = AppController(data_dir)
    assert controller.start() is None
    try:
        unlock = controller.window
        assert isinstance(unlock, UnlockWindow)
        seen: list[tuple[object, ...]] = []

        def right_after_show_main(*_args: object) -> None:
            window = controller.opening
            assert isinstance(window, MainWindow)
            seen.append((window.screen_lock, window.save_notice.isHidden()))

        unlock.unlocked.connect(right_after_show_main)
        at_show: list[tuple[object, ...]] = []

        class AtShow(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Show and watched is controller.window:
                    assert isinstance(watched, MainWindow)
                    at_show.append(
                        (watched.screen_lock is not None, watched.save_notice.isHidden())
                    )
                return False

        spy = AtShow()
        qtbot.keyClicks(unlock.secret.edit, PASS)
        qtbot.keyClick(unlock.secret.edit, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
        assert seen == [(None, True)]  # neither in the constructor's turn
        window = controller.opening
        assert isinstance(window, MainWindow)
        window.installEventFilter(spy)
        qtbot.waitUntil(lambda: controller.window is window, timeout=10_000)
        assert at_show[:1] == [(True, False)]  # both there as it is first shown
        assert "newer than this diary file" in window.save_notice.text.text()
        wait_for_tasks(qtbot)
    finally:
        controller.shutdown()


class _FirstShowSpy(QObject):
    """From the window's first show on: its paints that cover the whole window, and the
    resizes its first page gets."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.shown = False
        self.whole_paints = 0
        self.page_resized: list[tuple[int, int]] = []
        #: at the show: (page width, viewport width, scroll bar shown, page taller than it)
        self.at_show: list[tuple[int, int, bool, bool]] = []
        window.installEventFilter(self)

    def watch_page(self) -> None:
        scroller = self.window.stack.currentWidget()
        assert isinstance(scroller, QScrollArea)
        page = scroller.widget()
        assert page is not None
        page.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.window and kind == QEvent.Type.Show and not self.shown:
            self.shown = True
            scroller = self.window.stack.currentWidget()
            assert isinstance(scroller, QScrollArea)
            page, viewport = scroller.widget(), scroller.viewport()
            self.at_show.append(
                (
                    page.width(),
                    viewport.width(),
                    not scroller.verticalScrollBar().isHidden(),
                    page.height() > viewport.height(),
                )
            )
            self.watch_page()
        elif watched is self.window and kind == QEvent.Type.Paint and self.shown:
            assert isinstance(event, QPaintEvent)
            if event.rect() == self.window.rect():
                self.whole_paints += 1
        elif watched is not self.window and kind == QEvent.Type.Resize and self.shown:
            assert isinstance(event, QResizeEvent)
            self.page_resized.append((event.size().width(), event.size().height()))
        return False


def _many_check_ins(data_dir: Path) -> None:
    """A diary whose Today is taller than the window (its scroll bar shows)."""
    diary, _key = OpenDiary.create(data_dir / "vault.companion", PASS)
    moods = diary.service(MoodService)
    for mood in (2, 3, 4, 5, 3):
        moods.create_entry(CheckIn(mood=mood, note="A line of words for the list. " * 4))
    diary.lock()


def test_the_window_is_laid_out_before_it_is_shown_and_painted_once(
    qtbot: QtBot, data_dir: Path
) -> None:
    """Laid out unseen at its size in turns before the show (its page as wide as it is
    beside its scroll bar), the window is painted once as it appears: no scroll bar comes
    after the first paint to narrow the page and lay it out and paint it again, and what the
    show posted (layouts, a repaint of the whole window) is done before that paint, not
    after it as a second one."""
    _many_check_ins(data_dir)
    controller = AppController(data_dir)
    assert controller.start() is None
    try:
        window = _opening(qtbot, controller)
        spy = _FirstShowSpy(window)
        qtbot.waitUntil(lambda: controller.window is window, timeout=10_000)
        qtbot.waitUntil(lambda: spy.whole_paints > 0, timeout=5_000)
        qtbot.wait(200)  # (a second paint, when there was one, came in the same turn)
        wait_for_tasks(qtbot)
        page_width, viewport_width, bar_shown, taller = spy.at_show[0]
        assert taller and bar_shown  # (the diary above makes Today taller than the window)
        assert page_width == viewport_width
        # (taller as the cards below the first screen are added; never narrower)
        assert {width for width, _height in spy.page_resized} <= {page_width}
        assert spy.whole_paints == 1
    finally:
        controller.shutdown()
