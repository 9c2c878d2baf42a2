"""``companion --smoke-test``: runs in its own process from an empty folder, touches nothing of
the person's, covers every page and dialog, and fails with one sentence."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialog

import companion.ui
from companion import features
from companion.ui import smoke


def test_the_smoke_test_passes_from_an_empty_folder_and_leaves_nothing(tmp_path: Path) -> None:
    cwd = tmp_path / "empty"
    home = tmp_path / "home"
    scratch = tmp_path / "tmp"
    for folder in (cwd, home, scratch):
        folder.mkdir()
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "TMPDIR": str(scratch),
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        # no DISPLAY, no QT_QPA_PLATFORM: the smoke test chooses offscreen itself
    }
    result = subprocess.run(
        [sys.executable, "-m", "companion", "--smoke-test"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.splitlines()
    assert line.startswith("SMOKE-OK companion ")
    pages = len(features.load().pages())
    assert f"pages={pages}" in line and f"dialogs={len(smoke.DIALOGS)}" in line
    assert "Traceback" not in result.stderr
    assert list(cwd.iterdir()) == []  # nothing in the working folder
    assert list(scratch.iterdir()) == []  # its temporary diary is gone
    # nothing of the person's: no data folder, no login entry, no keyring file
    assert not (home / ".local" / "share" / "Companion").exists()
    assert not (home / ".config" / "autostart").exists()
    assert not (home / ".local" / "share" / "python_keyring").exists()


def test_a_failing_step_is_one_sentence_and_the_folder_goes(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import keyring

    from companion.core import demo

    made: list[str] = []
    real_mkdtemp = tempfile.mkdtemp

    def recording_mkdtemp(*args: object, **kwargs: object) -> str:
        folder = real_mkdtemp(*args, **kwargs)  # type: ignore[call-overload]
        made.append(folder)
        return folder

    def broken_fill(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the demo data broke")

    monkeypatch.setattr(tempfile, "mkdtemp", recording_mkdtemp)
    monkeypatch.setattr(demo, "fill", broken_fill)
    before = keyring.get_keyring()
    assert smoke.run_smoke_test() == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.strip().splitlines() == [
        "The smoke test failed while creating the demo diary (RuntimeError: the demo data broke)."
    ]
    assert made and not Path(made[0]).exists()
    assert keyring.get_keyring() is before  # the person's keyring is put back


def _dialog_classes() -> set[str]:
    """Every QDialog subclass defined in companion.ui (each module imported)."""
    for info in pkgutil.walk_packages(companion.ui.__path__, "companion.ui."):
        importlib.import_module(info.name)
    found: set[str] = set()
    pending = list(QDialog.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("companion.ui.") and not cls.__module__.startswith(
            "companion.ui.smoke"
        ):
            found.add(f"{cls.__module__}:{cls.__qualname__}")
    return found


def test_the_smoke_test_opens_every_dialog_the_app_has() -> None:
    listed = {case.cls_path for case in smoke.DIALOGS}
    missing = _dialog_classes() - listed - smoke.DIALOG_BASES
    assert not missing, f"add these to companion/ui/smoke.py DIALOGS: {sorted(missing)}"
    for path in listed | smoke.DIALOG_BASES:
        module, name = path.split(":")
        cls = getattr(importlib.import_module(module), name)
        assert inspect.isclass(cls) and issubclass(cls, QDialog), path
