"""Every medicine with its versions and whole dose log as plain values, read fast (SQLAlchemy
Core and one compiled query on the raw connection), for the adherence maths
(:mod:`companion.core.medications.adherence`) and the treatment history."""

from __future__ import annotations

import functools
import operator
from collections.abc import Collection, Iterable
from datetime import date, timedelta
from typing import Final

from sqlalchemy import func, literal_column, select
from sqlalchemy.dialects import sqlite

from companion.core.medications import adherence as adh
from companion.core.medications.adherence import (
    AdherenceConfig,
    DoseStatus,
    DoseVersion,
    LogRecord,
    MedicationRecord,
    ScheduleVersion,
)
from companion.core.medications.mapping import table, version_from_row
from companion.core.medications.models import (
    DoseLog,
    Medication,
    MedicationDose,
    MedicationSchedule,
)
from companion.core.medications.preferences import PREFERENCES
from companion.core.medications.store import MedicationStore
from companion.core.medications.types import NotFoundError
from companion.core.models import key_to_db
from companion.core.settings import SettingsService
from companion.i18n import _

#: julianday() of 0000-12-31 00:00, so (julianday − this) × 1440 counts minutes like
#: ``date.toordinal() * 1440`` (the adherence module's local minutes)
_JULIAN_ORDINAL_ZERO: Final = 1721424.5


@functools.cache
def _log_sql() -> str:
    """The whole dose log for :meth:`Records.records`, compiled once."""
    log_t = table(DoseLog)
    julian_occurred = func.julianday(log_t.c.occurred_at)
    query = select(
        log_t.c.medication_id,
        log_t.c.status,
        # minutes since 0001-01-01 on the person's clock (adherence.LogRecord.local_minute)
        (julian_occurred - literal_column(repr(_JULIAN_ORDINAL_ZERO))) * literal_column("1440")
        + log_t.c.utc_offset_minutes,
        log_t.c.time_recorded,
        # written more than a day after the dose (adherence.LATE_LOG)
        func.julianday(log_t.c.logged_at) - julian_occurred
        > literal_column(repr(adh.LATE_LOG / timedelta(days=1))),
        log_t.c.slot_date,
        log_t.c.slot_time,
        log_t.c.amount,
    )
    return str(query.compile(dialect=sqlite.dialect()))


class Records(MedicationStore):
    """The plain-value read the adherence figures and the treatment history are built from."""

    def records(self, medication_ids: Collection[str] | None = None) -> list[MedicationRecord]:
        """Every medicine with its versions and whole log as plain values (fast, Core only)."""
        med_t = table(Medication)
        sched_t = table(MedicationSchedule)
        dose_t = table(MedicationDose)
        wanted = None if medication_ids is None else list(medication_ids)
        with self._db.connect() as conn:
            med_q = select(
                med_t.c.id,
                med_t.c.name,
                med_t.c.category,
                med_t.c.started_on,
                med_t.c.stopped_on,
                med_t.c.window_minutes,
                med_t.c.stop_reason,
            ).order_by(med_t.c.started_on, med_t.c.id)
            sched_q = select(
                sched_t.c.medication_id,
                sched_t.c.effective_from,
                sched_t.c.kind,
                sched_t.c.times,
                sched_t.c.weekdays,
                sched_t.c.interval_days,
            ).order_by(sched_t.c.effective_from)
            dose_q = select(
                dose_t.c.medication_id, dose_t.c.effective_from, dose_t.c.amount, dose_t.c.unit
            ).order_by(dose_t.c.effective_from)
            if wanted is not None:
                med_q = med_q.where(med_t.c.id.in_(wanted))
                sched_q = sched_q.where(sched_t.c.medication_id.in_(wanted))
                dose_q = dose_q.where(dose_t.c.medication_id.in_(wanted))
            meds = conn.execute(med_q).all()
            schedules: dict[str, list[ScheduleVersion]] = {}
            for mid, eff, kind, times, mask, interval in conn.execute(sched_q).all():
                schedules.setdefault(mid, []).append(
                    version_from_row(eff, kind, times, mask, interval)
                )
            doses: dict[str, list[DoseVersion]] = {}
            for mid, eff, amount, unit in conn.execute(dose_q).all():
                doses.setdefault(mid, []).append(DoseVersion(eff, amount, unit))
            # the raw connection is used while this Core connection holds the database lock
            logs = self._log_records(row[0] for row in meds)
        return [
            MedicationRecord(
                id=mid,
                name=name,
                category=category,
                started_on=started,
                stopped_on=stopped,
                schedules=tuple(schedules.get(mid, ())),
                doses=tuple(doses.get(mid, ())),
                log=tuple(logs.get(mid, ())),
                window_minutes=window,
                stop_reason=reason,
            )
            for mid, name, category, started, stopped, window, reason in meds
        ]

    def _log_records(self, medication_ids: Iterable[str]) -> dict[str, list[LogRecord]]:
        """The dose log as :class:`LogRecord` tuples, per medicine, in time order, in as little
        Python as possible: one compiled query on the raw connection (call it while holding
        the database through ``Database.connect``). SQLite works out each entry's local minute
        and whether it was written late; the sort by local minute is done here (a C sort of
        floats: ordering in SQL by text keys costs more than the whole load)."""
        wanted = list(medication_ids)
        logs: dict[str, list[LogRecord]] = {mid: [] for mid in wanted}
        # the raw rows carry the keys as stored (``Key``: 16 bytes): look them up that way
        stored = {key_to_db(mid): bucket for mid, bucket in logs.items()}
        raw = self._db.raw_connection
        statuses = {s.value: s for s in DoseStatus}
        parse_day = date.fromisoformat
        new = tuple.__new__  # LogRecord(...) without NamedTuple's Python-level __new__
        kind = LogRecord
        rows = raw.execute(_log_sql()).fetchall()
        for mid, status, minute, recorded, late, slot_day, slot_time, amount in rows:
            bucket = stored.get(mid)
            if bucket is not None:
                bucket.append(
                    new(
                        kind,
                        (
                            statuses[status],
                            minute,
                            recorded == 1,
                            late == 1,
                            parse_day(slot_day) if slot_day else None,
                            slot_time,
                            amount,
                            "",
                        ),
                    )
                )
        by_minute = operator.itemgetter(1)
        for bucket in logs.values():
            bucket.sort(key=by_minute)
        return logs

    def adherence(
        self, medication_id: str, start: date, end: date, *, config: AdherenceConfig | None = None
    ) -> adh.Adherence:
        records = self.records([medication_id])
        if not records:
            raise NotFoundError(_("That medicine is no longer in the diary."))
        config = config or SettingsService(self._db).get(PREFERENCES).adherence_config()
        return adh.adherence(records[0], start, end, self.now(), config)
