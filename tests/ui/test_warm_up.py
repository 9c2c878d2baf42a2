"""The features' warm-ups (``UiRegistry.register_warm_up``) start once the first page is painted
and the person has been still for a moment: any input puts them off again."""

from __future__ import annotations

import builtins
import importlib
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from companion.ui import app_input
from companion.ui.charts import warm
from companion.ui.extension_points import load as load_ui
from companion.ui.main_window import StillFor


def test_the_mood_feature_warms_its_charts_up() -> None:
    names = [f.__name__ for f in load_ui().warm_ups()]
    assert "_warm_up_charts" in names


def test_still_for_waits_for_a_moment_without_input(qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    assert app_input.instance() is not None
    fired: list[int] = []
    still = StillFor(60_000, widget)
    still.still.connect(lambda: fired.append(1))
    assert still.timer.isActive() and not fired
    still.timer.stop()
    qtbot.keyClick(widget, Qt.Key.Key_A)  # a key, a click, a move: the wait starts again
    assert still.timer.isActive()
    still.timer.stop()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
    assert still.timer.isActive()
    still.timer.setInterval(1)
    still.timer.start()
    qtbot.waitUntil(lambda: fired == [1])
    qtbot.keyClick(widget, Qt.Key.Key_A)  # once: input no longer starts it
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
    """The GUI thread inside an import may be waiting for a module the worker has begun: a
    worker that waited for the window then would wait forever."""
    monkeypatch.setattr(warm, "MAX_WAIT_S", 60.0)
    turns = warm._Turns(threading.get_ident(), "probe-chart-import")
    probe = tmp_path / "waits_for_the_chart_import.py"
    probe.write_text(
        "import builtins\nTURNED = builtins._chart_import_turned.wait(10)\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    done = _turn_on_a_worker(turns)
    monkeypatch.setattr(builtins, "_chart_import_turned", done, raising=False)
    module = importlib.import_module("waits_for_the_chart_import")  # no event loop meanwhile
    monkeypatch.delitem(sys.modules, "waits_for_the_chart_import")
    assert module.TURNED is True


def test_the_import_restores_the_switch_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(warm, "MODULES", ("json",))
    before = sys.getswitchinterval()
    turns = warm._Turns(threading.get_ident(), "probe-chart-import")
    warm._import(turns)
    assert sys.getswitchinterval() == before and turns.finished
    assert turns.find_spec("anything", None) is None  # inert from now on
