"""The chart modules' import: pyqtgraph's Qt mirrors hand out exactly the binding's objects
(filled when used, not all at import), and the axes lay their titles out only when they
change."""

from __future__ import annotations

import sys

import pyqtgraph as pg
import pyqtgraph.Qt as pg_qt
import PySide6.QtCore
import PySide6.QtGui
import PySide6.QtWidgets
from pytestqt.qtbot import QtBot

from companion.ui.charts import pg_import
from companion.ui.charts.api import MoodChart
from companion.ui.charts.axis import DayAxis, QuietAxis


def test_the_finder_is_in_place_and_this_pyqtgraph_copies_the_expected_way() -> None:
    assert pg_import.installed()
    loader = sys.modules["pyqtgraph.Qt"].__spec__.loader
    # the tests import the chart modules through companion.ui.charts (conftest), so the
    # mirrors of this process were made by the finder; a pyqtgraph that copies some other
    # way would be imported the ordinary way, and this test says the finder no longer helps
    assert type(loader).__name__ == "_Loader"
    assert "dir" not in vars(pg_qt)  # the stand-in for dir() was only for the module body


def test_every_name_of_the_binding_is_the_same_object_through_the_mirrors() -> None:
    pairs = (
        (PySide6.QtCore, pg_qt.QtCore),
        (PySide6.QtGui, pg_qt.QtGui),
        (PySide6.QtWidgets, pg_qt.QtWidgets),
    )
    for binding, mirror in pairs:
        for name in dir(binding):
            if name.startswith("__"):
                continue
            assert getattr(mirror, name) is getattr(binding, name), f"{binding.__name__}.{name}"
    # pyqtgraph's own additions to its mirrors are made as before
    assert pg_qt.QtGui.QFileSystemModel is PySide6.QtWidgets.QFileSystemModel


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        pg_qt.QtCore.NotAQtName  # noqa: B018
    except AttributeError:
        pass
    else:
        raise AssertionError("a missing name must raise AttributeError")


def test_axes_lay_their_titles_out_only_when_shown_and_changed(qtbot: QtBot) -> None:
    chart = MoodChart(metrics=("mood",))
    qtbot.addWidget(chart)
    left = chart.item.getAxis("left")
    bottom = chart.item.getAxis("bottom")
    assert isinstance(left, QuietAxis) and isinstance(bottom, DayAxis)
    # as pyqtgraph's own plot: left and bottom shown, top and right hidden
    assert not chart.item.getAxis("top").isVisible()
    assert not chart.item.getAxis("right").isVisible()
    laid_out: list[str] = []
    real = bottom.label.setHtml

    def counting(html: str) -> None:
        laid_out.append(html)
        real(html)

    bottom.label.setHtml = counting
    for step in range(5):  # a pan: a new range for the axis each frame, and a new pen
        chart.vb.translateBy(x=86_400.0 * (step + 1))
        bottom.setPen(pg.mkPen("#808080" if step % 2 else "#606060"))
    assert laid_out == []  # a hidden title: never parsed and laid out
    bottom.setLabel("Days")  # shown: laid out with its text, as pyqtgraph's own would be
    assert len(laid_out) == 1 and bottom.label.toPlainText().strip() == "Days"
    for step in range(3):
        chart.vb.translateBy(x=-86_400.0 * (step + 1))
    assert len(laid_out) == 1  # the same text: not laid out again
    plain = pg.AxisItem("bottom")  # pyqtgraph's own, the same title in the same style
    plain.labelStyle = dict(bottom.labelStyle)
    plain.setLabel("Days")
    assert bottom.label.toHtml() == plain.label.toHtml()
    bottom.showLabel(False)
    bottom.enableAutoSIPrefix(False)
    bottom.setLabel("Weeks")  # (shows it again)
    assert bottom.label.toPlainText().strip() == "Weeks"
    chart.add_points("phq9", [], "PHQ-9 score")
    right = chart.item.getAxis("right")
    assert right.isVisible() and "PHQ-9 score" in right.label.toPlainText()
