"""The one background-work helper: results come back on the GUI thread, or not at all when
their owner is gone."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from companion.ui import tasks

from .conftest import wait_for_tasks


def test_result_arrives_on_the_gui_thread(qtbot: QtBot) -> None:
    got: list[tuple[int, bool]] = []
    main = threading.get_ident()
    tasks.run_task(
        lambda: threading.get_ident() != main,
        lambda off_thread: got.append((1, off_thread)),
        lambda exc: got.append((0, False)),
    )
    wait_for_tasks(qtbot)
    qtbot.waitUntil(lambda: bool(got))
    assert got == [(1, True)]
    assert threading.get_ident() == main


def test_errors_are_handed_over_not_printed(qtbot: QtBot, capsys: object) -> None:
    errors: list[BaseException] = []

    def boom() -> None:
        raise ValueError("private words")

    tasks.run_task(boom, lambda _r: None, errors.append)
    wait_for_tasks(qtbot)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ValueError)
    assert "private words" not in capsys.readouterr().err  # type: ignore[attr-defined]


def test_forgotten_and_deleted_owners_get_nothing(qtbot: QtBot) -> None:
    root = QWidget()
    child = QWidget(root)
    gate = threading.Event()
    calls: list[str] = []
    tasks.run_task(gate.wait, lambda _r: calls.append("child"), calls.append, owner=child)
    other = QWidget()
    tasks.run_task(gate.wait, lambda _r: calls.append("other"), calls.append, owner=other)
    assert tasks.forget_owned_by(root) == 1
    gate.set()
    wait_for_tasks(qtbot)
    assert calls == ["other"]
    root.deleteLater()
    other.deleteLater()


class _Witness:
    """Records the thread that frees it."""

    def __init__(self, freed_on: list[int]) -> None:
        self.freed_on = freed_on

    def __del__(self) -> None:
        self.freed_on.append(threading.get_ident())


def test_what_a_task_holds_is_freed_on_the_gui_thread(qtbot: QtBot) -> None:
    """A closure often holds a page; Qt objects may only be destroyed by their own thread."""
    freed_on: list[int] = []
    results: list[object] = []

    def make_work() -> object:
        witness = _Witness(freed_on)
        return lambda: (witness, _Witness(freed_on))

    tasks.run_task(make_work(), results.append, results.append)
    wait_for_tasks(qtbot)
    assert len(results) == 1
    results.clear()  # the closure's witness and the result's witness both go now
    assert freed_on == [threading.get_ident()] * 2


def test_an_exception_and_its_traceback_are_freed_on_the_gui_thread(qtbot: QtBot) -> None:
    freed_on: list[int] = []
    errors: list[BaseException] = []

    def fails() -> None:
        local = _Witness(freed_on)  # held by the traceback's frame
        raise ValueError(str(id(local)))

    tasks.run_task(fails, lambda _r: None, errors.append)
    wait_for_tasks(qtbot)
    assert isinstance(errors[0], ValueError) and freed_on == []
    errors.clear()
    import gc

    gc.collect()  # the traceback holds its frames in a cycle: collected here, on this thread
    assert freed_on == [threading.get_ident()]


def test_blocked_tasks_do_not_hold_up_the_one_the_person_waits_for(qtbot: QtBot) -> None:
    """Two tasks stuck (a keyring behind D-Bus, say) on a two-core machine: the next one
    still runs at once, because Companion has its own pool with room to spare."""
    gate = threading.Event()
    done: list[str] = []
    try:
        for _ in range(tasks.MIN_THREADS - 1):
            tasks.run_task(gate.wait, lambda _r: done.append("blocked"), done.append)
        tasks.run_task(lambda: "quick", done.append, done.append)
        qtbot.waitUntil(lambda: done == ["quick"], timeout=10_000)
    finally:
        gate.set()
    wait_for_tasks(qtbot)
    assert sorted(done) == ["blocked"] * (tasks.MIN_THREADS - 1) + ["quick"]


def test_nothing_of_a_finished_task_stays(qtbot: QtBot) -> None:
    """A task's closure may hold a copy of the diary: once its outcome is delivered, nothing
    of the task is left anywhere (not in the table, not in Qt's pool)."""
    import gc
    import weakref

    class Held:
        pass

    results: list[object] = []
    refs = []
    for _ in range(3):
        held = Held()
        refs.append(weakref.ref(held))
        tasks.run_task(lambda held=held: held is not None, results.append, results.append)
        del held
    wait_for_tasks(qtbot)
    assert results == [True] * 3
    gc.collect()
    assert [ref() for ref in refs] == [None] * 3
    left = [o for o in gc.get_objects() if type(o).__module__ == tasks.__name__]
    assert [type(o).__name__ for o in left if type(o).__name__ != "_Dispatcher"] == []


def test_a_task_ending_after_the_application_went_prints_nothing(
    qtbot: QtBot, capfd: pytest.CaptureFixture[str]
) -> None:
    """A command (``screenshot``) may end, and its application with the dispatcher, while a
    warm-up still runs: the worker finds nobody to hand its outcome to, and says nothing
    (it printed "RuntimeError: Signal source has been deleted")."""
    import shiboken6

    release = threading.Event()
    tasks.run_task(release.wait, lambda _r: None, lambda _e: None)
    (ident,) = [i for i, e in tasks._PENDING.items() if e.fn is not None and e.outcome is None]
    shiboken6.delete(tasks._the_dispatcher())  # as when the application is deleted
    release.set()
    assert tasks.wait_for_workers(5000)
    entry = tasks._PENDING.pop(ident)
    assert entry.outcome == (True, True)  # it ran, and kept its outcome for the GUI thread
    assert "Signal source has been deleted" not in capfd.readouterr().err
    got: list[int] = []
    tasks.run_task(lambda: 1, got.append, lambda _e: None)  # a new dispatcher serves the next
    wait_for_tasks(qtbot)
    qtbot.waitUntil(lambda: got == [1])
