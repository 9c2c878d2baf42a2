"""The Medications page's first open at a diary with history (issue 11): the past medicines,
folded away, are made after the cards rather than before the first paint, and still show when
asked for; the figures and the history are drawn with labels that measure once per width."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from companion.core import demo
from companion.core.session import OpenDiary
from companion.ui.main_window import MainWindow
from companion.ui.medications.page import MedicationsPage
from companion.ui.pages import AppContext
from companion.ui.widgets.measured import MeasuredLabel
from tests.ui.conftest import wait_for_tasks


@pytest.fixture
def window(qtbot: QtBot, diary: OpenDiary, context: AppContext) -> Iterator[MainWindow]:
    demo.fill(diary.db, 400, 7)  # current and past medicines, treatments
    w = MainWindow(diary, context)
    qtbot.addWidget(w)
    w.resize(1100, 1400)  # room for every current medicine on the first screen
    w.show()
    qtbot.waitExposed(w)
    yield w
    wait_for_tasks(qtbot)


def test_past_medicines_are_made_after_the_first_paint_and_show_when_asked(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.open_page("medications")
    page = window.page("medications")
    assert isinstance(page, MedicationsPage)
    at_first_paint: list[int] = []

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and not at_first_paint:
                at_first_paint.append(sum(1 for r in page.rows if r.info.stopped_on))
            return False

    watch = FirstPaint()
    page.installEventFilter(watch)
    qtbot.waitUntil(lambda: bool(at_first_paint))
    page.removeEventFilter(watch)
    assert page._past_count > 0  # the demo has past medicines
    assert at_first_paint == [0]
    wait_for_tasks(qtbot)
    assert not page.building
    past = [r for r in page.rows if r.info.stopped_on]
    assert len(past) == page._past_count
    assert not any(r.isVisible() for r in past)  # folded away
    page.past_toggle.click()
    assert all(r.isVisible() for r in past)
    assert page.past_toggle.text().startswith("Hide past medicines")


def test_showing_past_medicines_before_their_rows_are_made(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.open_page("medications")
    page = window.page("medications")
    assert isinstance(page, MedicationsPage)
    page.past_toggle.click()  # at once, while the page is still building
    wait_for_tasks(qtbot)
    past = [r for r in page.rows if r.info.stopped_on]
    assert len(past) == page._past_count > 0
    assert all(r.isVisible() for r in past)


def test_the_figures_and_history_measure_once_per_width(qtbot: QtBot, window: MainWindow) -> None:
    window.open_page("medications")
    page = window.page("medications")
    assert isinstance(page, MedicationsPage)
    wait_for_tasks(qtbot)
    for view in (page.adherence_view, page.history_view):
        labels = view.findChildren(QLabel)
        assert labels and all(isinstance(w, MeasuredLabel) for w in labels)
    rows = page.rows[0].findChildren(QLabel)
    assert rows and all(isinstance(w, MeasuredLabel) for w in rows)


def test_the_copy_the_figures_are_read_from_is_taken_in_a_turn_after_the_cards(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last build step's turn shows "Working out the figures…" at once; the copy of the
    diary the worker reads (2–3 ms at ten years) is taken in a later turn, not in that one."""
    import sys

    page = window.page("medications")
    assert isinstance(page, MedicationsPage)
    real_copy = page.diary.read_snapshot
    seen: list[tuple[bool, bool]] = []  # (busy shown, in the turn the cards were completed)

    def read_snapshot() -> object:
        frame, callers = sys._getframe(1), set()
        while frame is not None:
            callers.add(frame.f_code.co_name)
            frame = frame.f_back
        seen.append((page.busy.isVisibleTo(page), "_all_cards_built" in callers))
        return real_copy()

    monkeypatch.setattr(page.diary, "read_snapshot", read_snapshot)
    window.open_page("medications")
    wait_for_tasks(qtbot)
    assert seen and seen[0] == (True, False)
    assert page.overview is not None
    assert page.busy.isHidden()


def test_the_timeline_made_ahead_has_its_plot_made_a_piece_per_turn_before_it(
    qtbot: QtBot, diary: OpenDiary, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Out of sight, the timeline's plot is made a piece per turn (``PlotPieces``: its axes,
    its plot item, the widget around them) and the timeline around it in the turn after
    (the plot at once was 12-20 ms, and with the timeline more)."""
    import pyqtgraph as pg

    from companion.ui.charts.axis import PlotPieces
    from companion.ui.medications import page as page_module

    page = MedicationsPage(diary, context)
    qtbot.addWidget(page)
    turns: list[Callable[[], object]] = []
    monkeypatch.setattr(page_module, "after", lambda _owner, _ms, call: turns.append(call))
    pieces: list[str] = []
    for name in ("_make_axes", "_make_item", "_make_widget"):
        real = getattr(PlotPieces, name)
        monkeypatch.setattr(
            PlotPieces, name, lambda self, real=real, name=name: (pieces.append(name), real(self))
        )
    page._make_timeline_ahead()
    made: list[tuple[list[str], bool, bool]] = []  # each turn: pieces, plot made, timeline made
    while True:
        made.append((pieces[:], page._spare_plot is not None, page._spare_timeline is not None))
        pieces.clear()
        if not turns:
            break
        turns.pop(0)()
    assert made == [
        (["_make_axes"], False, False),
        (["_make_item"], False, False),
        (["_make_widget"], True, False),
        ([], False, True),
    ]
    timeline = page._spare_timeline
    assert timeline is not None and isinstance(timeline.chart.plot, pg.PlotWidget)
    assert timeline.chart.plot.parentWidget() is not None
