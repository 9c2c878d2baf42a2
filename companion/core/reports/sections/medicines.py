"""The medicines section: adherence per medicine for page one, dose history and side effects
after, and the medicine changes every timeline chart marks.

Adherence figures arrive computed by the medications feature (clinical-reference §3.4) and
are labelled self-reported everywhere. A side effect's description is the person's own words
(``private``); its medicine, severity and dates are not.
"""

from __future__ import annotations

from collections.abc import Sequence

from companion.core.reports.model import Column, Marker, Period, Section, Table
from companion.core.reports.records import DoseChange, MedicineRecord
from companion.core.reports.sections import ORDER
from companion.core.reports.wording import how_often
from companion.i18n import _, format_date

__all__ = ["amount_text", "dose_text", "medicines_section"]


def amount_text(value: float) -> str:
    """37.5 → "37.5", 75.0 → "75"."""
    return f"{value:.3f}".rstrip("0").rstrip(".") or "0"


def _amount(value: float, unit: str) -> str:
    return _("{amount} {unit}").format(amount=amount_text(value), unit=unit)


def dose_text(change: DoseChange) -> str:
    """ "100 mg a day", "150 mg a day (75 mg twice a day)", "5 mg a dose"."""
    one = _amount(change.amount, change.unit)
    n = change.doses_per_day
    if n is None:
        return _("{dose} a dose").format(dose=one)
    if n == 1:
        return _("{dose} a day").format(dose=one)
    return _("{total} a day ({dose} {how_often})").format(
        total=_amount(change.amount * n, change.unit), dose=one, how_often=how_often(n, "day")
    )


def _in_period(med: MedicineRecord, period: Period) -> bool:
    return med.started_on <= period.end and (
        med.stopped_on is None or med.stopped_on >= period.start
    )


def _events(med: MedicineRecord, period: Period) -> list[tuple[Marker, str]]:
    """Markers for the charts, and the same change in words for the table."""
    out: list[tuple[Marker, str]] = []
    if med.started_on in period:
        first = med.dose_on(med.started_on)
        label = (
            _("{name} started ({dose})").format(
                name=med.name, dose=_amount(first.amount, first.unit)
            )
            if first
            else _("{name} started").format(name=med.name)
        )
        out.append(
            (
                Marker(med.started_on, label, "start"),
                _("started {day}").format(day=format_date(med.started_on, "short")),
            )
        )
    for before, after in zip(med.doses, med.doses[1:], strict=False):
        day = after.effective_from
        if (
            day in period
            and med.taken_on(day)
            and (before.amount, before.unit) != (after.amount, after.unit)
        ):
            step = _("{before} → {after} {unit}").format(
                before=amount_text(before.amount), after=amount_text(after.amount), unit=after.unit
            )
            out.append(
                (
                    Marker(day, _("{name} {step}").format(name=med.name, step=step), "change"),
                    _("{step} on {day}").format(step=step, day=format_date(day, "short")),
                )
            )
    if med.stopped_on is not None and med.stopped_on in period:
        when = format_date(med.stopped_on, "short")
        words = (
            _("stopped {day} ({reason})").format(day=when, reason=med.stop_reason.lower())
            if med.stop_reason
            else _("stopped {day}").format(day=when)
        )
        out.append(
            (Marker(med.stopped_on, _("{name} stopped").format(name=med.name), "stop"), words)
        )
    return out


def _adherence_table(meds: list[MedicineRecord], period: Period) -> Table:
    rows = []
    for med in meds:
        last_day = min(period.end, med.stopped_on or period.end)
        dose = med.dose_on(last_day)
        figures = med.adherence
        changes = _("; ").join(words for _marker, words in _events(med, period))
        rows.append(
            (
                med.name,
                med.category,
                dose_text(dose) if dose else None,
                figures.taking if figures else None,
                figures.taken if figures else None,
                figures.expected if figures else None,
                figures.on_time_share if figures else None,
                figures.not_logged_share if figures else None,
                changes or _("No change"),
            )
        )
    return Table(
        id="medicines",
        title=_("Medicines and doses taken"),
        columns=(
            Column("medicine", _("Medicine"), "text"),
            Column("category", _("Kind"), "text", shown=False),
            Column(
                "dose", _("Dose"), "text", description=_("at the end of the period or when stopped")
            ),
            Column(
                "taken_share",
                "Taken",
                "percent",
                description=_("doses logged as taken of those due"),
            ),
            Column("taken", _("Doses taken"), "integer", shown=False),
            Column("expected", _("Doses due"), "integer", shown=False),
            Column(
                "on_time_share",
                _("On time"),
                "percent",
                description=_("of doses taken with a time"),
            ),
            Column("not_logged_share", _("Not logged"), "percent", description=_("of doses due")),
            Column("changes", _("Changes in the period"), "text"),
        ),
        rows=tuple(rows),
        caption=_(
            "Self-reported. Taken: doses logged as taken of those due (doses skipped on a "
            "prescriber's advice are not due). A dash: nothing was due."
        ),
        empty_text=_("No medicine was logged in this period."),
    )


def _dose_history(meds: list[MedicineRecord]) -> Table:
    rows = []
    for med in meds:
        for change in med.doses:
            if med.stopped_on is not None and change.effective_from > med.stopped_on:
                continue
            rows.append(
                (
                    med.name,
                    change.effective_from,
                    dose_text(change),
                    change.schedule,
                    change.amount,
                    change.unit,
                )
            )
    return Table(
        id="dose_history",
        title=_("Dose history"),
        columns=(
            Column("medicine", _("Medicine"), "text"),
            Column("from", _("From"), "date"),
            Column("dose", _("Dose"), "text"),
            Column("schedule", _("When"), "text"),
            Column("amount", _("Amount"), "number", shown=False, description=_("per dose")),
            Column("unit", _("Unit"), "text", shown=False),
        ),
        rows=tuple(rows),
    )


def _courses(meds: list[MedicineRecord]) -> Table:
    return Table(
        id="medicine_courses",
        title=_("Courses"),
        columns=(
            Column("medicine", _("Medicine"), "text"),
            Column("category", _("Kind"), "text"),
            Column("started_on", _("Started"), "date"),
            Column("stopped_on", _("Stopped"), "date", description=_("blank while still taken")),
            Column("stop_reason", _("Why stopped"), "text"),
        ),
        rows=tuple((m.name, m.category, m.started_on, m.stopped_on, m.stop_reason) for m in meds),
    )


def _side_effects(meds: list[MedicineRecord], period: Period) -> Table:
    rows = []
    for med in meds:
        for effect in sorted(med.side_effects, key=lambda e: e.noted_on):
            if effect.noted_on > period.end or (
                effect.resolved_on is not None and effect.resolved_on < period.start
            ):
                continue
            rows.append(
                (med.name, effect.noted_on, effect.severity, effect.resolved_on, effect.description)
            )
    return Table(
        id="side_effects",
        title=_("Side effects noted"),
        columns=(
            Column("medicine", _("Medicine"), "text"),
            Column("noted_on", _("Noted"), "date"),
            Column("severity", _("How much it bothered"), "text"),
            Column("resolved_on", _("Gone by"), "date"),
            Column("description", _("In the person's words"), "text", private=True),
        ),
        rows=tuple(rows),
        empty_text=_("No side effect was noted in this period."),
    )


def medicines_section(medicines: Sequence[MedicineRecord], period: Period) -> Section:
    meds = sorted(
        (m for m in medicines if _in_period(m, period)), key=lambda m: (m.started_on, m.name)
    )
    markers = tuple(marker for med in meds for marker, _words in _events(med, period))
    return Section(
        id="medicines",
        title=_("Medicines"),
        order=ORDER["medicines"],
        glance=(_adherence_table(meds, period),),
        detail=(_courses(meds), _dose_history(meds), _side_effects(meds, period)),
        markers=markers,
        about=_("Medicines taken in the period: doses, adherence (self-reported), side effects."),
    )
