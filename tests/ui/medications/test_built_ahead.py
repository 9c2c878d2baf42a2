"""The Medications page built ahead while the person is still (``ui/build_ahead.py``, issue 11):
it is built whole out of sight (every card, the figures read and drawn, the timeline), so its
first open makes nothing; it shows only what is in sight as it is first shown, the cards below
(each of the history's blocks apart) once it is painted, a turn each, in the room kept for them;
a change it does not listen to (a check-in) is read once it is painted, not as it is shown."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from companion.core import demo
from companion.core.safety.service import STEPS, SafetyService
from companion.core.session import OpenDiary
from companion.ui.main_window import MainWindow
from companion.ui.medications.page import MedicationsPage
from companion.ui.pages import AppContext
from tests.ui.conftest import wait_for_tasks
from tests.ui.medications.ahead import medications_built_ahead


@pytest.fixture
def window(
    qtbot: QtBot, diary: OpenDiary, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    demo.fill(diary.db, 200, 7)  # current and past medicines, doses due today, treatments
    yield from medications_built_ahead(qtbot, diary, context, monkeypatch)


def _built_ahead(qtbot: QtBot, window: MainWindow) -> MedicationsPage:
    ahead = window.build_ahead_pages
    ahead.start()
    qtbot.waitUntil(lambda: ahead.finished, timeout=30_000)
    page = window.page("medications")
    assert isinstance(page, MedicationsPage)
    assert window.is_ahead("medications") and not page.isVisible()
    return page


class _FirstPaint(QObject):
    """Calls ``seen()`` as ``widget`` is first painted."""

    def __init__(self, widget: QWidget, seen: object) -> None:
        super().__init__()
        self.seen = seen
        self.done = False
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.done:
            self.done = True
            self.seen()  # type: ignore[operator]
        return False


def test_built_ahead_it_is_whole_and_its_first_open_makes_nothing(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = _built_ahead(qtbot, window)
    assert not page.building
    assert page.overview is not None and page.timeline is not None
    assert page.adherence_view.blocks and page.history_view.blocks
    made = set(page.findChildren(QWidget))
    drawn: list[int] = []
    page._draw = lambda loaded: drawn.append(1)  # type: ignore[method-assign,assignment]
    page._load_overview = lambda: drawn.append(2)  # type: ignore[method-assign]

    window.open_page("medications")
    wait_for_tasks(qtbot)
    qtbot.waitUntil(lambda: not page._held_back)
    assert drawn == []  # nothing read or drawn again
    assert set(page.findChildren(QWidget)) == made  # nor made
    for card in (page.adherence_card, page.timeline_card, page.history_card):
        assert card.isVisible()
    assert all(block.isVisible() for block in page.history_view.blocks)
    assert page.timeline.isVisible()


def test_its_first_show_shows_what_is_in_sight_and_the_rest_once_painted_in_place(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = _built_ahead(qtbot, window)
    held = list(page._held_back)
    assert page.history_card in held and page.history_view.blocks[0] in held
    shown_per_call: list[int] = []
    show = page._show_held_back

    def counted(widgets: list[QWidget] | None = None) -> None:
        shown_per_call.append(-1 if widgets is None else len(widgets))
        show(widgets)

    page._show_held_back = counted  # type: ignore[method-assign]
    at_paint: dict[QWidget, tuple[bool, int, int]] = {}
    heights: list[int] = []

    list_card_height: list[int] = []

    def painted() -> None:
        heights.append(page.height())
        list_card_height.append(page.list_card.height())
        for widget in held:
            y = widget.mapTo(page, QPoint(0, 0)).y()
            at_paint[widget] = (widget.isVisible(), y, widget.height())

    watch = _FirstPaint(page, painted)
    window.open_page("medications")
    qtbot.waitUntil(lambda: watch.done)
    room = page.parentWidget()
    assert room is not None
    in_sight = {w for w, (_v, y, h) in at_paint.items() if y < room.height() and y + h > 0}
    assert {w for w, (visible, _y, _h) in at_paint.items() if visible} == in_sight
    assert len(in_sight) < len(held)  # (the history and the cards below it are not in sight)

    qtbot.waitUntil(lambda: not page._held_back)
    wait_for_tasks(qtbot)
    assert all(widget.isVisible() for widget in held)
    # each card where its room was kept, the page as tall as at its first paint: nothing
    # moved (the page laid out unseen a few pixels taller gave them to the medicines' card,
    # whose rows moved up once shown)
    cards = [widget for widget in held if widget.parentWidget() is page]
    assert page.list_card not in cards and len(cards) == 5
    for widget in [*cards, page.list_card]:
        if widget in at_paint:
            _visible, y, height = at_paint[widget]
            assert (widget.mapTo(page, QPoint(0, 0)).y(), widget.height()) == (y, height)
    assert page.list_card.height() == list_card_height[0]
    assert page.height() == heights[0]
    # after the paint, one a turn (what is in sight, in one call as it is shown)
    after_paint = shown_per_call[1:] if in_sight else shown_per_call
    assert after_paint == [1] * (len(held) - len(in_sight))


def test_a_change_it_does_not_listen_to_is_read_once_it_is_painted(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = _built_ahead(qtbot, window)
    window.diary.service(SafetyService).add_item(STEPS[0].key, "Call my sister")
    window.changes.announce("mood", "entries")  # (a check-in, as far as this page cares)
    assert page.reads_now() != page._reads
    refreshed: list[bool] = []
    refresh = page.refresh

    def counted() -> None:
        refreshed.append(watch.done)  # (whether the page had been painted)
        refresh()

    page.refresh = counted  # type: ignore[method-assign]
    watch = _FirstPaint(page, lambda: None)
    window.open_page("medications")
    assert refreshed == []  # not in the turn that shows it
    wait_for_tasks(qtbot)
    qtbot.waitUntil(lambda: bool(refreshed) and not page.building)
    wait_for_tasks(qtbot)
    assert refreshed == [True]
    assert page._reads == page.reads_now()  # read again: the figures are of the diary now
    assert page.busy.isHidden()


def test_the_figures_are_read_again_once_the_cards_held_back_are_shown(
    qtbot: QtBot, window: MainWindow
) -> None:
    """A change it does not listen to is read on a worker after the first paint, but not
    while the cards held back are still being shown a turn each: each of those turns would
    wait for Python's lock while the worker reads (16-29 ms gaps in the first open)."""
    page = _built_ahead(qtbot, window)
    window.diary.service(SafetyService).add_item(STEPS[0].key, "Call my sister")
    window.changes.announce("mood", "entries")  # (a check-in, as far as this page cares)
    events: list[str] = []
    show, read = page._show_held_back, page._read_overview

    def shown(widgets: list[QWidget] | None = None) -> None:
        events.append("show")
        show(widgets)

    def reading() -> None:
        events.append("read")
        read()

    held_back_shown = page._held_back_shown

    def all_shown() -> None:
        # the read waiting meanwhile counts as building (tests and links wait for it)
        events.append(f"all shown, building: {page.building}")
        held_back_shown()

    page._show_held_back = shown  # type: ignore[method-assign]
    page._read_overview = reading  # type: ignore[method-assign]
    page._held_back_shown = all_shown  # type: ignore[method-assign]
    window.open_page("medications")
    qtbot.waitUntil(lambda: "read" in events and not page.building)
    wait_for_tasks(qtbot)
    assert events.count("show") >= 2  # (a card a turn)
    assert events[-2:] == ["all shown, building: True", "read"]
    assert events[-1] == "read" and events.count("read") == 1
    assert not page._held_back
    assert page._reads == page.reads_now() and page.busy.isHidden()


def test_opened_while_it_is_built_ahead_it_is_finished_and_shown_whole(
    qtbot: QtBot, window: MainWindow
) -> None:
    ahead = window.build_ahead_pages
    ahead.start()
    qtbot.waitUntil(lambda: window.built_page("medications") is not None)
    page = window.built_page("medications")
    assert isinstance(page, MedicationsPage)
    qtbot.waitUntil(lambda: page._whole_ahead, timeout=10_000)  # (the rest being made)
    assert page.building and page.timeline is None
    window.open_page("medications")
    wait_for_tasks(qtbot)
    qtbot.waitUntil(lambda: not page.building)
    wait_for_tasks(qtbot)
    assert not page._held_back
    assert page.timeline is not None and page.timeline.isVisible()
    assert all(block.isVisible() for block in page.history_view.blocks)


def test_its_timeline_chart_is_as_tall_as_on_a_page_built_ahead_before(
    qtbot: QtBot, window: MainWindow
) -> None:
    """The timeline's chart at its least height, as when the timeline was placed in the
    page on screen after its first paint (made out of sight, it asked for the height of a
    widget never laid out: 227 px more)."""
    page = _built_ahead(qtbot, window)
    window.open_page("medications")
    wait_for_tasks(qtbot)
    qtbot.waitUntil(lambda: not page._held_back)
    wait_for_tasks(qtbot)
    assert page.timeline is not None
    chart = page.timeline.chart
    assert chart.isVisible() and chart.height() == chart.minimumHeight()


def test_out_of_sight_each_block_is_measured_in_its_step_after_the_chart_is_made(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Out of sight, each block of figures and of the history is measured, at the width it
    will have, in the step that draws it (left to the page's layout unseen, the whole page's
    labels at once, that was a turn of 15-35 ms), and the rest of the page is begun once
    the timeline's chart is made (its making fills a turn: a step with it made a 20 ms one)."""
    from companion.ui.charts import warm
    from companion.ui.medications.figures import AdherenceView, HistoryView
    from companion.ui.widgets.common import MeasuredLabel

    warm.import_here()
    unmeasured: list[str] = []

    def measured_in_step(cls: type, name: str) -> None:
        real = getattr(cls, name)

        def step(view: QWidget, *args: object) -> None:
            before = set(view.findChildren(MeasuredLabel))
            real(view, *args)
            made = set(view.findChildren(MeasuredLabel)) - before
            unmeasured.extend(label.text() for label in made if not label._heights)

        monkeypatch.setattr(cls, name, step)

    measured_in_step(AdherenceView, "_add_block")
    measured_in_step(HistoryView, "_add")
    started: list[bool] = []
    real_start = MedicationsPage._start_building

    def start(page: MedicationsPage, *, out_of_sight: bool = False) -> None:
        if out_of_sight:
            started.append(page._spare_timeline is not None or page.timeline is not None)
        real_start(page, out_of_sight=out_of_sight)

    monkeypatch.setattr(MedicationsPage, "_start_building", start)
    page = _built_ahead(qtbot, window)
    assert started == [True]
    assert page.history_view.blocks and page.adherence_view.blocks
    assert unmeasured == []
