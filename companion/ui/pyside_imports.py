"""What PySide6 does at every import after its own, done with less time and memory.

PySide6 (6.x) hooks ``__import__`` to support ``from __feature__ import snake_case``: after each
module is imported, ``shibokensupport.feature`` records whether the module's source mentions
"PySide6", and to know it reads the whole source through ``inspect.getsource``, which leaves
every line in ``linecache``. Every module imported after PySide6 pays for it: importing the
chart modules (pyqtgraph, numpy: 238 modules) spent 90 ms in that check, and the sources of
the 660 modules imported by then (12 MB of text, plus a string object per line) stayed in memory
for as long as the app ran.

:func:`lighten` keeps the same answer (the same bytes are searched for the same word) and reads
each file once as bytes that are not kept; whatever cannot be read as a ``.py`` file goes to
PySide6's own check as before. It also drops the sources the check had already cached (each
is read again from its file if a traceback ever needs it).
"""

from __future__ import annotations

import linecache
import os
import re
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

_original: Callable[[ModuleType], bool] | None = None
#: the word looked for: a compiled pattern finds it in bytes ~1.7 times as fast as ``in``
_MENTION = re.compile(b"PySide6")


def _feature_module() -> Any:
    """PySide6's feature bookkeeping, if this binding has it (imported with PySide6)."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return None
    if not isinstance(getattr(feature, "pyside_feature_dict", None), dict):
        return None
    return feature


def mentions_pyside(module: ModuleType) -> bool:
    """Whether a module's source mentions PySide6: PySide6's ``_mod_uses_pyside`` answer
    (``"PySide6" in inspect.getsource(module)``), from the file's bytes, kept nowhere."""
    path = getattr(module, "__file__", None)
    original = _original
    if not isinstance(path, str) or not path.endswith(".py"):
        return original(module) if original is not None else False
    try:
        return _MENTION.search(_file_bytes(path)) is not None
    except OSError:
        return original(module) if original is not None else False


def _file_bytes(path: str) -> bytes:
    """A file's bytes, read with the system's calls: a file object and its buffer cost more
    than the read itself (~10 µs a module; a first chart imports ~150)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        data = os.read(fd, os.fstat(fd).st_size + 1)
        while chunk := os.read(fd, 1 << 16):  # (a file that grew, or a read cut short)
            data += chunk
        return data
    finally:
        os.close(fd)


def lighten() -> bool:
    """Replace PySide6's per-import source check by :func:`mentions_pyside` and drop the
    sources it cached; True when the binding has the check (idempotent)."""
    global _original
    feature = _feature_module()
    if feature is None:
        return False
    if feature._mod_uses_pyside is not mentions_pyside:
        _original = feature._mod_uses_pyside
        feature._mod_uses_pyside = mentions_pyside
    forget_cached_sources()
    return True


def load_and_lighten() -> bool:
    """Load PySide6 (its core module brings the per-import source check) and :func:`lighten`
    at once: the GUI launch calls this before the first module of its own that needs Qt."""
    import PySide6.QtCore  # noqa: F401

    return lighten()


def forget_cached_sources() -> int:
    """Drop the lines ``linecache`` holds for files on disk (read again when needed); the
    sources registered for code made at run time (no file) stay. Returns how many."""
    dropped = 0
    for name, entry in list(linecache.cache.items()):
        # (size, mtime, lines, fullname) for a file read from disk; mtime None for registered
        # sources, and one-element lazy entries hold no lines yet
        if len(entry) == 4 and entry[1] is not None:
            linecache.cache.pop(name, None)
            dropped += 1
    return dropped
