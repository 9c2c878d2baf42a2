"""Process hardening at start: no core dumps, no same-user ptrace (research §7.6)."""

from __future__ import annotations

import sys


def disable_core_dumps() -> bool:
    """Return True when core dumps and (on Linux) ptrace by the same user are switched off."""
    ok = True
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, ValueError, OSError):
        ok = False
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            pr_set_dumpable = 4
            if libc.prctl(pr_set_dumpable, 0, 0, 0, 0) != 0:
                ok = False
        except (OSError, AttributeError):
            ok = False
    return ok
