"""Grounding exercises: bundled and custom exercises, practice sessions, favourites, demo data."""

from __future__ import annotations

from companion.core.extension_points import DemoData, ImportFormat, LinkKind, PageDecl, Registry
from companion.i18n import N_


def register(points: Registry) -> None:
    from companion.core.exercises.custom import import_exercise_file
    from companion.core.exercises.demo import exercise_practice

    points.register_page(
        PageDecl(id="exercises", title=N_("Grounding"), icon="mdi6.meditation", order=20)
    )
    points.register_link_kind(LinkKind("exercise", "exercises"))
    points.register_import_format(
        ImportFormat(
            "exercise",
            N_("An exercise of your own or from your therapist (TOML)"),
            lambda db, path, _options: import_exercise_file(db, path),
        )
    )
    points.register_demo_data(DemoData("exercises", exercise_practice, order=10))
    from companion.core.exercises import report

    points.register_export_section(report.EXERCISES_SECTION)
