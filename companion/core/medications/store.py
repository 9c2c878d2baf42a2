"""What every part of the medication service shares: the diary, the clock, and finding a row
(or saying, in one sentence, that it is gone)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from companion.core.medications.mapping import medication_infos
from companion.core.medications.models import Medication, SideEffect, Treatment
from companion.core.medications.types import MedicationInfo, NotFoundError
from companion.core.timekeeping import aware, local_now
from companion.i18n import _
from companion.storage.database import Database

RowT = TypeVar("RowT", SideEffect, Treatment)
InfoT = TypeVar("InfoT")


def _missing(model: type[Any]) -> str:
    if model is SideEffect:
        return _("That side-effect note is no longer in the diary.")
    return _("That treatment is no longer in the diary.")


class MedicationStore:
    """The diary and the clock of one medication service.

    ``clock`` returns the current time as an aware datetime in the person's local zone (a
    naive one is read in this computer's zone); tests pass a fixed one.
    """

    def __init__(self, db: Database, *, clock: Callable[[], datetime] = local_now) -> None:
        self._db = db
        self._clock = clock

    def now(self) -> datetime:
        return aware(self._clock())

    def today(self) -> date:
        return self.now().date()

    def _row(self, session: Session, medication_id: str) -> Medication:
        row = session.get(Medication, medication_id)
        if row is None:
            raise NotFoundError(_("That medicine is no longer in the diary."))
        return row

    def _info(self, session: Session, medication_id: str) -> MedicationInfo:
        return medication_infos(session, [self._row(session, medication_id)])[0]

    def _get_or_missing(self, session: Session, model: type[RowT], row_id: str) -> RowT:
        row = session.get(model, row_id)
        if row is None:
            raise NotFoundError(_missing(model))
        return row

    def _update_row(
        self,
        model: type[RowT],
        row_id: str,
        values: dict[str, Any],
        to_info: Callable[[RowT], InfoT],
    ) -> InfoT:
        """Set validated values on one row and return its snapshot."""
        with self._db.session() as session:
            row = self._get_or_missing(session, model, row_id)
            for key, value in values.items():
                setattr(row, key, value)
            session.flush()
            return to_info(row)

    def _delete_row(
        self, model: type[RowT], row_id: str, to_info: Callable[[RowT], InfoT]
    ) -> InfoT:
        """A real delete; the snapshot lets the UI undo it."""
        with self._db.session() as session:
            row = self._get_or_missing(session, model, row_id)
            snapshot = to_info(row)
            session.delete(row)
        return snapshot
