"""One Companion per vault: an OS file lock on ``<vault>.lock``, pure Python.

``fcntl.flock`` (POSIX) / ``msvcrt.locking`` (Windows) locks belong to the open file and vanish
when the process dies, even after ``kill -9``, so there is no stale-lock guessing (PID reuse,
reboots) as with lock files that merely exist. The file's text (PID and host) is only a hint for
the message. The file is never deleted: unlinking a lock file while another process waits on it
is a classic race, and an empty 0600 file beside the vault costs nothing.
"""

from __future__ import annotations

import os
import sys
from contextlib import suppress
from pathlib import Path
from types import TracebackType

from companion.storage.errors import VaultInUseError

# Windows locks are mandatory, so lock a byte far past the text that other processes read.
_WIN_LOCK_OFFSET = 1 << 30


def _host_name() -> str:
    """For the message naming who holds the lock (no network lookup)."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    return os.environ.get("COMPUTERNAME", "this computer")


def lock_path(vault_path: Path) -> Path:
    return vault_path.with_name(vault_path.name + ".lock")


class InstanceLock:
    """Non-blocking exclusive lock beside a vault. Use as a context manager or acquire/release."""

    def __init__(self, vault_path: Path) -> None:
        self.path = lock_path(Path(vault_path))
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock or raise :class:`VaultInUseError` at once (never waits)."""
        if self._fd is not None:
            return
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(self.path, flags, 0o600)
        try:
            if not _try_lock(fd):
                pid = self.holder_pid()
                raise VaultInUseError(
                    "This diary is already open in another Companion window"
                    + (f" (process {pid})." if pid else ".")
                )
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, f"{os.getpid()}\n{_host_name()}\n".encode())
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            with suppress(OSError):
                os.ftruncate(fd, 0)  # the pid is no longer meaningful
                _unlock(fd)
        finally:
            os.close(fd)

    def holder_pid(self) -> int | None:
        """The PID written by the current holder, if readable (a hint, not a proof)."""
        try:
            with open(self.path, encoding="utf-8", errors="replace") as f:
                first = f.readline().strip()
        except OSError:
            return None
        return int(first) if first.isdigit() else None

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()

    def __del__(self) -> None:
        if self._fd is not None:
            with suppress(OSError):
                os.close(self._fd)


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        finally:
            os.lseek(fd, 0, os.SEEK_SET)
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
