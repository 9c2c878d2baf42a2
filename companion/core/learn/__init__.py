"""Learn: the psychoeducation pages, what has been read, the reading text size."""

from __future__ import annotations

from companion.core.extension_points import DemoData, LinkKind, PageDecl, Registry
from companion.i18n import N_


def register(points: Registry) -> None:
    from companion.core.learn.demo import learn_reads
    from companion.core.learn.service import TEXT_STEP

    points.register_page(
        PageDecl(
            id="learn", title=N_("Learn"), icon="mdi6.book-open-page-variant-outline", order=40
        )
    )
    points.register_link_kind(LinkKind("article", "learn"))
    points.register_demo_data(DemoData("learn", learn_reads, order=50))
    for option in (TEXT_STEP,):
        points.register_setting(option)
