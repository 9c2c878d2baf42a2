"""One Companion per vault: an OS file lock on ``<vault>.lock``, pure Python.

``fcntl.flock`` (POSIX) / ``msvcrt.locking`` (Windows) locks belong to the open file and vanish
when the process dies, even after ``kill -9``, so there is no stale-lock guessing (PID reuse,
reboots) as with lock files that merely exist. The file's text (PID and host) is only a hint for
the message. The file is never deleted: unlinking a lock file while another process waits on it
is a classic race, and an empty 0600 file beside the vault costs nothing. It is opened with
``O_NOFOLLOW`` and must be a regular file owned by this user (a planted symlink once made the
lock truncate its target).
"""

from __future__ import annotations

import errno
import os
import sys
from contextlib import suppress
from pathlib import Path
from types import TracebackType

from companion.i18n import _
from companion.storage.errors import VaultError, VaultInUseError
from companion.storage.files import open_regular

_READ_ONLY_ERRNOS = (errno.EROFS, errno.EACCES, errno.EPERM)

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

    def __init__(self, vault_path: Path, *, read_only: bool = False) -> None:
        self.path = lock_path(Path(vault_path))
        #: for commands that only read (check, export): on a read-only folder, lock an existing
        #: lock file opened for reading, or go without (nobody can save there anyway)
        self.read_only = read_only
        self._fd: int | None = None
        self._writable = False
        self._without_file = False

    @property
    def held(self) -> bool:
        return self._fd is not None or self._without_file

    def acquire(self) -> None:
        """Take the lock or raise :class:`VaultInUseError` at once (never waits)."""
        if self._fd is not None or self._without_file:
            return
        # O_NOFOLLOW and a regular file owned by this user: a planted symlink must never make
        # us truncate (or write our PID into) some other file.
        writable = True
        try:
            fd = open_regular(self.path, os.O_RDWR | os.O_CREAT)
        except OSError as exc:
            if not (self.read_only and exc.errno in _READ_ONLY_ERRNOS):
                raise
            writable = False
            try:
                fd = open_regular(self.path, os.O_RDONLY)
            except FileNotFoundError:
                self._without_file = True  # a read-only folder with no lock file: no writer
                return
        try:
            if not _try_lock(fd):
                pid = self.holder_pid()
                if not pid:
                    raise VaultInUseError()
                raise VaultInUseError(
                    _(
                        "This diary is already open in another Companion window (process {pid})."
                    ).format(pid=pid)
                )
            if writable:
                os.ftruncate(fd, 0)
                os.lseek(fd, 0, os.SEEK_SET)
                os.write(fd, f"{os.getpid()}\n{_host_name()}\n".encode())
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        self._writable = writable

    def release(self) -> None:
        self._without_file = False
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            with suppress(OSError):
                if self._writable:
                    os.ftruncate(fd, 0)  # the pid is no longer meaningful
                _unlock(fd)
        finally:
            os.close(fd)

    def holder_pid(self) -> int | None:
        """The PID written by the current holder, if readable (a hint, not a proof)."""
        try:
            fd = open_regular(self.path, os.O_RDONLY)
        except (OSError, VaultError):
            return None
        with os.fdopen(fd, encoding="utf-8", errors="replace") as f:
            first = f.readline(64).strip()
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
