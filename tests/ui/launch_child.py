"""A fresh Companion launch up to the unlock window, for test_launch.py (a process of its own:
the test process has long met every Qt type).

Prints what the first window has at its first paint, and again once the work that waits for
that paint is done."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import PySide6.QtCore
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget

#: made or imported on the GUI thread once the window is painted
LATER = ("companion.ui.tasks", "companion.ui.help_access", "companion.ui.tray")
#: imported once it is painted (the device-key check reads the file's header)
WORKER = ("companion.storage.vault", "cryptography", "hmac")


def qt_namespace() -> str:
    """Whether anything has used the ``Qt`` namespace yet (its first use builds all 93 of its
    enum types); asked before this file names it."""
    return "built" if "Qt" in vars(PySide6.QtCore) else "untouched"


def state(window: QWidget, modules: tuple[str, ...] = LATER) -> str:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QKeySequence, QShortcut

    labels = [w for w in window.findChildren(QLabel) if w.objectName() != "PageTitle"]
    selectable = sum(
        bool(w.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse)
        for w in labels
    )
    imported = ",".join(m for m in modules if m in sys.modules) or "none"
    f1 = any(s.key() == QKeySequence("F1") for s in window.findChildren(QShortcut))
    ring = bool(QApplication.instance().property("companion-focus-rings"))
    links = window.findChildren(QPushButton, "Link")  # "Use my recovery key instead"
    hand = bool(links) and all(
        w.cursor().shape() == Qt.CursorShape.PointingHandCursor for w in links
    )
    return f"f1-key={f1} ring={ring} hand={hand} selectable={selectable} imported={imported}"


def main(data_dir: Path) -> None:
    from companion.ui.app import AppController, make_app
    from companion.ui.timers import after

    app = make_app()
    controller = AppController(data_dir)

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                watched.removeEventFilter(self)
                namespace = qt_namespace()
                print("painted", state(watched, LATER + WORKER), flush=True)
                print("qt-namespace", namespace, flush=True)
                print("theme", QApplication.instance().property("companionTheme"), flush=True)
            return False

    watch = FirstPaint()
    replace = controller._replace_window

    def replace_and_watch(window: QWidget) -> None:
        window.installEventFilter(watch)
        replace(window)

    controller._replace_window = replace_and_watch  # type: ignore[method-assign]
    assert controller.start() is None
    window = controller.window
    assert window is not None

    def settled() -> None:
        from companion.ui import timers

        # the controller's work after the paint, and the window's own (one per turn)
        if not controller.settled or timers.turns_pending():
            QTimer.singleShot(20, settled)
            return
        after(window, 0, report)

    def report() -> None:
        from companion.ui.unlock import common as unlock_common

        # the unlock's warm-up starts 250 ms after the window is shown and imports the task
        # runner: on a busy machine it may have begun by now, which is no launch doing too much
        started = unlock_common._warmed
        print("settled", state(window, LATER[1:] if started else LATER), flush=True)
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        from companion.ui.help import HelpDialog

        QTest.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_F1)
        shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, HelpDialog)]
        print("f1", "help" if shown and shown[0].isVisible() else "nothing", flush=True)
        controller.shutdown()
        app.quit()

    QTimer.singleShot(0, settled)
    app.exec()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
