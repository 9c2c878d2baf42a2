"""The Diary's check-ins list while it is out of sight (issue 11): a check-in saved elsewhere (on
Today, in the Ctrl+N window) is read off the window's thread a moment later, so the list is
current when it is shown and its showing reads nothing; shown before that reading began, it is
read as it is shown; shown again with nothing changed, nothing is read; a change that was not
announced (a restored backup) is still caught by the diary's version."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot

from companion.core.mood.service import CheckIn, MoodService
from companion.core.session import OpenDiary
from companion.ui.mood.history import DAYS_PER_PAGE, HistoryList, HistoryView
from companion.ui.mood.page import DiaryPage
from companion.ui.pages import AppContext
from tests.ui.conftest import main_window_shown, wait_for_tasks
from tests.ui.mood.scrolled import charts_drawn, diary_page_in_scroller, diary_page_shown

TAGS_TAB = 3  # (no chart: nothing to import for it)


def yesterday_at(hour: int) -> datetime:
    day = date.today() - timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour).astimezone()


@pytest.fixture
def page(qtbot: QtBot, diary: OpenDiary, context: AppContext) -> Iterator[DiaryPage]:
    diary.service(MoodService).create_entry(CheckIn(mood=6, at=yesterday_at(9)))
    widget = diary_page_shown(qtbot, diary, context)
    wait_for_tasks(qtbot)
    yield widget
    wait_for_tasks(qtbot)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Each reading of the list: where the days were counted (the thread's name), and every
    reading on the window's thread (``reload_keeping_place``)."""
    seen: dict[str, list[str]] = {"days": [], "here": []}
    real_days = MoodService.history_days
    real_reload = HistoryView.reload_keeping_place

    def days(self: MoodService, **filters: object) -> object:
        seen["days"].append(threading.current_thread().name)
        return real_days(self, **filters)  # type: ignore[arg-type]

    def reload(self: HistoryView) -> None:
        seen["here"].append("reload")
        real_reload(self)

    monkeypatch.setattr(MoodService, "history_days", days)
    monkeypatch.setattr(HistoryView, "reload_keeping_place", reload)
    return seen


def check_in_elsewhere(diary: OpenDiary, context: AppContext, mood: int, hour: int) -> None:
    """What the Today card and the Ctrl+N window do: save, then announce it on the hub."""
    diary.service(MoodService).create_entry(CheckIn(mood=mood, at=yesterday_at(hour)))
    context.changes.announce("mood", "entries")


def check_in_with_tags_shown(
    qtbot: QtBot,
    page: DiaryPage,
    diary: OpenDiary,
    context: AppContext,
    reads: dict[str, list[str]],
    reread_ms: int,
) -> None:
    """The Tags & trackers tab shown (the list out of sight), then a check-in elsewhere; the
    list's reading begins ``reread_ms`` after it."""
    page._history_reread.setInterval(reread_ms)
    page.tabs.setCurrentIndex(TAGS_TAB)
    wait_for_tasks(qtbot)
    reads["days"].clear()
    check_in_elsewhere(diary, context, 8, 12)


def test_a_check_in_saved_while_another_tab_is_shown_is_read_off_the_gui_thread(
    qtbot: QtBot,
    page: DiaryPage,
    diary: OpenDiary,
    context: AppContext,
    reads: dict[str, list[str]],
) -> None:
    check_in_with_tags_shown(qtbot, page, diary, context, reads, 10)
    qtbot.waitUntil(lambda: [e.mood for e in page.history.entries()] == [8, 6], timeout=10_000)
    main = threading.main_thread().name
    assert reads["days"] and main not in reads["days"]  # counted on a worker
    assert reads["here"] == []
    page.tabs.setCurrentIndex(0)  # shown: current already, nothing read
    assert reads["here"] == [] and [e.mood for e in page.history.entries()] == [8, 6]


def test_shown_before_its_reading_began_the_list_is_read_as_it_is_shown(
    qtbot: QtBot,
    page: DiaryPage,
    diary: OpenDiary,
    context: AppContext,
    reads: dict[str, list[str]],
) -> None:
    page._history_reread.setInterval(60_000)  # (the reading would begin only much later)
    page.tabs.setCurrentIndex(TAGS_TAB)
    wait_for_tasks(qtbot)
    check_in_elsewhere(diary, context, 3, 13)
    assert page._history_reread.isActive()
    page.tabs.setCurrentIndex(0)
    assert reads["here"] == ["reload"] and not page._history_reread.isActive()
    assert [e.mood for e in page.history.entries()] == [3, 6]


def test_shown_again_with_nothing_changed_nothing_is_read(
    qtbot: QtBot, page: DiaryPage, reads: dict[str, list[str]]
) -> None:
    page.hide()
    page.show()
    page.refresh()  # (what the main window does as it shows the page)
    wait_for_tasks(qtbot)
    assert reads["here"] == [] and reads["days"] == []


def test_a_change_nobody_announced_is_read_when_the_page_is_shown_again(
    qtbot: QtBot, page: DiaryPage, diary: OpenDiary, reads: dict[str, list[str]]
) -> None:
    page.hide()
    diary.service(MoodService).create_entry(CheckIn(mood=2, at=yesterday_at(15)))  # unannounced
    page.show()
    page.refresh()
    wait_for_tasks(qtbot)
    assert reads["here"] == ["reload"]
    assert [e.mood for e in page.history.entries()] == [2, 6]


def test_a_lock_before_the_reading_reads_nothing(
    qtbot: QtBot,
    page: DiaryPage,
    diary: OpenDiary,
    context: AppContext,
    reads: dict[str, list[str]],
) -> None:
    check_in_with_tags_shown(qtbot, page, diary, context, reads, 60_000)
    page.locked = True  # what the lock sets first (``ui/teardown.py``)
    page._history_reread.timeout.emit()  # its time comes
    wait_for_tasks(qtbot)
    assert reads["days"] == [] and reads["here"] == []


def test_built_ahead_out_of_sight_its_check_ins_are_read_off_the_gui_thread(
    qtbot: QtBot, diary: OpenDiary, context: AppContext, reads: dict[str, list[str]]
) -> None:
    svc = diary.service(MoodService)
    for n in range(1, DAYS_PER_PAGE + 6):  # enough days that the list waits for a first paint
        day = date.today() - timedelta(days=n)
        svc.create_entry(
            CheckIn(mood=n % 11, at=datetime(day.year, day.month, day.day, 12).astimezone())
        )
    widget = DiaryPage(diary, context)  # never shown: as ``ui/build_ahead.py`` makes it
    qtbot.addWidget(widget)
    assert widget.building and widget.history.entries() == []
    widget.start_steps_now()
    qtbot.waitUntil(lambda: not widget.building, timeout=10_000)
    assert len(widget.history.entries()) == DAYS_PER_PAGE
    assert reads["here"] == [] and threading.main_thread().name not in reads["days"]
    assert widget.history.list_card.minimumHeight() == 0  # (the room kept for it is given back)


def test_with_the_charts_showing_the_list_is_read_after_their_update_not_beside_it(
    qtbot: QtBot,
    page: DiaryPage,
    diary: OpenDiary,
    context: AppContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A check-in saved with the Charts tab showing: the charts' update (read on a worker,
    drawn in turns) comes first, and the list out of sight is read once it is done (a worker
    reading beside those turns made each of them longer)."""
    from companion.ui import timers

    began: list[bool] = []
    real = HistoryView.reload_off_thread

    def reload_off_thread(self: HistoryView, *args: object, **kwargs: object) -> None:
        began.append(timers.under_way())
        real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(HistoryView, "reload_off_thread", reload_off_thread)
    page.show_tab("charts")
    charts_drawn(qtbot, page)
    page._history_reread.setInterval(1)
    check_in_elsewhere(diary, context, 8, 12)
    qtbot.waitUntil(lambda: [e.mood for e in page.history.entries()] == [8, 6], timeout=10_000)
    assert began == [False]
    today = [p for p in page.charts.chart.daily["mood"] if p.day == yesterday_at(12).date()]
    assert len(today) == 1 and today[0].n == 2  # and the charts drew the check-in


def test_in_the_window_shown_again_with_nothing_changed_nothing_is_read_nor_made(
    qtbot: QtBot, diary: OpenDiary, context: AppContext, reads: dict[str, list[str]]
) -> None:
    """Opened from the sidebar, then Today and the Diary again: the Diary is shown as it is
    (its first showing read the diary as it was made; every list was read again, ~50 ms, at
    its next showing)."""

    diary.service(MoodService).create_entry(CheckIn(mood=6, at=yesterday_at(9)))
    window = main_window_shown(qtbot, diary, context)  # (no pages built ahead)
    window.open_page("mood")
    page = window.page("mood")
    assert isinstance(page, DiaryPage)
    wait_for_tasks(qtbot)
    reads["days"].clear()
    reads["here"].clear()
    refreshed: list[int] = []
    real = page.refresh
    page.refresh = lambda: (refreshed.append(1), real())  # type: ignore[method-assign]
    for _visit in range(3):
        window.open_page("today")
        window.open_page("mood")
        wait_for_tasks(qtbot)
    assert refreshed == [] and reads["here"] == [] and reads["days"] == []
    assert [e.mood for e in page.history.entries()] == [6]
    # a check-in saved elsewhere is on the list when it is shown again
    window.open_page("today")
    check_in_elsewhere(diary, context, 8, 12)
    window.open_page("mood")
    qtbot.waitUntil(lambda: [e.mood for e in page.history.entries()] == [8, 6])


def test_the_check_ins_shown_again_are_not_measured_again(
    qtbot: QtBot, diary: OpenDiary, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each row's wrapped text is measured once for each width: the Check-ins tab shown
    again after a check-in saved elsewhere (the list read again out of sight, laid out as it
    is shown) measures only the new check-in's text, not every row's again (~25 ms)."""
    from PySide6.QtGui import QFontMetrics

    from companion.ui.mood import history

    svc = diary.service(MoodService)
    for hour in range(8, 20):
        note = f"A long note written at {hour} o'clock " * 6
        svc.create_entry(CheckIn(mood=hour % 11, at=yesterday_at(hour), note=note))
    _scroller, page = diary_page_in_scroller(qtbot, diary, context)
    view = page.history.list
    heights = [view.visualRect(view.model().index(r, 0)).height() for r in range(12)]
    page.tabs.setCurrentIndex(TAGS_TAB)  # (a short tab: the scroll bar goes)
    wait_for_tasks(qtbot)
    page.tabs.setCurrentIndex(0)
    wait_for_tasks(qtbot)
    measured: list[str] = []

    class Counting(QFontMetrics):
        def boundingRect(self, *args: object) -> object:  # type: ignore[override]
            measured.append(str(args[-1]))
            return super().boundingRect(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(history, "QFontMetrics", Counting)
    page.tabs.setCurrentIndex(TAGS_TAB)
    wait_for_tasks(qtbot)
    page._history_reread.setInterval(1)
    check_in_elsewhere(diary, context, 9, 21)  # read again while out of sight
    qtbot.waitUntil(lambda: len(page.history.entries()) == 13)
    wait_for_tasks(qtbot)
    page.tabs.setCurrentIndex(0)
    wait_for_tasks(qtbot)
    qtbot.waitUntil(view.isVisible)
    # only the new check-in's words (at most its headline, details and note)
    assert len(measured) <= 3, measured
    rows = [view.visualRect(view.model().index(r, 0)).height() for r in range(13)]
    assert rows[2:] == heights[1:]  # (a day heading, the new check-in, then as before)


def test_the_lists_measures_follow_its_font(qtbot: QtBot, page: DiaryPage) -> None:
    """The time column's width and the fonts are kept between rows, and made again when the
    list's font changes (a larger text size chosen)."""
    view = page.history.list
    delegate = view.delegate
    before = delegate.time_width()
    assert delegate.time_width() == before
    font = view.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    view.setFont(font)
    assert delegate.time_width() > before
    assert delegate._fonts()[0].pointSizeF() == font.pointSizeF()


def test_a_list_read_again_measures_only_the_rows_whose_texts_changed(
    qtbot: QtBot,
    page: DiaryPage,
    diary: OpenDiary,
    context: AppContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The list read again after a check-in (its rows new objects with the same texts, and one
    new row) measures the new check-in's row only, each time it fits its height and each time
    Qt lays it out: every row's fonts and three text heights were looked up again for each,
    two or three times as the page was first shown (~10 ms at ten years)."""
    history = page.history
    delegate = history.list.delegate
    measured: list[str] = []
    real = type(delegate)._measure_row

    def measure(self: object, row: object, *args: object) -> int:
        measured.append(getattr(row, "headline", "(day)"))
        return real(self, row, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(type(delegate), "_measure_row", measure)
    check_in_elsewhere(diary, context, mood=3, hour=20)
    wait_for_tasks(qtbot)
    qtbot.waitUntil(lambda: len(history.entries()) == 2)
    history.list.fit()
    history.list.doItemsLayout()
    assert len(measured) == 1, measured
    assert "3" in measured[0]
    width = history.list.viewport().width()
    expected = sum(delegate.row_height(row, width) for row in history.list.history_model.rows)
    assert history.list.height() == expected + 2 * history.list.frameWidth()


def test_the_rows_buttons_glyphs_are_drawn_once_not_at_each_paint(
    qtbot: QtBot, diary: OpenDiary, page: DiaryPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every row's Edit and Delete buttons are painted with one icon each, kept by the list:
    their glyphs are drawn once (an icon made at each row's paint drew both glyphs again for
    every row, half of the list's paint as the Check-ins tab is shown again). A theme of
    other colours gets icons of its own."""
    from PySide6.QtGui import QColor

    from companion.ui import icons, theme

    svc = diary.service(MoodService)
    for hour in range(10, 20):
        svc.create_entry(CheckIn(mood=hour % 11, at=yesterday_at(hour)))
    page.refresh()
    wait_for_tasks(qtbot)
    view = page.history.list
    qtbot.waitUntil(lambda: len(page.history.entries()) == 11)
    drawn: list[str] = []
    real = icons._GlyphEngine._glyph

    def glyph(self: object, size: object, colour: QColor, ratio: float) -> object:
        drawn.append(colour.name())
        return real(self, size, colour, ratio)  # type: ignore[arg-type]

    monkeypatch.setattr(icons._GlyphEngine, "_glyph", glyph)
    view.viewport().grab()
    view.viewport().grab()
    assert len(drawn) <= 2, drawn  # (Edit and Delete, at most once: drawn before)
    text = theme.current().text
    assert {c.lower() for c in drawn} <= {text.lower()}
    drawn.clear()
    other = theme.LIGHT if theme.current().name != "light" else theme.DARK
    monkeypatch.setattr(theme, "current", lambda: other)
    view.viewport().grab()
    assert 1 <= len(drawn) <= 2 and {c.lower() for c in drawn} == {other.text.lower()}


def _listed(qtbot: QtBot, diary: OpenDiary, page: DiaryPage, hours: range) -> HistoryList:
    """A check-in with a note at each of ``hours`` yesterday, listed: the list's view."""
    svc = diary.service(MoodService)
    for hour in hours:
        svc.create_entry(CheckIn(mood=hour % 11, note=f"note {hour}", at=yesterday_at(hour)))
    page.refresh()
    wait_for_tasks(qtbot)
    qtbot.waitUntil(lambda: len(page.history.entries()) == len(hours) + 1)
    return page.history.list


def test_each_row_is_drawn_once_and_again_only_when_what_it_shows_changes(
    qtbot: QtBot, diary: OpenDiary, page: DiaryPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The list keeps each row as drawn: shown again, it is copied, not drawn again in Python;
    a row is drawn again when what it shows changes (selected here), and what is on screen is
    the same, pixel for pixel, as drawing every row in place."""
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QStyle

    from companion.ui.mood.history import HistoryDelegate

    view = _listed(qtbot, diary, page, range(10, 15))
    drawn: list[object] = []
    real = HistoryDelegate._draw

    def draw(self: HistoryDelegate, painter, rect: QRect, row, *state, **how):  # type: ignore[no-untyped-def]
        drawn.append(row)
        return real(self, painter, rect, row, *state, **how)

    monkeypatch.setattr(HistoryDelegate, "_draw", draw)
    first = page.grab().toImage()
    before = len(drawn)
    again = page.grab().toImage()
    assert len(drawn) == before  # copied, not drawn again
    assert again == first
    view.setCurrentIndex(view.model().index(2, 0))
    selected = page.grab().toImage()
    assert len(drawn) == before + 1  # the row now selected (in place), and only it

    def in_place(self: HistoryDelegate, painter, option, index) -> None:  # type: ignore[no-untyped-def]
        is_selected = bool(option.state & QStyle.StateFlag.State_Selected)
        focused = is_selected and self.view.hasFocus()
        real(self, painter, QRect(option.rect), self._row(index), is_selected, focused, None)

    monkeypatch.setattr(HistoryDelegate, "paint", in_place)
    assert page.grab().toImage() == selected
    view.selectionModel().clear()
    assert page.grab().toImage() == first


def test_the_rows_kept_as_drawn_stay_within_their_memory(
    qtbot: QtBot, diary: OpenDiary, page: DiaryPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """However many rows are shown over time (scrolled through, the list resized), the
    pixmaps kept stay within ``ROWS_DRAWN_BYTES``, the ones used longest ago let go first."""
    from companion.ui.mood import history

    monkeypatch.setattr(history, "ROWS_DRAWN_BYTES", 3 * 762 * 80 * 4)  # about three rows
    view = _listed(qtbot, diary, page, range(8, 20))
    delegate = view.itemDelegate()
    assert isinstance(delegate, history.HistoryDelegate)
    page.grab()
    kept = delegate._drawn
    assert 1 <= len(kept) <= 4
    assert delegate._drawn_bytes == sum(p.width() * p.height() * 4 for p in kept.values())
    assert delegate._drawn_bytes <= history.ROWS_DRAWN_BYTES
