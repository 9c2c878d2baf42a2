"""The one way a widget changes the diary, and the one error path for keys and files."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from companion.core.errors import ValidationError
from companion.storage.errors import KeyringUnavailableError, VaultWriteError, WrongKeyError
from companion.ui.changes import EVERYTHING, Change, ChangeHub
from companion.ui.operations import Operations, attempt, check, problem_text


class Bar:
    def __init__(self) -> None:
        self.offers: list[tuple[str, Callable[[], object] | None]] = []

    def offer(self, message: str, undo: Callable[[], object] | None) -> None:
        self.offers.append((message, undo))


@pytest.fixture
def hub(qtbot: QtBot) -> ChangeHub:
    return ChangeHub()


def heard(hub: ChangeHub) -> list[Change]:
    changes: list[Change] = []
    hub.changed.connect(changes.append)
    return changes


def test_a_success_is_announced_once_and_clears_the_last_problem(hub: ChangeHub) -> None:
    shown: list[str] = []
    changes = heard(hub)
    ops = Operations(hub, "mood", shown.append, initiator="page")
    assert ops.run(lambda: 42, what="entries") == 42
    assert changes == [Change("mood", "entries", "page")]
    assert shown == [""]
    assert ops.run(lambda: None, feature="medications") is None
    assert changes[-1] == Change("medications", "", "page")


def test_a_problem_is_said_in_one_sentence_and_nothing_is_announced(hub: ChangeHub) -> None:
    shown: list[str] = []
    changes = heard(hub)
    ops = Operations(hub, "mood", shown.append)

    def refuse() -> int:
        raise ValidationError("Mood must be from 0 to 10.")

    assert ops.run(refuse) is None
    assert shown == ["Mood must be from 0 to 10."]
    assert changes == []


def test_a_change_that_could_not_be_saved_is_reported_and_still_announced(hub: ChangeHub) -> None:
    shown: list[str] = []
    failed: list[str] = []
    changes = heard(hub)
    ops = Operations(hub, "safety", shown.append, on_save_failed=failed.append)

    def full_disk() -> None:
        raise VaultWriteError()

    assert ops.run(full_disk) is None
    assert failed == [VaultWriteError().message] and shown == failed
    assert changes == [Change("safety")]  # the change is in memory: pages show it


def test_undo_is_offered_and_runs_through_the_same_path(hub: ChangeHub) -> None:
    bar = Bar()
    changes = heard(hub)
    undone: list[str] = []
    ops = Operations(hub, "exercises", lambda _m: None, undo=bar)
    ops.run(lambda: "abc", undo_text="Removed.", undo=lambda r: lambda: undone.append(r))
    ((message, reverse),) = bar.offers
    assert message == "Removed." and reverse is not None
    reverse()
    assert undone == ["abc"]
    assert len(changes) == 2  # the change and its undo


def test_problem_text_for_keys_and_files() -> None:
    assert problem_text(WrongKeyError(), wrong_key="Not that one.") == "Not that one."
    assert problem_text(WrongKeyError()) == WrongKeyError().message
    assert problem_text(KeyringUnavailableError("No keyring here.")) == "No keyring here."
    assert problem_text(ValidationError("Too short.")) == "Too short."
    secret = RuntimeError("a note the person wrote")
    assert "note" not in problem_text(secret)
    assert problem_text(secret, fallback="") == ""


def test_check_says_the_problem_and_returns_it() -> None:
    shown: list[str] = []

    def refuse() -> None:
        raise ValidationError("Please type a passphrase.")

    problem = check(refuse, shown.append)
    assert isinstance(problem, ValidationError) and shown == ["Please type a passphrase."]
    assert check(lambda: None, shown.append) is None and shown[-1] == ""


def test_attempt_does_the_step_or_says_why_not() -> None:
    shown: list[str] = []
    done: list[int] = []
    assert attempt(lambda: done.append(1), shown.append) and done == [1] and shown == [""]

    def wrong() -> None:
        raise WrongKeyError()

    assert not attempt(wrong, shown.append, wrong_key="That passphrase is not right.")
    assert shown[-1] == "That passphrase is not right."


def test_everything_concerns_every_listener() -> None:
    assert Change(EVERYTHING).concerns(["mood"])
    assert not Change("mood").concerns(["safety"])
