"""Shared test set-up: offscreen Qt, no network, fast KDF, figures for the CI log."""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("COMPANION_DATA_DIR", None)
os.environ.pop("COMPANION_PASSPHRASE", None)

import pytest

from companion.features import load_tables

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
