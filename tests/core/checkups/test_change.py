"""Change since last time, with each instrument's own thresholds, from hand-made scores."""

from __future__ import annotations

import pytest

from companion.content.questionnaires import get_questionnaire
from companion.core.checkups.change import Change, compare, describe
from companion.core.checkups.scoring import Score, score_answers
from tests.content.content_lint import unsafe_messaging


def _score(qid: str, total: int) -> Score:
    """A real score for ``total``: the questions filled from the first, highest answer first."""
    q = get_questionnaire(qid)
    answers: dict[str, int] = {}
    left = total
    for item in q.scored_items:
        value = min(left, max(item.values))
        answers[item.id] = value
        left -= value
    assert left == 0
    score = score_answers(q, answers)
    assert score.total == total
    return score


def _compare(qid: str, before: int, now: int, baseline: int | None = None) -> Change:
    q = get_questionnaire(qid)
    start = _score(qid, baseline) if baseline is not None else None
    change = compare(q, _score(qid, now), _score(qid, before), start)
    assert change is not None
    return change


# (previous, current, meaningful, response, remission) for the PHQ-9: 5 points is meaningful;
# from a start of 10 or more, at least 50% lower is a response and under 5 is remission.
PHQ9 = [
    (18, 12, True, False, False),
    (18, 9, True, True, False),  # exactly half
    (18, 10, True, False, False),  # just short of half
    (18, 4, True, True, True),
    (10, 5, True, True, False),  # 5 is not under 5
    (10, 4, True, True, True),
    (9, 4, True, False, False),  # started below 10: neither response nor remission
    (12, 8, False, False, False),  # 4 points: not meaningful
    (12, 17, True, False, False),  # 5 points worse
    (12, 12, False, False, False),
]


@pytest.mark.parametrize(("before", "now", "meaningful", "response", "remission"), PHQ9)
def test_phq9_change_response_and_remission(
    before: int, now: int, meaningful: bool, response: bool, remission: bool
) -> None:
    change = _compare("phq9", before, now)
    assert change.delta == now - before
    assert (change.meaningful, change.response, change.remission) == (
        meaningful,
        response,
        remission,
    )
    assert change.improved is (None if now == before else now < before)


def test_response_is_judged_from_the_baseline_when_one_is_given() -> None:
    change = _compare("phq9", before=12, now=10, baseline=20)
    assert (change.response, change.meaningful, change.baseline) == (True, False, 20)
    change = _compare("phq9", before=12, now=11, baseline=20)
    assert change.response is False


@pytest.mark.parametrize(
    ("before", "now", "meaningful"), [(10, 6, True), (10, 7, False), (6, 10, True)]
)
def test_gad7_four_points_is_meaningful(before: int, now: int, meaningful: bool) -> None:
    change = _compare("gad7", before, now)
    assert (change.meaningful, change.response, change.remission) == (meaningful, False, False)


@pytest.mark.parametrize(
    ("before", "now", "reliable", "meaningful"),
    [(40, 36, False, False), (40, 35, True, False), (40, 31, True, False), (40, 30, True, True)],
)
def test_pcl5_reliable_and_meaningful_change(
    before: int, now: int, reliable: bool, meaningful: bool
) -> None:
    change = _compare("pcl5", before, now)
    assert (change.reliable, change.meaningful) == (reliable, meaningful)


def test_who5_change_is_in_percentage_points_and_higher_is_better() -> None:
    up = _compare("who5", 10, 13)  # 40% -> 52%
    assert (up.previous, up.current, up.delta, up.meaningful, up.improved) == (
        40,
        52,
        12,
        True,
        True,
    )
    small = _compare("who5", 10, 12)  # 40% -> 48%
    assert (small.delta, small.meaningful) == (8, False)
    down = _compare("who5", 13, 10)
    assert down.improved is False


def test_nothing_to_compare() -> None:
    q = get_questionnaire("phq9")
    now = _score("phq9", 10)
    assert compare(q, now, None) is None
    blank = score_answers(q, {})
    assert compare(q, now, blank) is None
    assert compare(q, blank, now) is None
    ace = get_questionnaire("ace")
    assert compare(ace, score_answers(ace, {"1": 1}), score_answers(ace, {"1": 0})) is None


def test_describing_a_phq9_response() -> None:
    q = get_questionnaire("phq9")
    change = _compare("phq9", 18, 9)
    lines = describe(q, change, "3 November")
    assert lines == [
        "9 points lower than on 3 November (18 then, 9 now: fewer or milder problems).",
        "Clinicians generally treat a change of 5 points or more as meaningful.",
        "Your score is at least 50% lower than on 3 November (18); clinicians call a fall that "
        "size a response to treatment.",
    ]


def test_describing_remission_from_a_separate_baseline() -> None:
    q = get_questionnaire("phq9")
    change = _compare("phq9", 6, 3, baseline=16)
    lines = describe(q, change, "20 November", "1 September")
    assert (
        lines[0] == "3 points lower than on 20 November (6 then, 3 now: fewer or milder problems)."
    )
    assert lines[1] == "Changes smaller than 5 points can be part of the usual ups and downs."
    assert "lower than on 1 September (16)" in lines[2]
    assert (
        lines[3]
        == "A score under 5, after starting at 10 or more, is what clinicians call remission."
    )


def test_describing_no_change_and_small_changes() -> None:
    q = get_questionnaire("gad7")
    assert describe(q, _compare("gad7", 8, 8), "1 May") == ["The same as on 1 May (8)."]
    assert describe(q, _compare("gad7", 8, 9), "1 May")[0] == (
        "1 point higher than on 1 May (8 then, 9 now: more or stronger problems)."
    )


def test_describing_pcl5_reliable_change() -> None:
    q = get_questionnaire("pcl5")
    lines = describe(q, _compare("pcl5", 40, 34), "2 October")
    assert lines[1] == (
        "That is more than the 5 points counted as reliable change, though less than the 10 "
        "points counted as clinically meaningful."
    )


def test_describing_who5_in_percentage_points() -> None:
    q = get_questionnaire("who5")
    lines = describe(q, _compare("who5", 10, 13), "6 June")
    assert lines == [
        "12 percentage points higher than on 6 June (40% then, 52% now: better wellbeing).",
        "Clinicians generally treat a change of 10 percentage points or more as meaningful.",
    ]


@pytest.mark.parametrize("qid", ["phq9", "gad7", "pcl5", "who5"])
def test_change_sentences_are_safe(qid: str) -> None:
    q = get_questionnaire(qid)
    for before, now in ((q.max_total, 0), (0, q.max_total), (3, 3)):
        change = _compare(qid, before, now)
        for line in describe(q, change, "1 January"):
            assert unsafe_messaging(line) == []
