"""The check-in form in a window: Ctrl+N from anywhere, and editing from the history."""

from __future__ import annotations

from typing import TypeGuard

import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QDialog, QScrollArea, QVBoxLayout, QWidget

from companion.core.mood.service import Entry, MoodService
from companion.i18n import _
from companion.ui import app_input
from companion.ui.help_access import HelpfulDialog
from companion.ui.mood.checkin_form import CheckInForm
from companion.ui.pages import AppContext
from companion.ui.widgets.common import title


def alive(dialog: QWidget | None) -> TypeGuard[CheckInDialog]:
    """A check-in window that still exists (they delete themselves when closed)."""
    return isinstance(dialog, CheckInDialog) and shiboken6.isValid(dialog)


class CheckInDialog(HelpfulDialog):
    def __init__(
        self,
        service: MoodService,
        context: AppContext,
        parent: QWidget | None = None,
        entry: Entry | None = None,
    ) -> None:
        super().__init__(parent)
        heading = _("Edit check-in") if entry else _("New check-in")
        self.setWindowTitle(heading)
        self.setModal(True)
        self.resize(720, 640 if entry else 300)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(14)
        layout.addWidget(title(heading))
        self.form = CheckInForm(service, context)
        self.form.setAutoFillBackground(False)
        scroller = QScrollArea()
        scroller.setWidgetResizable(True)
        scroller.setAccessibleName(heading)
        scroller.setWidget(self.form)
        layout.addWidget(scroller, 1)
        if entry is not None:
            self.form.load_entry(entry)
        else:
            self.form.cancel_button.setText(_("Close"))
            self.form.cancel_button.setAccessibleName(_("Close without saving"))
            self.form.cancel_button.show()
        self.form.more_button.toggled.connect(self._grow)
        self.form.saved.connect(lambda _e: self.accept())
        self.form.cancelled.connect(self.reject)
        self.form.mood.setFocus()

    def _grow(self, expanded: bool) -> None:
        if expanded and self.height() < 600:
            self.resize(self.width(), 640)


NEW_CHECKIN_SHORTCUT = "Ctrl+N"


def _diary_window(window: QWidget) -> bool:
    """A window Ctrl+N may be pressed in: not a dialog nor a pop-up."""
    return not isinstance(window, QDialog) and window.windowType() != Qt.WindowType.Popup


class NewCheckInKey(QObject):
    """Ctrl+N in any window of the diary opens a new check-in, unless a modal window (an
    import, another check-in) is open. A key of ``ui/app_input.py`` (one QShortcut on the
    window, whatever page shows) rather than a QShortcut of the page or card, because a
    shortcut only fires while its widget is visible, and pages are often hidden (or not built
    yet). The latest one installed answers first and takes the key, so a Today card and a
    Diary page never open two windows. Each window deletes itself when it closes."""

    def __init__(self, owner: QWidget, service: MoodService, context: AppContext) -> None:
        super().__init__(owner)
        self.owner = owner
        self.service = service
        self.context = context
        self.dialog: CheckInDialog | None = None

    @classmethod
    def install(cls, owner: QWidget, service: MoodService, context: AppContext) -> NewCheckInKey:
        key = cls(owner, service, context)
        # forgotten when the owner (and key) goes
        app_input.add_key(key, NEW_CHECKIN_SHORTCUT, key.handle, where=_diary_window)
        return key

    def handle(self, window: QWidget) -> bool:
        if QApplication.activeModalWidget() is not None:
            return False
        if window is not self.owner.window():
            return False
        self.open_dialog()
        return True

    def open_dialog(self) -> CheckInDialog:
        if alive(self.dialog) and self.dialog.isVisible():
            self.dialog.raise_()
            self.dialog.activateWindow()
            return self.dialog
        self.dialog = CheckInDialog(self.service, self.context, self.owner.window())
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.open()
        self.dialog.form.mood.setFocus()
        return self.dialog
