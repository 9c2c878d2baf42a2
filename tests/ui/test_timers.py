"""The delayed-call helpers: ``after`` and ``in_steps``."""

from __future__ import annotations

import itertools
import time

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from companion.ui.timers import after, in_steps


def test_steps_run_over_several_turns_in_order_then_done(qtbot):
    owner = QObject()
    ran: list[int] = []
    finished: list[bool] = []

    def step(n: int):
        def run() -> None:
            time.sleep(0.004)
            ran.append(n)

        return run

    runner = in_steps(
        owner, [step(n) for n in range(6)], budget_ms=5, done=lambda: finished.append(True)
    )
    assert ran == []  # nothing runs before the event loop turns
    QApplication.processEvents()
    assert 1 <= len(ran) < 6  # one turn ran only what fit in its budget
    qtbot.waitUntil(lambda: finished == [True])
    assert ran == list(range(6))
    assert runner is not None


def test_finish_now_runs_what_is_left_once(qtbot):
    owner = QObject()
    ran: list[int] = []
    finished: list[bool] = []
    runner = in_steps(
        owner, [lambda n=n: ran.append(n) for n in range(4)], done=lambda: finished.append(True)
    )
    runner.finish_now()
    assert ran == [0, 1, 2, 3] and finished == [True]
    assert runner.finished
    waited: list[bool] = []
    after(owner, 20, lambda: waited.append(True))
    qtbot.waitUntil(lambda: waited == [True])
    assert ran == [0, 1, 2, 3] and finished == [True]  # no step and no done a second time


def test_a_step_that_returns_a_generator_has_its_pieces_run_as_steps_first(qtbot):
    owner = QObject()
    ran: list[str] = []

    def pieces():
        for n in range(3):
            ran.append(f"piece {n}")
            yield

    in_steps(owner, [lambda: ran.append("a"), pieces, lambda: ran.append("b")], budget_ms=0)
    turns = 0
    while len(ran) < 5 and turns < 50:
        QApplication.processEvents()
        turns += 1
        qtbot.wait(2)
    assert ran == ["a", "piece 0", "piece 1", "piece 2", "b"]
    # and all at once when asked
    ran.clear()
    runner = in_steps(owner, [pieces, lambda: ran.append("b")])
    runner.finish_now()
    assert ran == ["piece 0", "piece 1", "piece 2", "b"]


def test_nothing_runs_once_the_owner_is_gone(qtbot):
    owner = QObject()
    ran: list[int] = []
    in_steps(owner, [lambda: ran.append(1)])
    shiboken6.delete(owner)  # a closed page deleted at once
    probe = QObject()
    waited: list[bool] = []
    after(probe, 30, lambda: waited.append(True))
    qtbot.waitUntil(lambda: waited == [True])
    assert ran == []


def test_running_counts_the_runs_with_steps_left(qtbot):
    from companion.ui import timers

    owner = QObject()
    before = timers.running()
    finished = timers.in_steps(owner, [lambda: None])
    gone = timers.in_steps(owner, [lambda: None])
    other = QObject()
    timers.in_steps(other, [lambda: None, lambda: None])
    assert timers.running() == before + 3
    finished.finish_now()
    assert timers.running() == before + 2
    del gone
    owner.deleteLater()  # its runs go with it
    other.deleteLater()
    qtbot.waitUntil(lambda: timers.running() == before)


def test_after_paint_waits_for_the_first_paint_with_one_watcher(qtbot):
    """However many wait for a window's first paint, one watcher filters its events; each
    callback runs after the paint, the last asked for first (as separate watchers did)."""
    from PySide6.QtWidgets import QWidget

    from companion.ui import timers

    window = QWidget()
    qtbot.addWidget(window)
    called: list[str] = []
    for name in ("first", "second", "third"):
        timers.after_paint(window, lambda name=name: called.append(name))
    assert len(window.findChildren(timers._FirstPaint)) == 1
    window.show()
    qtbot.waitUntil(lambda: len(called) == 3)
    assert called == ["third", "second", "first"]
    timers.after_paint(window, lambda: called.append("next paint"))  # waits for another
    QApplication.processEvents()
    assert called[3:] == []
    window.update()
    qtbot.waitUntil(lambda: called[3:] == ["next paint"])


def test_after_paint_callbacks_each_get_a_turn_of_their_own(qtbot):
    """Zero timers started together are all run in one pass of Qt's timers: the callbacks
    waiting for one paint are chained instead, so a timer (a key, a repaint) started by one
    of them runs before the next one; and none runs once the widget is deleted."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QWidget

    from companion.ui import timers

    window = QWidget()
    qtbot.addWidget(window)
    called: list[str] = []

    def first() -> None:
        called.append("first")
        QTimer.singleShot(0, lambda: called.append("between"))

    timers.after_paint(window, lambda: called.append("second"))
    timers.after_paint(window, first)  # (the last asked for, first)
    window.show()
    qtbot.waitUntil(lambda: "second" in called)
    assert called == ["first", "between", "second"]
    assert timers.turns_pending() == 0

    gone = QWidget()
    rest: list[str] = []
    timers.one_per_turn(gone, [lambda: shiboken6.delete(gone), lambda: rest.append("x")])
    qtbot.waitUntil(lambda: not shiboken6.isValid(gone))
    QApplication.processEvents()
    assert rest == []


def test_after_paint_gives_up_on_a_window_never_painted_in_the_order_asked(qtbot):
    from PySide6.QtWidgets import QWidget

    from companion.ui import timers

    hidden = QWidget()
    qtbot.addWidget(hidden)
    called: list[str] = []
    timers.after_paint(hidden, lambda: called.append("first"), at_most_ms=200)
    timers.after_paint(hidden, lambda: called.append("sooner"), at_most_ms=20)
    qtbot.waitUntil(lambda: len(called) == 2)  # at the sooner of the two
    assert called == ["first", "sooner"]

    gone = QWidget()
    timers.after_paint(gone, lambda: called.append("gone"), at_most_ms=20)
    (watcher,) = gone.findChildren(timers._FirstPaint)
    shiboken6.delete(gone)  # nothing for a widget deleted first: its watcher and timer go too
    assert not shiboken6.isValid(watcher)
    assert called == ["first", "sooner"]


def test_paints_awaited_counts_the_work_waiting_for_a_widget_on_screen(qtbot):
    from PySide6.QtWidgets import QWidget

    from companion.ui import timers

    shown, hidden = QWidget(), QWidget()
    for widget in (shown, hidden):
        qtbot.addWidget(widget)
    shown.show()
    qtbot.waitExposed(shown)
    ran: list[str] = []
    timers.after_paint(hidden, lambda: ran.append("hidden"), at_most_ms=60_000)
    assert timers.paints_awaited() == 0  # (not on screen: nothing a step waits for)
    timers.after_paint(shown, lambda: ran.append("shown"), at_most_ms=60_000)
    assert timers.paints_awaited() == 1
    shown.update()
    qtbot.waitUntil(lambda: timers.paints_awaited() == 0)
    qtbot.waitUntil(lambda: ran == ["shown"] and timers.turns_pending() == 0)


def _busy(ms: float) -> None:
    end = time.perf_counter() + ms / 1000
    while time.perf_counter() < end:
        pass


def test_a_timer_due_just_after_a_turn_of_steps_runs_before_the_next_turn(qtbot):
    """The next turn of steps is not a zero timer: one started as a turn ends was due before
    a timer falling due a moment later (the bench's 5 ms ticker), and Qt ran two turns back to
    back before it."""
    from PySide6.QtCore import QTimer

    owner = QObject()
    order: list[str] = []

    def first() -> None:
        QTimer.singleShot(3, lambda: order.append("tick"))
        _busy(2.5)  # the turn ends half a millisecond before the tick is due
        order.append("first")

    in_steps(owner, [first, lambda: order.append("second")], budget_ms=1)
    qtbot.waitUntil(lambda: len(order) == 3)
    assert order == ["first", "tick", "second"]


def test_a_turn_of_steps_starts_no_step_that_would_not_fit(qtbot, monkeypatch):
    """Steps of 5 ms with a 12 ms budget: two a turn (10 ms), not a third begun at 10 ms that
    ends the turn at 15."""
    from companion.ui import timers

    clock = [0.0]

    class Clock:  # (``timers``' clock only: the event loop and pytest-qt keep the real one)
        @staticmethod
        def perf_counter() -> float:
            return clock[0]

    monkeypatch.setattr(timers, "time", Clock)
    turns: list[list[int]] = []
    turn = timers.Steps._turn

    def counted(self: timers.Steps) -> None:
        turns.append([])
        turn(self)

    monkeypatch.setattr(timers.Steps, "_turn", counted)
    owner = QObject()

    def step(n: int):
        def run() -> None:
            clock[0] += 0.005
            turns[-1].append(n)

        return run

    in_steps(owner, [step(n) for n in range(5)], budget_ms=12)
    qtbot.waitUntil(lambda: timers.running() == 0)
    assert turns == [[0, 1], [2, 3], [4]]


def test_steps_apart_let_every_timer_due_meanwhile_run_between_them(qtbot):
    """``apart_ms=APART_MS``: a 5 ms timer (an animation's frame, a stall monitor) always
    runs between two turns of steps; 1 ms apart (``NEXT_TURN_MS``, the default), a turn may
    follow the one before it in the same pass of the event loop, before that timer."""
    from PySide6.QtCore import Qt, QTimer

    from companion.ui.timers import APART_MS

    owner = QObject()
    events: list[str] = []
    ticker = QTimer()
    ticker.setTimerType(Qt.TimerType.PreciseTimer)
    ticker.setInterval(5)
    ticker.timeout.connect(lambda: events.append("tick"))
    ticker.start()
    qtbot.waitUntil(lambda: "tick" in events)

    def step(n: int):
        def run() -> None:
            time.sleep(0.002)
            events.append(f"step {n}")

        return run

    finished: list[bool] = []
    in_steps(
        owner,
        [step(n) for n in range(6)],
        budget_ms=0,
        done=lambda: finished.append(True),
        apart_ms=APART_MS,
    )
    qtbot.waitUntil(lambda: finished == [True])
    ticker.stop()
    steps = [i for i, event in enumerate(events) if event.startswith("step")]
    assert [events[i] for i in steps] == [f"step {n}" for n in range(6)]
    for first, second in itertools.pairwise(steps):
        assert "tick" in events[first + 1 : second]
