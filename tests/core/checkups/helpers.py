"""A fresh diary with a check-up service on a clock the test moves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from companion.core.checkups.service import CheckupService
from companion.core.extension_points import ChartOverlay
from companion.storage.database import Database
from tests.core.mood_helpers import fresh_db

PLUS1 = timezone(timedelta(hours=1))
#: Friday 4 December 2026, 20:00 at UTC+1
NOW = datetime(2026, 12, 4, 20, 0, tzinfo=PLUS1)


@dataclass
class Clock:
    now: datetime = NOW

    def __call__(self) -> datetime:
        return self.now

    def days(self, n: float) -> None:
        self.now += timedelta(days=n)


def service(
    overlays: list[ChartOverlay] | None = None, db: Database | None = None
) -> tuple[CheckupService, Clock, Database]:
    db = db or fresh_db()
    clock = Clock()
    return CheckupService(db, overlays=overlays or [], clock=clock), clock, db


def phq9(total: int, item9: int = 0) -> dict[str, int | None]:
    """Answers to the PHQ-9 with ``total`` points over questions 1-8 (highest first)."""
    answers: dict[str, int | None] = {}
    left = total - item9
    for n in range(1, 9):
        answers[str(n)] = min(3, max(0, left))
        left -= answers[str(n)] or 0
    assert left == 0, "more than 24 points on questions 1-8"
    answers["9"] = item9
    answers["difficulty"] = 1
    return answers


def gad7(total: int) -> dict[str, int | None]:
    answers: dict[str, int | None] = {}
    left = total
    for n in range(1, 8):
        answers[str(n)] = min(3, left)
        left -= answers[str(n)] or 0
    return answers
