"""The diary's files as the windows need them around an unlock (no Qt).

The UI takes nothing from ``companion.storage`` but its error types (``tests/test_layering.py``);
what it needs of the files on disk is here, in the words of the app rather than of the vault
format: the one-Companion-per-diary lock, the data folder made private, a crashed save's
leftovers removed, whether this computer's keyring can hold a key, whether this diary has a key
there, and a private file for something the person asked to save (a screenshot).

The vault format and its cryptography are imported only when a function needs them, so the
first window of the app stays quick to show.
"""

from __future__ import annotations

import os
from pathlib import Path

from companion import paths
from companion.storage.lock import InstanceLock as InstanceLock  # light: files and errors only

__all__ = [
    "InstanceLock",
    "has_stale_temp_files",
    "keyring_availability",
    "make_data_dir_private",
    "opens_on_this_computer",
    "remove_stale_temp_files",
    "write_private_file",
]


def make_data_dir_private(data_dir: Path) -> list[str]:
    """The data folder 0700 and its files 0600, where this user owns them; one calm sentence
    for each thing that could not be made private (the app and the CLI show them)."""
    from companion.storage.files import tighten_data_dir

    return tighten_data_dir(data_dir)


def has_stale_temp_files(data_dir: Path) -> bool:
    """Whether the data folder or its backups hold anything named like a save's temp file
    (``.NAME….tmp``): a quick look that needs no vault module."""
    for folder in (data_dir, paths.backup_dir(data_dir)):
        try:
            with os.scandir(folder) as entries:
                if any(e.name.startswith(".") and e.name.endswith(".tmp") for e in entries):
                    return True
        except OSError:
            continue
    return False


def remove_stale_temp_files(data_dir: Path) -> int:
    """Remove what crashed saves left behind (ciphertext only); how many files went.

    Call it while holding the :class:`InstanceLock`, before anything is saved, so no save of
    this session is taken for a leftover. A clean folder costs no import of the vault module.
    """
    if not has_stale_temp_files(data_dir):
        return 0
    from companion.storage.vault import cleanup_stale_temp_files

    return cleanup_stale_temp_files(data_dir)


def keyring_availability() -> tuple[bool, str]:
    """(usable, one sentence saying why not) for this computer's keyring. It probes the
    keyring, which may take a moment: call it off the GUI thread."""
    from companion.storage import keychain

    return keychain.availability()


def prepare_keyring() -> None:
    """Import what probing the keyring needs (off the GUI thread, while the person is still),
    so that the Settings page's probe does not hold Python's lock for long. No keyring is
    contacted."""
    from companion.storage import keychain

    keychain.import_backends()


def opens_on_this_computer(vault_path: Path) -> bool:
    """Whether the diary file has a key slot for this computer's keyring (its header only).

    Raises ``CorruptVaultError`` when the file is damaged, as unlocking would.
    """
    from companion.storage.vault import read_info

    return read_info(vault_path).has_device


def write_private_file(path: Path, data: bytes) -> None:
    """Create or replace ``path``, readable by this user only (random temp name, no link
    followed, 0600, fsync, rename)."""
    from companion.storage.files import write_private

    write_private(path, data)
