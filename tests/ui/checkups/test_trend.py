"""The scores chart drawn ahead, out of sight, in pieces."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QPixmap, QRegion
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from companion.content.questionnaires import get_questionnaire
from companion.core.checkups.scoring import score_response
from companion.core.checkups.service import StoredResponse
from companion.core.checkups.trends import Scored, Trend, build_trend
from companion.core.extension_points import ChartEvent
from companion.ui import timers
from companion.ui.checkups.trend import TrendChart


def _trend() -> Trend:
    q = get_questionnaire("phq9")
    end = date(2026, 11, 30)
    scored = []
    for n, value in enumerate((3, 2, 2, 1, 0)):
        day = end - timedelta(days=140 - 28 * n)
        stored = StoredResponse(
            f"r{n}", "phq9", 1, {str(i): value for i in range(1, 10)}, _moment(day)
        )
        scored.append(Scored(stored.id, day, score_response(q, stored.for_scoring())))
    events = [
        ChartEvent(end - timedelta(days=120), "Sertraline", "medication"),
        ChartEvent(end - timedelta(days=60), "100 mg", "dose"),
    ]
    return build_trend(q, scored, events, end - timedelta(days=150), end)


def _moment(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def _draws_counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many layers each drawing of a trend chart draws, from now on."""
    drawn: list[int] = []
    original = TrendChart._draw
    monkeypatch.setattr(
        TrendChart,
        "_draw",
        lambda self, d, layers: (drawn.append(len(layers)), original(self, d, layers)),
    )
    return drawn


def test_out_of_sight_a_resized_chart_is_drawn_in_three_steps_and_its_paint_copies_it(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a page built ahead (not the window's current one), a resize draws the chart's
    picture over three steps, a turn each (drawn whole by the paint of its first screen
    unseen, the chart made that piece 8-15 ms); the paint then copies it, and the copy is
    the same pixels as a whole drawing."""
    window = QWidget()
    qtbot.addWidget(window)
    stack = QStackedWidget()
    QVBoxLayout(window).addWidget(stack)
    stack.addWidget(QWidget())  # the page showing
    hidden = QWidget()
    chart = TrendChart()
    QVBoxLayout(hidden).addWidget(chart)
    stack.addWidget(hidden)
    window.resize(900, 600)
    window.show()
    qtbot.waitExposed(window)
    chart.set_trend(_trend())
    drawn = _draws_counted(monkeypatch)
    chart.resize(700, chart.height())
    # what BuildAhead's first band of the page painted unseen does first: the resize events
    # the widgets would get as they are shown (this band, above the chart, paints none of it)
    hidden.render(QPixmap(hidden.size()), QPoint(), QRegion(0, 0, hidden.width(), 4))
    assert drawn == [] and timers.running()  # (in later turns)
    qtbot.waitUntil(lambda: not timers.running())
    assert drawn == [1, 2, 2]
    ahead = chart.grab().toImage()
    assert drawn == [1, 2, 2]  # copied
    chart._drawn = None
    assert chart.grab().toImage() == ahead
    assert drawn == [1, 2, 2, 5]


def test_a_chart_on_screen_is_not_drawn_ahead(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On screen, its paint follows its resize at once and draws it whole: nothing is drawn
    ahead."""
    chart = TrendChart()
    qtbot.addWidget(chart)
    chart.show()
    qtbot.waitExposed(chart)
    chart.set_trend(_trend())
    drawn = _draws_counted(monkeypatch)
    chart.resize(640, chart.height())
    qtbot.waitUntil(lambda: not timers.running())
    chart.repaint()
    assert drawn == [5]
