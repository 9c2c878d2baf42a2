"""An unlocked diary: the sealed vault, the live database, and what changes the keys.

This is the one object the UI and the CLI hold between unlock and lock. Every commit in its
database is saved to the vault at once; ``lock()`` saves anything pending, drops the database
and zeroes the keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from companion.core import passphrase as passphrase_rules
from companion.core.models import Base
from companion.storage import keychain, migrations
from companion.storage.database import Database
from companion.storage.errors import KeyringUnavailableError, VaultError, WrongKeyError
from companion.storage.vault import BackupInfo, PassphraseChangeResult, Vault


@dataclass(frozen=True)
class UnlockResult:
    diary: OpenDiary
    #: True when the recovery key was used: the UI should invite a new passphrase.
    used_recovery_key: bool = False


class OpenDiary:
    """The unlocked vault plus its database."""

    def __init__(self, vault: Vault, image: bytes | None, *, read_only: bool = False) -> None:
        self.vault = vault
        #: check and export: nothing is ever written (a read-only data folder works)
        self.read_only = read_only
        self.db = self._load(image)

    def _load(self, image: bytes | None) -> Database:
        """Check the image, bring its schema up to date, then save after every commit."""
        db = Database(image or None, saver=None)
        try:
            migrated = migrations.upgrade(db.engine, Base.metadata)
        except BaseException:
            db.close()
            raise
        if self.read_only:
            return db
        db.set_saver(self.vault.save)
        if migrated and not self.vault.rekey_required:
            db.save(force=True)  # after a recovery unlock the passphrase change writes it
        return db

    @property
    def must_change_passphrase(self) -> bool:
        """Opened with the recovery key: nothing is saved until a new passphrase is set."""
        return self.vault.rekey_required

    def newer_backups(self) -> list[BackupInfo]:
        """Backups saved after this diary file: a sign it was replaced by an older copy."""
        from companion.storage.vault import newer_backups

        return newer_backups(self.vault.path, self.vault.info.saved_at)

    def rekeyed_backups(self) -> int:
        """Backups under newer keys than this file: it is older than a passphrase change."""
        from companion.storage.vault import rekeyed_backups

        return rekeyed_backups(self.vault.path)

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def create(
        cls, path: Path, passphrase: str, *, allow_weak: bool = False
    ) -> tuple[OpenDiary, str]:
        """A new, empty diary. Returns it and the recovery key (shown to the person once).

        A passphrase scoring below :data:`~companion.core.passphrase.MIN_SCORE` is refused
        unless ``allow_weak`` (only the GUI sets it, after its own explicit confirmation).
        """
        passphrase_rules.validate(passphrase, allow_weak=allow_weak)
        empty = Database()
        migrations.upgrade(empty.engine, Base.metadata)
        image = empty.serialize()
        empty.close()
        # A bound recovery key: a file planted to open with it is refused (storage/vault.py).
        vault, recovery_key = Vault.create(path, passphrase, image, bind_recovery=True)
        return cls(vault, image), recovery_key

    @classmethod
    def unlock(
        cls,
        path: Path,
        *,
        passphrase: str | None = None,
        recovery_key: str | None = None,
        device_secret: bytes | None = None,
        read_only: bool = False,
    ) -> OpenDiary:
        vault, image = Vault.unlock(
            path, passphrase=passphrase, recovery_key=recovery_key, device_secret=device_secret
        )
        try:
            return cls(vault, image, read_only=read_only)
        except BaseException:
            vault.close()
            raise

    @classmethod
    def recover_from_newest_backup(
        cls, path: Path, *, passphrase: str | None = None, recovery_key: str | None = None
    ) -> tuple[OpenDiary, BackupInfo]:
        """The vault is damaged: open the newest backup that the secret opens and write it back
        as the diary. The damaged file itself is kept as a backup, not deleted."""
        from companion.storage.vault import open_newest_backup

        backup, vault, image = open_newest_backup(
            path.parent, passphrase=passphrase, recovery_key=recovery_key
        )
        try:
            diary = cls(vault, image)
            if not vault.rekey_required:  # else the passphrase change writes it, first thing
                diary.db.save(force=True)
        except BaseException:
            vault.close()
            raise
        return diary, backup

    @classmethod
    def unlock_with_device(cls, path: Path) -> OpenDiary | None:
        """Try the keyring; None whenever it cannot help (the passphrase is then asked)."""
        from companion.storage.vault import read_info

        try:
            info = read_info(path)
        except VaultError:
            return None
        if not info.has_device:
            return None
        secret = keychain.load_device_secret(info.file_id)
        if secret is None:
            return None
        try:
            return cls.unlock(path, device_secret=secret)
        except VaultError:
            return None

    # -- keys ------------------------------------------------------------------------------

    def verify_passphrase(self, passphrase: str) -> None:
        """Raise WrongKeyError unless ``passphrase`` opens this diary (one KDF run)."""
        if not passphrase:
            raise WrongKeyError()
        Vault.unlock(self.vault.path, passphrase=passphrase)[0].close()

    def change_passphrase(
        self, new_passphrase: str, confirmation: str | None = None, *, allow_weak: bool = False
    ) -> PassphraseChangeResult:
        """New passphrase and data key; backups re-sealed (or kept aside, never deleted); the
        recovery key keeps working. After a recovery unlock this is the first write."""
        passphrase_rules.validate(new_passphrase, confirmation, allow_weak=allow_weak)
        if not self.vault.rekey_required:
            self.db.save()
        file_id = self.vault.info.file_id
        result = self.vault.change_passphrase(new_passphrase, self.db.serialize())
        if result.device_removed:
            keychain.delete_device_secret(file_id)
        return result

    def replace_recovery_key(self, passphrase: str) -> str:
        """A new recovery key (the old one stops working); needs the passphrase."""
        self.verify_passphrase(passphrase)
        self.db.save()
        had_device = self.vault.info.has_device
        key = self.vault.replace_recovery_key(
            self.db.serialize(), passphrase=passphrase, bind_recovery=True
        )
        if had_device and not self.vault.info.has_device:
            keychain.delete_device_secret(self.vault.info.file_id)
        return key

    @property
    def device_unlock_enabled(self) -> bool:
        return self.vault.info.has_device

    def enable_device_unlock(self) -> None:
        """Store a device key in the OS keyring; KeyringUnavailableError if it cannot."""
        usable, reason = keychain.availability()
        if not usable:
            raise KeyringUnavailableError(reason)
        self.db.save()
        secret = self.vault.enable_device_slot(self.db.serialize())
        try:
            keychain.store_device_secret(self.vault.info.file_id, secret)
        except KeyringUnavailableError:
            self.vault.disable_device_slot(self.db.serialize())
            raise

    def disable_device_unlock(self) -> None:
        self.db.save()
        self.vault.disable_device_slot(self.db.serialize())
        keychain.delete_device_secret(self.vault.info.file_id)

    # -- backups ---------------------------------------------------------------------------

    def backups(self) -> list[BackupInfo]:
        return self.vault.backups()

    def restore_backup(self, backup: BackupInfo) -> None:
        """Replace the diary with a backup (the current state becomes a backup first).

        The content is swapped *inside* the same :class:`Database`, so every page and service
        that holds ``diary.db`` keeps working on the restored diary (no closed database).
        """
        self.db.save()
        image = self.vault.restore_backup(backup)
        self.db.replace_image(image)
        if migrations.upgrade(self.db.engine, Base.metadata):  # a backup from before an update
            self.db.save(force=True)

    def save_copy(self, destination: Path) -> None:
        self.db.save()
        self.vault.save_copy(destination, self.db.serialize())

    # -- locking ---------------------------------------------------------------------------

    def lock(self) -> None:
        """Save what is pending, then drop the database and zero the keys.

        If the save fails (full disk…) the error propagates and the diary stays open, so the
        unsaved change is not thrown away; the caller tells the person and may try again.
        """
        self.db.save()
        self.close()

    def close(self) -> None:
        """Drop the database and zero the keys without saving (used after a failed open)."""
        self.db.close()
        self.vault.close()
