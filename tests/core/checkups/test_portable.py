"""Check-ups in Companion's JSON export and import: answers, versions, times, drafts and the
person's intervals travel; results are worked out again on the other side."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from companion.core import portable
from companion.core.checkups.service import CheckupService
from companion.core.errors import ImportFileError
from tests.core.mood_helpers import fresh_db

from .helpers import NOW, gad7, phq9, service


def _round_trip(document: dict[str, object]) -> CheckupService:
    other = fresh_db()
    raw = portable.dumps(document).encode("utf-8")
    portable.import_document(other, portable.parse_document(raw))
    return CheckupService(other, overlays=[], clock=lambda: NOW)


def _filled() -> CheckupService:
    svc, clock, _db = service()
    clock.days(-60)
    svc.complete("phq9", phq9(17, item9=1))
    svc.complete("gad7", gad7(12))
    clock.days(30)
    svc.complete("phq9", phq9(8))
    ace = svc.complete("ace", {"1": 1, "4": 1})
    clock.days(30)
    svc.change_answers(ace.id, {"1": 1, "4": 1, "9": 1})
    svc.set_interval("phq9", 30)
    svc.save_draft("gad7", {"1": 2, "2": 1}, position=2)
    return svc


def test_everything_survives_a_round_trip_and_scores_the_same() -> None:
    svc = _filled()
    document = portable.export_document(svc._db)
    tables = document["tables"]
    assert len(tables["checkup_responses"]) == 4
    assert len(tables["checkup_answers"]) == 10 + 8 + 10 + 10
    assert len(tables["checkup_drafts"]) == 1
    back = _round_trip(document)
    for qid in ("phq9", "gad7", "ace"):
        mine = [(r.stored, r.score) for r in svc.results(qid)]
        theirs = [(r.stored, r.score) for r in back.results(qid)]
        assert mine == theirs, qid
    assert back.results("phq9")[0].score.flag("self-harm") is not None
    assert back.results("ace")[0].stored.edited_at is not None
    assert back.intervals()["phq9"] == 30
    draft = back.draft("gad7")
    assert draft is not None and draft.answered == 2 and draft.position == 2


def test_a_ranged_export_keeps_each_response_with_its_answers() -> None:
    svc = _filled()
    day = (NOW - timedelta(days=30)).date()
    document = portable.export_document(svc._db, start=day, end=day)
    responses = document["tables"]["checkup_responses"]
    assert sorted(r["questionnaire_id"] for r in responses) == ["ace", "phq9"]
    ids = {r["id"] for r in responses}
    assert {a["response_id"] for a in document["tables"]["checkup_answers"]} == ids
    back = _round_trip(document)
    assert [r.score.total for r in back.results("phq9")] == [8]


def test_an_imported_answer_no_question_offers_is_kept_but_never_scored() -> None:
    svc, _clock, db = service()
    svc.complete("phq9", phq9(6))
    document = json.loads(portable.dumps(portable.export_document(db)))
    for answer in document["tables"]["checkup_answers"]:
        if answer["item_id"] == "3":
            answer["value"] = 7
    back = _round_trip(document)
    (result,) = back.results("phq9")
    assert result.stored.answers["3"] == 7
    assert (result.score.status, result.score.total) == ("not-scored", None)


def test_an_impossible_answer_rejects_the_whole_file() -> None:
    svc, _clock, db = service()
    svc.complete("gad7", gad7(4))
    document = json.loads(portable.dumps(portable.export_document(db)))
    document["tables"]["checkup_answers"][0]["value"] = 500
    other = fresh_db()
    raw = json.dumps(document).encode("utf-8")
    with pytest.raises(ImportFileError, match="checkup_answers"):
        portable.import_document(other, portable.parse_document(raw))
    assert CheckupService(other).responses() == []


def test_a_response_from_a_newer_app_imports_and_waits_unscored() -> None:
    svc, _clock, db = service()
    svc.complete("gad7", gad7(4))
    document = json.loads(portable.dumps(portable.export_document(db)))
    document["tables"]["checkup_responses"][0]["version"] = 2
    back = _round_trip(document)
    (result,) = back.results("gad7")
    assert result.score.total is None and "newer version of the GAD-7" in result.score.note
    assert result.day == date(2026, 12, 4)
