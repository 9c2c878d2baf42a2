"""The bundle recipes that cannot be built here are at least parsed and checked for the promises
they must keep: one app id, no network, per-user install, signing-ready macOS keys."""

from __future__ import annotations

import ast
import json
import plistlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from companion.appinfo import APP_ID, EXECUTABLE

from .helpers import PACKAGING


def test_pyinstaller_spec_parses_and_names_what_is_found_at_run_time() -> None:
    spec = PACKAGING / "pyinstaller" / "companion.spec"
    tree = ast.parse(spec.read_text(encoding="utf-8"), filename=str(spec))
    compile(tree, str(spec), "exec")
    text = spec.read_text(encoding="utf-8")
    # each run-time discovery from the review has its line
    for needle in (
        'collect_submodules(\n    "companion"',  # pages, cards, features, models
        "include_py_files=True",  # Alembic reads env.py and versions/*.py as files
        "materialdesignicons6-webfont-",  # the icon font found with find_spec
        'collect_submodules("keyring.backends")',
        'copy_metadata("keyring")',
        "_argon2_cffi_bindings._ffi",
        '"keyrings"',  # keyrings.alt (plaintext) is never bundled
    ):
        assert needle in text, needle
    assert "from companion.appinfo import" in text and "bundle_identifier=APP_ID" in text
    assert "onefile" not in text.lower().replace("one file", "")


def test_macos_info_plist_and_entitlements_parse() -> None:
    with open(PACKAGING / "macos" / "Info.plist", "rb") as handle:
        info = plistlib.load(handle)
    assert info["CFBundleExecutable"] == EXECUTABLE
    assert info["NSHighResolutionCapable"] is True
    assert info["NSRequiresAquaSystemAppearance"] is False  # the dark theme follows the system
    assert info["LSApplicationCategoryType"].startswith("public.app-category.")
    assert "CFBundleIdentifier" not in info  # the spec sets it from APP_ID
    with open(PACKAGING / "macos" / "entitlements.plist", "rb") as handle:
        entitlements = plistlib.load(handle)
    assert entitlements == {"com.apple.security.cs.allow-unsigned-executable-memory": True}


def test_flatpak_manifest_has_no_network_and_no_file_system_access() -> None:
    manifest = json.loads((PACKAGING / "flatpak" / f"{APP_ID}.json").read_text(encoding="utf-8"))
    assert manifest["id"] == APP_ID
    assert manifest["command"] == EXECUTABLE
    args = manifest["finish-args"]
    forbidden = ("--share=network", "--filesystem", "--device=all")
    assert not [arg for arg in args if arg.startswith(forbidden)]
    assert "--socket=wayland" in args and "--socket=fallback-x11" in args
    assert "--talk-name=org.freedesktop.secrets" in args
    build = " ".join(manifest["modules"][-1]["build-commands"])
    assert "--no-index" in build  # Flathub builders have no network either
    for installed in ("share/applications", "share/metainfo", "share/icons/hicolor/scalable"):
        assert installed in build


def test_inno_setup_script_installs_per_user_and_keeps_the_diary() -> None:
    text = (PACKAGING / "windows" / "companion.iss").read_text(encoding="utf-8")
    settings = dict(re.findall(r"^(\w+)=(.*)$", text, flags=re.MULTILINE))
    assert f'#define AppId "{APP_ID}"' in text
    assert settings["AppId"] == "{#AppId}"
    assert settings["PrivilegesRequired"] == "lowest"
    assert settings["DefaultDirName"] == r"{autopf}\{#AppName}"
    assert 'AppUserModelID: "{#AppId}"' in text
    assert 'Filename: "{app}\\companion-gui.exe"' in text  # the shortcut opens no console
    assert "[UninstallDelete]" not in text  # nothing beyond what it installed is removed
    assert "localappdata}\\Companion" in text  # and the last page says where the diary is


@pytest.mark.skipif(shutil.which("flatpak-builder") is None, reason="flatpak-builder not installed")
def test_flatpak_builder_reads_the_manifest(tmp_path: Path) -> None:
    # The generated Python module list is made at build time; a stand-in lets the parser run.
    manifest = PACKAGING / "flatpak" / f"{APP_ID}.json"
    shutil.copy(manifest, tmp_path)
    stub = {"name": "python3-requirements", "buildsystem": "simple", "build-commands": []}
    (tmp_path / "python3-requirements.json").write_text(json.dumps(stub), encoding="utf-8")
    result = subprocess.run(
        ["flatpak-builder", "--show-manifest", manifest.name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["id"] == APP_ID
