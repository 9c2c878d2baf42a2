"""pyproject.toml declares every package companion/ imports, and its scripts work on Windows."""

from __future__ import annotations

import ast
import importlib.metadata
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
FINDERS = {"find_spec", "import_module", "__import__"}


def _top_level_imports() -> dict[str, set[str]]:
    """Top-level module → files importing it: import statements and find_spec("literal")."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / "companion").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
            elif isinstance(node, ast.Call) and node.args:
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                first = node.args[0]
                literal = isinstance(first, ast.Constant) and isinstance(first.value, str)
                if name in FINDERS and literal:
                    names.add(str(first.value))  # type: ignore[attr-defined]
        for name in names:
            found.setdefault(name.split(".")[0], set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_third_party_import_is_a_declared_dependency() -> None:
    declared = {canonicalize_name(Requirement(r).name) for r in PROJECT["dependencies"]}
    providers = importlib.metadata.packages_distributions()
    undeclared = {}
    for module, files in _top_level_imports().items():
        if module in sys.stdlib_module_names or module in {"companion", "__future__"}:
            continue
        dists = {canonicalize_name(d) for d in providers.get(module, [])}
        assert dists, f"{module} (imported by {sorted(files)}) is not installed"
        if not dists & declared:
            undeclared[module] = sorted(files)
    assert undeclared == {}


def test_every_dependency_has_a_lower_bound() -> None:
    for line in PROJECT["dependencies"]:
        requirement = Requirement(line)
        assert any(spec.operator == ">=" for spec in requirement.specifier), line


def test_gui_script_and_console_script_have_different_names() -> None:
    # pip writes <name>.exe on Windows for each entry, gui-scripts second: one name for both
    # would leave only the windowed launcher, and "companion check" would print nothing.
    console = PROJECT["scripts"]
    gui = PROJECT["gui-scripts"]
    assert console == {"companion": "companion.cli:main"}
    assert gui == {"companion-gui": "companion.cli:main"}
    assert not set(console) & set(gui)


def test_licence_is_spdx_and_the_file_is_the_gpl() -> None:
    assert PROJECT["license"] == "GPL-3.0-or-later"
    assert PROJECT["license-files"] == ["LICENSE"]
    assert not any(c.startswith("License ::") for c in PROJECT["classifiers"])  # PEP 639
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "either version 3 of the" in text and "any later version" in text
    assert "GNU GENERAL PUBLIC LICENSE\n                       Version 3, 29 June 2007" in text
    assert "END OF TERMS AND CONDITIONS" in text
