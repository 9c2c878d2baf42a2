"""Pages built ahead, hidden, while the person is still (``ui/build_ahead.py``): every page not
opened yet is built and prepared a piece per turn, input stops it at once, a lock leaves
nothing of it, and a page built ahead shows the diary as it is when it is opened."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from companion.core.safety.service import STEPS, SafetyService
from companion.core.session import OpenDiary
from companion.ui import build_ahead, teardown, timers
from companion.ui.main_window import MainWindow
from companion.ui.pages import AppContext, Page
from tests.ui.conftest import main_window_shown


@pytest.fixture
def window(
    qtbot: QtBot, diary: OpenDiary, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    monkeypatch.setattr(build_ahead, "STILL_MS", 1)
    w = main_window_shown(qtbot, diary, context)  # the tests start the build-ahead themselves
    yield w
    if not w.locking:
        w.build_ahead_pages.paused = True  # (nothing more while the window is closed)


def _move_the_mouse(window: MainWindow) -> None:
    """Input as a platform delivers it: to the window first."""
    handle = window.windowHandle()
    point = QPointF(40, 40)
    event = QMouseEvent(
        QEvent.Type.MouseMove,
        point,
        point,
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(handle, event)


def _texts(page: Page) -> list[str]:
    return [label.text() for label in page.findChildren(QLabel)]


def test_while_the_person_is_still_every_page_not_opened_is_built_hidden_and_prepared(
    qtbot: QtBot, window: MainWindow
) -> None:
    ahead = window.build_ahead_pages
    ahead.start()
    qtbot.waitUntil(lambda: ahead.finished, timeout=30_000)
    assert set(window._built) == set(window.page_ids)
    others = [page_id for page_id in window.page_ids if page_id != "today"]
    assert all(window.is_ahead(page_id) for page_id in others)
    sizes = {}
    for page_id in others:
        page = window._built[page_id]
        assert not page.isVisible() and not page.building
        assert window.scroller(page_id).size() == window.stack.currentWidget().size()
        sizes[page_id] = page.size()
    assert window.current_page() is window._built["today"]  # nothing changed on screen
    # its first open shows it as built: no second build of everything
    safety = window._built["safety"]
    refreshed: list[int] = []
    safety.refresh = lambda: refreshed.append(1)  # type: ignore[method-assign]
    window.open_page("safety")
    assert window.current_page() is safety and safety.isVisible()
    assert refreshed == [] and not window.is_ahead("safety")
    window.open_page("today")
    window.open_page("safety")  # shown again with nothing changed: shown as it is
    assert refreshed == []
    plan = window.diary.service(SafetyService)
    plan.add_item(STEPS[0].key, "A walk round the block")  # (another window, say)
    window.open_page("today")
    window.open_page("safety")  # shown again after a change: it refreshes
    assert refreshed == [1]
    # each was laid out at the size it is shown at
    for page_id in others:
        window.open_page(page_id)
        QApplication.sendPostedEvents()
        assert window._built[page_id].size() == sizes[page_id], page_id


def test_input_stops_it_at_once_and_it_goes_on_when_the_person_is_still_again(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    ahead = window.build_ahead_pages
    ahead.start()
    qtbot.waitUntil(lambda: len(window._built) >= 2, timeout=10_000)
    monkeypatch.setattr(ahead._resume, "interval", lambda: 60_000)
    ahead._resume.setInterval(60_000)  # still again only much later
    _move_the_mouse(window)
    assert ahead.paused and ahead._resume.isActive()
    built = set(window._built)
    qtbot.waitUntil(lambda: timers.running() == 0 and not ahead._next, timeout=10_000)
    assert set(window._built) == built and not ahead.finished
    ahead._resume.setInterval(1)
    ahead._resume.start()  # the person is still again
    qtbot.waitUntil(lambda: ahead.finished, timeout=30_000)
    assert set(window._built) == set(window.page_ids)


@pytest.mark.parametrize("when", ["built", "its steps", "laid out", "painted unseen"])
def test_a_lock_while_pages_are_built_ahead_leaves_nothing_of_them(
    qtbot: QtBot, window: MainWindow, when: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ahead = window.build_ahead_pages
    turn = build_ahead.BuildAhead._turn
    locked: list[str] = []
    pages: list[Page] = []

    def then_lock(self: build_ahead.BuildAhead) -> None:
        turn(self)
        if self.doing == f"safety: {when}" and not locked:
            locked.append(self.doing)
            pages.extend(window._built.values())
            window.lock()  # (as a person's Ctrl+L would, between two turns of it)

    monkeypatch.setattr(build_ahead.BuildAhead, "_turn", then_lock)
    ahead.start()
    qtbot.waitUntil(lambda: bool(locked), timeout=30_000)
    assert {"today", "safety"} <= {page.page_id for page in pages}
    assert window.locking and window._built == {} and not window._ahead
    qtbot.waitUntil(lambda: teardown.running() == 0, timeout=10_000)
    qtbot.waitUntil(lambda: not any(shiboken6.isValid(page) for page in pages), timeout=10_000)
    qtbot.waitUntil(lambda: timers.running() == 0)
    assert ahead.doing == f"safety: {when}" and not ahead.finished  # it did nothing more


def test_a_change_between_building_ahead_and_opening_is_shown(
    qtbot: QtBot, window: MainWindow, diary: OpenDiary
) -> None:
    ahead = window.build_ahead_pages
    ahead.finish_now()
    safety = window._built["safety"]
    assert window.is_ahead("safety")
    diary.service(SafetyService).add_item("warning_signs", "Not sleeping for two nights")
    window.changes.announce("safety")  # as ``Operations`` do after a change
    window.open_page("safety")
    qtbot.waitUntil(lambda: not safety.building)
    assert "Not sleeping for two nights" in _texts(safety)


def test_a_change_a_page_does_not_show_leaves_it_as_built(qtbot: QtBot, window: MainWindow) -> None:
    """Safety listens to the plan's changes only: a check-in elsewhere does not concern it.
    Settings listens to none: any change refreshes it when it is first opened."""
    window.build_ahead_pages.finish_now()
    calls: list[str] = []
    for page_id in ("safety", "settings"):
        page = window._built[page_id]
        page.refresh = lambda p=page_id: calls.append(p)  # type: ignore[method-assign]
    window.changes.announce("mood", "entries")
    window.open_page("safety")
    window.open_page("settings")
    assert calls == ["settings"]


def test_a_new_day_refreshes_a_page_built_the_day_before(qtbot: QtBot, window: MainWindow) -> None:
    window.build_ahead_pages.finish_now()
    page = window._built["checkups"]
    calls: list[int] = []
    page.refresh = lambda: calls.append(1)  # type: ignore[method-assign]
    window._ahead["checkups"].day = window._ahead["checkups"].day.replace(year=2000)
    window.open_page("checkups")
    assert calls == [1]


def test_a_page_opened_while_it_is_built_ahead_is_shown_as_any_page(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    ahead = window.build_ahead_pages
    turn = build_ahead.BuildAhead._turn
    opened: list[bool] = []

    def then_open(self: build_ahead.BuildAhead) -> None:
        turn(self)
        if self.doing == "learn: its steps" and not opened:
            learn = window._built["learn"]
            opened.append(learn.building)
            window.open_page("learn")  # (a click between two turns of it)
            # its first screen whole as it is shown (what it still had to build, at once)
            opened.append(window.current_page() is learn and not learn.building)

    monkeypatch.setattr(build_ahead.BuildAhead, "_turn", then_open)
    ahead.start()
    qtbot.waitUntil(lambda: ahead.finished, timeout=30_000)
    assert opened == [True, True]
    learn = window._built["learn"]
    assert window.current_page() is learn and learn.isVisible()
    assert not any(window.is_ahead(p) for p in ("today", "learn"))


def test_a_restored_backup_refreshes_a_page_built_ahead_when_it_is_first_shown(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.build_ahead_pages.finish_now()
    calls: list[str] = []
    for page_id in ("today", "learn"):
        page = window._built[page_id]
        page.refresh = lambda p=page_id: calls.append(p)  # type: ignore[method-assign]
    window.context.signals.diary_replaced.emit()
    assert calls == ["today"]  # on screen: now; built ahead: not twice, and not yet
    window.open_page("learn")
    assert calls == ["today", "learn"]


def test_the_labels_measured_last_leave_the_page_s_layout_to_a_piece_of_its_own(
    qtbot: QtBot,
) -> None:
    """The last labels measured end their piece: the page's layout (``lay_out_hidden``) is not
    added to a turn that has spent its budget measuring."""
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    page = QWidget()
    qtbot.addWidget(page)
    layout = QVBoxLayout(page)
    for n in range(3):
        layout.addWidget(QLabel(f"label {n}"))
    assert len(list(build_ahead.measure_labels(page))) == 1  # (well within the budget)
    empty = QWidget()
    qtbot.addWidget(empty)
    assert list(build_ahead.measure_labels(empty)) == []  # (nothing measured: no piece)


def test_the_diary_built_ahead_makes_its_check_ins_tab_in_two_steps_of_its_own(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Built ahead, the Diary's constructor leaves its check-ins tab to three build steps, one
    per turn (``budget_ms=0``): the check-in card, the list, then the tab put in place (all
    in the constructor, its piece was 20-30 ms); anything that needs the tab before makes it
    at once."""
    from companion.ui.mood.page import DiaryPage
    from companion.ui.pages import building_ahead

    made: list[list[object]] = []
    real = DiaryPage.build_in_steps

    def build_in_steps(page: DiaryPage, steps: list[object], *args: object, **kw: object) -> None:
        if kw.get("budget_ms") == 0:
            made.append(list(steps))
        real(page, steps, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(DiaryPage, "build_in_steps", build_in_steps)
    page = window.build_ahead("mood")
    assert isinstance(page, DiaryPage) and page.building
    assert 0 not in page._built and not hasattr(page, "_form")
    [(card, history, tab)] = made
    card()  # type: ignore[operator]
    assert hasattr(page, "_form") and not hasattr(page, "_history") and 0 not in page._built
    history()  # type: ignore[operator]
    assert hasattr(page, "_history") and 0 not in page._built
    tab()  # type: ignore[operator]
    assert 0 in page._built and page.history.isVisibleTo(page)
    # a page asked for its list before its steps made it: made then
    with building_ahead():
        other = DiaryPage(window.diary, window.context)
    assert 0 not in other._built
    assert other.history is other._history and 0 in other._built
    other.deleteLater()
