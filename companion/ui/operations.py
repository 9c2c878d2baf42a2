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
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from PySide6.QtWidgets import QLabel

from companion.core.errors import ValidationError
from companion.storage.errors import VaultError
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
