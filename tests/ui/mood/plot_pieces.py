"""Which piece of a chart's plot (``charts.axis.PlotPieces``: its axes, its plot item, the
widget around them) is made in which turn of the event loop, for the tests that check each is
made in a turn of its own."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer

#: the pieces, in the order a plot is made
PIECES = ("_make_axes", "_make_item", "_make_widget")


class PieceTurns:
    """Counts the event loop's turns (a zero timer fires once a turn) and records, for each
    piece made, its name and the turn it was made in (``pieces``); ``note(name)`` records
    something else the same way. ``start()`` once the recording should begin."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from companion.ui.charts.axis import PlotPieces

        self.turn = 0
        self.pieces: list[tuple[str, int]] = []
        self.ticker = QTimer()
        self.ticker.setInterval(0)
        self.ticker.timeout.connect(self._next_turn)
        for name in PIECES:
            real = getattr(PlotPieces, name)

            def recorded(self_: PlotPieces, real: object = real, name: str = name) -> None:
                self.note(name)
                real(self_)  # type: ignore[operator]

            monkeypatch.setattr(PlotPieces, name, recorded)

    def _next_turn(self) -> None:
        self.turn += 1

    def note(self, name: str) -> None:
        self.pieces.append((name, self.turn))

    def start(self) -> None:
        self.ticker.start()

    def stop(self) -> None:
        self.ticker.stop()

    @property
    def names(self) -> list[str]:
        return [name for name, _turn in self.pieces]
