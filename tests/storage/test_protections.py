"""Protections an outside review removed one at a time without any test failing (issue 18).

Each test here fails when its protection is taken out: the directory fsync and its order, the
header in the payload's AAD, symlinks planted in the data folder, backups kept across a
passphrase change, file modes, data-folder repair, and the recovery-key rules.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from companion.core import device_settings
from companion.storage import atomic, files
from companion.storage import format as vault_format
from companion.storage import vault as V
from companion.storage.errors import (
    CorruptVaultError,
    PassphraseChangeRequiredError,
    VaultError,
    VaultInUseError,
    WrongKeyError,
)
from companion.storage.lock import InstanceLock

from .helpers import PASSPHRASE, gen_of, image_with, split, tree_snapshot, with_header

NEW_PASSPHRASE = "quilt harbour lantern seventeen"
PLANTER = "planter owns this other passphrase"

# --------------------------------------------------------------------------- durability order


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, str]]]:
    """Record write / fsync / rename / directory fsync with the path each one touched."""
    log: list[tuple[str, str]] = []
    names: dict[int, str] = {}
    real_open, real_write, real_replace = os.open, os.write, os.replace
    real_fsync, real_fdatasync = os.fsync, os.fdatasync

    def rec_open(path: object, flags: int, mode: int = 0o777, **kw: object) -> int:
        fd = real_open(path, flags, mode, **kw)  # type: ignore[arg-type]
        names[fd] = os.fspath(path)  # type: ignore[arg-type]
        return fd

    def rec_write(fd: int, data: bytes) -> int:
        log.append(("write", names.get(fd, "?")))
        return real_write(fd, data)

    def rec_fsync(fd: int) -> None:
        path = names.get(fd, "?")
        log.append(("fsync-dir" if os.path.isdir(path) else "fsync", path))
        real_fsync(fd)

    def rec_fdatasync(fd: int) -> None:
        log.append(("fsync", names.get(fd, "?")))
        real_fdatasync(fd)

    def rec_replace(src: object, dst: object) -> None:
        log.append(("rename", f"{os.fspath(src)} -> {os.fspath(dst)}"))  # type: ignore[arg-type]
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", rec_open)
    monkeypatch.setattr(os, "write", rec_write)
    monkeypatch.setattr(os, "fsync", rec_fsync)
    monkeypatch.setattr(os, "fdatasync", rec_fdatasync)
    monkeypatch.setattr(os, "replace", rec_replace)
    yield log


def _order(log: list[tuple[str, str]], target: Path) -> list[str]:
    """The calls about the temp file of ``target``, its rename, and its folder's fsync."""
    prefix = str(target.parent / f".{target.name}.")
    out: list[str] = []
    for kind, what in log:
        if kind in ("write", "fsync") and what.startswith(prefix):
            out.append(kind)
        elif kind == "rename" and what.endswith(f"-> {target}"):
            out.append("rename")
        elif kind == "fsync-dir" and what == str(target.parent):
            out.append("fsync-dir")
    collapsed: list[str] = []
    for kind in out:
        if not collapsed or collapsed[-1] != kind:
            collapsed.append(kind)
    return collapsed


def test_vault_save_order_is_write_fsync_rename_fsync_dir(
    created: tuple[Path, str], calls: list[tuple[str, str]]
) -> None:
    path, _ = created
    v, _ = V.Vault.unlock(path, passphrase=PASSPHRASE)
    calls.clear()
    v.save(image_with(gen=1))
    order = _order(calls, path)
    assert order[:4] == ["write", "fsync", "rename", "fsync-dir"], order


def test_private_write_order_is_write_fsync_rename_fsync_dir(
    tmp_path: Path, calls: list[tuple[str, str]]
) -> None:
    target = tmp_path / "export.json"
    atomic.write_private(target, b"{}")
    assert _order(calls, target) == ["write", "fsync", "rename", "fsync-dir"]


def test_directory_fsync_really_fsyncs_the_folder(
    tmp_path: Path, calls: list[tuple[str, str]]
) -> None:
    atomic.fsync_dir(tmp_path)
    assert calls == [("fsync-dir", str(tmp_path))]


# --------------------------------------------------------------------------- header in the AAD


def test_header_is_authenticated_with_the_payload(created: tuple[Path, str]) -> None:
    """Any header edit with a recomputed checksum fails the payload AEAD, even harmless ones."""
    path, _ = created
    data = path.read_bytes()
    for when in ("2001-01-01T00:00:00Z", "2099-12-31T23:59:59Z"):
        tampered = with_header(data, lambda h, x=when: h.__setitem__("saved_at", x))
        path.write_bytes(tampered)
        with pytest.raises(V.DamagedVaultError) as info:
            V.Vault.unlock(path, passphrase=PASSPHRASE)
        # saved_at is not an input of the payload key: only the AAD can catch it
        assert info.value.reason == "payload authentication", when
    # and directly: decrypting with an AAD that differs in one header byte fails
    parsed = vault_format.parse(data)
    v, _ = V.Vault.unlock(_restore(path, data), passphrase=PASSPHRASE)
    other = vault_format.Parsed(
        parsed.header, parsed.aad[:-33] + b"X" + parsed.aad[-32:], parsed.ciphertext
    )
    with pytest.raises(CorruptVaultError):
        vault_format.open_payload(other, v._dek)
    assert vault_format.open_payload(parsed, v._dek)  # the untouched AAD opens


def _restore(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------- symlinks


def test_lock_file_symlink_is_refused_and_target_untouched(
    created: tuple[Path, str], tmp_path: Path
) -> None:
    path, _ = created
    target = tmp_path / "precious.txt"
    target.write_text("do not truncate me")
    (path.parent / (path.name + ".lock")).symlink_to(target)
    with pytest.raises(files.UnsafePathError):
        InstanceLock(path).acquire()
    assert target.read_text() == "do not truncate me"


def test_lock_file_must_be_a_regular_file(created: tuple[Path, str]) -> None:
    path, _ = created
    (path.parent / (path.name + ".lock")).mkdir()
    with pytest.raises(files.UnsafePathError):
        InstanceLock(path).acquire()


def test_device_settings_symlinks_are_not_followed(data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.json"
    target.write_text('{"theme": "dark"}')
    settings = data_dir / "device.json"
    settings.symlink_to(target)
    assert device_settings.load(settings) == device_settings.DeviceSettings()  # not read
    # the old fixed temp name, planted as a link: never used any more
    planted = data_dir / ".device.json.tmp"
    planted.symlink_to(target)
    device_settings.save(settings, device_settings.DeviceSettings(theme="light"))
    assert target.read_text() == '{"theme": "dark"}'  # neither link's target was written
    assert not settings.is_symlink() and stat.S_IMODE(settings.stat().st_mode) == 0o600
    assert device_settings.load(settings).theme == "light"


def test_backups_folder_symlink_is_refused(created: tuple[Path, str], tmp_path: Path) -> None:
    path, _ = created
    outside = tmp_path / "outside"
    outside.mkdir(mode=0o755)
    (path.parent / "backups").symlink_to(outside)
    v, _ = V.Vault.unlock(path, passphrase=PASSPHRASE)
    before = path.read_bytes()
    with pytest.raises(files.UnsafePathError):
        v.save(image_with(gen=1))  # a session backup is due: it would go through the link
    assert path.read_bytes() == before
    assert list(outside.iterdir()) == [] and stat.S_IMODE(outside.stat().st_mode) == 0o755
    assert V.list_backups(path) == []  # listing does not follow it either


def test_private_write_never_follows_or_reuses_a_planted_name(tmp_path: Path) -> None:
    target = tmp_path / "victim-file"
    target.write_text("keep")
    out = tmp_path / "export.json"
    for name in (".export.json.tmp", "export.json.tmp"):
        (tmp_path / name).symlink_to(target)
    atomic.write_private(out, b"secret")
    assert target.read_text() == "keep"
    assert out.read_bytes() == b"secret" and not out.is_symlink()
    # a planted final name that is a link: replaced as a name, its target untouched
    out.unlink()
    out.symlink_to(target)
    atomic.write_private(out, b"secret")
    assert target.read_text() == "keep" and not out.is_symlink()


# --------------------------------------------------------------------------- modes and repair


def test_private_write_is_0600_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o000)
    try:
        out = atomic.write_private(tmp_path / "a.pdf", b"%PDF")
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_data_folder_is_repaired_at_start(created: tuple[Path, str]) -> None:
    path, _ = created
    v, _ = V.Vault.unlock(path, passphrase=PASSPHRASE)
    v.save(image_with(gen=1))
    folder = path.parent
    os.chmod(folder, 0o777)
    os.chmod(folder / "backups", 0o755)
    loose = [path, *(folder / "backups").iterdir()]
    for p in loose:
        os.chmod(p, 0o644)
    assert files.tighten_data_dir(folder) == []
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "backups").stat().st_mode) == 0o700
    for p in loose:
        assert stat.S_IMODE(p.stat().st_mode) == 0o600, p


def test_data_folder_repair_does_not_follow_links(data_dir: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("x")
    os.chmod(outside, 0o644)
    (data_dir / "link").symlink_to(outside)
    files.tighten_data_dir(data_dir)
    assert stat.S_IMODE(outside.stat().st_mode) == 0o644


def test_data_folder_owned_by_someone_else_gives_a_warning(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (data_dir / "vault.companion").write_bytes(b"x")
    monkeypatch.setattr(files, "_euid", lambda: os.geteuid() + 4242)
    monkeypatch.setattr(os, "geteuid", lambda: 4242 + 99999)
    warnings = files.tighten_data_dir(data_dir)
    assert len(warnings) == 1 and "another user" in warnings[0]


# --------------------------------------------------------------------------- backups never lost


def test_passphrase_change_keeps_unopenable_backups(created: tuple[Path, str]) -> None:
    """The damaged original the recovery flow promises to keep survives a passphrase change."""
    path, _ = created
    v, _ = V.Vault.unlock(path, passphrase=PASSPHRASE)
    v.save(image_with(gen=1))
    v.close()
    damaged = bytearray(path.read_bytes())
    damaged[-40] ^= 1
    path.write_bytes(bytes(damaged))
    _info, restored, image = V.open_newest_backup(path.parent, passphrase=PASSPHRASE)
    restored.save(image)  # written back; the damaged file becomes a session backup
    damaged_hash = hashlib.sha256(bytes(damaged)).hexdigest()

    def hashes(folder: Path) -> set[str]:
        return {hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.glob("*.companion")}

    assert damaged_hash in hashes(path.parent / "backups")
    # an older backup under some other key is kept too
    foreign = path.parent / "backups" / "vault.session.20000101T000000000000Z.companion"
    other, _ = V.Vault.create(path.with_name("other.companion"), PASSPHRASE, b"x")
    foreign.write_bytes(other.path.read_bytes())

    result = restored.change_passphrase(NEW_PASSPHRASE, image)
    assert result.backups_kept == 2 and result.backups_resealed >= 1
    kept = V.kept_dir(path)
    assert damaged_hash in hashes(kept) and len(V.list_kept(path)) == 2
    assert V.list_backups(path)  # the good ones are still backups, re-sealed
    for b in V.list_backups(path):
        V.Vault.unlock(b.path, passphrase=NEW_PASSPHRASE)


def test_full_disk_drop_is_reported(
    created: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, _ = created
    v, _ = V.Vault.unlock(path, passphrase=PASSPHRASE)
    v.save(image_with(gen=1))
    v.close()
    v, _ = V.Vault.unlock(path, passphrase=PASSPHRASE)
    told: list[int] = []
    v.on_backup_dropped = told.append
    real = atomic.write_temp
    failures = [1]

    def full_once(*a: object, **k: object) -> object:
        if failures[0]:
            failures[0] -= 1
            raise OSError(errno.ENOSPC, "injected: no space left on device")
        return real(*a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(V, "_write_temp", full_once)
    v.save(image_with(gen=2))
    assert gen_of(V.Vault.unlock(path, passphrase=PASSPHRASE)[1]) == 2
    assert told and told == [v.backups_dropped] and v.backups_dropped >= 1


def test_full_disk_does_not_drop_a_backup_that_would_not_help(
    created: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, _ = created
    v, _ = V.Vault.unlock(path, passphrase=PASSPHRASE)
    v.save(image_with(gen=1))
    v.close()
    v, _ = V.Vault.unlock(path, passphrase=PASSPHRASE)
    before = tree_snapshot(path.parent)

    def full(*a: object, **k: object) -> object:
        raise OSError(errno.ENOSPC, "injected: no space left on device")

    class NoRoom:
        f_bavail = 0
        f_frsize = 4096

    monkeypatch.setattr(V, "_write_temp", full)
    monkeypatch.setattr(os, "statvfs", lambda _p: NoRoom())
    with pytest.raises(V.VaultWriteError):
        v.save(image_with(gen=2, size=10_000_000))
    assert tree_snapshot(path.parent) == before  # nothing dropped for nothing
    assert v.backups_dropped == 0


# --------------------------------------------------------------------------- recovery key


def _plant(path: Path, tmp_path: Path) -> None:
    """Someone who can write the data folder (knowing no secret) plants a vault of their own
    whose recovery slot is wrapped to the victim's public key and salt (review F2)."""
    victim = vault_format.parse(path.read_bytes()).header.recovery
    assert victim is not None
    pv, _ = V.Vault.create(tmp_path / "planter.companion", PLANTER, image_with(gen=99))
    slot = pv._recovery_slot_to(victim.salt, victim.pub, pv._dek)
    header = pv._next_header((pv._header.passphrase, slot))
    path.write_bytes(bytes(vault_format.seal(header, pv._dek, image_with(gen=99))))


def test_planted_vault_opened_by_recovery_key_cannot_be_written_into(
    created: tuple[Path, str], tmp_path: Path
) -> None:
    path, recovery = created
    v, _ = V.Vault.unlock(path, passphrase=PASSPHRASE)
    v.save(image_with(gen=1))  # the victim's real backups
    v.close()
    real_backups = {p.name: p.read_bytes() for p in (path.parent / "backups").iterdir()}
    _plant(path, tmp_path)
    with pytest.raises(WrongKeyError):
        V.Vault.unlock(path, passphrase=PASSPHRASE)
    opened, image = V.Vault.unlock(path, recovery_key=recovery)
    assert gen_of(image) == 99 and opened.rekey_required
    planted = path.read_bytes()
    for write in (
        lambda: opened.save(image_with(gen=100)),
        lambda: opened.enable_device_slot(image),
        lambda: opened.disable_device_slot(image),
        lambda: opened.save_copy(tmp_path / "copy.companion", image),
    ):
        with pytest.raises(PassphraseChangeRequiredError):
            write()
    with pytest.raises(VaultError, match="passphrase"):  # only with the real passphrase
        opened.replace_recovery_key(image)
    assert path.read_bytes() == planted  # nothing was written into the planter's file

    opened.change_passphrase(NEW_PASSPHRASE, image_with(gen=100))
    assert not opened.rekey_required
    with pytest.raises(WrongKeyError):
        V.Vault.unlock(path, passphrase=PLANTER)  # the planter's slot did not survive
    assert gen_of(V.Vault.unlock(path, passphrase=NEW_PASSPHRASE)[1]) == 100
    assert gen_of(V.Vault.unlock(path, recovery_key=recovery)[1]) == 100
    slots = [s["kind"] for s in split(path.read_bytes())[1]["slots"]]
    assert slots == ["passphrase", "recovery"]
    # the victim's real backups did not open under the planter's key: kept, never deleted
    kept = {p.read_bytes() for p in V.list_kept(path)}
    assert set(real_backups.values()) <= kept


def test_recovery_unlock_then_passphrase_proves_the_diary(created: tuple[Path, str]) -> None:
    """Replacing the recovery key with the right passphrase is allowed after a recovery unlock
    (the passphrase opened this very data key, so the file is the person's own)."""
    path, recovery = created
    v, image = V.Vault.unlock(path, recovery_key=recovery)
    with pytest.raises(PassphraseChangeRequiredError):
        v.save(image)
    new_key = v.replace_recovery_key(image, passphrase=PASSPHRASE)
    assert not v.rekey_required
    v.save(image_with(gen=3))
    assert gen_of(V.Vault.unlock(path, recovery_key=new_key)[1]) == 3


def test_passphrase_and_device_unlocks_are_writable(created: tuple[Path, str]) -> None:
    path, _ = created
    v, image = V.Vault.unlock(path, passphrase=PASSPHRASE)
    assert not v.rekey_required
    secret = v.enable_device_slot(image)
    d, _ = V.Vault.unlock(path, device_secret=secret)
    assert not d.rekey_required
    d.save(image_with(gen=4))


# --------------------------------------------------------------------------- rollback


def test_newer_backup_reveals_a_rollback(created: tuple[Path, str]) -> None:
    path, _ = created
    old_copy = path.read_bytes()

    def later() -> datetime:
        return V._utcnow() + timedelta(days=400)

    for gen in (1, 2):  # two sessions: the second keeps the first one's file as a backup
        v, _ = V.Vault.unlock(path, passphrase=PASSPHRASE)
        v._clock = later
        v.save(image_with(gen=gen))
        v.close()
    info = V.read_info(path)
    assert V.newer_backups(path, info.saved_at) == []
    path.write_bytes(old_copy)  # someone puts an old copy back
    rolled = V.read_info(path)
    newer = V.newer_backups(path, rolled.saved_at)
    assert newer and all(b.saved_at > rolled.saved_at for b in newer)


# --------------------------------------------------------------------------- read-only lock


def test_read_only_lock_works_without_write_access(
    created: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, _ = created
    real_open = files.open_regular

    def erofs(p: Path, flags: int, mode: int = 0o600) -> int:
        if flags & (os.O_RDWR | os.O_WRONLY | os.O_CREAT):
            raise OSError(errno.EROFS, "Read-only file system")
        return real_open(p, flags, mode)

    monkeypatch.setattr("companion.storage.lock.open_regular", erofs)
    with pytest.raises(OSError):
        InstanceLock(path).acquire()  # a writer needs the lock file
    with InstanceLock(path, read_only=True) as lock:  # no lock file yet: nobody can write
        assert lock.held
    monkeypatch.undo()
    holder = InstanceLock(path)
    holder.acquire()  # creates the lock file and holds it
    monkeypatch.setattr("companion.storage.lock.open_regular", erofs)
    with pytest.raises(VaultInUseError):
        InstanceLock(path, read_only=True).acquire()  # still one writer at a time
    holder.release()
    with InstanceLock(path, read_only=True) as lock:  # the existing file, opened to read
        assert lock.held


def test_a_copy_from_before_a_passphrase_change_is_noticed(created: tuple[Path, str]) -> None:
    """Review F9 (c): the old passphrase opens an old copy put back; the backups, re-sealed at
    the change, carry newer keys than the file, which gives it away."""
    path, _ = created
    v, _image = V.Vault.unlock(path, passphrase=PASSPHRASE)
    v.save(image_with(gen=1))
    assert V.rekeyed_backups(path) == 0
    old_copy = path.read_bytes()
    v.change_passphrase(NEW_PASSPHRASE, image_with(gen=2))
    assert V.rekeyed_backups(path) == 0  # normal: every backup follows the keys
    v.enable_device_slot(image_with(gen=3))
    v.save(image_with(gen=4))
    assert V.rekeyed_backups(path) == 0  # a device slot does not change the passphrase slot
    path.write_bytes(old_copy)
    assert V.rekeyed_backups(path) >= 1
    assert gen_of(V.Vault.unlock(path, passphrase=PASSPHRASE)[1]) == 1  # it does open
