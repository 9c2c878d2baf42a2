"""Shared test set-up: offscreen Qt, no network, fast KDF, garbage collected on the main
thread only, a private runtime folder, stacks of every thread when a wait times out, figures for
the CI log."""

from __future__ import annotations

import faulthandler
import os
import shutil
import socket
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("COMPANION_DATA_DIR", None)
os.environ.pop("COMPANION_PASSPHRASE", None)

import pytest

from companion.features import load_tables
from companion.ui import gc_policy, instance, qt_workarounds

# The raise-window socket goes to $XDG_RUNTIME_DIR/companion: give the run a private one when
# the session has none, so no test ever writes to the real home folder.
_OWN_RUNTIME_DIR: str | None = None
if instance._session_runtime_dir() is None:
    _OWN_RUNTIME_DIR = tempfile.mkdtemp(prefix="companion-tests-run-")
    os.environ["XDG_RUNTIME_DIR"] = _OWN_RUNTIME_DIR

load_tables()  # every feature's tables in Base.metadata, as the app has them

_FIGURES: list[str] = []
_INTERNET = (socket.AF_INET, socket.AF_INET6)


class NetworkAccessError(AssertionError):
    pass


def _audit(event: str, args: tuple[object, ...]) -> None:
    """Fail any attempt to open an internet socket or resolve a host name."""
    if event == "socket.__new__":
        family = args[1] if len(args) > 1 else None
        if family in _INTERNET:
            raise NetworkAccessError("a test tried to open an internet socket")
    elif event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex"):
        raise NetworkAccessError(f"a test tried to resolve a host name ({event})")
    elif event == "socket.connect":
        sock = args[0]
        if getattr(sock, "family", None) in _INTERNET:
            raise NetworkAccessError("a test tried to connect to the network")


sys.addaudithook(_audit)


@pytest.fixture
def report_figure() -> Iterator[object]:
    """Record one summary line (e.g. 'kill-during-save: 300 runs, 0 lost') for the CI log."""
    yield _FIGURES.append


def pytest_configure(config: pytest.Config) -> None:
    # As in the app (companion.ui.app.make_app): Python's cyclic garbage collector must never
    # run on a worker thread, where it would destroy Qt objects that belong to this thread.
    gc_policy.disable_automatic()
    # As in the app: PySide6 6.12.0's emit() steals a reference to True each time.
    qt_workarounds.install()


def pytest_unconfigure(config: pytest.Config) -> None:
    if _OWN_RUNTIME_DIR is not None:
        shutil.rmtree(_OWN_RUNTIME_DIR, ignore_errors=True)


#: threads that may outlive a test by design: a keyring call that timed out is abandoned to
#: finish on its own (companion/storage/keychain.py), it cannot be interrupted
_MAY_OUTLIVE = ("companion-keyring",)


def _python_threads() -> set[threading.Thread]:
    return {
        t
        for t in threading.enumerate()
        if t.is_alive()
        and not isinstance(t, threading._DummyThread)  # Qt's pool threads, seen from Python
        and t is not threading.main_thread()
        and not t.name.startswith(_MAY_OUTLIVE)
    }


@pytest.fixture(autouse=True)
def _collect_garbage_and_check_threads() -> Iterator[None]:
    """Collect on the main thread (as the app does); fail a test that leaves a thread of its
    own running."""
    before = _python_threads()
    yield
    gc_policy.collect_if_due()
    left = _python_threads() - before
    for thread in left:
        thread.join(10)
    if left:
        names = ", ".join(sorted(t.name for t in left))
        pytest.fail(f"the test left thread(s) running: {names}", pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """A wait that timed out gets the stack of every thread in its report (what was stuck)."""
    report = yield
    if call.excinfo is not None and call.excinfo.typename == "TimeoutError":
        with tempfile.TemporaryFile("w+") as out:
            faulthandler.dump_traceback(out, all_threads=True)
            out.seek(0)
            report.sections.append(("threads when the wait timed out", out.read()))
    return report


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _FIGURES:
        terminalreporter.section("reliability and privacy figures")
        for line in _FIGURES:
            terminalreporter.write_line(line)


@pytest.fixture(autouse=True)
def _fast_kdf() -> Iterator[None]:
    """Tiny Argon2id parameters through the test-only hook (never an environment variable)."""
    from companion.storage import kdf

    with kdf.test_parameters():
        yield


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir(mode=0o700)
    return d
