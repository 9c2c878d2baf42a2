"""Demo check-ups: a PHQ-9/GAD-7 series that follows the demo's medication story, read back
through the database, two PCL-5s and one ACE; deterministic; one early question 9 above zero."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta, timezone
from statistics import mean

import pytest

from companion import features
from companion.core import demo
from companion.core.checkups.service import CheckupService
from companion.core.medications.service import MedicationService
from companion.storage.database import Database
from tests.core.mood_helpers import fresh_db

TODAY = date(2026, 12, 4)
PLUS1 = timezone(timedelta(hours=1))


def _clock() -> datetime:
    return datetime.combine(TODAY, time(12), tzinfo=PLUS1)


@pytest.fixture(scope="module")
def one_year() -> Iterator[Database]:
    db = fresh_db()
    demo.fill(db, 365, seed=7, today=TODAY)
    yield db
    db.close()


def _totals(db: Database, qid: str) -> list[tuple[date, int | None]]:
    svc = CheckupService(db, clock=_clock)
    return [(r.day, r.score.total) for r in svc.results(qid)]


def test_every_questionnaire_is_there_and_scores_completely(one_year: Database) -> None:
    svc = CheckupService(one_year, clock=_clock)
    counts = {q: len(svc.results(q)) for q in ("phq9", "gad7", "pcl5", "ace", "who5")}
    assert 20 <= counts["phq9"] <= 27 and counts["gad7"] == counts["phq9"]
    assert (counts["pcl5"], counts["ace"], counts["who5"]) == (2, 1, 0)
    for qid in ("phq9", "gad7", "pcl5", "ace"):
        assert all(r.score.status == "complete" for r in svc.results(qid)), qid
    assert svc.results("ace")[0].score.total == 4
    assert [t for _d, t in _totals(one_year, "pcl5")] == [44, 37]


def test_the_scores_follow_the_medication_story(one_year: Database) -> None:
    """Moderately severe before an adequate trial, a response once venlafaxine has had time
    and its dose went up, and lower again after the augmentation."""
    meds = {m.name: m for m in MedicationService(one_year, clock=_clock).medications()}
    venlafaxine = meds["Venlafaxine XR"].started_on
    aripiprazole = meds["Aripiprazole"].started_on
    phq = _totals(one_year, "phq9")
    before = [t for d, t in phq if d < venlafaxine and t is not None]
    settled = [t for d, t in phq if venlafaxine + timedelta(days=70) <= d < aripiprazole]
    last = [t for d, t in phq if d >= aripiprazole + timedelta(days=60) and t is not None]
    assert mean(before) >= 17
    assert mean(before) - mean(t for t in settled if t is not None) >= 6
    assert mean(last) < mean(t for t in settled if t is not None)
    trend = CheckupService(one_year, clock=_clock).trend("phq9", end=TODAY)
    assert any(p.response for p in trend.points)
    gad = dict(_totals(one_year, "gad7"))
    assert all(gad[d] is not None and gad[d] <= 21 for d, _t in phq)


def test_one_early_question_9_above_zero_and_none_since(one_year: Database) -> None:
    svc = CheckupService(one_year, clock=_clock)
    flagged = [r for r in svc.results("phq9") if r.stored.answers["9"]]
    assert len(flagged) == 1
    (only,) = flagged
    assert only.stored.answers["9"] == 1 and (TODAY - only.day).days > 200


def test_nothing_is_due_when_the_demo_opens(one_year: Database) -> None:
    """The last pair was taken about six days before the last demo day: no reminder banner
    over every page of a fresh demo."""
    svc = CheckupService(one_year, clock=_clock)
    assert svc.due_now() == []
    last = svc.results("phq9")[-1].day
    assert (TODAY - last).days == 6


def test_the_demo_is_the_same_every_time_for_a_seed() -> None:
    again = fresh_db()
    other = fresh_db()
    try:
        demo.fill(again, 120, seed=3, today=TODAY)
        demo.fill(other, 120, seed=3, today=TODAY)
        assert _totals(again, "phq9") == _totals(other, "phq9")
    finally:
        again.close()
        other.close()


def test_without_the_medication_feature_the_scores_just_drift() -> None:
    db = fresh_db()
    try:
        demo.fill(db, 200, seed=7, today=TODAY, registry=features.build(("mood", "checkups")))
        totals = [t for _d, t in _totals(db, "phq9") if t is not None]
        assert totals and mean(totals) >= 16
    finally:
        db.close()
