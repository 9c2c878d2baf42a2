"""The mood diary: check-ins, tags and trackers, charts and insights, imports, demo data."""

from __future__ import annotations

from companion.core.extension_points import (
    DemoData,
    PageDecl,
    Registry,
    ReminderSourceDecl,
)
from companion.i18n import N_


def register(points: Registry) -> None:
    from companion.core.mood.demo import mood_diary
    from companion.core.mood.importing.formats import row_formats
    from companion.core.mood.reminders import CHECKIN_TIMES, CheckInReminders
    from companion.core.mood.tags import DEFAULT_TAGS_SEEDED

    points.register_page(
        PageDecl(
            id="mood",
            title=N_("Diary"),
            icon="mdi6.notebook-outline",
            order=10,
            aliases=("diary",),
        )
    )
    for fmt in row_formats():
        points.register_import_format(fmt)
    points.register_demo_data(DemoData("mood", mood_diary, order=30))
    points.register_reminder_source(ReminderSourceDecl("checkins", CheckInReminders))
    for option in (CHECKIN_TIMES, DEFAULT_TAGS_SEEDED):
        points.register_setting(option)
    from companion.core.mood import report

    points.register_export_section(report.MOOD_SECTION)
    points.register_export_section(report.NOTES_SECTION)
