"""The one background-work helper: results come back on the GUI thread, or not at all when
their owner is gone."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from companion.ui import tasks

from .conftest import wait_for_tasks


def test_result_arrives_on_the_gui_thread(qtbot: QtBot) -> None:
    got: list[tuple[int, bool]] = []
    main = threading.get_ident()
    tasks.run_task(
        lambda: threading.get_ident() != main,
        lambda off_thread: got.append((1, off_thread)),
        lambda exc: got.append((0, False)),
    )
    wait_for_tasks(qtbot)
    qtbot.waitUntil(lambda: bool(got))
    assert got == [(1, True)]
    assert threading.get_ident() == main


def test_errors_are_handed_over_not_printed(qtbot: QtBot, capsys: object) -> None:
    errors: list[BaseException] = []

    def boom() -> None:
        raise ValueError("private words")

    tasks.run_task(boom, lambda _r: None, errors.append)
    wait_for_tasks(qtbot)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ValueError)
    assert "private words" not in capsys.readouterr().err  # type: ignore[attr-defined]


def test_forgotten_and_deleted_owners_get_nothing(qtbot: QtBot) -> None:
    root = QWidget()
    child = QWidget(root)
    gate = threading.Event()
    calls: list[str] = []
    tasks.run_task(gate.wait, lambda _r: calls.append("child"), calls.append, owner=child)
    other = QWidget()
    tasks.run_task(gate.wait, lambda _r: calls.append("other"), calls.append, owner=other)
    assert tasks.forget_owned_by(root) == 1
    gate.set()
    wait_for_tasks(qtbot)
    assert calls == ["other"]
    root.deleteLater()
    other.deleteLater()
