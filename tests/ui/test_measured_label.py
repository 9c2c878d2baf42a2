"""``widgets.measured.MeasuredLabel``: a wrapped label that measures its height for a width once
(plain ``QLabel`` lays its text out twice per question, and layouts ask many times per pass),
and forgets what it measured when anything that changes its height changes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from companion.ui.widgets.measured import MeasuredLabel, measured_label

WORDS = "Sertraline · an SSRI antidepressant, " * 6


def _plain(text: str, rich: bool = False) -> QLabel:
    widget = QLabel(text)
    if rich:
        widget.setTextFormat(Qt.TextFormat.RichText)
    widget.setWordWrap(True)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return widget


def test_the_same_heights_as_a_plain_label(qtbot: QtBot) -> None:
    for rich, text in ((False, WORDS), (True, f"<ul><li>{WORDS}</li><li>b</li></ul>")):
        ours = measured_label(text, rich=rich)
        ours.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        theirs = _plain(text, rich)
        qtbot.addWidget(ours)
        qtbot.addWidget(theirs)
        for width in (80, 200, 600, 80):
            assert ours.heightForWidth(width) == theirs.heightForWidth(width)


def test_measured_once_per_width(qtbot: QtBot, monkeypatch) -> None:
    widget = measured_label(WORDS)
    qtbot.addWidget(widget)
    asked: list[int] = []
    original = QLabel.heightForWidth

    def counting(self: QLabel, width: int) -> int:
        asked.append(width)
        return original(self, width)

    monkeypatch.setattr(QLabel, "heightForWidth", counting)
    first = widget.heightForWidth(240)
    for _ in range(5):
        assert widget.heightForWidth(240) == first
    assert asked == [240]


def test_what_changes_the_height_is_measured_again(qtbot: QtBot) -> None:
    widget = MeasuredLabel(WORDS)
    widget.setWordWrap(True)
    qtbot.addWidget(widget)
    one_line = widget.fontMetrics().height()
    wrapped = widget.heightForWidth(200)
    assert wrapped > one_line * 2
    widget.setText("short")  # new text
    assert widget.heightForWidth(200) < wrapped
    widget.setText(WORDS)
    assert widget.heightForWidth(200) == wrapped
    font = widget.font()  # a larger font (the text size setting, a style sheet)
    font.setPointSizeF(font.pointSizeF() * 2)
    widget.setFont(font)
    larger = widget.heightForWidth(200)
    assert larger > wrapped
    widget.setContentsMargins(0, 30, 0, 0)  # margins
    assert widget.heightForWidth(200) == larger + 30
    widget.setContentsMargins(0, 0, 0, 0)
    widget.setWordWrap(False)  # one line, however narrow
    assert widget.heightForWidth(200) in (-1, widget.sizeHint().height())


def test_a_layout_of_measured_labels_lays_out_as_plain_ones(qtbot: QtBot) -> None:
    def column(make: type[QLabel]) -> QWidget:
        holder = QWidget()
        box = QVBoxLayout(holder)
        for n in range(6):
            item = make(f"{n} {WORDS}")
            item.setWordWrap(True)
            box.addWidget(item)
        holder.resize(300, 100)
        qtbot.addWidget(holder)
        holder.show()
        qtbot.waitExposed(holder)
        holder.resize(300, holder.heightForWidth(300))
        return holder

    ours, theirs = column(MeasuredLabel), column(QLabel)
    qtbot.waitUntil(lambda: ours.height() == theirs.height())
    for a, b in zip(ours.findChildren(QLabel), theirs.findChildren(QLabel), strict=True):
        assert a.geometry() == b.geometry()


def test_a_style_sheet_from_a_parent_is_measured_again(qtbot: QtBot) -> None:
    """The theme and the text size reach a label as style (and font) changes from its parents:
    what it measured before is forgotten, and it lays out as a plain label does."""
    holders = []
    for make in (MeasuredLabel, QLabel):
        holder = QWidget()
        holder.setStyleSheet("QLabel { font-size: 12px; }")
        box = QVBoxLayout(holder)
        item = make(WORDS)
        item.setWordWrap(True)
        box.addWidget(item)
        qtbot.addWidget(holder)
        holder.resize(300, 400)
        holder.show()
        holders.append((holder, item))
    (ours_holder, ours), (theirs_holder, theirs) = holders
    before = ours.heightForWidth(280)
    assert before == theirs.heightForWidth(280)
    for holder in (ours_holder, theirs_holder):
        holder.setStyleSheet("QLabel { font-size: 22px; padding: 6px; }")
    assert ours.heightForWidth(280) == theirs.heightForWidth(280) > before
    qtbot.waitUntil(lambda: ours.height() == theirs.height())


# ---- every wrapped label of the app is measured (``common.label`` and its kin) ----


def test_the_shared_helpers_make_measured_labels(qtbot: QtBot) -> None:
    from companion.ui.widgets.common import (
        Card,
        Notice,
        StatusLabel,
        WrappingButton,
        bullet,
        label,
        title,
    )

    card, notice, button = Card("A heading"), Notice(WORDS), WrappingButton(WORDS, "open")
    holders: list[QWidget] = [card, notice, button]
    made = [
        label(WORDS),
        label("one line", wrap=False),
        bullet(WORDS),
        title("A title"),
        StatusLabel(),
        card.findChild(QLabel),
        notice.text,
        button.words,
    ]
    for widget in [*made, *holders]:
        if widget.parent() is None:
            qtbot.addWidget(widget)
    assert all(isinstance(widget, MeasuredLabel) for widget in made)


def _columns(qtbot: QtBot, texts: list[str], rich: bool = False) -> tuple[QWidget, QWidget]:
    """The same column of selectable wrapped labels twice, made by ``common.label`` and as
    plain ``QLabel``\\ s, each in a window of its own on screen."""
    from companion.ui.widgets.common import label

    windows = []
    for make in (label, None):
        window = QWidget()
        box = QVBoxLayout(window)
        for text in texts:
            if make is None:
                item = _plain(text, rich)
            else:
                item = make(text)
                if rich:
                    item.setTextFormat(Qt.TextFormat.RichText)
            box.addWidget(item)
        box.addStretch(1)
        qtbot.addWidget(window)
        window.resize(600, 700)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
    return windows[0], windows[1]


def _same_geometry(ours: QWidget, theirs: QWidget) -> bool:
    pairs = zip(ours.findChildren(QLabel), theirs.findChildren(QLabel), strict=True)
    return all(a.geometry() == b.geometry() for a, b in pairs)


def test_labels_wrap_again_when_the_window_narrows_and_widens(qtbot: QtBot) -> None:
    ours, theirs = _columns(qtbot, [f"{n} {WORDS}" for n in range(5)])
    qtbot.waitUntil(lambda: _same_geometry(ours, theirs))
    wide = [child.height() for child in ours.findChildren(QLabel)]
    for window in (ours, theirs):
        window.resize(220, 700)
    qtbot.waitUntil(lambda: all(child.width() < 220 for child in ours.findChildren(QLabel)))
    qtbot.waitUntil(lambda: _same_geometry(ours, theirs))
    narrow = [child.height() for child in ours.findChildren(QLabel)]
    assert all(n > w for n, w in zip(narrow, wide, strict=True))  # more lines, all shown
    for window in (ours, theirs):
        window.resize(600, 700)
    qtbot.waitUntil(lambda: all(child.width() > 500 for child in ours.findChildren(QLabel)))
    qtbot.waitUntil(lambda: _same_geometry(ours, theirs))
    assert [child.height() for child in ours.findChildren(QLabel)] == wide


def test_text_set_later_is_laid_out_as_a_plain_label(qtbot: QtBot) -> None:
    ours, theirs = _columns(qtbot, ["short", WORDS])
    qtbot.waitUntil(lambda: _same_geometry(ours, theirs))
    before = ours.findChildren(QLabel)[0].height()
    for window in (ours, theirs):
        window.findChildren(QLabel)[0].setText(WORDS * 2)
    qtbot.waitUntil(lambda: ours.findChildren(QLabel)[0].height() > before)
    qtbot.waitUntil(lambda: _same_geometry(ours, theirs))
    for window in (ours, theirs):
        window.findChildren(QLabel)[0].setText("short")
    qtbot.waitUntil(lambda: ours.findChildren(QLabel)[0].height() == before)
    qtbot.waitUntil(lambda: _same_geometry(ours, theirs))


def test_rich_text_with_links_is_laid_out_as_a_plain_label(qtbot: QtBot) -> None:
    linked = f'Sources: <a href="https://example.org/a">{WORDS}</a>; <b>{WORDS}</b>'
    ours, theirs = _columns(qtbot, [linked, f"<ul><li>{WORDS}</li><li>two</li></ul>"], rich=True)
    for window in (ours, theirs):
        for child in window.findChildren(QLabel):
            child.setOpenExternalLinks(False)
            child.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse
                | Qt.TextInteractionFlag.LinksAccessibleByMouse
            )
    qtbot.waitUntil(lambda: _same_geometry(ours, theirs))
    for window in (ours, theirs):
        window.resize(260, 900)
    qtbot.waitUntil(lambda: all(child.width() < 260 for child in ours.findChildren(QLabel)))
    qtbot.waitUntil(lambda: _same_geometry(ours, theirs))


def test_a_bullet_keeps_its_indent_and_height_when_the_font_grows(qtbot: QtBot) -> None:
    from companion.ui.widgets.common import bullet

    item = bullet(WORDS)
    qtbot.addWidget(item)
    before = item.heightForWidth(240)
    font = item.font()
    font.setPointSizeF(font.pointSizeF() * 1.8)
    item.setFont(font)  # the text size setting reaches it as a font change
    plain = _plain(WORDS)
    plain.setFont(font)
    plain.setContentsMargins(item.contentsMargins())
    qtbot.addWidget(plain)
    assert item.heightForWidth(240) == plain.heightForWidth(240) > before


def test_the_text_size_and_theme_settings_reach_measured_labels(qtbot: QtBot, qapp) -> None:
    """Settings → text size and the theme restyle the whole application (its font, palette and
    style sheet): labels measured before are measured again, and lay out as plain ones do."""
    from companion.core.device_settings import MAX_TEXT_SCALE, DeviceSettings
    from companion.ui import theme
    from companion.ui.widgets.common import bullet, title

    ours, theirs = _columns(qtbot, [f"{n} {WORDS}" for n in range(3)])
    ours.layout().insertWidget(0, title(WORDS))
    ours.layout().insertWidget(1, bullet(WORDS))
    plain_title, plain_bullet = QLabel(WORDS), QLabel(WORDS)
    plain_title.setObjectName("PageTitle")
    for item in (plain_title, plain_bullet):
        item.setWordWrap(True)
    theirs.layout().insertWidget(0, plain_title)
    theirs.layout().insertWidget(1, plain_bullet)

    def alike() -> bool:
        plain_bullet.setContentsMargins(ours.findChildren(QLabel)[1].contentsMargins())
        return _same_geometry(ours, theirs)

    try:
        for settings in (
            DeviceSettings(theme="light"),
            DeviceSettings(theme="dark", text_scale=MAX_TEXT_SCALE),
            DeviceSettings(theme="light", text_scale=1.3),
        ):
            theme.apply(qapp, settings)
            qtbot.waitUntil(alike)
            for a, b in zip(ours.findChildren(QLabel), theirs.findChildren(QLabel), strict=True):
                assert a.heightForWidth(a.width()) == b.heightForWidth(b.width())
        assert ours.findChildren(QLabel)[2].font().pointSizeF() == pytest.approx(
            theme.BASE_POINT_SIZE * 1.3
        )
    finally:
        theme.apply(qapp, DeviceSettings(theme="light"))


def test_text_qt_sets_itself_is_measured_again(qtbot: QtBot) -> None:
    """``setNum`` and ``clear`` change the text inside Qt, past any Python method."""
    widget = MeasuredLabel(WORDS)
    widget.setWordWrap(True)
    qtbot.addWidget(widget)
    wrapped = widget.heightForWidth(200)
    widget.setNum(7)
    assert widget.heightForWidth(200) < wrapped
    widget.setText(WORDS)
    assert widget.heightForWidth(200) == wrapped
    widget.clear()
    assert widget.heightForWidth(200) < wrapped
