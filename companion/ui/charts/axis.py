"""Dates on chart axes: a day is drawn at x = seconds since 1970-01-01 (UTC) of its noon.

Local calendar days are used throughout (the diary's days), so the axis is told its offset is 0
and never shifts a day across midnight.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

DAY_SECONDS = 86_400.0
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def day_start(day: date) -> float:
    """x of the start (midnight) of a day."""
    return (day.toordinal() - _EPOCH_ORDINAL) * DAY_SECONDS


def day_x(day: date) -> float:
    """x of a day's point (its noon, so bars and markers sit in the middle of the day)."""
    return day_start(day) + DAY_SECONDS / 2


def x_day(x: float) -> date:
    """The day an x position falls in."""
    return date.fromordinal(int(x // DAY_SECONDS) + _EPOCH_ORDINAL)


class _SameLabelOnce:
    """An axis whose title is laid out only while it is shown, and again only when its text
    changes. pyqtgraph sets the title's HTML again (a text document parsed and laid out) at
    every change of range, pen or text pen, shown or not: five times for each axis of a new
    chart, and once a frame while a chart is panned, for titles the charts never show. Mixed
    in before ``pg.AxisItem``; a title that is shown has the same text as before."""

    _title_html: str | None = None

    def _updateLabel(self) -> None:  # pyqtgraph's name
        label = self.label  # type: ignore[attr-defined]
        if label.isVisibleTo(self):  # its own flag (the axis itself may be hidden)
            html = self.labelString()  # type: ignore[attr-defined]
            if html != self._title_html:
                self._title_html = html
                label.setHtml(html)
        self._adjustSize()  # type: ignore[attr-defined]
        self.picture = None
        self.update()  # type: ignore[attr-defined]

    def showLabel(self, show: bool = True) -> None:  # pyqtgraph's name
        super().showLabel(show)  # type: ignore[misc]
        if show:
            self._updateLabel()  # the text it has now (also without the SI prefix update)


class QuietAxis(_SameLabelOnce, pg.AxisItem):  # type: ignore[misc]
    """pyqtgraph's axis, its title laid out only when it changes."""


class PlotWidget(pg.PlotWidget):  # type: ignore[misc]
    """pyqtgraph's plot widget, its viewport (a plain ``QWidget``, as pyqtgraph's own) made
    in Python rather than asked of Qt.

    Drawn without OpenGL, pyqtgraph keeps the viewport ``QGraphicsView`` makes itself, but
    asks for it first to see what it is; the first time in a process that PySide meets a
    widget Qt made, it looks for its Python type among every widget class it has, creating
    each (~9 ms, the largest part of a first chart's making). A viewport made here has its
    type already: the same widget for Qt (which sets a viewport up as its own: background
    role, fill, focus, drops; a test compares them), and for pyqtgraph, which finds the plain
    ``QWidget`` it wants and leaves it in place. Switching to OpenGL and back works as in
    pyqtgraph."""

    _viewport_made = False

    def useOpenGL(self, b: bool = True) -> None:  # pyqtgraph's name
        if b or self._viewport_made:
            super().useOpenGL(b)
            return
        self._viewport_made = True
        self.setViewport(QWidget())


def plot_widget(bottom: pg.AxisItem | None = None) -> pg.PlotWidget:
    """A pyqtgraph plot without its context menu, its four axes :class:`QuietAxis` (or
    ``bottom``), the left and bottom ones shown, as pyqtgraph's own plot has them."""
    pieces = PlotPieces(lambda: bottom)
    for piece in pieces.steps():
        piece()
    assert pieces.plot is not None
    return pieces.plot


class PlotPieces:
    """:func:`plot_widget` made in three pieces, one a call of ``steps()``'s: the axes, the
    plot item, then the widget around it (about 2, 5 and 3 ms; the plot made at once was one
    10-25 ms turn of the Charts tab's first open). ``plot`` is the plot once the last has
    run. ``bottom`` makes the bottom axis (None: a :class:`QuietAxis`)."""

    def __init__(self, bottom: Callable[[], pg.AxisItem | None] | None = None) -> None:
        self._bottom = bottom
        self._axes: dict[str, pg.AxisItem] | None = None
        self._item: pg.PlotItem | None = None
        self.plot: pg.PlotWidget | None = None

    def steps(self) -> list[Callable[[], None]]:
        return [self._make_axes, self._make_item, self._make_widget]

    def _make_axes(self) -> None:
        bottom = self._bottom() if self._bottom is not None else None
        self._axes = {
            side: bottom if side == "bottom" and bottom is not None else QuietAxis(orientation=side)
            for side in ("left", "bottom", "right", "top")
        }

    def _make_item(self) -> None:
        if self._axes is None:
            self._make_axes()
        self._item = pg.PlotItem(axisItems=self._axes, enableMenu=False)
        self._axes = None

    def _make_widget(self) -> None:
        if self._item is None:
            self._make_item()
        plot = PlotWidget(plotItem=self._item)
        self._item = None
        item = plot.getPlotItem()
        item.hideAxis("top")  # shown by pyqtgraph because they were given
        item.hideAxis("right")
        plot.installEventFilter(_same_when_inactive())
        self.plot = plot


class _SameWhenInactive(QObject):
    """Keeps a window's activation changes from a plot: nothing a chart draws depends on
    whether its window is the active one (the palette's active and inactive colours are the
    same), but every graphics widget of pyqtgraph's scene (the plot, its view, each axis)
    asks for a repaint when it hears of one, so a check-in window opening over the charts, or
    closing, repainted every chart behind it in full (5-10 ms a chart). The scene is still
    activated and deactivated as its view is shown and hidden."""

    _TYPES = (QEvent.Type.WindowActivate, QEvent.Type.WindowDeactivate)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        return event.type() in self._TYPES


_FILTER: list[_SameWhenInactive] = []


def _same_when_inactive() -> _SameWhenInactive:
    if not _FILTER:
        _FILTER.append(_SameWhenInactive())
    return _FILTER[0]


class DayAxis(_SameLabelOnce, pg.DateAxisItem):  # type: ignore[misc]
    """pyqtgraph's date axis at UTC offset 0, the same ticks and labels found with less work:
    a pan frame remade them all, moving every tick by an offset worked out through Qt date
    objects (0 here) and formatting every label again (the same text for the same tick)."""

    def __init__(self) -> None:
        super().__init__(orientation="bottom", utcOffset=0)
        self._labels: dict[tuple[int, float, float], str] = {}
        for level in self.zoomLevels.values():
            level.moveTicksToLocalTimeCoords = _unmoved(level)

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        level = id(self.zoomLevel)
        missing = [v for v in values if (level, spacing, v) not in self._labels]
        if missing:
            if len(self._labels) > 4096:
                self._labels.clear()
            for v, text in zip(missing, super().tickStrings(missing, scale, spacing), strict=True):
                self._labels[(level, spacing, v)] = text
        return [self._labels[(level, spacing, v)] for v in values]


def _unmoved(level: Any) -> Any:
    """``ZoomLevel.moveTicksToLocalTimeCoords`` for an offset of 0: ticks of a day or longer
    move by ``applyOffsetToUtc(tick, 0)``, which is 0 (hourly ticks still go to pyqtgraph)."""
    original = level.moveTicksToLocalTimeCoords

    def move(ticks: Any, spacing: int, skip_factor: int) -> Any:
        if level.utcOffset == 0 and spacing > _HOUR:
            return ticks
        return original(ticks, spacing, skip_factor)

    return move


_HOUR = 3600


def date_axis() -> pg.DateAxisItem:
    return DayAxis()
