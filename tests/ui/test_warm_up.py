"""The features' warm-ups (``UiRegistry.register_warm_up``) start once the first page is painted
and the person has been still for a moment: any input puts them off again."""

from __future__ import annotations

import builtins
import importlib
import importlib.machinery
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from companion.core.session import OpenDiary
from companion.ui import app_input
from companion.ui.charts import warm
from companion.ui.extension_points import load as load_ui
from companion.ui.main_window import StillFor
from companion.ui.pages import AppContext
from tests.ui.conftest import main_window_shown


def test_the_mood_feature_warms_its_charts_up() -> None:
    names = [f.__name__ for f in load_ui().warm_ups()]
    assert "_warm_up_charts" in names
    assert "warm_up_keyring" in names  # Settings' keyring probe then imports nothing


def test_still_for_waits_for_a_moment_without_input(qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    app_input.watch(widget)
    handle = widget.windowHandle()  # input as a platform delivers it: to the window first
    fired: list[int] = []
    still = StillFor(60_000, widget)
    still.still.connect(lambda: fired.append(1))
    assert still.timer.isActive() and not fired
    still.timer.stop()
    QTest.keyClick(handle, Qt.Key.Key_A)  # a key, a click, a move: the wait starts again
    assert still.timer.isActive()
    still.timer.stop()
    QTest.mouseClick(handle, Qt.MouseButton.LeftButton, pos=widget.rect().center())
    assert still.timer.isActive()
    still.timer.setInterval(1)
    still.timer.start()
    qtbot.waitUntil(lambda: fired == [1])
    QTest.keyClick(handle, Qt.Key.Key_A)  # once: input no longer starts it
    assert not still.timer.isActive() and fired == [1]


# -- the chart import takes turns with the window (ui/charts/warm.py) -------------------------


def _turn_on_a_worker(turns: warm._Turns) -> threading.Event:
    """``turns.take_turn()`` on a worker thread with the worker's name; set when it returns."""
    done = threading.Event()

    def run() -> None:
        turns.take_turn()
        done.set()

    threading.Thread(target=run, name=turns.worker_name, daemon=True).start()
    return done


def test_the_chart_import_waits_while_the_window_is_busy(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(warm, "TURN_S", 60.0)  # (so the last step below does not hang on time)
    turns = warm._Turns(threading.get_ident(), "probe-chart-import")
    done = _turn_on_a_worker(turns)
    # the GUI thread is busy (here: not running its event loop): the worker waits its turn
    assert not done.wait(0.15)
    qtbot.waitUntil(done.is_set, timeout=5_000)  # the window idle again: the import goes on
    assert turns.turns == 1 and turns.waited_s >= 0.1
    # within a turn's worth of importing (TURN_S), the next module does not ask again
    turns.take_turn()
    assert turns.turns == 1


def test_the_chart_import_does_not_wait_when_the_modules_are_wanted_now() -> None:
    turns = warm._Turns(threading.get_ident(), "probe-chart-import")
    turns.hurry.set()  # warm.wait() on the GUI thread
    assert _turn_on_a_worker(turns).wait(5)


def test_the_chart_import_never_waits_longer_than_its_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(warm, "MAX_WAIT_S", 0.05)
    turns = warm._Turns(threading.get_ident(), "probe-chart-import")
    assert _turn_on_a_worker(turns).wait(5)  # the window busy for longer: it goes on


def test_the_chart_import_does_not_wait_for_a_window_that_waits_for_an_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The GUI thread asks for a module the worker has begun (Python's import lock makes it
    wait for the worker): a worker that waited for the window then would wait forever."""
    monkeypatch.setattr(warm, "MAX_WAIT_S", 60.0)
    turns = warm._Turns(threading.get_ident(), "probe-chart-import")
    entered = threading.Event()
    monkeypatch.setattr(builtins, "_chart_probe", (entered, turns), raising=False)
    turns.hurry.set()  # no turn for the outer module itself; one for the module it imports
    (tmp_path / "chart_probe_outer.py").write_text(
        "import builtins\n"
        "entered, turns = builtins._chart_probe\n"
        "turns.hurry.clear()\n"
        "entered.set()\n"
        "import chart_probe_inner\n",
        encoding="utf-8",
    )
    (tmp_path / "chart_probe_inner.py").write_text("VALUE = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sys, "meta_path", [turns, *sys.meta_path])
    worker = threading.Thread(
        target=importlib.import_module, args=("chart_probe_outer",), name=turns.worker_name
    )
    worker.start()
    assert entered.wait(10)  # the worker holds the outer module's lock, asking for its turn
    outer = importlib.import_module("chart_probe_outer")  # waits for the worker (no loop)
    worker.join(10)
    for name in ("chart_probe_outer", "chart_probe_inner"):
        monkeypatch.delitem(sys.modules, name)
    assert outer.chart_probe_inner.VALUE == 1
    assert turns.turns == 1 and turns.waited_s < 30  # not the 60 s limit


def test_other_threads_imports_do_not_wait_for_the_chart_imports_turn(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(warm, "MAX_WAIT_S", 60.0)
    turns = warm._Turns(threading.get_ident(), "probe-chart-import")
    (tmp_path / "chart_probe_x.py").write_text("VALUE = 1\n", encoding="utf-8")
    (tmp_path / "chart_probe_y.py").write_text("VALUE = 2\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sys, "meta_path", [turns, *sys.meta_path])
    for name in ("chart_probe_x", "chart_probe_y"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    worker = threading.Thread(
        target=importlib.import_module, args=("chart_probe_x",), name=turns.worker_name
    )
    worker.start()  # waits for its turn: this thread is not running its event loop
    other = threading.Thread(target=importlib.import_module, args=("chart_probe_y",))
    other.start()
    other.join(10)
    assert not other.is_alive()  # Python's global import lock is not held during the turn
    assert worker.is_alive()
    qtbot.waitUntil(lambda: not worker.is_alive(), timeout=10_000)
    module = sys.modules["chart_probe_x"]
    # after its turn, the module has its own loader, as if imported without one
    assert type(module.__loader__) is importlib.machinery.SourceFileLoader
    assert module.__spec__.loader is module.__loader__ and module.VALUE == 1
    for name in ("chart_probe_x", "chart_probe_y"):
        monkeypatch.delitem(sys.modules, name)


def test_the_import_restores_the_switch_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(warm, "WORKER_MODULES", ("json",))
    before = sys.getswitchinterval()
    turns = warm._Turns(threading.get_ident(), "probe-chart-import")
    warm._import(turns)
    assert sys.getswitchinterval() == before and turns.finished
    assert turns.find_spec("anything", None) is None  # inert from now on


def test_a_chart_waiting_for_the_modules_stops_the_turns(monkeypatch: pytest.MonkeyPatch) -> None:
    turns = warm._Turns(threading.get_ident(), "probe-chart-import")
    monkeypatch.setattr(warm, "_turns", turns)
    monkeypatch.setattr(warm, "start", lambda: None)  # (this process imported them long ago)
    warm.wanted_now()  # the Charts tab clicked while the import runs
    assert turns.hurry.is_set()
    assert _turn_on_a_worker(turns).wait(5)  # no turn taken, though no event loop runs


def test_qt_classes_are_defined_on_the_gui_thread_only(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """numpy on the worker; pyqtgraph and the chart modules (Qt classes: PySide builds their
    meta-objects as the class statements run) on the GUI thread, once the worker is done."""
    record = "import threading\nTHREAD = threading.current_thread().name\n"
    (tmp_path / "warm_probe_worker.py").write_text(record)
    (tmp_path / "warm_probe_gui.py").write_text(record)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(warm, "WORKER_MODULES", ("warm_probe_worker",))
    monkeypatch.setattr(warm, "MODULES", ("warm_probe_gui",))
    turns = warm._Turns(threading.get_ident(), "probe-chart-import")
    turns.hurry.set()  # (no turns to take in this test)
    worker = threading.Thread(target=warm._import, args=(turns,), name=turns.worker_name)
    try:
        worker.start()
        worker.join(10)
        qtbot.waitUntil(lambda: "warm_probe_gui" in sys.modules, timeout=5_000)
        on_worker = sys.modules["warm_probe_worker"].THREAD
        on_gui = sys.modules["warm_probe_gui"].THREAD
        assert on_worker == turns.worker_name
        assert on_gui == threading.main_thread().name
    finally:
        for name in ("warm_probe_worker", "warm_probe_gui"):
            monkeypatch.delitem(sys.modules, name, raising=False)


def test_the_chart_modules_define_qt_classes_and_the_worker_modules_none() -> None:
    """What decides the split: a module whose top level defines a Qt class, or imports one
    that does, is not imported on the worker (a new worker module must keep to that)."""
    import subprocess

    import pyqtgraph
    from PySide6.QtCore import QObject

    assert issubclass(pyqtgraph.GraphicsObject, QObject)  # why pyqtgraph is on the GUI thread
    assert warm.WORKER_MODULES[0] == "numpy"
    assert not any(m.startswith(("pyqtgraph", "companion.ui")) for m in warm.WORKER_MODULES)
    assert warm.MODULES[0] == "pyqtgraph"  # alone in its turn: most of the GUI thread's part
    # in a fresh interpreter: the worker's modules import nothing of Qt, nor pyqtgraph
    code = (
        "import importlib, sys\n"
        f"for name in {warm.WORKER_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "qt = ('PySide6', 'shiboken6', 'pyqtgraph', 'companion.ui')\n"
        "print(sorted(m for m in sys.modules if m.startswith(qt)))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert run.stdout.strip() == "[]"


def test_the_gui_threads_part_is_imported_a_module_per_turn(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = ("warm_turn_a", "warm_turn_b")
    for name in names:
        (tmp_path / f"{name}.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(warm, "MODULES", names)
    try:
        warm.import_here()
        assert "warm_turn_a" in sys.modules and "warm_turn_b" not in sys.modules
        # the next one is a timer's, not a posted call's: it waits for the timers due before it
        # (the event loop may run a call posted meanwhile in the same pass, before them)
        QCoreApplication.sendPostedEvents()
        assert "warm_turn_b" not in sys.modules
        qtbot.waitUntil(lambda: "warm_turn_b" in sys.modules, timeout=5_000)  # the next turn
    finally:
        for name in names:
            monkeypatch.delitem(sys.modules, name, raising=False)


def test_a_page_waiting_for_the_charts_imports_a_module_per_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = ("warm_next_a", "warm_next_broken", "warm_next_b")
    (tmp_path / "warm_next_a.py").write_text("")
    (tmp_path / "warm_next_broken.py").write_text("raise ImportError('broken')\n")
    (tmp_path / "warm_next_b.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(warm, "MODULES", names)
    try:
        assert warm.import_next()
        assert "warm_next_a" in sys.modules and "warm_next_b" not in sys.modules
        # a module that fails: no retrying it every turn (the chart's own import reports it)
        assert not warm.import_next()
        monkeypatch.setattr(warm, "MODULES", ("warm_next_a", "warm_next_b"))
        assert warm.import_next() and "warm_next_b" in sys.modules
        assert not warm.import_next()  # none left
    finally:
        for name in names:
            monkeypatch.delitem(sys.modules, name, raising=False)


def test_the_warm_up_imports_the_modules_of_the_pages_not_opened_in_later_turns(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    """A page's first open then builds it and no more (its module took 8–22 ms to import)."""
    from companion.ui import timers

    window = main_window_shown(qtbot, diary, context)
    imported: list[str] = []

    def recording(page_id: str, loader: Callable[[], type]) -> Callable[[], type]:
        def load() -> type:
            imported.append(page_id)
            return loader()

        return load

    opened = set(window._built)
    for page_id, loader in list(window._classes.items()):
        window._classes[page_id] = recording(page_id, loader)
    building = timers.in_steps(window, [lambda: None])  # a page being built in steps
    window._warm_up()
    assert imported == []  # not in the turn that starts the warm-ups
    qtbot.waitUntil(lambda: timers.running() == 0)
    assert imported == []  # nor while a page was building
    assert building.finished or not shiboken6.isValid(building)
    expected = [page_id for page_id in window._classes if page_id not in opened]
    qtbot.waitUntil(lambda: imported == expected)
    assert set(window._built) == opened  # imported, not built
    window.open_page("learn")
    assert "learn" in window._built


def test_when_ready_calls_back_after_the_modules_a_turn_each_and_never_for_a_gone_owner(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = ("warm_ready_a", "warm_ready_b")
    for name in names:
        (tmp_path / f"{name}.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(warm, "MODULES", names)
    monkeypatch.setattr(warm, "done", lambda: True)  # the worker's part is over
    monkeypatch.setattr(warm, "start", lambda: None)
    owner = QWidget()
    qtbot.addWidget(owner)
    seen: list[bool] = []
    try:
        warm.when_ready(owner, lambda: seen.append("warm_ready_b" in sys.modules))
        # one module in this turn, the callback only once both are in
        assert "warm_ready_a" in sys.modules and "warm_ready_b" not in sys.modules
        assert seen == []
        qtbot.waitUntil(lambda: seen == [True], timeout=5_000)
        warm.when_ready(owner, lambda: seen.append(True))  # nothing left: at once
        assert seen == [True, True]
        # an owner deleted while it waits is never called back
        for name in names:
            monkeypatch.delitem(sys.modules, name)
        gone = QWidget()
        warm.when_ready(gone, lambda: seen.append(False))
        gone.deleteLater()
        qtbot.waitUntil(lambda: "warm_ready_b" not in sys.modules and not shiboken6.isValid(gone))
        qtbot.wait(50)
        assert False not in seen
    finally:
        for name in names:
            monkeypatch.delitem(sys.modules, name, raising=False)


def test_the_warm_up_compiles_a_check_ins_statements_in_a_turn_of_its_own_first(
    qtbot: QtBot, diary: OpenDiary, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The session's first check-in then does not compile them in the click's turn."""
    from companion.core.mood.service import MoodService

    window = main_window_shown(qtbot, diary, context)
    done: list[str] = []
    monkeypatch.setattr(MoodService, "compile_ahead", lambda _self: done.append("compiled"))
    for page_id, loader in list(window._classes.items()):
        window._classes[page_id] = lambda p=page_id, load=loader: (done.append(p), load())[1]
    window._warm_up()
    assert done == []  # not in the turn that starts the warm-ups
    qtbot.waitUntil(lambda: len(done) > 1)
    assert done[0] == "compiled"
