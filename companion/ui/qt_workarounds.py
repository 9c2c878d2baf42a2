"""Defences against known defects of the Qt binding, each detected before it is worked around.

**PySide6 6.12.0: every ``signal.emit()`` made from Python steals a reference to ``True``.**
``SignalInstance.emit`` returns ``True`` without counting the reference it hands out, so each
emit whose result is dropped (all of them) lowers ``True``'s reference count by one. Companion
and pyqtgraph emit from Python all the time (each save, each task, each chart frame), and on
Python 3.11 ``True`` is an ordinary object: after a few thousand to a few hundred thousand emits
its count reaches zero and the interpreter aborts with "Fatal Python error: bool_dealloc:
deallocating True or False" — at any moment of a long session, or at exit. 6.11.3 is not
affected; ``pyproject.toml`` excludes 6.12.0. Where it is installed anyway (a distribution's
package), the lost references are given back in advance: ``True`` is a static singleton that is
never freed, and Python 3.12 and later make it immortal for exactly this reason, so adding a very
large count to it changes nothing else.
"""

from __future__ import annotations

import sys

#: enough for ~35 years of a million emits per second
_HEADROOM = 1 << 50
_applied = False


def emit_steals_true() -> bool:
    """Whether ``emit()`` lowers ``True``'s reference count (measured, not guessed)."""
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(8):
        probe.ping.emit()
    stolen = before - sys.getrefcount(True)
    del probe
    return stolen >= 8


def _immortal_bools() -> bool:
    """Python 3.12+ never frees True/False however low their count goes."""
    return sys.version_info >= (3, 12)


def install() -> bool:
    """Apply every workaround that this binding needs; True if one was applied."""
    global _applied
    if _applied or _immortal_bools() or sys.implementation.name != "cpython":
        return False
    if not emit_steals_true():
        return False
    import ctypes  # only where the workaround applies (3 ms at launch otherwise)

    ctypes.c_ssize_t.from_address(id(True)).value += _HEADROOM
    _applied = True
    return True
