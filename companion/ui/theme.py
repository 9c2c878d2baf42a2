"""Calm light and dark palettes following the system, and a high-contrast one, chosen on
this computer (``device_settings.THEME``).

Every colour pair a person reads or must find is listed in :func:`contrast_pairs`, and a test
holds them to WCAG 2.2 AA (text 4.5:1, outlines, check boxes and the focus ring 3:1; the
high-contrast theme to 7:1 for text).
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from companion.core.device_settings import DeviceSettings
from companion.paths import resources_dir


class Colours(NamedTuple):
    """A theme's colours (a named tuple rather than a dataclass: the launch imports this
    module, and making a frozen dataclass of 16 fields costs it about a millisecond)."""

    name: str
    #: a dark background (charts and washes pick their dark variants)
    dark: bool
    window: str
    surface: str
    sidebar: str
    text: str
    muted: str
    accent: str
    accent_text: str
    #: quiet lines that only group things (cards, dividers): decoration, no contrast needed
    border: str
    #: the edge of a control a person must find: fields, check boxes, scale steps (3:1)
    outline: str
    danger: str
    warning_bg: str
    success: str
    help_bg: str
    help_text: str


LIGHT = Colours(
    name="light",
    dark=False,
    window="#f5f4f0",
    surface="#ffffff",
    sidebar="#eae7e0",
    text="#23313a",
    muted="#5c6a72",
    accent="#2d7a74",
    accent_text="#ffffff",
    border="#d5d1c8",
    outline="#85817a",
    danger="#a33a32",
    warning_bg="#fbeedc",
    success="#2e7d4f",
    help_bg="#8f3b2e",
    help_text="#ffffff",
)

DARK = Colours(
    name="dark",
    dark=True,
    window="#1c2024",
    surface="#252a2f",
    sidebar="#171a1d",
    text="#e7e6e1",
    muted="#a4adb3",
    accent="#72b9ae",
    accent_text="#0f1a19",
    border="#3a4148",
    outline="#7d868f",
    danger="#ef8f86",
    warning_bg="#3b3224",
    success="#7cc79a",
    help_bg="#e0806f",
    help_text="#1a0f0c",
)

#: white and yellow on black, every outline drawn in full strength
HIGH_CONTRAST = Colours(
    name="high-contrast",
    dark=True,
    window="#000000",
    surface="#0d0d0d",
    sidebar="#000000",
    text="#ffffff",
    muted="#d9d9d9",
    accent="#ffd83d",
    accent_text="#000000",
    border="#9e9e9e",
    outline="#ffffff",
    danger="#ffa198",
    warning_bg="#2e2600",
    success="#8ff0a4",
    help_bg="#ff9e8a",
    help_text="#000000",
)

THEMES = {c.name: c for c in (LIGHT, DARK, HIGH_CONTRAST)}

BASE_POINT_SIZE = 11.0


#: whether the palette the platform gave the application was dark, read before the first
#: theme replaced it (``None`` until then)
_platform_palette_dark: bool | None = None


def palette_is_dark(palette: QPalette) -> bool:
    """A dark palette: its window is darker than its text (Qt's own test for a platform
    that has colours but no colour scheme)."""
    window = palette.color(QPalette.ColorRole.Window).lightness()
    return palette.color(QPalette.ColorRole.WindowText).lightness() > window


def platform_palette_dark() -> bool:
    """Whether the platform's own palette is dark: read from the application before any theme
    set one (and kept, since the application's palette is the theme's from then on)."""
    global _platform_palette_dark
    if _platform_palette_dark is None:
        _platform_palette_dark = palette_is_dark(QGuiApplication.palette())
    return _platform_palette_dark


def scheme_dark() -> bool | None:
    """Qt's colour scheme for the desktop: True dark, False light, None when Qt does not know
    (no platform theme that says, as offscreen)."""
    from PySide6.QtCore import Qt

    scheme = QGuiApplication.styleHints().colorScheme()
    if scheme == Qt.ColorScheme.Unknown:
        return None
    return scheme == Qt.ColorScheme.Dark


def system_dark(*, early: bool = False) -> bool:
    """Whether the desktop is dark: Qt's colour scheme when it knows it, else the platform's
    palette (which Qt's platform themes make dark for a dark desktop).

    ``early`` (the launch, before its first window is painted) reads only the palette: asking
    for the colour scheme makes PySide build the Python type of every enum in the ``Qt``
    namespace (93 of them, 10–20 ms of the launch). The launch asks again once the window is
    painted (``AppController``) and follows the answer if the two disagree."""
    known = None if early else scheme_dark()
    return platform_palette_dark() if known is None else known


def resolve(settings: DeviceSettings, *, early: bool = False) -> Colours:
    """The palette for the person's choice; "system" follows the desktop's light or dark."""
    if settings.theme in THEMES:
        return THEMES[settings.theme]
    return DARK if system_dark(early=early) else LIGHT


def resolve_dark(settings: DeviceSettings) -> bool:
    return resolve(settings).dark


def current() -> Colours:
    app = QApplication.instance()
    name = app.property("companionTheme") if app is not None else None
    return THEMES.get(str(name), LIGHT)


#: the text size :func:`apply` set last; kept here rather than as a property of the application
#: as the theme's name is: storing a number on a QObject makes PySide set up its QByteArray
#: type (~0.4 ms of the launch, before the unlock window is painted)
_text_scale = 1.0


def text_scale() -> float:
    """The person's text size (1.0 = normal), for sizes set in points by a page."""
    return _text_scale


def reduce_motion() -> bool:
    """The person asked for still pictures instead of movement (device setting)."""
    app = QApplication.instance()
    return bool(app.property("companionReduceMotion")) if app is not None else False


def points(size: float) -> str:
    """A font size for a style sheet, e.g. ``points(13)`` → "13pt" at normal text size."""
    return f"{size * text_scale():.1f}pt"


def luminance(colour: str) -> float:
    """WCAG 2.2 relative luminance of ``#rrggbb``."""
    value = colour.lstrip("#")

    def channel(part: str) -> float:
        c = int(part, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(value[i : i + 2]) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def contrast_pairs(c: Colours) -> list[tuple[str, str, str, str]]:
    """(kind, what, foreground, background) for every pair the style sheet draws; kind is
    "text" (needs 4.5:1) or "non-text" (3:1)."""
    pairs: list[tuple[str, str, str, str]] = []
    grounds = {"window": c.window, "surface": c.surface, "sidebar": c.sidebar}
    for ground, colour in grounds.items():
        # the sidebar holds page names, buttons and the muted "last saved" line
        roles = ["text", "muted"]
        if ground != "sidebar":
            roles += ["accent", "danger", "success"]
        for role in roles:
            pairs.append(("text", f"{role} on {ground}", getattr(c, role), colour))
        pairs.append(("non-text", f"outline on {ground}", c.outline, colour))
        pairs.append(("non-text", f"focus ring on {ground}", c.accent, colour))
        pairs.append(("non-text", f"selected step on {ground}", c.accent, colour))
        pairs.append(("non-text", f"scroll bar on {ground}", c.outline, colour))
    pairs += [
        ("text", "text on a notice", c.text, c.warning_bg),
        ("text", "muted on a notice", c.muted, c.warning_bg),
        ("text", "primary button label", c.accent_text, c.accent),
        ("text", "Get help now label", c.help_text, c.help_bg),
        ("text", "disabled label", c.muted, c.window),
        # the ring is the button's edge: it stands out against what is around the button
        ("non-text", "Get help now focus ring on the sidebar", c.text, c.sidebar),
        ("non-text", "Get help now focus ring on a window", c.text, c.window),
        ("non-text", "Get help now against the sidebar", c.help_bg, c.sidebar),
        ("non-text", "check mark in a ticked box", c.accent_text, c.accent),
    ]
    return pairs


def _image(kind: str, c: Colours) -> str:
    """A small picture the style sheet draws (a tick, an arrow) in the theme's colour."""
    return (resources_dir() / "icons" / f"{kind}-{c.name}.svg").as_posix()


#: application property: the application was made with the Fusion style (``ui/app.py``)
FUSION_SET = "companionFusionStyle"


def apply(
    app: QApplication, settings: DeviceSettings, *, dark: bool | None = None, early: bool = False
) -> Colours:
    """Colours, text size and style sheet for ``settings``; ``dark`` forces light or dark.

    ``early`` is the launch before its first window is painted: nothing here may touch the
    ``Qt`` namespace (see :func:`system_dark`), so Qt's animation switches wait for the full
    apply the launch makes once that window is painted (nothing can open a menu before)."""
    global _text_scale
    platform_palette_dark()  # before the first theme replaces the platform's palette
    if dark is None:
        c = resolve(settings, early=early)
    else:  # forced by a caller that only knows light or dark (screenshots, tests)
        c = DARK if dark else LIGHT
        if settings.theme == HIGH_CONTRAST.name:
            c = HIGH_CONTRAST
    app.setProperty("companionTheme", c.name)
    app.setProperty("companionDark", c.dark)
    _text_scale = settings.text_scale if settings.text_scale > 0 else 1.0
    app.setProperty("companionReduceMotion", settings.reduce_motion)
    if not early:
        _set_effects(not settings.reduce_motion)
    from companion.ui.widgets.common import install_date_tab_stops

    install_date_tab_stops(app)  # not a theme, but set up wherever the look is
    if not early:  # nothing before the first paint takes the focus ring's kind of focus
        from companion.ui.widgets import focus_ring

        focus_ring.install(app)  # a ring over a focused page region or chart (WCAG 2.4.7)
    # already Fusion when make_app() made the application (and on most Linux desktops)
    if not app.property(FUSION_SET) and app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    pal = QPalette()
    roles = {
        QPalette.ColorRole.Window: c.window,
        QPalette.ColorRole.WindowText: c.text,
        QPalette.ColorRole.Base: c.surface,
        QPalette.ColorRole.AlternateBase: c.window,
        QPalette.ColorRole.Text: c.text,
        QPalette.ColorRole.Button: c.surface,
        QPalette.ColorRole.ButtonText: c.text,
        QPalette.ColorRole.Highlight: c.accent,
        QPalette.ColorRole.HighlightedText: c.accent_text,
        QPalette.ColorRole.ToolTipBase: c.surface,
        QPalette.ColorRole.ToolTipText: c.text,
        QPalette.ColorRole.PlaceholderText: c.muted,
        QPalette.ColorRole.Link: c.accent,
        QPalette.ColorRole.LinkVisited: c.accent,
        QPalette.ColorRole.Mid: c.outline,
        QPalette.ColorRole.Dark: c.outline,
        QPalette.ColorRole.Shadow: c.outline,
    }
    for role, colour in roles.items():
        pal.setColor(role, QColor(colour))
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
        QPalette.ColorRole.WindowText,
    ):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor(c.muted))
    # Re-applying the same theme is free: every change below restyles every widget.
    if app.palette() != pal:
        app.setPalette(pal)
    font = QFont(app.font())
    font.setPointSizeF(BASE_POINT_SIZE * settings.text_scale)
    if app.font() != font:
        app.setFont(font)
    sheet = stylesheet(c, settings.text_scale)
    if app.styleSheet() != sheet:
        app.setStyleSheet(sheet)
    return c


def _set_effects(enabled: bool) -> None:
    """Qt's own movement: combo boxes sliding open, menus and tooltips fading in."""
    from PySide6.QtCore import Qt

    for effect in (
        Qt.UIEffect.UI_AnimateCombo,
        Qt.UIEffect.UI_AnimateMenu,
        Qt.UIEffect.UI_FadeMenu,
        Qt.UIEffect.UI_AnimateTooltip,
        Qt.UIEffect.UI_FadeTooltip,
        Qt.UIEffect.UI_AnimateToolBox,
    ):
        QApplication.setEffectEnabled(effect, enabled)


def stylesheet(c: Colours, scale: float = 1.0) -> str:
    def pt(size: float) -> str:
        return f"{size * scale:.1f}pt"

    check = _image("check", c)
    badge = mood_badge_side(scale)
    return f"""
    QWidget#Sidebar {{ background: {c.sidebar}; }}
    QListWidget#SidebarList {{ background: transparent; border: none; outline: 0; }}
    QListWidget#SidebarList::item {{ padding: 6px 12px; border-radius: 8px; margin: 1px 8px;
        border: 1px solid transparent; }}
    QListWidget#SidebarList::item:selected {{ background: {c.surface}; color: {c.text};
        border: 1px solid {c.surface}; font-weight: 600; }}
    QListWidget#SidebarList::item:focus {{ border: 2px solid {c.accent}; }}
    QListWidget#SidebarList[compact="true"]::item {{ padding: 2px 12px; margin: 0px 8px; }}
    QFrame#Card {{ background: {c.surface}; border: 1px solid {c.border}; border-radius: 12px; }}
    QLabel#PageTitle {{ font-size: {pt(20)}; font-weight: 600; }}
    QLabel#CardTitle {{ font-size: {pt(13)}; font-weight: 600; }}
    QLabel#Muted {{ color: {c.muted}; }}
    QLabel#Error {{ color: {c.danger}; }}
    QLabel#Success {{ color: {c.success}; }}
    QLabel#RecoveryKey {{ font-family: monospace; font-size: {pt(15)}; letter-spacing: 1px;
        background: {c.window}; border: 1px dashed {c.outline}; border-radius: 8px;
        padding: 12px; }}
    QFrame#Notice {{ background: {c.warning_bg}; border-radius: 10px; }}
    QPushButton {{ padding: 7px 16px; border-radius: 8px; border: 1px solid {c.outline};
        background: {c.surface}; }}
    QPushButton:focus {{ border: 2px solid {c.accent}; }}
    QPushButton:default, QPushButton#Primary {{ background: {c.accent}; color: {c.accent_text};
        border: 1px solid {c.accent}; }}
    QPushButton:default:focus, QPushButton#Primary:focus {{ border: 2px solid {c.text}; }}
    QPushButton:disabled, QPushButton#Primary:disabled {{ color: {c.muted}; background: {c.window};
        border-color: {c.border}; }}
    QPushButton#HelpNow {{ background: {c.help_bg}; color: {c.help_text}; border: none;
        font-weight: 600; padding: 9px 14px; }}
    QPushButton#HelpNow:focus {{ border: 2px solid {c.text}; }}
    QPushButton#Link {{ border: none; background: transparent; color: {c.accent};
        text-decoration: underline; padding: 2px; }}
    QPushButton#Link:focus {{ border: 2px solid {c.accent}; }}
    QPushButton#CardTitleLink {{ border: 2px solid transparent; background: transparent;
        padding: 0; border-radius: 6px; }}
    QPushButton#CardTitleLink:focus {{ border: 2px solid {c.accent}; }}
    QToolButton#SectionHeader {{ font-weight: 600; border: 2px solid transparent;
        border-radius: 6px; padding: 2px 4px; background: transparent; }}
    QToolButton#SavedMark {{ border: 2px solid transparent; border-radius: 6px; padding: 2px;
        background: transparent; }}
    QToolButton#SectionHeader:focus, QToolButton#SavedMark:focus {{ border-color: {c.accent}; }}
    QLabel#CardTitleLinkText {{ color: {c.text}; background: transparent; }}
    QLineEdit, QPlainTextEdit, QTextEdit {{ padding: 6px; border-radius: 6px;
        border: 1px solid {c.outline}; background: {c.surface}; }}
    QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus {{ border: 2px solid {c.accent}; }}
    QTextEdit[readOnly="true"], QPlainTextEdit[readOnly="true"] {{ border-color: {c.border}; }}
    QSpinBox, QDoubleSpinBox, QComboBox, QDateEdit, QTimeEdit, QDateTimeEdit {{
        min-height: 26px; border: 1px solid {c.outline}; border-radius: 6px; padding: 1px 6px;
        background: {c.surface}; }}
    QComboBox::drop-down, QDateEdit::drop-down, QDateTimeEdit::drop-down {{ border: none;
        width: 22px; }}
    QComboBox::down-arrow, QDateEdit::down-arrow, QDateTimeEdit::down-arrow {{
        image: url("{_image("down", c)}"); width: 12px; height: 12px; }}
    QAbstractSpinBox::up-button, QAbstractSpinBox::down-button {{ subcontrol-origin: border;
        width: 20px; border: none; border-left: 1px solid {c.border}; background: transparent; }}
    QAbstractSpinBox::up-button {{ subcontrol-position: top right;
        border-top-right-radius: 6px; }}
    QAbstractSpinBox::down-button {{ subcontrol-position: bottom right;
        border-bottom-right-radius: 6px; }}
    QAbstractSpinBox::up-button:hover, QAbstractSpinBox::down-button:hover {{
        background: {c.border}; }}
    QAbstractSpinBox::up-arrow {{ image: url("{_image("up", c)}"); width: 10px; height: 10px; }}
    QAbstractSpinBox::down-arrow {{ image: url("{_image("down", c)}"); width: 10px;
        height: 10px; }}
    QAbstractSpinBox::up-arrow:disabled, QAbstractSpinBox::up-arrow:off {{
        image: url("{_image("up-off", c)}"); }}
    QAbstractSpinBox::down-arrow:disabled, QAbstractSpinBox::down-arrow:off {{
        image: url("{_image("down-off", c)}"); }}
    QSpinBox:focus, QDoubleSpinBox:focus, QComboBox:focus, QDateEdit:focus, QTimeEdit:focus,
    QDateTimeEdit:focus {{ border: 2px solid {c.accent}; }}
    QSpinBox:disabled, QDoubleSpinBox:disabled, QComboBox:disabled, QDateEdit:disabled,
    QTimeEdit:disabled, QDateTimeEdit:disabled {{ border-color: {c.border}; color: {c.muted}; }}
    QProgressBar {{ border: 1px solid {c.outline}; border-radius: 5px; background: {c.window};
        height: 10px; text-align: center; }}
    QProgressBar::chunk {{ background: {c.accent}; border-radius: 4px; }}
    HistoryList {{ border: 2px solid transparent; border-radius: 4px; }}
    HistoryList:focus {{ border-color: {c.accent}; }}
    QTabBar::tab:focus {{ border: 2px solid {c.accent}; border-radius: 4px; }}
    QTabBar::scroller {{ width: {round(56 * scale)}px; }}
    QTabBar QToolButton {{ background: {c.surface}; border: 1px solid {c.outline};
        border-radius: 4px; }}
    QTabBar QToolButton:focus {{ border: 2px solid {c.accent}; border-radius: 4px; }}
    QDialogButtonBox {{ dialogbuttonbox-buttons-have-icons: 0; }}
    QCheckBox:focus, QRadioButton:focus {{ color: {c.accent}; }}
    QCheckBox::indicator {{ width: 15px; height: 15px; border: 2px solid {c.outline};
        border-radius: 4px; background: {c.surface}; }}
    QCheckBox::indicator:focus {{ border-color: {c.accent}; }}
    QCheckBox::indicator:checked {{ background: {c.accent}; border-color: {c.accent};
        image: url("{check}"); }}
    QCheckBox::indicator:disabled {{ border-color: {c.border}; background: {c.window}; }}
    QRadioButton::indicator {{ width: 14px; height: 14px; border: 2px solid {c.outline};
        border-radius: 9px; background: {c.surface}; }}
    QRadioButton::indicator:focus {{ border-color: {c.accent}; }}
    QRadioButton::indicator:checked {{ border-color: {c.accent}; background: qradialgradient(
        cx: 0.5, cy: 0.5, radius: 0.5, fx: 0.5, fy: 0.5, stop: 0 {c.accent}, stop: 0.5 {c.accent},
        stop: 0.6 {c.surface}, stop: 1 {c.surface}); }}
    QRadioButton::indicator:disabled {{ border-color: {c.border}; background: {c.window}; }}
    QScrollBar:vertical {{ background: transparent; width: 12px; margin: 0; }}
    QScrollBar:horizontal {{ background: transparent; height: 12px; margin: 0; }}
    QScrollBar::handle {{ background: {c.outline}; border-radius: 4px; margin: 2px; }}
    QScrollBar::handle:vertical {{ min-height: 32px; }}
    QScrollBar::handle:horizontal {{ min-width: 32px; }}
    QScrollBar::handle:hover, QScrollBar::handle:pressed {{ background: {c.text}; }}
    QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; border: none; }}
    QScrollBar::add-page, QScrollBar::sub-page {{ background: none; }}
    QFrame#Rule {{ background: {c.border}; border: none; }}
    QWidget#Scale {{ border: 2px solid transparent; border-radius: 10px; }}
    QWidget#Scale:focus {{ border: 2px solid {c.accent}; }}
    QPushButton#Step {{ min-width: 30px; max-width: 44px; min-height: 30px; padding: 4px 0;
        border-radius: 8px; border: 1px solid {c.outline}; background: {c.surface}; }}
    QPushButton#Answer {{ padding: 5px 14px; border-radius: 8px; border: 1px solid {c.outline};
        background: {c.surface}; }}
    QPushButton#Chip, QPushButton#RangeChip {{ padding: 4px 12px; border-radius: 13px;
        border: 1px solid {c.outline}; background: {c.surface}; }}
    QPushButton#RangeChip {{ border: 1px solid {c.border}; }}
    QPushButton#Step:checked, QPushButton#Answer:checked, QPushButton#Chip:checked,
    QPushButton#RangeChip:checked, QPushButton#TrendChoice:checked,
    QPushButton#ChoiceOption:checked {{ background: {c.accent}; color: {c.accent_text};
        border: 1px solid {c.accent}; }}
    QPushButton#Step:checked, QPushButton#ChoiceOption:checked {{ font-weight: 600; }}
    QPushButton#Chip:focus, QPushButton#RangeChip:focus, QPushButton#TrendChoice:checked:focus,
    QPushButton#ChoiceOption:checked:focus {{ border: 2px solid {c.text}; }}
    QLabel#QuestionText {{ font-size: 15pt; font-weight: 600; }}
    QPushButton#ChoiceOption {{ text-align: left; padding: 9px 14px; }}
    QToolButton#RowMenu, QToolButton#ItemMenu, QToolButton#MoreButton {{ padding: 6px 12px;
        border-radius: 8px; border: 1px solid {c.border}; background: {c.surface}; }}
    QToolButton#RowMenu {{ padding: 2px 10px; border-radius: 6px; }}
    QToolButton#MoreButton {{ padding: 6px 10px; }}
    QToolButton#RowMenu:focus, QToolButton#ItemMenu:focus, QToolButton#MoreButton:focus {{
        border: 2px solid {c.accent}; }}
    QToolButton#RowMenu::menu-indicator, QToolButton#ItemMenu::menu-indicator,
    QToolButton#MoreButton::menu-indicator {{ image: none; width: 0px; }}
    QListWidget#StepList {{ background: transparent; border: none; outline: 0;
        border-left: 2px solid {c.border}; }}
    QListWidget#StepList::item {{ padding: 7px 12px; margin: 1px 0; border: none;
        color: {c.muted}; }}
    QListWidget#StepList::item:selected {{ background: transparent; color: {c.text};
        font-weight: 600; border-left: 3px solid {c.accent}; }}
    QListWidget#StepList::item:focus {{ color: {c.accent}; }}
    QFrame#EntryView {{ border-top: 1px solid {c.border}; }}
    QLabel#MoodBadge {{ background: {c.window}; border-radius: {badge // 2}px;
        min-width: {badge}px; max-width: {badge}px; min-height: {badge}px;
        max-height: {badge}px; font-weight: 600; }}
    """ + _bigger_icons(scale)


def mood_badge_side(scale: float) -> int:
    """The side of the round badge that shows a check-in's mood (``EntryView``): it grows
    with the text from 100% up."""
    return round(28 * max(1.0, scale))


def _bigger_icons(scale: float) -> str:
    """Icons grow with the text from 100% up (at 100% every button keeps its own size)."""
    if scale <= 1.0:
        return ""
    side = round(16 * scale)
    return (
        f"QAbstractButton {{ qproperty-iconSize: {side}px {side}px; }}\n"
        f"QListWidget#SidebarList {{ qproperty-iconSize: {side + 4}px {side + 4}px; }}\n"
    )
