"""The chart modules' import: pyqtgraph's Qt mirrors hand out exactly the binding's objects
(filled when used, not all at import), and the axes lay their titles out only when they
change."""

from __future__ import annotations

import subprocess
import sys

import pyqtgraph as pg
import pyqtgraph.Qt as pg_qt
import PySide6.QtCore
import PySide6.QtGui
import PySide6.QtWidgets
import pytest
from pytestqt.qtbot import QtBot

from companion.ui.charts import pg_import
from companion.ui.charts.api import MoodChart
from companion.ui.charts.axis import DayAxis, QuietAxis, date_axis, plot_widget


def _run_child(code: str) -> subprocess.CompletedProcess[str]:
    """``code`` in a fresh interpreter, offscreen (what a cold process imports)."""
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )


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


_DESCRIBE = """
import sys, types
def describe(obj):
    if isinstance(obj, types.ModuleType):
        return ["module", obj.__name__]
    if isinstance(obj, (bool, int, float, str)) or obj is None:
        return [type(obj).__name__, repr(obj)]
    name = getattr(obj, "__qualname__", None)
    module = getattr(obj, "__module__", None)
    if isinstance(name, str) and isinstance(module, str):
        return [type(obj).__name__, module, name]
    return [type(obj).__name__]
"""


#: pyqtgraph imported in parts (``pg_import.import_part``), as the warm-up does; with
#: ``{midway}``, a name asked for after the first part (the rest is then run at once)
_IN_PARTS = """
import companion.ui.charts
from companion.ui.charts import pg_import
pg_import.prepare_parts()
parts = 0
while pg_import.import_part() and pg_import.parts_left():
    parts += 1
    if {midway} and parts == 1:
        import pyqtgraph
        pyqtgraph.PlotWidget
        assert not pg_import.parts_left()
print('PARTS', parts + 1)
"""


def _names_of_pyqtgraph(
    lightened: bool, names: list[str] | None = None, in_parts: str = ""
) -> dict[str, object]:
    """pyqtgraph's names (and ``pyqtgraph.Qt``'s extension modules) as a fresh interpreter
    sees them, imported the ordinary way or through the finder (then asked for by ``names``),
    with ``in_parts`` (``_IN_PARTS``) in parts first."""
    import json

    first = "import companion.ui.charts\n" if lightened else ""
    code = (
        _DESCRIBE
        + first
        + in_parts
        + "import pyqtgraph, pyqtgraph.Qt as qt, json\n"
        + "before = sorted(m for m in sys.modules if m.startswith('pyqtgraph'))\n"
        + "extensions = [m for m in ('PySide6.QtSvg', 'PySide6.QtTest') if m in sys.modules]\n"
        + f"names = {names!r} or [n for n in dir(pyqtgraph) if not n.startswith('__')]\n"
        + "out = {n: describe(getattr(pyqtgraph, n)) for n in names}\n"
        + "out['Qt.QtSvg'] = describe(qt.QtSvg)\n"
        + "out['Qt.QtTest'] = describe(qt.QtTest)\n"
        + "out['Qt.QtWidgets.QOpenGLWidget'] = describe(qt.QtWidgets.QOpenGLWidget)\n"
        + "print(json.dumps({'names': out, 'before': before, 'extensions': extensions}))\n"
    )
    run = _run_child(code)
    result: dict[str, object] = json.loads(run.stdout.strip().splitlines()[-1])
    parts = [line for line in run.stdout.splitlines() if line.startswith("PARTS ")]
    result["parts"] = int(parts[0].split()[1]) if parts else 0
    return result


def test_pyqtgraph_names_are_the_same_objects_imported_lightened_or_not() -> None:
    """The widgets and items no chart uses are imported when a name of theirs is first asked
    for, and ``QtSvg``/``QtTest`` when first asked for; every name is then what the ordinary
    import gives (compared by kind, module and qualified name, each in a fresh interpreter)."""
    ordinary = _names_of_pyqtgraph(lightened=False)
    names = ordinary["names"]
    assert isinstance(names, dict) and "ImageView" in names and "PlotWidget" in names
    light = _names_of_pyqtgraph(lightened=True, names=sorted(n for n in names if "." not in n))
    assert light["names"] == names
    # and until asked, they were not imported at all
    before = light["before"]
    assert isinstance(before, list)
    for deferred in (
        "pyqtgraph.imageview",
        "pyqtgraph.graphicsItems.ColorBarItem",
        "pyqtgraph.widgets.RemoteGraphicsView",
        "pyqtgraph.parametertree",
    ):
        assert deferred not in before
    assert "pyqtgraph.widgets.PlotWidget" in before
    assert light["extensions"] == []
    assert ordinary["extensions"] == ["PySide6.QtSvg", "PySide6.QtTest"]


@pytest.mark.qt_log_ignore("QOpenGLWidget is not supported on this platform")
def test_what_a_chart_does_not_use_is_what_it_stands_for_when_used(qtbot: QtBot) -> None:
    """The names bound by ``pg_import.LAZY_NAMES`` statements (a module, or a module's
    class) give the real thing when used, loaded or not before."""
    from xml.etree.ElementTree import Element

    import pyqtgraph.debug as debug
    from pyqtgraph.widgets.FileDialog import FileDialog

    assert debug.cProfile.run is __import__("cProfile").run
    graphics_item = sys.modules["pyqtgraph.graphicsItems.GraphicsItem"]
    assert isinstance(graphics_item.Element("svg"), Element)
    assert callable(debug.cprint.cprint)
    plot_item = sys.modules["pyqtgraph.graphicsItems.PlotItem.PlotItem"]
    dialog = plot_item.FileDialog()
    assert isinstance(dialog, FileDialog)
    dialog.deleteLater()
    legend_owner = pg.PlotItem()
    assert isinstance(legend_owner.addLegend(), pg.LegendItem)
    view = pg.ViewBox(enableMenu=True)
    from pyqtgraph.graphicsItems.ViewBox.ViewBoxMenu import ViewBoxMenu

    assert isinstance(view.menu, ViewBoxMenu)
    # a plot switched to an OpenGL viewport and back: pyqtgraph's view and curves tell it
    plot = plot_widget(bottom=date_axis())
    qtbot.addWidget(plot)
    curve = plot.plot([1.0, 2.0], [3.0, 4.0])
    plot.resize(200, 100)
    plot.grab()
    curves = sys.modules["pyqtgraph.graphicsItems.PlotCurveItem"]
    assert not isinstance(plot.viewport(), curves.OpenGLHelpers.GraphicsViewGLWidget)
    plot.useOpenGL(True)
    from pyqtgraph.Qt.OpenGLHelpers import GraphicsViewGLWidget

    assert type(plot.viewport()) is GraphicsViewGLWidget
    assert curves.OpenGLHelpers.GraphicsViewGLWidget is GraphicsViewGLWidget
    from PySide6.QtOpenGL import QOpenGLBuffer

    assert curves.QtOpenGL.QOpenGLBuffer is QOpenGLBuffer  # what its OpenGL drawing uses
    assert curves.importlib.import_module("json") is __import__("json")
    plot.useOpenGL(False)
    assert type(plot.viewport()) is PySide6.QtWidgets.QWidget
    assert curve.curve.opts["antialias"] is not None


def test_a_plot_makes_its_own_plain_viewport(qtbot: QtBot) -> None:
    """The plot's viewport is a plain ``QWidget`` as pyqtgraph's, made in Python; pyqtgraph's
    own check (not drawn with OpenGL: a plain widget) keeps it."""
    plot = plot_widget(bottom=date_axis())
    qtbot.addWidget(plot)
    viewport = plot.viewport()
    assert type(viewport) is PySide6.QtWidgets.QWidget
    assert viewport.parent() is plot
    ordinary = pg.PlotWidget()  # pyqtgraph's, keeping the viewport Qt made itself
    qtbot.addWidget(ordinary)
    own = ordinary.viewport()
    for same in (
        "objectName",
        "backgroundRole",
        "autoFillBackground",
        "focusPolicy",
        "acceptDrops",
        "hasMouseTracking",
        "updatesEnabled",
    ):
        assert getattr(viewport, same)() == getattr(own, same)(), same
    assert viewport.isVisibleTo(plot) == own.isVisibleTo(ordinary)
    assert viewport.focusProxy() is plot and own.focusProxy() is ordinary
    plot.useOpenGL(False)
    assert plot.viewport() is viewport


def test_the_charts_never_ask_for_what_was_deferred(qtbot: QtBot) -> None:
    """A mood chart made, filled and painted uses none of the deferred modules (so they are
    never imported in a session that only draws charts), nor has PySide make the Python types
    of widgets it does not use (which it did, every widget class of Qt's, when first handed
    the viewport Qt had made itself)."""
    import json

    code = (
        "import sys, json\n"
        "from datetime import date, timedelta\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "import companion.ui.charts\n"
        "from companion.ui.charts.api import MoodChart\n"
        "from companion.core.mood.service import DailyPoint\n"
        "chart = MoodChart(metrics=('mood', 'anxiety'))\n"
        "d0 = date(2020, 1, 1)\n"
        "pts = [DailyPoint(d0 + timedelta(days=i), 5.0, 3, 7, 2) for i in range(400)]\n"
        "chart.set_daily({'mood': pts, 'anxiety': pts})\n"
        "chart.add_period(d0, d0 + timedelta(days=30), 'Course', kind='medication')\n"
        "chart.add_event_marker(d0 + timedelta(days=9), '50 mg', kind='dose')\n"
        "chart.add_points('phq9', [(d0, 12.0)], 'PHQ-9')\n"
        "chart.resize(800, 400); chart.show(); chart.grab()\n"
        "import PySide6.QtWidgets as widgets\n"
        "made = [n for n in ('QWizard', 'QMessageBox', 'QCalendarWidget') if n in vars(widgets)]\n"
        "unused = ('cProfile', 'colorama', 'PySide6.QtOpenGL', 'PySide6.QtOpenGLWidgets',"
        " 'xml.etree.ElementTree')\n"
        "made += [n for n in unused if n in sys.modules]\n"
        "print(json.dumps(made))\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('pyqtgraph'))))\n"
    )
    run = _run_child(code)
    *_, made, modules = run.stdout.strip().splitlines()
    assert json.loads(made) == []
    loaded = json.loads(modules)
    for lazy in (
        "pyqtgraph.Qt.OpenGLHelpers",  # the OpenGL viewport
        "pyqtgraph.widgets.FileDialog",  # the plot's save dialog
        "pyqtgraph.graphicsItems.LegendItem",  # pyqtgraph's legend
        "pyqtgraph.util.cprint",  # debugging printouts
    ):
        assert lazy not in loaded
    assert "pyqtgraph.imageview" not in loaded
    assert "pyqtgraph.graphicsItems.ColorBarItem" not in loaded
    assert "pyqtgraph.widgets.RemoteGraphicsView" not in loaded


def test_pyqtgraph_imported_in_parts_is_the_package_imported_in_one_go() -> None:
    """The warm-up runs pyqtgraph's package body a few statements per turn (one turn was 19-27
    ms of the GUI thread): the package is then the one an import in one go makes, name for
    name, with the same modules imported; a name asked for half-way runs the rest at once."""
    whole = _names_of_pyqtgraph(lightened=True)
    names = sorted(n for n in whole["names"] if "." not in n)  # type: ignore[union-attr]
    whole = _names_of_pyqtgraph(lightened=True, names=names)
    for midway in (False, True):
        staged = _names_of_pyqtgraph(
            lightened=True, names=names, in_parts=_IN_PARTS.format(midway=midway)
        )
        assert staged["names"] == whole["names"]
        assert staged["before"] == whole["before"]
        assert staged["extensions"] == []
        assert staged["parts"] >= (2 if midway else 4)


def test_the_warm_up_imports_pyqtgraph_over_several_turns() -> None:
    """After the worker's part (which compiles the package's body), ``warm.import_next`` (a
    turn each) runs pyqtgraph's body in parts before the chart modules."""

    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from companion.ui.charts import warm\n"
        "warm._import()\n"
        "turns = []\n"
        "while warm.import_next():\n"
        "    turns.append('companion.ui.charts.api' in sys.modules)\n"
        "print('TURNS', len(turns), turns.index(True))\n"
    )
    run = _run_child(code)
    _word, turns, api_at = run.stdout.split()[-3:]
    assert int(api_at) >= 3  # pyqtgraph: three turns at least before the first chart module
    assert int(turns) == int(api_at) + len(warm_modules()) - 1


def warm_modules() -> tuple[str, ...]:
    from companion.ui.charts import warm

    return warm.MODULES
