"""Custom trackers: the person's own questions for each check-in.

A tracker is a 0–10 scale, a yes/no question (stored as 1.0 / 0.0), or a number with a unit
between the tracker's bounds. Its kind never changes; its name, unit and bounds can (bounds
only while every recorded value still fits). Deleting a tracker deletes its values (the
check-ins stay); :meth:`TrackerService.restore_tracker` undoes that.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from companion.core import validation
from companion.core.errors import ValidationError
from companion.core.mood.models import Tracker, TrackerValue
from companion.core.mood.store import MoodStore, NamedList, name_taken
from companion.core.mood.vocabulary import (
    MAX_NAME_CHARS,
    MAX_TRACKER_MAGNITUDE,
    MAX_UNIT_CHARS,
    TrackerKind,
)
from companion.i18n import N_, _, ngettext


@dataclass(frozen=True)
class TrackerInfo:
    id: str
    name: str
    kind: TrackerKind
    unit: str | None
    minimum: float | None
    maximum: float | None
    archived: bool
    position: int

    def format_value(self, value: float) -> str:
        """A value as the person would say it: "yes", "7", "2.5 cups"."""
        if self.kind is TrackerKind.YES_NO:
            return _("yes") if value >= 0.5 else _("no")
        text = f"{value:g}"
        if self.kind is TrackerKind.NUMBER and self.unit:
            return _("{amount} {unit}").format(amount=text, unit=self.unit)
        return text


@dataclass(frozen=True)
class TrackerSnapshot:
    """A deleted tracker and every value it held (for undo)."""

    tracker: TrackerInfo
    created_at: datetime
    updated_at: datetime
    values: tuple[tuple[str, float], ...]  # (entry id, value)


TRACKERS: Final = NamedList(
    Tracker,
    TrackerValue,
    TrackerValue.tracker_id,
    missing=N_("That tracker is no longer in the diary."),
    present=N_("That tracker is already in the diary."),
)


class TrackerService(MoodStore):
    """Add, change, archive, delete and restore custom trackers."""

    def trackers(self, *, include_archived: bool = True) -> list[TrackerInfo]:
        with self._db.sessions() as session:
            query = select(Tracker).order_by(Tracker.position, Tracker.name)
            if not include_archived:
                query = query.where(Tracker.archived.is_(False))
            return [tracker_info(t) for t in session.scalars(query)]

    def add_tracker(
        self,
        name: str,
        kind: TrackerKind,
        *,
        unit: str | None = None,
        minimum: float | None = None,
        maximum: float | None = None,
    ) -> TrackerInfo:
        """A custom tracker: a 0–10 scale, yes/no, or a number with a unit and bounds."""
        clean, tracker_kind, clean_unit, low, high = tracker_fields(
            name, kind, unit, minimum, maximum
        )
        with self._db.session() as session:
            _check_name_free(session, clean, except_id=None)
            tracker = Tracker(
                name=clean,
                kind=tracker_kind.value,
                unit=clean_unit,
                min_value=low,
                max_value=high,
                position=TRACKERS.next_position(session),
            )
            session.add(tracker)
            session.flush()
            return tracker_info(tracker)

    def update_tracker(
        self,
        tracker_id: str,
        *,
        name: str,
        unit: str | None = None,
        minimum: float | None = None,
        maximum: float | None = None,
    ) -> TrackerInfo:
        """Rename a tracker or change its unit and bounds (its kind cannot change)."""
        with self._db.session() as session:
            tracker = TRACKERS.row(session, tracker_id)
            kind = TrackerKind(tracker.kind)
            clean, _kind, clean_unit, low, high = tracker_fields(name, kind, unit, minimum, maximum)
            _check_name_free(session, clean, except_id=tracker.id)
            if kind is TrackerKind.NUMBER and low is not None and high is not None:
                outside = int(
                    session.scalar(
                        select(func.count()).where(
                            TrackerValue.tracker_id == tracker_id,
                            (TrackerValue.value < low) | (TrackerValue.value > high),
                        )
                    )
                    or 0
                )
                if outside:
                    raise ValidationError(
                        ngettext(
                            "{count} recorded value of “{name}” would fall outside {low} to "
                            "{high}; widen the range or edit them first.",
                            "{count} recorded values of “{name}” would fall outside {low} to "
                            "{high}; widen the range or edit them first.",
                            outside,
                        ).format(count=outside, name=clean, low=f"{low:g}", high=f"{high:g}")
                    )
            tracker.name = clean
            tracker.unit = clean_unit
            tracker.min_value = low
            tracker.max_value = high
            session.flush()
            return tracker_info(tracker)

    def set_tracker_archived(self, tracker_id: str, archived: bool) -> TrackerInfo:
        """Hide a tracker from new check-ins (its history stays) or bring it back."""
        with self._db.session() as session:
            return tracker_info(TRACKERS.set_archived(session, tracker_id, archived))

    def tracker_usage(self, tracker_id: str) -> int:
        with self._db.sessions() as session:
            return TRACKERS.usage(session, tracker_id)

    def tracker_usages(self) -> dict[str, int]:
        """How many values each tracker has (a tracker with none is left out): one query."""
        with self._db.sessions() as session:
            return TRACKERS.usages(session)

    def delete_tracker(self, tracker_id: str) -> TrackerSnapshot:
        """Delete a tracker and every value recorded for it (the check-ins stay)."""
        with self._db.session() as session:
            tracker = TRACKERS.row(session, tracker_id)
            rows = session.execute(
                select(TrackerValue.entry_id, TrackerValue.value)
                .where(TrackerValue.tracker_id == tracker_id)
                .order_by(TrackerValue.entry_id)
            ).all()
            snapshot = TrackerSnapshot(
                tracker_info(tracker),
                tracker.created_at,
                tracker.updated_at,
                tuple((r[0], float(r[1])) for r in rows),
            )
            session.execute(delete(Tracker).where(Tracker.id == tracker_id))
        return snapshot

    def restore_tracker(self, snapshot: TrackerSnapshot) -> TrackerInfo:
        """Undo :meth:`delete_tracker`: the tracker, with its values on the check-ins that
        still exist."""
        info = snapshot.tracker
        with self._db.session() as session:
            TRACKERS.check_absent(session, info.id)
            _check_name_free(session, info.name, except_id=None)
            session.add(
                Tracker(
                    id=info.id,
                    name=info.name,
                    kind=info.kind.value,
                    unit=info.unit,
                    min_value=info.minimum,
                    max_value=info.maximum,
                    archived=info.archived,
                    position=info.position,
                    created_at=snapshot.created_at,
                    updated_at=snapshot.updated_at,
                )
            )
            session.flush()
            TRACKERS.relink(
                session,
                ({"entry_id": e, "tracker_id": info.id, "value": v} for e, v in snapshot.values),
            )
            return info


def tracker_info(tracker: Tracker) -> TrackerInfo:
    return TrackerInfo(
        tracker.id,
        tracker.name,
        TrackerKind(tracker.kind),
        tracker.unit,
        tracker.min_value,
        tracker.max_value,
        bool(tracker.archived),
        tracker.position,
    )


def _check_name_free(session: Session, name: str, *, except_id: str | None) -> None:
    query = select(Tracker.id, Tracker.name)
    names = [(row_id, row_name) for row_id, row_name in session.execute(query)]
    other = name_taken(names, name, except_id=except_id)
    if other is not None:
        raise ValidationError(_("There is already a tracker called “{name}”.").format(name=other))


def tracker_fields(
    name: object,
    kind: object,
    unit: object,
    minimum: object,
    maximum: object,
) -> tuple[str, TrackerKind, str | None, float | None, float | None]:
    """A tracker's definition, checked: (name, kind, unit, lowest, highest)."""
    clean = validation.name(_("tracker"), name, MAX_NAME_CHARS)
    try:
        tracker_kind = TrackerKind(str(kind))
    except ValueError:
        raise ValidationError(
            _("A tracker is a 0–10 scale, a yes/no question, or a number.")
        ) from None
    if tracker_kind is not TrackerKind.NUMBER:
        if unit not in (None, "") or minimum is not None or maximum is not None:
            raise ValidationError(_("Only number trackers have a unit and bounds."))
        return clean, tracker_kind, None, None, None
    clean_unit = validation.text(_("The unit"), unit, MAX_UNIT_CHARS)
    clean_unit = " ".join(clean_unit.split()) if clean_unit else None
    bound = MAX_TRACKER_MAGNITUDE
    low = validation.number(_("The lowest value"), minimum, -bound, bound, "")
    high = validation.number(_("The highest value"), maximum, -bound, bound, "")
    if low is None or high is None:
        raise ValidationError(_("A number tracker needs a lowest and a highest value."))
    if not low < high:
        raise ValidationError(_("The lowest value must be smaller than the highest value."))
    return clean, tracker_kind, clean_unit, low, high


def tracker_value(tracker: TrackerInfo, raw: object) -> float:
    """One check-in's value for ``tracker``, checked against its kind and bounds."""
    name = tracker.name
    if tracker.kind is TrackerKind.YES_NO:
        if isinstance(raw, bool):
            return 1.0 if raw else 0.0
        if isinstance(raw, int | float) and raw in (0, 1):
            return float(raw)
        raise ValidationError(_("“{name}” is a yes/no question.").format(name=name))
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
        raise ValidationError(_("“{name}” needs a number.").format(name=name))
    if tracker.kind is TrackerKind.SCALE:
        if raw != int(raw) or not 0 <= raw <= 10:
            raise ValidationError(
                _("“{name}” must be a whole number from 0 to 10.").format(name=name)
            )
        return float(raw)
    low = tracker.minimum if tracker.minimum is not None else -MAX_TRACKER_MAGNITUDE
    high = tracker.maximum if tracker.maximum is not None else MAX_TRACKER_MAGNITUDE
    if not low <= raw <= high:
        if tracker.unit:
            message = _("“{name}” must be from {low} to {high} {unit}.")
        else:
            message = _("“{name}” must be from {low} to {high}.")
        raise ValidationError(
            message.format(name=name, low=f"{low:g}", high=f"{high:g}", unit=tracker.unit)
        )
    return float(raw)
