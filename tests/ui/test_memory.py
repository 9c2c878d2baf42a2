"""The allocator's policy (glibc): large buffers get their own mappings, which go back to the
system when freed, so a diary's private copies made by workers do not stay counted."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from companion.ui import memory


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator")
def test_a_freed_copy_of_the_diary_goes_back_to_the_system() -> None:
    if not memory._glibc():
        pytest.skip("not glibc")
    memory.configure()  # what make_app does (again: it is idempotent)
    before = _rss_mb()
    # a large diary's copy, touched page by page; large beside what other threads of the
    # test process may allocate or free meanwhile (a few MB), so the margins hold under load
    image = bytearray(128 * 1024 * 1024)
    image[::4096] = b"\x01" * len(image[::4096])
    assert _rss_mb() > before + 100
    del image
    memory.give_back()
    assert _rss_mb() < before + 28


CHILD = """
import os, sys
from companion.ui.app import make_app
app = make_app()
before = len(os.listdir("/proc/self/task"))
import numpy
numpy.ones((64, 64)) @ numpy.ones((64, 64))
print(os.environ.get("OPENBLAS_NUM_THREADS"), len(os.listdir("/proc/self/task")) - before)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="threads from /proc")
def test_numpy_starts_no_thread_pool_of_its_own() -> None:
    """Set at start-up (make_app), before anything imports numpy: its linear algebra runs on
    the calling thread (a fresh process: this one imported numpy long ago)."""
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    done = subprocess.run(
        [sys.executable, "-c", CHILD], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["1", "0"]
