"""A list item (``widgets.common.bullet``): plain text beside a bullet, its wrapped lines under
its first word, drawn by a plain label (not a rich-text table: a text document's table layout
per item made a safety plan's first screen ~16 ms slower)."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetricsF
from pytestqt.qtbot import QtBot

from companion.ui.widgets.common import Bullet, bullet


def test_a_bullet_is_plain_text_with_a_hanging_indent(qtbot: QtBot) -> None:
    item = bullet("<b>my own words</b> & more, long enough to wrap onto a second line or two")
    qtbot.addWidget(item)
    assert isinstance(item, Bullet)
    assert item.textFormat() == Qt.TextFormat.PlainText  # a person's words are never markup
    assert item.accessibleName() == item.text()
    indent = item.contentsMargins().left()
    assert indent == math.ceil(QFontMetricsF(item.font()).horizontalAdvance("•")) + Bullet.GAP
    item.resize(160, item.heightForWidth(160))
    item.show()
    qtbot.waitExposed(item)
    picture = item.grab().toImage()
    left = [picture.pixelColor(x, y) for x in range(indent - Bullet.GAP) for y in range(20)]
    assert len({c.name() for c in left}) > 1  # the bullet is drawn in its column
    assert item.heightForWidth(160) > item.fontMetrics().height() * 2  # wrapped


def test_the_indent_follows_the_text_size(qtbot: QtBot) -> None:
    item = bullet("words")
    qtbot.addWidget(item)
    before = item.contentsMargins().left()
    font = item.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    item.setFont(font)
    assert item.contentsMargins().left() > before
