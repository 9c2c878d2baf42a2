"""Demo "what was shared": two summaries given to a clinician over the last months."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from companion.core import demo
from companion.core.reports.models import SharedExport

__all__ = ["shared_exports"]


def shared_exports(session: Session, period: demo.DemoPeriod) -> None:
    if session.scalar(select(SharedExport.id).limit(1)) is not None:
        return
    for days_before, fmt, span, sections, name in (
        (
            58,
            "pdf",
            90,
            ["mood", "checkups", "medicines", "exercises", "history"],
            "summary-for-dr-rivera.pdf",
        ),
        (9, "pdf", 30, ["mood", "checkups", "medicines", "homework", "exercises"], "summary.pdf"),
    ):
        end = period.end - timedelta(days=days_before)
        if end - timedelta(days=span - 1) < period.start:
            continue
        made = datetime.combine(end + timedelta(days=1), time(8, 30), tzinfo=UTC)
        session.add(
            SharedExport(
                made_at=made,
                utc_offset_minutes=60,
                format=fmt,
                period_start=end - timedelta(days=span - 1),
                period_end=end,
                sections=sections,
                includes_notes=False,
                protected=days_before > 30,
                file_name=name,
                shared_with="Dr Rivera" if days_before > 30 else None,
                via="app",
                created_at=made,
                updated_at=made,
            )
        )
