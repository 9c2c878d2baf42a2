"""Reports: the clinician summary and the exports (PDF, CSV, JSON, FHIR), the record of what
was shared, and the Reports page (``companion.ui.reports``).

:mod:`.model` is the neutral summary every renderer reads (PDF, CSV, and the tests): a period,
when it was made, and sections of key facts, tables, charts and text. :mod:`.records` holds the
plain facts a feature hands over (check-ins, check-up answers, medicine courses…);
:mod:`.sections` turns them into summary sections; each feature's ``report.py`` reads its own
tables and registers its sections (``Registry.register_export_section``); :mod:`.assemble` puts
the chosen sections together and leaves out the person's own words unless they opted in;
:mod:`.service` keeps what was shared and the key behind the FHIR pseudonym. The renderers and
the export itself live in ``companion.reports``.
"""

from __future__ import annotations

from companion.core.extension_points import DemoData, PageDecl, Registry
from companion.i18n import N_


def register(points: Registry) -> None:
    from companion.core.reports.demo import shared_exports
    from companion.core.reports.service import PSEUDONYM_KEY

    points.register_page(
        PageDecl(id="reports", title=N_("Reports"), icon="mdi6.file-chart-outline", order=60)
    )
    points.register_setting(PSEUDONYM_KEY)
    points.register_demo_data(DemoData("reports", shared_exports, order=90))
