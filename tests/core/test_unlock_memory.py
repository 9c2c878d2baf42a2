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
