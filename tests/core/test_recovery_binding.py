"""Recovery slots bound to their diary (issue 18 item 2): a file planted to open with the
person's recovery key is refused, while old (unbound) diaries and keys keep working."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from companion.core.models import Base
from companion.core.mood.service import CheckIn, MoodService
from companion.core.session import OpenDiary
from companion.storage import format as vault_format
from companion.storage import key_slots, migrations
from companion.storage import vault as V
from companion.storage.database import Database
from companion.storage.errors import WrongKeyError

STRONG = "violet tractor marmalade"
NEWER = "quilt harbour lantern seventeen"
PLANTER = "planter owns this other passphrase"


def _diary_image(mood: int) -> bytes:
    db = Database()
    migrations.upgrade(db.engine, Base.metadata)
    MoodService(db).create_entry(CheckIn(mood=mood, note="planted words"))
    image = db.serialize()
    db.close()
    return image


def _plant(path: Path, tmp: Path, *, tag: int | None = None) -> bytes:
    """A real diary image of the planter's, wrapped to the victim's recovery public key (F2).
    ``tag``: an application_id the planter guessed or copied into their image."""
    victim = vault_format.parse(path.read_bytes()).header
    rslot = victim.recovery
    assert rslot is not None
    image = _diary_image(mood=1)
    if tag is not None:
        image = key_slots.tagged(image, tag)
    pv, _ = V.Vault.create(tmp / "planter.companion", PLANTER, image)
    slot = pv._recovery_slot_to(rslot.salt, rslot.pub, pv._dek)
    header = pv._next_header((pv._header.passphrase, slot))
    data = bytes(V._seal(header, pv._dek, image))
    path.write_bytes(data)
    return data


@pytest.fixture
def bound(data_dir: Path) -> tuple[Path, str]:
    path = data_dir / "vault.companion"
    diary, key = OpenDiary.create(path, STRONG)
    MoodService(diary.db).create_entry(CheckIn(mood=8))
    diary.lock()
    return path, key


def test_new_diaries_get_a_bound_recovery_key(bound: tuple[Path, str]) -> None:
    path, key = bound
    assert V.recovery_key_is_bound(key)
    opened = OpenDiary.unlock(path, recovery_key=key)
    assert opened.must_change_passphrase
    opened.close()


@pytest.mark.parametrize("tag", [None, 0, 1, 123456789, -5])
def test_a_planted_file_is_refused_before_anything_is_shown(
    bound: tuple[Path, str], tmp_path: Path, tag: int | None
) -> None:
    path, key = bound
    planted = _plant(path, tmp_path, tag=tag)
    with pytest.raises(V.UnboundRecoveryError):
        OpenDiary.unlock(path, recovery_key=key)
    assert path.read_bytes() == planted  # nothing written
    with pytest.raises(WrongKeyError):
        OpenDiary.unlock(path, passphrase=STRONG)  # as before: the passphrase never opens it


def test_after_a_planted_file_the_newest_real_backup_opens(
    bound: tuple[Path, str], tmp_path: Path
) -> None:
    path, key = bound
    diary = OpenDiary.unlock(path, passphrase=STRONG)
    MoodService(diary.db).create_entry(CheckIn(mood=9))  # the file with [8] is now a backup
    diary.lock()
    _plant(path, tmp_path)
    # what the unlock window offers after "damaged": the newest backup the key opens
    diary, _backup = OpenDiary.recover_from_newest_backup(path, recovery_key=key)
    assert [e.mood for e in MoodService(diary.db).entries()] == [8]  # the person's diary
    diary.change_passphrase(NEWER)
    diary.lock()
    again = OpenDiary.unlock(path, recovery_key=key)  # still bound after the rotation
    again.close()


def test_the_binding_survives_every_key_change_and_every_backup(
    bound: tuple[Path, str],
) -> None:
    path, key = bound
    diary = OpenDiary.unlock(path, passphrase=STRONG)
    MoodService(diary.db).create_entry(CheckIn(mood=6))
    diary.change_passphrase(NEWER)
    new_key = diary.replace_recovery_key(NEWER)
    assert V.recovery_key_is_bound(new_key)
    MoodService(diary.db).create_entry(CheckIn(mood=5))
    diary.lock()
    with pytest.raises(WrongKeyError):
        OpenDiary.unlock(path, recovery_key=key)  # the old key stopped working
    OpenDiary.unlock(path, recovery_key=new_key).close()
    # every backup was re-sealed with the new tag: each opens with the new key
    for backup in V.list_backups(path):
        vault, image = V.Vault.unlock(backup.path, recovery_key=new_key)
        vault.close()
        assert key_slots.image_tag(image) != 0
    # and a restored old backup stays bound too
    diary = OpenDiary.unlock(path, passphrase=NEWER)
    oldest = V.list_backups(path)[-1]
    diary.restore_backup(oldest)
    diary.lock()
    OpenDiary.unlock(path, recovery_key=new_key).close()


def test_old_unbound_diaries_keep_opening_and_bind_with_a_new_key(data_dir: Path) -> None:
    path = data_dir / "vault.companion"
    vault, old_key = V.Vault.create(path, STRONG, _diary_image(mood=3))  # an older diary
    vault.close()
    assert not V.recovery_key_is_bound(old_key)
    diary = OpenDiary.unlock(path, recovery_key=old_key)  # no tag, an old key: opens
    diary.change_passphrase(NEWER)
    new_key = diary.replace_recovery_key(NEWER)
    diary.lock()
    assert V.recovery_key_is_bound(new_key)
    OpenDiary.unlock(path, recovery_key=new_key).close()


def test_bound_keys_still_catch_typos() -> None:
    body = key_slots.recovery_body(os.urandom)
    key = key_slots.format_recovery(body, 2)
    assert V.normalize_recovery_key(key.lower()) == body.encode()
    groups = key.split("-")
    for i in range(len(groups)):
        typo = list(groups)
        typo[i] = ("B" if typo[i][0] != "B" else "C") + typo[i][1:]
        with pytest.raises(WrongKeyError):
            V.normalize_recovery_key("-".join(typo))
