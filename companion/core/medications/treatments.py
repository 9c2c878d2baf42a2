"""Non-drug treatment courses: talking therapies, ECT, rTMS, VNS, ketamine and esketamine given
at a clinic, with their dates, sessions and why they ended."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import select

from companion.core.errors import ValidationError
from companion.core.medications import validate
from companion.core.medications.mapping import treatment_info
from companion.core.medications.models import Treatment
from companion.core.medications.store import MedicationStore
from companion.core.medications.types import TreatmentInfo, TreatmentInput
from companion.i18n import _


class Treatments(MedicationStore):
    def treatments(self) -> list[TreatmentInfo]:
        with self._db.sessions() as session:
            rows = session.scalars(
                select(Treatment).order_by(Treatment.started_on.desc(), Treatment.kind)
            )
            return [treatment_info(r) for r in rows]

    def add_treatment(self, treatment: TreatmentInput) -> TreatmentInfo:
        values = validate.treatment(treatment, self.today())
        with self._db.session() as session:
            row = Treatment(**values)
            session.add(row)
            session.flush()
            return treatment_info(row)

    def update_treatment(self, treatment_id: str, treatment: TreatmentInput) -> TreatmentInfo:
        values = validate.treatment(treatment, self.today())
        return self._update_row(Treatment, treatment_id, values, treatment_info)

    def delete_treatment(self, treatment_id: str) -> TreatmentInfo:
        return self._delete_row(Treatment, treatment_id, treatment_info)

    def restore_treatment(self, snapshot: TreatmentInfo) -> TreatmentInfo:
        with self._db.session() as session:
            if session.get(Treatment, snapshot.id) is not None:
                raise ValidationError(_("That treatment is already in the diary."))
            row = Treatment(**asdict(snapshot))
            session.add(row)
            session.flush()
            return treatment_info(row)
