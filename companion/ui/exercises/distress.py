"""The 0–10 distress rating: one click on a number, always optional, never required."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from companion.core.exercises.sessions import distress_anchor
from companion.i18n import _
from companion.ui.mood.inputs import ScaleInput
from companion.ui.widgets.common import label, link_button


class DistressScale(QWidget):
    """Eleven steps, 0 to 10, with words at both ends and the chosen step named below: the
    check-in's scale (one Tab stop, digits and arrows, a slider to screen readers), and Skip.

    ``rated`` carries the number, or None when the person skips or clears it.
    """

    rated = Signal(object)

    def __init__(self, question: str, parent: QWidget | None = None, *, compact: bool = False):
        super().__init__(parent)
        self.value: int | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.question = label(question, name="CardTitle" if not compact else None)
        layout.addWidget(self.question)
        row = QHBoxLayout()
        row.setSpacing(8)
        self.scale = ScaleInput(
            _("Distress"), [distress_anchor(value) for value in range(11)], spoken=question
        )
        self.question.setBuddy(self.scale)
        self.buttons: list[QPushButton] = self.scale.buttons
        self.scale.changed.connect(self._changed)
        row.addWidget(self.scale, 1)
        self.skip = link_button(_("Skip"))
        self.skip.setAccessibleName(_("Skip this rating"))
        self.skip.clicked.connect(self._skip)
        row.addWidget(self.skip, 0)
        layout.addLayout(row)

    def _changed(self, value: int | None) -> None:
        self.value = value
        self.rated.emit(value)

    def _skip(self) -> None:
        self.set_value(None)
        self.rated.emit(None)
        self.hide()

    def set_value(self, value: int | None) -> None:
        self.value = value
        self.scale.blockSignals(True)
        try:
            self.scale.set_value(value)
        finally:
            self.scale.blockSignals(False)
