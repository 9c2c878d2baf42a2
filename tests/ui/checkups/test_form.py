"""The questionnaire form, driven with the keyboard only, as a person would."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QWidget
from pytestqt.qtbot import QtBot

from companion.content.questionnaires import get_questionnaire
from companion.ui.checkups.form import QuestionnaireForm

from .conftest import focused, press, tab_to

ENTER = Qt.Key.Key_Return
Host = Callable[[QWidget], QWidget]


def _form(host: Host, qid: str = "phq9") -> QuestionnaireForm:
    form = QuestionnaireForm(get_questionnaire(qid))
    host(form)
    form.restore({}, 0, "intro")
    return form


def test_a_whole_phq9_with_the_keyboard_only(qtbot: QtBot, host: Host) -> None:
    form = _form(host)
    assert form.view == "intro" and focused(form) is form.start
    press(qtbot, form, ENTER)
    assert form.position() == ("question", 0)
    for digit in "210321001":
        press(qtbot, form, digit, ENTER)
    assert form.position() == ("question", 9)  # the unscored difficulty question
    assert not form.instructions.isVisible()  # its own wording, not the 2-week stem
    press(qtbot, form, "1", ENTER)
    assert form.view == "review" and focused(form) is form.finish
    assert form.summary.text() == "You answered 9 of the 9 questions."
    with qtbot.waitSignal(form.completed) as done:
        press(qtbot, form, ENTER)
    assert done.args == [
        {"1": 2, "2": 1, "3": 0, "4": 3, "5": 2, "6": 1, "7": 0, "8": 0, "9": 1, "difficulty": 1}
    ]


def test_question_9_above_zero_signals_at_once_and_never_blocks(qtbot: QtBot, host: Host) -> None:
    form = _form(host)
    form.restore({str(n): 0 for n in range(1, 9)}, 8)
    assert form.item.id == "9" and not form.safety.isVisible()
    with qtbot.waitSignal(form.selfHarmAnswered) as flagged:
        press(qtbot, form, "1")
    assert flagged.args == [1]
    assert form.safety.isVisible() and "Get help now" in form.safety.text.text()
    assert "today" not in form.safety.text.text()
    # a stronger answer says so, and signals again
    with qtbot.waitSignal(form.selfHarmAnswered) as stronger:
        press(qtbot, form, "3")
    assert stronger.args == [3] and "today" in form.safety.text.text()
    # Get help now is reachable with the keyboard, inside the form
    tab_to(qtbot, form, form.safety.help)
    with qtbot.waitSignal(form.helpRequested):
        press(qtbot, form, Qt.Key.Key_Space)
    # ...and the form goes on: the next question shows a quiet reminder, and it completes
    tab_to(qtbot, form, form.next)
    press(qtbot, form, ENTER)
    assert form.item.id == "difficulty" and form.reminder.isVisible()
    assert not form.safety.isVisible()
    press(qtbot, form, "2", ENTER)
    assert form.view == "review" and form.review_reminder.isVisible()
    with qtbot.waitSignal(form.completed) as done:
        press(qtbot, form, ENTER)
    assert done.args[0]["9"] == 3


def test_changing_question_9_back_to_zero_hides_the_note_without_a_signal(
    qtbot: QtBot, host: Host
) -> None:
    form = _form(host)
    form.restore({"9": 2}, 8)
    assert form.safety.isVisible()
    with qtbot.assertNotEmitted(form.selfHarmAnswered):
        press(qtbot, form, "0")
    assert not form.safety.isVisible()
    press(qtbot, form, ENTER)
    assert not form.reminder.isVisible()


def test_arrows_and_backspace_move_about(qtbot: QtBot, host: Host) -> None:
    form = _form(host)
    press(qtbot, form, ENTER)
    press(qtbot, form, Qt.Key.Key_Down)  # nothing chosen: Down picks the first answer
    assert form.answers()["1"] == 0
    press(qtbot, form, Qt.Key.Key_Down, Qt.Key.Key_Down)
    assert form.answers()["1"] == 2
    press(qtbot, form, Qt.Key.Key_Up)
    assert form.answers()["1"] == 1 and form.group.checkedButton() is focused(form)
    press(qtbot, form, Qt.Key.Key_Right)
    assert form.item.id == "2"
    press(qtbot, form, Qt.Key.Key_Left)
    assert form.item.id == "1" and form.group.checkedId() == 1
    press(qtbot, form, Qt.Key.Key_Backspace)
    assert form.view == "intro"


def test_enter_on_an_unanswered_question_explains_and_s_skips(qtbot: QtBot, host: Host) -> None:
    form = _form(host, "gad7")
    press(qtbot, form, ENTER, ENTER)
    assert form.item.id == "1"
    assert form.status.text() == (
        "Choose an answer (0–3), or use “Skip this question” (S) to leave it out."
    )
    press(qtbot, form, "s")
    assert form.item.id == "2" and form.answers()["1"] is None


def test_a_digit_that_is_not_an_answer_does_nothing(qtbot: QtBot, host: Host) -> None:
    form = _form(host)
    press(qtbot, form, ENTER, "7")
    assert form.answers()["1"] is None
    press(qtbot, form, "3", "8")
    assert form.answers()["1"] == 3


def test_skipping_says_what_it_means_before_the_result(qtbot: QtBot, host: Host) -> None:
    gad = _form(host, "gad7")
    gad.restore({str(n): 1 for n in range(2, 8)}, 7)
    press(qtbot, gad, "s")
    assert gad.view == "review"
    assert gad.summary.text() == "You answered 6 of the 7 questions."
    assert gad.outcome.text() == (
        "You left question 1 blank. The GAD-7 is only scored when every question is answered, "
        "so this time there is no total. You can go back and answer, or see your answers "
        "without a total."
    )
    assert gad.fill_in.isVisible()
    tab_to(qtbot, gad, gad.fill_in)
    press(qtbot, gad, ENTER)  # Enter on a focused button does what that button says
    assert gad.position() == ("question", 0)

    phq = _form(host)
    phq.restore({str(n): 1 for n in range(1, 9)}, 9, "review")
    assert "estimated from your other answers" in phq.outcome.text()


def test_enter_on_the_focused_back_button_goes_back(qtbot: QtBot, host: Host) -> None:
    form = _form(host)
    form.restore({"1": 1, "2": 1}, 2)
    tab_to(qtbot, form, form.back)
    press(qtbot, form, ENTER)
    assert form.item.id == "2"


def test_not_now_on_the_introduction(qtbot: QtBot, host: Host) -> None:
    form = _form(host)
    tab_to(qtbot, form, form.not_now)
    with qtbot.waitSignal(form.cancelled):
        press(qtbot, form, ENTER)


def test_ace_has_a_content_note_prefer_not_to_say_and_the_article(qtbot: QtBot, host: Host) -> None:
    form = _form(host, "ace")
    notes = [
        w for w in form.intro.findChildren(QWidget) if w.accessibleName() == "Before you start"
    ]
    assert len(notes) == 1 and notes[0].isVisible()
    text = form.q.content_note
    assert "Skipping is fine" in text and "cannot predict any one person's future" in text
    read = next(
        b
        for b in form.intro.findChildren(QAbstractButton)
        if b.accessibleName() == "Read the article on childhood trauma and depression"
    )
    tab_to(qtbot, form, read)
    with qtbot.waitSignal(form.linkActivated) as link:
        press(qtbot, form, ENTER)
    assert link.args == ["companion:article/childhood-trauma-and-depression"]
    form.restore({}, 0, "intro")
    press(qtbot, form, ENTER)
    assert form.skip.text() == "Prefer not to say"
    press(qtbot, form, "s", "1", ENTER, "0", ENTER)
    assert form.answers() == {
        "1": None, "2": 1, "3": 0, "4": None, "5": None,
        "6": None, "7": None, "8": None, "9": None, "10": None,
    }  # fmt: skip


def test_who5_answers_run_from_5_down_to_0(qtbot: QtBot, host: Host) -> None:
    form = _form(host, "who5")
    press(qtbot, form, ENTER, "5")
    assert form.answers()["1"] == 5 and form.option_buttons[0].isChecked()
    press(qtbot, form, Qt.Key.Key_Down)  # down the list: "Most of the time"
    assert form.answers()["1"] == 4


def test_answer_changes_are_signalled_for_saving_a_draft(qtbot: QtBot, host: Host) -> None:
    form = _form(host)
    press(qtbot, form, ENTER)
    with qtbot.waitSignal(form.answerChanged) as changed:
        press(qtbot, form, "2")
    assert changed.args == ["1", 2]
    with qtbot.waitSignal(form.answerChanged) as skipped:
        press(qtbot, form, "s")
    assert skipped.args == ["1", None]


def test_a_draft_is_restored_and_bad_answers_in_it_are_dropped(qtbot: QtBot, host: Host) -> None:
    form = _form(host)
    form.restore({"1": 3, "2": 9, "3": True, "4": "2", "zzz": 1, "9": 1}, 3)
    assert form.position() == ("question", 3)
    assert form.answers() == {
        "1": 3, "2": None, "3": None, "4": None, "5": None,
        "6": None, "7": None, "8": None, "9": 1, "difficulty": None,
    }  # fmt: skip
    assert form.reminder.isVisible()  # an earlier question-9 answer still shows the way to help
    form.restore({}, 99, "question")
    assert form.position() == ("question", 9)


def test_every_control_has_an_accessible_name(qtbot: QtBot, host: Host) -> None:
    for qid in ("phq9", "gad7", "pcl5", "ace", "who5"):
        form = _form(host, qid)
        form.restore({"9": 1} if qid == "phq9" else {}, 0)
        for button in form.findChildren(QAbstractButton):
            assert button.accessibleName().strip(), (qid, button.text())
        assert form.choices.accessibleName().startswith("Question 1 of ")
        assert form.progress.accessibleName().startswith("Question 1 of ")
        assert all(b.accessibleDescription() == form.item.text for b in form.option_buttons)
