"""The treatment history: every medicine course and other treatment, as facts without
verdicts (the facts are worded by ``companion.core.medications.history``)."""

from __future__ import annotations

from collections.abc import Sequence

from companion.core.reports.model import Column, Section, Table, Text
from companion.core.reports.records import HistoryEntry
from companion.core.reports.sections import ORDER
from companion.i18n import _, format_date

__all__ = ["history_section"]


def history_section(entries: Sequence[HistoryEntry], *, context: str = "") -> Section:
    """``context`` is a sentence shown once above the courses (e.g. what a fair test of an
    antidepressant usually means, with its source), never attached to one course."""
    ordered = sorted(entries, key=lambda e: (e.started_on, e.title), reverse=True)
    texts = []
    for e in ordered:
        until = format_date(e.ended_on, "medium") if e.ended_on else _("ongoing")
        heading = _("{title} · {what} · {start} – {end}").format(
            title=e.title, what=e.what, start=format_date(e.started_on, "medium"), end=until
        )
        body = " ".join(e.facts) or _("No further facts recorded.")
        if e.end_reason:
            body = _("{facts} Ended: {reason}.").format(facts=body, reason=e.end_reason)
        texts.append(Text(body, heading=heading))
    table = Table(
        id="treatment_history",
        title=_("Treatment history"),
        columns=(
            Column("kind", _("Kind"), "text", description=_("medicine or treatment")),
            Column("title", _("Name"), "text"),
            Column("what", _("What"), "text"),
            Column("started_on", _("Started"), "date"),
            Column("ended_on", _("Ended"), "date", description=_("blank while ongoing")),
            Column("end_reason", _("Why it ended"), "text"),
            Column("facts", _("Facts"), "text"),
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
    blocks: list[Text | Table] = []
    if context and texts:
        blocks.append(Text(context))
    blocks += texts
    if not texts:
        blocks.append(Text(_("No medicine course or other treatment is recorded.")))
    blocks.append(table)
    return Section(
        id="history",
        title=_("Treatment history"),
        order=ORDER["history"],
        detail=tuple(blocks),
        about=_("Every medicine course and other treatment, as facts, newest first."),
    )
