"""Patterns & insights opened on a diary with a year of check-ins (issue 11): its two charts
are made a turn each and the period is read on a worker only once they are (Python runs one
thread at a time: a chart made while the worker read took twice as long to make); the
comparisons' rows are measured in the step that makes them; and it all still shows."""

from __future__ import annotations

from datetime import datetime, timedelta

from pytestqt.qtbot import QtBot

from companion.core.mood.service import CheckIn, MoodService
from companion.core.session import OpenDiary
from companion.ui.mood import insights_tab
from companion.ui.mood.insights_tab import InsightRow, InsightsView
from companion.ui.pages import AppContext
from companion.ui.widgets.measured import MeasuredLabel
from tests.ui.conftest import wait_for_tasks
from tests.ui.mood.scrolled import diary_page_in_scroller, tab_opened_in_scroller


def _year(diary: OpenDiary) -> None:
    service = MoodService(diary.db)
    noon = datetime.now().replace(hour=12, minute=0, second=0, microsecond=0)
    for n in range(1, 120):
        service.create_entry(CheckIn(mood=3 + (n % 7 == 0) * 5, at=noon - timedelta(days=n)))


def test_the_period_is_read_once_the_charts_are_made(
    qtbot: QtBot, diary: OpenDiary, monkeypatch
) -> None:
    _year(diary)
    order: list[str] = []
    original = insights_tab.run_task

    def recording(*args: object, **kwargs: object) -> object:
        order.append(
            f"read with charts: {view._weekday is not None and view._time_of_day is not None}"
        )
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(insights_tab, "run_task", recording)
    view = InsightsView(diary)
    qtbot.addWidget(view)
    view.resize(1000, 800)
    view.show()
    view.refresh()  # as the Diary does, the turn after the tab is made
    assert view.busy.isVisible()  # "Looking for patterns…" at once
    assert order == []  # not read yet: the charts come first
    wait_for_tasks(qtbot)
    assert order == ["read with charts: True"]
    assert view.overview is not None
    assert not view.busy.isVisible()
    assert view.weekday.buckets and view.time_of_day.buckets
    view.refresh()  # a later refresh (another period) reads at once
    assert len(order) == 2
    wait_for_tasks(qtbot)


def test_a_refresh_while_waiting_for_the_charts_reads_once(
    qtbot: QtBot, diary: OpenDiary, monkeypatch
) -> None:
    _year(diary)
    reads: list[int] = []
    original = insights_tab.run_task

    def counting(*args: object, **kwargs: object) -> object:
        reads.append(1)
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(insights_tab, "run_task", counting)
    view = InsightsView(diary)
    qtbot.addWidget(view)
    view.show()
    view.refresh()
    view.presets.select("all")  # another period before the charts are made
    wait_for_tasks(qtbot)
    assert len(reads) == 1  # only the newest period is read
    assert view.presets.key == "all"


def test_rows_are_measured_labels(qtbot: QtBot, diary: OpenDiary) -> None:
    _year(diary)
    view = InsightsView(diary)
    qtbot.addWidget(view)
    view.resize(1000, 800)
    view.show()
    view.refresh()
    wait_for_tasks(qtbot)
    rows = view.findChildren(InsightRow)
    assert view.overview is not None
    if rows:  # the comparisons that stand out clearly
        assert all(
            isinstance(w, MeasuredLabel) for r in rows for w in r.findChildren(MeasuredLabel)
        )
    assert all(r.isVisible() for r in rows)  # made hidden, then shown together
    assert isinstance(view.weekday.summary, MeasuredLabel)
    assert "Monday" in view.weekday.summary.text() or "Mon" in view.weekday.summary.text()


def test_the_rows_appear_together_after_they_are_all_made(
    qtbot: QtBot, diary: OpenDiary, monkeypatch
) -> None:
    """Made one a turn, hidden; shown in one step, so what is below them moves once."""
    service = MoodService(diary.db)
    noon = datetime.now().replace(hour=12, minute=0, second=0, microsecond=0)
    for n in range(1, 80):  # walks and time outdoors on the better days: clear comparisons
        good = n % 2 == 0
        service.create_entry(
            CheckIn(
                mood=7 + n % 2 if good else 3 - n % 3,
                exercise_minutes=40 if good else 0,
                outdoors_minutes=60 if good else 5,
                sleep_hours=8 if good else 5,
                at=noon - timedelta(days=n),
            )
        )
    held: list[list[object]] = []
    view = InsightsView(diary)
    qtbot.addWidget(view)
    view.resize(1000, 800)
    view.show()
    view.refresh()
    wait_for_tasks(qtbot)
    assert view.overview is not None
    monkeypatch.setattr(insights_tab, "in_steps", lambda _o, steps, **_k: held.append(steps))
    view.show_overview(view.overview)
    (steps,) = held
    made = []
    for run in steps:
        rows = view.findChildren(InsightRow)
        made.append((len(rows), sum(r.isVisible() for r in rows)))
        run()  # type: ignore[operator]
    rows = view.findChildren(InsightRow)
    assert all(r.isVisible() for r in rows)
    clear = [i for i in view.overview.insights if i.clear]
    assert clear  # (the year above has comparisons that stand out)
    # before the showing step: every row made so far is hidden
    assert made[: len(clear) + 1] == [(n, 0) for n in range(len(clear) + 1)]


def test_opened_in_the_diary_the_page_keeps_its_width_while_the_tab_is_drawn(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    """The Patterns tab keeps the room of its two charts until they are made, and the tab's
    place is as tall as the tab before until it is made: the page's scroll bar never goes
    and comes back (each time every part of the tab was laid out again at another width)."""

    _year(diary)
    scroller, page = diary_page_in_scroller(qtbot, diary, context)
    hidden = tab_opened_in_scroller(qtbot, scroller, page, 2)  # Patterns & insights
    bar = scroller.verticalScrollBar()
    view = page.insights
    assert view.overview is not None and view.weekday.buckets
    assert view.weekday.isVisible() and view.time_of_day.isVisible()
    assert hidden.count == 0 and bar.isVisible()
    bar.removeEventFilter(hidden)


def test_each_charts_plot_is_made_a_turn_before_it_and_never_seen_alone(
    qtbot: QtBot, diary: OpenDiary, monkeypatch
) -> None:
    """A pattern chart's plot (most of its making) is made in turns of its own, hidden and
    held by the tab (never a window of its own), then shown inside its chart."""
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication

    from companion.ui.charts.axis import PlotPieces

    _year(diary)
    made: list[pg.PlotWidget] = []
    real = PlotPieces._make_widget

    def make_widget(self: PlotPieces) -> None:
        real(self)
        assert self.plot is not None
        made.append(self.plot)

    monkeypatch.setattr(PlotPieces, "_make_widget", make_widget)
    view = InsightsView(diary)
    qtbot.addWidget(view)
    view.resize(1000, 800)
    view.show()
    seen: list[tuple[bool, bool]] = []
    real_chart = insights_tab.PatternChart

    def chart(*args: object, **kwargs: object) -> object:
        plot = kwargs.get("plot")
        assert isinstance(plot, pg.PlotWidget)
        seen.append((plot.isWindow(), plot.isVisible()))
        return real_chart(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(insights_tab, "PatternChart", chart)
    view.refresh()
    wait_for_tasks(qtbot)
    assert len(made) == 2 and seen == [(False, False), (False, False)]
    assert made == [view.weekday.plot, view.time_of_day.plot]
    assert view.weekday.plot.isVisible() and view.time_of_day.plot.isVisible()
    assert not any(isinstance(w, pg.PlotWidget) for w in QApplication.topLevelWidgets())
    assert view._plots == []


def test_both_plots_are_made_before_either_chart_and_never_resized_after(
    qtbot: QtBot, diary: OpenDiary, monkeypatch
) -> None:
    """The two plots are made a turn each before either chart is shown (the second plot's
    making and the first chart's first paint in one turn held the window 14-18 ms); each plot
    keeps the height it is made at, so the rows shown and each chart's summary do not resize
    and repaint both plots in their turns (each plot's size hint was the size it last had:
    it settled at its greatest height anyway)."""
    from PySide6.QtCore import QEvent, QObject

    from companion.ui.charts.patterns import PLOT_HEIGHT

    _year(diary)
    order: list[str] = []
    from companion.ui.charts.axis import PlotPieces

    real_make = PlotPieces._make_widget

    def make_plot(self: PlotPieces) -> None:
        order.append("plot")
        real_make(self)

    real_chart = insights_tab.PatternChart

    def chart(*args: object, **kwargs: object) -> object:
        order.append("chart")
        return real_chart(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(PlotPieces, "_make_widget", make_plot)
    monkeypatch.setattr(insights_tab, "PatternChart", chart)
    resized: list[tuple[int, int]] = []

    class Resizes(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Resize:
                resized.append((id(watched), event.size().height()))  # type: ignore[attr-defined]
            return False

    view = InsightsView(diary)
    qtbot.addWidget(view)
    view.resize(1000, 800)
    view.show()
    view.refresh()
    watcher = Resizes()
    qtbot.waitUntil(lambda: view._time_of_day is not None)
    for plot in (view.weekday.plot, view.time_of_day.plot):
        plot.installEventFilter(watcher)
    wait_for_tasks(qtbot)
    assert order == ["plot", "plot", "chart", "chart"]
    assert view.overview is not None and view.weekday.buckets
    assert view.weekday.plot.height() == view.time_of_day.plot.height() == PLOT_HEIGHT
    # (at most its first layout, once in its chart)
    assert all(height == PLOT_HEIGHT for _plot, height in resized), resized


def test_each_plot_is_made_a_piece_a_turn(qtbot: QtBot, diary: OpenDiary, monkeypatch) -> None:
    """Each pattern chart's plot is made in three turns of the event loop (its axes, its plot
    item, the widget around them), not in one: the plot made at once was a 12-15 ms turn of
    the tab's first open, twice. What it makes is the plot ``plot_widget`` makes."""
    import itertools

    from companion.ui.charts.axis import QuietAxis
    from tests.ui.mood.plot_pieces import PIECES, PieceTurns

    _year(diary)
    turns = PieceTurns(monkeypatch)
    view = InsightsView(diary)
    qtbot.addWidget(view)
    view.resize(1000, 800)
    view.show()
    turns.start()
    view.refresh()
    wait_for_tasks(qtbot)
    turns.stop()
    assert turns.names == [*PIECES, *PIECES]
    # each piece in a turn of its own (another timer ran between them)
    assert all(a[1] < b[1] for a, b in itertools.pairwise(turns.pieces))
    for chart in (view.weekday, view.time_of_day):
        item = chart.plot.getPlotItem()
        assert isinstance(item.getAxis("bottom"), QuietAxis)
        assert isinstance(item.getAxis("left"), QuietAxis)
        assert not item.getAxis("top").isVisible() and not item.getAxis("right").isVisible()
        assert not item.menuEnabled()
        assert chart.plot.isVisible()


def test_a_pattern_charts_left_axis_is_as_wide_from_its_first_paint_as_after(
    qtbot: QtBot,
) -> None:
    """The left axis is told how wide its words are (0, 5, 10) before its first paint, as
    pyqtgraph measures them then: it no longer narrows after that paint (from the 30 px
    pyqtgraph keeps to the 15 they take), which moved the bars a frame after they were
    drawn and laid out and painted each chart in full again."""
    from companion.ui.charts.patterns import PatternChart

    chart = PatternChart("Average mood by weekday", summary_below=True)
    qtbot.addWidget(chart)
    axis = chart.item.getAxis("left")
    before = axis.maximumWidth()  # the width it is laid out at
    assert before < 30  # (not the room pyqtgraph keeps before it measures its words)
    chart.resize(700, 300)
    chart.show()
    qtbot.waitExposed(chart)
    assert axis.width() == before
    chart.plot.viewport().repaint()  # its first paint: pyqtgraph measures its words
    qtbot.wait(20)
    assert axis.width() == axis.maximumWidth() == before  # as wide as before it


def test_the_bar_labels_are_made_ahead_hidden_and_given_their_words_with_the_bars(
    qtbot: QtBot, diary: OpenDiary, monkeypatch
) -> None:
    """Each chart's bar labels are made, hidden, in a step of their own before the period is
    read; the steps that draw the bars only give them their words and show them (making them
    there was most of the weekday's 15-17 ms turn)."""
    import pyqtgraph as pg

    _year(diary)
    made: list[str] = []
    real = pg.TextItem

    class Counted(real):  # type: ignore[misc, valid-type]
        def __init__(self, *args: object, **kwargs: object) -> None:
            made.append(str(args[0]) if args else "")
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(pg, "TextItem", Counted)
    view = InsightsView(diary)
    qtbot.addWidget(view)
    view.resize(1000, 800)
    view.show()
    read_with: list[int] = []
    original = insights_tab.run_task

    def recording(*args: object, **kwargs: object) -> object:
        read_with.append(len(made))
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(insights_tab, "run_task", recording)
    view.refresh()
    wait_for_tasks(qtbot)
    assert read_with == [7 + 4] and made == [""] * 11  # all made, empty, before the reading
    for chart in (view.weekday, view.time_of_day):
        shown = [t for t in chart.labels if t.isVisible()]
        assert shown == chart.labels and chart.labels  # given their words and shown
        means = [b.mean for b in chart.buckets if b.mean is not None]
        assert [t.textItem.toPlainText() for t in chart.labels] == [f"{m:.1f}" for m in means]
        assert all(t.anchor == pg.Point(0.5, 1.0) for t in chart.labels)
    assert len(made) == 11  # none made with the bars
