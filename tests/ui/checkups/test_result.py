"""The result view: total, band in plain words, change since last time, and a way to help."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QWidget
from pytestqt.qtbot import QtBot

from companion.content.questionnaires import get_questionnaire
from companion.core.checkups.change import Earlier
from companion.core.checkups.scoring import Score, score_answers
from companion.ui.checkups.result import CheckupResult, day_label

from .conftest import press, tab_to

Host = Callable[[QWidget], QWidget]
TODAY = dt.date(2026, 12, 4)


def _score(qid: str, vector: list[int | None]) -> Score:
    q = get_questionnaire(qid)
    return score_answers(q, dict(zip((i.id for i in q.scored_items), vector, strict=True)))


def _texts(widget: QWidget) -> str:
    from PySide6.QtWidgets import QLabel

    return "\n".join(label.text() for label in widget.findChildren(QLabel) if label.isVisible())


def test_phq9_result_with_change_since_last_time(host: Host) -> None:
    q = get_questionnaire("phq9")
    now = _score("phq9", [2, 1, 1, 1, 1, 1, 1, 1, 0])  # 9
    before = _score("phq9", [2, 2, 2, 2, 2, 2, 2, 2, 2])  # 18
    view = CheckupResult(
        q, now, TODAY, previous=Earlier(before, dt.date(2026, 11, 20)), today=TODAY
    )
    host(view)
    assert (view.big.text(), view.small.text(), view.band.text()) == ("9", "out of 27", "Mild")
    assert now.band is not None and view.meaning.text() == now.band.meaning
    assert view.change_lines == [
        "9 points lower than on 20 Nov (18 then, 9 now: fewer or milder problems).",
        "Clinicians generally treat a change of 5 points or more as meaningful.",
        "Your score is at least 50% lower than on 20 Nov (18); clinicians call a fall that "
        "size a response to treatment.",
    ]
    assert not view.safety.isVisible() and view.note is None
    assert "This is not a diagnosis." in _texts(view)
    assert view.strip is not None
    assert view.strip.accessibleName() == "Score 9, in the range 5 to 9: Mild"
    assert view.big.accessibleName() == "9 out of 27. Mild"


def test_question_9_is_repeated_on_the_result_with_help_one_key_away(
    qtbot: QtBot, host: Host
) -> None:
    q = get_questionnaire("phq9")
    score = _score("phq9", [0, 0, 0, 0, 0, 0, 0, 0, 1])
    view = CheckupResult(q, score, TODAY, today=TODAY)
    host(view)
    assert view.safety.isVisible() and "Get help now" in view.safety.text.text()
    assert view.change_lines == [
        "This is your first PHQ-9 here, so there is nothing to compare with yet."
    ]
    tab_to(qtbot, view, view.safety.help)
    with qtbot.waitSignal(view.helpRequested):
        press(qtbot, view, Qt.Key.Key_Space)


def test_the_help_route_is_always_there(qtbot: QtBot, host: Host) -> None:
    view = CheckupResult(get_questionnaire("gad7"), _score("gad7", [0] * 7), TODAY, today=TODAY)
    host(view)
    assert not view.safety.isVisible()
    tab_to(qtbot, view, view.help)
    with qtbot.waitSignal(view.helpRequested):
        press(qtbot, view, Qt.Key.Key_Space)


def test_a_result_without_a_total(host: Host) -> None:
    q = get_questionnaire("gad7")
    blank = _score("gad7", [None, 1, 1, 1, 1, 1, 1])
    before = _score("gad7", [1] * 7)
    view = CheckupResult(q, blank, TODAY, previous=Earlier(before, dt.date(2026, 11, 1)))
    host(view)
    assert (view.big.text(), view.small.text()) == ("No total", "this time")
    assert not view.band.isVisible() and not view.meaning.isVisible() and view.strip is None
    assert view.note is not None and "only scored when every question" in view.note.text.text()
    assert view.change_lines == ["There is no total to compare this time."]


def test_an_earlier_result_without_a_total(host: Host) -> None:
    q = get_questionnaire("gad7")
    view = CheckupResult(
        q,
        _score("gad7", [1] * 7),
        TODAY,
        previous=Earlier(_score("gad7", [None] * 7), dt.date(2025, 3, 9)),
        today=TODAY,
    )
    host(view)
    assert view.change_lines == [
        "Your GAD-7 on 9 Mar 2025 had no total, so there is nothing to compare with."
    ]


def test_a_prorated_phq9_says_so(host: Host) -> None:
    score = _score("phq9", [1, 1, 1, 1, 1, 1, 1, 1, None])
    view = CheckupResult(get_questionnaire("phq9"), score, TODAY, today=TODAY)
    host(view)
    assert view.big.text() == "9" and view.note is not None
    assert "estimated from your other answers" in view.note.text.text()


def test_ace_shows_a_count_with_its_caveat_and_no_bands(qtbot: QtBot, host: Host) -> None:
    q = get_questionnaire("ace")
    score = _score("ace", [1, 0, None, 1, 0, 1, 0, 0, 1, 0])
    view = CheckupResult(q, score, TODAY, today=TODAY)
    host(view)
    assert (view.big.text(), view.small.text()) == ("4", "of 10 kinds of experience answered Yes")
    assert view.strip is None and not view.band.isVisible()
    assert "cannot predict any one person's future" in view.meaning.text()
    assert view.change_lines == []  # asked once: nothing to compare
    assert "the count covers the 9 questions you answered" in _texts(view)
    read = next(
        b
        for b in view.findChildren(QAbstractButton)
        if b.accessibleName() == "Read the article on childhood trauma and depression"
    )
    tab_to(qtbot, view, read)
    with qtbot.waitSignal(view.linkActivated) as link:
        press(qtbot, view, Qt.Key.Key_Space)
    assert link.args == ["companion:article/childhood-trauma-and-depression"]


def test_who5_is_shown_as_a_percentage(host: Host) -> None:
    q = get_questionnaire("who5")
    now = _score("who5", [3, 3, 3, 2, 2])
    before = _score("who5", [2, 2, 2, 2, 2])
    view = CheckupResult(
        q, now, TODAY, previous=Earlier(before, dt.date(2026, 11, 10)), today=TODAY
    )
    host(view)
    assert (view.big.text(), view.small.text()) == ("52%", "wellbeing (13 out of 25)")
    assert view.strip is not None
    assert view.strip.accessibleName() == "Score 52, in the range 52 to 100: Above the low range"
    assert view.change_lines[0].startswith("12 percentage points higher than on 10 Nov")


def test_pcl5_notes_the_many_experiences_caveat(host: Host) -> None:
    q = get_questionnaire("pcl5")
    view = CheckupResult(q, _score("pcl5", [2] * 16 + [0] * 4), TODAY, today=TODAY)
    host(view)
    assert view.band.text() == "In the screening range"
    assert q.result_note in _texts(view)


def test_every_control_has_an_accessible_name(host: Host) -> None:
    for qid, vector in (
        ("phq9", [1] * 9),
        ("ace", [1] * 10),
        ("who5", [1] * 5),
        ("pcl5", [1] * 20),
        ("gad7", [1] * 7),
    ):
        view = CheckupResult(get_questionnaire(qid), _score(qid, list(vector)), TODAY)
        host(view)
        for button in view.findChildren(QAbstractButton):
            assert button.accessibleName().strip(), (qid, button.text())


def test_day_labels() -> None:
    assert day_label(dt.date(2026, 3, 3), TODAY) == "3 Mar"
    assert day_label(dt.date(2025, 12, 31), TODAY) == "31 Dec 2025"
