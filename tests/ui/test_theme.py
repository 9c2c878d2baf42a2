"""The themes: contrast read from their colours (WCAG 2.2 AA, 1.4.3 and 1.4.11), the high-contrast
theme, following the system, and the text size reaching every style sheet."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from companion.core.device_settings import DeviceSettings
from companion.core.session import OpenDiary
from companion.ui import theme

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

    def rule(selector: str) -> str:
        return _rule(sheet, selector)

    assert colours.outline in rule("QLineEdit, QPlainTextEdit, QTextEdit")
    assert colours.outline in rule("QSpinBox, QDoubleSpinBox, QComboBox")
    assert colours.outline in rule("QCheckBox::indicator")
    assert colours.accent in rule("QCheckBox::indicator:checked")
    assert colours.outline in rule("QRadioButton::indicator")
    assert colours.accent in rule("QRadioButton::indicator:checked")
    assert colours.accent in rule("QLineEdit:focus")
    assert colours.accent in rule("QPushButton:focus")
    assert colours.outline in rule("QPushButton#Step")
    assert colours.outline in rule("QPushButton#Chip")
    assert colours.accent in rule("QWidget#Scale:focus")
    # a spin box's buttons: arrows in the theme's colour (Qt drew two short lines once the
    # box had a border of the style sheet's), fainter where a step is not possible
    assert f"up-{colours.name}.svg" in rule("QAbstractSpinBox::up-arrow")
    assert f"down-{colours.name}.svg" in rule("QAbstractSpinBox::down-arrow")
    assert f"up-off-{colours.name}.svg" in rule("QAbstractSpinBox::up-arrow:disabled")
    for image in re.findall(r'url\("([^"]+)"\)', sheet):
        assert Path(image).is_file(), image


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


def _palette(window: str, text: str) -> QPalette:
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor(window))
    palette.setColor(QPalette.ColorRole.WindowText, QColor(text))
    return palette


def test_a_dark_platform_palette_is_told_from_a_light_one() -> None:
    assert theme.palette_is_dark(_palette("#1e1e1e", "#f0f0f0"))  # Windows, GNOME dark
    assert theme.palette_is_dark(_palette("#31363b", "#eff0f1"))  # Breeze dark
    assert not theme.palette_is_dark(_palette("#efefef", "#101010"))
    assert not theme.palette_is_dark(_palette("#f6f5f4", "#2e3436"))  # Adwaita


@pytest.mark.parametrize("platform_dark", [False, True], ids=["light palette", "dark palette"])
@pytest.mark.parametrize("scheme", [None, False, True], ids=["unknown", "light", "dark"])
def test_following_the_system_before_and_after_the_first_paint(
    qapp: QApplication,
    monkeypatch: pytest.MonkeyPatch,
    platform_dark: bool,
    scheme: bool | None,
) -> None:
    """Before the launch's first paint only the platform's palette is read (Qt's colour scheme
    would build the whole Qt namespace); the full theme follows Qt's scheme where it knows
    one, else the palette again."""
    system = DeviceSettings(theme="system")
    monkeypatch.setattr(theme, "_platform_palette_dark", platform_dark)

    def not_before_the_paint() -> bool | None:
        raise AssertionError("Qt's colour scheme asked for before the first paint")

    try:
        monkeypatch.setattr(theme, "scheme_dark", not_before_the_paint)
        early = theme.apply(qapp, system, early=True)
        assert early is (theme.DARK if platform_dark else theme.LIGHT)
        monkeypatch.setattr(theme, "scheme_dark", lambda: scheme)
        full = theme.apply(qapp, system)
        dark = platform_dark if scheme is None else scheme
        assert full is (theme.DARK if dark else theme.LIGHT)
        assert theme.current() is full
        assert qapp.palette().color(QPalette.ColorRole.Window).name() == full.window
        # a chosen theme is never overruled by the desktop
        assert theme.apply(qapp, DeviceSettings(theme="light"), early=True) is theme.LIGHT
        assert theme.apply(qapp, DeviceSettings(theme="dark")) is theme.DARK
    finally:
        theme.apply(qapp, DeviceSettings(theme="light"))


def test_the_platform_palette_is_read_before_the_theme_replaces_it(qapp: QApplication) -> None:
    """What the platform gave, not the theme's own colours: a dark theme applied does not make
    "follow the system" dark on a light desktop (offscreen's palette is light)."""
    try:
        theme.apply(qapp, DeviceSettings(theme="dark"))
        assert not theme.platform_palette_dark()
        assert theme.apply(qapp, DeviceSettings(theme="system"), early=True) is theme.LIGHT
    finally:
        theme.apply(qapp, DeviceSettings(theme="light"))


def test_the_launch_follows_a_dark_desktop_its_palette_did_not_show(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, diary: OpenDiary, data_dir: Path
) -> None:
    """A platform whose palette looks light while Qt says the desktop is dark: the unlock
    window is painted light, and turns dark once painted (the rare case the early reading
    cannot see); the animation switches are set then too."""
    from companion.ui.app import AppController

    diary.lock()
    monkeypatch.setattr(theme, "_platform_palette_dark", False)
    monkeypatch.setattr(theme, "scheme_dark", lambda: True)
    effects: list[bool] = []
    monkeypatch.setattr(theme, "_set_effects", effects.append)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    controller = AppController(data_dir, device=DeviceSettings(theme="system"))
    try:
        assert controller.start() is None
        assert theme.current() is theme.LIGHT and effects == []
        qtbot.waitUntil(lambda: controller.settled)
        assert theme.current() is theme.DARK
        assert app.palette().color(QPalette.ColorRole.Window).name() == theme.DARK.window
        assert effects == [True]  # no reduced motion asked for
    finally:
        controller.shutdown()
        theme.apply(app, DeviceSettings(theme="light"))


def test_widgets_made_many_times_carry_no_style_sheet_of_their_own(qapp: QApplication) -> None:
    """A style sheet of its own is parsed and applied for every widget made with one (2-3 ms
    of a check-in form's 6): the mood scales, their chips, the charts' period buttons and the
    tag rows' menus are styled by the application's sheet, in every theme."""
    from companion.ui.charts.presets import RangePresets
    from companion.ui.mood.inputs import ScaleInput

    for colours in THEMES:
        sheet = theme.stylesheet(colours)
        for name in (
            "QPushButton#RangeChip",
            "QToolButton#RowMenu",
            "QToolButton#ItemMenu",
            "QToolButton#MoreButton",
            "QFrame#Rule",
            "QPushButton#TrendChoice",
            "QPushButton#ChoiceOption",
            "QListWidget#StepList",
        ):
            assert re.search(re.escape(name) + r"\b[^{]*\{", sheet), name
        assert colours.accent in _rule(sheet, "QPushButton#TrendChoice:checked")
    assert RangePresets().styleSheet() == ""
    assert ScaleInput("Mood", ["low", "high"]).styleSheet() == ""


def _rule(sheet: str, selector: str) -> str:
    """The declarations of the first rule whose selector list holds ``selector``."""
    found = re.search(re.escape(selector) + r"[^{]*\{([^}]*)\}", sheet)
    assert found is not None, selector
    return found.group(1)
