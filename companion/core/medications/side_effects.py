"""Side effects noticed on a medicine: what, how much it bothers the person, since and until."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from companion.core.errors import ValidationError
from companion.core.medications import validate
from companion.core.medications.mapping import side_effect_info
from companion.core.medications.models import SideEffect
from companion.core.medications.store import MedicationStore
from companion.core.medications.types import SideEffectInfo
from companion.i18n import _


class SideEffects(MedicationStore):
    def add_side_effect(
        self,
        medication_id: str,
        description: str,
        severity: str,
        noted_on: date,
        resolved_on: date | None = None,
    ) -> SideEffectInfo:
        values = validate.side_effect(description, severity, noted_on, resolved_on, self.today())
        with self._db.session() as session:
            self._row(session, medication_id)
            row = SideEffect(medication_id=medication_id, **values)
            session.add(row)
            session.flush()
            return side_effect_info(row)

    def update_side_effect(
        self,
        side_effect_id: str,
        description: str,
        severity: str,
        noted_on: date,
        resolved_on: date | None = None,
    ) -> SideEffectInfo:
        values = validate.side_effect(description, severity, noted_on, resolved_on, self.today())
        return self._update_row(SideEffect, side_effect_id, values, side_effect_info)

    def delete_side_effect(self, side_effect_id: str) -> SideEffectInfo:
        return self._delete_row(SideEffect, side_effect_id, side_effect_info)

    def restore_side_effect(self, snapshot: SideEffectInfo) -> SideEffectInfo:
        with self._db.session() as session:
            self._row(session, snapshot.medication_id)
            if session.get(SideEffect, snapshot.id) is not None:
                raise ValidationError(_("That side-effect note is already in the diary."))
            row = SideEffect(**asdict(snapshot))
            session.add(row)
            session.flush()
            return side_effect_info(row)
