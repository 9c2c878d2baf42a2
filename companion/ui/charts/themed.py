"""What every chart shares: follow the theme (restyle once after a palette or style change)
and draw its axes in the theme's quiet colours."""

from __future__ import annotations

from collections.abc import Iterable

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import QWidget

from companion.ui.charts import palette
from companion.ui.charts.palette import ChartColours


def style_axes(
    item: pg.PlotItem, pal: ChartColours, names: Iterable[str] = ("left", "bottom")
) -> None:
    for name in names:
        axis = item.getAxis(name)
        axis.setPen(pg.mkPen(pal.grid))
        axis.setTextPen(pg.mkPen(pal.muted))


class ThemedChart(QWidget):
    """A chart widget that calls ``_restyle()`` once, on the next turn of the event loop, after
    the theme changes (several change events arrive together when the theme switches)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._restyle_pending = False
        #: the colours last applied (``apply_style``)
        self._styled: ChartColours | None = None

    def changeEvent(self, event: QEvent) -> None:
        restyle = event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange)
        if restyle and not self._restyle_pending:
            self._restyle_pending = True
            QTimer.singleShot(0, self, self._restyle_now)
        super().changeEvent(event)

    def _restyle_now(self) -> None:
        self._restyle_pending = False
        if palette.colours() != self._styled:
            self.apply_style()
        # else: a change that alters no colour a chart draws with (the chart put in its page,
        # which restyled and repainted every chart once more as it first appeared)

    def apply_style(self) -> None:
        """Apply the current theme's colours now (subclasses call this as they are made)."""
        self._styled = palette.colours()
        self._restyle()

    def _restyle(self) -> None:
        """Apply the current theme's colours (subclasses)."""
