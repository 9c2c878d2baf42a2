"""The 0–10 distress rating: one click on a number, always optional, never required."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from companion.core.exercises.sessions import distress_anchor
from companion.i18n import _
from companion.ui import theme
from companion.ui.widgets.common import label, link_button


class DistressScale(QWidget):
    """Eleven buttons, 0 to 10, with words at both ends and the chosen step named below.

    ``rated`` carries the number, or None when the person skips or clears it.
    """

    rated = Signal(object)

    def __init__(self, question: str, parent: QWidget | None = None, *, compact: bool = False):
        super().__init__(parent)
        self.setAccessibleName(question)
        self.value: int | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.question = label(question, name="CardTitle" if not compact else None)
        layout.addWidget(self.question)
        row = QHBoxLayout()
        row.setSpacing(4)
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)
        self.buttons: list[QPushButton] = []
        for value in range(11):
            button = QPushButton(str(value))
            button.setCheckable(True)
            button.setMinimumWidth(34)
            button.setAccessibleName(_rated(value))
            button.setToolTip(distress_anchor(value))
            button.setObjectName("DistressStep")
            self.group.addButton(button, value)
            row.addWidget(button)
            self.buttons.append(button)
        self.skip = link_button(_("Skip"))
        self.skip.setAccessibleName(_("Skip this rating"))
        self.skip.clicked.connect(self._skip)
        row.addSpacing(8)
        row.addWidget(self.skip)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(
            label(_("0 = completely calm  ·  10 = the worst distress imaginable"), name="Muted")
        )
        self.chosen = label("", name="Muted")
        self.chosen.hide()
        layout.addWidget(self.chosen)
        self.group.idClicked.connect(self._clicked)
        self._style()

    def _style(self) -> None:
        c = theme.current()
        self.setStyleSheet(
            f"QPushButton#DistressStep {{ padding: 6px 0; min-height: 22px; }}"
            f"QPushButton#DistressStep:checked {{ background: {c.accent}; color: {c.accent_text};"
            f" border: 1px solid {c.accent}; font-weight: 600; }}"
        )

    def _clicked(self, value: int) -> None:
        if self.value == value:  # a second click on the same number clears it
            self.set_value(None)
        else:
            self.set_value(value)
        self.rated.emit(self.value)

    def _skip(self) -> None:
        self.set_value(None)
        self.rated.emit(None)
        self.hide()

    def set_value(self, value: int | None) -> None:
        self.value = value
        for number, button in enumerate(self.buttons):
            button.setChecked(number == value)
        if value is None:
            self.chosen.hide()
        else:
            self.chosen.setText(_rated(value))
            self.chosen.show()


def _rated(value: int) -> str:
    """A rating with its words, e.g. "7: Very distressed, hard to think"."""
    return _("{value}: {words}").format(value=value, words=distress_anchor(value))
