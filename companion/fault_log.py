"""A private record of hard crashes, for the person to hand over if they choose to.

If the process dies on a fatal signal (a segmentation fault in a native library, an abort),
Python's ``faulthandler`` writes where each thread was: file names, function names and line
numbers of Companion's and its libraries' code, never a value, so never a word of the diary.
It goes to ``diagnostics.log`` in the data folder, created 0600, not through symlinks, and
kept small. Nothing is shown on screen: the file is empty unless something went wrong.
"""

from __future__ import annotations

import faulthandler
import os
import stat
from pathlib import Path

FILE_NAME = "diagnostics.log"
#: the log is emptied at start once it grows past this
MAX_BYTES = 256 * 1024

_fd: int | None = None


def enable(data_dir: Path) -> Path | None:
    """Send fatal-error tracebacks of every thread to the data folder's diagnostics file.

    Returns its path, or None when it cannot be opened safely (then nothing is recorded)."""
    global _fd
    path = data_dir / FILE_NAME
    flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND
    flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or (hasattr(os, "getuid") and st.st_uid != os.getuid()):
            os.close(fd)
            return None
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o600)
        if st.st_size > MAX_BYTES:
            os.ftruncate(fd, 0)
        faulthandler.enable(file=fd, all_threads=True)
    except OSError:
        os.close(fd)
        return None
    if _fd is not None and _fd != fd:
        os.close(_fd)
    _fd = fd
    return path


def disable() -> None:
    """Stop recording (tests; the app keeps it until exit)."""
    global _fd
    if _fd is None:
        return
    faulthandler.disable()
    os.close(_fd)
    _fd = None
