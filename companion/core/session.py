"""An unlocked diary: the sealed vault, the live database, and what changes the keys.

This is the one object the UI and the CLI hold between unlock and lock. Every commit in its
database is saved to the vault: at once (the CLI), or handed to a writer thread
(:meth:`OpenDiary.save_in_background`, the app), so the window never waits for the disk.
Whatever reads or replaces the file itself (a key change, a restore, a copy, the backups
list) first waits for that writer; ``lock()`` writes anything pending, drops the database and
zeroes the keys.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar, cast

from companion.core import passphrase as passphrase_rules
from companion.core.models import Base
from companion.core.settings import SettingsService
from companion.features import load_tables
from companion.i18n import _
from companion.storage import kdf, keychain, migrations
from companion.storage.database import Check, Database
from companion.storage.errors import (
    KeyringUnavailableError,
    VaultError,
    VaultWriteError,
    WrongKeyError,
)
from companion.storage.format import wipe
from companion.storage.vault import BackupInfo as BackupInfo
from companion.storage.vault import PassphraseChangeResult as PassphraseChangeResult
from companion.storage.vault import Vault

S = TypeVar("S")


class ReadSnapshot:
    """A private copy of the diary for reading on a worker thread (charts, statistics,
    exports): the live database belongs to the GUI thread, whose saves must not interleave
    with a long read. The copy never saves; close it (or use ``with``) when done.

    Taking it is a memory copy; the copy is opened (and its integrity checked, a few hundred
    milliseconds for ten years) on first use, so on the worker thread, not in the window's."""

    def __init__(self, image: bytes) -> None:
        self._image: bytes | None = image
        self._db: Database | None = None

    @property
    def db(self) -> Database:
        if self._db is None:
            if self._image is None:
                raise RuntimeError("the read snapshot is closed")
            # A copy of the live database made a moment ago: nothing to check (Check).
            self._db = Database(image=self._image, saver=None, check="opens")
            self._image = None
        return self._db

    def service(self, cls: Callable[[Database], S]) -> S:
        """A service over the copy, e.g. ``snapshot.service(MoodService)``."""
        return cls(self.db)

    def close(self) -> None:
        self._image = None
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> ReadSnapshot:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def prepare() -> None:
    """Do now, once per process, what the first unlock would otherwise do after the KDF:
    import every feature's tables and configure the ORM's mappers (the app calls this on a
    worker while the passphrase is typed), read the migrations' heads, and get the KDF and
    the time parser a diary's header needs ready."""
    import _strptime  # noqa: F401  (the vault header's time; its import takes locale data)

    from sqlalchemy.orm import configure_mappers

    load_tables()
    configure_mappers()
    migrations.head_revisions()
    kdf.backend_name()  # the Argon2id implementation imported and self-tested


class OpenDiary:
    """The unlocked vault plus its database."""

    def __init__(
        self,
        vault: Vault,
        image: bytes | bytearray | None,
        *,
        read_only: bool = False,
        check: Check = "quick",
    ) -> None:
        self.vault = vault
        #: check and export: nothing is ever written (a read-only data folder works)
        self.read_only = read_only
        self.db = self._load(image, check)
        self._services: dict[Callable[[Database], Any], Any] = {}

    def _load(self, image: bytes | bytearray | None, check: Check) -> Database:
        """Check the image, bring its schema up to date, then save after every commit.

        ``quick`` at unlock: the image is authenticated, so only SQLite itself could have
        broken it (see :data:`~companion.storage.database.Check`)."""
        db = Database(image or None, saver=None, check=check)
        try:
            load_tables()
            migrated = migrations.upgrade(db.engine, Base.metadata)
            migrated |= SettingsService(db).upgrade()
        except BaseException:
            db.close()
            raise
        if self.read_only:
            return db
        db.set_saver(self.vault.save)
        if migrated and not self.vault.rekey_required:
            db.save(force=True)  # after a recovery unlock the passphrase change writes it
        return db

    # -- saving --------------------------------------------------------------------------------

    def save_in_background(
        self,
        on_failed: Callable[[str], None] | None,
        hand_later: Callable[[Callable[[], None]], object] | None = None,
    ) -> None:
        """Save every commit on a writer thread from now on (the app does; the CLI does not).

        ``on_failed(message)`` is called *on the writer thread* with one sentence for the
        person when a save could not be written; the change stays in memory and the next
        save (or :meth:`flush`, or ``lock()``) tries again. ``hand_later``: see
        :meth:`Database.save_in_background` (the snapshot of this thread's commits taken a
        moment after them)."""
        if self.read_only:
            return

        def failed(exc: BaseException) -> None:
            if on_failed is not None:
                message = exc.message if isinstance(exc, VaultError) else VaultWriteError().message
                on_failed(message)

        self.db.save_in_background(failed, hand_later)

    def flush(self) -> None:
        """Wait for the background save, and write now what is still unsaved (VaultError if it
        cannot be written; the change stays in memory)."""
        if not self.read_only and not self.vault.rekey_required:
            self.db.flush()

    def service(self, cls: Callable[[Database], S]) -> S:
        """A service over the live diary, built once (e.g. ``diary.service(MoodService)``).

        Widgets get their services here, never the database itself."""
        cached = self._services.get(cls)
        if cached is None:
            cached = cls(self.db)
            self._services[cls] = cached
        return cast(S, cached)

    @property
    def version(self) -> tuple[int, int]:
        """Different after any change to the diary (a commit, an undo, a restored backup):
        what a view read at one version is still current while it is the same."""
        return self.db.version

    def read_snapshot(self) -> ReadSnapshot:
        """A copy for a worker thread, taken now (a memory copy: milliseconds)."""
        return ReadSnapshot(self.db.serialize())

    @property
    def path(self) -> Path:
        """The diary file."""
        return self.vault.path

    @property
    def last_saved_at(self) -> datetime | None:
        """When the diary file was saved before this session (its authenticated header)."""
        return self.vault.info.saved_at

    @property
    def backups_dropped(self) -> int:
        """Old backups removed this session to make room on a full disk."""
        return self.vault.backups_dropped

    def on_backup_dropped(self, callback: Callable[[int], None] | None) -> None:
        """Call ``callback(count)`` whenever old backups had to go to make room (it may be
        called from the thread that saves)."""
        self.vault.on_backup_dropped = callback

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
        load_tables()
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
        check: Check = "quick",
    ) -> OpenDiary:
        vault, image = Vault.unlock(
            path, passphrase=passphrase, recovery_key=recovery_key, device_secret=device_secret
        )
        try:
            return cls(vault, image, read_only=read_only, check=check)
        except BaseException:
            vault.close()
            raise
        finally:
            wipe(image)  # SQLite holds its own copy: no other plaintext is left

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
            diary = cls(vault, image, check="full")  # the diary file was damaged: check all
            if not vault.rekey_required:  # else the passphrase change writes it, first thing
                diary.db.save(force=True)
        except BaseException:
            vault.close()
            raise
        finally:
            wipe(image)
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
        vault, image = Vault.unlock(self.vault.path, passphrase=passphrase)
        wipe(image)
        vault.close()

    def change_passphrase(
        self, new_passphrase: str, confirmation: str | None = None, *, allow_weak: bool = False
    ) -> PassphraseChangeResult:
        """New passphrase and data key; backups re-sealed (or kept aside, never deleted); the
        recovery key keeps working. After a recovery unlock this is the first write."""
        passphrase_rules.validate(new_passphrase, confirmation, allow_weak=allow_weak)
        self.flush()
        file_id = self.vault.info.file_id
        result = self.vault.change_passphrase(new_passphrase, self.db.serialize())
        if result.device_removed:
            keychain.delete_device_secret(file_id)
        return result

    def replace_recovery_key(self, passphrase: str) -> str:
        """A new recovery key (the old one stops working); needs the passphrase."""
        self.verify_passphrase(passphrase)
        self.flush()
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
        self.flush()
        secret = self.vault.enable_device_slot(self.db.serialize())
        try:
            keychain.store_device_secret(self.vault.info.file_id, secret)
        except KeyringUnavailableError:
            self.vault.disable_device_slot(self.db.serialize())
            raise

    def disable_device_unlock(self) -> None:
        self.flush()
        self.vault.disable_device_slot(self.db.serialize())
        keychain.delete_device_secret(self.vault.info.file_id)

    # -- backups ---------------------------------------------------------------------------

    def backups(self) -> list[BackupInfo]:
        self.db.wait_for_writes()  # the first save of a session adds one
        return self.vault.backups()

    def restore_backup(self, backup: BackupInfo) -> None:
        """Replace the diary with a backup (the current state becomes a backup first).

        The content is swapped *inside* the same :class:`Database`, so every page and service
        that holds ``diary.db`` keeps working on the restored diary (no closed database).
        """
        self.flush()
        image = self.vault.restore_backup(backup)
        try:
            self.db.replace_image(image)
        finally:
            wipe(image)
        if migrations.upgrade(self.db.engine, Base.metadata):  # a backup from before an update
            self.db.save(force=True)

    def save_copy(self, destination: Path) -> None:
        self.flush()
        self.vault.save_copy(destination, self.db.serialize())

    # -- locking ---------------------------------------------------------------------------

    def lock(self) -> None:
        """Write what is pending (waiting for the background save), then drop the database
        and zero the keys.

        If the save fails (full disk…) the error propagates and the diary stays open, so the
        unsaved change is not thrown away; the caller tells the person and may try again.
        """
        self.db.flush()  # a read-only diary has no saver: nothing happens
        self.close()

    def close(self) -> None:
        """Drop the database and zero the keys without saving (used after a failed open, or
        leaving a recovery unlock): a save still waiting for the writer is dropped."""
        self.db.close()
        self.vault.close()


# -- the one way to open a diary for a command ---------------------------------------------------


@contextmanager
def open_diary_locked(
    vault_path: Path,
    passphrase: Callable[[], str],
    *,
    read_only: bool = False,
    check: Check = "quick",
) -> Iterator[OpenDiary]:
    """Take the instance lock, unlock, yield the diary, then lock it again (saving what is
    pending); on an error it is closed without saving, and the lock is always let go.

    ``passphrase`` is asked only once the lock is held (a second Companion is refused first).
    ``read_only`` (check, export): nothing is written, so a read-only data folder works.
    ``check``: how the database is checked when it opens (``companion check`` asks "full").
    Stale temporary files from an interrupted save are removed first, as the app does.
    """
    from companion.storage.lock import InstanceLock
    from companion.storage.vault import cleanup_stale_temp_files

    if not vault_path.exists():
        raise VaultError(
            _("There is no diary in {folder}. Run “companion” to create one.").format(
                folder=vault_path.parent
            )
        )
    with InstanceLock(vault_path, read_only=read_only):
        cleanup_stale_temp_files(vault_path.parent)  # nobody else is saving now
        diary = OpenDiary.unlock(
            vault_path, passphrase=passphrase(), read_only=read_only, check=check
        )
        try:
            yield diary
            diary.lock()
        except BaseException:
            diary.close()
            raise


@contextmanager
def create_diary_locked(vault_path: Path, passphrase: str) -> Iterator[tuple[OpenDiary, str]]:
    """Take the instance lock and create a new diary; yields it and its recovery key, then
    locks it (saving), or closes it on an error."""
    from companion.storage.lock import InstanceLock

    if vault_path.exists():
        raise VaultError(
            _("A diary already exists in {folder}; nothing was changed.").format(
                folder=vault_path.parent
            )
        )
    with InstanceLock(vault_path):
        diary, recovery_key = OpenDiary.create(vault_path, passphrase)
        try:
            yield diary, recovery_key
            diary.lock()
        except BaseException:
            diary.close()
            raise
