"""The themes: contrast read from their colours (WCAG 2.2 AA, 1.4.3 and 1.4.11), the high-contrast
theme, following the system, and the text size reaching every style sheet."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from companion.core.device_settings import DeviceSettings
from companion.ui import theme
from companion.ui.mood.inputs import scale_stylesheet

THEMES = list(theme.THEMES.values())


@pytest.mark.parametrize("colours", THEMES, ids=[c.name for c in THEMES])
def test_every_pair_meets_wcag_aa(colours: theme.Colours) -> None:
    text_needs = 7.0 if colours is theme.HIGH_CONTRAST else 4.5  # AAA text for high contrast
    failing = []
    for kind, what, fg, bg in theme.contrast_pairs(colours):
        needs = text_needs if kind == "text" else 3.0
        ratio = theme.contrast(fg, bg)
        if ratio < needs:
            failing.append(f"{what}: {ratio:.2f}:1 < {needs}:1")
    assert failing == []


@pytest.mark.parametrize("colours", THEMES, ids=[c.name for c in THEMES])
def test_controls_are_drawn_with_the_outline_and_the_accent(colours: theme.Colours) -> None:
    """What the style sheets draw: fields, check boxes, scale steps and chips are outlined in
    the colour the contrast test checks, and focus is the accent."""
    sheet = theme.stylesheet(colours)

    def rule(selector: str, text: str = sheet) -> str:
        found = re.search(re.escape(selector) + r"[^{]*\{([^}]*)\}", text)
        assert found is not None, selector
        return found.group(1)

    assert colours.outline in rule("QLineEdit, QPlainTextEdit, QTextEdit")
    assert colours.outline in rule("QSpinBox, QDoubleSpinBox, QComboBox")
    assert colours.outline in rule("QCheckBox::indicator")
    assert colours.accent in rule("QCheckBox::indicator:checked")
    assert colours.outline in rule("QRadioButton::indicator")
    assert colours.accent in rule("QRadioButton::indicator:checked")
    assert colours.accent in rule("QLineEdit:focus")
    assert colours.accent in rule("QPushButton:focus")
    scales = _scale_sheet(colours)
    assert colours.outline in rule("QPushButton#Step", scales)
    assert colours.outline in rule("QPushButton#Chip", scales)
    assert colours.accent in rule("QWidget#Scale:focus", scales)
    for image in re.findall(r'url\("([^"]+)"\)', sheet):
        assert Path(image).is_file(), image


def _scale_sheet(colours: theme.Colours) -> str:
    app = QApplication.instance()
    assert app is not None
    before = app.property("companionTheme")
    app.setProperty("companionTheme", colours.name)
    try:
        return scale_stylesheet()
    finally:
        app.setProperty("companionTheme", before)


def test_contrast_is_worked_out_as_wcag_says() -> None:
    assert theme.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert theme.contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert theme.contrast("#ffffff", "#ffffff") == pytest.approx(1.0)


def test_high_contrast_is_a_choice_and_system_follows_light_or_dark(qapp: QApplication) -> None:
    try:
        applied = theme.apply(qapp, DeviceSettings(theme="high-contrast"))
        assert applied is theme.HIGH_CONTRAST and theme.current() is theme.HIGH_CONTRAST
        assert qapp.palette().color(QPalette.ColorRole.Window).name() == "#000000"
        system = theme.apply(qapp, DeviceSettings(theme="system"))
        dark = QApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark
        assert system is (theme.DARK if dark else theme.LIGHT)
    finally:
        theme.apply(qapp, DeviceSettings(theme="light"))


def test_text_size_reaches_the_headings(qapp: QApplication) -> None:
    try:
        theme.apply(qapp, DeviceSettings(theme="light", text_scale=2.0))
        assert qapp.font().pointSizeF() == pytest.approx(2 * theme.BASE_POINT_SIZE)
        assert "font-size: 40.0pt" in qapp.styleSheet()  # the page title, 20 pt at 100%
        assert theme.points(13) == "26.0pt"
    finally:
        theme.apply(qapp, DeviceSettings(theme="light"))
    assert theme.points(13) == "13.0pt"


def test_reduce_motion_stills_qt_effects_and_the_busy_bar(qapp: QApplication) -> None:
    from companion.ui.widgets.common import BusyRow

    row = BusyRow()
    try:
        theme.apply(qapp, DeviceSettings(theme="light", reduce_motion=True))
        assert theme.reduce_motion()
        assert not QApplication.isEffectEnabled(Qt.UIEffect.UI_AnimateCombo)
        assert not QApplication.isEffectEnabled(Qt.UIEffect.UI_FadeTooltip)
        row.start("Working…")
        assert row.text.text() == "Working…" and not row.isHidden()
        assert row.bar.isHidden()  # an indeterminate bar is a moving stripe
        theme.apply(qapp, DeviceSettings(theme="light"))
        row.start("Working…")
        assert not row.bar.isHidden()  # (Qt's effects come back as far as the desktop has them)
    finally:
        theme.apply(qapp, DeviceSettings(theme="light"))
        row.deleteLater()


def test_following_the_system_restyles_when_the_desktop_turns_dark(
    qapp: QApplication, tmp_path: Path
) -> None:
    from companion.ui.app import AppController

    controller = AppController(tmp_path, device=DeviceSettings(theme="system"))
    applied: list[object] = []
    original = theme.apply
    try:
        theme.apply = lambda _app, settings, **_kw: applied.append(settings.theme)  # type: ignore[assignment,misc]
        controller._scheme_changed(Qt.ColorScheme.Dark)
        controller.context.device = DeviceSettings(theme="light")
        controller._scheme_changed(Qt.ColorScheme.Dark)  # a chosen theme stays
    finally:
        theme.apply = original  # type: ignore[assignment]
        controller.deleteLater()
    assert applied == ["system"]
