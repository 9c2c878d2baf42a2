"""The safety plan service: steps, caps, calm refusals, review dates, helplines, JSON."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from companion.content.helplines import for_country, load_helplines
from companion.core import demo, portable
from companion.core.errors import ValidationError
from companion.core.safety.service import (
    MAX_ITEM_CHARS,
    MAX_ITEMS_PER_STEP,
    REVIEW_AFTER_DAYS,
    STEPS,
    SafetyService,
)
from companion.storage.database import Database
from tests.core.mood_helpers import NOW, fresh_db


class Clock:
    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def db() -> Any:
    d = fresh_db()
    yield d
    d.close()


def _fill(svc: SafetyService) -> None:
    svc.add_item("warning_signs", "Lying awake going over the same thoughts")
    svc.add_item("warning_signs", "Not answering messages")
    svc.add_item("coping_alone", "The 5-4-3-2-1 exercise")
    svc.add_item("distractions", "The café on the corner")
    svc.add_item("people", "Ruth (sister)", "07700 900461")
    svc.add_item("people", "A friend, evenings", "")
    svc.add_item("professionals", "My therapist", "+44 (0)20 7946-0312")
    svc.add_item("safer_surroundings", "Go to a friend's home")
    svc.add_item("reasons", "Ünïcödé “quotes”\nand a second line")


def test_the_plan_has_the_six_steps_and_what_matters_most() -> None:
    assert [s.number for s in STEPS] == [1, 2, 3, 4, 5, 6, 7]
    assert [s.key for s in STEPS if s.has_phone] == ["people", "professionals"]
    for s in STEPS:
        assert s.title and s.question and s.guidance and len(s.examples) >= 3


def test_items_are_kept_in_step_order_and_in_the_order_written(db: Database) -> None:
    svc = SafetyService(db, clock=Clock())
    _fill(svc)
    plan = svc.plan()
    assert [i.step for i in plan.items][:3] == ["warning_signs", "warning_signs", "coping_alone"]
    assert [i.text for i in plan.for_step("warning_signs")] == [
        "Lying awake going over the same thoughts",
        "Not answering messages",
    ]
    people = plan.for_step("people")
    assert people[0].phone == "07700 900461" and people[1].phone == ""
    assert plan.for_step("professionals")[0].phone == "+44 (0)20 7946-0312"
    assert plan.reviewed_on == NOW.date()


def test_an_empty_diary_has_an_empty_plan(db: Database) -> None:
    plan = SafetyService(db).plan()
    assert plan.is_empty and plan.reviewed_on is None and not plan.review_due(date(2030, 1, 1))


def test_a_megabyte_paste_is_refused_calmly_and_nothing_changes(db: Database) -> None:
    svc = SafetyService(db, clock=Clock())
    _fill(svc)
    before = svc.plan()
    image = db.serialize()
    huge = "word " * (1024 * 1024 // 5)
    with pytest.raises(ValidationError) as info:
        svc.add_item("reasons", huge)
    message = str(info.value)
    assert "2,000" in message and "not saved" in message and "\n" not in message
    item = before.for_step("reasons")[0]
    with pytest.raises(ValidationError):
        svc.update_item(item.id, huge)
    assert svc.plan() == before
    assert db.serialize() == image
    # exactly at the cap is fine
    svc.add_item("reasons", "x" * MAX_ITEM_CHARS)


@pytest.mark.parametrize(
    ("step", "text", "phone", "words"),
    [
        ("reasons", "   ", None, "Please write"),
        ("nowhere", "text", None, "not a step"),
        ("reasons", "text", "0123", "does not hold"),
        ("people", "Ruth", "call me maybe", "digits"),
        ("people", "Ruth", "1" * 41, "40"),
        ("people", "Ruth", "+--", "digits"),
        ("people", 42, None, "must be text"),
    ],
)
def test_bad_items_are_refused_with_one_sentence(
    db: Database, step: str, text: Any, phone: Any, words: str
) -> None:
    svc = SafetyService(db)
    with pytest.raises(ValidationError, match=words):
        svc.add_item(step, text, phone)
    assert svc.plan().is_empty


def test_a_step_holds_at_most_thirty_items(db: Database) -> None:
    svc = SafetyService(db)
    for n in range(MAX_ITEMS_PER_STEP):
        svc.add_item("coping_alone", f"Idea {n}")
    with pytest.raises(ValidationError, match="30"):
        svc.add_item("coping_alone", "One more")
    assert len(svc.plan().for_step("coping_alone")) == MAX_ITEMS_PER_STEP
    svc.add_item("reasons", "Another step still has room")


def test_control_characters_are_dropped_and_space_trimmed(db: Database) -> None:
    svc = SafetyService(db)
    item = svc.add_item("people", "  Ruth\x00 \x07", "  07700   900461 ")
    assert item.text == "Ruth" and item.phone == "07700 900461"


def test_update_move_delete_and_undo(db: Database) -> None:
    svc = SafetyService(db, clock=Clock())
    a = svc.add_item("coping_alone", "A")
    b = svc.add_item("coping_alone", "B")
    c = svc.add_item("coping_alone", "C")
    svc.update_item(b.id, "B, changed")
    svc.move_item(c.id, -1)
    assert [i.text for i in svc.plan().for_step("coping_alone")] == ["A", "C", "B, changed"]
    svc.move_item(a.id, -1)  # already at the top: nothing happens
    svc.move_item(b.id, +1)  # already at the bottom
    assert [i.text for i in svc.plan().for_step("coping_alone")] == ["A", "C", "B, changed"]
    snapshot = svc.delete_item(c.id)
    assert [i.text for i in svc.plan().for_step("coping_alone")] == ["A", "B, changed"]
    svc.restore_item(snapshot)
    items = svc.plan().for_step("coping_alone")
    assert [i.text for i in items] == ["A", "C", "B, changed"]
    assert items[1].id == c.id
    with pytest.raises(ValidationError, match="no longer"):
        svc.update_item("missing", "x")
    with pytest.raises(ValidationError, match="no longer"):
        svc.delete_item("missing")


def test_review_is_suggested_after_a_while_and_cleared_by_reviewing(db: Database) -> None:
    clock = Clock(datetime(2026, 1, 10, 20, 0, tzinfo=UTC))
    svc = SafetyService(db, clock=clock)
    svc.add_item("reasons", "The sea")
    plan = svc.plan()
    assert plan.reviewed_on == date(2026, 1, 10)
    assert not plan.review_due(date(2026, 1, 10) + timedelta(days=REVIEW_AFTER_DAYS - 1))
    assert plan.review_due(date(2026, 1, 10) + timedelta(days=REVIEW_AFTER_DAYS))
    clock.now = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
    svc.mark_reviewed()
    assert svc.plan().reviewed_on == date(2026, 4, 1)
    assert not svc.plan().review_due(date(2026, 4, 2))


def test_helplines_for_the_country_fill_step_five_once(db: Database) -> None:
    svc = SafetyService(db)
    added = svc.add_helplines(for_country("GB"))
    items = svc.plan().for_step("professionals")
    texts = [i.text for i in items]
    assert added == len(items) == 3
    assert texts[0] == "Emergency services (United Kingdom)" and items[0].phone == "999"
    assert ("Samaritans", "116 123") in [(i.text, i.phone) for i in items]
    assert svc.add_helplines(for_country("GB")) == 0
    # the person's own entry with the same number is not duplicated either
    svc.add_item("professionals", "My therapist", "020 7946 0312")
    assert svc.add_helplines(for_country("GB")) == 0


def test_a_text_line_keeps_its_keyword(db: Database) -> None:
    svc = SafetyService(db)
    svc.add_helplines(for_country("US"))
    texts = [i.text for i in svc.plan().for_step("professionals")]
    assert "Crisis Text Line: text HOME to 741741" in texts
    assert texts.count("988 Suicide & Crisis Lifeline") == 1  # 988 appears once, not per line


def test_an_unknown_country_gets_the_directory_not_a_wrong_number(db: Database) -> None:
    svc = SafetyService(db)
    assert svc.add_helplines(for_country("ZZ")) == 1
    (item,) = svc.plan().for_step("professionals")
    assert "findahelpline.com" in item.text and "needs internet" in item.text
    assert item.phone == ""
    assert load_helplines().elsewhere.lines[0].url in item.text


def _comparable(document: dict[str, Any]) -> dict[str, Any]:
    out = dict(document)
    out.pop("exported_at")
    return out


def test_the_plan_round_trips_through_json(db: Database) -> None:
    svc = SafetyService(db, clock=Clock())
    _fill(svc)
    first = portable.export_document(db, include_notes=True)
    parsed = portable.parse_document(portable.dumps(first).encode("utf-8"))
    other = fresh_db()
    portable.import_document(other, parsed)
    second = portable.export_document(other, include_notes=True)
    assert _comparable(first) == _comparable(second)
    assert first["tables"]["safety_plan_items"] and first["tables"]["safety_plans"]
    assert SafetyService(other).plan() == svc.plan()
    other.close()


def test_an_export_without_notes_leaves_the_words_out_and_still_imports(db: Database) -> None:
    svc = SafetyService(db, clock=Clock())
    _fill(svc)
    document = portable.export_document(db)
    words = ("Ruth", "07700", "Ünïcödé")
    leaks = [
        (table, column)
        for table, rows in document["tables"].items()
        for row in rows
        for column, value in row.items()
        if isinstance(value, str) and any(w in value for w in words)
    ]
    assert leaks == []  # names the table and field if words get out
    text = json.dumps(document, ensure_ascii=False)
    assert not any(w in text for w in words)
    other = fresh_db()
    portable.import_document(other, portable.parse_document(portable.dumps(document).encode()))
    plan = SafetyService(other).plan()
    assert plan.is_empty  # the withheld rows are not shown as blank lines
    SafetyService(other).add_item("reasons", "Still works")
    assert [i.text for i in SafetyService(other).plan().items] == ["Still works"]
    other.close()


def test_importing_another_plan_merges_into_the_one_plan(db: Database) -> None:
    SafetyService(db, clock=Clock()).add_item("reasons", "Mine")
    other = fresh_db()
    SafetyService(other, clock=Clock()).add_item("reasons", "From the other diary")
    portable.import_document(db, portable.export_document(other, include_notes=True))
    texts = [i.text for i in SafetyService(db).plan().items]
    assert sorted(texts) == ["From the other diary", "Mine"]
    assert db.scalar("SELECT count(*) FROM safety_plans") == 1
    other.close()


def test_demo_plan_is_deterministic_complete_and_hopeful() -> None:
    a, b = fresh_db(), fresh_db()
    demo.fill(a, 365, seed=3, today=date(2026, 6, 14))
    demo.fill(b, 365, seed=3, today=date(2026, 6, 14))
    plan = SafetyService(a).plan()
    assert SafetyService(b).plan() == plan
    for s in STEPS:
        assert plan.for_step(s.key), s.key
    assert all(i.phone for i in plan.for_step("people"))
    assert plan.reviewed_on is not None and not plan.review_due(date(2026, 6, 14))
    a.close()
    b.close()
