"""What the Diary shows after an import, and how it gets there (issue 11): the check-ins list is
read on a copy of the diary off the window's thread and replaces the list shown in one turn
(never an empty or half-filled list in between); the charts draw the imported period once, with
the imported days, whether they are showing or not; a filter, another change or a lock in
between is safe; Today's "Getting started" list records the import without reading every step
while it is off screen."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from companion.core.getting_started import GettingStarted
from companion.core.mood.service import CheckIn, MoodService
from companion.core.session import OpenDiary
from companion.ui.charts.api import MoodChart
from companion.ui.mood.import_dialog import ImportDialog
from companion.ui.mood.page import DiaryPage
from companion.ui.pages import AppContext
from companion.ui.today.getting_started import GettingStartedCard
from tests.core.import_helpers import CORPUS
from tests.ui.conftest import wait_for_tasks
from tests.ui.mood.scrolled import charts_drawn

#: six check-ins from 7 to 12 March 2023 (tags "Familie", "Spaziergang", "Freunde", "Arbeit"…)
FILE = CORPUS / "daylio_de_8col.csv"
FIRST_IMPORTED = date(2023, 3, 7)


def local(days_ago: int, hour: int) -> datetime:
    day = date.today() - timedelta(days=days_ago)
    moment = datetime(day.year, day.month, day.day, hour)
    if days_ago == 0:
        moment = min(moment, datetime.now().replace(second=0, microsecond=0))
    return moment.astimezone()


@pytest.fixture
def page(qtbot: QtBot, diary: OpenDiary, context: AppContext) -> Iterator[DiaryPage]:
    svc = diary.service(MoodService)
    svc.create_entry(CheckIn(mood=6, at=local(1, 9)))
    svc.create_entry(CheckIn(mood=4, at=local(0, 8)))
    widget = DiaryPage(diary, context)
    qtbot.addWidget(widget)
    widget.resize(1100, 900)
    widget.show()
    qtbot.waitExposed(widget)
    widget.refresh()
    yield widget
    wait_for_tasks(qtbot)


def import_file(qtbot: QtBot, page: DiaryPage) -> ImportDialog:
    """Through the page's Import button and the window's buttons, as a person does."""
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    window = page.dialog
    assert isinstance(window, ImportDialog)
    for action, name in (
        (lambda: window.load_path(FILE), "look"),
        (lambda: qtbot.mouseClick(window.preview_button, Qt.MouseButton.LeftButton), "preview"),
        (lambda: qtbot.mouseClick(window.import_button, Qt.MouseButton.LeftButton), "import"),
    ):
        with qtbot.waitSignal(window.step_finished, timeout=20_000) as blocker:
            action()
        assert blocker.args == [name]
    return window


def test_the_check_ins_are_read_off_the_gui_thread_and_replace_the_list_whole(
    qtbot: QtBot, page: DiaryPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    history = page.history
    assert [e.mood for e in history.entries()] == [4, 6]
    model = history.list.history_model
    seen: list[tuple[str, int]] = []  # every change of the list, with its rows then
    for signal, name in (
        (model.modelReset, "reset"),
        (model.rowsInserted, "inserted"),
        (model.rowsRemoved, "removed"),
    ):
        signal.connect(lambda *_a, n=name: seen.append((n, model.rowCount())))
    counted_on: list[bool] = []  # history_days: on the GUI thread?
    real = MoodService.history_days

    def history_days(self: MoodService, **filters: object) -> object:
        counted_on.append(threading.current_thread() is threading.main_thread())
        return real(self, **filters)  # type: ignore[arg-type]

    monkeypatch.setattr(MoodService, "history_days", history_days)
    window = import_file(qtbot, page)
    wait_for_tasks(qtbot)
    assert counted_on == [False]  # once, on the worker
    assert seen == [("reset", 2 + 2 + 6 + 6)]  # one change: 2 + 6 days, 2 + 6 check-ins
    assert sorted(e.mood for e in history.entries()) == [1, 3, 4, 5, 6, 7, 7, 9]
    assert history.count.text() == "8 check-ins on 8 days."
    tags = {history.tag.itemText(i) for i in range(history.tag.count())}
    assert "Spaziergang (activity)" in tags  # a tag the import made can be filtered on
    assert not history.list_card.isHidden()
    window.close()


def test_a_reload_meanwhile_wins_and_a_lock_meanwhile_changes_nothing(
    qtbot: QtBot, page: DiaryPage, diary: OpenDiary
) -> None:
    history = page.history
    svc = diary.service(MoodService)
    svc.create_entry(CheckIn(mood=9, at=local(2, 10), note="walk by the sea"))
    history.reload_off_thread(diary.read_snapshot())
    history.search.setText("sea")
    history.reload()  # (what the search box does after a pause in typing)
    assert [e.mood for e in history.entries()] == [9]
    wait_for_tasks(qtbot)  # the reading taken before the filter arrives, and is dropped
    assert [e.mood for e in history.entries()] == [9]
    assert "match these filters" in history.count.text()

    history.clear_filters()
    before = [e.id for e in history.entries()]
    svc.create_entry(CheckIn(mood=2, at=local(0, 6)))
    history.reload_off_thread(diary.read_snapshot())
    page.locked = True  # the diary locks before the reading comes back
    wait_for_tasks(qtbot)
    assert [e.id for e in history.entries()] == before


def test_show_earlier_days_while_the_reading_is_under_way_reads_them_all_now(
    qtbot: QtBot, page: DiaryPage, diary: OpenDiary
) -> None:
    svc = diary.service(MoodService)
    for n in range(2, 40):
        svc.create_entry(CheckIn(mood=n % 11, at=local(n, 12)))
    page.history.reload_keeping_place()
    assert len(page.history.entries()) == 30
    page.history.reload_off_thread(diary.read_snapshot())
    qtbot.mouseClick(page.history.more_button, Qt.MouseButton.LeftButton)
    wait_for_tasks(qtbot)
    assert len(page.history.entries()) == 40  # every day, none dropped by the late reading
    assert page.history.more_button.isHidden()


def test_a_failed_reading_is_done_again_on_the_gui_thread(
    qtbot: QtBot, page: DiaryPage, diary: OpenDiary, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = MoodService.history_days

    def history_days(self: MoodService, **filters: object) -> object:
        if threading.current_thread() is not threading.main_thread():
            raise OSError("the copy could not be read")
        return real(self, **filters)  # type: ignore[arg-type]

    monkeypatch.setattr(MoodService, "history_days", history_days)
    diary.service(MoodService).create_entry(CheckIn(mood=8, at=local(3, 10)))
    page.history.reload_off_thread(diary.read_snapshot())
    wait_for_tasks(qtbot)
    assert [e.mood for e in page.history.entries()] == [4, 6, 8]
    assert page.history.error.text() == ""


def test_hidden_charts_draw_nothing_until_shown_then_the_imported_period_at_once(
    qtbot: QtBot, page: DiaryPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    page.show_tab("charts")
    charts_drawn(qtbot, page)
    page.show_tab("history")
    ranges: list[tuple[date, date]] = []
    real = MoodChart.set_range

    def set_range(self: MoodChart, start: date, end: date) -> None:
        ranges.append((start, end))
        real(self, start, end)

    monkeypatch.setattr(MoodChart, "set_range", set_range)
    window = import_file(qtbot, page)
    wait_for_tasks(qtbot)
    assert ranges == []  # nothing drawn off screen (the old days over the new period)
    assert page.charts.presets.key == "all"
    assert page.charts.presets.buttons["all"].isChecked()
    window.close()
    page.show_tab("charts")
    charts_drawn(qtbot, page)
    assert ranges and all(start <= FIRST_IMPORTED for start, _end in ranges)
    assert page.charts.chart.visible_range()[0] <= FIRST_IMPORTED
    span = page.charts.chart.data_span()
    assert span is not None and span[0] == FIRST_IMPORTED


def test_showing_charts_draw_the_imported_period_once_with_the_imported_days(
    qtbot: QtBot, page: DiaryPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    page.show_tab("charts")
    charts_drawn(qtbot, page)
    ranges: list[tuple[date, date]] = []
    real = MoodChart.set_range

    def set_range(self: MoodChart, start: date, end: date) -> None:
        ranges.append((start, end))
        real(self, start, end)

    monkeypatch.setattr(MoodChart, "set_range", set_range)
    window = import_file(qtbot, page)
    charts_drawn(qtbot, page)
    # never the old days' "All" first (the period of the two check-ins of the last days)
    assert ranges and all(start <= FIRST_IMPORTED for start, _end in ranges)
    assert page.charts.presets.key == "all"
    assert page.charts.chart.visible_range()[0] <= FIRST_IMPORTED
    window.close()


def test_getting_started_records_an_import_off_screen_and_reads_its_steps_when_shown(
    qtbot: QtBot, diary: OpenDiary, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = QWidget()  # the Today page, not shown: the Diary is
    qtbot.addWidget(today)
    card = GettingStartedCard(diary, context, today)
    assert not card.isVisible()
    reads: list[int] = []
    done = card.done
    monkeypatch.setattr(card, "done", lambda: reads.append(1) or done())
    writes: list[list[str]] = []
    real = GettingStarted.put_aside_steps

    def put_aside_steps(self: GettingStarted, steps: list[str]) -> list[str]:
        writes.append(list(steps))
        return real(self, steps)

    monkeypatch.setattr(GettingStarted, "put_aside_steps", put_aside_steps)
    context.changes.announce("mood", "import")
    assert writes == [["import"]] and reads == []
    assert "import" in diary.service(GettingStarted).put_aside()
    context.changes.announce("mood", "import")  # a second import: nothing more to record
    assert writes == [["import"]]
    card.refresh()  # as Today does each time it is shown
    assert "import" not in card.open_steps()
    assert card.rows["import"].isHidden()


def test_the_homework_card_is_rebuilt_for_a_change_only_while_today_is_the_page_shown(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    from PySide6.QtWidgets import QStackedWidget

    from companion.ui.homework.today_card import HomeworkCard

    stack = QStackedWidget()  # as the main window's pages
    qtbot.addWidget(stack)
    today, diary_page = QWidget(), QWidget()
    stack.addWidget(today)
    stack.addWidget(diary_page)
    card = HomeworkCard(diary, context, today)
    stack.show()
    context.changes.announce("mood", "import")
    assert card._rebuild.isActive()  # Today shown: rebuilt on the next turn
    card._rebuild.stop()
    stack.setCurrentWidget(diary_page)
    context.changes.announce("mood", "import")
    assert not card._rebuild.isActive()  # read again when Today is shown (TodayCard.refresh)


def test_the_preview_is_shown_whole_a_turn_after_its_cells_are_made(
    qtbot: QtBot, diary: OpenDiary, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    from companion.core.mood.importing.engine import MoodImporter

    window = ImportDialog(diary.service(MoodImporter), context)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.step_finished, timeout=20_000):
        window.load_path(FILE)
    between: list[tuple[bool, bool, int]] = []
    real = ImportDialog._show_preview

    def show_preview(self: ImportDialog, plan: object) -> None:
        real(self, plan)  # type: ignore[arg-type]
        # made, not shown: no half-filled details, and nothing to import yet
        between.append((self.details.isVisible(), self.import_button.isEnabled(),
                        self.table.rowCount()))  # fmt: skip

    monkeypatch.setattr(ImportDialog, "_show_preview", show_preview)
    with qtbot.waitSignal(window.step_finished, timeout=20_000) as blocker:
        qtbot.mouseClick(window.preview_button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["preview"]
    assert between == [(False, False, 6)]
    assert window.details.isVisible() and window.table.isVisible()
    assert window.import_button.isEnabled()
    assert window.table.columnWidth(2) >= window.table.fontMetrics().horizontalAdvance(
        "Familie, Spaziergang"
    )

    # a choice changed between the two turns: the old preview is never shown
    def cleared(self: ImportDialog, plan: object) -> None:
        real(self, plan)  # type: ignore[arg-type]
        self._clear_results()

    monkeypatch.setattr(ImportDialog, "_show_preview", cleared)
    finished: list[str] = []
    window.step_finished.connect(finished.append)
    qtbot.mouseClick(window.preview_button, Qt.MouseButton.LeftButton)
    wait_for_tasks(qtbot)
    assert finished == [] and not window.details.isVisible()
    assert not window.import_button.isEnabled()
    window.close()


def test_the_import_button_makes_the_window_then_shows_it_a_turn_later(
    qtbot: QtBot, page: DiaryPage
) -> None:
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    window = page.dialog
    assert isinstance(window, ImportDialog) and not window.isVisible()
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)  # again, before it shows
    assert page.dialog is window
    qtbot.waitUntil(window.isVisible)
    window.reject()

    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    made = page.dialog
    assert isinstance(made, ImportDialog) and made is not window
    page.locked = True  # the diary locks before its turn: never shown
    qtbot.waitUntil(lambda: page._import_waiting is None)  # its turn came
    assert not made.isVisible()
    page.locked = False

    page.open_item("import")  # a link (Getting started): at once
    assert isinstance(page.dialog, ImportDialog) and page.dialog.isVisible()
    page.dialog.reject()
