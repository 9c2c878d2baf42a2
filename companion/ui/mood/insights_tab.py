"""Patterns & insights: weekday and time-of-day patterns, and honest comparisons.

Every number says how many days it rests on. Nothing is compared under 14 logged days
(``mood_stats.MIN_DAYS``). The comparisons are judged together (``mood_stats.find_insights``):
only those that stand out once the number of comparisons and day-to-day carry-over are
allowed for are shown as clear, strongest evidence first; the rest wait behind a button, each
saying in plain words why it may be chance. How many comparisons were looked at, and that a
pattern is not a cause, is said once, above the list.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from companion.core.mood.service import MoodService
from companion.core.mood.stats import MIN_DAYS, Insight, MoodStats, Overview
from companion.core.session import OpenDiary
from companion.i18n import N_, _, ngettext
from companion.ui.charts.axis import PlotPieces
from companion.ui.charts.patterns import PatternChart
from companion.ui.charts.presets import RangePresets, preset_range
from companion.ui.tasks import run_task
from companion.ui.timers import in_steps
from companion.ui.widgets.common import BusyRow, Card, Notice, StatusLabel
from companion.ui.widgets.measured import measure_now
from companion.ui.widgets.measured import measured_label as label

INTRO = N_(
    "These compare your average mood on different kinds of days. They show what tends to go "
    "together in your diary, not what causes what: something else may explain a difference. "
    "They can be useful to talk through with your therapist or doctor."
)


def looked_at_text(n_compared: int, n_clear: int) -> str:
    """The one caveat about chance, said once: how many comparisons, how many stand out."""
    if n_compared == 0:
        return ""
    looked = ngettext(
        "{count} comparison was looked at in this period.",
        "{count} comparisons were looked at in this period.",
        n_compared,
    ).format(count=n_compared)
    if n_clear == 0:
        found = _("None stands out clearly.")
    else:
        found = ngettext(
            "{count} stands out clearly.", "{count} stand out clearly.", n_clear
        ).format(count=n_clear)
    return _(
        "{looked} {found} When many things are compared, a few can look different by chance "
        "alone, and moods and habits carry over from day to day. A difference is called clear "
        "only when it still stands out after allowing for both. The likely range is where the "
        "true difference probably lies (a 95% interval)."
    ).format(looked=looked, found=found)


def not_enough_text(n_days: int) -> str:
    return _(
        "Not enough data yet — {count} of {minimum} days. Comparisons appear once {minimum} "
        "days are logged in the period, so they rest on more than a few days."
    ).format(count=n_days, minimum=MIN_DAYS)


#: the room kept for the two pattern charts until they are made (their card is 674 px tall,
#: one above the other, at the default text size in a 1100 px window)
PATTERNS_ROOM = 700


class InsightsView(QWidget):
    def __init__(self, diary: OpenDiary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.diary = diary
        self.generation = 0
        self.overview: Overview | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.setSpacing(14)
        self.presets = RangePresets(default="1y")
        self.presets.chosen.connect(lambda _k: self.refresh())
        layout.addWidget(self.presets)
        layout.addWidget(label(_(INTRO), name="Muted"))
        self.period_label = label("", name="Muted")
        layout.addWidget(self.period_label)
        self.not_enough = Notice("")
        self.not_enough.setAccessibleName(_("Not enough data yet"))
        self.not_enough.hide()
        layout.addWidget(self.not_enough)

        patterns = Card(_("By weekday and time of day"))
        # the two charts are made in the next turns, while the worker reads (see ``weekday``)
        self._weekday: PatternChart | None = None
        self._time_of_day: PatternChart | None = None
        self._unsure: list[Insight] = []  # their rows are made when first shown
        self._shown = 0  # which overview is being drawn (a newer one stops the older's steps)
        self.patterns_waiting = label("", name="Muted")
        patterns.body.addWidget(self.patterns_waiting)
        # side by side where there is room for their labels, one above the other otherwise
        self.pair = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.pair.setSpacing(24)
        patterns.body.addLayout(self.pair)
        patterns.installEventFilter(self)
        self.patterns = patterns
        # about as tall as it will be, until its charts are made: the tab keeps its height
        # from its first paint (the page's scroll bar went and came back, every part of the
        # tab laid out again at another width each time)
        patterns.setMinimumHeight(PATTERNS_ROOM)
        layout.addWidget(patterns)

        self.insights_card = Card(_("Comparisons, strongest evidence first"))
        self.looked_at = label("", name="Muted")
        self.looked_at.setAccessibleName(_("How many comparisons were looked at"))
        self.insights_card.body.addWidget(self.looked_at)
        self.insights_box = QVBoxLayout()
        self.insights_box.setSpacing(10)
        self.insights_card.body.addLayout(self.insights_box)
        self.unsure_button = QPushButton()
        self.unsure_button.setCheckable(True)
        self.unsure_button.toggled.connect(self._show_unsure)
        self.insights_card.body.addWidget(self.unsure_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.unsure_box = QWidget()
        self.unsure_layout = QVBoxLayout(self.unsure_box)
        self.unsure_layout.setContentsMargins(0, 0, 0, 0)
        self.unsure_layout.setSpacing(10)
        self.unsure_box.hide()
        self.insights_card.body.addWidget(self.unsure_box)
        layout.addWidget(self.insights_card)

        self.signs_card = Card(_("Experiences you noted"))
        self.signs_text = label("", name="")
        self.signs_card.body.addWidget(self.signs_text)
        layout.addWidget(self.signs_card)

        self.busy = BusyRow()
        layout.addWidget(self.busy)
        self.error = StatusLabel("Error", _("Insights problem"))
        layout.addWidget(self.error)
        layout.addStretch(1)
        # Each chart made in a turn of its own (a pyqtgraph plot is 10-20 ms to make), and the
        # period read once they are made and painted: the reading is Python on a worker, and
        # Python runs one thread at a time, so a turn that made or painted a chart while it
        # read took twice as long.
        # They are begun by the first refresh (the turn after the tab's frame), not here: a
        # step asked for in the middle of the frame's making ran in the same pass of the
        # event loop as it, one ~25 ms stall.
        self._reading_waits: int | None = None  # the refresh waiting for the charts
        self._charts_made = False
        self._charts_begun = False
        #: the next charts' plots, made a turn before them (the weekday chart's first)
        self._plots: list[pg.PlotWidget] = []

    def _make_charts(self) -> None:
        if self._charts_begun:
            return
        self._charts_begun = True
        in_steps(
            self,
            # each chart's plot (hidden) a piece a turn, both before either chart is shown,
            # then each chart in a turn (the last turn is the second chart's first paint,
            # before the reading): the second plot's making and the first chart's first paint
            # in one turn held the window 14-18 ms, and each plot made in one turn 12-15 ms
            [
                *self._plot_steps(),
                *self._plot_steps(),
                partial(self._labels_ahead, "weekday"),
                lambda: self.time_of_day,
                lambda: None,
                partial(self._labels_ahead, "time_of_day"),
            ],
            budget_ms=0,
            done=self._made_charts,
        )

    def _plot_steps(self) -> list[Callable[[], None]]:
        """The next chart's plot, made before the rest of it a piece per step
        (``PlotPieces``: its axes, its plot item, the widget around them, 2-6 ms each; the
        plot made in one turn held the window 12-15 ms), then hidden and held by this tab
        meanwhile (a parentless widget is a window of its own). Nothing once it is not
        wanted (its chart made meanwhile, with a plot of its own)."""
        pieces = PlotPieces()

        def wanted() -> bool:
            charts_left = (self._weekday is None) + (self._time_of_day is None)
            return len(self._plots) < charts_left

        def piece(make: Callable[[], None]) -> Callable[[], None]:
            def run() -> None:
                if wanted():
                    make()

            return run

        *first, last = pieces.steps()

        def held() -> None:
            if wanted():
                last()
                plot = pieces.plot
                assert plot is not None
                plot.setParent(self)
                plot.hide()
                self._plots.append(plot)

        return [*map(piece, first), held]

    def _labels_ahead(self, chart: str) -> None:
        """A chart (made now if it is not yet) and its bar labels, made ahead, hidden, before
        the reading: the steps that draw the bars then only give them their words (made
        there, the weekday's bars and their repaint held the window 15-17 ms). Not in the
        turn of the charts' first paint (the weekday's labels with the weekday's making, the
        time of day's with the reading's start)."""
        if chart == "weekday":
            self.weekday.prepare_labels(7)  # a bar a weekday
        else:
            self.time_of_day.prepare_labels(4)  # night, morning, afternoon, evening

    def _next_plot(self) -> pg.PlotWidget | None:
        return self._plots.pop(0) if self._plots else None

    def _made_charts(self) -> None:
        self._charts_made = True
        self.patterns.setMinimumHeight(0)
        generation, self._reading_waits = self._reading_waits, None
        if generation is not None and generation == self.generation:
            self._read(generation)

    @property
    def weekday(self) -> PatternChart:
        if self._weekday is None:
            plot = self._next_plot()
            self._weekday = PatternChart(
                _("Average mood by weekday"), unit=_("days"), summary_below=True, plot=plot
            )
            self.pair.insertWidget(0, self._weekday, 4)
        return self._weekday

    @property
    def time_of_day(self) -> PatternChart:
        if self._time_of_day is None:
            self.weekday  # noqa: B018  (it comes first)
            plot = self._next_plot()
            self._time_of_day = PatternChart(
                _("Average mood by time of day"),
                unit=_("check-ins"),
                summary_below=True,
                plot=plot,
            )
            self.pair.addWidget(self._time_of_day, 3)
        return self._time_of_day

    def period(self) -> tuple[date | None, date]:
        today = date.today()
        if self.presets.key == "all":
            return None, today
        return preset_range(self.presets.key or "1y", None, today)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.patterns and event.type() == QEvent.Type.Resize:
            # "Morning Afternoon Evening" need about 60 average characters of width each side
            room = self.fontMetrics().averageCharWidth() * 120
            direction = (
                QBoxLayout.Direction.LeftToRight
                if self.patterns.width() >= room
                else QBoxLayout.Direction.TopToBottom
            )
            if self.pair.direction() != direction:
                self.pair.setDirection(direction)
        return False

    def refresh(self) -> None:
        self.generation += 1
        generation = self.generation
        self.busy.start(_("Looking for patterns…"))
        if not self._charts_made:
            self._reading_waits = generation  # read once the charts are made
            self._make_charts()
            return
        self._read(generation)

    def _read(self, generation: int) -> None:
        start, end = self.period()
        snapshot = self.diary.read_snapshot()

        def work() -> Overview:
            with snapshot:
                return MoodStats(snapshot.service(MoodService)).overview(start, end)

        def done(overview: Overview) -> None:
            if generation == self.generation:
                self.busy.stop()
                self.show_overview(overview)

        def failed(_exc: BaseException) -> None:
            if generation == self.generation:
                self.busy.stop()
                self.error.setText(_("The patterns could not be worked out just now."))

        run_task(work, done, failed, owner=self)

    def show_overview(self, overview: Overview) -> None:
        """Draw an overview: its sentences now, then the comparisons a few rows per turn of
        the event loop, then each chart, so no turn holds the window for long."""
        self._shown += 1
        shown = self._shown
        self.overview = overview
        charts = overview.charts
        n_days = charts.n_days
        check_ins = ngettext("{count} check-in", "{count} check-ins", charts.n_entries)
        on_days = ngettext("{count} day", "{count} days", n_days)
        self.period_label.setText(
            _("This period: {check_ins} on {days}.").format(
                check_ins=check_ins.format(count=charts.n_entries),
                days=on_days.format(count=n_days),
            )
        )
        enough = n_days >= MIN_DAYS
        self.not_enough.text.setText(not_enough_text(n_days))
        self.not_enough.setVisible(not enough)
        rows = self._show_insights(overview.insights if enough else [], enough)

        def weekday() -> None:
            self.weekday.set_buckets(charts.weekday["mood"])
            # no bars while the notice says there is not enough to go on
            self.weekday.setVisible(enough)

        def time_of_day() -> None:
            self.time_of_day.set_buckets(charts.time_of_day["mood"])
            self.time_of_day.setVisible(enough)

        def step(draw: Callable[[], object]) -> Callable[[], None]:
            def run() -> None:
                if shown == self._shown:
                    draw()

            return run

        self.patterns_waiting.setVisible(not enough)
        self.patterns_waiting.setText(
            _("The patterns appear here too once {minimum} days are logged in the period.").format(
                minimum=MIN_DAYS
            )
        )
        lines = []
        for sign in charts.signs:
            if sign.answered_days:
                lines.append(
                    ngettext(
                        "{question}: noted on {yes} of the {count} day you answered.",
                        "{question}: noted on {yes} of the {count} days you answered.",
                        sign.answered_days,
                    ).format(question=sign.label, yes=sign.yes_days, count=sign.answered_days)
                )
        self.signs_text.setText(
            "\n".join(lines)
            if lines
            else _(
                "Not answered in this period. These questions are optional, under “More…” "
                "in a check-in."
            )
        )
        # the rows are made hidden, one a turn, and shown together: each row shown as it was
        # made moved everything below it in every turn; then each chart's bars in a turn of
        # their own (the steps are a few ms each, and the paint each asks for comes after)
        steps = (*rows, self._show_rows, weekday, time_of_day)
        in_steps(self, [step(s) for s in steps], budget_ms=0)

    def _show_unsure(self, shown: bool) -> None:
        if shown and self.unsure_layout.count() < len(self._unsure):
            for insight in self._unsure[self.unsure_layout.count() :]:
                self.unsure_layout.addWidget(InsightRow(insight))
        self.unsure_box.setVisible(shown)
        n = len(self._unsure)
        self.unsure_button.setText(
            _("Hide the comparisons that may be chance")
            if shown
            else ngettext(
                "Show {count} more comparison that may be chance",
                "Show {count} more comparisons that may be chance",
                n,
            ).format(count=n)
        )
        self.unsure_button.setAccessibleName(self.unsure_button.text())

    def _show_insights(self, insights: list[Insight], enough: bool) -> list[Callable[[], None]]:
        """The comparisons' sentences now, and their rows as steps to run (one row each)."""
        for box in (self.insights_box, self.unsure_layout):
            for i in reversed(range(box.count())):
                item = box.takeAt(i)
                widget = item.widget() if item is not None else None
                if widget is not None:
                    widget.hide()
                    widget.setParent(None)
                    widget.deleteLater()
        # find_insights already ranks them: clear ones first, each group by strength of evidence
        clearer = [i for i in insights if i.clear]
        self._unsure = [i for i in insights if not i.clear]
        self.looked_at.setText(looked_at_text(len(insights), len(clearer)) if enough else "")
        self.looked_at.setVisible(enough and bool(insights))
        self.unsure_button.setVisible(bool(self._unsure))
        self._show_unsure(self.unsure_button.isChecked())
        if not enough:
            self.insights_box.addWidget(
                label(
                    _("Comparisons will appear here once there is enough to compare."),
                    name="Muted",
                )
            )
            return []
        if not insights:
            self.insights_box.addWidget(
                label(
                    _(
                        "Nothing to compare yet: each comparison needs at least 3 days on each "
                        "side (for example, days with and without exercise)."
                    ),
                    name="Muted",
                )
            )
            return []
        if not clearer:
            self.insights_box.addWidget(
                label(
                    _(
                        "No clear differences in this period. The comparisons below the button "
                        "may be chance."
                    ),
                    name="Muted",
                )
            )
        return [partial(self._add_row, insight) for insight in clearer]

    def _add_row(self, insight: Insight) -> None:
        row = InsightRow(insight)
        row.hide()  # shown with the others (``_show_rows``)
        self.insights_box.addWidget(row)
        if self.isVisible():  # measured in its own step (see ``measure_now``)
            measure_now(row, self.insights_card.body.contentsRect().width())

    def _show_rows(self) -> None:
        """The comparisons' rows made so far, shown in one relayout."""
        for i in range(self.insights_box.count()):
            item = self.insights_box.itemAt(i)
            widget = item.widget() if item is not None else None
            if isinstance(widget, InsightRow) and widget.isHidden():
                widget.show()


class InsightRow(QFrame):
    def __init__(self, insight: Insight, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.insight = insight
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 2, 0, 2)
        days = insight.n_with + insight.n_without
        badge = label(
            ngettext("{count} day", "{count} days", days).format(count=days),
            name="Muted",
            wrap=False,
        )
        badge.setMinimumWidth(64)
        badge.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        row.addWidget(badge)
        text = label(insight.wording())
        row.addWidget(text, 1)
        self.setAccessibleName(insight.wording())
