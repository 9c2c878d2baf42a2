"""Rows to the service's dataclasses: one field copy for every table, overrides where a stored
value needs converting, and a loud failure when a field has no column."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

import pytest

from companion.core.medications.mapping import dto_from_row
from companion.core.medications.models import DoseLog, Medication, SideEffect, Treatment
from companion.core.medications.types import (
    LogEntry,
    MedicationInfo,
    SideEffectInfo,
    TreatmentInfo,
)
from tests.core.medication_helpers import NOW, add_daily, service


@pytest.mark.parametrize(
    ("dto", "model", "converted"),
    [
        (SideEffectInfo, SideEffect, set()),
        (TreatmentInfo, Treatment, set()),
        (LogEntry, DoseLog, set()),
        # built from the version tables, not columns of the medicine's own row
        (MedicationInfo, Medication, {"schedules", "doses", "side_effects"}),
    ],
)
def test_every_field_has_a_column_of_the_same_name(
    dto: type, model: type, converted: set[str]
) -> None:
    columns = set(model.__table__.columns.keys())  # type: ignore[attr-defined]
    fields = {f.name for f in dataclasses.fields(dto)}
    assert fields - converted <= columns


@dataclass(frozen=True)
class _Small:
    id: str
    note: str | None


class _Row:
    id = "a"
    note = "kept"
    extra = "ignored"


def test_fields_are_copied_and_overrides_win() -> None:
    assert dto_from_row(_Small, _Row()) == _Small("a", "kept")
    assert dto_from_row(_Small, _Row(), note=None) == _Small("a", None)


def test_a_field_the_row_lacks_is_an_error_not_a_silent_default() -> None:
    class Partial:
        id = "a"

    with pytest.raises(AttributeError):
        dto_from_row(_Small, Partial())


def test_read_back_values_keep_their_types() -> None:
    svc, _clock, _db = service()
    med = add_daily(svc)
    entry = svc.mark_taken(med.id, NOW.date(), "08:00", time_known=False)
    (read,) = svc.log_entries(med.id)
    assert read == entry and read.occurred_at.tzinfo is not None
    effect = svc.add_side_effect(med.id, "Dry mouth", "mild", date(2026, 6, 2))
    assert svc.get(med.id).side_effects == (effect,)
