"""Demo data for Learn: a few pages marked as read, spread over the first weeks."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from companion.core import demo
from companion.core.learn.models import ArticleRead
from companion.core.learn.service import read_id

READ_SLUGS: Final = (
    "what-is-trd",
    "childhood-trauma-and-depression",
    "grounding-and-self-soothing",
    "treatment-options",
)


def learn_reads(session: Session, period: demo.DemoPeriod) -> None:
    """A few Learn pages marked as read, spread over the first weeks."""
    known = set(session.scalars(select(ArticleRead.slug)))
    for number, slug in enumerate(READ_SLUGS):
        if slug in known:
            continue
        day = period.start + timedelta(days=min(period.days - 1, 2 + 5 * number))
        moment = datetime.combine(day, time(21, period.rng.randint(0, 59)), tzinfo=UTC)
        session.add(
            ArticleRead(
                id=read_id(slug),
                slug=slug,
                read_at=moment,
                utc_offset_minutes=60,
                created_at=moment,
                updated_at=moment,
            )
        )
