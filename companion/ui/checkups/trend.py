"""One questionnaire's scores over time, drawn calmly: the severity bands shaded behind, the
results joined by a line, response and remission marked, and the medicines and treatments
other features offer (through the chart overlay extension point) along the bottom.

A picture of what the words beside it say (``describe_trend``), never more: the summary is
its accessible description. Painted with QPainter: a handful of points needs no plotting
library, and the bands, lanes and labels stay exactly where they are put.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QPolygonF,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from companion.core.checkups.trends import CHANGE_KINDS, Trend, describe_trend
from companion.core.extension_points import ChartEvent
from companion.i18n import _, format_date, month_name
from companion.ui import theme
from companion.ui.charts import palette
from companion.ui.timers import in_steps

__all__ = ["Lane", "TrendChart", "lanes"]

PLOT_HEIGHT = 210
AXIS_HEIGHT = 22
LANE_HEIGHT = 20
MAX_LANES = 4
LEFT = 34
RIGHT = 12
TOP = 16
#: a course's name is cut short (with …) beyond this width
NAME_WIDTH = 150.0
#: at least this many days across, so two results a week apart do not fill the width
MIN_DAYS = 42


#: one layer of the chart, drawn with a painter in the chart's colours
_Layer = Callable[[QPainter, palette.ChartColours], None]


@dataclass(frozen=True)
class Lane:
    """A course of treatment placed on a row below the plot (rows never overlap)."""

    event: ChartEvent
    row: int


def lanes(
    events: list[ChartEvent],
    reach: Callable[[ChartEvent], tuple[float, float]],
    limit: int = MAX_LANES,
) -> list[Lane]:
    """Courses (anything but a one-day change) placed on the first row where they fit.

    ``reach`` gives how far a course reaches on screen, from its start to the end of its bar
    or of its name, whichever is further; rows keep a small gap between neighbours."""
    placed: list[Lane] = []
    row_ends: list[float] = []
    courses = [e for e in events if e.kind not in CHANGE_KINDS]
    for event in sorted(courses, key=lambda e: (e.day, e.label)):
        left, right = reach(event)
        for row, free_from in enumerate(row_ends):
            if left > free_from:
                row_ends[row] = right + 6
                placed.append(Lane(event, row))
                break
        else:
            if len(row_ends) < limit:
                row_ends.append(right + 6)
                placed.append(Lane(event, len(row_ends) - 1))
    return placed


class TrendChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.trend: Trend | None = None
        self.placed: list[Lane] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(320)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # a screen reader can reach the words
        self.setProperty("focusRing", True)  # drawn over it when focused (widgets/focus_ring.py)
        self.setAccessibleName(_("Scores over time"))
        #: the chart as last drawn: (size, ratio, theme, font), the trend, the picture
        self._drawn: tuple[tuple[object, ...], Trend, QPixmap] | None = None
        #: the same, being drawn ahead in pieces (``draw_steps``)
        self._ahead: tuple[tuple[object, ...], Trend, QPixmap] | None = None
        #: ``draw_steps`` are under way, started by a resize
        self._drawing_ahead = False
        self._measure()

    def set_trend(self, trend: Trend) -> None:
        self.trend = trend
        self._measure()
        self._place()
        name = trend.questionnaire.name
        self.setAccessibleName(_("{name} scores over time").format(name=name))
        self.setAccessibleDescription(" ".join(describe_trend(trend)))
        self.updateGeometry()
        self.update()

    def _reach(self, event: ChartEvent) -> tuple[float, float]:
        first, last = self._span()
        metrics = self._metrics
        left = self.x_of(max(event.day, first))
        right = max(self.x_of(min(event.until or last, last)), left + 3)
        text = min(metrics.horizontalAdvance(f"← {event.label}"), NAME_WIDTH)
        x = self._name_x(left, right, text)
        return left, max(right, x + text)

    def _name_x(self, left: float, right: float, width: float) -> float:
        """Where a course's name starts: inside its bar when it fits, else just after it,
        else (at the right edge) over the bar from its start."""
        if left + 6 + width <= right - 4 or right + 4 + width > self.width():
            return left + 6
        return right + 4

    def _place(self) -> None:
        self._lay_lanes()
        self._fit_height()

    def _lay_lanes(self) -> None:
        if self.trend is not None:
            self.placed = lanes(list(self.trend.events), self._reach)

    def _fit_height(self) -> None:
        if self.trend is not None and self.height() != self._height():
            self.setFixedHeight(self._height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._place()
        super().resizeEvent(event)
        if self.trend is not None and not self._drawn_now() and not self._drawing_ahead:
            # Out of sight, a page built ahead is given its size as its first screen is
            # painted unseen (``ui/build_ahead.py``, which waits for these steps): the
            # picture is drawn in the next turns, in pieces, not in that paint. (Whether the
            # chart is out of sight is asked then: while a widget is painted unseen, Qt
            # shows it and every widget above it as visible.)
            self._drawing_ahead = True
            in_steps(self, self.draw_steps(), budget_ms=0)

    def _out_of_sight(self) -> bool:
        """Whether the chart is in a window not shown, or in a part of it that is hidden (a
        page not current in the window's stack)."""
        window = self.window()
        return not window.isVisible() or not self.isVisibleTo(window)

    def _rows(self) -> int:
        return max((lane.row + 1 for lane in self.placed), default=0)

    def _height(self) -> int:
        return TOP + PLOT_HEIGHT + AXIS_HEIGHT + self._rows() * LANE_HEIGHT + 6

    def sizeHint(self) -> QSize:
        return QSize(640, self._height())

    # -- geometry ------------------------------------------------------------------------

    def _span(self) -> tuple[date, date]:
        assert self.trend is not None
        start, end = self.trend.start, self.trend.end
        if (end - start).days < MIN_DAYS:
            start = end - timedelta(days=MIN_DAYS)
        return start - timedelta(days=3), end + timedelta(days=3)

    def _measure(self) -> None:
        """The small font and the room at the right for the band names (outside the plot,
        never over a point), worked out once per trend and font, not for every x."""
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.82))
        self._font = small
        self._metrics = QFontMetricsF(small)
        self._room = float(RIGHT)
        if self.trend is not None and self.trend.questionnaire.bands:
            widest = max(
                self._metrics.horizontalAdvance(b.label) for b in self.trend.questionnaire.bands
            )
            self._room = widest + 12

    def _label_room(self) -> float:
        """The band names' room: all they need, up to a third of the chart."""
        return min(self._room, max(90.0, self.width() / 3))

    def _small_font(self) -> QFont:
        return self._font

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._measure()
            self._lay_lanes()
            # its height changed in the next turn, not now: a theme or text size applied sends
            # this to every widget while Qt restyles the whole tree, and a geometry changed in
            # the middle of that is what crashed the process before (ui/reminders.py)
            QTimer.singleShot(0, self, self._fit_height)
        super().changeEvent(event)

    def _plot(self) -> QRectF:
        right = self._label_room() + 14  # and the meaningful-change bracket
        return QRectF(LEFT, TOP, max(10.0, self.width() - LEFT - right), PLOT_HEIGHT)

    def x_of(self, day: date) -> float:
        plot = self._plot()
        first, last = self._span()
        total = max(1, (last - first).days)
        return plot.left() + plot.width() * (day - first).days / total

    def y_of(self, value: float) -> float:
        assert self.trend is not None
        plot = self._plot()
        low, high = self.trend.minimum, self.trend.maximum + self._step() / 2
        return plot.bottom() - plot.height() * (value - low) / max(1.0, high - low)

    def _step(self) -> int:
        """One unit on the shown scale (the WHO-5 moves in fours)."""
        assert self.trend is not None
        return self.trend.questionnaire.scoring.multiplier

    # -- painting ------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        """The chart drawn once into a picture kept for its size, pixel ratio, theme and font,
        then copied at each paint (a page shown again, a focus ring, a scroll: the same
        chart; the page's first open after it was painted unseen is a copy too)."""
        if self.trend is None:
            return
        if not self._drawn_now():
            picture = self._blank()
            self._draw(picture, self._layers())
            self._drawn = (self._key(), self.trend, picture)
        assert self._drawn is not None
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._drawn[2])
        painter.end()

    def draw_steps(self) -> list[Callable[[], object]]:
        """The picture ``paintEvent`` copies, drawn ahead in three pieces, a layer or two
        each (drawn whole by the paint of a page built ahead that painted its first screen
        unseen, the chart made that piece 8-15 ms). A piece that finds the chart changed
        since the first (another trend, size or look) leaves it: the next paint draws it
        whole."""
        layers = self._layers()
        groups = [layers[:1], layers[1:3], layers[3:]]
        return [
            partial(self._draw_ahead, n, group, n == len(groups) - 1)
            for n, group in enumerate(groups)
        ]

    def _draw_ahead(self, n: int, layers: list[_Layer], last: bool) -> None:
        if last:
            self._drawing_ahead = False
        if self.trend is None:
            return
        if n == 0:
            # (on screen, its paint draws it at once)
            wanted = self._out_of_sight() and not self._drawn_now()
            self._ahead = (self._key(), self.trend, self._blank()) if wanted else None
        ahead = self._ahead
        if ahead is None or ahead[0] != self._key() or ahead[1] is not self.trend:
            self._ahead = None  # (changed since: the next paint draws it whole)
            return
        if n and self._drawn_now():
            self._ahead = None  # (painted whole meanwhile)
            return
        self._draw(ahead[2], layers)
        if last:
            self._drawn, self._ahead = ahead, None

    def _key(self) -> tuple[object, ...]:
        """What the picture was drawn for: size, pixel ratio, theme, font."""
        return (self.size(), self.devicePixelRatioF(), theme.current().name, self.font().key())

    def _drawn_now(self) -> bool:
        """Whether the picture kept is of this trend, as it would be drawn now."""
        drawn = self._drawn
        return drawn is not None and drawn[0] == self._key() and drawn[1] is self.trend

    def _blank(self) -> QPixmap:
        ratio = self.devicePixelRatioF()
        picture = QPixmap(self.size() * ratio)
        picture.setDevicePixelRatio(ratio)
        picture.fill(Qt.GlobalColor.transparent)
        return picture

    def _layers(self) -> list[_Layer]:
        """The chart's layers, bottom first."""
        return [self._bands, self._axes, self._events, self._points, self._lanes]

    def _draw(self, device: QPixmap, layers: list[_Layer]) -> None:
        painter = QPainter(device)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = palette.colours()
        painter.setFont(self._small_font())
        for layer in layers:
            layer(painter, pal)
        painter.end()

    def _bands(self, painter: QPainter, pal: palette.ChartColours) -> None:
        assert self.trend is not None
        plot = self._plot()
        accent = QColor(theme.current().accent)
        bands = self.trend.bands()
        lower_is_better = (
            self.trend.questionnaire.change is None
            or self.trend.questionnaire.change.lower_is_better
        )
        count = len(bands)
        metrics = painter.fontMetrics()
        for n, (low, high, band) in enumerate(bands):
            top = self.y_of(high + self._step() / 2)
            bottom = self.y_of(low - self._step() / 2) if n else plot.bottom()
            concern = n if lower_is_better else count - 1 - n
            colour = QColor(accent)
            colour.setAlphaF(0.04 + 0.14 * concern / max(1, count - 1))
            rect = QRectF(plot.left(), top, plot.width(), bottom - top)
            painter.fillRect(rect, colour)
            # the band's name beside it, at its middle (or its top, when it is tall)
            painter.setPen(QColor(pal.muted))
            room = int(self.width() - plot.right() - 18)
            text = metrics.elidedText(band.label, Qt.TextElideMode.ElideRight, room)
            middle = (top + bottom) / 2 + metrics.ascent() / 2 - 1
            y = min(middle, top + metrics.ascent() + 4)
            if rect.height() >= metrics.height() * 0.8:
                painter.drawText(QPointF(plot.right() + 18, y), text)

    def _axes(self, painter: QPainter, pal: palette.ChartColours) -> None:
        assert self.trend is not None
        plot = self._plot()
        metrics = painter.fontMetrics()
        painter.setPen(QPen(QColor(pal.grid), 1))
        painter.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))
        painter.setPen(QColor(pal.muted))
        edges = sorted({low for low, _h, _b in self.trend.bands()} | {self.trend.maximum})
        drawn_at = 1e9
        for value in edges:
            y = self.y_of(value)
            if drawn_at - y < metrics.height() * 0.9 and value != self.trend.maximum:
                continue  # two band edges too close to read apart (PCL-5 31 and 34)
            drawn_at = y
            text = str(value)
            painter.drawText(
                QPointF(
                    plot.left() - metrics.horizontalAdvance(text) - 6, y + metrics.ascent() / 2
                ),
                text,
            )
        first, last = self._span()
        months = _month_starts(first, last)
        baseline = plot.bottom() + 4 + metrics.ascent()
        drawn_to = -1e9
        for n, day in enumerate(months):
            x = self.x_of(day)
            painter.setPen(QPen(QColor(pal.grid), 1))
            painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 3))
            text = month_name(day.month, short=True)
            if day.month == 1 or n == 0:
                text = format_date(day, "month_short")
            width = metrics.horizontalAdvance(text)
            if x + 2 < drawn_to + 8 or x + 2 + width > self.width():
                continue  # never let two labels touch, nor one leave the chart
            painter.setPen(QColor(pal.muted))
            painter.drawText(QPointF(x + 2, baseline), text)
            drawn_to = x + 2 + width

    def _events(self, painter: QPainter, pal: palette.ChartColours) -> None:
        """Starts and stops as faint lines, dose changes dashed with their label."""
        assert self.trend is not None
        plot = self._plot()
        first, last = self._span()
        metrics = painter.fontMetrics()
        label_ends: list[float] = []
        for event in self.trend.events:
            colour = QColor(pal.kind(event.kind))
            if event.kind in CHANGE_KINDS:
                if not first <= event.day <= last:
                    continue
                x = self.x_of(event.day)
                colour.setAlphaF(0.8)
                painter.setPen(QPen(colour, 1.2, Qt.PenStyle.DashLine))
                painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
                width = metrics.horizontalAdvance(event.label)
                row = next((r for r, end in enumerate(label_ends) if x > end + 4), None)
                if row is None:
                    row = len(label_ends)
                    label_ends.append(0.0)
                label_ends[row] = x + 3 + width
                if row < 3:
                    painter.setPen(colour)
                    painter.drawText(
                        QPointF(x + 3, plot.top() + metrics.ascent() + row * metrics.height()),
                        event.label,
                    )
                continue
            colour.setAlphaF(0.35)
            for day in (event.day, event.until):
                if day is not None and first <= day <= last:
                    x = self.x_of(day)
                    style = Qt.PenStyle.SolidLine if day == event.day else Qt.PenStyle.DotLine
                    painter.setPen(QPen(colour, 1.2, style))
                    painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))

    def _points(self, painter: QPainter, pal: palette.ChartColours) -> None:
        assert self.trend is not None
        points = self.trend.points
        if not points:
            painter.setPen(QColor(pal.muted))
            plot = self._plot()
            painter.drawText(
                plot, Qt.AlignmentFlag.AlignCenter, _("No results with a total in this period.")
            )
            return
        line = QColor(pal.mood)
        path = QPainterPath()
        for n, point in enumerate(points):
            spot = QPointF(self.x_of(point.day), self.y_of(point.value))
            if n == 0:
                path.moveTo(spot)
            else:
                path.lineTo(spot)
        painter.setPen(QPen(line, 2.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        self._meaningful(painter, pal)
        mark = QColor(pal.points)
        for point in points:
            spot = QPointF(self.x_of(point.day), self.y_of(point.value))
            if point.remission:
                painter.setPen(QPen(QColor(pal.background), 1.2))
                painter.setBrush(mark)
                painter.drawPolygon(QPolygonF(_diamond(spot, 7.5)))
                continue
            painter.setPen(QPen(QColor(pal.background), 1.2))
            painter.setBrush(line)
            painter.drawEllipse(spot, 4.0, 4.0)
            if point.response:
                painter.setPen(QPen(mark, 2.0))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawEllipse(spot, 7.0, 7.0)

    def _meaningful(self, painter: QPainter, pal: palette.ChartColours) -> None:
        """Beside the latest result: the span a change must leave to count as meaningful
        (clinical-reference §2.1: mark the threshold, not every wiggle)."""
        assert self.trend is not None
        rule = self.trend.questionnaire.change
        if rule is None or not self.trend.points:
            return
        last = self.trend.points[-1]
        x = self._plot().right() + 8
        low = max(self.trend.minimum, last.value - rule.meaningful)
        high = min(self.trend.maximum, last.value + rule.meaningful)
        colour = QColor(pal.muted)
        painter.setPen(QPen(colour, 1.2))
        top, bottom = self.y_of(high), self.y_of(low)
        painter.drawLine(QPointF(x, top), QPointF(x, bottom))
        painter.drawLine(QPointF(x - 3, top), QPointF(x + 3, top))
        painter.drawLine(QPointF(x - 3, bottom), QPointF(x + 3, bottom))

    def _lanes(self, painter: QPainter, pal: palette.ChartColours) -> None:
        assert self.trend is not None
        plot = self._plot()
        first, last = self._span()
        metrics = painter.fontMetrics()
        top = plot.bottom() + AXIS_HEIGHT
        for lane in self.placed:
            event = lane.event
            colour = QColor(pal.kind(event.kind))
            start = max(event.day, first)
            end = min(event.until or last, last)
            if end < first or start > last:
                continue
            left, right = self.x_of(start), max(self.x_of(end), self.x_of(start) + 3)
            y = top + lane.row * LANE_HEIGHT
            fill = QColor(colour)
            fill.setAlphaF(0.22)
            bar = QRectF(left, y + 2, right - left, LANE_HEIGHT - 6)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(bar, 3, 3)
            painter.setBrush(colour)
            painter.drawRect(QRectF(left, y + 2, 2.5, LANE_HEIGHT - 6))
            if event.until is not None and event.until <= last:
                painter.drawRect(QRectF(right - 2.5, y + 2, 2.5, LANE_HEIGHT - 6))
            painter.setPen(QColor(pal.text))
            text = f"← {event.label}" if event.day < first else event.label
            width = min(metrics.horizontalAdvance(f"← {event.label}"), NAME_WIDTH)
            x = self._name_x(left, right, width)
            shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(NAME_WIDTH))
            painter.drawText(QPointF(x, y + 2 + metrics.ascent()), shown)


def _diamond(centre: QPointF, size: float) -> list[QPointF]:
    return [
        QPointF(centre.x(), centre.y() - size),
        QPointF(centre.x() + size, centre.y()),
        QPointF(centre.x(), centre.y() + size),
        QPointF(centre.x() - size, centre.y()),
    ]


def _month_starts(first: date, last: date) -> list[date]:
    out = []
    day = date(first.year, first.month, 1)
    if day < first:
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    while day <= last:
        out.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return out
