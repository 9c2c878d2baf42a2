"""Summary sections made from plain records, one module per feature.

Each function takes the records a feature hands over (``companion.core.reports.records``)
and the period, and returns a :class:`~companion.core.reports.model.Section`. They are pure,
so the rules of what a clinician sees are tested without a diary; each feature's export
section (its ``report.py``) reads its tables into records and calls its function here.
"""

from __future__ import annotations

#: where each section sits, page one first (the order of DESIGN §1's "two minutes")
ORDER = {
    "mood": 10,
    "checkups": 20,
    "medicines": 30,
    "homework": 40,
    "exercises": 50,
    "history": 60,
    "ace": 70,
    "safety-plan": 80,
    "notes": 90,
}
