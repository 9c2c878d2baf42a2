"""Opening files and folders safely: the checks that keep the diary's folder private.

Files that are opened rather than replaced (the instance lock, the device settings) go
through :func:`open_regular`: ``O_NOFOLLOW``, then ``fstat`` must show a regular file owned by
this user. Folders the app writes into (``backups/``) go through :func:`private_dir`, which
checks them with ``lstat``; :func:`tighten_data_dir` makes the data folder private at start.

Writing a file (temp → fsync → rename → fsync the folder) is ``atomic.py``'s:
:func:`write_private` is re-exported here, the one private-write helper every module uses.
"""

from __future__ import annotations

import errno
import os
import stat
from contextlib import suppress
from pathlib import Path

from companion.i18n import _, ngettext
from companion.storage.atomic import O_BINARY, O_CLOEXEC, O_NOFOLLOW, write_private
from companion.storage.errors import VaultError

__all__ = [
    "UnsafePathError",
    "open_regular",
    "private_dir",
    "tighten_data_dir",
    "write_private",
]

_POSIX = os.name != "nt"


class UnsafePathError(VaultError):
    """A file or folder Companion uses is a link, not a regular file, or someone else's."""

    @classmethod
    def default_message(cls) -> str:
        return _(
            "A file in the diary's folder is not what Companion expects (a link, or owned by "
            "someone else), so Companion did not use it. Please check the folder."
        )


def _euid() -> int | None:
    return os.geteuid() if hasattr(os, "geteuid") else None


def _owned(st: os.stat_result) -> bool:
    uid = _euid()
    return uid is None or st.st_uid == uid


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
            _(
                "The backups folder beside the diary is a link or not yours, so no backup was "
                "written there. Please check the diary's folder."
            )
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
            ngettext(
                "{count} item in the diary's folder belongs to another user account, so "
                "Companion could not make it private. Please check who else can use this folder.",
                "{count} items in the diary's folder belong to another user account, so "
                "Companion could not make them private. Please check who else can use this "
                "folder.",
                foreign,
            ).format(count=foreign)
        )
    return warnings
