"""Icons from the Material Design Icons font that ships inside the qtawesome package.

The glyphs are drawn straight from the font with QPainter, which keeps the launch fast:
importing qtawesome itself pulls in qtpy and QtOpenGL (about half a second) before the unlock
window could appear. Names are qtawesome's, e.g. ``"mdi6.lock-outline"``.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QIcon,
    QIconEngine,
    QPainter,
    QPixmap,
)

PREFIX = "mdi6."
#: ``Qt.AlignmentFlag.AlignCenter`` as the number ``QPainter.drawText`` takes: the unlock
#: window's icons are drawn at its first paint, before anything has named the ``Qt``
#: namespace, whose first use builds all its 93 enum types (see ``theme.system_dark``)
ALIGN_CENTER = 0x0084
#: ``Qt.GlobalColor.transparent``, for the same reason
TRANSPARENT = (0, 0, 0, 0)
#: the glyphs one icon keeps drawn (sizes × modes × screens)
_SIZES_KEPT = 8


@functools.cache
def _font_dir() -> Path:
    spec = importlib.util.find_spec("qtawesome")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("qtawesome is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "fonts"


@functools.cache
def _font_files() -> tuple[Path, Path]:
    """(the font, its charmap): one listing of the folder (a glob per file compiles a
    pattern each, a few tenths of a millisecond of the launch)."""
    folder = _font_dir()
    names = sorted(os.listdir(folder))
    stem = "materialdesignicons6-webfont-"
    font = next(n for n in names if n.startswith(stem) and n.endswith(".ttf"))
    charmap = next(n for n in names if n.startswith(stem + "charmap-") and n.endswith(".json"))
    return folder / font, folder / charmap


@functools.cache
def _charmap_bytes() -> bytes:
    """The charmap as it is on disk (read as bytes: decoding its 250 KB as text, newlines
    translated, took longer than the few look-ups the launch makes in it)."""
    return _font_files()[1].read_bytes()


@functools.cache
def _charmap() -> dict[str, int]:
    """The whole map (7,000 names); only tests and tools need it."""
    raw: dict[str, str] = json.loads(_charmap_bytes())
    return {name: int(code, 16) for name, code in raw.items()}


@functools.cache
def _family() -> str:
    font_id = QFontDatabase.addApplicationFont(str(_font_files()[0]))
    families = QFontDatabase.applicationFontFamilies(font_id)
    if not families:
        raise RuntimeError("the icon font could not be loaded")
    return families[0]


#: the glyphs the unlock window draws before its first paint (Get help now, the eye of the
#: passphrase field, Unlock): looking them up reads the 250 KB charmap, ~0.4 ms of the launch.
#: Material Design Icons never moves a glyph once published; a test holds these to the charmap.
FIRST_WINDOW: dict[str, int] = {
    "lifebuoy": 0xF087E,
    "eye-outline": 0xF06D0,
    "lock-open-variant-outline": 0xF0FC7,
}


@functools.cache
def codepoint(name: str) -> int:
    """Look one name up without parsing the whole charmap (that costs ~10 ms at launch)."""
    key = name.removeprefix(PREFIX)
    if key in FIRST_WINDOW:
        return FIRST_WINDOW[key]
    text = _charmap_bytes()
    # a plain search (a regular expression per name cost ~4 ms to compile, icon by icon)
    entry = f'"{key}": "0x'.encode()
    start = text.find(entry)
    end = text.find(b'"', start + len(entry)) if start >= 0 else -1
    if end < 0:
        raise KeyError(f"unknown icon {name!r}")
    return int(text[start + len(entry) : end], 16)


class _GlyphEngine(QIconEngine):
    def __init__(self, char: str, colour: QColor, disabled: QColor | None = None) -> None:
        super().__init__()
        self.char = char
        self.colour = colour
        self.disabled = disabled
        #: each glyph drawn, by size, mode and pixel ratio: a button's icon is asked for at
        #: each of its paints, and drawing a glyph costs more than the rest of the button
        self._drawn: dict[tuple[int, int, int, float], QPixmap] = {}

    def _colour(self, mode: QIcon.Mode) -> QColor:
        colour = QColor.fromRgba(self.colour.rgba())  # QColor(QColor): see _glyph
        if mode == QIcon.Mode.Disabled:
            if self.disabled is not None:  # the theme's disabled text colour, as the label's
                colour = QColor.fromRgba(self.disabled.rgba())
            else:
                colour.setAlphaF(0.45)
        return colour

    def _glyph(self, size: QSize, colour: QColor, ratio: float) -> QPixmap:
        """The glyph in ``colour`` on a transparent pixmap of ``size`` (logical pixels).

        Drawn with the painter's own black pen, then coloured through its coverage
        (SourceIn): the same picture as a pen of that colour, without ``QPainter.setPen`` or a
        brush, whose overloads make PySide build the whole ``Qt`` namespace (see ALIGN_CENTER)
        and the unlock window's icons are painted before anything else needs it."""
        glyph = QPixmap(size * ratio)
        glyph.setDevicePixelRatio(ratio)
        glyph.fill(QColor(*TRANSPARENT))
        font = QFont(_family())
        font.setPixelSize(max(1, round(min(size.width(), size.height()) * 0.9)))
        painter = QPainter(glyph)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.setFont(font)
        painter.drawText(QRect(QPoint(0, 0), size), ALIGN_CENTER, self.char)
        paint = QPixmap(glyph.size())
        paint.setDevicePixelRatio(ratio)
        paint.fill(colour)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
        painter.drawPixmap(0, 0, paint)
        painter.end()
        return glyph

    def _drawn_glyph(self, size: QSize, mode: QIcon.Mode, ratio: float) -> QPixmap:
        key = (size.width(), size.height(), int(mode.value), ratio)
        glyph = self._drawn.get(key)
        if glyph is None:
            if len(self._drawn) >= _SIZES_KEPT:
                self._drawn.clear()
            glyph = self._drawn[key] = self._glyph(size, self._colour(mode), ratio)
        return glyph

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        if rect.isEmpty():
            return
        device = painter.device()
        ratio = device.devicePixelRatioF() if device is not None else 1.0
        painter.drawPixmap(rect, self._drawn_glyph(rect.size(), mode, ratio))

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        if size.isEmpty():  # Qt sometimes asks for a 0×0 icon; there is nothing to draw
            return QPixmap()
        ratio = 1.0
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            ratio = app.devicePixelRatio()
        return self._drawn_glyph(size, mode, ratio)

    def clone(self) -> QIconEngine:
        return _GlyphEngine(self.char, self.colour, self.disabled)


def icon(name: str, colour: str, disabled: str | None = None) -> QIcon:
    """The glyph in ``colour``; when its button is disabled, in ``disabled`` (else faded)."""
    return QIcon(
        _GlyphEngine(
            chr(codepoint(name)), QColor(colour), None if disabled is None else QColor(disabled)
        )
    )
