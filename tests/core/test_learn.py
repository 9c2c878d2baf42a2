"""Pages marked as read and the reader's text size, kept in the vault and in the JSON export."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from companion.core import portable
from companion.core.errors import ValidationError
from companion.core.learn.service import MAX_TEXT_STEP, MIN_TEXT_STEP, TEXT_STEP, LearnService
from companion.core.models import Setting
from companion.storage.database import Database
from tests.core.mood_helpers import NOW, fresh_db


@pytest.fixture
def db() -> Any:
    d = fresh_db()
    yield d
    d.close()


def test_mark_and_unmark(db: Database) -> None:
    times = iter([NOW, NOW + timedelta(days=3)])
    svc = LearnService(db, clock=lambda: next(times))
    assert svc.reads() == {}
    svc.mark_read("what-is-trd")
    svc.mark_read("what-is-trd")  # again: the first date stays
    marks = svc.reads()
    assert list(marks) == ["what-is-trd"]
    assert marks["what-is-trd"].read_at == NOW and marks["what-is-trd"].local_date == NOW.date()
    assert svc.is_read("what-is-trd")
    svc.mark_read("what-is-trd", False)
    assert not svc.is_read("what-is-trd")
    assert db.scalar("SELECT count(*) FROM articles_read") == 0
    svc.mark_read("treatment-options", False)  # unmarking an unread page is harmless


@pytest.mark.parametrize("slug", ["", "../etc", "A", "x" * 65, "two words"])
def test_a_slug_that_is_not_a_page_is_refused(db: Database, slug: str) -> None:
    with pytest.raises(ValidationError):
        LearnService(db).mark_read(slug)


def test_text_size_is_remembered_and_kept_in_range(db: Database) -> None:
    svc = LearnService(db)
    assert svc.text_step() == 0
    assert svc.set_text_step(3) == 3 and svc.text_step() == 3
    assert svc.set_text_step(99) == MAX_TEXT_STEP
    assert svc.set_text_step(-99) == MIN_TEXT_STEP
    with pytest.raises(ValidationError):
        svc.set_text_step("3")  # type: ignore[arg-type]
    with db.session() as session:
        session.get(Setting, TEXT_STEP.key).value = "not json"  # type: ignore[union-attr]
    assert svc.text_step() == 0


def test_reads_round_trip_through_json_and_merge(db: Database) -> None:
    svc = LearnService(db, clock=lambda: datetime(2026, 3, 1, 21, 0, tzinfo=UTC))
    svc.mark_read("what-is-trd")
    svc.mark_read("recovery-takes-time")
    first = portable.export_document(db, include_notes=True)
    other = fresh_db()
    LearnService(other).mark_read("what-is-trd")  # already read there: merged, not doubled
    summary = portable.import_document(
        other, portable.parse_document(portable.dumps(first).encode("utf-8"))
    )
    assert summary.skipped_existing == {"articles_read": 1}
    assert set(LearnService(other).reads()) == {"what-is-trd", "recovery-takes-time"}
    fresh = fresh_db()
    portable.import_document(fresh, first)
    second = portable.export_document(fresh, include_notes=True)
    first.pop("exported_at")
    second.pop("exported_at")
    assert first == second
    other.close()
    fresh.close()
