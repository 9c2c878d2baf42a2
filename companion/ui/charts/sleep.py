"""Sleep as bars, one a night (the day after the night described), hours on the y axis."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QWidget

from companion.core.mood.stats import SleepPoint
from companion.i18n import _
from companion.ui.charts import palette
from companion.ui.charts.axis import DAY_SECONDS, date_axis, day_start, day_x, plot_widget
from companion.ui.charts.summary import describe_sleep
from companion.ui.charts.themed import ThemedChart, style_axes
from companion.ui.widgets.measured import MeasuredLabel


class SleepChart(ThemedChart):
    def __init__(self, parent: QWidget | None = None, *, plot: pg.PlotWidget | None = None):
        """``plot``: the plot made a turn before (``plot_widget(bottom=date_axis())``, about
        half of the chart's making), so that neither turn holds the window long."""
        super().__init__(parent)
        self.points: list[SleepPoint] = []
        self._range: tuple[date, date] = (date.today() - timedelta(days=90), date.today())
        self.plot = plot if plot is not None else plot_widget(bottom=date_axis())
        self.plot.setAccessibleName(_("Sleep chart"))
        self.plot.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.plot.setMinimumHeight(150)
        self.plot.setMaximumHeight(200)
        self.plot.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.item: pg.PlotItem = self.plot.getPlotItem()
        self.item.hideButtons()
        self.item.setMenuEnabled(False)
        self.item.setMouseEnabled(x=True, y=False)
        self.item.setYRange(0, 12.5, padding=0)
        hours = [(v, _("{hours} h").format(hours=v)) for v in (0, 4, 8, 12)]
        self.item.getAxis("left").setTicks([hours])
        self.item.getAxis("left").setWidth(44)
        self.item.showGrid(x=False, y=True, alpha=0.25)
        self.bars = pg.BarGraphItem(x=[], height=[], width=DAY_SECONDS * 0.7, y0=0)
        self.item.addItem(self.bars)
        self.summary = MeasuredLabel()
        self.summary.setObjectName("Muted")
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(_("Sleep chart summary"))
        self.summary.setMinimumWidth(180)
        self.summary.setMaximumWidth(280)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(16)
        row.addWidget(self.plot, 1)
        row.addWidget(self.summary)
        if plot is not None:
            self.plot.show()  # (made ahead, hidden: shown with this chart)
        self.apply_style()

    def set_points(self, points: Sequence[SleepPoint]) -> None:
        self.points = [p for p in points if p.hours is not None]
        xs = np.array([day_x(p.day) for p in self.points], dtype=float)
        hs = np.array([p.hours for p in self.points], dtype=float)
        self.bars.setOpts(x=xs, height=hs, width=DAY_SECONDS * 0.7, y0=0)
        self._update_summary()

    def set_range(self, start: date, end: date) -> None:
        self._range = (start, end)
        self.item.setXRange(day_start(start), day_start(end + timedelta(days=1)), padding=0)
        self._update_summary()

    def link_x(self, other: pg.PlotItem) -> None:
        """Pan and zoom together with another chart (the mood chart above)."""
        self.item.setXLink(other)

    def _update_summary(self) -> None:
        text = describe_sleep(self.points, *self._range)
        self.summary.setText(text)
        self.plot.setAccessibleDescription(text)

    def _restyle(self) -> None:
        pal = palette.colours()
        self.plot.setBackground(pal.background)
        style_axes(self.item, pal)
        self.bars.setOpts(brush=pg.mkBrush(palette.qcolor(pal.sleep, 190)), pen=pg.mkPen(None))
