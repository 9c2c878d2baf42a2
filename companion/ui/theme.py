"""Calm light and dark palettes, following the system unless the person chooses."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from companion.core.device_settings import DeviceSettings


@dataclass(frozen=True)
class Colours:
    window: str
    surface: str
    sidebar: str
    text: str
    muted: str
    accent: str
    accent_text: str
    border: str
    danger: str
    warning_bg: str
    success: str
    help_bg: str
    help_text: str


LIGHT = Colours(
    window="#f5f4f0",
    surface="#ffffff",
    sidebar="#eae7e0",
    text="#23313a",
    muted="#5c6a72",
    accent="#2d7a74",
    accent_text="#ffffff",
    border="#d5d1c8",
    danger="#a33a32",
    warning_bg="#fbeedc",
    success="#2e7d4f",
    help_bg="#8f3b2e",
    help_text="#ffffff",
)

DARK = Colours(
    window="#1c2024",
    surface="#252a2f",
    sidebar="#171a1d",
    text="#e7e6e1",
    muted="#a4adb3",
    accent="#72b9ae",
    accent_text="#0f1a19",
    border="#3a4148",
    danger="#ef8f86",
    warning_bg="#3b3224",
    success="#7cc79a",
    help_bg="#e0806f",
    help_text="#1a0f0c",
)

BASE_POINT_SIZE = 11.0


def resolve_dark(settings: DeviceSettings) -> bool:
    if settings.theme == "dark":
        return True
    if settings.theme == "light":
        return False
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def current() -> Colours:
    app = QApplication.instance()
    dark = bool(app.property("companionDark")) if app is not None else False
    return DARK if dark else LIGHT


def apply(app: QApplication, settings: DeviceSettings, *, dark: bool | None = None) -> Colours:
    is_dark = resolve_dark(settings) if dark is None else dark
    c = DARK if is_dark else LIGHT
    app.setProperty("companionDark", is_dark)
    if app.style().name().lower() != "fusion":  # already Fusion on most Linux desktops
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
        QPalette.ColorRole.Mid: c.border,
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
    sheet = stylesheet(c)
    if app.styleSheet() != sheet:
        app.setStyleSheet(sheet)
    return c


def stylesheet(c: Colours) -> str:
    return f"""
    QWidget#Sidebar {{ background: {c.sidebar}; }}
    QListWidget#SidebarList {{ background: transparent; border: none; outline: 0; }}
    QListWidget#SidebarList::item {{ padding: 6px 12px; border-radius: 8px; margin: 1px 8px;
        border: 1px solid transparent; }}
    QListWidget#SidebarList::item:selected {{ background: {c.surface}; color: {c.text};
        border: 1px solid {c.surface}; font-weight: 600; }}
    QListWidget#SidebarList::item:focus {{ border: 2px solid {c.accent}; }}
    QFrame#Card {{ background: {c.surface}; border: 1px solid {c.border}; border-radius: 12px; }}
    QLabel#PageTitle {{ font-size: 20pt; font-weight: 600; }}
    QLabel#CardTitle {{ font-size: 13pt; font-weight: 600; }}
    QLabel#Muted {{ color: {c.muted}; }}
    QLabel#Error {{ color: {c.danger}; }}
    QLabel#Success {{ color: {c.success}; }}
    QLabel#RecoveryKey {{ font-family: monospace; font-size: 15pt; letter-spacing: 1px;
        background: {c.window}; border: 1px dashed {c.border}; border-radius: 8px; padding: 12px; }}
    QFrame#Notice {{ background: {c.warning_bg}; border-radius: 10px; }}
    QPushButton {{ padding: 7px 16px; border-radius: 8px; border: 1px solid {c.border};
        background: {c.surface}; }}
    QPushButton:focus {{ border: 2px solid {c.accent}; }}
    QPushButton:default, QPushButton#Primary {{ background: {c.accent}; color: {c.accent_text};
        border: 1px solid {c.accent}; }}
    QPushButton:disabled, QPushButton#Primary:disabled {{ color: {c.muted}; background: {c.window};
        border-color: {c.border}; }}
    QPushButton#HelpNow {{ background: {c.help_bg}; color: {c.help_text}; border: none;
        font-weight: 600; padding: 9px 14px; }}
    QPushButton#HelpNow:focus {{ border: 2px solid {c.text}; }}
    QPushButton#Link {{ border: none; background: transparent; color: {c.accent};
        text-decoration: underline; padding: 2px; }}
    QLineEdit, QPlainTextEdit, QTextEdit {{ padding: 6px; border-radius: 6px;
        border: 1px solid {c.border}; background: {c.surface}; }}
    QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus {{ border: 2px solid {c.accent}; }}
    QSpinBox, QDoubleSpinBox, QComboBox, QDateEdit, QTimeEdit {{ min-height: 26px; }}
    QProgressBar {{ border: 1px solid {c.border}; border-radius: 5px; background: {c.window};
        height: 10px; text-align: center; }}
    QProgressBar::chunk {{ background: {c.accent}; border-radius: 4px; }}
    QScrollArea {{ border: none; background: transparent; }}
    QDialogButtonBox {{ dialogbuttonbox-buttons-have-icons: 0; }}
    QCheckBox:focus {{ color: {c.accent}; }}
    """
