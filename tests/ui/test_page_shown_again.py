"""A page shown again is shown as it is unless something it shows has changed.

Going back and forth between pages used to make Grounding (70-95 ms), the safety plan (~40 ms)
and Reports again on every visit; the page now compares what it reads (the diary's version,
the day, the theme) with what it read at its last refresh."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from companion.core.device_settings import DeviceSettings
from companion.core.exercises.favourites import FavouriteService
from companion.core.safety.service import STEPS, SafetyService
from companion.core.session import OpenDiary
from companion.ui import pages, theme
from companion.ui.main_window import MainWindow
from companion.ui.pages import AppContext
from tests.ui.conftest import main_window_shown

#: the pages that show only the diary's data (``Page.diary_day_theme``)
SHOWN_AS_THEY_ARE = ("exercises", "safety", "reports", "learn")


@pytest.fixture
def window(qtbot: QtBot, diary: OpenDiary, context: AppContext) -> Iterator[MainWindow]:
    w = main_window_shown(qtbot, diary, context)  # (no pages built ahead: built when opened)
    yield w


def _count_refreshes(window: MainWindow, page_id: str) -> list[int]:
    page = window.page(page_id)
    calls: list[int] = []
    original = page.refresh

    def counted() -> None:
        calls.append(1)
        original()

    page.refresh = counted  # type: ignore[method-assign]
    return calls


@pytest.mark.parametrize("page_id", SHOWN_AS_THEY_ARE)
def test_shown_again_with_nothing_changed_it_is_not_made_again(
    window: MainWindow, page_id: str
) -> None:
    window.open_page(page_id)
    calls = _count_refreshes(window, page_id)
    for _visit in range(3):
        window.open_page("today")
        window.open_page(page_id)
        assert window.current_page().isVisible()
    assert calls == []


@pytest.mark.parametrize("page_id", SHOWN_AS_THEY_ARE)
def test_after_a_change_to_the_diary_it_is_read_again_once(
    window: MainWindow, page_id: str
) -> None:
    window.open_page(page_id)
    calls = _count_refreshes(window, page_id)
    window.open_page("today")
    # written past the page (another page, an import, a restored backup all change the version)
    window.diary.service(SafetyService).add_item(STEPS[0].key, "Call my sister")
    window.open_page(page_id)
    assert calls == [1]
    window.open_page("today")
    window.open_page(page_id)
    assert calls == [1]


def test_what_changed_is_on_the_page_when_it_is_shown_again(window: MainWindow) -> None:
    safety = window.page("safety")
    window.open_page("safety")
    window.open_page("today")
    window.diary.service(SafetyService).add_item(STEPS[0].key, "Call my sister")
    window.open_page("safety")
    texts = [w.text() for w in safety.findChildren(type(safety.page_title)) if w.isVisible()]
    assert any("Call my sister" in text for text in texts)


def test_another_day_or_theme_refreshes_it(
    window: MainWindow, qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.open_page("exercises")
    calls = _count_refreshes(window, "exercises")
    window.open_page("today")
    tomorrow = datetime.now().astimezone() + timedelta(days=1)
    monkeypatch.setattr(pages, "local_now", lambda: tomorrow)
    window.open_page("exercises")  # (the weeks it counts end today)
    assert calls == [1]
    window.open_page("today")
    theme.apply(qapp, DeviceSettings(theme="dark"))
    try:
        window.open_page("exercises")  # (colours written into its text)
        assert calls == [1, 1]
    finally:
        theme.apply(qapp, DeviceSettings(theme="light"))


def test_a_change_heard_while_hidden_waits_until_the_page_is_shown(
    window: MainWindow,
) -> None:
    window.open_page("exercises")
    calls = _count_refreshes(window, "exercises")
    window.open_page("today")
    slug = next(iter(window.page("exercises").cards))
    window.diary.service(FavouriteService).set_favourite(slug, True)
    window.changes.announce("exercises", "favourites")
    assert calls == []  # not made again behind Today, in the middle of what the person does
    window.open_page("exercises")
    assert calls == [1]
    window.diary.service(FavouriteService).set_favourite(slug, False)
    window.changes.announce("exercises", "favourites")
    assert calls == [1, 1]  # on screen: at once


def _today_reads(window: MainWindow) -> tuple[list[int], list[int]]:
    """Today's refreshes, and the backups counted (off the GUI thread) for it."""
    calls = _count_refreshes(window, "today")
    today = window.page("today")
    counted: list[int] = []
    original = today._count_backups

    def count() -> int:
        counted.append(1)
        return original()

    today._count_backups = count  # type: ignore[method-assign]
    return calls, counted


def test_today_shown_again_with_nothing_changed_is_not_read_again(
    window: MainWindow, qtbot: QtBot
) -> None:
    from companion.ui import tasks

    window.open_page("exercises")  # (a new diary's first reads wrote its tags: read again)
    window.open_page("today")
    qtbot.waitUntil(lambda: tasks.running() == 0)
    calls, counted = _today_reads(window)
    for _visit in range(3):
        window.open_page("exercises")
        window.open_page("today")
    assert calls == []  # its cards as they are: nothing they show can have changed
    qtbot.waitUntil(lambda: tasks.running() == 0)
    assert counted == [1, 1, 1]  # (a backup made elsewhere writes no row: counted each time)


def test_today_after_a_change_to_the_diary_is_read_again_once(
    window: MainWindow, qtbot: QtBot
) -> None:
    window.open_page("safety")
    window.open_page("today")
    calls, _counted = _today_reads(window)
    window.open_page("safety")
    window.diary.service(SafetyService).add_item(STEPS[0].key, "Call my sister")
    window.open_page("today")  # (the getting-started list's safety plan step is done now)
    assert calls == [1]
    window.open_page("safety")
    window.open_page("today")
    assert calls == [1]


def test_today_in_another_hour_is_read_again(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from companion.ui.today import page as today_page

    window.open_page("exercises")
    window.open_page("today")
    calls, _counted = _today_reads(window)
    today = window.page("today")
    window.open_page("exercises")
    later = datetime.now().astimezone() + timedelta(hours=1)
    monkeypatch.setattr(today_page, "local_now", lambda: later)
    window.open_page("today")  # (the greeting goes by the hour; the doses due by the day)
    assert calls == [1]
    window.open_page("exercises")
    window.open_page("today")
    assert calls == [1]
    assert today.isVisible()


def test_a_page_opened_is_painted_once_in_the_turn_that_shows_it(
    window: MainWindow, qtbot: QtBot
) -> None:
    """A page does not fill its own background (the scroll area's viewport behind it has the
    same colour): an opaque page was painted on its own as it was shown, then again with
    the window around it, in the same turn (Grounding's first open: 2-4 ms twice over)."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    page = window.page("exercises")
    window.build_ahead_pages.finish_now()
    qtbot.wait(50)

    class Paints(QObject):
        """The page's paints in the window's first paint pass after it is shown (the pass
        is over at the next zero timer)."""

        count = 0
        over = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if watched is page and event.type() == QEvent.Type.Paint and not self.over:
                if not self.count:
                    QTimer.singleShot(0, lambda: setattr(self, "over", True))
                self.count += 1
            return False

    paints = Paints()
    page.installEventFilter(paints)
    window.open_page("exercises")
    qtbot.waitUntil(lambda: paints.over)
    page.removeEventFilter(paints)
    assert paints.count == 1
    assert not page.autoFillBackground()
