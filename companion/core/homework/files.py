"""Writing a file privately: 0600, a random temp name opened with O_EXCL|O_NOFOLLOW, rename.

DESIGN §4 wants every file the app writes to go through one private-write helper. The vault
work (issue 18) adds it as ``companion.storage.files.write_private``; until it is merged this
small function does the same for plan files and exports, with the same call shape, so the
swap is one import. It adds one thing exports need: refusing to replace a file that is
already there (``replace_existing=False``), atomically where the file system has hard links.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

__all__ = ["TargetExistsError", "write_private"]

_FLAGS = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


class TargetExistsError(FileExistsError):
    """The chosen file is already there and the person did not ask to replace it."""


def write_private(path: Path, data: bytes, *, replace_existing: bool = True) -> Path:
    """Write ``data`` to ``path``: readable by this user only, never half-written.

    On any error (the folder cannot be written, the disk is full, the name is taken) the
    destination is as it was and no temp file stays; ``OSError`` goes to the caller, who
    words it for the person.
    """
    path = Path(path)
    while True:
        tmp = path.parent / f".{path.name}.{secrets.token_hex(8)}.tmp"
        try:
            fd = os.open(tmp, _FLAGS, 0o600)
        except FileExistsError:
            continue
        break
    try:
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(fd, 0o600)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        if replace_existing:
            os.replace(tmp, path)
        else:
            _link_new(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    if hasattr(os, "O_DIRECTORY"):
        with contextlib.suppress(OSError):
            dir_fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
    return path


def _link_new(tmp: Path, path: Path) -> None:
    """Give the finished temp file the final name only if that name is free."""
    try:
        os.link(tmp, path, follow_symlinks=False)
    except FileExistsError:
        raise TargetExistsError(path) from None
    except OSError:
        # No hard links here (some network and FAT file systems): check, then rename.
        if os.path.lexists(path):
            raise TargetExistsError(path) from None
        os.replace(tmp, path)
