"""The few C library calls Companion makes on Linux: process hardening (``prctl``) and the
allocator's policy (``mallopt``, ``malloc_trim``).

They take and return C ints, and are called through ``_ctypes`` (the C half of ``ctypes``)
exactly as a ``ctypes.CDLL`` function without declared argument types would call them: each
Python int passed as a C int, the result read as a C int. Importing ``ctypes`` itself (its
Python layer makes a class per C type) cost the launch about a millisecond before the unlock
window could be painted, and both calls happen before that paint. Where ``_ctypes`` lacks
these entry points (another Python), ``ctypes`` makes the same call.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import cache


@cache
def function(name: str) -> Callable[..., int] | None:
    """The C library's ``name`` (as loaded in this process), called with ints; None where it
    does not exist (not Linux, or a C library without it, as musl has no ``mallopt``)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import _ctypes

        # None: the program itself and the libraries it loaded (as ctypes.CDLL(None))
        address = _ctypes.dlsym(_ctypes.dlopen(None), name)  # type: ignore[arg-type]
        call = _ctypes.call_function
    except OSError:  # no such symbol
        return None
    except (ImportError, AttributeError):  # not CPython's _ctypes: through ctypes
        return _through_ctypes(name)

    def through_ctypes_call(*args: int) -> int:
        return int(call(address, args))

    return through_ctypes_call


def _through_ctypes(name: str) -> Callable[..., int] | None:
    try:
        import ctypes

        found: Callable[..., int] = getattr(ctypes.CDLL(None), name)
    except (ImportError, OSError, AttributeError):
        return None
    return found
