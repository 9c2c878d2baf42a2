"""Fixtures for widget tests: a real diary in a temporary folder, a context, a main window."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication

from companion import paths
from companion.core.device_settings import DeviceSettings
from companion.core.session import OpenDiary
from companion.ui import tasks, theme
from companion.ui.pages import AppContext

PASS = "violet tractor marmalade"


@pytest.fixture
def in_memory_keyring() -> Iterator[object]:
    import keyring
    from keyring.backend import KeyringBackend

    class Memory(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def __init__(self) -> None:
            super().__init__()
            self.items: dict[tuple[str, str], str] = {}

        def set_password(self, service: str, username: str, password: str) -> None:
            self.items[(service, username)] = password

        def get_password(self, service: str, username: str) -> str | None:
            return self.items.get((service, username))

        def delete_password(self, service: str, username: str) -> None:
            self.items.pop((service, username), None)

    from companion.storage import keychain

    previous = keyring.get_keyring()
    backend = Memory()
    keyring.set_keyring(backend)
    with keychain.test_trusted_backend(Memory):
        yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def vault_path(data_dir: Path) -> Path:
    return paths.vault_path(data_dir)


@pytest.fixture
def diary(vault_path: Path) -> Iterator[OpenDiary]:
    d, _key = OpenDiary.create(vault_path, PASS)
    yield d
    with contextlib.suppress(Exception):  # already closed by the test
        d.close()


@pytest.fixture
def context(data_dir: Path, qapp: QApplication) -> AppContext:
    theme.apply(qapp, DeviceSettings(theme="light"))
    return AppContext(data_dir=data_dir, device=DeviceSettings(theme="light"))


def wait_for_tasks(qtbot: object) -> None:
    """Let worker tasks finish and deliver their results on the GUI thread."""
    QThreadPool.globalInstance().waitForDone(10_000)
    qtbot.waitUntil(lambda: tasks.running() == 0, timeout=10_000)  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _no_widget_outlives_its_test(qapp: QApplication) -> Iterator[None]:
    """Close and delete every window a test leaves behind, so later tests stay fast (a theme
    change restyles every living widget) and no timer of an old window fires into a new test."""
    yield
    from PySide6.QtCore import QCoreApplication, QEvent

    QThreadPool.globalInstance().waitForDone(10_000)
    QCoreApplication.processEvents()
    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
