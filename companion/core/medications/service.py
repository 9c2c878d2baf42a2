"""The medication log as one service: medicines, dated schedules and doses, the dose log, side
effects, stock, non-drug treatments and reminder preferences (what the UI calls).

:class:`MedicationService` is the facade; each part lives in its own module:

- :mod:`~companion.core.medications.catalog`: medicines, schedule and dose versions, stopping,
  stock, delete and undo;
- :mod:`~companion.core.medications.dose_log`: each day's doses, taken or skipped, as-needed and
  extra doses, corrections;
- :mod:`~companion.core.medications.records`: the fast plain-value read for adherence;
- :mod:`~companion.core.medications.side_effects`, :mod:`~companion.core.medications.treatments`,
  :mod:`~companion.core.medications.preferences`;
- under them: :mod:`~companion.core.medications.vocabulary` (lists, labels, limits, wording),
  :mod:`~companion.core.medications.types` (what goes in and out),
  :mod:`~companion.core.medications.validate` (the rules) and
  :mod:`~companion.core.medications.mapping` (rows to dataclasses).

Conventions
-----------
- It validates input and raises :class:`~companion.core.errors.ValidationError` with one sentence
  meant for the person; bad input never reaches the database. It returns frozen dataclasses,
  never ORM objects.
- **Versions, not edits** (schedule and dose changes are dated), **a course** runs from
  ``started_on`` to ``stopped_on``, the *last day it was taken* (inclusive); stopping needs a
  reason; taking a medicine again later is a new course (a new medicine row).
- **Times** are stored in UTC with the UTC offset of the person's clock at that moment; the
  service's clock returns an aware local time (tests pass a fixed one).
- **Deletes are real** and return a snapshot the UI can restore (undo).

Safety copy rules (clinical-reference §3.4): never tell the person to double up, skip or stop;
changes are agreed with the prescriber. This package only records what the person tells it.
"""

from __future__ import annotations

from companion.core.medications.catalog import Catalog
from companion.core.medications.dose_log import Logbook
from companion.core.medications.preferences import Preferences
from companion.core.medications.records import Records
from companion.core.medications.side_effects import SideEffects
from companion.core.medications.treatments import Treatments


class MedicationService(Catalog, Logbook, Records, SideEffects, Treatments, Preferences):
    """Medicines, the dose log, treatments and preferences over one unlocked diary:
    ``MedicationService(db, clock=...)`` (see :class:`~.store.MedicationStore`)."""


__all__ = ["MedicationService"]
