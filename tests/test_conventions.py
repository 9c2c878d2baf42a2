"""The conventions of issue 10 that a reader of one file cannot see broken, checked by reading
every module (``ast``; nothing is imported):

- one settings registry: only ``core/settings.py`` and ``core/device_settings.py`` touch the
  ``Setting`` rows or ``device.json``; every other module goes through an ``Option``;
- one way to show a problem in the UI: ``except ValidationError`` only in ``ui/operations.py``;
- no ``destroyed`` slot that takes the object being destroyed (a lambda with a parameter, even
  one with a default): PySide looks that object's type up by name, and the first look-up in a
  process builds every class not yet used of every Qt module loaded (~200 enums, 10-30 ms of
  the GUI thread; it was one of the turns of the unlock).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import companion

ROOT = Path(companion.__file__).parent

#: the registry itself, and where the row and the file name are defined
SETTINGS_OWNERS = {
    ROOT / "core" / "settings.py",
    ROOT / "core" / "device_settings.py",
    ROOT / "core" / "models" / "base.py",
    ROOT / "core" / "models" / "__init__.py",
    ROOT / "paths.py",
}
#: names that lead to the stores without the registry
SETTINGS_NAMES = {"Setting", "device_settings_path", "DEVICE_SETTINGS_NAME"}
#: raw SQL that writes the settings table
SETTINGS_SQL = re.compile(r"\b(insert\s+(or\s+\w+\s+)?into|update|delete\s+from|replace\s+into)\s+"
                          r"[\"'`]?settings\b", re.IGNORECASE)  # fmt: skip


def _modules() -> list[Path]:
    return sorted(ROOT.rglob("*.py"))


def _settings_offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Name) and node.id in SETTINGS_NAMES:
            found.append(f"{line}: {node.id}")
        elif isinstance(node, ast.Attribute) and node.attr in SETTINGS_NAMES:
            found.append(f"{line}: .{node.attr}")
        elif isinstance(node, ast.ImportFrom):
            found += [f"{line}: import {a.name}" for a in node.names if a.name in SETTINGS_NAMES]
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and ("device.json" in node.value or SETTINGS_SQL.search(node.value))
        ):
            found.append(f"{line}: {node.value[:40]!r}")
    return found


def test_only_the_settings_registry_touches_the_stores() -> None:
    """A ``Setting(`` row, a query of the ``Setting`` model, SQL that writes the settings
    table or a path to ``device.json`` anywhere else is a setting kept outside the registry."""
    offenders = {
        str(path.relative_to(ROOT)): found
        for path in _modules()
        if path not in SETTINGS_OWNERS and (found := _settings_offences(path))
    }
    assert offenders == {}


def test_the_scan_sees_each_way_round_the_registry(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from companion.core.models import Setting\n"
        "from companion import paths\n"
        "def f(session, db, d):\n"
        "    session.add(Setting(key='x', value='1'))\n"
        "    db.raw_connection.execute(\"UPDATE settings SET value = '2'\")\n"
        "    paths.device_settings_path(d).write_text('{}')\n"
        "    (d / 'device.json').write_text('{}')\n"
    )
    found = _settings_offences(sample)
    assert any("import Setting" in f for f in found)
    assert any(f.startswith("4:") for f in found)
    assert any("UPDATE settings" in f for f in found)
    assert any("device_settings_path" in f for f in found)
    assert any("device.json" in f for f in found)


# -- validation errors are shown in one place ------------------------------------------------


def _ui_parts() -> list[object]:
    parts: list[object] = []
    for path in sorted((ROOT / "ui").iterdir()):
        if path.name.startswith("_") or not (path.is_dir() or path.suffix == ".py"):
            continue
        parts.append(path.stem)
    return parts


def _catches_validation_error(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ExceptHandler) and node.type is not None:
            types = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
            for t in types:
                name = t.id if isinstance(t, ast.Name) else getattr(t, "attr", "")
                if name == "ValidationError":
                    lines.append(node.lineno)
    return lines


@pytest.mark.parametrize("part", _ui_parts())
def test_ui_shows_validation_errors_only_through_operations(part: str) -> None:
    base = ROOT / "ui" / part
    files = sorted(base.rglob("*.py")) if base.is_dir() else [base.with_suffix(".py")]
    offenders = {
        str(path.relative_to(ROOT)): lines
        for path in files
        if path != ROOT / "ui" / "operations.py" and (lines := _catches_validation_error(path))
    }
    assert offenders == {}


def _destroyed_lambdas_with_parameters(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "connect"
            and isinstance(node.func.value, ast.Attribute)
            and node.func.value.attr == "destroyed"
            and node.args
            and isinstance(node.args[0], ast.Lambda)
        ):
            params = node.args[0].args
            if params.args or params.posonlyargs or params.vararg or params.kwonlyargs:
                lines.append(node.lineno)
    return lines


def test_no_destroyed_slot_takes_the_object() -> None:
    offenders = {
        str(path.relative_to(ROOT)): lines
        for path in _modules()
        if (lines := _destroyed_lambdas_with_parameters(path))
    }
    assert offenders == {}


def test_the_destroyed_scan_sees_a_lambda_with_a_default(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "a.destroyed.connect(lambda _o=None, k=key: forget(k))\n"
        "b.destroyed.connect(lambda: forget(key))\n"
        "c.clicked.connect(lambda _c=False: go())\n",
        encoding="utf-8",
    )
    assert _destroyed_lambdas_with_parameters(module) == [1]
