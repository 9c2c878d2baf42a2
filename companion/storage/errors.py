"""The distinct ways opening or saving a vault can fail.

Each error carries one calm sentence for the person (in their language: it is translated when
the error is raised) and the CLI exit code of DESIGN §7. Messages never contain diary content
or secrets.
"""

from __future__ import annotations

from companion.i18n import _


class VaultError(Exception):
    """Base class: anything else that went wrong with the vault (exit code 1)."""

    exit_code = 1

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.default_message())

    @classmethod
    def default_message(cls) -> str:
        """The sentence when the code raising the error gives none."""
        return _("The diary file could not be used.")

    @property
    def message(self) -> str:
        return str(self.args[0])


class WrongKeyError(VaultError):
    """The passphrase, recovery key or device key does not open this vault."""

    exit_code = 3

    @classmethod
    def default_message(cls) -> str:
        return _("That passphrase does not open this diary. Please check it and try again.")


class CorruptVaultError(VaultError):
    """The file is damaged, truncated or has been tampered with."""

    exit_code = 4

    @classmethod
    def default_message(cls) -> str:
        return _(
            "The diary file is damaged or has been changed outside Companion, so it cannot be "
            "opened."
        )


class UnboundRecoveryError(CorruptVaultError):
    """A bound recovery key opened a file that does not carry its tag: not made with it."""

    @classmethod
    def default_message(cls) -> str:
        return _(
            "This diary file opens with your recovery key, but it was not made with it: someone "
            "may have put it there. Nothing was changed; Companion can open your newest backup."
        )


class UnsupportedVersionError(CorruptVaultError):
    """The file was written by a newer (or unknown) version of Companion."""

    @classmethod
    def default_message(cls) -> str:
        return _(
            "This diary file was made by a newer version of Companion. "
            "Please update Companion to open it."
        )


class VaultInUseError(VaultError):
    """Another Companion window or process already has this vault open."""

    exit_code = 5

    @classmethod
    def default_message(cls) -> str:
        return _("This diary is already open in another Companion window.")


class VaultChangedOnDiskError(VaultError):
    """The file on disk is no longer the one we loaded; we refuse to overwrite it."""

    @classmethod
    def default_message(cls) -> str:
        return _(
            "The diary file was changed by another program since it was opened, "
            "so Companion did not overwrite it."
        )


class VaultWriteError(VaultError):
    """Saving failed (disk full, read-only folder, …); the previous file is intact."""

    @classmethod
    def default_message(cls) -> str:
        return _(
            "Companion could not save to disk. Your previous saved copy is unchanged; "
            "please free some space or check the folder's permissions."
        )


class KeyringUnavailableError(VaultError):
    """No trusted OS keyring could be used."""

    @classmethod
    def default_message(cls) -> str:
        return _("This computer's keyring is not available, so the passphrase is needed.")


class PassphraseChangeRequiredError(VaultError):
    """Opened with the recovery key: nothing is written until a new passphrase is chosen."""

    @classmethod
    def default_message(cls) -> str:
        return _(
            "You opened the diary with your recovery key, so please choose a new passphrase "
            "first. Nothing has been saved yet."
        )
