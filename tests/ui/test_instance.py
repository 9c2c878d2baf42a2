"""The raise-window socket: in a folder only this user can enter, gone on every exit, and a
stale one (a crash's, or planted) neither delays nor confuses the next start."""

from __future__ import annotations

import os
import socket
import stat
import sys
import tempfile
from pathlib import Path

import pytest
from PySide6.QtNetwork import QLocalSocket
from pytestqt.qtbot import QtBot

from companion.storage.lock import InstanceLock
from companion.ui import instance
from companion.ui.app import EXIT_IN_USE, AppController

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="Unix sockets")


def _listening(qtbot: QtBot, controller: AppController) -> Path:
    qtbot.waitUntil(lambda: controller.server is not None)
    assert controller.server is not None
    return Path(controller.server.fullServerName())


def _plant_stale_socket(address: str) -> None:
    """What a killed app leaves: a socket file that nobody listens on any more."""
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(address)
    stale.close()
    assert stat.S_ISSOCK(os.lstat(address).st_mode)


def test_the_socket_is_private_and_removed_when_the_app_quits(qtbot: QtBot, data_dir: Path) -> None:
    controller = AppController(data_dir)
    assert controller.start() is None
    try:
        path = _listening(qtbot, controller)
        runtime = Path(os.environ["XDG_RUNTIME_DIR"]) / "companion"
        assert path.parent == runtime
        assert stat.S_IMODE(runtime.stat().st_mode) == 0o700
        assert stat.S_ISSOCK(path.lstat().st_mode)
        assert str(data_dir) not in path.name  # a hash, no path in clear
        assert path.parent != Path(tempfile.gettempdir())  # never the shared temp folder
    finally:
        controller.shutdown()
    assert not path.exists()


def test_a_second_start_raises_the_first_window(qtbot: QtBot, data_dir: Path) -> None:
    first = AppController(data_dir)
    assert first.start() is None
    try:
        _listening(qtbot, first)
        first.window.hide()  # type: ignore[union-attr]
        second = AppController(data_dir)
        assert second.start() == EXIT_IN_USE
        qtbot.waitUntil(lambda: first.window is not None and first.window.isVisible())
    finally:
        first.shutdown()


def test_a_stale_socket_neither_delays_nor_confuses_the_next_start(
    qtbot: QtBot, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    probe = AppController(data_dir)
    address = instance.server_address(probe.vault_path)
    assert address is not None
    _plant_stale_socket(address)

    # Another process holds the diary but its socket is gone: the start is refused at once
    # (the connection is refused, it does not wait for a time-out) and claims nothing.
    holder = InstanceLock(probe.vault_path)
    holder.acquire()
    try:
        attempt = QLocalSocket()
        attempt.connectToServer(address)
        assert not attempt.waitForConnected(5_000)
        assert attempt.error() == QLocalSocket.LocalSocketError.ConnectionRefusedError
        assert AppController(data_dir).start() == EXIT_IN_USE
        message = capsys.readouterr().err
        assert "already open" in message and "brought to the front" not in message
    finally:
        holder.release()

    # The next real start replaces the stale socket and can be reached through it.
    controller = AppController(data_dir)
    assert controller.start() is None
    try:
        assert _listening(qtbot, controller) == Path(address)
        assert instance.ask_running_instance_to_show(controller.vault_path)
    finally:
        controller.shutdown()
    assert not os.path.exists(address)


def test_whatever_was_planted_at_the_address_is_replaced_not_followed(
    qtbot: QtBot, data_dir: Path, tmp_path: Path
) -> None:
    controller = AppController(data_dir)
    address = instance.server_address(controller.vault_path)
    assert address is not None
    target = tmp_path / "elsewhere"
    target.write_text("keep me")
    os.symlink(target, address)
    assert controller.start() is None
    try:
        assert stat.S_ISSOCK(_listening(qtbot, controller).lstat().st_mode)
    finally:
        controller.shutdown()
    assert target.read_text() == "keep me"
    assert not os.path.lexists(address)


def test_the_runtime_folder_is_tightened_and_a_shared_one_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    (runtime / "companion").mkdir(mode=0o755)
    os.chmod(runtime / "companion", 0o755)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    assert instance.runtime_dir() == runtime / "companion"
    assert stat.S_IMODE((runtime / "companion").stat().st_mode) == 0o700

    # A runtime folder others can enter is not what the XDG spec promises: not used.
    os.chmod(runtime, 0o777)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    chosen = instance.runtime_dir()
    assert chosen is not None and chosen.is_relative_to(tmp_path / "cache")
    assert stat.S_IMODE(chosen.stat().st_mode) == 0o700

    monkeypatch.setenv("XDG_RUNTIME_DIR", "relative/path")
    assert instance.runtime_dir() == chosen


def test_an_address_too_long_for_a_socket_means_no_channel_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deep = tmp_path / ("d" * 120)
    deep.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(deep))
    assert instance.server_address(tmp_path / "vault.companion") is None
    assert not instance.ask_running_instance_to_show(tmp_path / "vault.companion")
