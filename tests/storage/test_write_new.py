"""``atomic.write_new``: the private write that never replaces a file (exports, plan files)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from companion.storage import atomic


def test_it_writes_a_private_file_and_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "summary.pdf"
    atomic.write_new(target, b"%PDF-1.7")
    assert target.read_bytes() == b"%PDF-1.7"
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["summary.pdf"]


def test_an_existing_file_is_never_replaced(tmp_path: Path) -> None:
    target = tmp_path / "summary.pdf"
    target.write_bytes(b"an earlier summary")
    with pytest.raises(FileExistsError):
        atomic.write_new(target, b"%PDF-1.7")
    assert target.read_bytes() == b"an earlier summary"
    assert [p.name for p in tmp_path.iterdir()] == ["summary.pdf"]


def test_a_symlink_at_the_target_is_neither_followed_nor_replaced(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"keep me")
    link = tmp_path / "plan.toml"
    link.symlink_to(victim)
    with pytest.raises(FileExistsError):
        atomic.write_new(link, b"new")
    assert victim.read_bytes() == b"keep me" and link.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.toml", "victim.txt"]


def test_a_place_that_cannot_be_written_raises_and_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        atomic.write_new(tmp_path / "no such folder" / "x.pdf", b"data")
    if os.geteuid() != 0:  # root writes anywhere, so this half only runs as a normal user
        folder = tmp_path / "locked"
        folder.mkdir()
        folder.chmod(0o500)
        try:
            with pytest.raises(PermissionError):
                atomic.write_new(folder / "x.pdf", b"data")
        finally:
            folder.chmod(0o700)
        assert list(folder.iterdir()) == []
