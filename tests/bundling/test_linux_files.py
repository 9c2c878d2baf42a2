"""The desktop entry, the AppStream metainfo and the tarball's install script."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from companion.appinfo import APP_ID, DISPLAY_NAME, EXECUTABLE, LICENSE, VERSION

from .helpers import PACKAGING, ROOT

LINUX = PACKAGING / "linux"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def _desktop() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_entry_names_the_app_id_everywhere() -> None:
    entry = _desktop()
    assert entry["Icon"] == APP_ID
    assert entry["Name"] == DISPLAY_NAME
    assert entry["Exec"] == EXECUTABLE and entry["TryExec"] == EXECUTABLE
    # X11's WM_CLASS class is Qt's application name: the dock matches windows by it
    assert entry["StartupWMClass"] == DISPLAY_NAME
    assert entry["Terminal"] == "false"
    assert "MedicalSoftware" not in entry["Categories"]  # Companion is not medical software


def test_metainfo_ids_licence_release_and_rating() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("project_license") == LICENSE
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.findtext("launchable") == f"{APP_ID}.desktop"
    assert root.findtext("provides/binary") == EXECUTABLE
    assert root.find("developer/name") is not None  # Flathub requires it
    releases = [r.get("version") for r in root.findall("releases/release")]
    assert releases and releases[0] == VERSION
    rating = root.find("content_rating")
    assert rating is not None and rating.get("type") == "oars-1.1"
    first = root.find("description/p")
    assert first is not None and len(" ".join((first.text or "").split())) >= 80


def test_metainfo_screenshots_exist_in_the_repository_at_the_release_tag() -> None:
    root = ET.parse(METAINFO).getroot()
    images = [img.text or "" for img in root.findall("screenshots/screenshot/image")]
    assert images
    prefix = f"/v{VERSION}/docs/screenshots/"
    for url in images:
        assert url.startswith("https://") and prefix in url, url
        assert (ROOT / "docs" / "screenshots" / url.rsplit("/", 1)[1]).is_file(), url


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils")
def test_desktop_file_validate_passes() -> None:
    result = subprocess.run(
        ["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and result.stdout.strip() == "", result.stdout


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstream not installed")
def test_appstreamcli_validate_passes() -> None:
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", "--explain", str(METAINFO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # the only remark allowed: AppStream 0.16 does not know the 1.0 <developer> tag yet
    for line in result.stdout.splitlines():
        if line.startswith(("E:", "W:")):
            pytest.fail(line)


def _fake_bundle(tmp_path: Path) -> Path:
    """A folder laid out like the tarball, with a stand-in program."""
    folder = tmp_path / "companion-0.1.0-linux-x86_64"
    (folder / "share" / "applications").mkdir(parents=True)
    shutil.copy(DESKTOP, folder / "share" / "applications")
    (folder / "share" / "metainfo").mkdir()
    shutil.copy(METAINFO, folder / "share" / "metainfo")
    icons = folder / "share" / "icons" / "hicolor"
    (icons / "scalable" / "apps").mkdir(parents=True)
    shutil.copy(ROOT / "resources" / "icons" / f"{APP_ID}.svg", icons / "scalable" / "apps")
    for size in SIZES:
        (icons / f"{size}x{size}" / "apps").mkdir(parents=True)
        (icons / f"{size}x{size}" / "apps" / f"{APP_ID}.png").write_bytes(b"png")
    program = folder / "companion"
    program.write_text("#!/bin/sh\necho companion 0.1.0\n", encoding="utf-8")
    program.chmod(0o755)
    shutil.copy(LINUX / "install.sh", folder / "install.sh")
    return folder


def _run(script: Path, *args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    return subprocess.run(
        ["sh", str(script), *args], env=env, capture_output=True, text=True, check=False
    )


def test_install_script_adds_and_removes_exactly_its_files(tmp_path: Path) -> None:
    folder = _fake_bundle(tmp_path / "unpacked dir")  # a space in the path must work
    home = tmp_path / "home"
    diary = home / ".local" / "share" / "Companion"
    diary.mkdir(parents=True)
    (diary / "vault.companion").write_bytes(b"sealed")

    result = _run(folder / "install.sh", home=home)
    assert result.returncode == 0, result.stderr
    data = home / ".local" / "share"
    installed = data / "applications" / f"{APP_ID}.desktop"
    text = installed.read_text(encoding="utf-8")
    assert f'Exec="{folder}/companion"' in text
    assert f"TryExec={folder}/companion" in text
    assert (data / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    assert (data / "icons" / "hicolor" / "48x48" / "apps" / f"{APP_ID}.png").is_file()
    link = home / ".local" / "bin" / "companion"
    assert link.is_symlink() and link.resolve() == (folder / "companion").resolve()
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(installed)], capture_output=True)
        assert check.returncode == 0, check.stdout

    result = _run(folder / "install.sh", "--uninstall", home=home)
    assert result.returncode == 0, result.stderr
    assert "not touched" in result.stdout
    assert not installed.exists() and not link.exists()
    left = sorted(p.name for p in data.rglob("*") if p.is_file())
    assert left == ["vault.companion"]  # the diary, and nothing of ours
    assert (diary / "vault.companion").read_bytes() == b"sealed"


def test_install_script_refuses_a_path_a_menu_entry_cannot_hold(tmp_path: Path) -> None:
    folder = _fake_bundle(tmp_path / "a$b")
    home = tmp_path / "home"
    result = _run(folder / "install.sh", home=home)
    assert result.returncode == 1
    assert "cannot hold" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (home / ".local").exists()


def test_install_script_leaves_a_foreign_companion_command_alone(tmp_path: Path) -> None:
    folder = _fake_bundle(tmp_path)
    home = tmp_path / "home"
    (home / ".local" / "bin").mkdir(parents=True)
    own = home / ".local" / "bin" / "companion"
    own.write_text("#!/bin/sh\n", encoding="utf-8")
    result = _run(folder / "install.sh", home=home)
    assert result.returncode == 0
    assert "Left" in result.stderr
    assert own.read_text(encoding="utf-8") == "#!/bin/sh\n" and not own.is_symlink()
    _run(folder / "install.sh", "--uninstall", home=home)
    assert own.exists()
