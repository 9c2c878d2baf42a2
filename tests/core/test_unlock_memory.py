"""Unlocking leaves no plaintext copy of the diary outside SQLite: the image the vault
decrypted is wiped once the database has its own copy."""

from __future__ import annotations

from pathlib import Path

import pytest

from companion.core.session import OpenDiary
from companion.core.settings import AUTO_LOCK_MINUTES, SettingsService
from companion.storage import vault as V

PASS = "violet tractor marmalade"


def test_the_decrypted_image_is_wiped_after_unlock(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = data_dir / "vault.companion"
    diary, _key = OpenDiary.create(path, PASS)
    diary.service(SettingsService).set(AUTO_LOCK_MINUTES, 17)
    diary.lock()
    seen: list[bytearray] = []
    real = V.Vault.unlock.__func__  # type: ignore[attr-defined]

    def keep(cls: type[V.Vault], *args: object, **kwargs: object) -> object:
        vault, image = real(cls, *args, **kwargs)
        seen.append(image)
        return vault, image

    monkeypatch.setattr(V.Vault, "unlock", classmethod(keep))
    diary = OpenDiary.unlock(path, passphrase=PASS)
    try:
        assert diary.service(SettingsService).get(AUTO_LOCK_MINUTES) == 17  # it opened
        diary.verify_passphrase(PASS)
        assert len(seen) == 2 and all(len(image) > 4096 for image in seen)
        assert all(image.count(0) == len(image) for image in seen)  # all zeros now
    finally:
        diary.lock()


def test_a_restored_backups_image_is_wiped_and_passphrase_change_reseals_backups(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = data_dir / "vault.companion"
    diary, _key = OpenDiary.create(path, PASS)
    settings = diary.service(SettingsService)
    settings.set(AUTO_LOCK_MINUTES, 11)
    diary.lock()
    diary = OpenDiary.unlock(path, passphrase=PASS)
    diary.service(SettingsService).set(AUTO_LOCK_MINUTES, 12)
    seen: list[bytearray] = []
    real = V.Vault.restore_backup

    def keep(vault: V.Vault, backup: V.BackupInfo) -> bytearray:
        image = real(vault, backup)
        seen.append(image)
        return image

    monkeypatch.setattr(V.Vault, "restore_backup", keep)
    try:
        backup = next(b for b in diary.backups() if b.kind == "session")
        diary.restore_backup(backup)
        assert diary.service(SettingsService).get(AUTO_LOCK_MINUTES) == 11
        assert len(seen) == 1 and len(seen[0]) > 4096 and seen[0].count(0) == len(seen[0])
        # the backups, read chunk by chunk and sealed again under the new key, still open
        result = diary.change_passphrase("quilt harbour lantern seventeen")
        assert result.backups_resealed >= 1 and result.backups_kept == 0
    finally:
        diary.lock()
    for backup in V.list_backups(path):
        vault, image = V.Vault.unlock(backup.path, passphrase="quilt harbour lantern seventeen")
        vault.close()
        assert image[:16] == b"SQLite format 3\x00"
