"""The mood chart, and the small API other features draw on it with.

Usage from another feature (e.g. the medication page)::

    from companion.ui.charts.api import MoodChart

    chart = MoodChart(metrics=("mood",))
    chart.load(diary.service(MoodService))                # daily series from SQL
    chart.set_range(date(2024, 1, 1), date(2024, 6, 30))
    dose = chart.add_event_marker(date(2024, 3, 4), "Sertraline 100 mg", kind="dose")
    trial = chart.add_period(date(2024, 2, 1), None, "Sertraline", kind="treatment")
    phq = chart.add_points("phq9", [(date(2024, 2, 1), 17.0)], "PHQ-9 score")
    chart.remove(dose)
    chart.clear_overlays()

Kinds (event, medication, dose, treatment, questionnaire, exercise, note: the keys of
``ChartColours.kinds`` in ``palette.py``) map to theme colours; an unknown kind is drawn as
"event". Handles are opaque :class:`Overlay`
objects. Everything is redrawn in the new colours when the theme changes, and the text summary
beside the chart (for screen readers, and for anyone who prefers words) lists the overlays too.

Performance: the daily series comes from SQLite (``MoodService.daily_aggregates``), one point a
day; curves clip to the view and use weekly or monthly points when zoomed out, and the min–max
band is drawn from columns of device pixels kept between frames (:class:`BandItem`), so a pan
frame over ten years costs little more than an empty plot's (``bench/bench_charts.py``).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPixmap, QTransform
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from companion.core.mood.entries import ROLLING_WINDOW_DAYS
from companion.core.mood.service import DailyPoint, MoodService
from companion.i18n import N_, _
from companion.ui import theme
from companion.ui.charts import palette
from companion.ui.charts.axis import (
    DAY_SECONDS,
    date_axis,
    day_start,
    day_x,
    plot_widget,
    x_day,
)
from companion.ui.charts.summary import describe_overlays, describe_series
from companion.ui.charts.themed import ThemedChart, style_axes
from companion.ui.widgets.measured import MeasuredLabel

if TYPE_CHECKING:  # the statistics module (eleven dataclasses, ~5 ms) only when asked for
    from companion.core.mood.stats import RollingPoint

#: the ratings a chart can draw, as its legend names them (translated where shown)
METRIC_LABELS: dict[str, str] = {
    "mood": N_("Mood"),
    "anxiety": N_("Anxiety"),
    "energy": N_("Energy"),
    "irritability": N_("Irritability"),
}
#: the same inside a sentence ("dots and shading: mood each day")
#: the legend's words for the overlays a chart holds: (kind, mark, name)
OVERLAY_LEGEND: tuple[tuple[str, str, str], ...] = (
    ("medication", "■", N_("a medicine taken")),
    ("treatment", "■", N_("another treatment")),
    ("dose", "┆", N_("a dose change")),
)

METRIC_NOUNS: dict[str, str] = {
    "mood": N_("mood"),
    "anxiety": N_("anxiety"),
    "energy": N_("energy"),
    "irritability": N_("irritability"),
}
#: above this many days in view the daily dots are hidden (the band and the line remain)
DOTS_MAX_DAYS = 200
#: the left axis has the same width on every chart, so charts stacked above each other align
AXIS_WIDTH = 44


class Overlay:
    """A handle for something drawn with the API (pass it to :meth:`MoodChart.remove`); equal
    only to itself.

    (The chart modules' value types are plain classes and named tuples, not dataclasses: a
    dataclass writes and compiles its methods as its module is imported, ~0.2-0.8 ms each,
    which a chart's first draw waited for.)"""

    def __init__(
        self,
        shape: str,  # "marker", "period" or "points"
        kind: str,
        label: str,
        start: date | None = None,
        end: date | None = None,
        points: tuple[tuple[date, float], ...] = (),
        series_name: str = "",
    ) -> None:
        self.shape = shape
        self.kind = kind
        self.label = label
        self.start = start
        self.end = end
        self.points = points
        self.series_name = series_name
        #: what is drawn for it
        self.items: list[Any] = []

    def __repr__(self) -> str:
        return (
            f"Overlay(shape={self.shape!r}, kind={self.kind!r}, label={self.label!r}, "
            f"start={self.start!r}, end={self.end!r}, points={self.points!r}, "
            f"series_name={self.series_name!r})"
        )


#: band paths are cut into chunks of about this many points, so a frame paints only what is
#: in view
CHUNK = 120
_EPOCH = date(1970, 1, 1).toordinal()


def level_for(days_in_view: float, pixels: float) -> int:
    """Days per point (1, 7 or 30) for the days in view. Zoomed out far, a point stands for a
    week or a month (mean of the daily means; the band spans the lowest and highest day inside
    it), so a frame never paints more points than there are pixels."""
    per_pixel = days_in_view / max(pixels, 1.0)
    if per_pixel <= 1.0:
        return 1
    if per_pixel <= 6.0:
        return 7
    return 30


def _x(ordinals: np.ndarray) -> np.ndarray:
    """Chart x (seconds, the middle of the day) of calendar ordinals."""
    return (ordinals.astype(float) - _EPOCH) * DAY_SECONDS + DAY_SECONDS / 2


def _day_of(point: DailyPoint) -> date:
    return point.day


class Series(NamedTuple):
    """One rating's daily points as arrays (calendar ordinals, mean, lowest, highest)."""

    days: np.ndarray
    mean: np.ndarray
    low: np.ndarray
    high: np.ndarray

    @classmethod
    def of(cls, points: Sequence[DailyPoint]) -> Series:
        if not points:
            return cls(np.array([], dtype=np.int64), *(np.array([], dtype=float),) * 3)
        # the points' columns in one transposition (named tuples), no generator per column
        days, mean, low, high, _ = zip(*points, strict=True)
        return cls(
            np.fromiter(map(date.toordinal, days), dtype=np.int64, count=len(days)),
            np.array(mean, dtype=float),
            np.array(low, dtype=float),
            np.array(high, dtype=float),
        )

    def updated(self, days: np.ndarray, points: Sequence[DailyPoint]) -> Series:
        """These arrays with the calendar ordinals ``days`` taken out and ``points`` put in,
        in day order: ``Series.of`` of the points so changed, without going through them
        all again."""
        keep = ~np.isin(self.days, days)
        added = Series.of(points)
        joined = [np.concatenate((old[keep], new)) for old, new in zip(self, added, strict=True)]
        order = np.argsort(joined[0], kind="stable")
        return Series(*(column[order] for column in joined))

    def rolling(self, window: int = ROLLING_WINDOW_DAYS) -> tuple[np.ndarray, np.ndarray]:
        """Every calendar day from the first to the last logged day and its trailing mean of
        daily means over the logged days in the window (NaN where none were logged): the
        same rule as ``mood_stats.rolling_mean``, in array form."""
        if not len(self.days):
            return np.array([], dtype=np.int64), np.array([], dtype=float)
        first = int(self.days[0])
        n = int(self.days[-1]) - first + 1
        sums = np.zeros(n)
        counts = np.zeros(n)
        sums[self.days - first] = self.mean
        counts[self.days - first] = 1.0
        cum_sum = np.concatenate(([0.0], np.cumsum(sums)))
        cum_count = np.concatenate(([0.0], np.cumsum(counts)))
        upper = np.arange(1, n + 1)
        lower = np.maximum(0, upper - window)
        total = cum_sum[upper] - cum_sum[lower]
        count = cum_count[upper] - cum_count[lower]
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(count > 0, total / np.maximum(count, 1.0), np.nan)
        return np.arange(first, first + n, dtype=np.int64), mean

    def bucketed(self, size: int) -> Series:
        """Calendar-aligned buckets of ``size`` days, each on its middle day."""
        if size == 1 or not len(self.days):
            return self
        index = self.days // size
        starts = np.flatnonzero(np.concatenate(([True], index[1:] != index[:-1])))
        counts = np.diff(np.concatenate((starts, [len(index)])))
        return Series(
            index[starts] * size + size // 2,
            np.add.reduceat(self.mean, starts) / counts,
            np.minimum.reduceat(self.low, starts),
            np.maximum.reduceat(self.high, starts),
        )


def band_chunks(series: Series, size: int) -> list[tuple[QRectF, QPainterPath]]:
    """Filled min–max polygons, one per run of consecutive points, grouped into chunks."""
    chunks: list[tuple[QRectF, QPainterPath]] = []
    if not len(series.days):
        return chunks
    breaks = np.flatnonzero(np.diff(series.days) != size) + 1
    runs = np.split(np.arange(len(series.days)), breaks)
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    connect: list[np.ndarray] = []
    count = 0
    half = DAY_SECONDS * size * 0.3

    def flush() -> None:
        nonlocal xs, ys, connect, count
        if xs:
            path = pg.arrayToQPath(
                np.concatenate(xs), np.concatenate(ys), connect=np.concatenate(connect)
            )
            chunks.append((path.boundingRect(), path))
        xs, ys, connect, count = [], [], [], 0

    for run in runs:
        x = _x(series.days[run])
        if len(run) == 1:  # a lone point: a narrow bar
            x = np.array([x[0] - half, x[0] + half])
            top = np.repeat(series.high[run], 2)
            bottom = np.repeat(series.low[run], 2)
        else:
            top, bottom = series.high[run], series.low[run]
        px = np.concatenate((x, x[::-1], x[:1]))
        py = np.concatenate((top, bottom[::-1], top[:1]))
        joins = np.ones(len(px), dtype=np.int32)
        joins[-1] = 0
        xs.append(px)
        ys.append(py)
        connect.append(joins)
        count += len(run)
        if count >= CHUNK:
            flush()
    flush()
    return chunks


class BandOutline(NamedTuple):
    """The band's vertices in chart coordinates, oldest first: the same vertices as the
    polygons of :func:`band_chunks` (a lone point is a narrow bar: two vertices), and whether
    each vertex is joined to the next (False across a day that was not logged)."""

    x: np.ndarray
    top: np.ndarray
    bottom: np.ndarray
    joined: np.ndarray  # len(x) - 1 booleans

    @classmethod
    def of(cls, series: Series, size: int) -> BandOutline:
        n = len(series.days)
        if not n:
            empty = np.array([], dtype=float)
            return cls(empty, empty, empty, np.array([], dtype=bool))
        x = _x(series.days)
        step = np.diff(series.days) == size
        # a point joined to neither neighbour is a lone point: a bar of 0.6 of its width
        lone = ~(np.concatenate(([False], step)) | np.concatenate((step, [False])))
        repeat = np.where(lone, 2, 1)
        xs = np.repeat(x, repeat)
        half = DAY_SECONDS * size * 0.3
        first = np.cumsum(repeat) - repeat  # index in xs of each point's first vertex
        xs[first[lone]] -= half
        xs[first[lone] + 1] += half
        joined = np.zeros(max(len(xs) - 1, 0), dtype=bool)
        joined[first[:-1][step]] = True  # point i to point i + 1 (both not lone)
        joined[first[lone]] = True  # the two vertices of a bar
        return cls(xs, np.repeat(series.high, repeat), np.repeat(series.low, repeat), joined)


def band_columns(
    outline: BandOutline, sx: float, dx: float, sy: float, dy: float, c0: int, c1: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The band in device pixels for columns ``c0`` to ``c1`` (exclusive): the columns it
    covers and, for each, its first row and the row after its last. A pixel is filled when
    its centre is inside the band, the rule Qt fills an aliased polygon with, so the picture
    is that of :func:`band_chunks` drawn with this transform (x' = sx·x + dx, y' = sy·y + dy)
    but found in a few array operations over the columns."""
    n = len(outline.x)
    none = np.zeros(0, dtype=np.int64)
    if n < 2 or c1 <= c0 or sx <= 0:
        return none, none, none
    cols = np.arange(c0, c1)
    x = (cols + 0.5 - dx) / sx
    i = np.searchsorted(outline.x, x, side="right") - 1
    inside = (i >= 0) & (i < n - 1)
    i = np.clip(i, 0, n - 2)
    inside &= outline.joined[i]
    x0, x1 = outline.x[i], outline.x[i + 1]
    with np.errstate(invalid="ignore", divide="ignore"):
        f = np.where(x1 > x0, (x - x0) / (x1 - x0), 0.0)
    top = outline.top[i] + f * (outline.top[i + 1] - outline.top[i])
    bottom = outline.bottom[i] + f * (outline.bottom[i + 1] - outline.bottom[i])
    ya, yb = top * sy + dy, bottom * sy + dy
    y0 = np.ceil(np.minimum(ya, yb) - 0.5)
    y1 = np.ceil(np.maximum(ya, yb) - 0.5)
    keep = inside & (y1 > y0)
    return cols[keep], y0[keep].astype(np.int64), y1[keep].astype(np.int64)


def premultiplied(colour: QColor) -> int:
    """A colour as one ARGB32 premultiplied pixel."""
    a = colour.alpha()
    r, g, b = ((v * a + 127) // 255 for v in (colour.red(), colour.green(), colour.blue()))
    return (a << 24) | (r << 16) | (g << 8) | b


class BandImage(NamedTuple):
    """The band of one frame as an image in device pixels, and where it goes."""

    image: QImage
    pixels: np.ndarray  # the image's memory (QImage does not own it)
    left: int
    top: int


def band_image(cols: np.ndarray, y0: np.ndarray, y1: np.ndarray, pixel: int) -> BandImage | None:
    """Columns (from :func:`band_columns`) filled with ``pixel`` in an image just large enough."""
    if not len(cols):
        return None
    left, top = int(cols[0]), int(y0.min())
    width, height = int(cols[-1]) - left + 1, int(y1.max()) - top
    # rows as narrow integers as they fit in, and the colour set by multiplying the 0/1 mask
    # rather than chosen pixel by pixel: a sixth of the time, at every frame
    rows_type = np.int16 if height < 2**15 else np.int32
    first: np.ndarray = np.full(width, height, dtype=rows_type)  # columns not covered: empty
    after: np.ndarray = np.zeros(width, dtype=rows_type)
    first[cols - left] = y0 - top
    after[cols - left] = y1 - top
    rows: np.ndarray = np.arange(height, dtype=rows_type)[:, None]
    pixels = ((rows >= first) & (rows < after)).astype(np.uint32)
    pixels *= np.uint32(pixel)
    image = QImage(pixels.data, width, height, width * 4, QImage.Format.Format_ARGB32_Premultiplied)
    return BandImage(image, pixels, left, top)


class BandItem(pg.GraphicsObject):  # type: ignore[misc]
    """The daily min–max range (a break wherever a day is not logged), one outline per level
    of detail, built when first needed and kept until the data changes.

    On screen the band of a frame is found column by column in device pixels
    (:func:`band_columns`) and drawn as one image (:func:`band_image`), kept and drawn again
    while neither the view, the data, the level nor the colour changes. Filling the polygon
    itself costs rows × edges, and blending a translucent brush span by span costs about as
    much again: 6–14 ms a frame for ten years of weekly points, the largest part of a pan
    frame; the image costs about 1.5 ms. Other paint devices (a PDF, an SVG) get the
    polygons, cut into chunks so only what is in view is drawn."""

    def __init__(self) -> None:
        super().__init__()
        self._series = Series.of([])
        self._chunks: dict[int, list[tuple[QRectF, QPainterPath]]] = {}
        self._outlines: dict[int, BandOutline] = {}
        self._frame_key: tuple[object, ...] | None = None
        self._frame: BandImage | None = None
        self._level = 1
        self._brush = pg.mkBrush(0, 0, 0, 30)
        self._rect = QRectF()

    def set_series(self, series: Series) -> None:
        self.prepareGeometryChange()
        self._series = series
        self._chunks = {}
        self._outlines = {}
        self._frame_key = None
        if len(series.days):
            x0, x1 = _x(series.days[[0, -1]])
            low, high = float(series.low.min()), float(series.high.max())
            self._rect = QRectF(x0 - DAY_SECONDS, low, x1 - x0 + 2 * DAY_SECONDS, high - low)
        else:
            self._rect = QRectF()
        self.update()

    def chunks(self, size: int) -> list[tuple[QRectF, QPainterPath]]:
        if size not in self._chunks:
            self._chunks[size] = band_chunks(self._series.bucketed(size), size)
        return self._chunks[size]

    def outline(self, size: int) -> BandOutline:
        if size not in self._outlines:
            self._outlines[size] = BandOutline.of(self._series.bucketed(size), size)
        return self._outlines[size]

    def set_level(self, size: int) -> None:
        if size != self._level:
            self._level = size
            self.update()

    def set_brush(self, brush: Any) -> None:
        self._brush = brush
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, *args: object) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._brush)
        # pixels (the screen, an image) rather than a PDF or SVG; asked of the device, because
        # the paint engine a binding hands back is not safe to hold
        device = painter.device()
        if isinstance(device, (QWidget, QImage, QPixmap)):
            # to device pixels from the painter's origin (the world transform: not the device
            # transform, which also holds the offset of a widget painted inside another)
            ratio = device.devicePixelRatioF()
            to_pixels = painter.worldTransform() * QTransform.fromScale(ratio, ratio)
            if to_pixels.isAffine() and to_pixels.m12() == 0 and to_pixels.m21() == 0:
                self._paint_columns(painter, to_pixels, ratio)
                return
        view = self.viewRect()
        for rect, path in self.chunks(self._level):
            if view is None or (rect.right() >= view.left() and rect.left() <= view.right()):
                painter.drawPath(path)

    def _paint_columns(self, painter: QPainter, to_device: QTransform, ratio: float) -> None:
        view = self.viewRect()
        if view is None:
            view = self._rect
        left = to_device.map(view.topLeft()).x()
        right = to_device.map(view.bottomRight()).x()
        c0, c1 = math.floor(min(left, right)), math.ceil(max(left, right))
        key = (
            self._level,
            premultiplied(self._brush.color()),
            to_device.m11(),
            to_device.dx(),
            to_device.m22(),
            to_device.dy(),
            c0,
            c1,
        )
        if key != self._frame_key:
            cols, y0, y1 = band_columns(self.outline(self._level), *key[2:])
            self._frame = band_image(cols, y0, y1, key[1])
            self._frame_key = key
        if self._frame is None:
            return
        painter.save()
        painter.setWorldTransform(QTransform.fromScale(1 / ratio, 1 / ratio))
        painter.drawImage(QPoint(self._frame.left, self._frame.top), self._frame.image)
        painter.restore()


#: one rating's items on the mood chart: its min–max band, its dots, its line
ChartItems = tuple[BandItem, pg.PlotDataItem, pg.PlotDataItem]


def chart_items(metrics: Sequence[str]) -> dict[str, ChartItems]:
    """The items :class:`MoodChart` draws each rating with, made before the chart (in a turn
    of their own: 3-4 ms of its 7 for three ratings) or by it."""
    items: dict[str, ChartItems] = {}
    for metric in metrics:
        dots = pg.PlotDataItem([], [], pen=None, symbol="o", symbolSize=5, name=metric)
        line = pg.PlotDataItem([], [], connect="finite", antialias=True)
        line.curve.setSegmentedLineMode("auto")
        items[metric] = (BandItem(), dots, line)
    return items


class MoodChart(ThemedChart):
    """Daily mean, min–max band and 7-day rolling mean of mood (and optionally anxiety,
    energy, irritability) over a date axis, with overlays other features add.

    ``metrics``: which ratings to draw (mood first). The y axis is the 0–10 scale; points added
    with :meth:`add_points` get a second axis on the right.
    """

    #: the visible date range changed (after a preset, a pan or a zoom): (first day, last day)
    range_changed = Signal(object, object)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        metrics: Sequence[str] = ("mood", "anxiety", "energy"),
        show_summary: bool = True,
        accessible_name: str | None = None,
        plot: pg.PlotWidget | None = None,
        items: Mapping[str, ChartItems] | None = None,
    ) -> None:
        """``plot``: the plot made a turn before (``axis.plot_widget(bottom=date_axis())``,
        about half of the chart's making), so that neither turn holds the window long;
        ``items``: the chart's items made a turn before too (``chart_items(metrics)``, about
        half of the rest)."""
        super().__init__(parent)
        for metric in metrics:
            if metric not in METRIC_LABELS:
                raise ValueError(f"not a chartable rating: {metric}")
        self.metrics: tuple[str, ...] = tuple(metrics)
        self.visible: dict[str, bool] = dict.fromkeys(self.metrics, True)
        self.daily: dict[str, list[DailyPoint]] = {m: [] for m in self.metrics}
        self.series: dict[str, Series] = {m: Series.of([]) for m in self.metrics}
        self.overlays: list[Overlay] = []
        #: metric → (calendar ordinals, 7-day rolling mean with NaN gaps)
        self._rolling: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._dots_loaded: set[str] = set()
        self._smooth = True
        self._level = 0
        self._range: tuple[date, date] | None = None
        self._all_days = False  # every day with data, once there is any (show_all_days)
        self._limits_only = False  # the view moved by new limits, redrawn just after

        self.plot = plot if plot is not None else plot_widget(bottom=date_axis())
        self.plot.setAccessibleName(accessible_name or _("Mood chart"))
        self.plot.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.plot.setMinimumHeight(220)
        self.plot.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.item: pg.PlotItem = self.plot.getPlotItem()
        self.item.hideButtons()
        self.item.setMenuEnabled(False)
        self.item.setMouseEnabled(x=True, y=False)
        self.item.setYRange(-0.3, 10.9, padding=0)
        self.item.getAxis("left").setTicks([[(v, str(v)) for v in (0, 2, 4, 6, 8, 10)]])
        self.item.getAxis("left").setWidth(AXIS_WIDTH)
        self.item.showGrid(x=False, y=True, alpha=0.25)
        self.vb: pg.ViewBox = self.item.getViewBox()

        if items is None or tuple(items) != self.metrics:
            items = chart_items(self.metrics)
        self.bands: dict[str, BandItem] = {}
        self.dots: dict[str, pg.PlotDataItem] = {}
        self.lines: dict[str, pg.PlotDataItem] = {}
        for metric in self.metrics:
            band, dots, line = items[metric]
            self.item.addItem(band)
            self.bands[metric] = band
            self.item.addItem(dots)
            self.dots[metric] = dots
            self.item.addItem(line)
            self.lines[metric] = line
            # only the days in view (and one either side) are handed to the curve and the
            # dots: ten years' paths painted for a three-month view cost 10-12 ms a frame.
            # (Set after ``addItem``, which sets it from the plot's context menu: a
            # ``clipToView`` given to the constructor was undone there.)
            for data in (dots, line):
                data.setClipToView(True)

        # the second axis, created on first use by add_points
        self._right_vb: pg.ViewBox | None = None

        self.legend = MeasuredLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setAccessibleName(_("Chart legend"))
        self.legend.setWordWrap(True)
        self.summary = MeasuredLabel()
        self.summary.setObjectName("Muted")
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(_("Chart summary"))
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setMinimumWidth(180)
        self.summary.setMaximumWidth(280)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(16)
        left = QVBoxLayout()
        left.setSpacing(6)
        left.addWidget(self.legend)
        left.addWidget(self.plot, 1)
        outer.addLayout(left, 1)
        outer.addWidget(self.summary)
        if plot is not None:
            self.plot.show()  # (made ahead, hidden: shown with this chart)
        if not show_summary:
            # only once it has a parent: a parentless label shown or hidden is a window of its
            # own for a moment, and takes the activation from the main window
            self.summary.hide()

        #: the last period settled on was one the person moved to, not one set by ``set_range``
        self.moved_by_person = False
        self._range_timer = QTimer(self)
        self._range_timer.setSingleShot(True)
        self._range_timer.setInterval(120)
        self._range_timer.timeout.connect(self._range_settled)
        self.vb.sigXRangeChanged.connect(self._x_changed)
        self.vb.sigResized.connect(self._place_period_names)
        # What follows from the overlays (limits, legend, course names, summary) is worked out
        # once for all the overlays added or removed since, not once per overlay: before the
        # chart is next drawn, at the end of the turn if it is not drawn, or when asked.
        self._overlays_changed = False
        self._overlays_timer = QTimer(self)
        self._overlays_timer.setSingleShot(True)
        self._overlays_timer.setInterval(0)
        self._overlays_timer.timeout.connect(self.apply_overlays)
        self.plot.scene().sigPrepareForPaint.connect(self.apply_overlays)
        #: how many times the overlays' consequences were worked out (for tests)
        self.overlay_updates = 0
        self.apply_style()

    # -- data --------------------------------------------------------------------------------

    def load(
        self, service: MoodService, start: date | None = None, end: date | None = None
    ) -> None:
        """Read the daily series from the diary (SQL aggregates: fast even for ten years)."""
        self.set_daily(service.daily_aggregates_all(start, end, ratings=self.metrics))

    def set_daily(self, daily: Mapping[str, Sequence[DailyPoint]]) -> None:
        """Draw these daily points (oldest first); metrics not given are cleared."""
        for metric in self.metrics:
            self._set_points(metric, list(daily.get(metric, ())))
        self._redraw()

    def update_days(self, daily: Mapping[str, Sequence[DailyPoint]], days: Iterable[date]) -> None:
        """Replace the points of ``days`` only, keeping every other day (after a check-in or an
        edit: the day it touched is read again, not ten years). A day missing from ``daily``
        has no value any more."""
        changed = set(days)
        if not changed:
            return
        ordinals = np.array(sorted(d.toordinal() for d in changed), dtype=np.int64)
        for metric in self.metrics:
            # The few days changed are taken out of, and put into, the points and the arrays
            # kept (both in day order), rather than ten years' points filtered, sorted and
            # turned into arrays again (~1 ms a rating), in the turn a check-in's day comes
            # back with the charts showing: this method at ten years, 4.4 ms → 2.2
            points = list(self.daily[metric])
            gone = False
            for day in changed:
                at = bisect.bisect_left(points, day, key=_day_of)
                while at < len(points) and points[at].day == day:
                    del points[at]
                    gone = True
            new = sorted(daily.get(metric, ()), key=_day_of)
            if not new and not gone:
                continue  # this rating had no value on those days, before or after
            for point in new:
                bisect.insort(points, point, key=_day_of)
            self._set_points(metric, points, self.series[metric].updated(ordinals, new))
        self._redraw()

    def _set_points(
        self, metric: str, points: list[DailyPoint], series: Series | None = None
    ) -> None:
        """``series``: ``Series.of(points)``, when the caller has it already."""
        self.daily[metric] = points
        if series is None:
            series = Series.of(points)
        self.series[metric] = series
        self._rolling[metric] = series.rolling()
        self.bands[metric].set_series(series)
        self.dots[metric].setData([], [])

    def _redraw(self) -> None:
        self._dots_loaded = set()
        self._level = 0
        # new limits may move the view (a new chart's is clamped to a week at the left end):
        # the lines and dots are set once, for the range set below, not for that one
        self._limits_only = True
        try:
            self._update_limits()
        finally:
            self._limits_only = False
        span = self.data_span() if self._all_days else None
        if span is not None:
            self._all_days = False
            self.set_range(*span)
        elif self._range is None:
            first, last = self.data_span() or (date.today() - timedelta(days=13), date.today())
            self.set_range(max(first, last - timedelta(days=89)), last)
        else:
            self.set_range(*self._range)  # (each branch's set_range writes the summary)

    def rolling_points(self, metric: str) -> list[RollingPoint]:
        """The 7-day rolling mean as drawn (days with a value), for tests and summaries."""
        from companion.core.mood.stats import RollingPoint

        days, means = self._rolling.get(metric, (np.array([]), np.array([])))
        series = self.series[metric]
        first = int(series.days[0]) if len(series.days) else 0
        logged = np.zeros(len(days))
        logged[series.days - first] = 1.0
        window = np.convolve(logged, np.ones(ROLLING_WINDOW_DAYS))[: len(days)]
        return [
            RollingPoint(date.fromordinal(int(d)), float(m), int(n + 0.5))
            for d, m, n in zip(days, means, window, strict=True)
            if not math.isnan(m)
        ]

    def data_span(self) -> tuple[date, date] | None:
        """First and last day with data or an overlay."""
        days = [p.day for pts in self.daily.values() for p in pts[:1] + pts[-1:]]
        for o in self.overlays:
            days.extend(d for d in (o.start, o.end) if d is not None)
            days.extend(d for d, _ in o.points)
        if not days:
            return None
        return min(days), max(days)

    def set_metric_visible(self, metric: str, visible: bool) -> None:
        self.visible[metric] = visible
        self._apply_dot_visibility()
        self._update_legend()
        self._update_summary()

    def detailed_metric(self) -> str | None:
        """The one rating drawn with its dots and min–max band (the first visible one): with
        several at once, the others are lines only, so the chart stays readable."""
        return next((m for m in self.metrics if self.visible[m]), None)

    # -- range -------------------------------------------------------------------------------

    def show_all_days(self, *, at_next_draw: bool = False) -> None:
        """Show every day with data (the "All" preset): now, or, before any data (or with
        ``at_next_draw``, when new days are about to be drawn: an import), once the next data
        is drawn (drawn once, at that range, rather than first at the one shown before)."""
        span = self.data_span()
        if span is None or at_next_draw:
            self._all_days = True
        else:
            self.set_range(*span)

    def set_range(self, start: date, end: date) -> None:
        """Show the days from ``start`` to ``end`` inclusive (pan and zoom stay available)."""
        if end < start:
            start, end = end, start
        self._all_days = False
        self._range = (start, end)
        self.vb.setXRange(day_start(start), day_start(end + timedelta(days=1)), padding=0)
        self._apply_level()
        self._apply_dot_visibility()
        self._update_summary()

    def visible_range(self) -> tuple[date, date]:
        (x0, x1), _ = self.vb.viewRange()
        return x_day(x0 + 1), x_day(x1 - 1)

    def _x_changed(self, *_: object) -> None:
        self._place_period_names()
        if not self._limits_only:
            self._apply_level()
            self._apply_dot_visibility()
        self._range_timer.start()

    def _place_period_names(self) -> None:
        """Each course's name at its start, moved in so it is never cut at either edge of
        the chart (a course that began before the view, or one that began near today)."""
        (x0, x1), _ = self.vb.viewRange()
        pixels = self.vb.width()
        if pixels <= 0 or x1 <= x0:
            return
        per_pixel = (x1 - x0) / pixels
        for overlay in self.overlays:
            if overlay.shape != "period" or overlay.start is None:
                continue
            text = overlay.items[1]
            start = day_start(overlay.start)
            last = overlay.end if overlay.end is not None else max(date.today(), overlay.start)
            end = day_start(last + timedelta(days=1))
            width = text.boundingRect().width() * per_pixel
            x = max(start, x0)
            if x + width > x1:
                x = max(x0, min(x, x1 - width))
            if end < x0 or start > x1:
                x = start  # out of view: where it belongs
            text.setPos(x, text.pos().y())

    def _apply_level(self) -> None:
        """Swap in the level of detail that fits the days in view (only when it changes)."""
        (x0, x1), _ = self.vb.viewRange()
        pixels = self.vb.width() or self.plot.width() or 800
        days_in_view = (x1 - x0) / DAY_SECONDS
        level = level_for(days_in_view, pixels)
        smooth = days_in_view <= DOTS_MAX_DAYS
        if (level, smooth) == (self._level, self._smooth) or not self._rolling:
            return
        self._level, self._smooth = level, smooth
        for metric in self.metrics:
            days, means = self._rolling[metric]
            if level > 1:
                keep = days % level == level // 2
                days, means = days[keep], means[keep]
            line = self.lines[metric]
            # Antialiased lines wider than a pixel are the costliest thing Qt's raster engine
            # draws; beyond a few months in view the lines are drawn as plain segments, which
            # look the same at that density and keep a frame cheap.
            line.opts["antialias"] = smooth
            line.curve.opts["antialias"] = smooth
            line.setData(_x(days), means, connect="finite")
            self.bands[metric].set_level(level)

    def level(self) -> int:
        """Days per point drawn now (1, 7 or 30)."""
        return self._level

    def _range_settled(self) -> None:
        start, end = self.visible_range()
        # the period set last (``set_range``), or one the person panned or zoomed to
        self.moved_by_person = (start, end) != self._range
        self._range = (start, end)
        self._update_summary()
        self.range_changed.emit(start, end)

    def _apply_dot_visibility(self) -> None:
        (x0, x1), _ = self.vb.viewRange()
        few = (x1 - x0) / DAY_SECONDS <= DOTS_MAX_DAYS and self._level == 1
        detailed = self.detailed_metric()
        for metric in self.metrics:
            self.lines[metric].setVisible(self.visible[metric])
            self.bands[metric].setVisible(metric == detailed)
            show = few and metric == detailed
            if show and metric not in self._dots_loaded:
                series = self.series[metric]
                self.dots[metric].setData(_x(series.days), series.mean)
                self._dots_loaded.add(metric)
            self.dots[metric].setVisible(show)

    def _update_limits(self) -> None:
        span = self.data_span()
        if span is None:
            span = (date.today() - timedelta(days=365), date.today())
        # room for the longest preset (a year) even in a new diary, and never past today (or
        # the last day with data): a period that ran into the future, clamped to narrow
        # limits, was what a new diary's charts showed
        first = min(span[0], date.today() - timedelta(days=365))
        last = max(span[1], date.today())
        self.vb.setLimits(
            xMin=day_start(first - timedelta(days=30)),
            xMax=day_start(last + timedelta(days=1)),
            minXRange=DAY_SECONDS * 7,
            yMin=-1,
            yMax=11,
        )

    # -- overlays (the public API) -----------------------------------------------------------

    def add_event_marker(self, when: date, label: str, kind: str = "event") -> object:
        """A vertical line on a day with a short label (e.g. a dose change)."""
        overlay = Overlay("marker", kind, label, start=when)
        markers = sum(1 for o in self.overlays if o.shape == "marker")
        line = pg.InfiniteLine(
            pos=day_x(when),
            angle=90,
            movable=False,
            label=label,
            # low on the chart, just right of its line: clear of the line itself and of the
            # courses' names along the top
            # (two heights in turn, so the labels of changes a few weeks apart do not meet)
            labelOpts={
                "position": 0.05 + 0.09 * (markers % 2),
                "movable": False,
                "anchors": [(-0.08, 1), (-0.08, 1)],
            },
        )
        self.item.addItem(line, ignoreBounds=True)
        overlay.items.append(line)
        return self._added(overlay)

    def add_period(
        self, start: date, end: date | None, label: str, kind: str = "treatment"
    ) -> object:
        """A shaded band from ``start`` to ``end`` inclusive (``None``: ongoing, to today)."""
        if end is not None and end < start:
            raise ValueError("a period cannot end before it starts")
        overlay = Overlay("period", kind, label, start=start, end=end)
        last = end if end is not None else max(date.today(), start)
        region = pg.LinearRegionItem(
            values=(day_start(start), day_start(last + timedelta(days=1))),
            movable=False,
            pen=pg.mkPen(None),
        )
        region.setZValue(-20)
        for line in region.lines:
            line.setPen(pg.mkPen(None))
            line.setHoverPen(pg.mkPen(None))
        text = pg.TextItem(label, anchor=(0, 0))
        periods = sum(1 for o in self.overlays if o.shape == "period")
        text.setPos(day_start(start), 10.9 - 0.75 * (periods % 3))
        self.item.addItem(region, ignoreBounds=True)
        self.item.addItem(text, ignoreBounds=True)
        overlay.items.extend([region, text])
        return self._added(overlay)

    def add_points(self, series_name: str, points: list[tuple[date, float]], label: str) -> object:
        """Scores on a second axis at the right (e.g. questionnaire totals). Adding the same
        ``series_name`` again replaces the earlier points."""
        for old in [
            o for o in self.overlays if o.shape == "points" and o.series_name == series_name
        ]:
            self.remove(old)
        clean = sorted((d, float(v)) for d, v in points if math.isfinite(float(v)))
        overlay = Overlay(
            "points", "questionnaire", label, points=tuple(clean), series_name=series_name
        )
        vb = self._second_axis()
        xs = np.array([day_x(d) for d, _ in clean], dtype=float)
        ys = np.array([v for _, v in clean], dtype=float)
        curve = pg.PlotDataItem(xs, ys, symbol="d", symbolSize=9)
        vb.addItem(curve)
        overlay.items.append(curve)
        self._added(overlay)
        self._rescale_right()
        return overlay

    def remove(self, handle: object) -> None:
        """Take one overlay off the chart (a handle already removed is ignored)."""
        if not isinstance(handle, Overlay) or handle not in self.overlays:
            return
        self.overlays.remove(handle)
        for item in handle.items:
            scene_owner = self._right_vb if handle.shape == "points" else self.item
            if scene_owner is not None:
                scene_owner.removeItem(item)
        handle.items.clear()
        if handle.shape == "points":
            self._rescale_right()
        self._overlays_differ()

    def clear_overlays(self) -> None:
        for overlay in list(self.overlays):
            self.remove(overlay)

    def _added(self, overlay: Overlay) -> Overlay:
        self.overlays.append(overlay)
        self._style_overlay(overlay)
        self._overlays_differ()
        return overlay

    def _overlays_differ(self) -> None:
        self._overlays_changed = True
        if not self._overlays_timer.isActive():
            self._overlays_timer.start()

    def apply_overlays(self) -> None:
        """Bring the limits, the legend, the course names and the summary up to date with the
        overlays now (done anyway before the next frame or at the end of the turn)."""
        if not self._overlays_changed:
            return
        self._overlays_changed = False
        self._overlays_timer.stop()
        self.overlay_updates += 1
        self._update_limits()
        self._update_legend()
        self._place_period_names()
        self._update_summary()

    def _second_axis(self) -> pg.ViewBox:
        if self._right_vb is None:
            # no menu: pyqtgraph's (in English, with an "Export..." that writes what the chart
            # shows to any file, past Companion's exports) opened on a right-click over it
            vb = pg.ViewBox(enableMenu=False)
            vb.setMouseEnabled(x=False, y=False)
            self.item.showAxis("right")
            self.item.scene().addItem(vb)
            self.item.getAxis("right").linkToView(vb)
            vb.setXLink(self.item)
            self.vb.sigResized.connect(self._sync_right)
            self._right_vb = vb
            self._sync_right()
        return self._right_vb

    def _sync_right(self) -> None:
        if self._right_vb is not None:
            self._right_vb.setGeometry(self.vb.sceneBoundingRect())
            self._right_vb.linkedViewChanged(self.vb, self._right_vb.XAxis)

    def _rescale_right(self) -> None:
        if self._right_vb is None:
            return
        series = [o for o in self.overlays if o.shape == "points"]
        axis = self.item.getAxis("right")
        if not series:
            self.item.hideAxis("right")
            return
        self.item.showAxis("right")
        top = max((v for o in series for _, v in o.points), default=1.0)
        self._right_vb.setYRange(0, max(1.0, top) * 1.1, padding=0)
        axis.setLabel(", ".join(dict.fromkeys(o.label for o in series)))

    # -- theme -------------------------------------------------------------------------------

    def _restyle(self) -> None:
        pal = palette.colours()
        self.plot.setBackground(pal.background)
        style_axes(self.item, pal, ("left", "bottom", "right"))
        self.item.getAxis("left").setGrid(40)
        for metric in self.metrics:
            colour = pal.series(metric)
            alpha = 80 if theme.current().dark else 50
            self.bands[metric].set_brush(pg.mkBrush(palette.qcolor(colour, alpha)))
            self.dots[metric].setSymbolBrush(pg.mkBrush(palette.qcolor(colour, 170)))
            self.dots[metric].setSymbolPen(pg.mkPen(None))
            # a wide antialiased pen costs far more per frame than a narrow one; 2 px for
            # the first rating and 1.4 px for the others stay readable and inside the budget
            pen = pg.mkPen(colour, width=2.0 if metric == self.metrics[0] else 1.4)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            self.lines[metric].setPen(pen)
        for overlay in self.overlays:
            self._style_overlay(overlay)
        self._update_legend()
        self._update_summary()

    def _style_overlay(self, overlay: Overlay) -> None:
        pal = palette.colours()
        colour = pal.kind(overlay.kind)
        if overlay.shape == "marker":
            line = overlay.items[0]
            pen = pg.mkPen(colour, width=1.5, style=Qt.PenStyle.DashLine)
            line.setPen(pen)
            line.label.setColor(palette.qcolor(colour))
            line.label.fill = pg.mkBrush(palette.qcolor(pal.background, 220))  # over the data
        elif overlay.shape == "period":
            region, text = overlay.items
            brush = pg.mkBrush(palette.qcolor(colour, 38))
            region.setBrush(brush)
            region.setHoverBrush(brush)
            text.setColor(palette.qcolor(colour))
        else:
            curve = overlay.items[0]
            curve.setPen(pg.mkPen(palette.qcolor(pal.points, 150), width=1.2))
            curve.setSymbolBrush(pg.mkBrush(pal.points))
            curve.setSymbolPen(pg.mkPen(pal.background, width=1))

    def _update_legend(self) -> None:
        pal = palette.colours()
        parts = []
        for metric in self.metrics:
            if not self.visible[metric]:
                continue
            colour = pal.series(metric)
            parts.append(
                f'<span style="color:{colour}; font-size:14pt;">━</span>&nbsp;'
                f"{_(METRIC_LABELS[metric])}"
            )
        detailed = self.detailed_metric()
        what = _(METRIC_NOUNS[detailed]) if detailed else ""
        words = _(
            "lines: 7-day average · dots and shading: {rating} each day (average, lowest to "
            "highest)"
        ).format(rating=what)
        note = f'<span style="color:{pal.muted};">{words}</span>'
        kinds = {o.kind for o in self.overlays if o.shape in ("period", "marker")}
        for kind, mark, name in OVERLAY_LEGEND:
            if kind in kinds:
                parts.append(
                    f'<span style="color:{pal.kind(kind)}; font-size:12pt;">{mark}</span>'
                    f"&nbsp;{_(name)}"
                )
        self.legend.setText("&nbsp;&nbsp;&nbsp;".join(parts) + "<br>" + note)

    # -- words -------------------------------------------------------------------------------

    def summary_text(self) -> str:
        """What the chart shows, in sentences (also the plot's accessible description)."""
        self.apply_overlays()
        start, end = self._range or (self.data_span() or (date.today(), date.today()))
        lines = [
            describe_series(_(METRIC_LABELS[m]), self.daily[m], start, end)
            for m in self.metrics
            if self.visible[m]
        ]
        overlays = describe_overlays(self.overlays, start, end)
        if overlays:
            lines.append(overlays)
        return "\n\n".join(lines)

    def _update_summary(self) -> None:
        text = self.summary_text()
        self.summary.setText(text)
        self.plot.setAccessibleDescription(text)


def series_points(values: Iterable[tuple[date, float]]) -> list[tuple[date, float]]:
    """Helper for callers: drop values that are not finite numbers, oldest first."""
    return sorted((d, float(v)) for d, v in values if math.isfinite(float(v)))


__all__ = ["MoodChart", "Overlay", "series_points"]
