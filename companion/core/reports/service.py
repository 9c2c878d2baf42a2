"""The Reports feature's own data: what was shared, and the key behind the FHIR pseudonym.

:class:`ReportsService` records every export (from the Reports page and ``companion export``)
and lists them for the page, and keeps a random per-diary key from which the FHIR bundle's
pseudonymous Patient id is derived: the same in every export from one diary (a clinician's
system can file them together), meaningless without the diary, and never the person's name.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

from sqlalchemy import delete, select

from companion.core import settings
from companion.core.errors import ValidationError
from companion.core.reports.model import Period
from companion.core.reports.models import FORMATS, SharedExport
from companion.core.settings import Option
from companion.core.timekeeping import local_now, local_time, offset_minutes
from companion.i18n import N_, _
from companion.storage.database import Database

__all__ = ["PSEUDONYM_KEY", "ReportsService", "Shared"]

_KEY_RE = re.compile(r"^[0-9a-f]{32}$")
SHARED_WITH_CHARS: Final = 80


def _key(value: Any) -> str:
    if not isinstance(value, str) or (value and not _KEY_RE.match(value)):
        raise ValidationError(_("The export key must be 32 hexadecimal digits."))
    return value


#: the random key the FHIR Patient's id is derived from ("" until the first FHIR export)
PSEUDONYM_KEY: Final[Option[str]] = Option(
    "reports.pseudonym_key", "", N_("Key for the pseudonym in FHIR exports"), _key
)


@dataclass(frozen=True)
class Shared:
    """One export the person made, as the Reports page lists it."""

    id: str
    made_at: datetime  # on the person's clock then
    format: str
    period: Period | None  # None: the whole diary (JSON)
    sections: tuple[str, ...]
    includes_notes: bool
    protected: bool
    file_name: str | None
    shared_with: str | None
    via: str


def _shared(row: SharedExport) -> Shared:
    period = (
        Period(row.period_start, row.period_end)
        if row.period_start is not None and row.period_end is not None
        else None
    )
    return Shared(
        id=row.id,
        made_at=local_time(row.made_at, row.utc_offset_minutes),
        format=row.format,
        period=period,
        sections=tuple(str(s) for s in row.sections or ()),
        includes_notes=row.includes_notes,
        protected=row.protected,
        file_name=row.file_name,
        shared_with=row.shared_with,
        via=row.via,
    )


def clean_shared_with(value: object) -> str | None:
    """Who an export is for, as the person typed it (optional, at most 80 characters)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError(_("Who it is for must be text."))
    text = " ".join(value.split())
    if len(text) > SHARED_WITH_CHARS:
        raise ValidationError(
            _("Who it is for can be at most {count} characters.").format(count=SHARED_WITH_CHARS)
        )
    return text or None


class ReportsService:
    def __init__(self, db: Database, *, clock: Callable[[], datetime] = local_now) -> None:
        self._db = db
        self._clock = clock

    # -- the pseudonym key -------------------------------------------------------------------

    def pseudonym_key(self, *, create: bool = True) -> str | None:
        """The diary's key, made on first use (None: there is none and ``create`` is off)."""
        with self._db.sessions() as session:
            key = settings.read(session, PSEUDONYM_KEY)
        if key or not create:
            return key or None
        with self._db.session() as session:
            key = settings.read(session, PSEUDONYM_KEY)
            if not key:
                key = settings.write(session, PSEUDONYM_KEY, secrets.token_hex(16))
        return key

    # -- what was shared ---------------------------------------------------------------------

    def record(
        self,
        *,
        format: str,
        period: Period | None,
        sections: Sequence[str],
        includes_notes: bool,
        protected: bool = False,
        file_name: str | None = None,
        shared_with: str | None = None,
        via: str = "app",
    ) -> Shared:
        """Add an export to the list (after its file was written)."""
        if format not in FORMATS:
            raise ValueError(f"unknown export format {format!r}")
        now = self._clock()
        with self._db.session() as session:
            row = SharedExport(
                made_at=now,
                utc_offset_minutes=offset_minutes(now),
                format=format,
                period_start=period.start if period else None,
                period_end=period.end if period else None,
                sections=list(sections),
                includes_notes=includes_notes,
                protected=protected,
                file_name=(file_name or None) and file_name[:255],
                shared_with=clean_shared_with(shared_with),
                via=via,
            )
            session.add(row)
            session.flush()
            return _shared(row)

    def shared(self) -> list[Shared]:
        """Every export, newest first."""
        with self._db.sessions() as session:
            rows = session.scalars(
                select(SharedExport).order_by(SharedExport.made_at.desc(), SharedExport.id)
            )
            return [_shared(r) for r in rows]

    def forget(self, shared_id: str) -> Shared:
        """Remove one export from the list (the file itself is wherever it was sent)."""
        with self._db.session() as session:
            row = session.get(SharedExport, shared_id)
            if row is None:
                raise ValidationError(_("That export is not in the list any more."))
            found = _shared(row)
            session.execute(delete(SharedExport).where(SharedExport.id == shared_id))
        return found

    def restore(self, shared: Shared) -> None:
        """Undo :meth:`forget`."""
        with self._db.session() as session:
            if session.get(SharedExport, shared.id) is not None:
                return
            session.add(
                SharedExport(
                    id=shared.id,
                    made_at=shared.made_at,
                    utc_offset_minutes=offset_minutes(shared.made_at),
                    format=shared.format,
                    period_start=shared.period.start if shared.period else None,
                    period_end=shared.period.end if shared.period else None,
                    sections=list(shared.sections),
                    includes_notes=shared.includes_notes,
                    protected=shared.protected,
                    file_name=shared.file_name,
                    shared_with=shared.shared_with,
                    via=shared.via,
                )
            )

    # -- periods -----------------------------------------------------------------------------

    def first_day(self) -> date | None:
        """The first day anything dated was recorded (the "whole diary" period starts there)."""
        from companion.core.reports.reading import first_day

        return first_day(self._db)
