"""Check-ups in the diary: raw answers kept, results worked out again, drafts, edits after the
fact, older versions, deletes with undo."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, text

from companion.content.questionnaires import (
    Questionnaire,
    get_questionnaire,
    load_questionnaires,
)
from companion.core.checkups import service as service_module
from companion.core.checkups.models import CheckupAnswer, CheckupDraft, CheckupResponse
from companion.core.errors import ValidationError
from companion.core.models import key_to_db

from .helpers import NOW, gad7, phq9, service


def _count(db: object, model: type) -> int:
    with db.sessions() as session:  # type: ignore[attr-defined]
        return int(session.scalar(select(func.count()).select_from(model)))


def test_a_completed_phq9_keeps_raw_answers_version_and_time_never_a_total() -> None:
    svc, _clock, db = service()
    stored = svc.complete("phq9", phq9(12, item9=1))
    assert stored.questionnaire_id == "phq9" and stored.version == 1
    assert stored.completed_at == NOW and stored.completed_at.utcoffset() == timedelta(hours=1)
    assert stored.answers["9"] == 1 and stored.answers["difficulty"] == 1
    with db.sessions() as session:
        row = session.get(CheckupResponse, stored.id)
        assert row is not None
        assert row.completed_at == NOW.astimezone(UTC) and row.utc_offset_minutes == 60
    # nothing in the tables could hold a total: results are always worked out again
    columns = {c.name for c in CheckupResponse.__table__.columns}
    assert not columns & {"total", "score", "band", "result"}
    (result,) = svc.results("phq9")
    assert (result.score.total, result.score.band.label) == (12, "Moderate")
    assert result.score.flag("self-harm") is not None


def test_questions_not_shown_are_stored_as_left_out() -> None:
    svc, _clock, _db = service()
    stored = svc.complete("gad7", {"1": 2})
    assert stored.answers == {**dict.fromkeys(["1", "2", "3", "4", "5", "6", "7"]), "1": 2,
                              "difficulty": None}  # fmt: skip
    assert svc.result(stored.id).score.status == "not-scored"


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"10": 1}, "does not have"),
        ({"1": 4}, "question 1 is not one of its answers"),
        ({"2": True}, "question 2 is not one of its answers"),
        ({"3": "2"}, "question 3 is not one of its answers"),
        ({"difficulty": 2}, "No question was answered"),
        ({}, "No question was answered"),
    ],
)
def test_answers_that_do_not_fit_are_refused_and_nothing_is_written(
    answers: dict[str, object], message: str
) -> None:
    svc, _clock, db = service()
    with pytest.raises(ValidationError, match=message):
        svc.complete("phq9", answers)  # type: ignore[arg-type]
    assert _count(db, CheckupResponse) == 0 and _count(db, CheckupAnswer) == 0


def test_an_unknown_questionnaire_is_refused_in_one_sentence() -> None:
    svc, _clock, _db = service()
    with pytest.raises(ValidationError, match="no check-up called “qids”"):
        svc.complete("qids", {"1": 1})


# --- drafts -----------------------------------------------------------------------------------


def test_a_draft_keeps_answers_and_place_and_completing_removes_it() -> None:
    svc, clock, db = service()
    assert svc.draft("phq9") is None
    svc.save_draft("phq9", {"1": 2, "2": None}, position=2, view="question")
    clock.days(0.1)
    svc.save_draft("phq9", {"1": 2, "2": 1}, position=3, view="question")
    draft = svc.draft("phq9")
    assert draft is not None
    assert (draft.answers["1"], draft.answers["2"], draft.answers["3"]) == (2, 1, None)
    assert (draft.position, draft.view, draft.answered) == (3, "question", 2)
    assert draft.started_at == NOW  # begun then, saved since
    svc.complete("phq9", phq9(5))
    assert svc.draft("phq9") is None and _count(db, CheckupDraft) == 0


def test_a_draft_checks_answers_as_it_is_saved() -> None:
    svc, _clock, _db = service()
    with pytest.raises(ValidationError, match="not one of its answers"):
        svc.save_draft("gad7", {"1": 9})
    with pytest.raises(ValidationError, match="does not have"):
        svc.save_draft("gad7", {"8": 1})
    with pytest.raises(ValidationError, match="place in the questionnaire"):
        svc.save_draft("gad7", {"1": 1}, view="elsewhere")
    svc.save_draft("gad7", {"1": 1}, position=999)
    draft = svc.draft("gad7")
    assert draft is not None and draft.position == 7  # the last question


def test_a_draft_from_another_fortnight_is_not_offered_and_starts_afresh() -> None:
    """A PHQ-9 asks about the last two weeks: answers begun 14 days ago were about another
    fortnight, so they are not continued; the ACE (about childhood) keeps its draft."""
    svc, clock, _db = service()
    svc.save_draft("phq9", {"1": 3})
    svc.save_draft("ace", {"1": 1})
    clock.days(13)
    assert svc.draft("phq9") is not None
    clock.days(1)
    assert svc.draft("phq9") is None
    assert svc.draft("ace") is not None
    status = next(s for s in svc.statuses() if s.questionnaire.id == "phq9")
    assert status.draft is None and status.stale_draft_on == NOW.date()  # and the page says so
    svc.save_draft("phq9", {"1": 1})  # a new one begins now
    draft = svc.draft("phq9")
    assert draft is not None and draft.started_at == clock.now


def test_a_damaged_draft_gives_back_only_what_fits() -> None:
    svc, _clock, db = service()
    svc.save_draft("phq9", {"1": 1})
    with db.session() as session:
        row = session.scalar(select(CheckupDraft))
        assert row is not None
        row.answers = {"1": 7, "2": True, "3": "x", "4": 2, "zz": 1}
    draft = svc.draft("phq9")
    assert draft is not None
    assert {k: v for k, v in draft.answers.items() if v is not None} == {"4": 2}


def test_a_draft_for_an_older_version_is_not_offered(monkeypatch: pytest.MonkeyPatch) -> None:
    svc, _clock, _db = service()
    svc.save_draft("gad7", {"1": 1})
    _newer(monkeypatch, "gad7")
    assert svc.draft("gad7") is None


# --- versions and edits after the fact ----------------------------------------------------------


def _newer(monkeypatch: pytest.MonkeyPatch, qid: str, compatible: tuple[int, ...] = ()) -> None:
    """Pretend the app now carries version 2 of ``qid``."""
    newer = dataclasses.replace(get_questionnaire(qid), version=2, compatible_versions=compatible)

    def one(questionnaire_id: str) -> Questionnaire:
        return newer if questionnaire_id == qid else get_questionnaire(questionnaire_id)

    def every() -> list[Questionnaire]:
        return [one(q.id) for q in load_questionnaires()]

    monkeypatch.setattr(service_module, "get_questionnaire", one)
    monkeypatch.setattr(service_module, "load_questionnaires", every)


def test_a_response_to_an_older_version_is_kept_but_not_scored_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    svc, _clock, _db = service()
    stored = svc.complete("gad7", gad7(11))
    _newer(monkeypatch, "gad7")
    (result,) = svc.results("gad7")
    assert result.stored.id == stored.id and result.stored.answers == stored.answers
    assert (result.score.status, result.score.total) == ("not-scored", None)
    assert "earlier version of the GAD-7 (version 1)" in result.score.note
    # ...unless the newer version says its answers score the same way
    _newer(monkeypatch, "gad7", compatible=(1,))
    assert svc.results("gad7")[0].score.total == 11


def test_a_response_from_a_newer_app_is_kept_and_not_scored_here() -> None:
    svc, _clock, db = service()
    stored = svc.complete("phq9", phq9(8))
    with db.session() as session:
        session.execute(text("UPDATE checkup_responses SET version = 3"))
    result = svc.result(stored.id)
    assert result.score.total is None and "newer version of the PHQ-9" in result.score.note


def test_an_answer_changed_in_the_file_changes_the_result_and_a_bad_one_is_never_scored() -> None:
    """No total is stored, so there is no stale total to disagree with the answers: a value
    changed behind the app's back (an edited export) gives the result of the new answers, and
    a value the question does not offer gives "not scored", never a wrong number."""
    svc, _clock, db = service()
    stored = svc.complete("phq9", phq9(10))
    with db.session() as session:
        session.execute(
            text("UPDATE checkup_answers SET value = 0 WHERE item_id = '1' AND response_id = :r"),
            {"r": key_to_db(stored.id)},
        )
    assert svc.result(stored.id).score.total == 7
    with db.session() as session:
        session.execute(
            text("UPDATE checkup_answers SET value = 7 WHERE item_id = '2' AND response_id = :r"),
            {"r": key_to_db(stored.id)},
        )
    score = svc.result(stored.id).score
    assert (score.status, score.total) == ("not-scored", None)
    assert "question 2 is not one of its answers" in score.note
    with db.session() as session:
        session.execute(text("DELETE FROM checkup_answers WHERE item_id = '2'"))
    assert svc.result(stored.id).score.status == "prorated"


def test_the_ace_can_be_changed_afterwards_and_says_so() -> None:
    svc, clock, _db = service()
    stored = svc.complete("ace", {"1": 1, "4": 1, "6": 0})
    assert svc.result(stored.id).score.total == 2
    svc.save_draft("ace", {"1": 1, "4": 1, "6": 1}, response_id=stored.id)
    clock.days(30)
    changed = svc.change_answers(stored.id, {"1": 1, "4": 1, "6": 1, "9": 1})
    assert changed.id == stored.id and changed.completed_at == NOW
    assert changed.edited_at == clock.now
    assert svc.result(stored.id).score.total == 4
    assert svc.draft("ace") is None  # the edit's draft went with it
    assert len(svc.responses("ace")) == 1


def test_a_time_bound_questionnaire_cannot_be_rewritten_afterwards() -> None:
    svc, _clock, _db = service()
    stored = svc.complete("phq9", phq9(14))
    with pytest.raises(ValidationError, match="cannot be changed afterwards"):
        svc.change_answers(stored.id, phq9(4))
    assert svc.result(stored.id).score.total == 14


def test_an_older_ace_cannot_be_changed_into_the_new_wording(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    svc, _clock, _db = service()
    stored = svc.complete("ace", {"1": 1})
    _newer(monkeypatch, "ace")
    with pytest.raises(ValidationError, match="earlier version of the ACE"):
        svc.change_answers(stored.id, {"1": 0})


def test_delete_removes_every_row_and_undo_puts_them_back() -> None:
    svc, _clock, db = service()
    stored = svc.complete("phq9", phq9(9))
    before = svc.result(stored.id)
    deleted = svc.delete(stored.id)
    assert _count(db, CheckupResponse) == 0 and _count(db, CheckupAnswer) == 0
    with pytest.raises(ValidationError, match="no longer in the diary"):
        svc.result(stored.id)
    svc.restore(deleted)
    svc.restore(deleted)  # twice is harmless
    again = svc.result(stored.id)
    assert again.stored == before.stored and again.score == before.score


def test_earlier_gives_the_previous_result_and_the_stretch_baseline() -> None:
    svc, clock, _db = service()
    first = svc.complete("phq9", phq9(18))
    clock.days(14)
    svc.complete("phq9", phq9(12))
    clock.days(14)
    latest = svc.complete("phq9", phq9(8))
    previous, baseline = svc.earlier(latest.id)
    assert previous is not None and previous.score.total == 12
    assert baseline is not None and baseline.score.total == 18
    assert baseline.day == first.day
    assert svc.earlier(first.id) == (None, None)


def test_results_are_ordered_by_completion_whatever_the_order_they_were_entered() -> None:
    svc, _clock, _db = service()
    svc.complete("gad7", gad7(5), now=NOW)
    svc.complete("gad7", gad7(9), now=NOW - timedelta(days=20))
    assert [r.score.total for r in svc.results("gad7")] == [9, 5]
    assert svc.responses()[0].completed_at == NOW - timedelta(days=20)


def test_a_completion_time_keeps_the_offset_it_had() -> None:
    svc, _clock, _db = service()
    tokyo = datetime(2026, 12, 5, 0, 30, tzinfo=timezone(timedelta(hours=9)))
    stored = svc.complete("gad7", gad7(3), now=tokyo)
    assert stored.day.isoformat() == "2026-12-05"  # the day the person saw, not UTC's
