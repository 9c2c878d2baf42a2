"""Scores from hand-computed answer vectors, at every band edge of every instrument.

Each vector below was added up by hand; the test checks the sum first, so a typo in a vector
cannot hide a scoring error.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from companion.content.questionnaires import Questionnaire, get_questionnaire
from companion.core.checkups.flags import self_harm_message
from companion.core.checkups.scoring import Response, score_answers, score_response
from tests.content.content_lint import unsafe_messaging

WHEN = dt.datetime(2026, 12, 4, 9, 30, tzinfo=dt.UTC)


def _answers(q: Questionnaire, vector: list[int | None]) -> dict[str, int | None]:
    items = q.scored_items
    assert len(vector) == len(items)
    return {item.id: value for item, value in zip(items, vector, strict=True)}


# (instrument, answers to the scored questions in order, hand-added total, band label)
EDGES: list[tuple[str, list[int], int, str]] = [
    ("phq9", [0, 0, 0, 0, 0, 0, 0, 0, 0], 0, "Minimal"),
    ("phq9", [1, 1, 1, 1, 0, 0, 0, 0, 0], 4, "Minimal"),
    ("phq9", [1, 1, 1, 1, 1, 0, 0, 0, 0], 5, "Mild"),
    ("phq9", [3, 3, 3, 0, 0, 0, 0, 0, 0], 9, "Mild"),
    ("phq9", [2, 2, 2, 2, 2, 0, 0, 0, 0], 10, "Moderate"),
    ("phq9", [3, 3, 3, 3, 2, 0, 0, 0, 0], 14, "Moderate"),
    ("phq9", [3, 3, 3, 3, 3, 0, 0, 0, 0], 15, "Moderately severe"),
    ("phq9", [3, 3, 3, 3, 3, 2, 2, 0, 0], 19, "Moderately severe"),
    ("phq9", [3, 3, 3, 3, 3, 3, 2, 0, 0], 20, "Severe"),
    ("phq9", [3, 3, 3, 3, 3, 3, 3, 3, 3], 27, "Severe"),
    ("gad7", [0, 0, 0, 0, 0, 0, 0], 0, "Minimal"),
    ("gad7", [1, 1, 1, 1, 0, 0, 0], 4, "Minimal"),
    ("gad7", [1, 1, 1, 1, 1, 0, 0], 5, "Mild"),
    ("gad7", [3, 2, 2, 2, 0, 0, 0], 9, "Mild"),
    ("gad7", [2, 2, 2, 2, 2, 0, 0], 10, "Moderate"),
    ("gad7", [2, 2, 2, 2, 2, 2, 2], 14, "Moderate"),
    ("gad7", [3, 3, 3, 2, 2, 1, 1], 15, "Severe"),
    ("gad7", [3, 3, 3, 3, 3, 3, 3], 21, "Severe"),
    ("pcl5", [0] * 20, 0, "Below the screening range"),
    ("pcl5", [2] * 15 + [0] * 5, 30, "Below the screening range"),
    ("pcl5", [2] * 15 + [1, 0, 0, 0, 0], 31, "In the screening range"),
    ("pcl5", [2] * 15 + [1, 1, 1, 0, 0], 33, "In the screening range"),
    ("pcl5", [2] * 17 + [0, 0, 0], 34, "Above the screening range"),
    ("pcl5", [4] * 20, 80, "Above the screening range"),
    ("who5", [0, 0, 0, 0, 0], 0, "Very low wellbeing"),
    ("who5", [2, 2, 1, 1, 1], 7, "Very low wellbeing"),  # 28%
    ("who5", [2, 2, 2, 1, 1], 8, "Low wellbeing"),  # 32%
    ("who5", [3, 3, 2, 2, 2], 12, "Low wellbeing"),  # 48%
    ("who5", [3, 3, 3, 2, 2], 13, "Above the low range"),  # 52%
    ("who5", [5, 5, 5, 5, 5], 25, "Above the low range"),  # 100%
]


@pytest.mark.parametrize(("qid", "vector", "total", "band"), EDGES)
def test_band_edges(qid: str, vector: list[int], total: int, band: str) -> None:
    assert sum(vector) == total  # the hand-added total is right
    q = get_questionnaire(qid)
    score = score_answers(q, _answers(q, list(vector)))
    assert score.status == "complete" and score.note == ""
    assert score.total == total
    assert score.shown == total * q.scoring.multiplier
    assert score.band is not None and score.band.label == band
    assert score.answered == len(vector) and score.missing == ()


def test_every_edge_of_every_band_is_tested() -> None:
    tested = {(qid, total) for qid, _v, total, _b in EDGES}
    for qid in ("phq9", "gad7", "pcl5", "who5"):
        for band in get_questionnaire(qid).bands:
            assert (qid, band.min) in tested and (qid, band.max) in tested, (qid, band)


def test_who5_shows_a_percentage() -> None:
    q = get_questionnaire("who5")
    score = score_answers(q, _answers(q, [3, 3, 3, 2, 2]))
    assert (score.total, score.shown, score.maximum) == (13, 52, 100)


@pytest.mark.parametrize(
    ("vector", "count"),
    [([0] * 10, 0), ([1, 0, 1, 0, 0, 0, 1, 0, 0, 0], 3), ([1] * 10, 10)],
)
def test_ace_counts_yes_answers_and_has_no_band(vector: list[int], count: int) -> None:
    q = get_questionnaire("ace")
    score = score_answers(q, _answers(q, list(vector)))
    assert (score.status, score.total, score.band) == ("complete", count, None)
    assert score.maximum == 10


# --- PHQ-9 question 9 ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", [1, 2, 3])
def test_any_answer_above_zero_on_phq9_question_9_raises_the_flag(value: int) -> None:
    q = get_questionnaire("phq9")
    vector = [0, 0, 0, 0, 0, 0, 0, 0, value]
    score = score_answers(q, _answers(q, list(vector)))
    flag = score.flag("self-harm")
    assert flag is not None and (flag.item_id, flag.value) == ("9", value)
    assert score.total == value and score.band is not None and score.band.label == "Minimal"


def test_zero_on_question_9_raises_no_flag_whatever_the_total() -> None:
    q = get_questionnaire("phq9")
    score = score_answers(q, _answers(q, [3, 3, 3, 3, 3, 3, 3, 3, 0]))
    assert score.total == 24 and score.flags == ()


def test_the_flag_is_raised_even_when_the_total_cannot_be_worked_out() -> None:
    q = get_questionnaire("phq9")
    blanks = score_answers(q, {"1": None, "2": None, "3": None, "9": 2})
    assert blanks.status == "not-scored" and blanks.flag("self-harm") is not None
    broken = score_answers(q, {"1": 7, "9": 1})
    assert broken.status == "not-scored" and broken.flag("self-harm") is not None


# --- missing answers -----------------------------------------------------------------------------


def test_phq9_with_one_blank_is_prorated() -> None:
    q = get_questionnaire("phq9")
    # eight answers adding up to 10: 10 x 9 / 8 = 11.25 -> 11
    score = score_answers(q, _answers(q, [2, 2, 2, 1, 1, 1, 1, None, 0]))
    assert (score.status, score.total, score.band.label if score.band else None) == (
        "prorated",
        11,
        "Moderate",
    )
    assert score.missing == ("8",) and score.answered == 8
    assert "You left question 8 blank" in score.note and "up to 2 blank questions" in score.note


def test_phq9_with_two_blanks_is_prorated_and_rounds_half_up() -> None:
    q = get_questionnaire("phq9")
    # seven answers adding up to 10: 10 x 9 / 7 = 12.86 -> 13
    score = score_answers(q, _answers(q, [2, 2, 2, 1, 1, 1, 1, None, None]))
    assert (score.status, score.total) == ("prorated", 13)
    assert "questions 8 and 9" in score.note
    # eight answers adding up to 4: 4 x 9 / 8 = 4.5 -> 5, which crosses into "Mild"
    half = score_answers(q, _answers(q, [1, 1, 1, 1, 0, 0, 0, 0, None]))
    assert (half.total, half.band.label if half.band else None) == (5, "Mild")


def test_phq9_with_three_blanks_is_not_scored() -> None:
    q = get_questionnaire("phq9")
    score = score_answers(q, _answers(q, [3, 3, 3, 3, 3, 3, None, None, None]))
    assert (score.status, score.total, score.shown, score.band) == ("not-scored", None, None, None)
    assert score.note == (
        "You left questions 7, 8 and 9 blank. The PHQ-9 can only be scored with at most 2 blank "
        "questions, so this time there is no total."
    )


def test_the_unscored_difficulty_question_may_be_left_blank() -> None:
    q = get_questionnaire("phq9")
    answers = _answers(q, [1] * 9)
    assert score_answers(q, answers).status == "complete"
    assert score_answers(q, {**answers, "difficulty": 2}).total == 9
    assert score_answers(q, {**answers, "difficulty": None}).total == 9


@pytest.mark.parametrize("qid", ["gad7", "pcl5", "who5"])
def test_one_blank_means_not_scored_where_no_rule_allows_it(qid: str) -> None:
    q = get_questionnaire(qid)
    vector: list[int | None] = [1] * len(q.scored_items)
    vector[0] = None
    score = score_answers(q, _answers(q, vector))
    assert score.status == "not-scored" and score.total is None and score.band is None
    assert score.note == (
        f"You left question 1 blank. The {q.name} is only scored when every question is "
        "answered, so this time there is no total."
    )


def test_ace_counts_only_the_questions_answered() -> None:
    q = get_questionnaire("ace")
    score = score_answers(q, _answers(q, [1, None, 1, 0, None, 0, 0, None, 1, 0]))
    assert (score.status, score.total, score.answered) == ("partial", 3, 7)
    assert score.note == (
        "You left questions 2, 5 and 8 unanswered, so the count covers the 7 questions you "
        "answered."
    )


def test_ace_with_nothing_answered_is_not_scored() -> None:
    q = get_questionnaire("ace")
    score = score_answers(q, {})
    assert score.status == "not-scored" and score.total is None
    assert score.note == "No question was answered, so there is nothing to count."


def test_an_empty_phq9_is_not_scored() -> None:
    score = score_answers(get_questionnaire("phq9"), {})
    assert score.status == "not-scored" and score.answered == 0 and len(score.missing) == 9


# --- answers that do not fit ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "note"),
    [
        ({"10": 1}, "An answer belongs to a question this questionnaire does not have"),
        ({"1": 4}, "The answer to question 1 is not one of its answers"),
        ({"1": -1}, "The answer to question 1 is not one of its answers"),
        ({"2": True}, "The answer to question 2 is not one of its answers"),
        ({"3": "2"}, "The answer to question 3 is not one of its answers"),
        ({"4": 1.0}, "The answer to question 4 is not one of its answers"),
        ({"difficulty": 9}, "The answer to question 10 is not one of its answers"),
    ],
)
def test_answers_that_do_not_fit_are_kept_but_never_scored(
    answers: dict[str, object], note: str
) -> None:
    q = get_questionnaire("phq9")
    full: dict[str, object] = {str(n): 1 for n in range(1, 10)}
    full.update(answers)
    score = score_answers(q, full)
    assert (score.status, score.total, score.band) == ("not-scored", None, None)
    assert score.note == f"{note}, so the PHQ-9 was not scored. The answers are kept as they were."


def test_the_same_answers_always_give_the_same_result() -> None:
    q = get_questionnaire("phq9")
    answers = _answers(q, [2, 1, 3, 0, 2, 1, 1, 0, 0])
    assert score_answers(q, answers) == score_answers(q, dict(reversed(answers.items())))


def test_a_result_is_recomputed_from_answers_edited_after_the_fact() -> None:
    q = get_questionnaire("phq9")
    before = Response("phq9", 1, _answers(q, [2, 2, 2, 2, 2, 0, 0, 0, 0]), WHEN)
    edited = dataclasses.replace(before, answers={**before.answers, "5": 0})
    assert score_response(q, before).total == 10
    assert score_response(q, edited).total == 8  # nothing stored alone to disagree with it


# --- stored responses and versions ---------------------------------------------------------------


def test_a_stored_response_of_the_current_version_is_scored() -> None:
    q = get_questionnaire("gad7")
    response = Response("gad7", q.version, _answers(q, [1, 1, 1, 1, 1, 0, 0]), WHEN)
    assert score_response(q, response).total == 5


def test_an_answer_from_an_older_version_that_scored_differently_is_not_rescored() -> None:
    q = dataclasses.replace(get_questionnaire("phq9"), version=2)
    old = Response("phq9", 1, _answers(q, [3] * 9), WHEN)
    score = score_response(q, old)
    assert (score.status, score.total, score.flags) == ("not-scored", None, ())
    assert score.note == (
        "These answers were given to an earlier version of the PHQ-9 (version 1) that is scored "
        "differently, so they are kept as they were and not scored again."
    )


def test_an_answer_from_an_older_compatible_version_is_scored() -> None:
    q = dataclasses.replace(get_questionnaire("phq9"), version=2, compatible_versions=(1,))
    old = Response("phq9", 1, _answers(q, [3] * 9), WHEN)
    assert score_response(q, old).total == 27


def test_an_answer_from_a_newer_version_is_not_scored() -> None:
    q = get_questionnaire("phq9")
    newer = Response("phq9", q.version + 1, _answers(q, [0] * 9), WHEN)
    score = score_response(q, newer)
    assert score.status == "not-scored"
    assert "newer version of the PHQ-9 (version 2)" in score.note


def test_a_response_to_another_questionnaire_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="gad7 response cannot be scored as phq9"):
        score_response(get_questionnaire("phq9"), Response("gad7", 1, {}, WHEN))


# --- the question-9 message ----------------------------------------------------------------------


@pytest.mark.parametrize("value", [1, 2, 3])
def test_the_self_harm_message_is_safe_and_points_to_help(value: int) -> None:
    text = self_harm_message(value)
    assert unsafe_messaging(text) == []
    assert "Get help now" in text and "cannot send help" in text and "nobody is told" in text
    assert ("today" in text) == (value >= 2)


def test_no_message_for_zero() -> None:
    with pytest.raises(ValueError):
        self_harm_message(0)
