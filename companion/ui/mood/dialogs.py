"""The check-in form in a window: Ctrl+N from anywhere, and editing from the history."""

from __future__ import annotations

from typing import TypeGuard

import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QDialog, QScrollArea, QVBoxLayout, QWidget

from companion.core.mood.service import Entry, MoodService
from companion.i18n import _
from companion.ui import app_input, build_ahead
from companion.ui.changes import Change
from companion.ui.help_access import HelpfulDialog
from companion.ui.mood.checkin_form import CheckInForm
from companion.ui.pages import AppContext, in_locked_page
from companion.ui.timers import after, in_steps, under_way
from companion.ui.widgets.common import scroll_area, title

#: a spare new check-in window is made this long after a Ctrl+N key is installed, or after the
#: window it opened has closed, in a turn when nothing else is under way
SPARE_AFTER_MS = 50
#: and tried again this often while something else is under way
SPARE_RETRY_MS = 100


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
        *,
        placed: bool = True,
    ) -> None:
        """``placed=False``: the form is made, but put in its place (and set up) only by
        :meth:`place_form`, in a later turn (a spare made ahead: see ``NewCheckInKey``)."""
        super().__init__(parent)
        heading = _("Edit check-in") if entry else _("New check-in")
        self.setWindowTitle(heading)
        self.setModal(True)
        self.resize(720, 640 if entry else 300)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(14)
        layout.addWidget(title(heading))
        # from the outside in: the form is made inside its place (the scroll area's viewport),
        # not made alone and then moved into the window (each of its widgets styled again)
        scroller = scroll_area()
        scroller.setWidgetResizable(True)
        scroller.setAccessibleName(heading)
        layout.addWidget(scroller, 1)
        self.form = CheckInForm(service, context, scroller.viewport())
        self.form.setAutoFillBackground(False)
        self._scroller: QScrollArea | None = scroller
        self._entry = entry
        #: made ahead, hidden, for the next Ctrl+N (not opened yet)
        self.spare = False
        if entry is None:
            # (an edit reads its tags and trackers as it opens, and is modal meanwhile)
            context.changes.listen("mood", self._mood_changed, receiver=self)
        if placed:
            self.place_form()

    def place_form(self) -> None:
        """The form in its scroll area (its labels measured for their widths there) and set
        up as a new check-in or an edit: done once, at once unless the window was made with
        ``placed=False``."""
        scroller, self._scroller = self._scroller, None
        if scroller is None:
            return
        entry = self._entry
        scroller.setWidget(self.form)
        if entry is not None:
            self.form.load_entry(entry)
        else:
            self.form.cancel_button.setText(_("Close"))
            self.form.cancel_button.setAccessibleName(_("Close without saving"))
            self.form.cancel_button.show()
        self.form.more_button.toggled.connect(self._grow)
        self.form.closes_on_save = True
        self.form.saved.connect(lambda _e: self.accept())
        self.form.cancelled.connect(self.reject)
        self.form.mood.setFocus()

    @property
    def placed(self) -> bool:
        """The form is in its place and set up (:meth:`place_form` has run)."""
        return self._scroller is None

    def _mood_changed(self, change: Change) -> None:
        if change.what != "entries":  # (a check-in changes no tag or tracker)
            self.form.options_changed()

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
    Diary page never open two windows. Each window deletes itself when it closes.

    The window Ctrl+N opens is made ahead, hidden, in a quiet turn (just after the key is
    installed or the last one closed, once nothing else is under way; one spare per main
    window, whichever key made it): Ctrl+N then only shows it, whole, in about a third of the
    time making one takes (~8 ms of the GUI thread on this VM). A spare is an empty new
    check-in whose time follows the clock. The inputs behind its "More…" are made ahead too,
    a part per turn, only while the person is still (``build_ahead.keep_ready``): made in the
    turn of the click they were a 41-66 ms freeze at ten years; made in the turns right after a
    window closed, they stood in the way of the next Ctrl+N. Tags and trackers changed since
    are read again as "More…" opens (``CheckInForm.options_changed``)."""

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
        after(key, SPARE_AFTER_MS, key._make_spare)
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
        dialog = self._take_spare() or self._new_dialog()
        self.dialog = dialog
        dialog.finished.connect(lambda _result: after(self, SPARE_AFTER_MS, self._make_spare))
        dialog.open()
        dialog.form.mood.setFocus()
        return dialog

    def _new_dialog(self, *, placed: bool = True) -> CheckInDialog:
        dialog = CheckInDialog(self.service, self.context, self.owner.window(), placed=placed)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        return dialog

    def _spare(self) -> CheckInDialog | None:
        """The main window's spare check-in window, if one was made for this diary."""
        window = self.owner.window()
        direct = Qt.FindChildOption.FindDirectChildrenOnly
        for dialog in window.findChildren(CheckInDialog, "", direct):
            if dialog.spare and dialog.form.service is self.service:
                return dialog
        return None

    def _take_spare(self) -> CheckInDialog | None:
        dialog = self._spare()
        if dialog is not None:
            dialog.spare = False
            dialog.place_form()  # (taken before its second turn: whole now)
        return dialog

    def _make_spare(self) -> None:
        """Make the next Ctrl+N's window now, hidden, unless the window is not on screen, a
        modal window is open (made when it closes), or other work is under way (a moment
        later, then)."""
        window = self.owner.window()
        if not window.isVisible() or in_locked_page(self.owner):
            return
        if QApplication.activeModalWidget() is not None or self._spare() is not None:
            return
        if under_way():
            after(self, SPARE_RETRY_MS, self._make_spare)
            return
        # in two turns: the window and its form, then the form put in its place (the form
        # measured in its scroll area, and set up); made in one turn, it held the window
        # 8-11 ms of GUI CPU, and 16-25 ms with a chart's repaint in the same turn
        dialog = self._new_dialog(placed=False)
        dialog.spare = True
        in_steps(dialog, [dialog.place_form], budget_ms=0)
        build_ahead.keep_ready(
            dialog, dialog.form.build_details_ahead(), "the check-in window's More…"
        )
