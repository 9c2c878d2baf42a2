"""A quiet bar that says what just happened and offers Undo (for deletes)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QWidget

from companion.i18n import _
from companion.ui.widgets.common import icon, label

#: long enough to notice and change one's mind, even slowly
UNDO_SECONDS = 30


class UndoBar(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Notice")
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 8, 10, 8)
        self.text = label("")
        self.text.setAccessibleName(_("What just happened"))
        row.addWidget(self.text, 1)
        self.undo_button = QPushButton(icon("mdi6.undo"), _("Undo"))
        self.undo_button.setAccessibleName(_("Undo"))
        self.undo_button.clicked.connect(self._undo)
        row.addWidget(self.undo_button)
        self.close_button = QPushButton(icon("mdi6.close"), "")
        self.close_button.setAccessibleName(_("Dismiss"))
        self.close_button.setToolTip(_("Dismiss"))
        self.close_button.clicked.connect(self.dismiss)
        row.addWidget(self.close_button)
        self._action: Callable[[], object] | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(UNDO_SECONDS * 1000)
        self.timer.timeout.connect(self.dismiss)
        self.hide()

    def offer(self, message: str, undo: Callable[[], object] | None) -> None:
        self.text.setText(message)
        self._action = undo
        self.undo_button.setVisible(undo is not None)
        self.show()
        self.timer.start()

    def _undo(self) -> None:
        action, self._action = self._action, None
        self.hide()
        if action is not None:
            action()

    def dismiss(self) -> None:
        self._action = None
        self.timer.stop()
        self.hide()
