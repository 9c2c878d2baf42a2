"""DESIGN §3: nothing below ui/ imports Qt (except reports/pdf.py); no network modules anywhere."""

from __future__ import annotations

import ast
from pathlib import Path

import companion

ROOT = Path(companion.__file__).parent
QT_ALLOWED = {ROOT / "reports" / "pdf.py", ROOT / "reports" / "summary_pdf.py"}
NETWORK_MODULES = {"urllib", "http", "requests", "httpx", "aiohttp", "ftplib", "smtplib", "socket"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_only_ui_imports_qt() -> None:
    offenders = []
    for path in ROOT.rglob("*.py"):
        if (ROOT / "ui") in path.parents or path in QT_ALLOWED:
            continue
        if any(
            n.split(".")[0] in {"PySide6", "shiboken6", "pyqtgraph", "qtawesome"}
            for n in _imports(path)
        ):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_core_and_storage_do_not_import_ui_or_reports() -> None:
    offenders = []
    for layer in ("core", "storage", "content"):
        for path in (ROOT / layer).rglob("*.py"):
            bad = [n for n in _imports(path) if n.startswith(("companion.ui", "companion.reports"))]
            if bad:
                offenders.append((str(path.relative_to(ROOT)), bad))
    assert offenders == []


def test_no_network_modules_are_imported() -> None:
    offenders = []
    for path in ROOT.rglob("*.py"):
        bad = [n for n in _imports(path) if n.split(".")[0] in NETWORK_MODULES]
        if bad:
            offenders.append((str(path.relative_to(ROOT)), bad))
    assert offenders == []


def test_network_guard_is_active() -> None:
    import socket

    import pytest

    with pytest.raises(AssertionError, match="internet socket"):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
