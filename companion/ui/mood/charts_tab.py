"""The Charts tab: mood/anxiety/energy, sleep and a calendar, for a chosen period.

The first draw is what a person looks at, and nothing more: the mood chart alone, with the days
of the period it opens on (one small SQL read). Everything else comes in later turns of the
event loop: the sleep chart and the calendar are built once the mood chart has been painted, and
the whole series, every day's marks and every day's summary (sleep and the calendar need every
check-in) are read on a private copy of the diary (``OpenDiary.read_snapshot``) off the GUI
thread, then drawn one part per turn.

After a check-in, an edit or a delete (:meth:`ChartsView.update_changed`), only the days that
changed are read again (``MoodService.day_marks`` tells which) and redrawn in place; a change of
many days (an import) reloads everything.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QVBoxLayout, QWidget

from companion.core.mood.service import DailyPoint, MoodService
from companion.core.mood.stats import (
    ROLLING_WINDOW_DAYS,
    DayRecord,
    SleepPoint,
    calendar_heatmap,
    sleep_series,
    summarise_days,
)
from companion.core.session import OpenDiary
from companion.i18n import _
from companion.ui import timers
from companion.ui.build_ahead import paint_unseen
from companion.ui.charts.api import METRIC_LABELS, ChartItems, MoodChart, chart_items
from companion.ui.charts.axis import PlotPieces, date_axis, plot_widget
from companion.ui.charts.heatmap import CalendarHeatmap
from companion.ui.charts.presets import RangePresets, preset_range
from companion.ui.charts.sleep import SleepChart
from companion.ui.pages import in_locked_page
from companion.ui.tasks import run_task
from companion.ui.timers import in_steps
from companion.ui.widgets.common import BusyRow, Card, StatusLabel, label

#: the calendar shows at most the last year of the period (53 weeks fit a page width)
HEATMAP_DAYS = 364
#: more changed days than this (an import) and the charts reload everything
INCREMENTAL_DAYS = 31
#: the mood chart's height on the tab (its place is kept this size before it is made)
CHART_MIN_HEIGHT = 320
CHART_MAX_HEIGHT = 380
#: the room kept for the sleep and calendar cards until they are drawn (a little more than their
#: height at the default text size, 266 and 269 px: the tab is as tall from its first paint as
#: when it is done, or a little taller, so nothing above them moves or shrinks as they come)
SLEEP_ROOM = 280
CALENDAR_ROOM = 300

#: the ratings the mood chart draws (and all the tab reads of them)
CHART_RATINGS = ("mood", "anxiety", "energy")


@dataclass(frozen=True)
class _Changes:
    """What a change did to the days the charts draw, read from a copy of the diary."""

    marks: dict[date, tuple[object, ...]]  # ``MoodService.day_marks`` now
    changed: frozenset[date]  # the days whose marks differ from the ones drawn
    daily: dict[str, list[DailyPoint]] | None = None  # their points (None: too many days)
    fresh: list[DayRecord] | None = None  # and their summaries


def _day_of(record: DayRecord) -> date:
    return record.day


def with_days_replaced(
    days: list[DayRecord], changed: Iterable[date], fresh: Iterable[DayRecord]
) -> list[DayRecord]:
    """``days`` (in day order) with the records of the days ``changed`` replaced by
    ``fresh``, in day order: each day found and put in its place, not ten years' records
    filtered and sorted again (1.2 ms in the turn a check-in's day comes back with the
    charts showing)."""
    result = list(days)
    for day in changed:
        at = bisect.bisect_left(result, day, key=_day_of)
        while at < len(result) and result[at].day == day:
            del result[at]
    for record in sorted(fresh, key=_day_of):
        bisect.insort(result, record, key=_day_of)
    return result


def _sleep_on(days: list[DayRecord], changed: Iterable[date]) -> list[SleepPoint]:
    """The sleep points of the days ``changed`` in ``days`` (in day order: each day found
    by bisection, not ten years' records looked through)."""
    found: list[DayRecord] = []
    for day in sorted(changed):
        at = bisect.bisect_left(days, day, key=_day_of)
        while at < len(days) and days[at].day == day:
            found.append(days[at])
            at += 1
    return sleep_series(found)


def _read_changes(service: MoodService, old: dict[date, tuple[object, ...]]) -> _Changes:
    """On a worker: the days that changed since ``old`` and, when few, what they hold now."""
    marks = service.day_marks()
    changed = frozenset(d for d in marks.keys() | old.keys() if marks.get(d) != old.get(d))
    if not changed or len(changed) > INCREMENTAL_DAYS:
        return _Changes(marks, changed)
    first, last = min(changed), max(changed)
    entries = [e for e in service.entries(start=first, end=last) if e.local_date in changed]
    return _Changes(
        marks,
        changed,
        service.daily_aggregates_all(days=changed, ratings=CHART_RATINGS),
        summarise_days(entries, service.trackers()),
    )


class ChartsView(QWidget):
    def __init__(self, diary: OpenDiary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.diary = diary
        self.service = diary.service(MoodService)
        self.generation = 0
        self.days: list[DayRecord] | None = None
        #: ``MoodService.day_marks`` when the charts were last drawn
        self.marks: dict[date, tuple[object, ...]] | None = None
        self.mark: tuple[object, ...] | None = None  # ``MoodService.diary_mark`` then
        self._drawn = True  # the last change's drawing finished (not cut short by another)
        self.checks = 0  # changes looked at (the latest one's check is the one that counts)
        self._update_waiting = False  # an update_changed waits for its turn
        self.period: tuple[date, date] = (date.today() - timedelta(days=90), date.today())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.setSpacing(14)

        top = QHBoxLayout()
        self.presets = RangePresets(default="3m")
        self.presets.chosen.connect(self.apply_preset)
        top.addWidget(self.presets, 1)
        self.toggles: dict[str, QCheckBox] = {}
        for metric in ("mood", "anxiety", "energy"):
            name = _(METRIC_LABELS[metric])
            box = QCheckBox(name)
            box.setChecked(True)
            box.setAccessibleName(_("Show {rating}").format(rating=name.lower()))
            box.toggled.connect(lambda on, m=metric: self.chart.set_metric_visible(m, on))
            self.toggles[metric] = box
            top.addWidget(box)
        layout.addLayout(top)
        hint = label(
            _(
                "Drag to move through time, scroll to zoom. The summary beside each chart says "
                "the same in words."
            ),
            name="Muted",
        )
        layout.addWidget(hint)

        # the mood chart is made in the turns after the tab's frame is painted (its plot in one,
        # the rest of it in the next), and shown a turn later with its data (see ``refresh``):
        # its place is kept meanwhile, the same size
        self._mood_card = Card(_("Mood, anxiety and energy"))
        self._chart: MoodChart | None = None
        self._plot: pg.PlotWidget | None = None  # its plot, when made a turn before it
        #: its items, when made a turn before it (``chart_items``)
        self._items: dict[str, ChartItems] | None = None
        self._place = QWidget()
        self._place.setMinimumHeight(CHART_MIN_HEIGHT)
        self._place.setMaximumHeight(CHART_MAX_HEIGHT)
        self._mood_card.body.addWidget(self._place)
        layout.addWidget(self._mood_card)

        # sleep and the calendar: made (hidden) after the mood chart's first paint, shown each
        # in its turn once drawn with every day; their place is kept meanwhile (blank), so the
        # tab is about as tall from its first paint as when everything is drawn, and the
        # page's scroll bar does not come and go (each time every chart was laid out and
        # painted again at a new width: 20-30 ms a time)
        self._sleep: SleepChart | None = None
        self._sleep_plot: pg.PlotWidget | None = None  # its plot, when made a turn before it
        self._heatmap: CalendarHeatmap | None = None
        # what is being drawn, or what went wrong, right under the mood chart (above the
        # room: in sight)
        self.busy = BusyRow()
        layout.addWidget(self.busy)
        self.error = StatusLabel("Error", _("Charts problem"))
        layout.addWidget(self.error)
        self._more_at = layout.count()
        self._room: QWidget | None = QWidget()
        self._room.setMinimumHeight(SLEEP_ROOM + CALENDAR_ROOM)
        layout.addWidget(self._room)
        layout.addStretch(1)

    # -- the mood chart, made when first needed ------------------------------------------------

    @property
    def chart(self) -> MoodChart:
        if self._chart is None:
            plot, self._plot = self._plot, None
            items, self._items = self._items, None
            chart = MoodChart(metrics=CHART_RATINGS, plot=plot, items=items)
            chart.setMinimumHeight(CHART_MIN_HEIGHT)
            chart.setMaximumHeight(CHART_MAX_HEIGHT)
            for metric, box in self.toggles.items():
                chart.set_metric_visible(metric, box.isChecked())
            # hidden (keeping its place) until its data is drawn: never an empty chart first
            policy = chart.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            chart.setSizePolicy(policy)
            chart.hide()
            body = self._mood_card.body
            body.replaceWidget(self._place, chart)
            self._place.deleteLater()
            chart.range_changed.connect(self._panned)
            self._chart = chart
        return self._chart

    def _reveal(self) -> None:
        """Show the mood chart once it has something true to show."""
        if self._chart is not None and self._chart.isHidden():
            self._chart.show()

    # -- the charts below the first, built a turn later ---------------------------------------

    @property
    def sleep(self) -> SleepChart:
        self._build_sleep()
        assert self._sleep is not None
        return self._sleep

    @property
    def heatmap(self) -> CalendarHeatmap:
        self._build_heatmap()
        assert self._heatmap is not None
        return self._heatmap

    def _hidden_plot(self, plot: pg.PlotWidget | None = None) -> pg.PlotWidget:
        """A chart's plot made ahead of the chart (``plot``, or made now): hidden, and held by
        this tab meanwhile (a parentless widget is a window of its own), until the chart
        takes it in."""
        if plot is None:
            plot = plot_widget(bottom=date_axis())
        plot.setParent(self)
        plot.hide()
        return plot

    def _make_plot(self) -> list[Callable[[], object]]:
        """The mood chart's plot, as steps (``PlotPieces``: three turns of 2-5 ms)."""
        return self._plot_steps(
            lambda: self._chart is None and self._plot is None, partial(setattr, self, "_plot")
        )

    def _make_items(self) -> None:
        """The mood chart's items, made a turn before the rest of it (``chart_items``)."""
        if self._chart is None and self._items is None:
            self._items = chart_items(CHART_RATINGS)

    def _make_sleep_plot(self) -> list[Callable[[], object]]:
        """Sleep's plot, as steps."""
        return self._plot_steps(
            lambda: self._sleep is None and self._sleep_plot is None,
            partial(setattr, self, "_sleep_plot"),
        )

    def _plot_steps(
        self, wanted: Callable[[], bool], keep: Callable[[pg.PlotWidget], None]
    ) -> list[Callable[[], object]]:
        """A plot made ahead of its chart a piece per step, then held hidden by this tab
        (``_hidden_plot``); nothing once ``wanted()`` says it is not (its chart made
        meanwhile, with a plot of its own)."""
        pieces = PlotPieces(date_axis)

        def piece(make: Callable[[], None]) -> Callable[[], object]:
            return lambda: make() if wanted() else None

        def held() -> None:
            if wanted() and pieces.plot is not None:
                keep(self._hidden_plot(pieces.plot))

        return [*map(piece, pieces.steps()), held]

    def _build_sleep(self) -> None:
        if self._sleep is not None:
            return
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        self._sleep_card = sleep_card = Card(_("Sleep"))
        sleep_card.hide()  # shown by ``_show_sleep`` once drawn with every day
        layout.insertWidget(self._more_at, sleep_card)
        plot, self._sleep_plot = self._sleep_plot, None
        self._sleep = SleepChart(plot=plot)
        self._sleep.set_range(*self.period)
        sleep_card.body.addWidget(self._sleep)
        # Panned and zoomed with the mood chart once it is on screen: a link maps one view's
        # range onto the other by their widths on screen, so made before the new chart has
        # its width it would stretch the mood chart's period (_show_period keeps the two
        # together until then)
        self._link = _OnFirstPaint(self._sleep.plot.viewport(), self._link_sleep)
        if self.days is not None:
            self._sleep.set_points(sleep_series(self.days))

    def _build_heatmap(self) -> None:
        self._build_sleep()  # its card comes first
        if self._heatmap is not None:
            return
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        self._heat_card = heat_card = Card(_("Calendar"))
        heat_card.hide()  # shown by ``_show_calendar`` once drawn with every day
        layout.insertWidget(self._more_at + 1, heat_card)
        self._heatmap = CalendarHeatmap()
        heat_card.body.addWidget(self._heatmap)
        if self.days is not None:
            self._show_period(*self.period)

    def _show_sleep(self) -> None:
        """Sleep on screen, in the room kept for it (the rest of the room is kept for the
        calendar until it comes: the tab's height does not change)."""
        self._build_sleep()
        card = self._sleep_card
        if card.isHidden():
            room = self._room
            if room is not None:
                layout = self.layout()
                assert layout is not None
                width = self.width()
                height = card.heightForWidth(width) if card.hasHeightForWidth() else -1
                if height < 0:
                    height = card.sizeHint().height()
                room.setMinimumHeight(max(0, room.minimumHeight() - height - layout.spacing()))
            card.show()

    def _show_calendar(self) -> None:
        self._build_heatmap()
        self._show_sleep()
        if self._heat_card.isHidden():
            if self._room is not None:
                self._room.hide()
                self._room.deleteLater()
                self._room = None
            self._heat_card.show()

    def span(self) -> tuple[date | None, date]:
        first = self.chart.data_span()
        return (first[0] if first else None), date.today()

    def _link_sleep(self) -> None:
        if self._sleep is not None:
            self._sleep.link_x(self.chart.item)

    def refresh(self) -> None:
        """Read the whole diary again (first draw, a restored backup, an import): on the first
        draw the days of the period shown, then everything on a worker.

        The first time, in turns of the event loop: the mood chart is made (hidden) in this
        one, and drawn with its period's days in the next, so neither holds the window for
        both (the tab's frame was painted in the turn before this one)."""
        self.marks = None  # until the worker has read them: a change meanwhile reads again
        if self._chart is None:
            # in turns of about half a frame each: the chart's plot (hidden), the rest of the
            # chart (hidden), then drawn and shown in the next ones
            self.generation += 1
            generation = self.generation
            self.busy.start(_("Drawing the charts…"))
            steps = [
                *self._make_plot(),
                self._make_items,
                lambda: self.chart,
                lambda: self._first_draw(generation),
            ]
            in_steps(self, steps, budget_ms=0)
            return
        self.generation += 1  # a first draw still waiting for its turn is this one
        self._first_draw(self.generation)

    def _first_draw(self, generation: int) -> None:
        if generation != self.generation or in_locked_page(self):
            return
        key = self.presets.key or "3m"
        if self.chart.data_span() is None and key != "all":
            start, end = preset_range(key, None, date.today())
            self.chart.set_range(start, end)  # drawn once, at the period shown
            # the week before the period too: its first days' 7-day averages need it
            self.chart.set_daily(
                self.service.daily_aggregates_all(
                    start - timedelta(days=ROLLING_WINDOW_DAYS), end, ratings=CHART_RATINGS
                )
            )
            self.apply_preset(key, keep_choice=not self.presets.key)
            # shown, with all of this, in the next turn (which paints it), then the rest once
            # it is on screen: the worker's reading, then sleep and the calendar
            self.generation += 1  # a change before then reads again
            generation = self.generation

            def unseen() -> Iterator[None]:
                # painted once where nobody sees it, a band per turn, so that what its first
                # paint makes and keeps (the axes' pictures, the curves' paths, their text) is
                # made before the turn that shows it: that turn then repaints (its first
                # paint on screen: 14 ms, with the reveal in the same turn of the event loop)
                chart = self.chart
                return paint_unseen(chart, chart.size(), chart.devicePixelRatio())

            def reveal() -> None:
                self.busy.start(_("Drawing sleep and the calendar…"))
                self._reveal()

            steps = [unseen, reveal, lambda: self._after_first_draw(generation)]
            in_steps(self, steps, budget_ms=0)
            return
        self._load_days()

    def _after_first_draw(self, generation: int) -> None:
        """Sleep (its plot, then the rest of it) and the calendar made, hidden, each in a turn;
        then every day read on a worker. Not at the same time: Python runs one thread at a
        time, and a worker reading while this thread builds made each of these turns two to
        four times longer (each call into Qt waits for the worker to let go of Python)."""
        if generation != self.generation or in_locked_page(self):
            return
        steps = [*self._make_sleep_plot(), self._build_sleep, self._build_heatmap]

        def read() -> None:
            if generation == self.generation and not in_locked_page(self):
                self._load_days()

        in_steps(self, steps, budget_ms=0, done=read)

    def update_changed(self) -> None:
        """After a change: redraw only the days it touched (or everything after an import).

        On the GUI thread only a copy of the diary is taken (a memory copy, under a
        millisecond); whether anything the charts draw changed (the diary's one-line mark),
        which days, their new points and their summaries are read from the copy on a worker,
        then drawn a part per turn of the event loop (the mood chart, its period, sleep, the
        calendar), so a check-in saved while the charts show never holds the window for the
        reading and the drawing at once.

        After the first drawing, started in the next turn of the event loop: the change's own
        turn (a check-in's save, its window closing) does not share Python's lock with the
        worker's reading, and changes made together are looked at once."""
        if self.marks is None:
            self.refresh()  # (the first time, or while everything is being read again)
            return
        if self._update_waiting:
            return
        self._update_waiting = True
        timers.in_steps(self, [self._update_now], budget_ms=0)  # (tests wait for it)

    def _update_now(self) -> None:
        self._update_waiting = False
        if in_locked_page(self):
            return
        if self.marks is None:
            self.refresh()
            return
        self.checks += 1
        check, generation = self.checks, self.generation
        old_mark, old = self.mark, self.marks
        snapshot = self.diary.read_snapshot()

        def work() -> tuple[tuple[object, ...], _Changes | None]:
            with snapshot:
                service = snapshot.service(MoodService)
                mark = service.diary_mark()
                return mark, None if mark == old_mark else _read_changes(service, old)

        def done(result: tuple[tuple[object, ...], _Changes | None]) -> None:
            if check != self.checks:
                return  # a later change's check compares with what is drawn then
            if generation != self.generation:
                self.update_changed()  # drawn again meanwhile: compare with that
                return
            mark, read = result
            if read is None:
                if not self._drawn:
                    self._draw_in_steps(self.generation)  # an earlier update was cut short
                return  # nothing a chart draws has changed (the page shown again, a tag renamed)
            if self.days is None or self.busy.isVisible():
                self._load_days()  # the whole summary is still being computed: start it again
                return
            self.generation += 1
            self.mark = mark
            self.error.setText("")  # (a failed update before this one is made good now)
            if read.changed and read.daily is None:
                self.refresh()  # many days (an import): everything again
                return
            if not read.changed:
                self.marks = read.marks
                if not self._drawn:
                    self._draw_in_steps(self.generation)  # an earlier change's, cut short
                return
            self._apply_changes(read, self.generation)

        def failed(_exc: BaseException) -> None:
            if check != self.checks:
                return
            self.mark = None  # read again at the next change or showing
            self.error.setText(_("The charts could not be updated just now."))

        run_task(work, done, failed, owner=self)

    def _apply_changes(self, read: _Changes, generation: int) -> None:
        """What the charts hold, changed in this turn and together (the marks, the mood
        chart's points, the days): a change that comes later is compared with exactly what is
        drawn, even if the drawing steps below are cut short by it. The rest drawn after."""
        assert self.days is not None and read.daily is not None and read.fresh is not None
        self.marks = read.marks
        changed = read.changed
        if self.presets.key == "all":  # (after an import) at the new days' span at once
            self.chart.show_all_days(at_next_draw=True)
        self.chart.update_days(read.daily, changed)
        old_days, whole = self.days, self._drawn
        self.days = with_days_replaced(self.days, changed, read.fresh)
        self._drawn = False
        # sleep drawn again only when the change touched a night's sleep (or the drawing
        # before this one was cut short): a check-in without sleep changes nothing it draws,
        # and drawing it again (ten years of nights made into points, bars and a summary)
        # was 3-7 ms of a turn, with its repaint, after every check-in with the charts shown
        sleep = not whole or _sleep_on(old_days, changed) != _sleep_on(self.days, changed)
        self._draw_in_steps(generation, sleep=sleep)

    def _draw_in_steps(self, generation: int, *, sleep: bool = True) -> None:
        """The mood chart's period, sleep (unless ``sleep`` is False: its nights are as
        drawn), then the calendar, in turns of the event loop (a newer change's drawing
        replaces what is left of them)."""

        def step(draw: Callable[[], object]) -> Callable[[], None]:
            def run() -> None:
                if generation == self.generation:
                    draw()

            return run

        def drawn() -> None:
            if generation == self.generation:
                self._drawn = True

        def period() -> None:
            start, end = self._preset_range()
            self.chart.set_range(start, end)
            self.period = (start, end)

        steps: list[Callable[[], object]] = [period]
        if sleep:
            steps.append(lambda: self.sleep.set_points(sleep_series(self.days or [])))
        steps.append(lambda: self._show_period(*self.period))
        # as many parts a turn as fit in about half a frame
        in_steps(self, [step(s) for s in steps], done=drawn)

    def _preset_range(self) -> tuple[date, date]:
        """The period the chosen preset stands for now (or the one shown, when none is)."""
        key = self.presets.key
        if not key:
            return self.chart.visible_range()
        return preset_range(key, *self.span())

    def apply_preset(self, key: str, keep_choice: bool = False) -> None:
        if keep_choice:
            start, end = self.chart.visible_range()
        else:
            first, last = self.span()
            start, end = preset_range(key, first, last)
        self.chart.set_range(start, end)
        self._show_period(start, end)

    def _panned(self, start: date, end: date) -> None:
        current = self.presets.key
        # (a period set here settles 120 ms later: a preset chosen meanwhile, "All" after an
        # import, is not undone by the settling of the one set before it)
        if current and self.chart.moved_by_person:
            expected = preset_range(current, *self.span())
            if abs((expected[0] - start).days) > 1 or abs((expected[1] - end).days) > 1:
                self.presets.clear_choice()
        self._show_period(start, end)

    def _show_period(self, start: date, end: date) -> None:
        self.period = (start, end)
        if self._sleep is None or self._heatmap is None:
            return  # drawn for this period when they are built
        self.sleep.set_range(start, end)
        if self.days is None:
            return
        heat_start = max(start, end - timedelta(days=HEATMAP_DAYS - 1))
        inside = [d for d in self.days if heat_start <= d.day <= end]
        self.heatmap.set_cells(calendar_heatmap(inside, heat_start, end))
        if self._heat_card.isHidden():
            # drawn with every day (a change came before its own turn to be shown): shown
            self._show_calendar()

    def _load_days(self) -> None:
        """The whole series, every day's marks and every day's summary, read on a copy of the
        diary off the GUI thread, then drawn one part per turn of the event loop."""
        self.generation += 1
        generation = self.generation
        self.busy.start(_("Drawing sleep and the calendar…"))
        # the marks are read from the copy, on the worker: they belong to what is drawn
        snapshot = self.diary.read_snapshot()
        Read = tuple[
            dict[str, list[DailyPoint]],
            tuple[object, ...],
            dict[date, tuple[object, ...]],
            list[DayRecord],
        ]

        def work() -> Read:
            with snapshot:
                service = snapshot.service(MoodService)
                daily = service.daily_aggregates_all(ratings=CHART_RATINGS)
                mark, marks = service.diary_mark(), service.day_marks()
                return daily, mark, marks, summarise_days(service.entries(), service.trackers())

        def done(read: Read) -> None:
            if generation != self.generation:
                return
            # drawn in turns of the event loop (the mood chart, sleep, then the calendar), so a
            # key or a repaint waiting meanwhile gets its turn in between
            daily, mark, marks, days = read
            self.mark, self.marks = mark, marks
            if self.presets.key == "all":  # drawn once, at every day's span (an import's too)
                self.chart.show_all_days(at_next_draw=True)
            self.chart.set_daily(daily)
            self.apply_preset(self.presets.key or "3m", keep_choice=not self.presets.key)
            self._reveal()
            # (in turns of their own: a zero single shot ran in the same pass of the event
            # loop as the next one, sleep and the calendar then one ~20 ms stall)
            steps = [lambda: sleep(days, generation), lambda: calendar(generation)]
            in_steps(self, steps, budget_ms=0)

        def sleep(days: list[DayRecord], generation_then: int) -> None:
            if generation_then != self.generation:
                return
            self.days = days
            self.sleep.set_points(sleep_series(days))
            self.sleep.set_range(*self.period)
            # (in the same turn as sleep comes, so nothing below the words moves after)
            self.busy.stop()
            self._show_sleep()

        def calendar(generation_then: int) -> None:
            if generation_then != self.generation:
                return
            self._show_period(*self.period)
            self._show_calendar()

        def failed(_exc: BaseException) -> None:
            if generation != self.generation:
                return
            self.busy.stop()
            self.error.setText(_("Sleep and the calendar could not be drawn just now."))
            if self._room is not None:
                self._room.hide()  # (no blank room under the sentence)

        run_task(work, done, failed, owner=self)


class _OnFirstPaint(QObject):
    """Calls ``then`` on the next turn of the event loop after ``widget`` is first painted
    (its layout is done by then)."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self._then)
        return False
