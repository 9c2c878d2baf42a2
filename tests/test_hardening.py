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


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the C library's calls")
def test_c_library_calls_answer_as_ctypes_does(monkeypatch: pytest.MonkeyPatch) -> None:
    """Through ``_ctypes`` (no ``ctypes`` import at launch), and through ``ctypes`` where
    ``_ctypes`` lacks the entry points: the same answers, ints in and out."""
    import ctypes

    from companion import libc

    pr_get_dumpable = 3  # a question: changes nothing
    # the app's own setting (ui/memory.py): a negative option number passes as a C int
    m_mmap_threshold, one_mb = -3, 1024 * 1024
    expected = ctypes.CDLL(None).prctl(pr_get_dumpable, 0, 0, 0, 0)
    direct = libc.function("prctl")
    assert direct is not None and direct(pr_get_dumpable, 0, 0, 0, 0) == expected
    mallopt = libc.function("mallopt")
    if mallopt is not None:  # glibc
        assert mallopt(m_mmap_threshold, one_mb) == 1
        assert ctypes.CDLL(None).mallopt(m_mmap_threshold, one_mb) == 1
    assert libc.function("no_such_function_in_any_libc") is None

    import _ctypes

    libc.function.cache_clear()
    monkeypatch.delattr(_ctypes, "call_function")
    try:
        fallback = libc.function("prctl")
        assert fallback is not None and fallback(pr_get_dumpable, 0, 0, 0, 0) == expected
    finally:
        monkeypatch.undo()
        libc.function.cache_clear()
