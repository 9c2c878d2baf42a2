"""How the app's process holds memory (glibc on Linux; nothing to do elsewhere).

Python frees objects into the C allocator, which keeps freed memory for reuse rather than give
it back to the system, and the diary's work makes large short-lived buffers (a 10-year vault's
image is ~8 MB, copied for each worker's private snapshot). With glibc's defaults a buffer
that large is soon served from the heap instead of its own mapping (the threshold rises after
each such free), and each worker thread gets an arena of its own: the freed megabytes then stay
counted in the process's memory for as long as it runs. So, once at start-up:

- buffers of 1 MB and more always get their own mapping, which goes back to the system when
  freed (``M_MMAP_THRESHOLD``, fixed rather than rising);
- at most two arenas are shared by every thread (``M_ARENA_MAX``);
- the sources of imported modules are not kept (PySide6 read and cached every module's source
  at its import, ``pyside_imports.py``);
- numpy's linear algebra library (OpenBLAS) runs on the calling thread, without a pool of its
  own: the charts only do element-wise work on a few thousand points, and the pool's threads,
  started at numpy's import, cost that import 15–30 ms of CPU (100 ms of wall time on a busy
  machine), a buffer each, and a core's share while they spin (``OPENBLAS_NUM_THREADS``, read
  once when numpy is imported; a value already set is kept);

and :func:`give_back` returns free memory at the top of the heaps after a full garbage
collection (``malloc_trim``).
"""

from __future__ import annotations

import os
import sys

from companion import libc

M_MMAP_THRESHOLD = -3
M_ARENA_MAX = -8
MMAP_THRESHOLD = 1024 * 1024
ARENAS = 2


def _glibc() -> bool:
    """glibc's allocator is the one in use (musl has neither function; nor has Windows)."""
    return libc.function("mallopt") is not None and libc.function("malloc_trim") is not None


def configure() -> None:
    """Set the allocator's policy; call once, before any worker thread starts."""
    from companion.ui import pyside_imports

    pyside_imports.lighten()
    if "numpy" not in sys.modules:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    mallopt = libc.function("mallopt")
    if mallopt is not None and _glibc():
        mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
        mallopt(M_ARENA_MAX, ARENAS)


def give_back() -> None:
    """Return free memory at the top of the heaps to the system (a few ms)."""
    trim = libc.function("malloc_trim")
    if trim is not None:
        trim(0)
