"""What the windows need of the diary's files, through the core (the UI never imports storage)."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from companion import paths
from companion.core import diary_files
from companion.core.session import OpenDiary
from companion.storage.errors import CorruptVaultError, VaultInUseError

PASSPHRASE = "harbour-lantern-quietly-orbit-7"


def test_a_crashed_saves_leftovers_are_found_and_removed_and_nothing_else(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    assert not diary_files.has_stale_temp_files(data_dir)
    assert diary_files.remove_stale_temp_files(data_dir) == 0
    keep = data_dir / "notes.tmp"  # not hidden: not a save's temp file
    keep.write_bytes(b"x")
    backups = paths.backup_dir(data_dir)
    backups.mkdir()
    (backups / f".{paths.VAULT_NAME}.0123456789abcdef.tmp").write_bytes(b"ciphertext")
    assert diary_files.has_stale_temp_files(data_dir)
    assert diary_files.remove_stale_temp_files(data_dir) == 1
    assert not diary_files.has_stale_temp_files(data_dir)
    assert keep.exists()


def test_the_instance_lock_refuses_a_second_holder(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    vault = paths.vault_path(data_dir)
    with diary_files.InstanceLock(vault), pytest.raises(VaultInUseError):
        diary_files.InstanceLock(vault).acquire()


def test_a_new_diary_has_no_key_on_this_computer_and_a_damaged_one_says_so(
    data_dir: Path,
) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    vault = paths.vault_path(data_dir)
    diary, _key = OpenDiary.create(vault, PASSPHRASE)
    diary.lock()
    assert diary_files.opens_on_this_computer(vault) is False
    vault.write_bytes(b"not a diary")
    with pytest.raises(CorruptVaultError):
        diary_files.opens_on_this_computer(vault)


def test_keyring_availability_is_a_yes_or_no_with_a_reason() -> None:
    usable, reason = diary_files.keyring_availability()
    assert isinstance(usable, bool) and isinstance(reason, str)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_private_files_and_folders(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(data_dir, 0o755)
    assert diary_files.make_data_dir_private(data_dir) == []
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    picture = data_dir / "shot.png"
    diary_files.write_private_file(picture, b"\x89PNG")
    assert picture.read_bytes() == b"\x89PNG"
    assert stat.S_IMODE(picture.stat().st_mode) == 0o600
