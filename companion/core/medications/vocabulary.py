"""The medication log's words and numbers: the bundled lists as they are stored, the labels a
person reads for them, the limits a value must keep to, and how amounts and schedules are
written.

The lists are what the database stores (and what its CHECK constraints allow); the label
tables are marked with ``N_`` and translated where shown, through :func:`label_for`. Nothing here
touches the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, time, timedelta
from typing import Final

from companion.core.medications.adherence import DoseStatus, Outcome, ScheduleKind, ScheduleVersion
from companion.i18n import N_, _, format_time, ngettext, pgettext, weekday_name

# -- the bundled lists, as stored --------------------------------------------------------------

CATEGORIES: Final = (
    "ssri",
    "snri",
    "atypical",
    "tricyclic",
    "maoi",
    "antipsychotic_augmentation",
    "lithium",
    "thyroid_hormone",
    "esketamine",
    "other",
)
FORMS: Final = ("tablet", "capsule", "liquid", "nasal_spray", "patch", "injection", "other")
UNITS: Final = ("mg", "mcg", "g", "mL", "IU", "units")
STOP_REASONS: Final = ("not_helping", "side_effects", "cost", "other")
SCHEDULE_KINDS: Final = ("daily", "weekdays", "interval", "as_needed")
DOSE_STATUSES: Final = ("taken", "skipped", "skipped_advised")
SEVERITIES: Final = ("mild", "moderate", "severe")
TREATMENT_KINDS: Final = ("psychotherapy", "ect", "rtms", "esketamine", "vns", "ketamine", "other")
THERAPY_TYPES: Final = (
    "cbt",
    "behavioural_activation",
    "ipt",
    "psychodynamic",
    "emdr",
    "trauma_focused_cbt",
    "dbt",
    "act",
    "cbasp",
    "schema",
    "mbct",
    "other",
)
TREATMENT_END_REASONS: Final = ("completed", "not_helping", "side_effects", "cost", "other")

#: Antidepressants proper: the 4–6-week duration fact applies to them (clinical-reference §3.1).
ANTIDEPRESSANTS: Final = frozenset({"ssri", "snri", "atypical", "tricyclic", "maoi"})
AUGMENTATION: Final = frozenset({"antipsychotic_augmentation", "lithium", "thyroid_hormone"})
#: Courses shown as trials in the treatment history.
TRIAL_CATEGORIES: Final = ANTIDEPRESSANTS | AUGMENTATION | {"esketamine"}

# -- their labels (translated where shown: label_for(TABLE, key)) ----------------------------------

CATEGORY_LABELS: Final[Mapping[str, str]] = {
    "ssri": N_("SSRI"),
    "snri": N_("SNRI"),
    "atypical": N_("Atypical antidepressant"),
    "tricyclic": N_("Tricyclic antidepressant"),
    "maoi": N_("MAOI"),
    "antipsychotic_augmentation": N_("Antipsychotic (augmentation)"),
    "lithium": N_("Lithium"),
    "thyroid_hormone": N_("Thyroid hormone"),
    "esketamine": N_("Esketamine"),
    "other": N_("Other"),
}
FORM_LABELS: Final[Mapping[str, str]] = {
    "tablet": N_("Tablet"),
    "capsule": N_("Capsule"),
    "liquid": N_("Liquid"),
    "nasal_spray": N_("Nasal spray"),
    "patch": N_("Patch"),
    "injection": N_("Injection"),
    "other": N_("Other"),
}
#: the form as a word inside a medicine's name: "Sertraline 50 mg tablet"
FORM_NOUNS: Final[Mapping[str, str]] = {
    "tablet": N_("tablet"),
    "capsule": N_("capsule"),
    "liquid": N_("liquid"),
    "nasal_spray": N_("nasal spray"),
    "patch": N_("patch"),
    "injection": N_("injection"),
    "other": N_("other"),
}
#: what one unit of stock is called, per form
STOCK_UNITS: Final[Mapping[str, str]] = {
    "tablet": N_("tablets"),
    "capsule": N_("capsules"),
    "liquid": N_("mL"),
    "nasal_spray": N_("sprays"),
    "patch": N_("patches"),
    "injection": N_("doses"),
    "other": N_("doses"),
}
#: dose units as a person reads them (stored as the keys)
UNIT_LABELS: Final[Mapping[str, str]] = {
    "mg": N_("mg"),
    "mcg": N_("mcg"),
    "g": N_("g"),
    "mL": N_("mL"),
    "IU": N_("IU"),
    "units": N_("units"),
}
STOP_REASON_LABELS: Final[Mapping[str, str]] = {
    "not_helping": N_("Not helping"),
    "side_effects": N_("Side effects"),
    "cost": N_("Cost"),
    "other": N_("Another reason"),
}
SEVERITY_LABELS: Final[Mapping[str, str]] = {
    "mild": N_("Mild"),
    "moderate": N_("Moderate"),
    "severe": N_("Severe"),
}
TREATMENT_KIND_LABELS: Final[Mapping[str, str]] = {
    "psychotherapy": N_("Psychotherapy"),
    "ect": N_("ECT (electroconvulsive therapy)"),
    "rtms": N_("rTMS (repetitive transcranial magnetic stimulation)"),
    "esketamine": N_("Esketamine"),
    "vns": N_("VNS (vagus nerve stimulation)"),
    "ketamine": N_("Ketamine"),
    "other": N_("Other treatment"),
}
THERAPY_TYPE_LABELS: Final[Mapping[str, str]] = {
    "cbt": N_("CBT (cognitive behavioural therapy)"),
    "behavioural_activation": N_("Behavioural activation"),
    "ipt": N_("Interpersonal therapy (IPT)"),
    "psychodynamic": N_("Psychodynamic therapy"),
    "emdr": N_("EMDR"),
    "trauma_focused_cbt": N_("Trauma-focused CBT"),
    "dbt": N_("DBT (dialectical behaviour therapy)"),
    "act": N_("ACT (acceptance and commitment therapy)"),
    "cbasp": N_("CBASP"),
    "schema": N_("Schema therapy"),
    "mbct": N_("Mindfulness-based cognitive therapy"),
    "other": N_("Another kind of therapy"),
}
TREATMENT_END_LABELS: Final[Mapping[str, str]] = {
    "completed": N_("Course completed"),
    **STOP_REASON_LABELS,
}
#: gentle words for a dose's state (never "missed")
OUTCOME_LABELS: Final[Mapping[str, str]] = {
    "taken": N_("Taken"),
    "skipped": N_("Skipped"),
    "skipped_advised": N_("Skipped on advice"),
    "not_logged": N_("Not logged"),
}

# -- limits ------------------------------------------------------------------------------------

MAX_NAME_CHARS: Final = 80
MAX_PURPOSE_CHARS: Final = 200
MAX_NOTE_CHARS: Final = 2000
MAX_DOSE_NOTE_CHARS: Final = 200
MAX_TIMES_PER_DAY: Final = 12
MAX_STOCK: Final = 100_000
#: The most one dose may be in each unit: far above any real single dose, so only a typing
#: slip (75000 mg, a dose in grams entered as mg) is refused.
MAX_DOSE: Final[Mapping[str, float]] = {
    "mg": 5_000,
    "mcg": 10_000,
    "g": 50,
    "mL": 500,
    "IU": 1_000_000,
    "units": 10_000,
}

# -- words -------------------------------------------------------------------------------------

#: date.fromordinal(1) is a Monday: weekday d (0 = Monday) of that week
_A_MONDAY: Final = date.fromordinal(1)


def label_for(table: Mapping[str, str], key: str | None, default: str | None = None) -> str:
    """The translated label of ``key`` in one of the tables above (``default``, else the key
    itself, when the table has no such key)."""
    text = table.get(key or "")
    if text is None:
        return (key or "") if default is None else default
    return _(text)


def weekday_short(day: int) -> str:
    """0 → "Mon" … 6 → "Sun", in the current language."""
    return weekday_name(_A_MONDAY + timedelta(days=day), short=True)


def category_label(code: str) -> str:
    return label_for(CATEGORY_LABELS, code)


def stock_unit(form: str) -> str:
    """What one unit of stock of this form is called: "tablets", "mL"."""
    return label_for(STOCK_UNITS, form, _("doses"))


def unit_label(unit: str) -> str:
    return label_for(UNIT_LABELS, unit)


def format_amount(value: float) -> str:
    """37.5 → "37.5", 75.0 → "75", 0.125 → "0.125"."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return (text or "0").replace(".", pgettext("decimal mark", "."))


def amount_text(amount: float, unit: str) -> str:
    """ "50 mg", "2.5 mL"."""
    return _("{amount} {unit}").format(amount=format_amount(amount), unit=unit_label(unit))


def _times_text(times: tuple[str, ...]) -> str:
    shown = [format_time(time.fromisoformat(t)) for t in times]
    if len(shown) == 1:
        return shown[0]
    return _("{first} and {last}").format(first=", ".join(shown[:-1]), last=shown[-1])


def describe_schedule(version: ScheduleVersion) -> str:
    """A schedule in words: "Every day at 08:00 and 20:00", "As needed"."""
    if version.kind is ScheduleKind.AS_NEEDED:
        return _("As needed")
    at = _times_text(version.times)
    if version.kind is ScheduleKind.DAILY:
        return _("Every day at {times}").format(times=at)
    if version.kind is ScheduleKind.WEEKDAYS:
        days = sorted(version.weekdays)
        if days == [0, 1, 2, 3, 4]:
            return _("Weekdays at {times}").format(times=at)
        if days == [5, 6]:
            return _("Weekends at {times}").format(times=at)
        names = ", ".join(weekday_short(d) for d in days)
        return _("{days} at {times}").format(days=names, times=at)
    n = version.interval_days or 0
    return ngettext("Every {count} day at {times}", "Every {count} days at {times}", n).format(
        count=n, times=at
    )


def outcome_label(outcome: Outcome | DoseStatus | None) -> str:
    """Gentle words for a dose's state (never "missed")."""
    if outcome is None:
        return _("Not logged yet")
    return label_for(OUTCOME_LABELS, outcome.value)
