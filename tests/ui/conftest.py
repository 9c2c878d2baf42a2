"""Fixtures for widget tests: a real diary in a temporary folder, a context, a main window."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QEventLoop,
    QPoint,
    QPointF,
    Qt,
    QThreadPool,
    QTimer,
)
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

# The app imports the chart modules on a worker when the Diary page first shows (ui/charts/
# warm.py, with a timer); the tests have them imported up front, so no test leaves that timer
# behind. tests/ui/test_lazy_imports.py checks the app's own order in a fresh process.
import companion.ui.charts.api  # noqa: F401
from companion import paths
from companion.core.device_settings import DeviceSettings
from companion.core.session import OpenDiary
from companion.ui import gc_policy, instance, tasks, theme, timers
from companion.ui.pages import AppContext

if TYPE_CHECKING:
    from companion.ui.main_window import MainWindow

PASS = "violet tractor marmalade"


@pytest.fixture
def in_memory_keyring() -> Iterator[object]:
    import keyring
    from keyring.backend import KeyringBackend

    class Memory(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def __init__(self) -> None:
            super().__init__()
            self.items: dict[tuple[str, str], str] = {}

        def set_password(self, service: str, username: str, password: str) -> None:
            self.items[(service, username)] = password

        def get_password(self, service: str, username: str) -> str | None:
            return self.items.get((service, username))

        def delete_password(self, service: str, username: str) -> None:
            self.items.pop((service, username), None)

    from companion.storage import keychain

    previous = keyring.get_keyring()
    backend = Memory()
    keyring.set_keyring(backend)
    with keychain.test_trusted_backend(Memory):
        yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def vault_path(data_dir: Path) -> Path:
    return paths.vault_path(data_dir)


@pytest.fixture
def diary(vault_path: Path) -> Iterator[OpenDiary]:
    d, _key = OpenDiary.create(vault_path, PASS)
    yield d
    with contextlib.suppress(Exception):  # already closed by the test
        d.close()


@pytest.fixture
def context(data_dir: Path, qapp: QApplication) -> AppContext:
    theme.apply(qapp, DeviceSettings(theme="light"))
    return AppContext(data_dir=data_dir, device=DeviceSettings(theme="light"))


def main_window_shown(
    qtbot: object, diary: OpenDiary, context: AppContext, size: tuple[int, int] = (1100, 760)
) -> MainWindow:
    """The main window shown at ``size``, with its warm-up stopped: no page is built ahead and
    nothing warmed in the background unless the test starts it."""
    from companion.ui.main_window import MainWindow

    window = MainWindow(diary, context)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    window.warm_up_wait.timer.stop()
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)  # type: ignore[attr-defined]
    return window


def wait_for_tasks(qtbot: object) -> None:
    """Let worker tasks finish and deliver their results on the GUI thread, and pages finish
    what they build over later turns (``timers.in_steps``, ``Page.build_in_steps``)."""
    tasks.wait_for_workers(10_000)
    busy = tasks.running() or timers.running()
    qtbot.waitUntil(  # type: ignore[attr-defined]
        # pages off screen first: they are finished at once rather than waited for
        lambda: not _pages_building() and tasks.running() == 0 and timers.running() == 0,
        timeout=10_000,
    )
    if busy:
        # what the last task or step changed is laid out in the turn after it
        QApplication.processEvents()


def _pages_building() -> bool:
    """Whether a page on screen is still building itself; one off screen (never painted, so
    its steps would wait a while to begin) is finished at once."""
    from companion.ui.pages import Page

    waiting = False
    for obj in shiboken6.getAllValidWrappers():
        if isinstance(obj, Page) and obj.building:
            if obj.isVisible():
                waiting = True
            else:
                obj.finish_building()
    return waiting


def _active_timers() -> list[QTimer]:
    """Every running QTimer that Python created or touched (the app's own garbage collection
    timer apart), wherever it hangs: under a window, an application object or nothing."""
    return [
        obj
        for obj in shiboken6.getAllValidWrappers()
        if isinstance(obj, QTimer) and obj.isActive() and obj.objectName() != "companion-gc"
    ]


def _describe(timer: QTimer) -> str:
    owner = timer.parent()
    return f"{type(owner).__name__ if owner is not None else 'no owner'} ({timer.interval()} ms)"


def _runtime_sockets() -> list[Path]:
    folder = instance.runtime_dir()
    return [] if folder is None else sorted(folder.glob("companion-*"))


@pytest.fixture(autouse=True)
def _leaves_nothing_running(qapp: QApplication) -> Iterator[None]:
    """Every test cleans up after itself: no background task still running, no window still
    open, no timer still ticking, no raise-window socket left. (pytest-qt has closed the
    widgets the test gave to ``qtbot.addWidget`` before this runs.) Whatever is left is
    cleaned up here too, so one untidy test does not disturb the next, and the test fails."""
    gc_policy.install(qapp, freeze=False)  # no test's objects outlive it, frozen
    yield
    problems = []
    # Work the app started on its own in the test's last moment (a refreshed page listing
    # its backups, say) gets a moment to end, on a busy machine too; a task still running
    # after that is one the test should have waited for.
    deadline = time.monotonic() + 2.0
    while tasks.running() and time.monotonic() < deadline:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
    if tasks.running():
        problems.append(f"{tasks.running()} background task(s) still running")
    if not tasks.wait_for_workers(10_000):
        problems.append("a background task did not finish within 10 s")
    tasks.shutdown(0)  # what is left will not call back into the next test
    if QThreadPool.globalInstance().activeThreadCount():
        problems.append("work still running on Qt's global thread pool")
        QThreadPool.globalInstance().waitForDone(10_000)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
    windows = QApplication.topLevelWidgets()
    still_open = [type(w).__name__ for w in windows if w.isVisible()]
    if still_open:
        problems.append(f"window(s) still open: {', '.join(sorted(still_open))}")
    timers = _active_timers()
    if timers:
        problems.append(f"timer(s) still running: {', '.join(sorted(map(_describe, timers)))}")
        for timer in timers:
            timer.stop()
    sockets = _runtime_sockets()
    if sockets:
        problems.append(f"raise-window socket(s) left: {len(sockets)}")
        for path in sockets:
            path.unlink()
    # Close and delete every window left behind, so later tests stay fast (a theme change
    # restyles every living widget) and no timer of an old window fires into a new test.
    for widget in windows:
        widget.close()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
    if problems:
        pytest.fail("the test left things running: " + "; ".join(problems), pytrace=False)


def wheel_event(at: QPoint) -> QWheelEvent:
    """A mouse wheel notch at ``at``, as a platform hands it to a window."""
    return QWheelEvent(
        QPointF(at),
        QPointF(at),
        QPoint(0, 0),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
