"""Durable, atomic writes: a file holds either its old content or the whole new one.

Every file Companion writes (the vault, its backups, exports, PDFs, screenshots, exercise
files, settings) is written by these steps, each implemented once here (research §5.4):

    random temp name in the destination folder, ``O_CREAT|O_EXCL|O_NOFOLLOW``, mode 0600
    (``fchmod`` too, whatever the umask) → write → fsync → rename over the name (retried on
    Windows while antivirus or sync tools hold the file) → fsync the folder.

So a half-written file never carries the final name, nobody else can own or read the result,
and a name planted in a shared folder (a symlink, a file another user made) is never followed
or reused: ``O_EXCL`` refuses it and the rename replaces the *name*, never a link's target.

Most files go through :func:`write_private`. The vault takes the steps one by one (backups are
linked between the fsync and the rename, and it checks that the file on disk is still the one
it loaded: :class:`FileIdentity`). A crash can leave a temp file (ciphertext only):
:func:`cleanup_stale_temp_files` removes them at start.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import time
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path
from typing import NamedTuple, Protocol

from companion import paths
from companion.i18n import _

O_BINARY: int = getattr(os, "O_BINARY", 0)
O_CLOEXEC: int = getattr(os, "O_CLOEXEC", 0)
O_NOFOLLOW: int = getattr(os, "O_NOFOLLOW", 0)
_WRITE_CHUNK = 1 << 20
_POSIX = os.name != "nt"
#: the names :func:`temp_name` makes
TEMP_RE = re.compile(r"^\..+\.[0-9a-f]{16}\.tmp$")


class Chunked(Protocol):
    """Data produced piece by piece while it is written (a vault file sealed as it goes):
    each piece is written before the next is asked for."""

    def chunks(self) -> Iterator[bytes | bytearray | memoryview]: ...


#: What the writers here accept: bytes in memory, or pieces made as they are written.
Data = bytes | bytearray | memoryview | Chunked


def _write_all(fd: int, data: Data) -> None:
    pieces = (data,) if isinstance(data, bytes | bytearray | memoryview) else data.chunks()
    for piece in pieces:
        view = memoryview(piece)
        while view:
            written = os.write(fd, view[:_WRITE_CHUNK])
            view = view[written:]


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
    import secrets  # here, not at the top: the unlock window needs this module, not secrets

    return f".{base_name}.{secrets.token_hex(8)}.tmp"


def write_temp(directory: Path, base_name: str, data: Data) -> tuple[Path, os.stat_result]:
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
            _write_all(fd, data)
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


def write_private(path: Path, data: Data) -> Path:
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


def write_new(path: Path, data: Data) -> os.stat_result:
    """Create ``path`` like :func:`write_private`, but raise ``FileExistsError`` rather than
    replace a file that is already there. Returns the new file's ``stat``."""
    tmp, st = write_temp(path.parent, path.name, data)
    try:
        try:
            os.link(tmp, path)  # atomic "refuse if it exists"
        except FileExistsError:
            raise
        except OSError:  # no hard links here
            if path.exists():
                raise FileExistsError(_("{name} already exists").format(name=path.name)) from None
            replace(tmp, path)
    finally:
        unlink_quiet(tmp)
    fsync_dir(path.parent)
    return st


def cleanup_stale_temp_files(directory: Path) -> int:
    """Remove temp files left by crashed saves in ``directory`` and its backups folder.

    Call it while holding the :class:`~companion.storage.lock.InstanceLock`, so that no other
    instance is in the middle of a save. Leftovers are ciphertext only, but they waste space.
    """
    removed = 0
    for folder in (directory, paths.backup_dir(directory)):
        try:
            if not stat.S_ISDIR(os.lstat(folder).st_mode):
                continue
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if TEMP_RE.match(entry.name) and entry.is_file(follow_symlinks=False):
                try:
                    os.unlink(entry.path)
                except OSError:  # gone already, or a read-only folder: nothing to do
                    continue
                removed += 1
    return removed


# --------------------------------------------------------------------------- "still ours?"


class FileIdentity(NamedTuple):
    """Which file we loaded, to refuse overwriting one another program put there since (a
    named tuple: the launch imports this module before its first paint)."""

    dev: int
    ino: int
    size: int
    mtime_ns: int
    #: the file's last bytes (for the vault, its GCM tag: a MAC over the whole file under a
    #: per-save key, so two different saves differ here and comparing needs no hash of it all)
    tail: bytes

    @classmethod
    def of(
        cls, st: os.stat_result, data: bytes | bytearray | memoryview, tail_len: int
    ) -> FileIdentity:
        return cls(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, bytes(data[-tail_len:]))

    def same_stat(self, st: os.stat_result) -> bool:
        return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns) == (
            self.dev,
            self.ino,
            self.size,
            self.mtime_ns,
        )


def _read_tail(path: Path, length: int) -> bytes:
    with open(path, "rb") as f:
        f.seek(-length, os.SEEK_END)
        return f.read(length)


def unchanged_on_disk(path: Path, identity: FileIdentity | None) -> bool:
    """Is ``path`` still the file ``identity`` describes (``None``: still absent)?

    Same inode, size and time: yes. Otherwise the same size and the same last bytes (a copy
    of the very file put back, or a file system with coarse times): yes. Else no.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return identity is None
    if identity is None:
        return False
    if identity.same_stat(st):
        return True
    tail = identity.tail
    if st.st_size != identity.size or st.st_size < len(tail) or not tail:
        return False
    import hmac  # here, not at the top: hashlib's OpenSSL is not needed to show the first window

    return hmac.compare_digest(_read_tail(path, len(tail)), tail)
