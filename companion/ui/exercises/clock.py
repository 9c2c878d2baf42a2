"""Time for the player: the real clock, or a hand-driven one so tests control every second.

The player reads two things: a monotonic clock (seconds, for step timers and the pacer, never
jumping with the wall clock) and the wall clock in UTC (for the session's start and end). It
asks for a repeating ticker to redraw; with :class:`ManualClock` the ticker fires only when a
test calls :meth:`ManualClock.advance`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol

from PySide6.QtCore import QObject, QTimer

from companion.core import timekeeping


class Ticker(Protocol):
    def start(self) -> None: ...
    def stop(self) -> None: ...
    def set_interval(self, milliseconds: int) -> None: ...


class Clock(Protocol):
    def monotonic(self) -> float: ...
    def utcnow(self) -> datetime: ...
    def ticker(self, callback: Callable[[], None], parent: QObject) -> Ticker: ...


class _QtTicker:
    def __init__(self, callback: Callable[[], None], parent: QObject) -> None:
        self._timer = QTimer(parent)
        self._timer.setTimerType(self._timer.timerType().PreciseTimer)
        self._timer.timeout.connect(callback)

    def start(self) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def set_interval(self, milliseconds: int) -> None:
        self._timer.setInterval(milliseconds)


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def utcnow(self) -> datetime:
        return timekeeping.utcnow()

    def ticker(self, callback: Callable[[], None], parent: QObject) -> Ticker:
        return _QtTicker(callback, parent)


class _ManualTicker:
    def __init__(self, callback: Callable[[], None]) -> None:
        self.callback = callback
        self.interval = 1000
        self.active = False

    def start(self) -> None:
        self.active = True

    def stop(self) -> None:
        self.active = False

    def set_interval(self, milliseconds: int) -> None:
        self.interval = milliseconds


class ManualClock:
    """A clock that moves only when told to; active tickers fire once per second advanced."""

    def __init__(self, start: datetime | None = None) -> None:
        self._wall = start or datetime(2026, 6, 15, 21, 0, tzinfo=UTC)
        self._mono = 1000.0
        self._tickers: list[_ManualTicker] = []

    def monotonic(self) -> float:
        return self._mono

    def utcnow(self) -> datetime:
        return self._wall

    def ticker(self, callback: Callable[[], None], parent: QObject) -> Ticker:
        ticker = _ManualTicker(callback)
        self._tickers.append(ticker)
        return ticker

    def advance(self, seconds: float) -> None:
        """Move time on, firing the active tickers after each whole second (and at the end)."""
        remaining = float(seconds)
        while remaining > 1e-9:
            chunk = min(1.0, remaining)
            remaining -= chunk
            self._mono += chunk
            self._wall += timedelta(seconds=chunk)
            for ticker in list(self._tickers):
                if ticker.active:
                    ticker.callback()
