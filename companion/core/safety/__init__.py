"""The safety plan: six steps plus what matters most, with its demo plan."""

from __future__ import annotations

from companion.core.extension_points import DemoData, PageDecl, Registry
from companion.i18n import N_


def register(points: Registry) -> None:
    from companion.core.safety.demo import safety_plan

    points.register_page(
        PageDecl(
            id="safety",
            title=N_("Safety plan"),
            icon="mdi6.hand-heart-outline",
            order=50,
            aliases=("safety-plan",),
        )
    )
    points.register_demo_data(DemoData("safety", safety_plan, order=40))
    from companion.core.safety import report

    points.register_export_section(report.SAFETY_SECTION)
