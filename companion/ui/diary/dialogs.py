"""The check-in form in a window: Ctrl+N from anywhere, and editing from the history."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QScrollArea, QVBoxLayout, QWidget

from companion.core.mood import Entry, MoodService
from companion.ui.diary.checkin_form import CheckInForm
from companion.ui.widgets.common import title


class CheckInDialog(QDialog):
    def __init__(
        self, service: MoodService, parent: QWidget | None = None, entry: Entry | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit check-in" if entry else "New check-in")
        self.setModal(True)
        self.resize(720, 640 if entry else 300)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(title("Edit check-in" if entry else "New check-in"))
        self.form = CheckInForm(service)
        self.form.setAutoFillBackground(False)
        scroller = QScrollArea()
        scroller.setWidgetResizable(True)
        scroller.setWidget(self.form)
        layout.addWidget(scroller, 1)
        if entry is not None:
            self.form.load_entry(entry)
        else:
            self.form.cancel_button.setText("Close")
            self.form.cancel_button.setAccessibleName("Close without saving")
            self.form.cancel_button.show()
        self.form.more_button.toggled.connect(self._grow)
        self.form.saved.connect(lambda _e: self.accept())
        self.form.cancelled.connect(self.reject)
        self.form.mood.setFocus()

    def _grow(self, expanded: bool) -> None:
        if expanded and self.height() < 600:
            self.resize(self.width(), 640)
