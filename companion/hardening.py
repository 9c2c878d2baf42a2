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
        from companion import libc

        prctl = libc.function("prctl")
        pr_set_dumpable = 4
        if prctl is None or prctl(pr_set_dumpable, 0, 0, 0, 0) != 0:
            ok = False
    return ok
