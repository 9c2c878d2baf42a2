"""The instance lock: a second process is refused; a killed holder does not leave a stale lock."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from companion.storage.errors import VaultInUseError
from companion.storage.lock import InstanceLock, lock_path

HOLDER = """
import sys, time
from pathlib import Path
from companion.storage.lock import InstanceLock
lock = InstanceLock(Path(sys.argv[1]))
lock.acquire()
print("locked", flush=True)
time.sleep(60)
"""


def _holder(vault: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(vault)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_same_process_second_lock_is_refused(vault_path: Path) -> None:
    with InstanceLock(vault_path) as first:
        assert first.held
        with pytest.raises(VaultInUseError):
            InstanceLock(vault_path).acquire()
    with InstanceLock(vault_path):  # released: free again
        pass
    assert stat.S_IMODE(lock_path(vault_path).stat().st_mode) == 0o600


def test_two_processes_and_kill_9(vault_path: Path, report_figure: Callable[[str], None]) -> None:
    proc = _holder(vault_path)
    try:
        lock = InstanceLock(vault_path)
        assert lock.holder_pid() == proc.pid
        with pytest.raises(VaultInUseError) as info:
            lock.acquire()
        assert str(proc.pid) in info.value.message and info.value.exit_code == 5
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        start = time.perf_counter()
        lock.acquire()  # the OS dropped the dead holder's lock: no stale-lock guessing
        elapsed = (time.perf_counter() - start) * 1000
        assert lock.holder_pid() == os.getpid()
        lock.release()
        assert lock.holder_pid() is None
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    report_figure(
        f"instance lock: 2nd process → VaultInUseError naming PID {proc.pid}; after kill -9 of "
        f"the holder the lock was taken on the next try ({elapsed:.2f} ms)"
    )


def test_release_is_idempotent(vault_path: Path) -> None:
    lock = InstanceLock(vault_path)
    lock.release()
    lock.acquire()
    lock.acquire()
    lock.release()
    lock.release()
    assert not lock.held
