"""DESIGN §3, enforced by reading every import (issue 10 §7):

storage ↛ core, content, reports, ui · content ↛ core, storage, reports, ui · core ↛ reports,
ui · reports ↛ ui · ui ↛ storage except its error types · no Qt below ui except PDF rendering ·
no network modules anywhere.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import companion

ROOT = Path(companion.__file__).parent
QT = {"PySide6", "shiboken6", "pyqtgraph", "qtawesome"}
QT_ALLOWED = {ROOT / "reports" / "pdf.py", ROOT / "reports" / "summary_pdf.py"}
NETWORK_MODULES = {"urllib", "http", "requests", "httpx", "aiohttp", "ftplib", "smtplib", "socket"}

#: layer → the layers of ``companion`` it must not import
FORBIDDEN = {
    "storage": ("core", "content", "reports", "ui"),
    "content": ("core", "storage", "reports", "ui"),
    "core": ("reports", "ui"),
    "reports": ("ui",),
}
#: what ui may take from storage: its error types, nothing else
UI_STORAGE_ALLOWED = ("companion.storage.errors",)


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function (``from x import y``
    counts as x and x.y)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def _files(layer: str) -> list[Path]:
    return sorted((ROOT / layer).rglob("*.py"))


def test_only_ui_and_pdf_rendering_import_qt() -> None:
    offenders = []
    for path in ROOT.rglob("*.py"):
        if (ROOT / "ui") in path.parents or path in QT_ALLOWED:
            continue
        if any(n.split(".")[0] in QT for n in _imports(path)):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_no_layer_imports_a_layer_above_it(layer: str) -> None:
    banned = tuple(f"companion.{other}" for other in FORBIDDEN[layer])
    offenders = []
    for path in _files(layer):
        bad = sorted(
            n for n in _imports(path) if any(n == b or n.startswith(b + ".") for b in banned)
        )
        if bad:
            offenders.append((str(path.relative_to(ROOT)), bad))
    assert offenders == []


def test_ui_takes_only_error_types_from_storage() -> None:
    offenders = []
    for path in _files("ui"):
        bad = [
            n
            for n in _imports(path)
            if (n == "companion.storage" or n.startswith("companion.storage."))
            and not n.startswith(UI_STORAGE_ALLOWED)
        ]
        if bad:
            offenders.append((str(path.relative_to(ROOT)), sorted(bad)))
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

    with pytest.raises(AssertionError, match="internet socket"):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
