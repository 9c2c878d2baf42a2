"""Homework plans a therapist hands over, and progress worked out from what was logged.

:mod:`.plan` is the plan file format (TOML, versioned, no personal data): the strict reader
and the writer. :mod:`.progress` holds the progress rules as pure functions: given a plan and
what the diary recorded, how much of each task was done, week by week. :mod:`.service` keeps
the plans the person accepted or declined and their free-text ticks; :mod:`.importing` is
``companion import --format plan``; :mod:`.report` is the summary's homework section.
Documented for people who write plans in ``docs/homework-plans.md``.
"""

from __future__ import annotations

from companion.core.extension_points import DemoData, ExportSection, ImportFormat, Registry
from companion.i18n import N_


def register(points: Registry) -> None:
    from companion.core.homework.demo import homework
    from companion.core.homework.importing import import_plan_file
    from companion.core.homework.report import homework_report
    from companion.core.reports.sections import ORDER

    points.register_import_format(
        ImportFormat("plan", N_("A homework plan from your therapist"), import_plan_file)
    )
    # after every feature whose records the plan counts (check-ins, practice, pages, check-ups)
    points.register_demo_data(DemoData("homework", homework, order=80))
    points.register_export_section(
        ExportSection(
            "homework",
            N_("Homework"),
            ORDER["homework"],
            homework_report,
            about=N_("Plans from a therapist, and how much of each task was done."),
        )
    )
