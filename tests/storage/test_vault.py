"""Round trips, unlock methods, key changes, backups and privacy of the vault layer."""

from __future__ import annotations

import os
import stat
import threading
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from companion.storage import backups as vault_backups
from companion.storage import format as vault_format
from companion.storage import kdf
from companion.storage import vault as V
from companion.storage.errors import (
    CorruptVaultError,
    VaultChangedOnDiskError,
    VaultError,
    VaultWriteError,
    WrongKeyError,
)

from .helpers import MARKER, PASSPHRASE, gen_of, image_with, temp_files, tree_snapshot


def test_create_and_unlock_round_trip(vault_path: Path) -> None:
    image = image_with(size=200_000)
    v, recovery = V.Vault.create(vault_path, PASSPHRASE, image)
    assert v.info.has_recovery and not v.info.has_device
    assert v.info.kdf == kdf.KdfParams(8, 1, 1)
    v2, got = V.Vault.unlock(vault_path, passphrase=PASSPHRASE)
    assert got == image
    v2.save(image_with(gen=2))
    assert gen_of(V.Vault.unlock(vault_path, recovery_key=recovery)[1]) == 2
    assert V.read_info(vault_path).file_id == v.info.file_id


def test_empty_image_and_exact_padding(vault_path: Path) -> None:
    V.Vault.create(vault_path, PASSPHRASE, b"")
    assert V.Vault.unlock(vault_path, passphrase=PASSPHRASE)[1] == b""
    size = vault_path.stat().st_size
    for n in (vault_format.PAD_BLOCK - 8, vault_format.PAD_BLOCK - 7):
        p = vault_path.with_name(f"v{n}.companion")
        V.Vault.create(p, PASSPHRASE, b"a" * n)
        assert V.Vault.unlock(p, passphrase=PASSPHRASE)[1] == b"a" * n
        # size leaks only the padded length
        assert p.stat().st_size - size in (0, vault_format.PAD_BLOCK)


def test_create_refuses_existing_file(created: tuple[Path, str]) -> None:
    path, _ = created
    before = path.read_bytes()
    with pytest.raises(FileExistsError):
        V.Vault.create(path, PASSPHRASE, b"x")
    assert path.read_bytes() == before


def test_each_unlock_method(created: tuple[Path, str]) -> None:
    path, recovery = created
    v, image = V.Vault.unlock(path, passphrase=PASSPHRASE)
    secret = v.enable_device_slot(image)
    assert len(secret) == 32 and V.read_info(path).has_device
    for kwargs in (
        {"passphrase": PASSPHRASE},
        {"recovery_key": recovery},
        {"recovery_key": recovery.lower().replace("-", "  ")},
        {"device_secret": secret},
    ):
        assert V.Vault.unlock(path, **kwargs)[1] == image  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        V.Vault.unlock(path)
    with pytest.raises(ValueError):
        V.Vault.unlock(path, passphrase=PASSPHRASE, recovery_key=recovery)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"passphrase": "wrong passphrase"},
        {"passphrase": PASSPHRASE + " "},
        {"recovery_key": V.new_recovery_key()},
        {"device_secret": os.urandom(32)},
        {"device_secret": b"short"},
    ],
)
def test_wrong_secret_is_wrong_key_and_file_unchanged(
    created: tuple[Path, str], kwargs: dict[str, object]
) -> None:
    path, _ = created
    v, image = V.Vault.unlock(path, passphrase=PASSPHRASE)
    v.enable_device_slot(image)
    before = tree_snapshot(path.parent)
    with pytest.raises(WrongKeyError) as info:
        V.Vault.unlock(path, **kwargs)  # type: ignore[arg-type]
    assert info.value.exit_code == 3
    assert tree_snapshot(path.parent) == before


def test_wrong_key_messages_are_distinct(created: tuple[Path, str]) -> None:
    path, _ = created
    messages = set()
    for kwargs in (
        {"passphrase": "nope"},
        {"recovery_key": V.new_recovery_key()},
        {"device_secret": os.urandom(32)},
    ):
        with pytest.raises(WrongKeyError) as info:
            V.Vault.unlock(path, **kwargs)  # type: ignore[arg-type]
        messages.add(info.value.message)
    assert len(messages) == 3


def test_nfc_and_nfd_passphrases_open_the_same_vault(vault_path: Path) -> None:
    nfc = unicodedata.normalize("NFC", "Ça va, Åsa? ñandú 💙")
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfc != nfd
    V.Vault.create(vault_path, nfd, b"data")
    assert V.Vault.unlock(vault_path, passphrase=nfc)[1] == b"data"
    assert V.Vault.unlock(vault_path, passphrase=nfd)[1] == b"data"
    assert b'"norm":"NFC"' in vault_path.read_bytes()[:4096]


def test_empty_and_very_long_passphrases(vault_path: Path) -> None:
    with pytest.raises(ValueError, match="must not be empty"):
        V.Vault.create(vault_path, "", b"x")
    assert not vault_path.exists()
    long = "ü" * 10_000
    v, _ = V.Vault.create(vault_path, long, b"x")
    assert V.Vault.unlock(vault_path, passphrase=long)[1] == b"x"
    with pytest.raises(WrongKeyError):
        V.Vault.unlock(vault_path, passphrase=long[:-1])
    with pytest.raises(ValueError, match="must not be empty"):
        V.Vault.unlock(vault_path, passphrase="")
    with pytest.raises(ValueError, match="must not be empty"):
        v.change_passphrase("", b"x")


def test_recovery_key_format_and_typos() -> None:
    key = V.new_recovery_key()
    groups = key.split("-")
    assert len(groups) == 8 and all(len(g) == 5 for g in groups)
    body = V.normalize_recovery_key(key)
    assert len(body) == 35
    assert V.normalize_recovery_key(" " + key.lower().replace("-", " ") + "\n") == body
    # every single-symbol substitution and every adjacent swap of different symbols is caught
    plain = key.replace("-", "")
    caught = total = 0
    for i in range(len(plain)):
        for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567":
            if c == plain[i]:
                continue
            total += 1
            try:
                V.normalize_recovery_key(plain[:i] + c + plain[i + 1 :])
            except WrongKeyError as exc:
                assert "typo" in exc.message
                caught += 1
    assert caught == total
    for i in range(len(plain) - 1):
        if plain[i] != plain[i + 1]:
            swapped = plain[:i] + plain[i + 1] + plain[i] + plain[i + 2 :]
            with pytest.raises(WrongKeyError):
                V.normalize_recovery_key(swapped)
    for bad in (plain[:-1], plain + "A", "", "!!!!!"):
        with pytest.raises(WrongKeyError, match="not complete or has a typo"):
            V.normalize_recovery_key(bad)


def test_recovery_key_lookalike_digits() -> None:
    key = V.new_recovery_key()
    body = V.normalize_recovery_key(key)
    typed = key.replace("O", "0").replace("I", "1").replace("B", "8")
    assert V.normalize_recovery_key(typed) == body


def test_close_zeroes_keys_and_blocks_use(created: tuple[Path, str]) -> None:
    path, _ = created
    v, image = V.Vault.unlock(path, passphrase=PASSPHRASE)
    dek = v._dek
    keks = list(v._keks.values())
    v.close()
    assert v.closed and dek == bytearray(32) and all(k == bytearray(32) for k in keks)
    for call in (lambda: v.save(image), lambda: v.enable_device_slot(image)):
        with pytest.raises(VaultError):
            call()


def test_change_passphrase_rotates_everything(created: tuple[Path, str]) -> None:
    path, recovery = created
    v, image = V.Vault.unlock(path, passphrase=PASSPHRASE)
    secret = v.enable_device_slot(image)
    v.save(image_with(gen=1))
    old_file = path.read_bytes()
    old_dek = bytes(v._dek)
    assert len(v.backups()) >= 2

    result = v.change_passphrase("a new passphrase", image_with(gen=2))
    assert result.recovery_key is None  # the old recovery key keeps working
    assert result.device_removed and not v.info.has_device
    assert result.backups_resealed == len({b.path.stat().st_ino for b in v.backups()})
    assert result.backups_kept == 0
    assert bytes(v._dek) != old_dek

    assert gen_of(V.Vault.unlock(path, passphrase="a new passphrase")[1]) == 2
    assert gen_of(V.Vault.unlock(path, recovery_key=recovery)[1]) == 2
    for kwargs in ({"passphrase": PASSPHRASE}, {"device_secret": secret}):
        with pytest.raises(WrongKeyError):
            V.Vault.unlock(path, **kwargs)  # type: ignore[arg-type]
    # every backup now opens only with the new passphrase (and the recovery key)
    for b in v.backups():
        V.Vault.unlock(b.path, passphrase="a new passphrase")
        V.Vault.unlock(b.path, recovery_key=recovery)
        with pytest.raises(WrongKeyError):
            V.Vault.unlock(b.path, passphrase=PASSPHRASE)
    # an attacker with the OLD passphrase and an OLD copy learns only the old data key,
    # which does not open the new file
    old_vault, _ = V.Vault.unlock(
        _write(path.with_name("old.companion"), old_file), passphrase=PASSPHRASE
    )
    parsed = vault_format.parse(path.read_bytes())
    with pytest.raises(CorruptVaultError):
        vault_format.open_payload(parsed, old_vault._dek)


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_change_passphrase_can_replace_recovery_key(created: tuple[Path, str]) -> None:
    path, recovery = created
    v, image = V.Vault.unlock(path, passphrase=PASSPHRASE)
    result = v.change_passphrase("p2", image, replace_recovery_key=True)
    assert result.recovery_key is not None and result.recovery_key != recovery
    assert V.Vault.unlock(path, recovery_key=result.recovery_key)[1] == image
    with pytest.raises(WrongKeyError):
        V.Vault.unlock(path, recovery_key=recovery)


def test_change_passphrase_after_recovery_unlock(created: tuple[Path, str]) -> None:
    path, recovery = created
    v, image = V.Vault.unlock(path, recovery_key=recovery)
    v.change_passphrase("fresh start", image)
    assert V.Vault.unlock(path, passphrase="fresh start")[1] == image
    assert V.Vault.unlock(path, recovery_key=recovery)[1] == image


def test_replace_recovery_key(created: tuple[Path, str]) -> None:
    path, recovery = created
    v, image = V.Vault.unlock(path, passphrase=PASSPHRASE)
    secret = v.enable_device_slot(image)
    new_key = v.replace_recovery_key(image)
    assert new_key != recovery
    assert V.Vault.unlock(path, recovery_key=new_key)[1] == image
    with pytest.raises(WrongKeyError):
        V.Vault.unlock(path, recovery_key=recovery)
    # passphrase and device (known in this session) were re-wrapped for the new data key
    assert V.Vault.unlock(path, passphrase=PASSPHRASE)[1] == image
    assert V.Vault.unlock(path, device_secret=secret)[1] == image
    for b in v.backups():
        with pytest.raises(WrongKeyError):
            V.Vault.unlock(b.path, recovery_key=recovery)


def test_replace_recovery_key_without_passphrase_in_session(created: tuple[Path, str]) -> None:
    path, recovery = created
    v, image = V.Vault.unlock(path, recovery_key=recovery)
    with pytest.raises(VaultError, match="passphrase"):
        v.replace_recovery_key(image)
    with pytest.raises(WrongKeyError):
        v.replace_recovery_key(image, passphrase="not it")
    new_key = v.replace_recovery_key(image, passphrase=PASSPHRASE)
    assert V.Vault.unlock(path, recovery_key=new_key)[1] == image


def test_device_slot_enable_disable(created: tuple[Path, str]) -> None:
    path, _ = created
    v, image = V.Vault.unlock(path, passphrase=PASSPHRASE)
    s1 = v.enable_device_slot(image)
    s2 = v.enable_device_slot(image)  # replaces the slot
    with pytest.raises(WrongKeyError):
        V.Vault.unlock(path, device_secret=s1)
    assert V.Vault.unlock(path, device_secret=s2)[1] == image
    v.disable_device_slot(image)
    assert not V.read_info(path).has_device
    with pytest.raises(WrongKeyError, match="not set up"):
        V.Vault.unlock(path, device_secret=s2)


class _Clock:
    """A clock for the vault's backups: after the real one (the fixture's own backups are
    older), at midday local time, so a session's few minutes never cross midnight (daily
    backups go by the local day: started at 23:57 the test once saw two in one session)."""

    def __init__(self) -> None:
        tomorrow = datetime.now().astimezone() + timedelta(days=1)
        self.now = tomorrow.replace(hour=12, minute=0, second=0, microsecond=0).astimezone(UTC)

    def __call__(self) -> datetime:
        return self.now


def test_backup_rotation_session_and_daily(created: tuple[Path, str]) -> None:
    path, _ = created
    clock = _Clock()
    gen = 0
    for session in range(8):
        v, _image = V.Vault.unlock(path, passphrase=PASSPHRASE)
        v._clock = clock
        for _ in range(3):
            gen += 1
            clock.now += timedelta(minutes=1)
            v.save(image_with(gen=gen))
        clock.now += timedelta(days=1)
        v.close()
        backups = V.list_backups(path)
        sessions = [b for b in backups if b.kind == "session"]
        dailies = [b for b in backups if b.kind == "daily"]
        assert len(sessions) == min(session + 1, vault_backups.SESSION_KEEP)
        assert len(dailies) == min(session + 1, vault_backups.DAILY_KEEP)
        # the session backup is the file as it was before that session changed it
        newest_session = V.Vault.unlock(sessions[0].path, passphrase=PASSPHRASE)[1]
        assert gen_of(newest_session) == gen - 3
    assert [b.saved_at for b in backups] == sorted((b.saved_at for b in backups), reverse=True)
    for b in backups:
        assert stat.S_IMODE(b.path.stat().st_mode) == 0o600
        assert b.size == b.path.stat().st_size


def test_restore_backup(created: tuple[Path, str]) -> None:
    path, _ = created
    v, _ = V.Vault.unlock(path, passphrase=PASSPHRASE)
    for g in (1, 2, 3):
        v.save(image_with(gen=g))
    oldest = V.list_backups(path)[-1]
    restored = v.restore_backup(oldest)
    assert gen_of(restored) == 0
    assert gen_of(V.Vault.unlock(path, passphrase=PASSPHRASE)[1]) == 0
    # the file that was current (gen 3) became a backup
    gens = {gen_of(V.Vault.unlock(b.path, passphrase=PASSPHRASE)[1]) for b in v.backups()}
    assert 3 in gens


def test_save_copy(created: tuple[Path, str], tmp_path: Path) -> None:
    path, recovery = created
    v, image = V.Vault.unlock(path, passphrase=PASSPHRASE)
    dest = tmp_path / "elsewhere" / "copy.companion"
    dest.parent.mkdir()
    v.save_copy(dest, image_with(gen=9))
    assert gen_of(V.Vault.unlock(dest, recovery_key=recovery)[1]) == 9
    assert stat.S_IMODE(dest.stat().st_mode) == 0o600
    assert gen_of(V.Vault.unlock(path, passphrase=PASSPHRASE)[1]) == 0
    with pytest.raises(ValueError):
        v.save_copy(path, image)


def test_changed_on_disk_is_refused(created: tuple[Path, str]) -> None:
    path, _ = created
    v, _image = V.Vault.unlock(path, passphrase=PASSPHRASE)
    other, _ = V.Vault.unlock(path, passphrase=PASSPHRASE)
    other.save(image_with(gen=42))  # e.g. another computer through a sync folder
    theirs = path.read_bytes()
    with pytest.raises(VaultChangedOnDiskError):
        v.save(image_with(gen=1))
    assert path.read_bytes() == theirs
    assert temp_files(path.parent) == []


def test_touch_without_change_is_accepted(created: tuple[Path, str]) -> None:
    path, _ = created
    v, _ = V.Vault.unlock(path, passphrase=PASSPHRASE)
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    v.save(image_with(gen=1))  # stat differs, SHA-256 is the same: fine
    path.unlink()
    with pytest.raises(VaultChangedOnDiskError):
        v.save(image_with(gen=2))
    assert not path.exists()


def test_concurrent_saves_are_serialised(created: tuple[Path, str]) -> None:
    path, _ = created
    v, _ = V.Vault.unlock(path, passphrase=PASSPHRASE)
    errors: list[BaseException] = []

    def worker(start: int) -> None:
        try:
            for g in range(start, start + 10):
                v.save(image_with(gen=g))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i * 100,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert gen_of(V.Vault.unlock(path, passphrase=PASSPHRASE)[1]) in {9, 109, 209, 309}
    assert temp_files(path.parent) == []


def test_privacy_marker_never_on_disk_and_modes(tmp_path: Path) -> None:
    data_dir = tmp_path / "fresh"  # created by the vault layer itself
    path = data_dir / "vault.companion"
    v, _ = V.Vault.create(path, PASSPHRASE, image_with(size=300_000))
    v.close()
    v, image = V.Vault.unlock(path, passphrase=PASSPHRASE)
    for g in range(3):
        v.save(image_with(gen=g, size=300_000))
    v.enable_device_slot(image)
    v.change_passphrase("other", image)
    v.save_copy(data_dir / "copy.companion", image)
    files = tree_snapshot(data_dir)
    assert len(files) >= 4
    hits = [
        name
        for name, content in files.items()
        if MARKER in content or MARKER.decode().encode("utf-16-le") in content
    ]
    assert hits == []
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((data_dir / "backups").stat().st_mode) == 0o700
    for name in files:
        assert stat.S_IMODE((data_dir / name).stat().st_mode) == 0o600, name


def test_backup_dir_permissions_tightened(created: tuple[Path, str]) -> None:
    path, _ = created
    (path.parent / "backups").mkdir(mode=0o755)
    os.chmod(path.parent / "backups", 0o755)
    v, image = V.Vault.unlock(path, passphrase=PASSPHRASE)
    v.save(image)
    assert stat.S_IMODE((path.parent / "backups").stat().st_mode) == 0o700


def test_list_backups_without_key_and_with_damaged_entries(created: tuple[Path, str]) -> None:
    path, _ = created
    v, image = V.Vault.unlock(path, passphrase=PASSPHRASE)
    v.save(image)
    backups = V.list_backups(path)
    assert {b.kind for b in backups} == {"session", "daily"}
    (path.parent / "backups" / "unrelated.txt").write_text("x")
    damaged = path.parent / "backups" / "vault.session.20000101T000000000000Z.companion"
    damaged.write_bytes(b"garbage")
    listed = V.list_backups(path)
    assert len(listed) == len(backups) + 1
    assert listed[-1].path == damaged and listed[-1].saved_at.year == 2000


def test_create_write_failure_is_vault_write_error(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    real_write = os.write

    def failing(fd: int, data: bytes | memoryview) -> int:
        raise OSError(28, "injected ENOSPC")

    os.write = failing  # type: ignore[assignment]
    try:
        with pytest.raises(VaultWriteError):
            V.Vault.create(ro / "vault.companion", PASSPHRASE, b"x")
    finally:
        os.write = real_write
    assert list(ro.iterdir()) == []


def test_restore_refuses_a_foreign_backup(created: tuple[Path, str], tmp_path: Path) -> None:
    path, _ = created
    v, _ = V.Vault.unlock(path, passphrase=PASSPHRASE)
    other = tmp_path / "other.companion"
    V.Vault.create(other, PASSPHRASE, b"someone else's")
    foreign = V.BackupInfo(other, "session", datetime.now(UTC), other.stat().st_size)
    before = path.read_bytes()
    with pytest.raises(CorruptVaultError):
        v.restore_backup(foreign)
    assert path.read_bytes() == before


def test_open_newest_backup_with_recovery_key(created: tuple[Path, str]) -> None:
    path, recovery = created
    v, _ = V.Vault.unlock(path, passphrase=PASSPHRASE)
    v.save(image_with(gen=1))
    path.write_bytes(b"damaged")
    info, restored, image = V.open_newest_backup(path.parent, recovery_key=recovery)
    assert gen_of(image) == 0 and info.kind in ("session", "daily")
    restored.change_passphrase("after recovery", image)
    assert gen_of(V.Vault.unlock(path, passphrase="after recovery")[1]) == 0
