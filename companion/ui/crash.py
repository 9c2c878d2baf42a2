"""The GUI's last line of defence: an unexpected error shows a calm message, never its data.

Exceptions raised inside Qt slots and event handlers reach ``sys.excepthook``; Python's default
prints a traceback to stderr, which a desktop session usually writes to its log, and a traceback
can quote a stored value (a check-in note). This hook prints only the exception's type, and shows
one calm sentence in a message box. Nothing about the diary's content is shown or logged.
"""

from __future__ import annotations

import sys
import threading
from types import TracebackType
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

from companion.i18n import N_, _

CALM_MESSAGE = N_(
    "Something unexpected went wrong in Companion. What you had already saved is safe. If this "
    "part of the window looks wrong, lock the diary (Ctrl+L) and open it again."
)
TITLE = N_("Something went wrong")

#: the type names seen this session (for tests and support; never a message or a value)
seen: list[str] = []
_box: QMessageBox | None = None


def _show() -> None:
    global _box
    if _box is not None and shiboken6.isValid(_box) and _box.isVisible():
        return  # one box at a time, however many errors follow
    # (a box whose window was deleted since, at a lock, is gone with it: a new one)
    from PySide6.QtWidgets import QMessageBox  # installed at launch, needed only now

    parent = QApplication.activeWindow()
    _box = QMessageBox(QMessageBox.Icon.Warning, _(TITLE), _(CALM_MESSAGE), parent=parent)
    _box.setStandardButtons(QMessageBox.StandardButton.Ok)
    _box.open()


def handle(kind: type[BaseException], exc: BaseException | None, _tb: TracebackType | None) -> None:
    seen.append(kind.__name__)
    print(
        _("Companion: an unexpected {kind} was caught; no details kept.").format(
            kind=kind.__name__
        ),
        file=sys.stderr,
    )
    if QApplication.instance() is not None:
        QTimer.singleShot(0, _show)  # from any thread: shown on the GUI thread


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    handle(args.exc_type, args.exc_value, args.exc_traceback)


def install_excepthook() -> None:
    sys.excepthook = handle
    threading.excepthook = _thread_hook
