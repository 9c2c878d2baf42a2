"""A real Companion process, driven the way a person would use it (for test_stop_signals.py).

    python tests/ui/app_child.py DATA_DIR MODE

It starts the app through the real entry point (``companion.cli.main``), types the passphrase
into the unlock window, starts a check-in on Today (a mood and a note, not saved), then prints
``READY <socket path>`` and, in MODE ``close``, closes the main window as a person clicking its
close button would. In MODE ``wait`` it waits for the test to send a signal. MODE ``saving``
is ``wait`` with the check-in saved and a setting changed after it, while the diary's writer
is held inside its first write until the window starts to lock: the stop must wait for that
write and write the setting after it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from companion import paths
from companion.ui import instance
from companion.ui.app import make_app

PASS = "violet tractor marmalade"
SAVING_MINUTES = 23
NOTE = "Zq7canaryXv9 typed, not saved"
MOOD_BUTTON = 7


class Driver:
    def __init__(self, data_dir: Path, mode: str) -> None:
        self.vault_path = paths.vault_path(data_dir)
        self.mode = mode
        self.step = self.unlock
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(lambda: self.step())
        self.timer.start()

    @staticmethod
    def visible(class_name: str) -> object | None:
        for widget in QApplication.topLevelWidgets():
            if type(widget).__name__ == class_name and widget.isVisible():
                return widget
        return None

    def unlock(self) -> None:
        window = self.visible("UnlockWindow")
        if window is None or not window.secret.edit.isEnabled():  # type: ignore[attr-defined]
            return
        QTest.keyClicks(window.secret.edit, PASS)  # type: ignore[attr-defined]
        QTest.keyClick(window.secret.edit, Qt.Key.Key_Return)  # type: ignore[attr-defined]
        self.step = self.check_in

    def check_in(self) -> None:
        main = self.visible("MainWindow")
        if main is None:
            return
        today = main._built.get("today")  # type: ignore[attr-defined]
        cards = [c for c in getattr(today, "feature_cards", []) if hasattr(c, "form")]
        if not cards:
            return
        form = cards[0].form
        QTest.mouseClick(form.mood.buttons[MOOD_BUTTON], Qt.MouseButton.LeftButton)
        QTest.mouseClick(form.more_button, Qt.MouseButton.LeftButton)
        form.note.setFocus()
        QTest.keyClicks(form.note, NOTE)
        self.main = main
        if self.mode == "saving":
            self.save_behind(main, form)
        self.step = self.ready

    @staticmethod
    def save_behind(main: object, form: object) -> None:
        import threading

        from companion.core.settings import AUTO_LOCK_MINUTES, SettingsService
        from companion.storage import vault

        release = threading.Event()
        entered = threading.Event()
        real_write, real_lock = vault._write_temp, type(main).lock

        def held_write(*args: object, **kwargs: object) -> object:
            entered.set()
            release.wait(30)
            return real_write(*args, **kwargs)  # type: ignore[arg-type]

        def lock(window: object) -> None:
            release.set()  # the stop has begun: let the write go on (lock must wait for it)
            real_lock(window)  # type: ignore[arg-type]

        vault._write_temp = held_write  # type: ignore[assignment]
        type(main).lock = lock  # type: ignore[method-assign]
        form.save()  # type: ignore[attr-defined]
        entered.wait(30)
        diary = main.diary  # type: ignore[attr-defined]
        diary.service(SettingsService).set(AUTO_LOCK_MINUTES, SAVING_MINUTES)

    def ready(self) -> None:
        address = instance.server_address(self.vault_path)
        if address is None or not os.path.exists(address):
            return  # the raise-window socket is opened just after the first window
        self.timer.stop()
        print("READY", address, flush=True)
        if self.mode == "close":
            self.main.close()


def main() -> int:
    data_dir, mode = Path(sys.argv[1]), sys.argv[2]
    make_app()
    driver = Driver(data_dir, mode)
    from companion.cli import main as companion

    code = companion(["--data-dir", str(data_dir)])
    del driver
    print("EXIT", code, flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
