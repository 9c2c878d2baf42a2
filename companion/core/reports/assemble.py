"""Putting a summary together: the chosen sections, in order, and the person's words only
with their consent.

:func:`assemble` is the one place that decides what leaves the diary: a section, block or
column flagged private is dropped unless ``include_private`` is set, whatever a section
builder did. The :class:`Summary` itself refuses to exist with private text it was not
allowed, so a mistake fails loudly instead of leaking.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from companion.core.reports.model import Block, Period, Section, Summary, Table, Text
from companion.i18n import _

__all__ = ["assemble", "without_private"]


def _keep(block: Block) -> Block | None:
    if isinstance(block, Text):
        return None if block.private else block
    if isinstance(block, Table) and block.private:
        return block.without_private()
    return block


def without_private(section: Section) -> Section | None:
    """The section with the person's own words taken out; None if nothing else is left."""
    if section.private:
        return None
    glance = tuple(b for b in (_keep(b) for b in section.glance) if b is not None)
    detail = tuple(b for b in (_keep(b) for b in section.detail) if b is not None)
    return replace(section, glance=glance, detail=detail)


def assemble(
    period: Period,
    made_at: datetime,
    sections: Iterable[Section],
    *,
    include_private: bool = False,
    subject: str = "",
) -> Summary:
    """A summary of ``sections`` (in their order) over ``period``, made at ``made_at``."""
    kept: list[Section] = []
    for section in sections:
        if not include_private:
            cleaned = without_private(section)
            if cleaned is None:
                continue
            section = cleaned
        kept.append(section)
    kept.sort(key=lambda s: (s.order, s.id))
    notices: list[str] = []
    for section in kept:
        for notice in section.notices:
            if notice not in notices:
                notices.append(notice)
    return Summary(
        period=period,
        made_at=made_at,
        sections=tuple(kept),
        includes_private=include_private,
        title=_("Summary for my clinician"),
        subject=subject.strip(),
        notices=tuple(notices),
    )
