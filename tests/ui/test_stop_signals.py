"""SIGTERM, SIGHUP and closing the window lock the diary first: a typed check-in is kept, the
raise-window socket is removed, and a hard crash leaves its stacks in a private file."""

from __future__ import annotations

import os
import selectors
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEventLoop, QTimer
from pytestqt.qtbot import QtBot

from companion import fault_log
from companion.core.mood.service import MoodService
from companion.core.session import OpenDiary
from companion.core.settings import AUTO_LOCK_MINUTES, SettingsService
from companion.ui.stop_signals import StopOnSignals

from . import app_child

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

CHILD = Path(app_child.__file__)
#: generous: a cold start on a loaded two-core machine; only reached when something is wrong
DEADLINE_S = 90


def test_a_signal_runs_the_stop_at_once_while_the_loop_is_idle(qtbot: QtBot) -> None:
    """The wake-up descriptor wakes Qt's loop: no Python code has to run for it to happen."""
    got: list[int] = []
    loop = QEventLoop()
    before = signal.getsignal(signal.SIGHUP)
    stopper = StopOnSignals(
        lambda signum: (got.append(signum), loop.quit()), signals=(signal.SIGHUP,)
    )
    fallback = QTimer()
    fallback.setSingleShot(True)
    fallback.timeout.connect(loop.quit)
    try:
        fallback.start(30_000)  # reached only if the signal never wakes the loop
        sender = threading.Thread(target=os.kill, args=(os.getpid(), signal.SIGHUP))
        sender.start()
        loop.exec()
        sender.join()
        assert got == [signal.SIGHUP]
        assert fallback.isActive()  # the stop, not the fallback, ended the wait
    finally:
        fallback.stop()
        stopper.uninstall()
        stopper.deleteLater()
    assert signal.getsignal(signal.SIGHUP) == before
    assert signal.set_wakeup_fd(-1) == -1  # handed back as found


def _read_line(proc: subprocess.Popen[str], deadline: float) -> str:
    """The child's next line; fails (and kills it) if none comes before the deadline."""
    assert proc.stdout is not None
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if sel.select(timeout=deadline - time.monotonic()):
                return proc.stdout.readline()
    proc.kill()
    proc.wait()
    raise AssertionError(
        "the app did not get there: " + (proc.stderr.read() if proc.stderr else "")
    )


@pytest.fixture
def child_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    # A socket path must stay short (sockaddr_un), so not below the long tmp_path.
    runtime = Path(tempfile.mkdtemp(prefix="crun-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COMPANION_", "DBUS_"))}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        XDG_RUNTIME_DIR=str(runtime),
        HOME=str(tmp_path / "home"),
        PYTHONPATH=str(CHILD.parents[2]),
    )
    yield env
    shutil.rmtree(runtime)


def test_the_app_takes_the_signals_once_its_first_window_is_painted(
    qtbot: QtBot, data_dir: Path
) -> None:
    """Until then (nothing open) a signal ends the process as it would any program; from the
    first window's paint on it locks first, and after the app ends the old handler is back."""
    from companion.ui.app import AppController

    before = signal.getsignal(signal.SIGTERM)
    controller = AppController(data_dir, stop_on_signals=True)
    try:
        assert controller.start() is None
        assert controller.stop_signals is None and signal.getsignal(signal.SIGTERM) is before
        qtbot.waitUntil(lambda: controller.settled)
        assert controller.stop_signals is not None
        assert signal.getsignal(signal.SIGTERM) is not before
    finally:
        controller.shutdown()
    assert signal.getsignal(signal.SIGTERM) is before


@pytest.mark.parametrize("how", ["SIGTERM", "SIGHUP", "close", "SIGTERM-while-saving"])
def test_stopping_a_running_app_keeps_the_typed_check_in_and_removes_its_socket(
    qtbot: QtBot, diary: OpenDiary, data_dir: Path, child_env: dict[str, str], how: str
) -> None:
    diary.lock()
    mode = {"close": "close", "SIGTERM-while-saving": "saving"}.get(how, "wait")
    proc = subprocess.Popen(
        [sys.executable, str(CHILD), str(data_dir), mode],
        env=child_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + DEADLINE_S
    try:
        ready = _read_line(proc, deadline).split()
        assert ready[:1] == ["READY"], ready
        socket_path = Path(ready[1])
        assert stat.S_ISSOCK(socket_path.lstat().st_mode)
        assert socket_path.parent == Path(child_env["XDG_RUNTIME_DIR"]) / "companion"
        assert stat.S_IMODE(socket_path.parent.stat().st_mode) == 0o700
        if how != "close":
            proc.send_signal(getattr(signal, how.split("-")[0]))
        assert _read_line(proc, deadline).split() == ["EXIT", "0"]
        assert proc.wait(timeout=max(1.0, deadline - time.monotonic())) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        err = proc.stderr.read() if proc.stderr else ""
        if proc.stdout is not None:
            proc.stdout.close()
        if proc.stderr is not None:
            proc.stderr.close()
    assert "Traceback" not in err
    assert not socket_path.exists()
    assert list(socket_path.parent.iterdir()) == []
    reopened = OpenDiary.unlock(diary.vault.path, passphrase=app_child.PASS)
    try:
        entries = MoodService(reopened.db).entries()
        assert [(e.mood, e.note) for e in entries] == [(app_child.MOOD_BUTTON, app_child.NOTE)]
        if mode == "saving":  # the change made while the check-in was being written
            minutes = SettingsService(reopened.db).get(AUTO_LOCK_MINUTES)
            assert minutes == app_child.SAVING_MINUTES
    finally:
        reopened.lock()
    log = data_dir / fault_log.FILE_NAME
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert log.read_bytes() == b""  # nothing went wrong, nothing was written


def test_a_hard_crash_leaves_its_stacks_in_a_private_file_and_nothing_else(
    tmp_path: Path,
) -> None:
    code = (
        "import os, resource, signal, sys\n"
        "resource.setrlimit(resource.RLIMIT_CORE, (0, 0))\n"
        "from pathlib import Path\n"
        "from companion import fault_log\n"
        "assert fault_log.enable(Path(sys.argv[1])) is not None\n"
        "secret = 'Zq7canaryXv9 in a variable'\n"
        "def deep_inside_companion():\n"
        "    os.kill(os.getpid(), signal.SIGSEGV)\n"
        "deep_inside_companion()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=DEADLINE_S,
        env={**os.environ, "PYTHONPATH": str(CHILD.parents[2])},
    )
    assert done.returncode == -signal.SIGSEGV
    assert done.stdout == "" and done.stderr == ""  # nothing scary on the terminal
    log = tmp_path / fault_log.FILE_NAME
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    text = log.read_text()
    assert "Segmentation fault" in text and "deep_inside_companion" in text
    assert "Zq7canaryXv9" not in text  # names and lines, never values


def test_the_diagnostics_file_is_not_followed_through_a_planted_symlink(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.write_text("keep me")
    (tmp_path / fault_log.FILE_NAME).symlink_to(target)
    assert fault_log.enable(tmp_path) is None
    assert target.read_text() == "keep me"
