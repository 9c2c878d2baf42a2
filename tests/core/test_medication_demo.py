"""Demo medication history: the story of the issue, deterministic, fast, isolated."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from companion.core import demo, portable
from companion.core.medications.adherence import Outcome
from companion.core.medications.demo import medication_history
from companion.core.medications.history import TreatmentHistoryService
from companion.core.medications.service import MedicationService
from companion.storage.database import Database
from tests.core.mood_helpers import fresh_db

TODAY = date(2026, 6, 14)


def _clock() -> datetime:
    return datetime(2026, 6, 14, 23, 59, tzinfo=UTC).astimezone()


@pytest.fixture(scope="module")
def one_year() -> Iterator[Database]:
    db = fresh_db()
    demo.fill(db, 365, seed=7, today=TODAY)
    yield db
    db.close()


def test_the_story_of_the_issue_is_there(one_year: Database) -> None:
    svc = MedicationService(one_year, clock=_clock)
    meds = {m.name: m for m in svc.medications()}
    sertraline = meds["Sertraline"]
    # a first SSRI stopped after five weeks for side effects, with side-effect notes
    assert sertraline.category == "ssri" and sertraline.stop_reason == "side_effects"
    assert sertraline.stopped_on is not None
    assert (sertraline.stopped_on - sertraline.started_on).days + 1 == 35
    assert {e.severity for e in sertraline.side_effects} == {"moderate", "mild"}
    # a titrated SNRI
    venlafaxine = meds["Venlafaxine XR"]
    assert venlafaxine.category == "snri" and venlafaxine.stopped_on is None
    assert [e.version.amount for e in venlafaxine.doses] == [37.5, 75.0, 150.0]
    # an augmentation and an as-needed medicine
    assert meds["Aripiprazole"].category == "antipsychotic_augmentation"
    assert meds["Melatonin"].as_needed
    # a psychotherapy course
    kinds = {(t.kind, t.therapy_type) for t in svc.treatments()}
    assert ("psychotherapy", "cbt") in kinds
    history = TreatmentHistoryService(svc, one_year).history()
    assert {t.name for t in history.trials} == {"Sertraline", "Venlafaxine XR", "Aripiprazole"}


def test_weekend_doses_are_more_often_not_logged(one_year: Database) -> None:
    svc = MedicationService(one_year, clock=_clock)
    overview = TreatmentHistoryService(svc, one_year).overview()
    venlafaxine = next(r for r in overview.records if r.name == "Venlafaxine XR")
    slots = overview.evaluations[venlafaxine.id].slots
    weekday = [s for s in slots if s.day.weekday() < 5]
    weekend = [s for s in slots if s.day.weekday() >= 5]

    def share(group: list) -> float:  # type: ignore[type-arg]
        return sum(s.outcome is not Outcome.TAKEN for s in group) / len(group)

    assert share(weekend) > 2 * share(weekday)
    taken = [s for s in slots if s.outcome is Outcome.TAKEN]
    assert sum(s.on_time is False for s in taken) > 0  # some late weekend doses
    a = overview.adherence(venlafaxine.id, venlafaxine.started_on, TODAY)
    assert a is not None and 0.75 < (a.taking or 0) < 0.97


def test_same_seed_same_history_and_other_features_are_untouched() -> None:
    start = TODAY - timedelta(days=364)
    documents = []
    for _ in range(2):
        db = fresh_db()
        period = demo.DemoPeriod(start, TODAY, random.Random(3))
        state = period.rng.getstate()
        with db.session() as session:
            medication_history(session, period)
        assert period.rng.getstate() == state  # the shared random source is not consumed
        documents.append(
            portable.export_document(db, include_notes=True, now=datetime(2026, 1, 1, tzinfo=UTC))[
                "tables"
            ]
        )
        db.close()
    assert documents[0] == documents[1]
    assert documents[0]["dose_log"]


def test_ten_years_hold_older_courses_and_a_short_period_holds_what_fits() -> None:
    db = fresh_db()
    demo.fill(db, 3650, seed=7, today=TODAY)
    names = {m.name for m in MedicationService(db, clock=_clock).medications()}
    assert {"Citalopram", "Nortriptyline", "Lithium carbonate", "Duloxetine"} <= names
    db.close()
    short = fresh_db()
    demo.fill(short, 30, seed=7, today=TODAY)
    svc = MedicationService(short, clock=_clock)
    assert all(m.started_on >= TODAY - timedelta(days=29) for m in svc.medications())
    short.close()


@pytest.mark.parametrize("days", [7, 30, 120])
def test_every_demo_has_the_medicines_still_taken(days: int) -> None:
    """Courses that began before a short period are cut at its start, with the dose taken then:
    the Medications page and Today are never empty in a demo."""
    db = fresh_db()
    demo.fill(db, days, seed=7, today=TODAY)
    svc = MedicationService(db, clock=_clock)
    meds = {m.name: m for m in svc.medications()}
    first = TODAY - timedelta(days=days - 1)
    assert {"Venlafaxine XR", "Aripiprazole", "Melatonin"} <= set(meds)
    venlafaxine = meds["Venlafaxine XR"]
    assert venlafaxine.started_on == first and venlafaxine.stopped_on is None
    assert [e.version.amount for e in venlafaxine.doses] == [150.0]
    assert all(m.started_on >= first for m in meds.values())
    assert "Sertraline" not in meds  # over long before
    kinds = {t.therapy_type for t in svc.treatments()}
    assert "trauma_focused_cbt" in kinds
    db.close()
