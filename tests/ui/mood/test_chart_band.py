"""The mood chart's min–max band: drawn column by column in device pixels (the same pixels as
the polygon Qt would fill), kept between frames, and drawn again when the data, the view or the
theme changes."""

from __future__ import annotations

import random
from datetime import date, timedelta

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QTransform
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from companion.core.mood.service import DailyPoint
from companion.ui import theme
from companion.ui.charts.api import (
    BandOutline,
    MoodChart,
    Series,
    band_chunks,
    band_columns,
    band_image,
    premultiplied,
)
from companion.ui.charts.axis import DAY_SECONDS, day_start, day_x
from companion.ui.pages import AppContext

D0 = date(2025, 3, 3)
WIDTH, HEIGHT = 400, 200


def daily(offsets: list[int], seed: int = 1) -> list[DailyPoint]:
    rng = random.Random(seed)
    points = []
    for offset in offsets:
        low = rng.randint(0, 6)
        high = rng.randint(low, 10)
        points.append(DailyPoint(D0 + timedelta(days=offset), (low + high) / 2, low, high, 2))
    return points


def transform(first: date, days: int) -> QTransform:
    """Chart coordinates to WIDTH × HEIGHT pixels: ``days`` days across, 0–10 up the side."""
    sx = WIDTH / (days * DAY_SECONDS)
    sy = -HEIGHT / 10.6
    return QTransform(sx, 0, 0, sy, -day_start(first) * sx, HEIGHT - 0.3 * sy)


def covered(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    pixels = np.frombuffer(image.constBits(), np.uint8)
    return pixels.reshape(image.height(), image.width(), 4)[:, :, 3] > 0


def polygon_pixels(series: Series, size: int, to_device: QTransform) -> np.ndarray:
    image = QImage(WIDTH, HEIGHT, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(0, 0, 0))
    painter.setTransform(to_device)
    for _rect, path in band_chunks(series, size):
        painter.drawPath(path)
    painter.end()
    return covered(image)


def column_pixels(series: Series, size: int, to_device: QTransform) -> np.ndarray:
    outline = BandOutline.of(series, size)
    cols, y0, y1 = band_columns(
        outline, to_device.m11(), to_device.dx(), to_device.m22(), to_device.dy(), 0, WIDTH
    )
    mask = np.zeros((HEIGHT, WIDTH), dtype=bool)
    band = band_image(cols, np.maximum(y0, 0), np.minimum(y1, HEIGHT), 0xFF000000)
    if band is not None:
        mask[
            band.top : band.top + band.image.height(), band.left : band.left + band.image.width()
        ] = covered(band.image)
    return mask


def test_the_columns_fill_the_pixels_the_polygon_fills(qapp: QApplication) -> None:
    # runs of days, days alone (a narrow bar), gaps: every shape the band has
    offsets = [0, 1, 2, 3, 5, 9, 10, 11, 20, 22, 23, 24, 25, 26, 27, 28, 35, 36, 50, 51, 52]
    series = Series.of(daily(offsets))
    for size, days in ((1, 60), (7, 420)):
        bucketed = series.bucketed(size) if size > 1 else series
        to_device = transform(D0 - timedelta(days=3), days)
        polygon = polygon_pixels(bucketed, size, to_device)
        columns = column_pixels(bucketed, size, to_device)
        assert polygon.sum() > 500
        # the same pixels, but for a rare one on an edge where the two roundings differ
        differ = int((polygon != columns).sum())
        assert differ <= polygon.sum() * 0.01, (size, differ, int(polygon.sum()))


def test_a_lone_day_is_a_bar_and_a_gap_stays_empty() -> None:
    series = Series.of(daily([0, 1, 5]))
    outline = BandOutline.of(series, 1)
    assert len(outline.x) == 4  # two joined days, then a day alone: two vertices
    assert list(outline.joined) == [True, False, True]
    assert outline.x[3] - outline.x[2] == DAY_SECONDS * 0.6
    to_device = transform(D0, 10)
    cols, _y0, _y1 = band_columns(
        outline, to_device.m11(), to_device.dx(), to_device.m22(), to_device.dy(), 0, WIDTH
    )
    x_gap = to_device.map(QPointF(day_x(D0 + timedelta(days=3)), 5)).x()
    x_bar = to_device.map(QPointF(day_x(D0 + timedelta(days=5)), 5)).x()
    assert int(x_gap) not in set(cols.tolist())
    assert int(x_bar) in set(cols.tolist())


def test_the_band_image_holds_each_column_from_its_first_row_to_before_its_last() -> None:
    """Every pixel of the image: the colour inside a column's rows, nothing elsewhere (and
    in columns the band does not reach), for short images and one taller than 2**15 rows."""
    rng = np.random.default_rng(7)
    for width, tall in ((40, 300), (5, 40_000)):
        cols = np.sort(rng.choice(np.arange(3, 3 + width), size=width // 2, replace=False))
        y0 = rng.integers(10, tall // 2, len(cols))
        y1 = y0 + rng.integers(0, tall // 2, len(cols))
        band = band_image(cols, y0, y1, 0x80112233)
        assert band is not None
        rows = np.arange(band.image.height())[:, None]
        expected = np.zeros((band.image.height(), band.image.width()), dtype=np.uint32)
        for col, first, after in zip(cols - band.left, y0 - band.top, y1 - band.top, strict=True):
            expected[(rows[:, 0] >= first) & (rows[:, 0] < after), col] = 0x80112233
        assert band.pixels.dtype == np.uint32 and (band.pixels == expected).all()


def test_premultiplied_pixel() -> None:
    assert premultiplied(QColor(255, 0, 0, 255)) == 0xFFFF0000
    assert premultiplied(QColor(255, 128, 0, 0)) == 0
    assert premultiplied(QColor(200, 100, 50, 128)) == (128 << 24) | (100 << 16) | (50 << 8) | 25


def band_pixel(chart: MoodChart, day: date, value: float) -> QColor:
    """The colour the chart shows at ``value`` on ``day``: the whole chart painted, so the plot
    is a widget painted inside another (at an offset, as on screen)."""
    image = chart.grab().toImage()
    vb = chart.vb
    scene = vb.mapViewToScene(QPointF(day_x(day), value))
    point = chart.plot.mapTo(chart, chart.plot.mapFromScene(scene))
    assert point.y() > 0  # the legend is above the plot
    ratio = image.devicePixelRatio()
    return image.pixelColor(int(point.x() * ratio), int(point.y() * ratio))


def test_the_band_is_kept_between_frames_and_redrawn_for_a_new_checkin(
    qtbot: QtBot, context: AppContext
) -> None:
    chart = MoodChart(metrics=("mood",), show_summary=False)
    qtbot.addWidget(chart)
    chart.resize(700, 360)
    chart.show()
    qtbot.waitExposed(chart)
    days = [D0 + timedelta(days=i) for i in range(20)]
    # narrow ranges (mood 5 every day), so nothing but the background is at 8.5
    chart.set_daily({"mood": [DailyPoint(d, 5.0, 5, 5, 1) for d in days]})
    last = D0 + timedelta(days=29)
    chart.set_range(D0, last)
    band = chart.bands["mood"]
    new_day = D0 + timedelta(days=25)
    background = band_pixel(chart, new_day, 8.5)
    key, frame = band._frame_key, band._frame
    assert key is not None
    chart.plot.grab()
    assert band._frame_key == key and band._frame is frame  # nothing changed: kept

    # a check-in on a day of its own, from 2 to 9: the band appears there
    chart.update_days({"mood": [DailyPoint(new_day, 5.5, 2, 9, 2)]}, [new_day])
    assert band_pixel(chart, new_day, 8.5) != background
    assert band._frame is not frame  # the same view, new data: made again

    # a pan moves the band with the view: drawn again for the new place
    key = band._frame_key
    chart.set_range(D0 + timedelta(days=5), last + timedelta(days=5))
    assert band_pixel(chart, new_day, 8.5) != background
    assert band._frame_key != key


def test_a_theme_switch_recolours_the_band(qtbot: QtBot, context: AppContext) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    chart = MoodChart(metrics=("mood",), show_summary=False)
    qtbot.addWidget(chart)
    chart.resize(700, 360)
    chart.show()
    qtbot.waitExposed(chart)
    days = [D0 + timedelta(days=i) for i in range(20)]
    chart.set_daily({"mood": [DailyPoint(d, 5.0, 2, 9, 2) for d in days]})
    chart.set_range(D0, D0 + timedelta(days=19))
    band = chart.bands["mood"]
    light = band_pixel(chart, D0 + timedelta(days=10), 8.5)
    light_brush = band._brush.color().name(QColor.NameFormat.HexArgb)
    try:
        theme.apply(app, context.device.with_changes(theme="dark"), dark=True)
        qtbot.waitUntil(lambda: band._brush.color().name(QColor.NameFormat.HexArgb) != light_brush)
        dark = band_pixel(chart, D0 + timedelta(days=10), 8.5)
        assert dark != light
        # the band's colour over the chart's background, as a translucent brush would blend it
        brush = band._brush.color()
        alpha = brush.alphaF()
        back = chart.plot.backgroundBrush().color()
        for got, fg, bg in (
            (dark.red(), brush.red(), back.red()),
            (dark.green(), brush.green(), back.green()),
            (dark.blue(), brush.blue(), back.blue()),
        ):
            assert abs(got - (fg * alpha + bg * (1 - alpha))) <= 2
    finally:
        theme.apply(app, context.device, dark=False)


def test_day_axis_ticks_and_labels_are_pyqtgraphs(qapp: object) -> None:
    import pyqtgraph as pg

    from companion.ui.charts.axis import DayAxis

    ours, theirs = DayAxis(), pg.DateAxisItem(orientation="bottom", utcOffset=0)
    for axis in (ours, theirs):
        axis.fontMetrics = QFontMetrics(QFont())  # set by pyqtgraph when it paints
    end = day_start(date(2031, 12, 31))
    for days in (7, 14, 91, 365, 3650, 36500):
        for shift in (0.0, 0.37, 12.5):  # a pan
            first = end - days * 86_400 + shift * 86_400
            last = end + shift * 86_400
            for size in (300.0, 760.0, 1600.0):
                mine = ours.tickValues(first, last, size)
                expected = theirs.tickValues(first, last, size)
                assert [(s, list(v)) for s, v in mine] == [(s, list(v)) for s, v in expected]
                for spacing, values in expected:
                    labels = theirs.tickStrings(list(values), 1.0, spacing)
                    assert ours.tickStrings(list(values), 1.0, spacing) == labels
                    assert ours.tickStrings(list(values), 1.0, spacing) == labels  # cached


def test_all_days_chosen_before_the_data_draws_once_at_that_range(qtbot: QtBot) -> None:
    chart = MoodChart(metrics=("mood",))
    qtbot.addWidget(chart)
    chart.resize(800, 400)
    days = [D0 + timedelta(days=i) for i in range(0, 900, 2)]
    drawn: list[int] = []
    real = chart.dots["mood"].setData

    def counting(*args: object, **kwargs: object) -> None:
        drawn.append(len(args[0]) if args else 0)  # type: ignore[arg-type]
        real(*args, **kwargs)

    chart.dots["mood"].setData = counting
    chart.show_all_days()  # no data yet: remembered
    chart.set_daily({"mood": [DailyPoint(d, 5.0, 2, 9, 2) for d in days]})
    assert chart.visible_range() == (days[0], days[-1])
    # drawn at that range only: never with the default last 90 days' dots
    assert all(n == 0 for n in drawn)
    # with data: at once; a range chosen afterwards wins over a pending "all"
    chart.set_range(days[10], days[40])
    assert chart.visible_range() == (days[10], days[40])
    other = MoodChart(metrics=("mood",))
    qtbot.addWidget(other)
    other.show_all_days()
    other.set_range(days[0], days[30])
    other.set_daily({"mood": [DailyPoint(d, 5.0, 2, 9, 2) for d in days]})
    assert other.visible_range() == (days[0], days[30])


def test_a_window_opening_over_the_chart_does_not_repaint_it(qtbot: QtBot) -> None:
    """A check-in window opening over the charts (or closing) deactivates and activates
    their window: nothing a chart draws depends on that, so the plot is not painted again
    (pyqtgraph's graphics widgets each asked for a repaint), while a change of data is."""
    from PySide6.QtCore import QEvent, QObject

    chart = MoodChart(metrics=("mood",), show_summary=False)
    qtbot.addWidget(chart)
    chart.resize(700, 360)
    chart.show()
    qtbot.waitExposed(chart)
    days = [D0 + timedelta(days=i) for i in range(20)]
    chart.set_daily({"mood": [DailyPoint(d, 5.0, 4, 6, 1) for d in days]})
    chart.set_range(D0, D0 + timedelta(days=29))
    chart.plot.grab()
    QApplication.processEvents()
    painted: list[int] = []

    class Count(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                painted.append(1)
            return False

    count = Count()
    chart.plot.viewport().installEventFilter(count)
    qtbot.wait(50)  # (a repaint already asked for)
    painted.clear()
    for kind in (QEvent.Type.WindowDeactivate, QEvent.Type.WindowActivate):
        QApplication.sendEvent(chart, QEvent(kind))
        QApplication.processEvents()
    assert painted == []
    new_day = D0 + timedelta(days=25)
    chart.update_days({"mood": [DailyPoint(new_day, 8.0, 8, 8, 1)]}, [new_day])
    qtbot.waitUntil(lambda: bool(painted))


def test_lines_and_dots_hold_only_the_days_in_view(qtbot: QtBot) -> None:
    """Three months of ten years in view: the curves and the dots are handed those days (and
    one either side, so the lines run to the edges), not ten years' paths; a pan hands them
    the new days."""
    chart = MoodChart(show_summary=False)
    qtbot.addWidget(chart)
    chart.resize(800, 360)
    chart.show()
    qtbot.waitExposed(chart)
    days = [D0 - timedelta(days=i) for i in range(3650, -1, -1)]
    points = [DailyPoint(d, 5.0 + (i % 3), 4, 8, 1) for i, d in enumerate(days)]
    chart.set_daily(dict.fromkeys(chart.metrics, points))
    start = D0 - timedelta(days=89)
    chart.set_range(start, D0)
    assert chart.level() == 1 and chart.dots["mood"].isVisible()

    def drawn_days(item: pg.PlotDataItem, dots: bool = False) -> list[date]:
        xs = (item.scatter if dots else item.curve).getData()[0]
        return [date.fromordinal(int(x // DAY_SECONDS) + date(1970, 1, 1).toordinal()) for x in xs]

    for metric in chart.metrics:
        line = drawn_days(chart.lines[metric])
        assert line[0] <= start and line[-1] == D0  # (no day after D0 to run to)
        assert start - timedelta(days=2) <= line[0] and len(line) <= 92
    dots = drawn_days(chart.dots["mood"], dots=True)
    assert dots[0] >= start - timedelta(days=1) and dots[-1] == D0 and len(dots) <= 92
    earlier = D0 - timedelta(days=400)
    chart.set_range(earlier - timedelta(days=89), earlier)
    line = drawn_days(chart.lines["mood"])
    assert line[0] <= earlier - timedelta(days=89) and line[-1] >= earlier and len(line) <= 93


def test_a_chart_put_in_a_page_is_not_restyled_again_but_a_theme_switch_restyles_it(
    qtbot: QtBot, context: AppContext
) -> None:
    """Put in its page (a style and palette change reach it), a chart keeps the colours it
    was made with: no second restyle and repaint as it first appears; a theme switch still
    recolours it."""
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    page = QWidget()
    qtbot.addWidget(page)
    QVBoxLayout(page)
    page.show()
    chart = MoodChart(metrics=("mood",), show_summary=False)
    restyled: list[int] = []
    real = chart._restyle
    chart._restyle = lambda: (restyled.append(1), real())[1]  # type: ignore[method-assign]
    page.layout().addWidget(chart)
    chart.show()
    qtbot.waitExposed(chart)
    qtbot.wait(20)  # (the turn a restyle would come in)
    assert restyled == []
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    try:
        theme.apply(app, context.device.with_changes(theme="dark"), dark=True)
        qtbot.waitUntil(lambda: restyled == [1])
        from companion.ui.charts.palette import colours

        assert chart.plot.backgroundBrush().color().name() == colours().background
    finally:
        theme.apply(app, context.device, dark=False)


def test_a_checkins_days_are_put_into_the_kept_arrays_not_all_days_made_again(
    qtbot: QtBot, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``update_days`` takes the changed days out of, and puts them into, the points and
    arrays the chart holds: what it draws then is exactly what every day read afresh would
    give, and no array is made again from all the points (ten years: 1 ms a rating, in the
    turn a check-in comes back with the charts showing)."""
    chart = MoodChart(metrics=("mood", "anxiety"), show_summary=False)
    qtbot.addWidget(chart)
    offsets = [i for i in range(400) if i % 7 != 3]
    chart.set_daily({"mood": daily(offsets), "anxiety": daily(offsets, seed=2)})
    made_of: list[int] = []
    original = Series.of.__func__  # type: ignore[attr-defined]

    def of(cls: type[Series], points: list[DailyPoint]) -> Series:
        made_of.append(len(points))
        return original(cls, points)

    monkeypatch.setattr(Series, "of", classmethod(of))
    # a day changed, two added between others, a day emptied, a day added at the end
    changed = [D0 + timedelta(days=d) for d in (12, 10, 3, 20, 400)]
    mood = daily([12, 10, 3, 400], seed=5)
    chart.update_days({"mood": mood}, changed)
    assert made_of and max(made_of) <= len(mood)

    expected_days = sorted({*offsets, 3, 10, 400} - {20})
    by_day = {p.day: p for p in daily(offsets)} | {p.day: p for p in mood}
    expected = [by_day[D0 + timedelta(days=d)] for d in expected_days]
    assert chart.daily["mood"] == expected
    fresh = Series.of(expected)
    for kept, made in zip(chart.series["mood"], fresh, strict=True):
        assert kept.dtype == made.dtype
        assert np.array_equal(kept, made)
    # a rating with nothing on the days but one emptied: that day goes from it too
    assert [p.day for p in chart.daily["anxiety"]] == [
        D0 + timedelta(days=d) for d in offsets if d not in (12, 20)
    ]
    assert np.array_equal(chart.series["anxiety"].days, Series.of(chart.daily["anxiety"]).days)
