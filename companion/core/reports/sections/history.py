"""The treatment history: every medicine course and other treatment, as facts without
verdicts (the facts are worded by ``companion.core.treatment_history``)."""

from __future__ import annotations

from collections.abc import Sequence

from companion.core.reports.model import Column, Section, Table, Text
from companion.core.reports.records import HistoryEntry
from companion.core.reports.sections import ORDER
from companion.core.reports.wording import short_date

__all__ = ["history_section"]


def history_section(entries: Sequence[HistoryEntry]) -> Section:
    ordered = sorted(entries, key=lambda e: (e.started_on, e.title), reverse=True)
    texts = []
    for e in ordered:
        until = short_date(e.ended_on) if e.ended_on else "ongoing"
        heading = f"{e.title} · {e.what} · {short_date(e.started_on)} – {until}"
        body = " ".join(e.facts) or "No further facts recorded."
        if e.end_reason:
            body += f" Ended: {e.end_reason}."
        texts.append(Text(body, heading=heading))
    table = Table(
        id="treatment_history",
        title="Treatment history",
        columns=(
            Column("kind", "Kind", "text", description="medicine or treatment"),
            Column("title", "Name", "text"),
            Column("what", "What", "text"),
            Column("started_on", "Started", "date"),
            Column("ended_on", "Ended", "date", description="blank while ongoing"),
            Column("end_reason", "Why it ended", "text"),
            Column("facts", "Facts", "text"),
        ),
        rows=tuple(
            (
                e.kind,
                e.title,
                e.what,
                e.started_on,
                e.ended_on,
                e.end_reason or None,
                " ".join(e.facts),
            )
            for e in ordered
        ),
        printed=False,
    )
    return Section(
        id="history",
        title="Treatment history",
        order=ORDER["history"],
        detail=(*texts, table) if texts else (table,),
        about="Every medicine course and other treatment, as facts, newest first.",
    )
