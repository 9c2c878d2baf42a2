"""The breathing pacer: a circle that grows as you breathe in and shrinks as you breathe out.

Drawn with QPainter, eased with a half-cosine so it never jerks at the turn of a breath, in
the theme's accent colour. With "reduce motion" on it stays still and shows the phase and a
count in words instead ("Breathe in · 3"), redrawn once a second at most.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from companion.content.exercises import Pacer
from companion.i18n import N_, _
from companion.ui import theme

#: what the pacer says in each phase (translated when shown)
PHASE_WORDS = {
    "inhale": N_("Breathe in"),
    "hold_in": N_("Pause"),
    "exhale": N_("Breathe out"),
    "hold_out": N_("Pause"),
}


@dataclass(frozen=True)
class PacerState:
    phase: str  # inhale | hold_in | exhale | hold_out
    progress: float  # 0..1 through the phase
    seconds_left: float  # in the phase
    level: float  # 0 (empty lungs) .. 1 (full), eased

    @property
    def words(self) -> str:
        return _(PHASE_WORDS[self.phase])

    @property
    def count(self) -> int:
        """The whole seconds left in this phase, counting down to 1."""
        return max(1, math.ceil(self.seconds_left - 1e-6))


def ease(t: float) -> float:
    """Half-cosine easing: zero speed at both ends, so turns of the breath are smooth."""
    t = min(1.0, max(0.0, t))
    return 0.5 - 0.5 * math.cos(math.pi * t)


def state_at(pacer: Pacer, seconds: float) -> PacerState:
    """Where in the breath we are ``seconds`` after the pacer started (always an in-breath)."""
    phases = [
        ("inhale", pacer.inhale),
        ("hold_in", pacer.hold_in),
        ("exhale", pacer.exhale),
        ("hold_out", pacer.hold_out),
    ]
    t = max(0.0, seconds) % pacer.cycle_seconds
    for name, length in phases:
        if length <= 0:
            continue
        if t < length or name == "hold_out" or (name == "exhale" and pacer.hold_out <= 0):
            p = min(1.0, t / length)
            level = {
                "inhale": ease(p),
                "hold_in": 1.0,
                "exhale": 1.0 - ease(p),
                "hold_out": 0.0,
            }[name]
            return PacerState(name, p, max(0.0, length - t), level)
        t -= length
    return PacerState("inhale", 0.0, pacer.inhale, 0.0)  # pragma: no cover - unreachable


class BreathingPacer(QWidget):
    """Shows one :class:`PacerState`; the player tells it where the breath is."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Breathing pacer"))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(180, 180)
        self.state = PacerState("inhale", 0.0, 4.0, 0.0)
        self.reduce_motion = False
        self._last_words = ""

    def sizeHint(self) -> QSize:
        return QSize(260, 260)

    def set_reduce_motion(self, on: bool) -> None:
        self.reduce_motion = on
        self.update()

    def set_state(self, state: PacerState) -> None:
        before = (self.state.phase, self.state.count)
        self.state = state
        words = _("{phase}, {count}").format(phase=state.words, count=state.count)
        if words != self._last_words:
            self._last_words = words
            self.setAccessibleDescription(words)
        if not self.reduce_motion or before != (state.phase, state.count):
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        c = theme.current()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height()) - 8
        centre = QPointF(self.width() / 2, self.height() / 2)
        outer = side / 2
        inner = outer * 0.38
        level = 0.55 if self.reduce_motion else self.state.level
        radius = inner + (outer - inner) * level

        painter.setPen(QPen(QColor(c.border), 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(centre, outer, outer)

        fill = QColor(c.accent)
        fill.setAlpha(60 if theme.current().dark else 45)
        painter.setBrush(fill)
        painter.setPen(QPen(QColor(c.accent), 3))
        painter.drawEllipse(centre, radius, radius)

        painter.setPen(QColor(c.text))
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(font)
        box = QRectF(centre.x() - outer, centre.y() - outer * 0.42, 2 * outer, outer * 0.5)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, self.state.words)
        count = QFont(self.font())
        count.setPointSizeF(count.pointSizeF() * 2.0)
        painter.setFont(count)
        painter.setPen(QColor(c.muted))
        box2 = QRectF(centre.x() - outer, centre.y() + outer * 0.02, 2 * outer, outer * 0.5)
        painter.drawText(box2, Qt.AlignmentFlag.AlignCenter, str(self.state.count))
        painter.end()
