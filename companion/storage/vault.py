"""The encrypted vault: one file, its keys and its backups, tied together by :class:`Vault`.

The parts, each in its own module:

* ``format.py``: the bytes on disk (format v1), their limits, sealing and opening the payload;
* ``key_slots.py``: the passphrase, recovery and device slots that wrap the data key (DEK),
  recovery keys and their binding to the diary;
* ``atomic.py``: durable writes (temp file, fsync, rename, folder fsync);
* ``backups.py``: taking, keeping, listing and re-sealing backups, and the rollback signals.

Key changes — why they look the way they do
-------------------------------------------
Passphrase change rotates the DEK (a stolen old passphrase plus an old copy of the file must not
open anything written later). Re-wrapping a *new* DEK for the recovery slot only needs the
recovery slot's public key, so the recovery key keeps working without ever being stored or
re-typed, and an attacker who holds the old passphrase and an old file learns only the old DEK.
Backups are re-sealed under the new DEK; one that cannot be opened with the old key (older,
damaged) is moved to ``backups/kept/``, never deleted, and counted for the person. The device
slot is dropped (the UI may re-enable it; the caller deletes the keyring item).

Replacing the recovery key also rotates the DEK (so the old recovery key plus an old file cannot
read later data). That needs the passphrase KEK: the vault keeps the KEKs it learned in this
session (passphrase and device) in ``bytearray`` s, zeroed on :meth:`Vault.close`; after a
recovery/device unlock the passphrase must be passed in.

Because anyone can encrypt *to* a public key, someone who can write to the data folder can plant
a file that the *recovery key* opens (never the passphrase or device key). Two defences:

* A vault opened with the recovery key is *read-only* (``rekey_required``): every write raises
  :class:`PassphraseChangeRequiredError` until :meth:`Vault.change_passphrase`, which rotates the
  DEK and writes only slots the person controls (the new passphrase, the recovery slot re-wrapped
  to the public key their recovery key just proved, no device slot), so a planter's slot cannot
  survive.
* Recovery keys made with ``bind_recovery`` (every diary since issue 18) are *bound*: their
  checksum says so (version 2), and the payload must carry a tag only the key's holder can
  compute (``key_slots.py``), else :class:`UnboundRecoveryError`. Version 1 keys (older
  diaries, golden files) open as before; making a new recovery key binds the diary.

Saves
-----
Save = temp file in the same folder (``O_CREAT|O_EXCL``, 0600) → seal and write it one chunk
at a time (:class:`~companion.storage.format.SealedFile`: no sealed or padded copy of the image
in memory) → fsync → check the file on disk is still the one we loaded → backups →
``os.replace`` → fsync the folder.
On a full disk the oldest backup generation is dropped once if that makes room, and the person
is told (:attr:`Vault.on_backup_dropped`).
"""

from __future__ import annotations

import errno
import os
import threading
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from companion import paths
from companion.i18n import _
from companion.storage import atomic, backups, kdf, key_slots
from companion.storage import format as vault_format
from companion.storage.atomic import FileIdentity, cleanup_stale_temp_files
from companion.storage.backups import (
    BackupInfo,
    kept_dir,
    list_backups,
    list_kept,
    newer_backups,
    rekeyed_backups,
)
from companion.storage.errors import (
    CorruptVaultError,
    PassphraseChangeRequiredError,
    UnboundRecoveryError,
    VaultChangedOnDiskError,
    VaultError,
    VaultWriteError,
    WrongKeyError,
)
from companion.storage.files import private_dir
from companion.storage.format import (
    KEY_LEN,
    SALT_LEN,
    SAVE_SALT_LEN,
    TAG_LEN,
    DamagedVaultError,
    DeviceSlot,
    Header,
    PassphraseSlot,
    RecoverySlot,
    SealBuffers,
    SealedFile,
    Slot,
    VaultFile,
    VaultInfo,
    parse,
    read_file,
    wipe,
)
from companion.storage.kdf import KdfParams
from companion.storage.key_slots import (
    Entropy,
    KekCache,
    new_recovery_key,
    normalize_recovery_key,
    recovery_key_is_bound,
)

__all__ = [
    "BackupInfo",
    "DamagedVaultError",
    "PassphraseChangeResult",
    "UnboundRecoveryError",
    "Vault",
    "VaultInfo",
    "cleanup_stale_temp_files",
    "kept_dir",
    "list_backups",
    "list_kept",
    "new_recovery_key",
    "newer_backups",
    "normalize_recovery_key",
    "open_newest_backup",
    "read_info",
    "recovery_key_is_bound",
    "rekeyed_backups",
]

Clock = Callable[[], datetime]


def _utcnow() -> datetime:
    return datetime.now(UTC)


# The save path's steps under names of this module, looked up when they are called: the fault
# tests and bench/ wrap them here (a disk that fills up during one save, the time of each step).
_seal = vault_format.SealedFile
_write_temp = atomic.write_temp
_replace = atomic.replace
_fsync_dir = atomic.fsync_dir


@dataclass(frozen=True)
class PassphraseChangeResult:
    """What a passphrase change did, so the UI can tell the person."""

    recovery_key: str | None  # a new key to show once, or None: the old recovery key still works
    backups_resealed: int
    #: backups that did not open under the old key (older, damaged): moved to ``backups/kept/``,
    #: never deleted
    backups_kept: int
    device_removed: bool


def read_info(path: Path) -> VaultInfo:
    """The header of a vault file; checks the whole structure (not the keys)."""
    data, _st = read_file(path)
    return parse(data).header.info()


def _identity(st: os.stat_result, data: SealedFile | bytes) -> FileIdentity:
    """The file just written (a :class:`SealedFile`) or read (its bytes)."""
    # The tail is the file's GCM tag: a MAC over the whole file under a per-save key.
    return FileIdentity.of(st, data.tag if isinstance(data, SealedFile) else data, TAG_LEN)


class Vault:
    """An unlocked vault. Holds the data key; never the image (the caller owns the database)."""

    def __init__(
        self,
        path: Path,
        header: Header,
        dek: bytearray,
        identity: FileIdentity | None,
        *,
        keks: dict[str, bytearray],
        session_backup_pending: bool,
        entropy: Entropy = os.urandom,
        clock: Clock = _utcnow,
    ) -> None:
        self.path = path
        self._header = header
        self._dek = dek
        self._identity = identity
        self._keks = keks
        self._session_backup_pending = session_backup_pending
        self._entropy = entropy
        self._clock = clock
        self._lock = threading.RLock()
        self._closed = False
        #: what saves seal into (reused from save to save; used under ``_lock`` only)
        self._buffers = SealBuffers()
        #: set after a recovery-key unlock: nothing is written until change_passphrase (which
        #: rotates the data key and keeps only slots the person controls)
        self.rekey_required = False
        #: called (from the saving thread) with the number of backup files removed to make room
        #: on a full disk, so the person is told every time
        self.on_backup_dropped: Callable[[int], None] | None = None
        self.backups_dropped = 0
        #: the recovery binding tag, when this session knows it (created, replaced, or proved by
        #: a bound recovery key): stamped into every image sealed. Otherwise the image carries
        #: its own tag unchanged, since the diary database keeps the SQLite header field.
        self._binding: int | None = None

    # ----------------------------------------------------------------- opening

    @classmethod
    def create(
        cls, path: Path, passphrase: str, image: bytes, *, bind_recovery: bool = False
    ) -> tuple[Vault, str]:
        """Create a new vault; returns it and the recovery key to show once.

        ``bind_recovery``: make a bound (version 2) recovery key and stamp its tag into the
        image, which must then be a SQLite database (the diary always passes True).
        """
        return cls._create(path, passphrase, image, bind_recovery=bind_recovery)

    @classmethod
    def _create(
        cls,
        path: Path,
        passphrase: str,
        image: bytes,
        *,
        entropy: Entropy = os.urandom,
        clock: Clock = _utcnow,
        bind_recovery: bool = False,
    ) -> tuple[Vault, str]:
        """:meth:`create` with injectable randomness and time (golden files in tests)."""
        key_slots.check_passphrase(passphrase)
        path = Path(path)
        if path.exists():
            raise FileExistsError(_("{name} already exists").format(name=path.name))
        private_dir(path.parent)
        dek = bytearray(entropy(KEY_LEN))
        file_id = entropy(16).hex()
        params = kdf.calibrate()
        salt = entropy(SALT_LEN)
        kek = bytearray(kdf.derive(passphrase, salt, params))
        vault = cls(
            path,
            Header(file_id, b"", clock(), ()),
            dek,
            None,
            keks={"passphrase": kek},
            session_backup_pending=False,
            entropy=entropy,
            clock=clock,
        )
        body = key_slots.recovery_body(entropy)
        slots: list[Slot] = [
            vault._passphrase_slot(kek, dek, params, salt),
            vault._new_recovery_slot(body, dek),
        ]
        header = vault._next_header(tuple(slots))
        version = 1
        if bind_recovery:
            version = 2
            rslot = slots[1]
            assert isinstance(rslot, RecoverySlot)
            vault._binding = vault._binding_for(body, rslot)
        data = _seal(header, dek, key_slots.tagged(image, vault._binding))
        try:
            st = atomic.write_new(path, data)
        except FileExistsError:
            raise
        except OSError as exc:
            raise VaultWriteError() from exc
        vault._header = header
        vault._identity = _identity(st, data)
        return vault, key_slots.format_recovery(body, version)

    @classmethod
    def unlock(
        cls,
        path: Path,
        *,
        passphrase: str | None = None,
        recovery_key: str | None = None,
        device_secret: bytes | None = None,
    ) -> tuple[Vault, bytearray]:
        """Open with exactly one secret; returns the vault and the SQLite image (the only
        plaintext copy: wipe it with ``format.wipe`` once SQLite has its own)."""
        return cls._unlock(
            Path(path),
            passphrase=passphrase,
            recovery_key=recovery_key,
            device_secret=device_secret,
        )

    @classmethod
    def _unlock(
        cls,
        path: Path,
        *,
        passphrase: str | None = None,
        recovery_key: str | None = None,
        device_secret: bytes | None = None,
        kek_cache: KekCache | None = None,
    ) -> tuple[Vault, bytearray]:
        given = [s is not None for s in (passphrase, recovery_key, device_secret)]
        if sum(given) != 1:
            raise ValueError("Give exactly one of passphrase, recovery_key or device_secret.")
        if passphrase is not None:
            key_slots.check_passphrase(passphrase)
        body, key_version = (
            key_slots.parse_recovery(recovery_key) if recovery_key is not None else (None, 0)
        )
        with VaultFile(path) as file:
            header = file.header
            keks: dict[str, bytearray] = {}
            if passphrase is not None:
                dek, keks["passphrase"] = key_slots.open_with_passphrase(
                    header, passphrase, kek_cache
                )
            elif body is not None:
                dek = key_slots.open_with_recovery(header, body)
            else:
                assert device_secret is not None
                dek, keks["device"] = key_slots.open_with_device(header, device_secret)
            if len(dek) != KEY_LEN:  # cannot happen: the wrapped length is fixed
                raise DamagedVaultError("wrapped key length")
            binding: int | None = None
            try:
                image = file.payload(dek)
            except (CorruptVaultError, OSError):
                wipe(dek)
                raise
            try:
                if body is not None and key_version == 2:
                    rslot = header.recovery
                    assert rslot is not None
                    binding = key_slots.binding_tag(body, rslot, header.file_id)
                    if key_slots.image_tag(image) != binding:
                        raise UnboundRecoveryError()
            except CorruptVaultError:
                wipe(dek)
                wipe(image)
                raise
            identity = FileIdentity.of(file.stat, file.tag, TAG_LEN)
        vault = cls(path, header, dek, identity, keks=keks, session_backup_pending=True)
        # Anyone can encrypt *to* the recovery key's public half, so a file it opens may have
        # been planted: nothing is written until a new passphrase rotates the data key.
        vault.rekey_required = body is not None
        vault._binding = binding
        return vault, image

    # ----------------------------------------------------------------- state

    @property
    def info(self) -> VaultInfo:
        with self._lock:
            return self._header.info()

    @property
    def closed(self) -> bool:
        return self._closed

    def _check_open(self) -> None:
        if self._closed:
            raise VaultError(_("This diary is locked. Please unlock it again."))

    def _check_writable(self) -> None:
        self._check_open()
        if self.rekey_required:
            raise PassphraseChangeRequiredError()

    def _report_dropped(self, count: int) -> None:
        self.backups_dropped += count
        callback = self.on_backup_dropped
        if callback is not None:
            callback(count)

    def close(self) -> None:
        """Zero the key material; any further use raises :class:`VaultError`."""
        with self._lock:
            wipe(self._dek)
            for kek in self._keks.values():
                wipe(kek)
            self._keks.clear()
            self._buffers.release()
            self._closed = True
            self.on_backup_dropped = None  # no reference from a closed vault back to the UI

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _next_header(self, slots: tuple[Slot, ...] | None = None) -> Header:
        return Header(
            file_id=self._header.file_id,
            save_salt=self._entropy(SAVE_SALT_LEN),
            saved_at=self._clock().replace(microsecond=0),
            slots=self._header.slots if slots is None else slots,
        )

    # ----------------------------------------------------------------- slots

    def _passphrase_slot(
        self, kek: bytearray, dek: bytearray, params: KdfParams, salt: bytes
    ) -> PassphraseSlot:
        file_id = self._header.file_id
        return key_slots.passphrase_slot(file_id, kek, dek, params, salt, self._entropy)

    def _device_slot(self, kek: bytearray, dek: bytearray, salt: bytes) -> DeviceSlot:
        return key_slots.device_slot(self._header.file_id, kek, dek, salt, self._entropy)

    def _recovery_slot_to(self, salt: bytes, pub: bytes, dek: bytearray) -> RecoverySlot:
        return key_slots.recovery_slot_to(self._header.file_id, salt, pub, dek, self._entropy)

    def _new_recovery_slot(self, body: str, dek: bytearray) -> RecoverySlot:
        return key_slots.new_recovery_slot(self._header.file_id, body, dek, self._entropy)

    # ----------------------------------------------------------------- saving

    def _ensure_unchanged(self) -> None:
        if not atomic.unchanged_on_disk(self.path, self._identity):
            raise VaultChangedOnDiskError()

    def _take_backups(self, force_session: bool) -> list[Path]:
        """Hard-link (or copy) the current file into the backups folder; return new paths."""
        session = self._session_backup_pending or force_session
        return backups.take(self.path, self._clock(), session=session)

    def _prune_backups(self) -> None:
        backups.prune(self.path)

    def _write_vault(self, data: SealedFile, *, force_session_backup: bool = False) -> FileIdentity:
        """The §5.4 protocol. Raises VaultWriteError / VaultChangedOnDiskError; on failure the
        vault and its backups are as they were (except one dropped backup after ENOSPC)."""
        directory = self.path.parent
        retried = False
        while True:
            tmp: Path | None = None
            created: list[Path] = []
            try:
                self._ensure_unchanged()
                tmp, st = _write_temp(directory, self.path.name, data)
                self._ensure_unchanged()
                created = self._take_backups(force_session_backup)
                _replace(tmp, self.path)
                tmp = None
            except OSError as exc:
                for p in created:
                    atomic.unlink_quiet(p)
                if tmp is not None:
                    atomic.unlink_quiet(tmp)
                    tmp = None
                full = exc.errno in (errno.ENOSPC, errno.EDQUOT)
                if full and not retried:
                    dropped = backups.drop_oldest(self.path, len(data))
                    if dropped:
                        retried = True
                        self._report_dropped(dropped)
                        continue
                if retried:
                    raise VaultWriteError(
                        _(
                            "Companion could not save to disk. Your previous saved copy is "
                            "unchanged; please free some space or check the folder's "
                            "permissions. One old backup had been removed to make room."
                        )
                    ) from exc
                raise VaultWriteError() from exc
            finally:
                if tmp is not None:
                    atomic.unlink_quiet(tmp)
            _fsync_dir(directory)
            self._session_backup_pending = False
            with suppress(OSError):
                self._prune_backups()
            return _identity(st, data)

    def _sealed(self, image: bytes | bytearray, header: Header) -> SealedFile:
        """``image`` (with this session's binding tag) to be sealed under the current data key
        as it is written, through the vault's reused buffer (one file at a time, under the
        vault's lock: write it before sealing another)."""
        return _seal(header, self._dek, key_slots.tagged(image, self._binding), self._buffers)

    def _save(self, image: bytes | bytearray, *, force_session_backup: bool = False) -> None:
        header = self._next_header()
        data = self._sealed(image, header)
        self._identity = self._write_vault(data, force_session_backup=force_session_backup)
        self._header = header

    def save(self, image: bytes) -> None:
        """Seal ``image`` and replace the file atomically (serialised across threads)."""
        with self._lock:
            self._check_writable()
            self._save(image)

    # ----------------------------------------------------------------- key changes

    def _commit_rotation(
        self,
        image: bytes,
        new_dek: bytearray,
        slots: list[Slot],
        keks: dict[str, bytearray],
        binding: int | None,
    ) -> tuple[int, int]:
        """Save under a new DEK, then re-seal the backups. Returns (resealed, kept)."""
        header = self._next_header(tuple(slots))
        try:
            data = _seal(header, new_dek, key_slots.tagged(image, binding), self._buffers)
            identity = self._write_vault(data)
        except BaseException:
            wipe(new_dek)
            for name, kek in keks.items():
                if self._keks.get(name) is not kek:
                    wipe(kek)
            raise
        old_dek = self._dek
        self._dek, self._header, self._identity = new_dek, header, identity
        self._binding = binding
        for name, old in list(self._keks.items()):
            if keks.get(name) is not old:
                wipe(old)
        self._keks = keks

        def seal_again(backup_image: bytes | bytearray, saved_at: datetime) -> SealedFile:
            backup_header = replace(
                self._next_header(), saved_at=saved_at, slots=self._header.slots
            )
            return self._sealed(backup_image, backup_header)

        try:
            return backups.reseal(self.path, old_dek, seal_again)
        finally:
            wipe(old_dek)

    def change_passphrase(
        self,
        new_passphrase: str,
        image: bytes,
        *,
        replace_recovery_key: bool = False,
        bind_recovery: bool = False,
    ) -> PassphraseChangeResult:
        """New passphrase slot (re-calibrated KDF, new salt) and a new data key.

        The recovery key keeps working (its slot is re-wrapped to its public key) unless
        ``replace_recovery_key`` is set; the device slot is dropped; backups are re-sealed.
        """
        key_slots.check_passphrase(new_passphrase)
        with self._lock:
            self._check_open()
            params = kdf.calibrate()
            salt = self._entropy(SALT_LEN)
            kek = bytearray(kdf.derive(new_passphrase, salt, params))
            new_dek = bytearray(self._entropy(KEY_LEN))
            slots: list[Slot] = [self._passphrase_slot(kek, new_dek, params, salt)]
            recovery_key: str | None = None
            old_recovery = self._header.recovery
            binding = self._binding
            if replace_recovery_key:
                body = key_slots.recovery_body(self._entropy)
                rslot = self._new_recovery_slot(body, new_dek)
                slots.append(rslot)
                binding = self._binding_for(body, rslot) if bind_recovery else None
                recovery_key = key_slots.format_recovery(body, 2 if bind_recovery else 1)
            elif old_recovery is not None:
                slots.append(self._recovery_slot_to(old_recovery.salt, old_recovery.pub, new_dek))
            device_removed = self._header.device is not None
            resealed, kept = self._commit_rotation(
                image, new_dek, slots, {"passphrase": kek}, binding
            )
            self.rekey_required = False
            return PassphraseChangeResult(recovery_key, resealed, kept, device_removed)

    def _binding_for(self, body: str, slot: RecoverySlot) -> int:
        return key_slots.binding_tag(body.encode("ascii"), slot, self._header.file_id)

    def replace_recovery_key(
        self, image: bytes, *, passphrase: str | None = None, bind_recovery: bool = False
    ) -> str:
        """A new recovery key (returned, show once) and a new data key; backups re-sealed.

        Needs the passphrase KEK: known if this session unlocked with (or set) the passphrase,
        otherwise pass ``passphrase``. The device slot is kept if this session knows its key,
        else dropped (check ``info.has_device``).
        """
        with self._lock:
            self._check_open()
            pslot = self._header.passphrase
            kek = self._keks.get("passphrase")
            if kek is None:
                if passphrase is None:
                    raise VaultError(_("Please enter your passphrase to replace the recovery key."))
                kek = key_slots.prove_passphrase(self._header, passphrase, self._dek)
            elif self.rekey_required:
                raise PassphraseChangeRequiredError()
            # The passphrase opened this very data key, so this is the person's own diary (a
            # planted file would not open with it): writing is safe again after this.
            new_dek = bytearray(self._entropy(KEY_LEN))
            body = key_slots.recovery_body(self._entropy)
            rslot = self._new_recovery_slot(body, new_dek)
            slots: list[Slot] = [
                self._passphrase_slot(kek, new_dek, pslot.kdf, pslot.salt),
                rslot,
            ]
            binding = self._binding_for(body, rslot) if bind_recovery else None
            keks = {"passphrase": kek}
            dslot = self._header.device
            device_kek = self._keks.get("device")
            if dslot is not None and device_kek is not None:
                slots.append(self._device_slot(device_kek, new_dek, dslot.salt))
                keks["device"] = device_kek
            self._commit_rotation(image, new_dek, slots, keks, binding)
            self.rekey_required = False
            return key_slots.format_recovery(body, 2 if bind_recovery else 1)

    def enable_device_slot(self, image: bytes) -> bytes:
        """Add (or replace) the device slot; returns the 32-byte secret for the keyring."""
        with self._lock:
            self._check_writable()
            secret = self._entropy(KEY_LEN)
            salt = self._entropy(SALT_LEN)
            kek = key_slots.device_kek(secret, salt)
            kept = [s for s in self._header.slots if s.kind != "device"]
            slot = self._device_slot(kek, self._dek, salt)
            header = self._next_header((*kept, slot))
            try:
                self._identity = self._write_vault(self._sealed(image, header))
            except BaseException:
                wipe(kek)
                raise
            self._header = header
            old = self._keks.get("device")
            if old is not None:
                wipe(old)
            self._keks["device"] = kek
            return secret

    def disable_device_slot(self, image: bytes) -> None:
        """Remove the device slot (the caller deletes the keyring item)."""
        with self._lock:
            self._check_writable()
            slots = tuple(s for s in self._header.slots if s.kind != "device")
            header = self._next_header(slots)
            self._identity = self._write_vault(self._sealed(image, header))
            self._header = header
            old = self._keks.pop("device", None)
            if old is not None:
                wipe(old)

    # ----------------------------------------------------------------- backups and copies

    def backups(self) -> list[BackupInfo]:
        return list_backups(self.path)

    def restore_backup(self, backup: BackupInfo) -> bytearray:
        """Make ``backup`` the current vault (the current file becomes a session backup first).
        Returns its image, the caller's to wipe once SQLite has it."""
        with self._lock:
            self._check_writable()
            with VaultFile(backup.path) as file:
                if file.header.file_id != self._header.file_id:
                    raise DamagedVaultError("backup belongs to another diary")
                image = file.payload(self._dek)
            try:
                self._save(image, force_session_backup=True)
            except BaseException:
                wipe(image)
                raise
            return image

    def save_copy(self, dest: Path, image: bytes) -> None:
        """An encrypted copy elsewhere, sealed with the same keys, written atomically."""
        dest = Path(dest)
        with self._lock:
            self._check_writable()
            if dest.resolve() == self.path.resolve():
                raise ValueError(_("A copy cannot replace the diary file itself."))
            data = self._sealed(image, self._next_header())
            try:
                atomic.write_private(dest, data)
            except OSError as exc:
                raise VaultWriteError() from exc

    def _rebind(self, path: Path) -> None:
        """Point this vault (opened from a backup) at the main vault path."""
        self.path = path
        try:
            data, st = read_file(path)
        except FileNotFoundError:
            self._identity = None
        except DamagedVaultError:
            # Too large to read: keep a stat-only identity so a save still refuses on change.
            st = os.stat(path)
            self._identity = FileIdentity(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, b"")
        else:
            self._identity = _identity(st, data)
        self._session_backup_pending = True


def open_newest_backup(
    directory: Path, *, passphrase: str | None = None, recovery_key: str | None = None
) -> tuple[BackupInfo, Vault, bytearray]:
    """For a damaged vault: open the newest backup that opens with the given secret.

    The returned vault is bound to the *main* vault path, so its first save writes the restored
    content there (the damaged file is kept as a session backup). Raises
    :class:`WrongKeyError` if every backup was intact but the secret opened none of them, else
    :class:`CorruptVaultError` when none opens.
    """
    main = paths.vault_path(Path(directory))
    cache: KekCache = {}
    wrong = tried = 0
    for backup in list_backups(main):
        tried += 1
        try:
            vault, image = Vault._unlock(
                backup.path, passphrase=passphrase, recovery_key=recovery_key, kek_cache=cache
            )
        except WrongKeyError:
            wrong += 1
            continue
        except (CorruptVaultError, OSError):
            continue
        vault._rebind(main)
        return backup, vault, image
    if tried and wrong == tried:
        raise WrongKeyError()
    raise CorruptVaultError(_("No backup of the diary could be opened."))
