"""Delayed calls that go away with the object they belong to.

``QTimer.singleShot(ms, callable)`` in PySide leaves a parentless timer running after the
object it would call back into has been deleted (a closed window, a locked diary): it then
fires into nothing, or into a deleted widget. ``after`` makes the timer a child of its owner,
so deleting the owner cancels it. ``after_paint`` waits for a widget's first paint instead.
"""

from __future__ import annotations

import time
import weakref
from collections import deque
from collections.abc import Callable, Generator, Iterable
from functools import partial
from types import GeneratorType

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


def after(owner: QObject, ms: int, callback: Callable[[], object]) -> QTimer:
    """Call ``callback`` once, ``ms`` milliseconds from now, unless ``owner`` is deleted first."""
    timer = QTimer(owner)
    timer.setSingleShot(True)
    timer.timeout.connect(callback)
    timer.timeout.connect(timer.deleteLater)
    timer.start(ms)
    return timer


class _FirstPaint(QObject):
    """Waits for one widget's first paint on behalf of every ``after_paint`` call made for it
    meanwhile: one event filter and one fallback timer, however many callbacks (the launch
    asks for five before the unlock window is painted, and a filter each saw every event the
    window had before that paint)."""

    def __init__(self, widget: QWidget, at_most_ms: int) -> None:
        super().__init__(widget)
        self.widget = widget
        self.callbacks: list[Callable[[], object]] | None = []
        self.deadline = time.monotonic() + at_most_ms / 1000
        widget.installEventFilter(self)
        self.fallback = after(self, at_most_ms, self.give_up)

    def add(self, callback: Callable[[], object], at_most_ms: int) -> None:
        assert self.callbacks is not None
        self.callbacks.append(callback)
        deadline = time.monotonic() + at_most_ms / 1000
        if deadline < self.deadline:  # sooner than those before it: the fallback comes sooner
            self.deadline = deadline
            self.fallback.start(max(0, at_most_ms))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # (called as its widget is deleted unpainted too, when this wrapper's attributes may
        # already be gone)
        if watched is getattr(self, "widget", None) and event.type() == QEvent.Type.Paint:
            # once this paint pass is over, the last asked for first (the order in which the
            # filters of one watcher per callback called them)
            self._finish(list(reversed(self.callbacks or [])))
        return False

    def give_up(self) -> None:
        """Not painted in time (a minimised or hidden window): in the order asked for."""
        self._finish(list(self.callbacks or []))

    def _finish(self, callbacks: list[Callable[[], object]]) -> None:
        self.callbacks = None
        if _WAITING.get(id(self.widget)) is self:
            del _WAITING[id(self.widget)]
        self.widget.removeEventFilter(self)
        self.fallback.stop()
        one_per_turn(self.widget, callbacks)
        self.deleteLater()


def one_per_turn(owner: QObject, callbacks: list[Callable[[], object]]) -> None:
    """Call ``callbacks`` in order, each in an event-loop turn of its own, unless ``owner``
    is deleted first. Each one's timer starts when the one before it has run: zero timers
    started together are all due at once, and Qt runs every timer that is due in one pass,
    with no input or paint between them (the unlock window's four after-paint calls were one
    55-85 ms stall that way)."""
    if not callbacks:
        return
    first, rest = callbacks[0], callbacks[1:]

    def run() -> None:
        _CHAINED.pop(id(timer), None)
        try:
            first()
        finally:  # (one that fails, as PySide reports it, does not stop the rest)
            if rest and shiboken6.isValid(owner):
                one_per_turn(owner, rest)

    timer = after(owner, 0, run)
    turns_pending()  # (forgets those whose owner went before they ran)
    _CHAINED[id(timer)] = timer


#: the timers of ``one_per_turn`` calls not made yet
_CHAINED: dict[int, QTimer] = {}


def turns_pending() -> int:
    """How many ``one_per_turn`` calls (after-paint work) are still to come (for tests)."""
    for key, timer in list(_CHAINED.items()):
        if not shiboken6.isValid(timer) or not timer.isActive():
            del _CHAINED[key]
    return len(_CHAINED)


def paints_awaited() -> int:
    """How many ``after_paint`` watchers wait for the paint of a widget that is on screen:
    work a click asked for that begins once what it changed is painted (for the benches:
    a step is over when that work is done too)."""
    return sum(
        1
        for watcher in list(_WAITING.values())
        if shiboken6.isValid(watcher)
        and watcher.callbacks
        and shiboken6.isValid(watcher.widget)
        and watcher.widget.isVisible()
    )


#: the watcher still waiting for a widget's first paint, by the widget's id (held weakly: a
#: watcher lives as long as its widget, and a deleted widget's must keep nothing alive)
_WAITING: weakref.WeakValueDictionary[int, _FirstPaint] = weakref.WeakValueDictionary()


def after_paint(widget: QWidget, callback: Callable[[], object], at_most_ms: int = 1000) -> None:
    """Call ``callback`` once, just after ``widget`` has first been painted: work that is not
    on the first screen waits until that screen is there. A widget not painted within
    ``at_most_ms`` (a minimised or hidden window) does not hold it back any longer. Nothing is
    called if ``widget`` is deleted first. Each callback runs in an event-loop turn of its
    own; those waiting for the same paint, the last asked for first."""
    watcher = _WAITING.get(id(widget))
    if (
        watcher is None
        or not shiboken6.isValid(watcher)
        or watcher.callbacks is None
        or getattr(watcher, "widget", None) is not widget
    ):
        watcher = _WAITING[id(widget)] = _FirstPaint(widget, at_most_ms)
    watcher.add(callback, at_most_ms)


#: the next turn of ``in_steps`` is started this long after the one before it ends, not at
#: once: a zero timer started at the end of a turn is due sooner than a timer that falls due a
#: moment later (an animation, a cursor's blink, the bench's 5 ms ticker), so Qt ran it first,
#: and two 4 ms turns of steps ran back to back with the layout and paint between them:
#: 13–19 ms before any other timer ran, in Medications' first open (each turn alone, 9–12 ms)
NEXT_TURN_MS = 1
#: how long the next piece of some work waits when the two are apart only to keep each turn
#: short and the wait changes nothing a person sees (a new check-in's row, placed a moment
#: after the save is heard): long enough that every timer due meanwhile runs between them (an
#: animation's frame, a 5 ms stall monitor), not only the input and paints that
#: ``NEXT_TURN_MS`` lets in (the row's placing, 1 ms after the turn that heard the save, ran
#: in one pass with it: 12-15 ms, and 17-29 ms when the machine was slower)
APART_MS = 6

#: what ``next()`` returns for a generator step's pieces once there are none left
_DONE = object()

#: the ``Steps`` not finished yet (tests wait for them, as for worker tasks)
_RUNNING: dict[int, Steps] = {}


def running() -> int:
    """How many ``in_steps`` runs have steps left (those whose owner was deleted apart)."""
    for key, steps in list(_RUNNING.items()):
        if not shiboken6.isValid(steps):
            del _RUNNING[key]
    return len(_RUNNING)


def under_way() -> bool:
    """Something is being done that a long piece of work would hold up: steps still to run
    (:func:`in_steps`), background tasks not back yet, a lock's teardown."""
    from companion.ui import tasks, teardown

    return bool(running() or tasks.running() or teardown.running())


class Steps(QObject):
    """Work split into steps run over several event-loop turns (see ``in_steps``)."""

    def __init__(
        self,
        owner: QObject,
        steps: Iterable[Callable[[], object]],
        budget_ms: float,
        done: Callable[[], object] | None,
        apart_ms: int = NEXT_TURN_MS,
    ) -> None:
        super().__init__(owner)
        self._steps = deque(steps)
        self._budget_s = budget_ms / 1000
        self._done = done
        self._apart_ms = apart_ms
        self._scheduled = False
        _RUNNING[id(self)] = self

    @property
    def finished(self) -> bool:
        return not self._steps and self._done is None

    def _schedule(self, ms: int = 0) -> None:
        if not self._scheduled:
            self._scheduled = True
            after(self, ms, self._turn)

    def _run_step(self) -> None:
        """The next step; one that returns a generator has its pieces run as steps of their
        own, one each time, before the steps after it."""
        result = self._steps.popleft()()
        if isinstance(result, GeneratorType):
            self._steps.appendleft(partial(self._next_piece, result))

    def _next_piece(self, pieces: Generator[object, None, None]) -> None:
        if next(pieces, _DONE) is not _DONE:
            self._steps.appendleft(partial(self._next_piece, pieces))

    def _turn(self) -> None:
        self._scheduled = False
        start = time.perf_counter()
        longest = 0.0
        while self._steps:
            began = time.perf_counter()
            self._run_step()
            now = time.perf_counter()
            longest = max(longest, now - began)
            # another step only if one as long as the longest so far still fits in the
            # budget (Check-ups built ahead: a 4 ms step, then 8-15 ms ones, in one turn)
            if now - start + longest >= self._budget_s:
                break
        if self._steps:
            self._schedule(self._apart_ms)  # (other timers due by then first)
        else:
            self._finish()

    def finish_now(self) -> None:
        """Run every step left at once (someone needs the whole result now)."""
        while self._steps:
            self._run_step()
        self._finish()

    def _finish(self) -> None:
        _RUNNING.pop(id(self), None)
        done, self._done = self._done, None
        self.deleteLater()
        if done is not None:
            done()


def settle_layouts(widget: QWidget, rounds: int = 3) -> None:
    """Lay out now what steps just added to ``widget`` (a page built in steps ends laid out
    as it would had it been built at once, rather than settling over the next few turns: a
    scroll area resizing its content, wrapped labels asking for more height)."""
    for _round in range(rounds):
        parent: QWidget | None = widget
        while parent is not None:
            layout = parent.layout()
            if layout is not None:
                layout.activate()
            parent = parent.parentWidget()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)


def in_steps(
    owner: QObject,
    steps: Iterable[Callable[[], object]],
    budget_ms: float = 8.0,
    done: Callable[[], object] | None = None,
    *,
    apart_ms: int = NEXT_TURN_MS,
) -> Steps:
    """Run ``steps`` in order, as many per event-loop turn as fit in ``budget_ms`` (at least one;
    another only while one as long as the longest of the turn would still fit), so that building
    a large page never holds the window for more than about a frame; then call ``done``. A step
    that returns a generator (``build_ahead.paint_unseen``) has its pieces run as steps of their
    own, one per ``next()``, before the steps after it. The first step runs on the next turn,
    not now; each next turn ``apart_ms`` after the one before (``APART_MS`` where the wait costs
    nothing a person sees). Nothing more runs once ``owner`` is deleted. ``finish_now()`` on the
    result runs what is left at once."""
    runner = Steps(owner, steps, budget_ms, done, apart_ms)
    runner._schedule()
    return runner
