"""The one way a widget changes the diary (Anki's ``CollectionOp`` is the model).

``Operations.run(action)`` calls a service (a typed callable, never a method name), and then,
the same way on every page and dialog:

- a problem with what the person entered (``ValidationError``) is shown in one sentence where
  they are looking, and nothing else happens;
- a change that was made but could not be written to disk (``VaultError`` from the save after
  the commit) stays in memory and is reported through the app's save-failed notice, where the
  person is told what to do; it is not lost;
- on success the change is announced on the diary's :class:`ChangeHub`, and, when the caller
  gives one, an Undo is offered in the page's undo bar.

What changes the keys or the files rather than the diary's content (a passphrase, a recovery
key, the keyring, restoring or copying a backup) has one error path of its own, for the same
reason: :func:`check` for the rules checked before slow work starts, :func:`attempt` for a step
done at once, and :func:`problem_text` for the ones done on a worker thread (their ``on_error``).
Each says what went wrong in one sentence, and nothing was changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from PySide6.QtWidgets import QLabel

from companion.core.errors import ValidationError
from companion.i18n import _
from companion.storage.errors import VaultError, WrongKeyError
from companion.ui.changes import ChangeHub

T = TypeVar("T")


class UndoOffer(Protocol):
    def offer(self, message: str, undo: Callable[[], object] | None) -> None: ...


class Operations:
    """Runs a page's (or dialog's) service calls and reports on them in one place.

    ``errors`` shows a problem in one sentence (and is cleared on the next success);
    ``feature`` is what the page changes; ``undo`` is the page's undo bar, if it has one.
    ``on_save_failed`` is told when a change could not be written to disk.
    """

    def __init__(
        self,
        changes: ChangeHub,
        feature: str,
        errors: QLabel | Callable[[str], None],
        *,
        undo: UndoOffer | None = None,
        on_save_failed: Callable[[str], None] | None = None,
        initiator: object | None = None,
    ) -> None:
        self.changes = changes
        self.feature = feature
        self._errors = errors
        self.undo = undo
        self.on_save_failed = on_save_failed
        self.initiator = initiator
        #: told which input a refused change was about (``ValidationError.field``), so a
        #: form can show the sentence beside it; None when the problem is not one field's
        self.on_field: Callable[[str | None], None] | None = None

    def show_error(self, message: str) -> None:
        if isinstance(self._errors, QLabel):
            self._errors.setText(message)
        else:
            self._errors(message)

    def run(
        self,
        action: Callable[[], T],
        *,
        what: str = "",
        announce: bool = True,
        undo_text: str | None = None,
        undo: Callable[[T], Callable[[], object]] | None = None,
        feature: str | None = None,
    ) -> T | None:
        """Run ``action``; its result, or None when it could not be done (and said why).

        ``undo(result)`` gives the action that reverses it (a delete's restore), offered with
        ``undo_text`` in the undo bar; ``undo_text`` alone just says what happened.
        ``feature`` announces the change for another feature than the helper's own (a
        reminder's Taken changes the medications).
        """
        changed = self.feature if feature is None else feature
        try:
            result = action()
        except ValidationError as exc:
            self.show_error(str(exc))
            if self.on_field is not None:
                self.on_field(exc.field)
            return None
        except VaultError as exc:
            # The change is in memory; the next save retries it. Say so, keep the rest going.
            if self.on_save_failed is not None:
                self.on_save_failed(exc.message)
            self.show_error(exc.message)
            if announce:
                self.changes.announce(changed, what, initiator=self.initiator)
            return None
        self.show_error("")
        if self.on_field is not None:
            self.on_field(None)
        if announce:
            self.changes.announce(changed, what, initiator=self.initiator)
        if self.undo is not None and undo_text is not None:
            reverse = undo(result) if undo is not None else None
            self.undo.offer(undo_text, self._undoing(reverse, what) if reverse else None)
        return result

    def _undoing(self, reverse: Callable[[], object], what: str) -> Callable[[], object]:
        def run_undo() -> object:
            return self.run(reverse, what=what)

        return run_undo


# -- keys and files: one error path ------------------------------------------------------------


def problem_text(
    exc: BaseException, *, wrong_key: str | None = None, fallback: str | None = None
) -> str:
    """One sentence for a key or file step that did not work (nothing was changed).

    ``wrong_key`` replaces the vault's own sentence for a passphrase that does not open the
    diary (each dialog says which secret was wrong); ``fallback`` is said for anything
    unexpected (its text may quote a stored value, so it is never shown).
    """
    if isinstance(exc, WrongKeyError) and wrong_key is not None:
        return wrong_key
    if isinstance(exc, VaultError):
        return exc.message
    if isinstance(exc, ValidationError):
        return str(exc)
    return _("Something went wrong; nothing was changed.") if fallback is None else fallback


def check(action: Callable[[], object], errors: Callable[[str], None]) -> ValidationError | None:
    """Run a check that changes nothing (a passphrase's rules before the slow work): its
    problem is said through ``errors`` and returned; None (and ``errors`` cleared) when fine."""
    try:
        action()
    except ValidationError as exc:
        errors(str(exc))
        return exc
    errors("")
    return None


def attempt(
    action: Callable[[], object], errors: Callable[[str], None], *, wrong_key: str | None = None
) -> bool:
    """Do a key or file step now (restore a backup, save a copy): True when it was done; else
    its problem is said through ``errors`` (see :func:`problem_text`) and False."""
    try:
        action()
    except (ValidationError, VaultError) as exc:
        errors(problem_text(exc, wrong_key=wrong_key))
        return False
    errors("")
    return True
