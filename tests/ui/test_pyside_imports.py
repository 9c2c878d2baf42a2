"""PySide6's check at every import (does the module's source mention PySide6?) gives the same
answers from the file's bytes, and no module's source is kept in memory afterwards."""

from __future__ import annotations

import linecache
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from companion.ui import pyside_imports


@pytest.fixture
def feature(qapp: QApplication) -> object:
    module = pyside_imports._feature_module()
    if module is None:
        pytest.skip("this PySide6 has no per-import feature check")
    pyside_imports.lighten()  # what make_app does (again: idempotent)
    return module


def test_the_check_is_replaced_once_the_app_exists(feature: object) -> None:
    assert feature._mod_uses_pyside is pyside_imports.mentions_pyside  # type: ignore[attr-defined]
    assert pyside_imports._original is not pyside_imports.mentions_pyside


def test_the_same_answers_as_pysides_own_check(feature: object) -> None:
    import json

    import PySide6.QtCore

    import companion.core.timekeeping
    import companion.ui.app

    original = pyside_imports._original
    assert original is not None
    for module in (companion.ui.app, companion.core.timekeeping, json, PySide6.QtCore, sys):
        assert pyside_imports.mentions_pyside(module) == original(module), module.__name__
    assert pyside_imports.mentions_pyside(companion.ui.app)  # a .py file that imports PySide6
    assert not pyside_imports.mentions_pyside(companion.core.timekeeping)  # one that does not


def test_the_whole_file_is_searched(tmp_path: Path) -> None:
    """The file is read whole with the system's calls: empty, small, and long files, with the
    word at the very end."""
    import types

    for size in (0, 7, 65_536, 200_000):
        path = tmp_path / f"probe_{size}.py"
        body = b"#" * size
        path.write_bytes(body)
        assert pyside_imports._file_bytes(str(path)) == body
        module = types.ModuleType(f"probe_{size}")
        module.__file__ = str(path)
        assert not pyside_imports.mentions_pyside(module)
        path.write_bytes(body + b"\n# PySide6")
        assert pyside_imports.mentions_pyside(module)


def test_a_new_import_is_recorded_without_keeping_its_source(
    feature: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "uses_binding_probe.py").write_text("import PySide6.QtCore\nX = 1\n")
    (tmp_path / "plain_probe.py").write_text("Y = 2\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("uses_binding_probe", "plain_probe"):
        sys.modules.pop(name, None)
        __import__(name)  # an import statement's way (PySide6 hooks __import__)
        monkeypatch.delitem(sys.modules, name)
    recorded = feature.pyside_feature_dict  # type: ignore[attr-defined]
    assert recorded["uses_binding_probe"] == 0  # PySide6's own values: 0 uses it, -1 ignored
    assert recorded["plain_probe"] == -1
    cached = {str(Path(entry[3])) for entry in linecache.cache.values() if len(entry) == 4}
    assert str(tmp_path / "uses_binding_probe.py") not in cached
    assert str(tmp_path / "plain_probe.py") not in cached


def test_cached_sources_of_files_are_dropped_and_registered_ones_kept() -> None:
    on_disk = "/nowhere/probe_on_disk.py"
    linecache.cache[on_disk] = (5, 1.0, ["x = 1\n"], on_disk)
    linecache.cache["<generated probe>"] = (5, None, ["x = 1\n"], "<generated probe>")
    try:
        assert pyside_imports.forget_cached_sources() >= 1
        assert on_disk not in linecache.cache
        assert "<generated probe>" in linecache.cache  # no file to read it again from
    finally:
        linecache.cache.pop("<generated probe>", None)


def test_the_launch_replaces_the_check_as_soon_as_pyside6_is_loaded(tmp_path: Path) -> None:
    """``companion`` (the window) replaces the check right after its first Qt import, so that
    the rest of the launch's imports skip it; a fresh process, stopped at the display check."""
    import os
    import subprocess

    child = (
        "import sys\n"
        "import companion.ui.identity as identity\n"
        "identity.display_problem = lambda: 'stop here'\n"
        "from companion import cli\n"
        f"code = cli.main(['--data-dir', {str(tmp_path)!r}])\n"
        "feature = sys.modules.get('shibokensupport.feature')\n"
        "check = getattr(feature, '_mod_uses_pyside', None)\n"
        "print(code, getattr(check, '__name__', None), 'companion.ui.app' in sys.modules)\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", child], capture_output=True, text=True, timeout=60, env=env
    )
    assert done.returncode == 0, done.stderr[-2000:]
    code, check, app_imported = done.stdout.split()
    assert code != "0" and app_imported == "False"  # stopped before the window
    if check != "None":  # this PySide6 has the per-import check
        assert check == "mentions_pyside"
