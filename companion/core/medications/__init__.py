"""Medications: schedules and dose history, the dose log, adherence, side effects, stock,
treatments and the treatment history, reminders and demo data."""

from __future__ import annotations

from companion.core.extension_points import (
    ChartOverlay,
    DemoData,
    PageDecl,
    Registry,
    ReminderSourceDecl,
)
from companion.i18n import N_


def register(points: Registry) -> None:
    from companion.core.medications.demo import medication_history
    from companion.core.medications.overlay import medication_events
    from companion.core.medications.preferences import PREFERENCES
    from companion.core.medications.reminders import DoseReminders

    points.register_page(
        PageDecl(id="medications", title=N_("Medications"), icon="mdi6.pill", order=30)
    )
    points.register_demo_data(DemoData("medications", medication_history, order=20))
    points.register_reminder_source(ReminderSourceDecl("doses", DoseReminders))
    points.register_chart_overlay(
        ChartOverlay("medications", N_("Medicines and treatments"), medication_events)
    )
    for option in (PREFERENCES,):
        points.register_setting(option)
    from companion.core.medications import report

    points.register_export_section(report.MEDICINES_SECTION)
    points.register_export_section(report.HISTORY_SECTION)
