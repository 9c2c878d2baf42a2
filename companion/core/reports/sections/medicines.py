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
from companion.core.reports.wording import day_month

__all__ = ["amount_text", "dose_text", "medicines_section"]


def amount_text(value: float) -> str:
    """37.5 → "37.5", 75.0 → "75"."""
    return f"{value:.3f}".rstrip("0").rstrip(".") or "0"


def dose_text(change: DoseChange) -> str:
    """ "100 mg a day", "150 mg a day (75 mg twice a day)", "5 mg a dose"."""
    one = f"{amount_text(change.amount)} {change.unit}"
    n = change.doses_per_day
    if n is None:
        return f"{one} a dose"
    if n == 1:
        return f"{one} a day"
    times = {2: "twice", 3: "three times", 4: "four times"}.get(n, f"{n} times")
    return f"{amount_text(change.amount * n)} {change.unit} a day ({one} {times} a day)"


def _in_period(med: MedicineRecord, period: Period) -> bool:
    return med.started_on <= period.end and (
        med.stopped_on is None or med.stopped_on >= period.start
    )


def _events(med: MedicineRecord, period: Period) -> list[tuple[Marker, str]]:
    """Markers for the charts, and the same change in words for the table."""
    out: list[tuple[Marker, str]] = []
    if med.started_on in period:
        first = med.dose_on(med.started_on)
        dose = f" ({amount_text(first.amount)} {first.unit})" if first else ""
        out.append(
            (
                Marker(med.started_on, f"{med.name} started{dose}", "start"),
                f"started {day_month(med.started_on)}",
            )
        )
    for before, after in zip(med.doses, med.doses[1:], strict=False):
        day = after.effective_from
        if (
            day in period
            and med.taken_on(day)
            and (before.amount, before.unit) != (after.amount, after.unit)
        ):
            step = f"{amount_text(before.amount)} → {amount_text(after.amount)} {after.unit}"
            label = f"{med.name} {step}"
            out.append(
                (
                    Marker(day, label, "change"),
                    f"{step} on {day_month(day)}",
                )
            )
    if med.stopped_on is not None and med.stopped_on in period:
        why = f" ({med.stop_reason.lower()})" if med.stop_reason else ""
        out.append(
            (
                Marker(med.stopped_on, f"{med.name} stopped", "stop"),
                f"stopped {day_month(med.stopped_on)}{why}",
            )
        )
    return out


def _adherence_table(meds: list[MedicineRecord], period: Period) -> Table:
    rows = []
    for med in meds:
        last_day = min(period.end, med.stopped_on or period.end)
        dose = med.dose_on(last_day)
        figures = med.adherence
        changes = "; ".join(words for _marker, words in _events(med, period))
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
                changes or "No change",
            )
        )
    return Table(
        id="medicines",
        title="Medicines and doses taken",
        columns=(
            Column("medicine", "Medicine", "text"),
            Column("category", "Kind", "text", shown=False),
            Column("dose", "Dose", "text", description="at the end of the period or when stopped"),
            Column(
                "taken_share", "Taken", "percent", description="doses logged as taken of those due"
            ),
            Column("taken", "Doses taken", "integer", shown=False),
            Column("expected", "Doses due", "integer", shown=False),
            Column("on_time_share", "On time", "percent", description="of doses taken with a time"),
            Column("not_logged_share", "Not logged", "percent", description="of doses due"),
            Column("changes", "Changes in the period", "text"),
        ),
        rows=tuple(rows),
        caption="Self-reported. Taken: doses logged as taken of those due (doses skipped on a "
        "prescriber's advice are not due). A dash: nothing was due.",
        empty_text="No medicine was logged in this period.",
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
        title="Dose history",
        columns=(
            Column("medicine", "Medicine", "text"),
            Column("from", "From", "date"),
            Column("dose", "Dose", "text"),
            Column("schedule", "When", "text"),
            Column("amount", "Amount", "number", shown=False, description="per dose"),
            Column("unit", "Unit", "text", shown=False),
        ),
        rows=tuple(rows),
    )


def _courses(meds: list[MedicineRecord]) -> Table:
    return Table(
        id="medicine_courses",
        title="Courses",
        columns=(
            Column("medicine", "Medicine", "text"),
            Column("category", "Kind", "text"),
            Column("started_on", "Started", "date"),
            Column("stopped_on", "Stopped", "date", description="blank while still taken"),
            Column("stop_reason", "Why stopped", "text"),
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
        title="Side effects noted",
        columns=(
            Column("medicine", "Medicine", "text"),
            Column("noted_on", "Noted", "date"),
            Column("severity", "How much it bothered", "text"),
            Column("resolved_on", "Gone by", "date"),
            Column("description", "In the person's words", "text", private=True),
        ),
        rows=tuple(rows),
        empty_text="No side effect was noted in this period.",
    )


def medicines_section(medicines: Sequence[MedicineRecord], period: Period) -> Section:
    meds = sorted(
        (m for m in medicines if _in_period(m, period)), key=lambda m: (m.started_on, m.name)
    )
    markers = tuple(marker for med in meds for marker, _words in _events(med, period))
    return Section(
        id="medicines",
        title="Medicines",
        order=ORDER["medicines"],
        glance=(_adherence_table(meds, period),),
        detail=(_courses(meds), _dose_history(meds), _side_effects(meds, period)),
        markers=markers,
        about="Medicines taken in the period: doses, adherence (self-reported), side effects.",
    )
