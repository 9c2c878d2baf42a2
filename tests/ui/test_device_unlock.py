"""'Unlock without the passphrase on this computer', through the UI, with a trusted keyring.

The in-memory backend stands in for the OS keyring in the plain run; the test marked
``keyring`` repeats the walk against a real Secret Service (tools/with-keyring.sh).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from companion.core.session import OpenDiary
from companion.storage import keychain
from companion.storage.vault import read_info
from companion.ui.pages import AppContext
from companion.ui.settings.page import SettingsPage
from companion.ui.unlock.setup import SetupWindow
from companion.ui.unlock.unlock import UnlockWindow

from .conftest import PASS, wait_for_tasks


def setup_with_remember(qtbot: QtBot, vault_path: Path) -> OpenDiary:
    window = SetupWindow(vault_path)
    qtbot.addWidget(window)
    window.show()
    created: list[object] = []
    window.created.connect(created.append)
    qtbot.mouseClick(window.begin_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(window.pass1.edit, PASS)
    qtbot.keyClicks(window.pass2.edit, PASS)
    qtbot.mouseClick(window.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentIndex() == 2, timeout=10_000)
    window.recovery.stored.setChecked(True)
    qtbot.mouseClick(window.recovery_continue, Qt.MouseButton.LeftButton)
    wait_for_tasks(qtbot)
    assert window.remember.isEnabled(), window.keyring_status.text()
    window.remember.setChecked(True)
    qtbot.mouseClick(window.finish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(created), timeout=10_000)
    diary = created[0]
    assert isinstance(diary, OpenDiary)
    return diary


def walk(qtbot: QtBot, vault_path: Path, context: AppContext) -> None:
    diary = setup_with_remember(qtbot, vault_path)
    info = read_info(vault_path)
    assert info.has_device
    assert keychain.load_device_secret(info.file_id) is not None
    diary.lock()

    window = UnlockWindow(vault_path, try_device=True)
    qtbot.addWidget(window)
    got: list[object] = []
    window.unlocked.connect(lambda d, _r: got.append(d))
    window.show()
    qtbot.waitUntil(lambda: bool(got), timeout=10_000)
    diary = got[0]
    assert isinstance(diary, OpenDiary)

    page = SettingsPage(diary, context)
    qtbot.addWidget(page)
    wait_for_tasks(qtbot)
    assert page.remember.isChecked()
    page.remember.setChecked(False)
    wait_for_tasks(qtbot)
    assert not read_info(vault_path).has_device
    assert keychain.load_device_secret(info.file_id) is None
    assert "always ask for the passphrase" in page.security_status.text()
    diary.lock()


def test_remember_on_this_computer_with_a_trusted_keyring(
    qtbot: QtBot, vault_path: Path, context: AppContext, in_memory_keyring: object
) -> None:
    walk(qtbot, vault_path, context)


def test_a_missing_keyring_item_falls_back_to_the_passphrase(
    qtbot: QtBot, vault_path: Path, in_memory_keyring: object
) -> None:
    diary = setup_with_remember(qtbot, vault_path)
    diary.lock()
    in_memory_keyring.items.clear()  # type: ignore[attr-defined]
    window = UnlockWindow(vault_path, try_device=True)
    qtbot.addWidget(window)
    window.show()
    wait_for_tasks(qtbot)
    qtbot.waitUntil(lambda: "passphrase" in window.error.text(), timeout=5000)
    assert window.secret.edit.isEnabled()


@pytest.mark.keyring
@pytest.mark.skipif(
    not os.environ.get("DBUS_SESSION_BUS_ADDRESS"),
    reason="needs a D-Bus session with gnome-keyring: run through tools/with-keyring.sh",
)
def test_remember_on_this_computer_with_the_real_secret_service(
    qtbot: QtBot, vault_path: Path, context: AppContext
) -> None:
    usable, reason = keychain.availability()
    assert usable, reason
    walk(qtbot, vault_path, context)
