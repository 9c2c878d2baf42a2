"""Driving the real app inside one fresh process: a script of steps on the GUI thread, a stall
monitor that records every gap between the ticks of a timer on that thread, and the small
helpers the children in ``bench/children.py`` share.

A script is a generator run on the GUI thread. Between its ``yield``s the code runs exactly as a
slot would (a click, a page switch); each ``yield`` hands control back to Qt's event loop until
something happens:

    t = yield Painted(widget)        # the end of the first paint pass of ``widget``
    yield Idle()                     # background tasks finished, then a short settle
    yield Wait(1000)                 # a person typing
    t = yield Await(arm)             # ``arm(resume)`` registers the callback that resumes us

so the stall monitor (a Qt timer on the same thread) keeps ticking whenever the app lets it.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import threading
import time
import traceback
from array import array
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication, QWidget

#: how long a step may wait for a paint or an idle app before the script reports a problem
STEP_TIMEOUT_MS = 120_000


def now() -> float:
    return time.perf_counter()


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


# -- memory and CPU ---------------------------------------------------------------------------


def as_input() -> None:
    """Tell the app what a person's key or click would, as the window system delivers it to
    the window first (``ui/app_input.py``: its build-ahead pauses and waits for them to be
    still again, its garbage collector waits for a quiet moment). A scripted ``click()`` or
    ``setCurrentRow()`` is a call, which the app does not see as input: without this, the
    app took the scripted session for a person sitting still throughout."""
    from companion.ui import app_input

    hub = app_input.instance()
    if hub is not None:
        hub.active()


def proc_status() -> dict[str, float]:
    """VmRSS and VmHWM in MB (Linux); empty elsewhere."""
    out: dict[str, float] = {}
    with contextlib.suppress(OSError), open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0]) / 1024
    return out


def settled_rss_mb() -> float | None:
    """RSS after a garbage collection and Qt's deferred deletes (what stays in use)."""
    gc.collect()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
    gc.collect()
    return proc_status().get("VmRSS")


def cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system


# -- the KDF, timed exactly ----------------------------------------------------------------------


class KdfClock:
    """Wraps ``companion.storage.kdf.derive`` and remembers when each run started and ended, so
    an unlock can be reported without the KDF (which is meant to be slow)."""

    def __init__(self) -> None:
        from companion.storage import kdf

        self.spans: list[tuple[float, float]] = []
        real = kdf.derive

        def timed(*args: Any, **kwargs: Any) -> bytes:
            start = now()
            try:
                return real(*args, **kwargs)
            finally:
                self.spans.append((start, now()))

        kdf.derive = timed  # type: ignore[assignment]

    def within(self, start: float, end: float) -> float:
        """Seconds of KDF work inside [start, end]."""
        return sum(max(0.0, min(b, end) - max(a, start)) for a, b in self.spans)


# -- the stall monitor ----------------------------------------------------------------------------


class StallMonitor:
    """A timer on the GUI thread ticking every ``interval_ms``; every gap between two ticks is
    time the event loop could not run (a click, a repaint, a keystroke would have waited)."""

    def __init__(self, interval_ms: int = 5) -> None:
        self.interval_ms = interval_ms
        self.ticks = array("d")
        self.marks: list[tuple[float, str]] = []
        #: at each mark: (GUI thread CPU, whole process CPU) in seconds
        self.cpu: list[tuple[float, float]] = []
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.watchdog: StallStacks | None = None

    def _tick(self) -> None:
        self.ticks.append(now())
        FRAMES_HELD.clear()  # (on this thread: see there)
        if self.watchdog is not None:
            self.watchdog.beat = self.ticks[-1]

    def start(self, stage: str) -> None:
        self.stage(stage)
        self._tick()
        self.timer.start()

    def stage(self, name: str) -> None:
        self.marks.append((now(), name))
        self.cpu.append((time.thread_time(), time.process_time()))
        if self.watchdog is not None:
            self.watchdog.stage = name

    def stop(self) -> None:
        self.timer.stop()
        self._tick()
        self.cpu.append((time.thread_time(), time.process_time()))
        if self.watchdog is not None:
            self.watchdog.stop()

    def gaps(self, start: float | None = None, end: float | None = None) -> list[float]:
        """Gaps (ms) between consecutive ticks that ended in (start, end]. A gap belongs to the
        stage in which it ended: a step starts right after its mark, while the GUI thread was
        still ticking, so the freeze it causes ends inside its own stage."""
        ticks = self.ticks
        out = []
        for i in range(1, len(ticks)):
            b = ticks[i]
            if (start is None or b > start) and (end is None or b <= end):
                out.append((b - ticks[i - 1]) * 1000)
        return out

    def by_stage(self) -> list[dict[str, Any]]:
        """One row per stage of the script: how long it lasted and its gaps."""
        rows = []
        for i, (start, name) in enumerate(self.marks):
            end = self.marks[i + 1][0] if i + 1 < len(self.marks) else self.ticks[-1]
            gaps = self.gaps(start, end)
            rows.append(
                {
                    "stage": name,
                    "seconds": round(end - start, 3),
                    **gap_stats(gaps),
                    "gaps_over_16ms": [round(g, 1) for g in gaps if g > 16],
                    "gaps_over_10ms": [round(g, 1) for g in gaps if g > 10],
                }
            )
        return rows


class CollectionLog:
    """Every garbage collection of the GUI process over 1 ms: the stage it ran in, its
    generation and how long it held the thread that ran it."""

    def __init__(self, monitor: StallMonitor) -> None:
        self.monitor = monitor
        self.records: list[dict[str, Any]] = []
        self._began = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._began = now()
            return
        spent = (now() - self._began) * 1000
        if spent > 1:
            stage = self.monitor.marks[-1][1] if self.monitor.marks else ""
            self.records.append(
                {
                    "stage": stage,
                    "generation": info["generation"],
                    "ms": round(spent, 1),
                    # (what it found unreachable and freed: a long young pass that freed
                    # thousands was deleting widgets' wrappers, not walking the heap)
                    "collected": info.get("collected", 0),
                }
            )

    def stop(self) -> None:
        if self._callback in gc.callbacks:
            gc.callbacks.remove(self._callback)


def gap_stats(gaps: list[float]) -> dict[str, Any]:
    if not gaps:
        return {"ticks": 0}
    ordered = sorted(gaps)
    total = sum(ordered)
    return {
        "ticks": len(ordered),
        "max_ms": round(ordered[-1], 1),
        "p99_ms": round(percentile(ordered, 99), 1),
        "p99_time_weighted_ms": round(time_weighted_percentile(ordered, 99), 1),
        "over_16ms": sum(1 for g in ordered if g > 16),
        "over_50ms": sum(1 for g in ordered if g > 50),
        "seconds_in_gaps_over_50ms": round(sum(g for g in ordered if g > 50) / 1000, 3),
        "share_of_time_in_gaps_over_16ms": round(sum(g for g in ordered if g > 16) / total, 3),
    }


def percentile(ordered: list[float], q: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def time_weighted_percentile(ordered: list[float], q: float) -> float:
    """The gap length that covers a random moment of the session with probability ``q``%: each
    gap weighs as much as it lasts, so a few long freezes are not hidden by thousands of idle
    ticks (the count-based percentile hides them)."""
    total = sum(ordered)
    if not total:
        return 0.0
    running = 0.0
    for gap in ordered:
        running += gap
        if running >= total * q / 100:
            return gap
    return ordered[-1]


#: the frames a sampler took (:func:`thread_stacks`), let go of on the GUI thread, at the stall
#: monitor's next tick. A frame whose function returns while a sampler holds it keeps that
#: function's locals, and a sampler letting go of it on its own thread would destroy the Qt
#: objects among them there. (Two of 19 sampled sessions in one afternoon crashed after
#: "QBasicTimer::start: Timers cannot be started from another thread" and "Object event filter
#: cannot be in a different thread"; none without a sampler. That this was the cause is not
#: proven: the frames may also be freed by a collection, which runs on the GUI thread.)
FRAMES_HELD: list[list[object]] = []


def thread_stacks(depth: int | None = None) -> dict[int, list[str]]:
    """Every other thread's Python stack (outermost first; its innermost ``depth`` frames), read
    from the frames themselves (no source file read), with every frame it touched kept in
    :data:`FRAMES_HELD` for the GUI thread to let go of."""
    held: list[object] = []
    stacks: dict[int, list[str]] = {}
    me = threading.get_ident()  # (not its own: its frames hold ``held``, a cycle)
    try:
        for ident, frame in sys._current_frames().items():
            if ident == me:
                continue
            lines: list[str] = []
            walked: Any = frame
            while walked is not None and (depth is None or len(lines) < depth):
                held.append(walked)
                code = walked.f_code
                lines.append(
                    f"{os.path.relpath(code.co_filename)}:{walked.f_lineno} {code.co_name}"
                )
                walked = walked.f_back
            stacks[ident] = lines[::-1]
    finally:
        FRAMES_HELD.append(held)
    return stacks


class StallStacks(threading.Thread):
    """Optional watchdog: while the GUI thread has not ticked for ``threshold_ms``, sample its
    Python stack every ``every_ms``; each stall keeps its samples (for "where did it freeze")."""

    def __init__(self, gui_thread_id: int, threshold_ms: float = 50, every_ms: float = 10) -> None:
        super().__init__(daemon=True, name="stall-stacks")
        self.gui = gui_thread_id
        self.threshold = threshold_ms / 1000
        self.every = every_ms / 1000
        self.beat = now()
        self.stalls: list[dict[str, Any]] = []
        self._stop = threading.Event()
        self.stage = ""

    def stop(self) -> None:
        self._stop.set()

    def run(self) -> None:
        current: dict[str, Any] | None = None
        while not self._stop.wait(self.every):
            beat = self.beat
            late = now() - beat
            if late < self.threshold:
                current = None
                continue
            stack = thread_stacks().get(self.gui)
            if stack is None:
                continue
            if current is None or current["beat"] != beat:
                current = {"beat": beat, "stage": self.stage, "samples": []}
                self.stalls.append(current)
            current["samples"].append(stack)


# -- the script runner ---------------------------------------------------------------------------


@dataclass
class Wait:
    ms: int


@dataclass
class Idle:
    """Background tasks done (``companion.ui.tasks``, Qt's pool) and what they drew in turns
    (``timers.in_steps``), then ``settle_ms`` more."""

    settle_ms: int = 100


@dataclass
class Painted:
    """Resumes with the time at which the first paint pass of ``widget`` had finished, or
    with None if it was not painted within ``timeout_ms``."""

    widget: QWidget
    timeout_ms: int = 20_000


@dataclass
class Until:
    """Polls ``check()`` every ``poll_ms``; resumes with True when it holds, False on timeout."""

    check: Callable[[], bool]
    timeout_ms: int = 5000
    poll_ms: int = 5


@dataclass
class Await:
    """``arm(resume)`` registers ``resume``; the script goes on when it is called (with a value)."""

    arm: Callable[[Callable[[Any], None]], None]


Step = Wait | Idle | Painted | Until | Await
Script = Generator[Step, Any, None]


class _PaintWatch(QObject):
    def __init__(self, widget: QWidget, done: Callable[[float], None]) -> None:
        super().__init__()
        self.widget = widget
        self.done = done
        self.fired = False
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # (a paint into a pixmap of a hidden widget, as of a page built ahead, is not one a
        # person sees)
        if not self.fired and event.type() == QEvent.Type.Paint and self.widget.isVisible():
            self.fired = True
            # Children are painted in the same pass, right after this; a zero timer runs once
            # the whole pass (and anything else already queued) is over.
            QTimer.singleShot(0, self._finish)
        return False

    def _finish(self) -> None:
        with contextlib.suppress(RuntimeError):
            self.widget.removeEventFilter(self)
        self.done(now())


def watch_paint(widget: QWidget, done: Callable[[float], None]) -> _PaintWatch:
    return _PaintWatch(widget, done)


def main_window_paints(controller: Any) -> list[Callable[[float], None]]:
    """Wrap ``controller.show_main`` (an ``AppController``): a callback put in the returned list
    before Unlock is clicked is called with the time the main window is first painted (the
    window being opened in turns, or shown)."""
    waiting: list[Callable[[float], None]] = []
    watches: list[_PaintWatch] = []  # kept alive with the wrapper
    original = controller.show_main

    def show_main(diary: Any, used_recovery_key: bool = False) -> None:
        original(diary, used_recovery_key)
        if waiting:
            watches.append(watch_paint(controller.opening or controller.window, waiting.pop()))

    controller.show_main = show_main
    return waiting


def unlocked(
    controller: Any, typing_ms: int, before_click: Callable[[], None] | None = None
) -> Generator[Any, Any, Any]:
    """Script steps (``yield from``): start ``controller``, wait for the unlock window's paint,
    "type" ``COMPANION_PASSPHRASE`` for ``typing_ms``, call ``before_click``, click Unlock; the
    value is the time the main window is first painted."""
    on_main = main_window_paints(controller)
    controller.start()
    yield Painted(controller.window)
    yield Wait(typing_ms)
    yield Idle()
    unlock = controller.window
    unlock.secret.edit.setText(os.environ["COMPANION_PASSPHRASE"])
    if before_click is not None:
        before_click()

    def arm(resume: Callable[[float], None]) -> None:
        on_main.append(resume)
        unlock.unlock_button.click()

    return (yield Await(arm))


class Runner:
    """Runs a script on the GUI thread; ``run()`` returns when it ends (or fails)."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.error: str | None = None
        self._keep: list[object] = []
        self._timeout = QTimer()
        self._timeout.setSingleShot(True)
        self._timeout.timeout.connect(self._timed_out)
        self._token = 0

    def run(self) -> None:
        app = QApplication.instance()
        assert app is not None
        QTimer.singleShot(0, lambda: self._resume(None))
        app.exec()

    def _timed_out(self) -> None:
        self._throw(TimeoutError("a step of the bench script waited too long"))

    def _throw(self, exc: BaseException) -> None:
        self._token += 1
        try:
            step = self.script.throw(exc)
        except StopIteration:
            self._finish()
            return
        except BaseException:
            self.error = traceback.format_exc()
            self._finish()
            return
        self._arm(step)

    def _resume(self, value: Any) -> None:
        self._timeout.stop()
        self._token += 1
        self._keep.clear()
        try:
            step = self.script.send(value)
        except StopIteration:
            self._finish()
            return
        except BaseException:
            self.error = traceback.format_exc()
            self._finish()
            return
        self._arm(step)

    def _once(self) -> Callable[[Any], None]:
        """A resume callback that works once, and only for the step it was made for."""
        token = self._token

        def resume(value: Any = None) -> None:
            if token == self._token:
                self._resume(value)

        return resume

    def _arm(self, step: Step) -> None:
        resume = self._once()
        self._timeout.start(STEP_TIMEOUT_MS)
        if isinstance(step, Wait):
            QTimer.singleShot(step.ms, lambda: resume(None))
        elif isinstance(step, Painted):
            self._keep.append(watch_paint(step.widget, resume))
            QTimer.singleShot(step.timeout_ms, lambda: resume(None))
        elif isinstance(step, Await):
            step.arm(resume)
        elif isinstance(step, Idle):
            self._poll_idle(resume, step.settle_ms)
        elif isinstance(step, Until):
            self._poll_until(resume, step)
        else:
            raise TypeError(step)

    def _poll_idle(self, resume: Callable[[Any], None], settle_ms: int) -> None:
        from companion.ui import tasks, timers

        def check() -> None:
            # workers, results drawn in turns, and work that begins once a change is painted
            busy = (
                tasks.running()
                or timers.running()
                or timers.turns_pending()
                or timers.paints_awaited()
            )
            if busy or QThreadPool.globalInstance().activeThreadCount():
                QTimer.singleShot(5, check)
            else:
                QTimer.singleShot(settle_ms, lambda: resume(None))

        check()

    def _poll_until(self, resume: Callable[[Any], None], step: Until) -> None:
        deadline = now() + step.timeout_ms / 1000

        def check() -> None:
            if step.check():
                resume(True)
            elif now() > deadline:
                resume(False)
            else:
                QTimer.singleShot(step.poll_ms, check)

        check()

    def _finish(self) -> None:
        self._timeout.stop()
        app = QApplication.instance()
        if app is not None:
            app.quit()


# -- small helpers for scripts ------------------------------------------------------------------


@dataclass
class Timings:
    """What a script measured: named figures (ms unless said) and notes."""

    figures: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def put(self, name: str, value: Any) -> None:
        self.figures[name] = value


@contextlib.contextmanager
def quiet_qt_messages() -> Iterator[None]:
    """The offscreen platform warns about window features it lacks; those are not problems."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    def handler(kind: QtMsgType, context: object, message: str) -> None:
        if "This plugin does not support" in message or "propagateSizeHints" in message:
            return
        print(message, file=sys.stderr)

    previous = qInstallMessageHandler(handler)
    try:
        yield
    finally:
        qInstallMessageHandler(previous)
