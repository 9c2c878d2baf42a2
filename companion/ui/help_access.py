"""'Get help now' from anywhere: F1 in every window and dialog, and a help button in every dialog.

Two pieces, one mechanism:

- :func:`install_help_key` makes F1 a key of every window (``ui/app_input.py``: a QShortcut on
  each top-level window as it is first shown or takes the focus; the first window or dialog
  that needs it installs it, later calls do nothing). F1 pressed in any window, including a
  modal dialog, a message box or a file chooser, opens the help window; in the help window
  itself it does nothing.
- :class:`HelpfulDialog` is the base of every Companion dialog. The first time it is shown it
  puts a "Get help now" button at its top right (in the same place as on the setup and unlock
  windows), so help is visible, not only a key away, while someone is writing a check-in note.

The help window opens above a modal dialog (see :func:`companion.ui.help.open_help`), and it
finds the person's country and, when unlocked, their safety plan through the window it was
opened from.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, QSize, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QApplication, QBoxLayout, QDialog, QHBoxLayout, QWidget

from companion.ui import app_input
from companion.ui.widgets.common import help_now_button, scroll_area, tab_order_as_laid_out

if TYPE_CHECKING:
    from companion.ui.help import HelpDialog

_KEY_NAME = "companion-help-key"


def _context_of(widget: QWidget | None) -> object | None:
    """The AppContext of the window a widget belongs to (None before any exists)."""
    from companion.ui.pages import AppContext

    owner = widget
    while owner is not None:
        context = getattr(owner, "context", None)
        if isinstance(context, AppContext):
            return context
        owner = owner.parentWidget()
    app = QApplication.instance()
    if isinstance(app, QApplication):
        for top in app.topLevelWidgets():
            context = getattr(top, "context", None)
            if isinstance(context, AppContext) and top.isVisible():
                return context
    return None


def open_help_from(widget: QWidget | None) -> HelpDialog:
    """Open (or raise) the help window for the window ``widget`` is in."""
    from companion.ui.help import HelpDialog, open_help
    from companion.ui.pages import AppContext

    context = _context_of(widget)
    dialog = context.open_help(widget) if isinstance(context, AppContext) else open_help(widget)
    assert isinstance(dialog, HelpDialog)
    return dialog


HELP_KEY = "F1"


def _not_help(window: QWidget) -> bool:
    """Every window but the help window itself takes F1 (no help window exists before its
    module is imported, so the import is not made for the question)."""
    help_module = sys.modules.get("companion.ui.help")
    return help_module is None or not isinstance(window, help_module.HelpDialog)


def _help_key(window: QWidget) -> bool:
    if not _not_help(window):
        return False
    open_help_from(window)
    return True


def install_help_key() -> None:
    """Make F1 open help in every window; safe to call any number of times."""
    app = QApplication.instance()
    if app is None:
        return
    for child in app.findChildren(QObject, _KEY_NAME):
        if shiboken6.isValid(child):
            return
    owner = QObject(app)  # F1 lives as long as the application
    owner.setObjectName(_KEY_NAME)
    app_input.add_key(owner, HELP_KEY, _help_key, where=_not_help)


class _WholeHeight(QWidget):
    """A dialog's contents in its scroll area: never squeezed below the height they ask for
    (a form's smallest height can be less than its rows need)."""

    def minimumSizeHint(self) -> QSize:
        least = super().minimumSizeHint()
        return QSize(least.width(), max(least.height(), self.sizeHint().height()))


class HelpfulDialog(QDialog):
    """A dialog with 'Get help now' at its top right and F1 working inside it.

    Subclasses build their layout as usual (a box layout); the help row is added above it
    when the dialog is first shown.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        install_help_key()
        self.help_button = help_now_button()
        self.help_button.setParent(self)
        self.help_button.clicked.connect(lambda: open_help_from(self))
        self._help_placed = False

    def showEvent(self, event: QShowEvent) -> None:
        if not self._help_placed:
            self._place_help_button()
        super().showEvent(event)
        app_input.watch(self)  # F1, and its input keeps the diary unlocked

    def _scroll_when_taller_than_the_screen(self) -> None:
        """Large text on a small screen: a dialog whose words, wrapped to the width the screen
        allows, need more height than the screen has would squeeze its rows over each other.
        Then its contents go into a scroll area (the dialog as tall as the screen allows), so
        everything stays whole and reads top to bottom. (A dialog that fits is made as tall as
        its wrapped lines need: Qt sizes a new window without them.)"""
        layout = self.layout()
        screen = self.screen()
        if layout is None or screen is None:
            return
        room = screen.availableGeometry()
        width = min(self.width(), room.width() * 9 // 10)  # as Qt sized it for this screen
        needs = (
            layout.totalHeightForWidth(width)
            if layout.hasHeightForWidth()
            else layout.totalSizeHint().height()
        )
        most = room.height() * 9 // 10
        if needs <= most:
            if self.height() < needs:  # wrapped lines need more height than Qt first gave
                self.resize(self.width(), needs)
            return
        from PySide6.QtWidgets import QVBoxLayout

        contents = _WholeHeight()
        contents.setLayout(layout)  # takes the layout and its widgets from the dialog
        scroller = scroll_area()
        scroller.setObjectName("DialogScroller")
        scroller.setWidgetResizable(True)
        scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroller.setAccessibleName(self.windowTitle())
        scroller.setWidget(contents)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroller)
        outer.activate()  # the dialog's smallest size is now the scroll area's
        width = min(max(width, contents.minimumSizeHint().width()), room.width() * 9 // 10)
        self.resize(width + scroller.verticalScrollBar().sizeHint().width(), most)

    def _place_help_button(self) -> None:
        self._help_placed = True
        layout = self.layout()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addStretch(1)
        row.addWidget(self.help_button)
        if isinstance(layout, QBoxLayout):
            layout.insertLayout(0, row)
        elif layout is None:
            self.setLayout(row)
        self.help_button.show()
        self._scroll_when_taller_than_the_screen()
        tab_order_as_laid_out(self)  # help first, then the dialog as it reads
        # Companion's dialogs all use box layouts; the dialog test checks every one of them
        # shows the button.
