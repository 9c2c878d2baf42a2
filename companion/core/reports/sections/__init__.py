"""Summary sections made from plain records, one module per feature.

Each function takes the records a feature hands over (``companion.core.reports.records``)
and the period, and returns a :class:`~companion.core.reports.model.Section`. They are pure,
so the rules of what a clinician sees are tested without a diary; after the architecture work
(issue 10) each feature's export section calls its function here from its ``build``.
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
    "safety-plan": 80,
    "notes": 90,
}
