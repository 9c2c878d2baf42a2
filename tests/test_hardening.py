"""Process hardening: no core dumps (research §7.4, §7.6)."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux-specific checks")
def test_core_dumps_and_ptrace_are_off_after_start() -> None:
    code = (
        "import resource\n"
        "from companion.hardening import disable_core_dumps\n"
        "assert disable_core_dumps()\n"
        "print(resource.getrlimit(resource.RLIMIT_CORE))\n"
        "print([l for l in open('/proc/self/status') if l.startswith('CapEff')] and 'ok')\n"
        "import ctypes; libc = ctypes.CDLL(None); print(libc.prctl(3, 0, 0, 0, 0))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    assert out[0] == "(0, 0)"
    assert out[2] == "0"  # PR_GET_DUMPABLE → 0: not dumpable, no same-user ptrace
