"""Backups of the vault: taking them, keeping a few, finding them, and what they tell.

Backups are *hard links* to the old vault file, made just before a save replaces it: the vault
is never written in place, so the old inode *is* the previous generation. A link costs no I/O
and no space at the moment a disk is nearly full, and it appears atomically; where links are
unsupported (FAT, some network shares) we fall back to a copy written the durable way
(``atomic.py``).

Kinds: ``session`` (first save after each unlock: the file as it was before this session changed
it; keep 5) and ``daily`` (first save of each local calendar day; keep 7), in
``<data dir>/backups/`` (0700), named ``<stem>.<kind>.<UTC stamp><suffix>``.

Backups are never deleted silently. A key change re-seals them under the new data key; one that
cannot be opened with the old key (older, damaged) moves to ``backups/kept/`` and is counted for
the person. On a full disk the oldest generation may be dropped to let a save through, and the
person is told (``vault.py``).

Rollback signals: the vault never writes a backup newer than itself, and a key change re-seals
every backup, so a backup saved *after* the vault (:func:`newer_backups`) or sealed under other
keys (:func:`rekeyed_backups`) means the vault file was replaced by an older copy.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, NamedTuple

from companion import paths
from companion.storage import atomic
from companion.storage.errors import VaultError
from companion.storage.files import private_dir
from companion.storage.format import PAD_BLOCK, VaultFile, read_file, read_header, wipe

SESSION_KEEP = 5
DAILY_KEEP = 7
KEPT_DIR_NAME = "kept"
_STAMP_FORMAT = "%Y%m%dT%H%M%S%fZ"

BackupKind = Literal["session", "daily"]


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    kind: str  # "session" | "daily"
    saved_at: datetime
    size: int


class _Entry(NamedTuple):
    path: Path
    kind: str
    stamp: datetime  # from the name
    stat: os.stat_result  # lstat


def _name_pattern(vault_path: Path) -> re.Pattern[str]:
    return re.compile(
        rf"^{re.escape(vault_path.stem)}\.(session|daily)\.(\d{{8}}T\d{{12}}Z)"
        rf"{re.escape(vault_path.suffix)}$"
    )


def _backup_name(vault_path: Path, kind: str, stamp: datetime) -> str:
    return f"{vault_path.stem}.{kind}.{stamp.strftime(_STAMP_FORMAT)}{vault_path.suffix}"


def _entries(vault_path: Path) -> list[_Entry]:
    """Every backup file of ``vault_path``, whatever its content, newest first."""
    bdir = paths.backup_dir(vault_path.parent)
    pattern = _name_pattern(vault_path)
    out: list[_Entry] = []
    try:
        if not stat.S_ISDIR(os.lstat(bdir).st_mode):  # a planted link is never followed
            return out
        entries = list(os.scandir(bdir))
    except (FileNotFoundError, NotADirectoryError):
        return out
    for entry in entries:
        match = pattern.match(entry.name)
        if not match or not entry.is_file(follow_symlinks=False):
            continue
        stamp = datetime.strptime(match.group(2), _STAMP_FORMAT).replace(tzinfo=UTC)
        with suppress(OSError):
            out.append(
                _Entry(Path(entry.path), match.group(1), stamp, entry.stat(follow_symlinks=False))
            )
    out.sort(key=lambda e: (e.stamp, e.path.name), reverse=True)
    return out


def list_backups(vault_path: Path) -> list[BackupInfo]:
    """Backups of ``vault_path``, newest first, without a key (for the unlock window)."""
    result: list[tuple[BackupInfo, datetime]] = []
    for path, kind, stamp, st in _entries(vault_path):
        try:
            saved_at = read_header(path).saved_at
        except (VaultError, OSError):
            saved_at = stamp
        result.append((BackupInfo(path, kind, saved_at, st.st_size), stamp))
    result.sort(key=lambda r: (r[0].saved_at, r[1]), reverse=True)
    return [info for info, _ in result]


# --------------------------------------------------------------------------- taking backups


def _link_or_copy(src: Path, dest: Path) -> None:
    try:
        os.link(src, dest)
        return
    except OSError as exc:
        if exc.errno in (errno.EEXIST, errno.ENOSPC, errno.EROFS, errno.EDQUOT):
            raise
    # No hard links here (FAT, some shares): a durable copy instead.
    data, _ = read_file(src)
    atomic.write_private(dest, data)


def take(vault_path: Path, now: datetime, *, session: bool) -> list[Path]:
    """Link (or copy) the current vault file into the backups folder, as a ``session`` backup
    if asked and as the ``daily`` one if today has none yet. Returns the new paths; on an
    error none of them stays."""
    kinds: list[BackupKind] = ["session"] if session else []
    today = now.astimezone().date()
    existing = _entries(vault_path)
    if not any(e.kind == "daily" and e.stamp.astimezone().date() == today for e in existing):
        kinds.append("daily")
    if not kinds or not vault_path.exists():
        return []
    bdir = private_dir(paths.backup_dir(vault_path.parent))
    created: list[Path] = []
    stamp = now.astimezone(UTC)
    try:
        for kind in kinds:
            while True:
                dest = bdir / _backup_name(vault_path, kind, stamp)
                if not dest.exists():
                    break
                stamp = stamp.replace(microsecond=(stamp.microsecond + 1) % 1_000_000)
            _link_or_copy(vault_path, dest)
            created.append(dest)
        atomic.fsync_dir(bdir)
    except BaseException:
        for p in created:
            atomic.unlink_quiet(p)
        raise
    return created


def prune(vault_path: Path) -> None:
    """Keep the newest :data:`SESSION_KEEP` session and :data:`DAILY_KEEP` daily backups."""
    keep = {"session": SESSION_KEEP, "daily": DAILY_KEEP}
    seen = {"session": 0, "daily": 0}
    for entry in _entries(vault_path):  # newest first
        seen[entry.kind] += 1
        if seen[entry.kind] > keep[entry.kind]:
            atomic.unlink_quiet(entry.path)


def _would_fit(directory: Path, needed: int, st: os.stat_result, names: int) -> bool:
    """Would removing a backup file with ``names`` names in backups/ make ``needed`` bytes
    fit? (Not if another link outside backups/ keeps it, or the room would still be short.)"""
    if st.st_nlink > names:
        return False
    try:
        vfs = os.statvfs(directory)
    except (OSError, AttributeError):
        return True  # cannot tell (Windows): try, as before
    free = vfs.f_bavail * vfs.f_frsize
    return free + st.st_size >= needed + PAD_BLOCK


def drop_oldest(vault_path: Path, needed: int) -> int:
    """On a full disk: delete the oldest backup generation (all names of that file) if
    that frees enough room for ``needed`` bytes. Returns how many files were removed (0:
    nothing dropped, because nothing would help). The caller reports every drop."""
    try:
        current = os.stat(vault_path)
        current_key: tuple[int, int] | None = (current.st_dev, current.st_ino)
    except OSError:
        current_key = None
    entries = _entries(vault_path)
    for entry in reversed(entries):  # oldest first
        key = (entry.stat.st_dev, entry.stat.st_ino)
        if key == current_key:
            continue
        names = [e for e in entries if (e.stat.st_dev, e.stat.st_ino) == key]
        if not _would_fit(vault_path.parent, needed, entry.stat, len(names)):
            return 0
        for other in names:
            atomic.unlink_quiet(other.path)
        return len(names)
    return 0


# --------------------------------------------------------------------------- key changes


def kept_dir(vault_path: Path) -> Path:
    """Where backups that no longer open under the current key are kept (never deleted)."""
    return paths.backup_dir(vault_path.parent) / KEPT_DIR_NAME


def _keep_aside(path: Path) -> None:
    """Move a backup into ``backups/kept/`` (a new name if one is taken); leave it if that
    fails. Never deletes."""
    try:
        folder = private_dir(path.parent / KEPT_DIR_NAME)
        dest = folder / path.name
        while dest.exists() or dest.is_symlink():
            dest = folder / f"{path.stem}.{secrets.token_hex(4)}{path.suffix}"
        os.rename(path, dest)
        atomic.fsync_dir(folder)
        atomic.fsync_dir(path.parent)
    except (OSError, VaultError):
        return


def list_kept(vault_path: Path) -> list[Path]:
    """The files in ``backups/kept/`` (for ``check`` and Settings)."""
    folder = kept_dir(vault_path)
    try:
        if not stat.S_ISDIR(os.lstat(folder).st_mode):
            return []
        return sorted(Path(e.path) for e in os.scandir(folder) if e.is_file(follow_symlinks=False))
    except OSError:
        return []


def reseal(
    vault_path: Path,
    old_dek: bytearray,
    seal_again: Callable[[bytes | bytearray, datetime], atomic.Data],
) -> tuple[int, int]:
    """Re-seal every backup under the new key. Returns (resealed, kept).

    Each backup is opened with ``old_dek`` and written back as ``seal_again(image, saved_at)``
    makes it. A backup that does not open under the old key (an older key, a damaged file) or
    cannot be rewritten is never deleted: it moves to ``backups/kept/`` (or stays where it is
    if even that fails), and the count is reported to the person.
    """
    resealed = kept = 0
    done: dict[tuple[int, int], Path] = {}
    for path, _kind, _when, st in _entries(vault_path):
        key = (st.st_dev, st.st_ino)
        try:
            if key in done:  # another name of a file already re-sealed: link it again
                tmp = path.with_name(atomic.temp_name(path.name))
                os.link(done[key], tmp)
                try:
                    atomic.replace(tmp, path)
                finally:
                    atomic.unlink_quiet(tmp)
                continue
            with VaultFile(path) as file:
                image = file.payload(old_dek)
                saved_at = file.header.saved_at
            try:
                atomic.write_private(path, seal_again(image, saved_at))
            finally:
                wipe(image)
            done[key] = path
            resealed += 1
        except (VaultError, OSError):
            _keep_aside(path)
            kept += 1
    return resealed, kept


# --------------------------------------------------------------------------- rollback signals


def rekeyed_backups(vault_path: Path) -> int:
    """How many backups are sealed under other keys than the diary file itself.

    Every key change re-seals all backups to the new slots (those that cannot be re-sealed move
    to ``kept/``), so a backup whose passphrase slot differs from the vault's means the vault
    file is older than a key change: an old copy was put back (review F9 c), or it was planted.
    """
    try:
        own = read_header(vault_path).passphrase
    except (VaultError, OSError):
        return 0
    count = 0
    for entry in _entries(vault_path):
        try:
            theirs = read_header(entry.path).passphrase
        except (VaultError, OSError):
            continue
        if (theirs.salt, theirs.nonce, theirs.ct) != (own.salt, own.nonce, own.ct):
            count += 1
    return count


def newer_backups(vault_path: Path, saved_at: datetime | None) -> list[BackupInfo]:
    """Backups whose authenticated-looking header says they were saved *after* the vault.

    The vault never writes a backup newer than itself, so any such backup means the vault file
    was replaced by an older copy (a rollback, or a sync tool putting an old file back). The
    header is only checksummed here (no key), so this is a warning, not a proof.
    """
    if saved_at is None:
        return []
    newer: list[BackupInfo] = []
    for path, kind, _when, st in _entries(vault_path):
        try:
            backup_saved = read_header(path).saved_at
        except (VaultError, OSError):
            continue
        if backup_saved > saved_at:
            newer.append(BackupInfo(path, kind, backup_saved, st.st_size))
    return newer
