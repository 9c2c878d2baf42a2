"""The main window: pages, lock with Ctrl+L, auto-lock, and nothing left behind."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from companion.core.session import OpenDiary, ReadSnapshot
from companion.storage.errors import VaultError, VaultWriteError
from companion.ui.main_window import MainWindow
from companion.ui.mood.dialogs import CheckInDialog
from companion.ui.pages import AppContext

from .conftest import wait_for_tasks, wheel_event


@pytest.fixture
def window(qtbot: QtBot, diary: OpenDiary, context: AppContext) -> Iterator[MainWindow]:
    w = MainWindow(diary, context)
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qtbot.waitActive(w)
    yield w
    wait_for_tasks(qtbot)  # pages read in the background when first shown


def test_sidebar_lists_pages_and_switches(qtbot: QtBot, window: MainWindow) -> None:
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles[0] == "Today"
    assert "Settings" in titles
    window.nav.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page().page_id == window.page_ids[1]
    assert window.windowTitle() == "Companion"


def test_help_button_is_visible_on_every_page(window: MainWindow) -> None:
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        assert window.help_button.isVisible()
        assert window.help_button.text() == "Get help now"


def test_ctrl_l_locks_and_closes_the_diary(
    qtbot: QtBot, window: MainWindow, diary: OpenDiary
) -> None:
    with qtbot.waitSignal(window.locked, timeout=2000) as blocker:
        qtbot.keyPress(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert blocker.args == [False]
    with pytest.raises(VaultError):
        diary.vault.save(b"x")
    assert window.centralWidget() is None  # every page and its undo history are gone
    assert not window.isEnabled()


def test_auto_lock_after_idle(qtbot: QtBot, window: MainWindow) -> None:
    window.idle.timer.setInterval(80)
    window.idle.timer.start()
    with qtbot.waitSignal(window.locked, timeout=3000):
        pass


def _input_restarts(timer: QTimer, acts: list[Callable[[], object]]) -> None:
    """Each act (input as a platform delivers it: to the window first, then to the widget
    under it) starts the stopped auto-lock timer again."""
    for act in acts:
        timer.stop()
        act()
        assert timer.isActive(), act


def test_activity_postpones_auto_lock(qtbot: QtBot, window: MainWindow) -> None:
    handle = window.windowHandle()
    on_nav = window.nav.mapTo(window, window.nav.rect().center())
    _input_restarts(
        window.idle.timer,
        [
            lambda: QTest.keyClick(handle, Qt.Key.Key_Shift),
            lambda: QTest.mousePress(handle, Qt.MouseButton.LeftButton, pos=on_nav),
            lambda: QTest.mouseMove(handle, on_nav + QPoint(4, 4)),
            lambda: QApplication.sendEvent(handle, wheel_event(on_nav)),
        ],
    )
    QTest.mouseRelease(handle, Qt.MouseButton.LeftButton, pos=on_nav)


def test_typing_in_a_dialog_keeps_the_diary_unlocked(qtbot: QtBot, window: MainWindow) -> None:
    """A long check-in note written in the check-in window (modal: the main window gets no
    input meanwhile), or a message box answered, keeps the diary open."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, CheckInDialog)
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.form.set_expanded(True)
    dialog.form.note.setFocus()
    handle = dialog.windowHandle()
    inside = dialog.rect().center()
    _input_restarts(
        window.idle.timer,
        [
            lambda: QTest.keyClick(handle, Qt.Key.Key_A),
            lambda: QTest.mouseMove(handle, inside),
            lambda: QApplication.sendEvent(handle, wheel_event(inside)),
        ],
    )
    assert dialog.form.note.toPlainText() == "a"  # the key went on to the note
    dialog.reject()
    box = QMessageBox(QMessageBox.Icon.Question, "Companion", "Go on?", parent=window)
    box.open()
    qtbot.waitUntil(box.isActiveWindow)  # a window Qt made: watched once it has the focus
    _input_restarts(
        window.idle.timer, [lambda: QTest.keyClick(box.windowHandle(), Qt.Key.Key_Shift)]
    )
    box.reject()


def test_failed_save_on_lock_keeps_the_diary_open(
    qtbot: QtBot, window: MainWindow, diary: OpenDiary, monkeypatch: pytest.MonkeyPatch
) -> None:
    from companion.core.settings import AUTO_LOCK_MINUTES, SettingsService

    def full_disk(image: bytes) -> None:
        raise VaultWriteError()

    diary.db.set_saver(full_disk)
    # The save runs on the writer thread: the commit returns, the failure is told after it.
    SettingsService(diary.db).set(AUTO_LOCK_MINUTES, 11)
    qtbot.waitUntil(window.save_notice.isVisible)
    assert "could not save" in window.save_notice.text.text()
    window.save_notice.hide()
    locked: list[bool] = []
    window.locked.connect(locked.append)
    window.lock()  # tries again, on this thread, and fails again: the diary stays open
    assert locked == []
    assert window.save_notice.isVisible()
    assert "could not save" in window.save_notice.text.text()
    diary.db.set_saver(diary.vault.save)
    window.lock()
    assert locked == [False]
    again = OpenDiary.unlock(diary.vault.path, passphrase="violet tractor marmalade")
    assert SettingsService(again.db).get(AUTO_LOCK_MINUTES) == 11
    again.lock()


def test_closing_the_window_locks_and_quits(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.locked, timeout=2000) as blocker:
        window.close()
    assert blocker.args == [True]


def test_no_diary_words_in_the_title(window: MainWindow) -> None:
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        assert window.windowTitle() == "Companion"


def test_every_line_edit_has_an_accessible_name(window: MainWindow) -> None:
    for edit in window.findChildren(QLineEdit):
        if edit.isVisible() and edit.parent() is not None and not edit.isReadOnly():
            assert edit.accessibleName() or edit.parent().accessibleName()  # type: ignore[union-attr]


def test_vault_file_is_private(diary: OpenDiary, data_dir: Path) -> None:
    assert diary.vault.path.stat().st_mode & 0o777 == 0o600


def test_companion_links_route_to_pages(window: MainWindow) -> None:
    assert window.open_link("companion:tool/settings")
    assert window.current_page().page_id == "settings"
    assert not window.open_link("companion:tool/nowhere")
    assert window.current_page().page_id == "settings"
    assert not window.open_link("companion:unknown/thing")


def test_every_icon_name_used_exists() -> None:
    import re

    from companion.ui import icons

    root = Path(__file__).resolve().parents[2] / "companion"
    names = set()
    for path in root.rglob("*.py"):
        names.update(re.findall(r'"(mdi6\.[a-z0-9-]+)"', path.read_text(encoding="utf-8")))
    assert names
    for name in names:
        assert icons.codepoint(name) == icons._charmap()[name.removeprefix("mdi6.")]
    for key, code in icons.FIRST_WINDOW.items():  # the unlock window's, written down
        assert icons._charmap()[key] == code


@pytest.mark.skipif(
    not __import__("os").environ.get("DBUS_SESSION_BUS_ADDRESS"),
    reason="needs a D-Bus session bus: run through tools/with-keyring.sh",
)
def test_locks_when_the_screensaver_activates(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtDBus import QDBusConnection, QDBusMessage

    assert "org.freedesktop.ScreenSaver" in window.screen_lock.connected
    signal = QDBusMessage.createSignal(
        "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver", "ActiveChanged"
    )
    signal.setArguments([True])
    with qtbot.waitSignal(window.locked, timeout=3000):
        assert QDBusConnection.sessionBus().send(signal)


def test_pages_are_built_only_when_first_shown(window: MainWindow) -> None:
    assert list(window._built) == ["today"]
    window.open_page("settings")
    assert set(window._built) == {"today", "settings"}


def test_an_empty_icon_size_draws_nothing_and_warns_nothing(qapp: object) -> None:
    from PySide6.QtCore import QSize

    from companion.ui.widgets.common import icon

    assert icon("mdi6.lock-outline").pixmap(QSize(0, 0)).isNull()


def test_after_lock_no_background_task_holds_the_diary(
    qtbot: QtBot, window: MainWindow, diary: OpenDiary, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Background work reads private copies of the diary (plaintext): after lock no task, done
    or still running when the lock came, may keep one, nor the diary itself."""
    import gc
    import threading
    import traceback
    import weakref

    from PySide6.QtCore import QCoreApplication, QEvent

    from companion.ui import tasks

    copies: list[weakref.ref[object]] = []
    real = OpenDiary.read_snapshot

    by_medications: list[bool] = []

    def recorded(self: OpenDiary) -> object:
        snapshot = real(self)
        copies.append(weakref.ref(snapshot))
        by_medications.append(
            any("/ui/medications/" in frame.filename for frame in traceback.extract_stack())
        )
        return snapshot

    monkeypatch.setattr(OpenDiary, "read_snapshot", recorded)
    window.open_page("diary")
    tabs = window.current_page().tabs  # type: ignore[attr-defined]
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
    window.open_page("medications")
    wait_for_tasks(qtbot)
    # the page built once: one overview read (the Diary's tabs read in their own turns)
    assert by_medications.count(True) == 1
    # one more, still running when the diary locks (its result then has nowhere to go)
    gate = threading.Event()
    outcome: list[object] = []

    def reader(snapshot: ReadSnapshot) -> Callable[[], int]:
        def slow() -> int:
            gate.wait()
            with snapshot:
                size = len(snapshot.db.serialize())
            outcome.append("read" if size else "empty")  # (on the worker: a plain list)
            return size

        return slow

    tasks.run_task(
        reader(diary.read_snapshot()), outcome.append, outcome.append, owner=window.current_page()
    )
    try:
        assert len(copies) >= 2  # the medications overview's and this one (and any the Diary made)
        with qtbot.waitSignal(window.locked, timeout=5000):
            window.lock()
    finally:
        gate.set()  # even when an assertion failed: a worker left waiting hangs the exit
    wait_for_tasks(qtbot)
    assert outcome == ["read"]  # it ran on, but its owner was gone: nothing called back
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    assert [ref for ref in copies if ref() is not None] == []
    assert tasks.running() == 0
    left = [o for o in gc.get_objects() if type(o).__module__ == tasks.__name__]
    assert [type(o).__name__ for o in left if type(o).__name__ != "_Dispatcher"] == []
    assert not [r for r in gc.get_referrers(diary) if type(r).__module__ == tasks.__name__]


def test_a_check_in_is_snapshot_in_a_turn_after_its_click_and_a_lock_at_once_keeps_it(
    qtbot: QtBot, window: MainWindow, diary: OpenDiary, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The click that saves only commits: the image for the file is taken a moment later, in
    a turn of its own (not in the click's, where it cost as much as the commit), and a lock
    that comes before that turn writes the check-in itself."""
    from companion.core.mood.service import MoodService
    from companion.ui.mood.today_card import CheckInCard

    def on_disk() -> int:
        reader = OpenDiary.unlock(
            diary.vault.path, passphrase="violet tractor marmalade", read_only=True
        )
        try:
            return len(MoodService(reader.db).entries())
        finally:
            reader.close()

    today = window.page("today")
    qtbot.waitUntil(lambda: any(isinstance(c, CheckInCard) for c in today.feature_cards))
    card = next(c for c in today.feature_cards if isinstance(c, CheckInCard))
    taken: list[int] = []
    real = type(diary.db).serialize

    def serialize(db: object) -> bytes:
        taken.append(1)
        return real(db)  # type: ignore[arg-type]

    monkeypatch.setattr(type(diary.db), "serialize", serialize)
    qtbot.mouseClick(card.form.mood.buttons[6], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(card.form.save_button, Qt.MouseButton.LeftButton)
    assert len(MoodService(diary.db).entries()) == 1  # saved in memory by the click…
    assert taken == []  # …with no snapshot taken in its turn
    qtbot.waitUntil(lambda: taken != [])
    qtbot.waitUntil(lambda: not diary.db.writes_pending)
    assert on_disk() == 1
    qtbot.mouseClick(card.form.mood.buttons[3], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(card.form.save_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(window.locked, timeout=2000):
        window.lock()  # before the turn that would have taken its snapshot
    assert on_disk() == 2
