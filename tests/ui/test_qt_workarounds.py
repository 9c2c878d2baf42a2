"""The binding's known defects are detected and neutralised (see companion/ui/qt_workarounds)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    ping = Signal()


def test_emitting_from_python_can_never_exhaust_true() -> None:
    """Under PySide6 6.12.0 on Python 3.11, more emits than True has references end in
    "Fatal Python error: bool_dealloc". The session's workaround (installed by conftest as by
    the app) leaves room for far more emits than a lifetime of use."""
    emitter = _Emitter()
    before = sys.getrefcount(True)
    for _ in range(1000):
        emitter.ping.emit()
    lost = before - sys.getrefcount(True)
    assert lost in (0, 1000)  # the binding either counts properly or steals one per emit
    assert lost == 0 or sys.getrefcount(True) > 1 << 40


def test_a_fresh_process_survives_more_emits_than_true_has_references() -> None:
    code = textwrap.dedent(
        """
        import sys
        from PySide6.QtCore import QObject, Signal
        from companion.ui import qt_workarounds
        qt_workarounds.install()
        class E(QObject):
            ping = Signal()
        e = E()
        for _ in range(3 * sys.getrefcount(True) if sys.getrefcount(True) < 1 << 40 else 10**5):
            e.ping.emit()
        print("alive")
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.strip() == "alive"
