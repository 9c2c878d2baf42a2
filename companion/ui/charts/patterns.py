"""Bars of average mood by weekday or by time of day, each labelled with what it rests on."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from companion.core.mood.stats import PatternBucket
from companion.i18n import N_, _, format_number, weekday_name
from companion.ui.charts import palette
from companion.ui.charts.axis import plot_widget
from companion.ui.charts.summary import CHECK_INS, DAYS, describe_pattern
from companion.ui.charts.themed import ThemedChart, style_axes
from companion.ui.widgets.measured import MeasuredLabel

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_PARTS_OF_DAY = {
    "night": N_("Night"),
    "morning": N_("Morning"),
    "afternoon": N_("Afternoon"),
    "evening": N_("Evening"),
}


def short_label(bucket: PatternBucket) -> str:
    """The word under a bar: "Mon", "Night"… (the bucket's own label otherwise)."""
    if bucket.key in _WEEKDAYS:
        # date.fromordinal(1) is a Monday
        return weekday_name(date.fromordinal(1 + _WEEKDAYS.index(bucket.key)), short=True)
    if bucket.key in _PARTS_OF_DAY:
        return _(_PARTS_OF_DAY[bucket.key])
    return bucket.label


def fit_to_words(axis: pg.AxisItem, words: Sequence[str], viewport: QWidget) -> None:
    """Tell a left or right axis how wide its tick words are before its first paint, measured
    as pyqtgraph measures them as it paints them (``AxisItem.generateDrawSpecs``: the widest
    word's bounding rectangle in the painter's font, the viewport's unless the axis has a
    tick font). Told only then, the axis went from the 30 px pyqtgraph keeps for them to the
    15 the words take after its first paint: the bars moved left a frame after they were
    first drawn, and each chart was laid out and painted in full again (4-6 ms)."""
    font = axis.style["tickFont"] or viewport.font()
    metrics = QFontMetricsF(font, viewport)
    room = QRectF(0, 0, 100, 100)
    centre = Qt.AlignmentFlag.AlignCenter
    axis._updateMaxTextSize(max(metrics.boundingRect(room, centre, w).width() for w in words))


#: the plot's height. It was Expanding between 170 and 230 px, and its size hint is the size
#: it last had (pyqtgraph's scene): it settled at 230 once the page had had room for a moment,
#: after being resized and repainted (both plots, ~5 ms) at each step of the tab's drawing
#: that moved the room around it (the rows shown, each chart's summary), 16 ms turns
PLOT_HEIGHT = 230


class PatternChart(ThemedChart):
    """``unit``: what each bar's count means, ``DAYS`` (weekday) or ``CHECK_INS`` (time of
    day)."""

    def __init__(
        self,
        title: str,
        *,
        unit: str = DAYS,
        summary_below: bool = False,
        parent: QWidget | None = None,
        plot: pg.PlotWidget | None = None,
    ) -> None:
        """``plot``: the plot made a turn before (``plot_widget()``, hidden: most of the
        chart's making), so that neither turn holds the window long."""
        super().__init__(parent)
        self.title = title
        self.unit = unit
        self.buckets: list[PatternBucket] = []
        self.plot = plot if plot is not None else plot_widget()
        self.plot.setAccessibleName(title)
        self.plot.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.plot.setFixedHeight(PLOT_HEIGHT)
        self.plot.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.item: pg.PlotItem = self.plot.getPlotItem()
        self.item.hideButtons()
        self.item.setMenuEnabled(False)
        self.item.setMouseEnabled(x=False, y=False)
        self.item.setYRange(0, 10.8, padding=0)
        left = self.item.getAxis("left")
        left.setTicks([[(v, str(v)) for v in (0, 5, 10)]])
        fit_to_words(left, [str(v) for v in (0, 5, 10)], self.plot.viewport())
        self.item.getAxis("bottom").setHeight(40)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.62, y0=0)
        self.item.addItem(self.bars)
        self.labels: list[pg.TextItem] = []
        #: bar labels made ahead, hidden (``prepare_labels``), taken by ``set_buckets``
        self._spare_labels: list[pg.TextItem] = []
        self.summary = MeasuredLabel()
        self.summary.setObjectName("Muted")
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(_("{chart}, summary").format(chart=title))
        self.summary.setMinimumWidth(180)
        self.summary.setMaximumWidth(280)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QVBoxLayout(self) if summary_below else QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8 if summary_below else 16)
        row.addWidget(self.plot, 1)
        row.addWidget(self.summary)
        if summary_below:
            self.summary.setMaximumWidth(16_777_215)
            self.summary.setMinimumWidth(0)
        if plot is not None:
            self.plot.show()  # (made ahead, hidden: shown with this chart)
        self.apply_style()

    def set_buckets(self, buckets: Sequence[PatternBucket]) -> None:
        self.buckets = list(buckets)
        xs = [i for i, b in enumerate(self.buckets) if b.mean is not None]
        hs = [b.mean for b in self.buckets if b.mean is not None]
        self.bars.setOpts(x=xs, height=hs, width=0.62, y0=0)
        ticks = []
        for i, b in enumerate(self.buckets):
            count = b.n_days if self.unit == DAYS else b.n_entries
            ticks.append((i, f"{short_label(b)}\n{count}"))
        self.item.getAxis("bottom").setTicks([ticks])
        self.item.setXRange(-0.6, len(self.buckets) - 0.4, padding=0)
        for text in self.labels:
            self.item.removeItem(text)
        self.labels = []
        pal = palette.colours()
        for i, b in enumerate(self.buckets):
            if b.mean is None:  # no bar and no words: the 0 under it says it (and the summary)
                continue
            words = format_number(b.mean, 1)
            if self._spare_labels:  # made ahead: given its words and shown
                text = self._spare_labels.pop(0)
                text.setText(words, color=palette.qcolor(pal.muted))
                text.setPos(i, b.mean + 0.05)
                text.show()
            else:
                text = pg.TextItem(words, anchor=(0.5, 1.0), color=palette.qcolor(pal.muted))
                text.setPos(i, b.mean + 0.05)
                self.item.addItem(text)
            self.labels.append(text)
        summary = describe_pattern(self.title, self.buckets, self.unit)
        if self.unit == CHECK_INS:
            summary = _(
                "{summary} (The number under each bar is how many check-ins it rests on.)"
            ).format(summary=summary)
        else:
            summary = _(
                "{summary} (The number under each bar is how many days it rests on.)"
            ).format(summary=summary)
        self.summary.setText(summary)
        self.plot.setAccessibleDescription(summary)

    def prepare_labels(self, count: int) -> None:
        """Make ``count`` bar labels ahead, hidden, in the plot (a text item of pyqtgraph's
        each, made and added: most of what ``set_buckets`` did in its turn, 3-5 ms for a
        week's bars); ``set_buckets`` gives them their words and shows them."""
        while len(self._spare_labels) < count:
            text = pg.TextItem("", anchor=(0.5, 1.0))
            text.hide()
            self.item.addItem(text)
            self._spare_labels.append(text)

    def _restyle(self) -> None:
        pal = palette.colours()
        self.plot.setBackground(pal.background)
        style_axes(self.item, pal)
        self.bars.setOpts(brush=pg.mkBrush(palette.qcolor(pal.mood, 170)), pen=pg.mkPen(None))
        for text in self.labels:
            text.setColor(palette.qcolor(pal.muted))
