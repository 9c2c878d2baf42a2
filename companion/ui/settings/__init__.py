"""Settings: security, backups, appearance, this computer."""

from __future__ import annotations


def warm_up_keyring() -> None:
    """The keyring's modules, imported on a worker while the person reads Today: the
    Settings page's keyring probe otherwise imports them (~65 ms of Python) while the page is
    being built, and its turns wait for Python's lock."""
    from companion.core.diary_files import prepare_keyring
    from companion.ui.tasks import run_task

    run_task(prepare_keyring, lambda _result: None, lambda _error: None)
