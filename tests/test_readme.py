"""The README's install commands run as CI runs scripts (bash, ``set -euo pipefail``), both as root
on a minimal system without ``sudo`` and as an ordinary user, here with stand-in commands that
record what they were asked to do."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

BASH = shutil.which("bash") or "bash"
README = Path(__file__).resolve().parents[1] / "README.md"


def install_block() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Install and run", 1)[1]
    match = re.search(r"```sh\n(.*?)```", section, re.S)
    assert match is not None
    return match.group(1)


def _stub(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(0o755)


def _run(tmp_path: Path, *, uid: int, with_sudo: bool) -> list[str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "log"
    record = f'echo "$(/usr/bin/basename "$0") $*" >> {log}'
    _stub(bin_dir, "id", f'[ "$1" = "-u" ] && echo {uid}')
    _stub(bin_dir, "apt-get", record)
    if with_sudo:
        _stub(bin_dir, "sudo", f'{record}\nexec "$@"')
    venv_bin = tmp_path / "work" / ".venv" / "bin"
    _stub(
        bin_dir,
        "python3",
        f"{record}\n/bin/mkdir -p {venv_bin}\n"
        f"for tool in pip companion; do printf '#!/bin/sh\\n{record}\\n' > {venv_bin}/$tool; "
        f"/bin/chmod 755 {venv_bin}/$tool; done",
    )
    (tmp_path / "work").mkdir()
    script = "set -euo pipefail\n" + install_block()
    result = subprocess.run(
        [BASH, "-c", script],
        cwd=tmp_path / "work",
        env={"PATH": str(bin_dir), "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return log.read_text(encoding="utf-8").splitlines()


@pytest.mark.skipif(shutil.which("bash") is None or os.name != "posix", reason="needs bash")
def test_install_commands_run_as_root_without_sudo(tmp_path: Path) -> None:
    calls = _run(tmp_path, uid=0, with_sudo=False)
    assert calls[0] == "apt-get update"
    assert calls[1].startswith("apt-get install -y python3-venv ")
    assert calls[2:] == ["python3 -m venv .venv", "pip install .", "companion "]


@pytest.mark.skipif(shutil.which("bash") is None or os.name != "posix", reason="needs bash")
def test_install_commands_use_sudo_for_a_user(tmp_path: Path) -> None:
    calls = _run(tmp_path, uid=1000, with_sudo=True)
    assert calls[:2] == ["sudo apt-get update", "apt-get update"]
    assert calls[2].startswith("sudo apt-get install -y python3-venv ")
    assert calls[-3:] == ["python3 -m venv .venv", "pip install .", "companion "]


def test_no_line_starts_with_sudo() -> None:
    assert not any(line.lstrip().startswith("sudo ") for line in install_block().splitlines())
