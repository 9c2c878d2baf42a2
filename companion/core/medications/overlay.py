"""Medicines and treatments as events other features' charts can draw (the check-up trends).

Each scheduled medicine is a span from its start to its last day (ongoing: open), each dose
change after the first is a dated mark, and each non-drug treatment is a span of its own kind:
the same events the medication timeline draws over the mood chart.
"""

from __future__ import annotations

from datetime import date

from companion.core.extension_points import ChartEvent
from companion.core.medications.service import MedicationService
from companion.core.medications.vocabulary import amount_text
from companion.storage.database import Database


def medication_events(db: Database, start: date, end: date) -> list[ChartEvent]:
    """Every start, dose change and stop that touches ``start``–``end`` (inclusive)."""
    service = MedicationService(db)
    events: list[ChartEvent] = []
    for info in service.medications():
        if info.as_needed and len(info.schedules) == 1:
            continue
        last = info.stopped_on
        if info.started_on > end or (last is not None and last < start):
            continue
        events.append(ChartEvent(info.started_on, info.name, "medication", until=last))
        for entry in info.doses[1:]:
            v = entry.version
            if start <= v.effective_from <= end:
                events.append(ChartEvent(v.effective_from, amount_text(v.amount, v.unit), "dose"))
    for treatment in service.treatments():
        last = treatment.ended_on
        if treatment.started_on > end or (last is not None and last < start):
            continue
        events.append(
            ChartEvent(treatment.started_on, treatment.short_title, "treatment", until=last)
        )
    return sorted(events, key=lambda e: (e.day, e.kind, e.label))
