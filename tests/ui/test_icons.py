"""Icons drawn from the Material Design Icons font (``ui/icons.py``)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from companion.ui import icons


def test_a_glyph_is_drawn_once_per_size_and_mode_however_often_it_is_painted(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[tuple[int, int]] = []
    glyph = icons._GlyphEngine._glyph

    def counting(self: icons._GlyphEngine, size: QSize, *args: object) -> object:
        drawn.append((size.width(), size.height()))
        return glyph(self, size, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(icons._GlyphEngine, "_glyph", counting)
    lock = icons.icon("mdi6.lock-outline", "#202020", "#808080")
    first = lock.pixmap(20, 20).toImage()
    for _paint in range(5):  # a button asks at each of its paints
        assert lock.pixmap(20, 20).toImage() == first
    assert drawn == [(20, 20)]
    disabled = lock.pixmap(QSize(20, 20), QIcon.Mode.Disabled).toImage()
    assert disabled != first  # another colour: drawn, and kept apart
    lock.pixmap(32, 32)
    assert drawn == [(20, 20), (20, 20), (32, 32)]
    assert lock.pixmap(QSize(20, 20), QIcon.Mode.Disabled).toImage() == disabled
    assert len(drawn) == 3
