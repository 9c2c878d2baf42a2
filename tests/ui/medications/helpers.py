"""Driving modal dialogs the way a person would: open, fill in, press a button."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget


def with_modal(open_action: Callable[[], object], interact: Callable[[QDialog], None]) -> None:
    """Run ``open_action`` (which shows a modal dialog) and ``interact`` with that dialog.

    ``interact`` must close the dialog (a Save or Cancel click). If it raises, the dialog is
    closed and the error re-raised here, so a failing test never hangs.
    """
    errors: list[BaseException] = []
    seen: list[QDialog] = []

    def handle() -> None:
        widget: QWidget | None = QApplication.activeModalWidget()
        if not isinstance(widget, QDialog) or widget in seen:
            QTimer.singleShot(10, handle)
            return
        seen.append(widget)
        try:
            interact(widget)
        except BaseException as exc:  # re-raised below, after the dialog is closed
            errors.append(exc)
            widget.reject()

    QTimer.singleShot(0, handle)
    open_action()
    if errors:
        raise errors[0]
    assert seen, "no dialog was shown"


def hhmm(moment: datetime) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"
