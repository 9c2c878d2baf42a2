"""Synthetic data for ``companion demo``: each feature declares its generator
(``Registry.register_demo_data``) and :func:`fill` runs them in order.

Generators receive a session, a seeded random source and the period to fill, and must write
realistic, clinically plausible data (weekly rhythms, gaps, a dip and recovery), never
anything that claims to be a real person.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from companion.storage.database import Database

if TYPE_CHECKING:
    from companion.core.extension_points import Registry


@dataclass(frozen=True)
class DemoPeriod:
    start: date
    end: date  # inclusive
    rng: random.Random

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


Generator = Callable[[Session, DemoPeriod], None]


def fill(
    db: Database,
    days: int,
    seed: int,
    today: date | None = None,
    registry: Registry | None = None,
) -> None:
    """Run every feature's generator over the last ``days`` days, saving once at the end."""
    from companion import features

    points = registry or features.load()
    if days < 0:
        raise ValueError("The number of days cannot be negative.")
    if days == 0:
        return
    end = today or date.today()
    period = DemoPeriod(start=end - timedelta(days=days - 1), end=end, rng=random.Random(seed))
    with db.saves_suspended(), db.session() as session:
        for demo in points.demo_data():
            demo.fill(session, period)
