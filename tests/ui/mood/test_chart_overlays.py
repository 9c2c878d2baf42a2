"""Overlays on the mood chart (``MoodChart.add_period`` and friends, the Medications timeline's
courses and dose changes): what follows from them (the view's limits, the legend, where each
course's name sits, the summary) is worked out once for a batch of overlays, before the chart
is next drawn, and is the same as working it out after each one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from pytestqt.qtbot import QtBot

from companion.core.mood.service import DailyPoint
from companion.ui.charts.api import MoodChart

TODAY = date.today()


def _chart(qtbot: QtBot) -> MoodChart:
    chart = MoodChart(metrics=("mood",))
    qtbot.addWidget(chart)
    chart.resize(800, 400)
    chart.show()
    qtbot.waitExposed(chart)
    start = TODAY - timedelta(days=3 * 365)
    days = [start + timedelta(days=n) for n in range(0, 3 * 365, 3)]
    chart.set_daily({"mood": [DailyPoint(d, 5.0, 4.0, 6.0, 1) for d in days]})
    chart.set_range(TODAY - timedelta(days=364), TODAY)
    return chart


def _overlays(chart: MoodChart) -> list[Callable[[], object]]:
    """Courses and dose changes over ten years, as the timeline adds them."""
    adds: list[Callable[[], object]] = []
    for n in range(12):
        start = TODAY - timedelta(days=3650 - 300 * n)
        end = None if n == 11 else start + timedelta(days=200)
        kind = "medication" if n % 3 else "treatment"

        def period(s: date = start, e: date | None = end, k: str = kind, i: int = n) -> object:
            return chart.add_period(s, e, f"Course {i}", kind=k)

        def marker(d: date = start + timedelta(days=60), i: int = n) -> object:
            return chart.add_event_marker(d, f"{50 + i} mg", kind="dose")

        adds += [period, marker]
    return adds


def _state(chart: MoodChart) -> tuple[object, ...]:
    names = [
        (o.label, round(o.items[1].pos().x(), 3), round(o.items[1].pos().y(), 3))
        for o in chart.overlays
        if o.shape == "period"
    ]
    limits = chart.vb.state["limits"]
    return (
        chart.legend.text(),
        chart.summary.text(),
        chart.plot.accessibleDescription(),
        repr(limits),
        names,
        chart.visible_range(),
    )


def test_many_overlays_are_worked_out_once_with_the_same_result(qtbot: QtBot) -> None:
    one_by_one = _chart(qtbot)
    for add in _overlays(one_by_one):
        add()
        one_by_one.apply_overlays()  # as each addition did before
    assert one_by_one.overlay_updates == 24

    batched = _chart(qtbot)
    for add in _overlays(batched):
        add()
    assert batched.overlay_updates == 0  # nothing worked out yet
    qtbot.waitUntil(lambda: batched.overlay_updates == 1)  # once, at the end of the turn
    assert _state(batched) == _state(one_by_one)
    assert "a medicine taken" in batched.legend.text()
    assert "Course 11" in batched.summary.text()


def test_worked_out_before_the_chart_is_drawn(qtbot: QtBot) -> None:
    chart = _chart(qtbot)
    chart.add_period(TODAY - timedelta(days=5), None, "A course that began this week")
    chart.plot.grab()  # a frame of the chart: what it shows is up to date in it
    assert chart.overlay_updates == 1
    assert "another treatment" in chart.legend.text()
    text = chart.overlays[0].items[1]
    right = chart.vb.mapViewToScene(text.pos()).x() + text.boundingRect().width()
    assert right <= chart.vb.sceneBoundingRect().right() + 1  # moved in from the right edge


def test_asking_for_the_summary_works_out_what_is_waiting(qtbot: QtBot) -> None:
    chart = _chart(qtbot)
    marker = chart.add_event_marker(TODAY - timedelta(days=20), "100 mg", kind="dose")
    assert "100 mg" in chart.summary_text()
    chart.remove(marker)
    chart.clear_overlays()
    assert "100 mg" not in chart.summary_text()
    assert "a dose change" not in chart.legend.text()
    assert chart.overlay_updates == 2


def test_a_right_click_anywhere_on_the_chart_opens_no_menu(qtbot: QtBot) -> None:
    """pyqtgraph's own menus (in English, with its "Export..." that writes what a chart shows
    to a file of one's choosing, past Companion's exports) are off everywhere on the chart,
    the second axis of questionnaire scores included (a view box of its own, over the plot)."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QMenu

    chart = _chart(qtbot)
    chart.add_points(
        "phq9", [(TODAY - timedelta(days=n * 30), 20.0 - n) for n in range(6)], "PHQ-9"
    )
    qtbot.wait(10)
    viewport = chart.plot.viewport()
    rect = viewport.rect()
    for x, y in ((0.5, 0.5), (0.2, 0.3), (0.9, 0.8), (0.97, 0.5), (0.03, 0.5), (0.5, 0.97)):
        point = QPoint(int(rect.width() * x), int(rect.height() * y))
        QTest.mouseClick(viewport, Qt.MouseButton.RightButton, pos=point)
        QApplication.processEvents()
        menus = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, QMenu) and w.isVisible()
        ]
        assert menus == [], (x, y, [a.text() for m in menus for a in m.actions()])
    assert chart._right_vb is not None and not chart._right_vb.menuEnabled()
