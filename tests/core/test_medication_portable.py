"""Medicines, schedules, doses, the dose log, side effects and treatments survive the JSON
export and import unchanged."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from typing import Any

from companion.core import portable
from companion.core.medications.history import TreatmentHistoryService
from companion.core.medications.types import (
    DoseInput,
    MedicationInput,
    ScheduleInput,
    TreatmentInput,
)
from tests.core.medication_helpers import PLUS2, add_daily, service
from tests.core.mood_helpers import fresh_db

TABLES = (
    "medications",
    "medication_schedules",
    "medication_doses",
    "dose_log",
    "side_effects",
    "treatments",
)


def _comparable(document: dict[str, Any]) -> dict[str, Any]:
    out = dict(document)
    out.pop("exported_at")
    return out


def _fill() -> Any:
    svc, _clock, db = service()
    med = add_daily(svc, times=("08:00", "22:30"))
    svc.change_dose(med.id, DoseInput(100, "mg", note="Step agreed “with” my GP"), date(2026, 6, 8))
    svc.set_schedule(
        med.id,
        ScheduleInput(kind="weekdays", times=("09:00",), weekdays=(0, 2, 4)),
        date(2026, 6, 10),
    )
    svc.mark_taken(
        med.id,
        date(2026, 6, 2),
        "08:00",
        taken_at=datetime(2026, 6, 2, 8, 3, 7, 123456, tzinfo=PLUS2),
        amount=25,
        note="Ünïcödé note",
    )
    svc.mark_taken(
        med.id,
        date(2026, 6, 2),
        "22:30",
        taken_at=datetime(2026, 6, 3, 9, 10, tzinfo=timezone(timedelta(hours=9))),
    )
    svc.mark_skipped(med.id, date(2026, 6, 3), "08:00", advised=True)
    svc.mark_taken(med.id, date(2026, 6, 4), "08:00", time_known=False)
    svc.add_side_effect(
        med.id, "Private side effect text", "severe", date(2026, 6, 3), resolved_on=date(2026, 6, 9)
    )
    svc.set_stock(med.id, 28.5)
    svc.stop(med.id, date(2026, 6, 12), "other", note="Private stop note")
    prn = svc.add(
        MedicationInput(
            name="Melatonin",
            category="other",
            started_on=date(2026, 6, 1),
            purpose="Private purpose",
            reminders=False,
            window_minutes=45,
        ),
        ScheduleInput(kind="as_needed"),
        DoseInput(2, "mg"),
    )
    svc.log_dose(prn.id, taken_at=datetime(2026, 6, 5, 23, 10, tzinfo=PLUS2))
    svc.add_treatment(
        TreatmentInput(
            kind="psychotherapy",
            therapy_type="emdr",
            label="Private label",
            started_on=date(2026, 3, 1),
            ended_on=date(2026, 5, 1),
            end_reason="completed",
            sessions=10,
            note="Private treatment note",
        )
    )
    svc.add_treatment(TreatmentInput(kind="rtms", started_on=date(2026, 5, 10)))
    return svc, db


def test_json_round_trip_of_every_medication_table() -> None:
    svc, db = _fill()
    first = portable.export_document(db, include_notes=True)
    parsed = portable.parse_document(portable.dumps(first).encode("utf-8"))
    other = fresh_db()
    portable.import_document(other, parsed)
    second = portable.export_document(other, include_notes=True)
    assert _comparable(first) == _comparable(second)
    for table in TABLES:
        assert first["tables"][table], table
    # and the services read the imported diary exactly as the original
    from companion.core.medications.service import MedicationService

    copy = MedicationService(other, clock=lambda: svc.now())
    assert copy.medications() == svc.medications()
    assert copy.log_entries() == svc.log_entries()
    assert copy.treatments() == svc.treatments()
    assert copy.records() == svc.records()
    assert (
        TreatmentHistoryService(copy, other).history() == TreatmentHistoryService(svc, db).history()
    )
    # importing the same file again adds nothing and doubles nothing
    summary = portable.import_document(other, parsed)
    assert summary.total_added == 0
    assert len(copy.log_entries()) == len(svc.log_entries())
    db.close()
    other.close()


def test_private_text_stays_out_unless_notes_are_included() -> None:
    _svc, db = _fill()
    text = json.dumps(portable.export_document(db), ensure_ascii=False)
    for private in (
        "Private side effect text",
        "Private stop note",
        "Private purpose",
        "Private label",
        "Private treatment note",
        "Ünïcödé note",
        "GP",
    ):
        assert private not in text, private
    assert "Sertraline" in text  # the medicine itself is part of any export
    full = json.dumps(portable.export_document(db, include_notes=True), ensure_ascii=False)
    assert "Private side effect text" in full and "Ünïcödé note" in full
    db.close()


def test_a_ranged_export_keeps_the_medicines_and_the_doses_in_range_and_imports() -> None:
    _svc, db = _fill()
    ranged = portable.export_document(db, start=date(2026, 6, 3), end=date(2026, 6, 30))
    assert len(ranged["tables"]["medications"]) == 2
    times = [row["occurred_at"] for row in ranged["tables"]["dose_log"]]
    assert times and all(t >= "2026-06-02T22:00" for t in times)
    target = fresh_db()
    portable.import_document(target, ranged)
    target.close()
    db.close()
