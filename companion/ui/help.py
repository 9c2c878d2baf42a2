"""'Get help now': helplines for the person's country, the emergency number, and where to look
elsewhere. Works locked or unlocked; the numbers are bundled and never fetched.

The safety plan (when the person has written one) is shown above the helplines by the safety
feature; this module owns the helplines part and the window.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from companion.content import ContentError
from companion.content.helplines import (
    Country,
    HelpLine,
    Helplines,
    country_from_locale,
    load_helplines,
)
from companion.ui.widgets.common import Card, icon, label, title

OPENING = (
    "You do not have to go through this alone. Talking to someone can help, right now, "
    "whatever is going on."
)


def _copy_button(value: str, what: str) -> QPushButton:
    button = QPushButton(icon("mdi6.content-copy"), "Copy")
    button.setAccessibleName(f"Copy {what}")
    button.setToolTip(f"Copy {value}")
    button.clicked.connect(lambda: QGuiApplication.clipboard().setText(value))
    return button


def _big(text: str) -> QWidget:
    widget = label(text)
    font = widget.font()
    font.setPointSizeF(font.pointSizeF() * 1.5)
    font.setBold(True)
    widget.setFont(font)
    return widget


class HelpPanel(QWidget):
    """The helplines for one country, chosen from the locale unless the person picks one."""

    def __init__(self, country_code: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Get help now")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(14)
        layout.addWidget(title("Get help now"))
        layout.addWidget(label(OPENING))
        self.helplines: Helplines | None
        try:
            self.helplines = load_helplines()
        except ContentError:
            self.helplines = None
        if self.helplines is None:
            layout.addWidget(
                label(
                    "The list of helplines could not be read. If you are in danger, call your "
                    "local emergency number now."
                )
            )
            return
        row = QHBoxLayout()
        row.addWidget(label("Country", wrap=False))
        self.country_box = QComboBox()
        self.country_box.setAccessibleName("Country for helplines")
        self.country_box.setMaximumWidth(280)
        for country in sorted(self.helplines.countries, key=lambda c: c.name):
            self.country_box.addItem(country.name, country.code)
        self.country_box.addItem("Another country", "")
        row.addWidget(self.country_box)
        row.addStretch(1)
        layout.addLayout(row)
        self.cards = QVBoxLayout()
        self.cards.setSpacing(12)
        layout.addLayout(self.cards)
        layout.addWidget(label(self.helplines.what_to_expect, name="Muted"))
        layout.addWidget(
            label(
                f"Numbers last checked {self.helplines.last_checked:%d %B %Y}. "
                "Companion cannot place calls: use your phone.",
                name="Muted",
            )
        )
        layout.addStretch(1)
        code = country_code or country_from_locale(QLocale.system().name()) or ""
        index = self.country_box.findData(code.upper())
        self.country_box.setCurrentIndex(index if index >= 0 else self.country_box.count() - 1)
        self.country_box.currentIndexChanged.connect(self._show_current)
        self._show_current()

    @property
    def country_code(self) -> str:
        return str(self.country_box.currentData() or "")

    def _show_current(self) -> None:
        assert self.helplines is not None
        while self.cards.count():
            item = self.cards.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        country = self.helplines.get(self.country_code or None)
        self.cards.addWidget(self._emergency_card(country))
        for line in country.lines:
            self.cards.addWidget(self._line_card(line))

    def _emergency_card(self, country: Country) -> Card:
        card = Card("If you are in danger right now")
        grid = QHBoxLayout()
        numbers = " or ".join((country.emergency, *country.emergency_other))
        grid.addWidget(_big(f"Emergency: {numbers}"), 1)
        grid.addWidget(_copy_button(country.emergency, "emergency number"))
        card.body.addLayout(grid)
        if country.emergency_notes:
            card.body.addWidget(label(country.emergency_notes, name="Muted"))
        return card

    def _line_card(self, line: HelpLine) -> Card:
        card = Card(line.name)
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        entries = []
        if line.phone:
            entries.append(("Call", line.phone, True))
        if line.text:
            shown = f"{line.text_keyword} to {line.text}" if line.text_keyword else line.text
            entries.append(("Text", shown, True))
        if line.email:
            entries.append(("Email", line.email, False))
        if line.url:
            entries.append(("Online (needs internet)", line.url, False))
        for row, (what, value, big) in enumerate(entries):
            grid.addWidget(label(what, name="Muted", wrap=False), row, 0)
            grid.addWidget(_big(value) if big else label(value), row, 1)
            copy_value = value.split(" to ")[-1] if what == "Text" else value
            grid.addWidget(_copy_button(copy_value, f"{line.name} {what.lower()}"), row, 2)
        card.body.addLayout(grid)
        details = " ".join(
            part for part in (line.hours and f"Open {line.hours}.", line.notes) if part
        )
        if details:
            card.body.addWidget(label(details, name="Muted"))
        return card


class HelpDialog(QDialog):
    def __init__(self, country_code: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Companion — get help now")
        self.setMinimumSize(560, 620)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.panel = HelpPanel(country_code)
        scroller = QScrollArea()
        scroller.setWidgetResizable(True)
        scroller.setWidget(self.panel)
        layout.addWidget(scroller, 1)
        close = QPushButton("Close")
        close.setAccessibleName("Close help")
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(12, 6, 12, 12)
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout.addLayout(bottom)
        close.setFocus()


_OPEN: list[HelpDialog] = []


def open_help(
    parent: QWidget | None,
    country_code: str = "",
    on_country: Callable[[str], None] | None = None,
) -> HelpDialog:
    """Show the help window (one at a time), without blocking the rest of the app.

    ``on_country`` is told when the person picks another country, so it can be remembered.
    """
    for dialog in list(_OPEN):
        dialog.raise_()
        dialog.activateWindow()
        return dialog
    dialog = HelpDialog(country_code, parent)
    if on_country is not None and dialog.panel.helplines is not None:
        dialog.panel.country_box.currentIndexChanged.connect(
            lambda _i: on_country(dialog.panel.country_code)
        )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.finished.connect(lambda _r: _OPEN.remove(dialog) if dialog in _OPEN else None)
    _OPEN.append(dialog)
    dialog.show()
    return dialog
