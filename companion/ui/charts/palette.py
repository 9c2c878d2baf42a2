"""Chart colours for the light and dark themes, derived from ``companion.ui.theme``.

Series colours were picked to stay distinguishable for the common colour-vision deficiencies
(blue / orange / teal families, never red against green alone) and to keep at least 3:1
contrast against the card surface in both themes. Overlay *kinds* map to colours here too, so
the medication and exercise pages draw in the same calm language as the diary.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtGui import QColor

from companion.ui import theme


class ChartColours(NamedTuple):
    """A theme's chart colours (a named tuple rather than a frozen dataclass, which writes and
    compiles its methods as the module is imported: ~0.7 ms of a first chart)."""

    background: str
    text: str
    muted: str
    grid: str
    mood: str
    anxiety: str
    energy: str
    irritability: str
    sleep: str
    points: str
    #: heatmap ramp from the lowest to the highest mood, and the colour of days not logged
    ramp_low: str
    ramp_mid: str
    ramp_high: str
    empty: str
    kinds: dict[str, str]

    def series(self, metric: str) -> str:
        return str(getattr(self, metric, self.mood))

    def kind(self, kind: str) -> str:
        return self.kinds.get(kind, self.kinds["event"])


def colours() -> ChartColours:
    c = theme.current()
    dark = c.dark
    if dark:
        return ChartColours(
            background=c.surface,
            text=c.text,
            muted=c.muted,
            grid=c.border,
            mood="#7fb8e6",
            anxiety="#e8a86a",
            energy="#72c2a6",
            irritability="#c9a0dc",
            sleep="#8e9fd6",
            points="#e6c36a",
            ramp_low="#5a6b8c",
            ramp_mid="#8aa3a0",
            ramp_high="#9fd3b4",
            empty=c.window,
            kinds={
                "event": c.muted,
                "medication": "#c9a0dc",
                "dose": "#c9a0dc",
                "treatment": "#72b9ae",
                "questionnaire": "#e6c36a",
                "exercise": "#72c2a6",
                "note": c.muted,
            },
        )
    return ChartColours(
        background=c.surface,
        text=c.text,
        muted=c.muted,
        grid=c.border,
        mood="#2f6fa8",
        anxiety="#b8651f",
        energy="#2b8a6e",
        irritability="#7d4e9a",
        sleep="#5a6fb5",
        points="#9a6b00",
        ramp_low="#3f5a8a",
        ramp_mid="#9fb8b4",
        ramp_high="#d6eadb",
        empty=c.window,
        kinds={
            "event": c.muted,
            "medication": "#7d4e9a",
            "dose": "#7d4e9a",
            "treatment": "#2d7a74",
            "questionnaire": "#9a6b00",
            "exercise": "#2b8a6e",
            "note": c.muted,
        },
    )


def qcolor(hex_colour: str, alpha: int = 255) -> QColor:
    colour = QColor(hex_colour)
    colour.setAlpha(alpha)
    return colour


def ramp(value: float | None, low: float = 0.0, high: float = 10.0) -> QColor:
    """The heatmap colour of a mood value (None: not logged)."""
    pal = colours()
    if value is None:
        return QColor(pal.empty)
    t = min(1.0, max(0.0, (value - low) / (high - low)))
    a, b = (pal.ramp_low, pal.ramp_mid) if t < 0.5 else (pal.ramp_mid, pal.ramp_high)
    u = t * 2 if t < 0.5 else (t - 0.5) * 2
    ca, cb = QColor(a), QColor(b)
    return QColor(
        round(ca.red() + (cb.red() - ca.red()) * u),
        round(ca.green() + (cb.green() - ca.green()) * u),
        round(ca.blue() + (cb.blue() - ca.blue()) * u),
    )
