"""Writing and opening files safely: the one private-write helper and its checks.

Every file Companion writes (the vault, its backups, exports, PDFs, screenshots, exercise
files, settings) goes through :func:`write_private` or its building block :func:`write_temp`:

    random temp name in the destination folder, ``O_CREAT|O_EXCL|O_NOFOLLOW``, mode 0600
    (``fchmod`` too, whatever the umask) → write → fsync → rename over the name → fsync the
    folder.

So a half-written file never carries the final name, nobody else can own or read the result,
and a name planted in a shared folder (a symlink, a file another user made) is never followed
or reused: ``O_EXCL`` refuses it and the rename replaces the *name*, never a link's target.

Files that are opened rather than replaced (the instance lock, the device settings) go
through :func:`open_regular`: ``O_NOFOLLOW``, then ``fstat`` must show a regular file owned by
this user. Folders the app writes into (``backups/``) go through :func:`private_dir`, which
checks them with ``lstat``.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
import sys
import time
from contextlib import suppress
from pathlib import Path

from companion.storage.errors import VaultError

__all__ = [
    "UnsafePathError",
    "fsync_dir",
    "open_regular",
    "private_dir",
    "replace",
    "tighten_data_dir",
    "unlink_quiet",
    "write_private",
    "write_temp",
]

O_BINARY: int = getattr(os, "O_BINARY", 0)
O_CLOEXEC: int = getattr(os, "O_CLOEXEC", 0)
O_NOFOLLOW: int = getattr(os, "O_NOFOLLOW", 0)
_WRITE_CHUNK = 1 << 20
_POSIX = os.name != "nt"


class UnsafePathError(VaultError):
    """A file or folder Companion uses is a link, not a regular file, or someone else's."""

    default_message = (
        "A file in the diary's folder is not what Companion expects (a link, or owned by "
        "someone else), so Companion did not use it. Please check the folder."
    )


def _euid() -> int | None:
    return os.geteuid() if hasattr(os, "geteuid") else None


def _owned(st: os.stat_result) -> bool:
    uid = _euid()
    return uid is None or st.st_uid == uid


def fsync_file(fd: int) -> None:
    """Flush a new file's data (and its size, which fdatasync includes) to the disk."""
    if sys.platform.startswith("linux"):
        os.fdatasync(fd)  # skips the timestamp write-back; what QSaveFile does too
        return
    os.fsync(fd)
    if sys.platform == "darwin":  # fsync does not reach the platter on macOS
        import fcntl

        with suppress(OSError):
            fcntl.fcntl(fd, fcntl.F_FULLFSYNC)


def unlink_quiet(path: Path) -> None:
    with suppress(OSError):
        os.unlink(path)


def temp_name(base_name: str) -> str:
    return f".{base_name}.{secrets.token_hex(8)}.tmp"


def write_temp(
    directory: Path, base_name: str, data: bytes | bytearray | memoryview
) -> tuple[Path, os.stat_result]:
    """Write ``data`` durably to a new private temp file in ``directory``; return its path."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | O_NOFOLLOW | O_BINARY | O_CLOEXEC
    while True:
        tmp = Path(directory) / temp_name(base_name)
        try:
            fd = os.open(tmp, flags, 0o600)
        except FileExistsError:
            continue
        break
    try:
        try:
            if _POSIX:
                os.fchmod(fd, 0o600)  # exact, whatever the umask or inherited ACL said
            view = memoryview(data)
            while view:
                written = os.write(fd, view[:_WRITE_CHUNK])
                view = view[written:]
            fsync_file(fd)
            st = os.fstat(fd)
        finally:
            os.close(fd)
    except BaseException:
        unlink_quiet(tmp)
        raise
    return tmp, st


def replace(src: Path, dst: Path) -> None:
    """``os.replace``; on Windows retried while antivirus or sync tools hold the file."""
    if sys.platform != "win32":
        os.replace(src, dst)
        return
    delay = 0.02
    for _attempt in range(9):
        try:
            os.replace(src, dst)
            return
        except PermissionError:
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
    os.replace(src, dst)


def fsync_dir(directory: Path) -> None:
    """Make a rename durable (POSIX). Best effort: some file systems refuse directory fsync."""
    if not _POSIX:
        return
    try:
        fd = os.open(directory, os.O_RDONLY | O_CLOEXEC)
    except OSError:
        return
    try:
        with suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def write_private(path: Path, data: bytes | bytearray | memoryview) -> Path:
    """Create or replace ``path`` with ``data``, readable and writable by this user only.

    temp (random name, O_EXCL|O_NOFOLLOW, 0600) → fsync → rename → fsync the folder. On any
    error the destination is as it was and no temp file stays. Returns ``path``.
    """
    path = Path(path)
    tmp, _st = write_temp(path.parent, path.name, data)
    try:
        replace(tmp, path)
    except BaseException:
        unlink_quiet(tmp)
        raise
    fsync_dir(path.parent)
    return path


def open_regular(path: Path, flags: int, mode: int = 0o600) -> int:
    """Open without following a symlink; refuse anything but a regular file of this user.

    Raises :class:`UnsafePathError` for a link, a folder, a device or someone else's file,
    and ``OSError`` as ``os.open`` does otherwise.
    """
    try:
        fd = os.open(path, flags | O_NOFOLLOW | O_BINARY | O_CLOEXEC, mode)
    except OSError as exc:
        if exc.errno == errno.ELOOP or (
            exc.errno in (errno.EISDIR, errno.ENXIO) and not os.path.isfile(path)
        ):
            raise UnsafePathError() from None
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or not _owned(st):
            raise UnsafePathError()
    except BaseException:
        os.close(fd)
        raise
    return fd


def private_dir(directory: Path) -> Path:
    """Create ``directory`` (0700) or check it with ``lstat``: a real folder of this user,
    tightened to 0700. A symlink or someone else's folder raises :class:`UnsafePathError`."""
    directory = Path(directory)
    with suppress(FileExistsError):
        os.mkdir(directory, 0o700)
    st = os.lstat(directory)
    if not stat.S_ISDIR(st.st_mode) or not _owned(st):
        raise UnsafePathError(
            "The backups folder beside the diary is a link or not yours, so no backup was "
            "written there. Please check the diary's folder."
        )
    if _POSIX and st.st_mode & 0o077:
        with suppress(OSError):
            os.chmod(directory, 0o700)
    return directory


def tighten_data_dir(directory: Path) -> list[str]:
    """At start: the data folder 0700, the files in it (and in ``backups/``) 0600.

    Only what this user owns is changed, and links are never followed. Returns one calm
    sentence per problem that could not be fixed (for stderr or the unlock window).
    """
    if not _POSIX:
        return []
    warnings: list[str] = []
    uid = _euid()
    folders = [Path(directory)]
    try:
        backups = Path(directory) / "backups"
        st = os.lstat(backups)
        if stat.S_ISDIR(st.st_mode):
            folders.append(backups)
    except OSError:
        pass
    foreign = 0
    for folder in folders:
        try:
            st = os.lstat(folder)
        except OSError:
            continue
        if st.st_uid != uid:
            foreign += 1
            continue
        if st.st_mode & 0o077:
            with suppress(OSError):
                os.chmod(folder, 0o700)
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                est = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if not stat.S_ISREG(est.st_mode):
                continue
            if est.st_uid != uid:
                foreign += 1
            elif est.st_mode & 0o077:
                with suppress(OSError):
                    os.chmod(entry.path, 0o600)
    if foreign:
        warnings.append(
            f"{foreign} item(s) in the diary's folder belong to another user account, so "
            "Companion could not make them private. Please check who else can use this folder."
        )
    return warnings
