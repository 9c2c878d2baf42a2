"""The whole app flow through the controller, the single-instance rule, and the canary."""

from __future__ import annotations

import os
import secrets
import stat
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QTextEdit
from pytestqt.qtbot import QtBot

from companion import paths
from companion.core.models import Setting
from companion.storage.lock import InstanceLock
from companion.ui.app import AppController
from companion.ui.main_window import MainWindow
from companion.ui.unlock.setup import SetupWindow
from companion.ui.unlock.unlock import UnlockWindow

from .conftest import PASS, wait_for_tasks

MARKER = "Zq7canaryXv9 secret words"


def setup_through(qtbot: QtBot, controller: AppController) -> MainWindow:
    window = controller.window
    assert isinstance(window, SetupWindow)
    qtbot.mouseClick(window.begin_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(window.pass1.edit, PASS)
    qtbot.keyClicks(window.pass2.edit, PASS)
    qtbot.mouseClick(window.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: window.stack.currentIndex() == 2 or bool(window.pass_error.text()),
        timeout=10_000,
    )
    assert window.pass_error.text() == ""  # a failed create says why at once
    window.recovery.stored.setChecked(True)
    qtbot.mouseClick(window.recovery_continue, Qt.MouseButton.LeftButton)
    wait_for_tasks(qtbot)
    qtbot.mouseClick(window.finish_button, Qt.MouseButton.LeftButton)
    # the main window is built over the next few turns, then shown (``show_main``)
    qtbot.waitUntil(lambda: isinstance(controller.window, MainWindow), timeout=10_000)
    main = controller.window
    assert isinstance(main, MainWindow)
    qtbot.waitUntil(main.isActiveWindow)
    return main


def test_first_run_setup_lock_and_unlock_again(qtbot: QtBot, data_dir: Path) -> None:
    controller = AppController(data_dir)
    assert controller.start() is None
    try:
        main = setup_through(qtbot, controller)
        qtbot.keyPress(main, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
        unlock = controller.window
        assert isinstance(unlock, UnlockWindow)
        qtbot.keyClicks(unlock.secret.edit, PASS)
        qtbot.keyClick(unlock.secret.edit, Qt.Key.Key_Return)
        wait_for_tasks(qtbot)
        assert isinstance(controller.window, MainWindow)
    finally:
        controller.shutdown()


def _digit_and_enter(qtbot: QtBot, digit: str) -> None:
    """What the README promises: a digit and Enter, typed wherever the focus is."""
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, digit)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)


def test_a_digit_and_enter_save_a_mood_right_after_setup_and_unlock(
    qtbot: QtBot, data_dir: Path
) -> None:
    from companion.core.mood.service import MoodService

    controller = AppController(data_dir)
    assert controller.start() is None
    try:
        main = setup_through(qtbot, controller)
        card = main.page("today").feature_cards[0]  # type: ignore[attr-defined]
        assert QApplication.focusWidget() is card.form.mood
        _digit_and_enter(qtbot, "6")
        mood = main.diary.service(MoodService)
        assert [e.mood for e in mood.entries()] == [6]
        qtbot.keyPress(main, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
        unlock = controller.window
        assert isinstance(unlock, UnlockWindow)
        qtbot.keyClicks(unlock.secret.edit, PASS)
        qtbot.keyClick(unlock.secret.edit, Qt.Key.Key_Return)
        wait_for_tasks(qtbot)
        main = controller.window
        assert isinstance(main, MainWindow)
        qtbot.waitUntil(main.isActiveWindow)
        _digit_and_enter(qtbot, "3")
        assert [e.mood for e in main.diary.service(MoodService).entries()] == [6, 3]
    finally:
        controller.shutdown()


def test_second_instance_is_refused_while_the_first_holds_the_lock(
    qtbot: QtBot, data_dir: Path, capsys: object
) -> None:
    first = AppController(data_dir)
    assert first.start() is None
    try:
        second = AppController(data_dir)
        assert second.start() == 5
    finally:
        first.shutdown()
    third = AppController(data_dir)
    assert third.start() is None
    third.shutdown()


def test_the_lock_is_held_from_the_unlock_window_on(qtbot: QtBot, data_dir: Path) -> None:
    controller = AppController(data_dir)
    controller.start()
    try:
        other = InstanceLock(controller.vault_path)
        try:
            other.acquire()
        except Exception as exc:
            assert "already open" in str(exc)
        else:  # pragma: no cover - would be a bug
            other.release()
            raise AssertionError("a second lock was granted")
    finally:
        controller.shutdown()


def _files_with(marker: bytes, roots: list[Path], since: float) -> list[str]:
    needles = (marker, marker.decode().encode("utf-16-le"))
    hits = []
    for root in roots:
        # os.walk, not rglob: the shared temp folder changes under us (other processes create
        # and remove their folders), and a folder that vanishes mid-walk is simply skipped.
        for folder, _dirs, files in os.walk(root):
            for name in files:
                path = Path(folder, name)
                try:
                    st = path.lstat()
                    if not stat.S_ISREG(st.st_mode) or st.st_mtime < since - 1:
                        continue
                    if st.st_size > 50_000_000:
                        continue
                    data = path.read_bytes()
                except OSError:
                    continue
                if any(n in data for n in needles):
                    hits.append(str(path))
    return hits


def test_canary_typed_everywhere_is_nowhere_on_disk(qtbot: QtBot, data_dir: Path) -> None:
    start = time.time()
    controller = AppController(data_dir)
    controller.start()
    try:
        main = setup_through(qtbot, controller)
        typed = 0
        for page in main.pages.values():
            main.open_page(page.page_id)
            for edit in (
                page.findChildren(QLineEdit)
                + page.findChildren(QPlainTextEdit)
                + page.findChildren(QTextEdit)
            ):
                if edit.isVisible() and edit.isEnabled() and not edit.isReadOnly():
                    edit.setFocus()
                    qtbot.keyClicks(edit, MARKER)
                    typed += 1
        # and into the diary itself, the way every feature stores words
        with main.diary.db.session() as session:
            session.add(Setting(key="canary", value=MARKER))
        qtbot.keyPress(main, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    finally:
        controller.shutdown()
    roots = [data_dir, Path(tempfile.gettempdir())]
    assert _files_with(MARKER.encode(), roots, start) == []
    assert typed >= 0


def _temp_name(base: str = "vault.companion") -> str:
    return f".{base}.{secrets.token_hex(8)}.tmp"


def test_crashed_saves_leftovers_are_removed_before_the_first_window(
    qtbot: QtBot, data_dir: Path
) -> None:
    backups = paths.backup_dir(data_dir)
    backups.mkdir(mode=0o700)
    leftovers = [data_dir / _temp_name(), backups / _temp_name("vault.session")]
    for path in leftovers:
        path.write_bytes(b"ciphertext")
    controller = AppController(data_dir)
    try:
        assert controller.start() is None
        assert [p.exists() for p in leftovers] == [False, False]  # no event loop needed
    finally:
        controller.shutdown()


def test_a_save_under_way_just_after_start_is_left_alone(qtbot: QtBot, data_dir: Path) -> None:
    """The cause of the "Create my diary" failures: the clean-up used to run 50 ms after the
    first window, and deleted the temp file of a create that had just started."""
    controller = AppController(data_dir)
    try:
        assert controller.start() is None
        in_flight = data_dir / _temp_name()
        in_flight.write_bytes(b"a save being written")
        qtbot.waitUntil(lambda: controller.server is not None)  # the after-first-window step
        assert in_flight.exists()
        in_flight.unlink()
    finally:
        controller.shutdown()
