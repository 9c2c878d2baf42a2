"""The canonical JSON format: round trip, envelope checks, all-or-nothing import."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.core import portable
from companion.core.errors import ImportFileError
from companion.core.models import Base, Setting
from companion.storage import migrations
from companion.storage.database import Database

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def fresh() -> Database:
    db = Database()
    migrations.upgrade(db.engine, Base.metadata)
    return db


def export(db: Database) -> dict:
    return portable.export_document(db, include_notes=True, now=NOW)


def test_empty_export_has_the_documented_envelope() -> None:
    doc = export(fresh())
    assert doc["format"] == "companion-export"
    assert doc["version"] == 1
    assert doc["schema"] == migrations.head_revision()
    assert doc["exported_at"] == "2026-11-27T12:00:00Z"
    assert "settings" in doc["tables"]
    assert json.loads(portable.dumps(doc)) == doc


def test_round_trip_of_settings() -> None:
    db = fresh()
    with db.session() as s:
        s.add(Setting(key="auto_lock_minutes", value="7"))
    doc = export(db)
    other = fresh()
    summary = portable.import_document(other, portable.parse_document(portable.dumps(doc).encode()))
    assert summary.total_added == 1
    assert export(other) == doc


def test_import_twice_skips_existing_records() -> None:
    db = fresh()
    with db.session() as s:
        s.add(Setting(key="auto_lock_minutes", value="7"))
    doc = export(db)
    summary = portable.import_document(db, doc)
    assert summary.total_added == 0
    assert summary.skipped_existing == {"settings": 1}
    assert "already in the diary" in summary.describe()


BAD_FILES = {
    b"": "empty",
    b"   \n": "empty",
    b"\xff\xfe\x00binary": "not text",
    b"{not json": "not valid JSON",
    b"[1, 2, 3]": "not a Companion export",
    b'{"format": "something-else"}': "not a Companion export",
    b'{"format": "companion-export", "version": 99, "tables": {}}': "newer version",
    b'{"format": "companion-export", "version": "1", "tables": {}}': "format version",
    b'{"format": "companion-export", "version": 1}': "no data section",
    b"[" * 100_000 + b"]" * 100_000: "not",
}


@pytest.mark.parametrize("raw", list(BAD_FILES))
def test_malformed_files_get_one_clear_sentence(raw: bytes) -> None:
    with pytest.raises(ImportFileError) as info:
        portable.parse_document(raw)
    assert BAD_FILES[raw] in str(info.value)


def _doc(rows: object, table: str = "settings") -> dict:
    return {"format": "companion-export", "version": 1, "tables": {table: rows}}


@pytest.mark.parametrize(
    ("doc", "needle"),
    [
        (_doc({}), "should be a list"),
        (_doc([1]), "is not a record"),
        (_doc([{"key": "a"}]), "missing “value”"),
        (_doc([{"value": "1"}]), "has no “key”"),
        (_doc([{"key": "a", "value": 5}]), "should be text"),
        (_doc([{"key": "a" * 65, "value": "x"}]), "longer than 64"),
        (_doc([{"key": "a", "value": "x", "updated_at": "yesterday"}]), "not a valid time"),
        (_doc([{"key": "a", "value": "x", "updated_at": "2026-01-01T00:00:00"}]), "no time zone"),
        (_doc([{"key": "a", "value": "x", "colour": "red"}]), "does not know"),
        (_doc([], table="secrets"), "section this version does not know"),
        (_doc([{"key": "a", "value": "x"}, {"key": "a", "value": "y"}]), "same record twice"),
    ],
)
def test_invalid_records_change_nothing(doc: dict, needle: str) -> None:
    db = fresh()
    with db.session() as s:
        s.add(Setting(key="keep", value="1"))
    before = export(db)
    with pytest.raises(ImportFileError) as info:
        portable.import_document(db, doc)
    assert needle in str(info.value)
    assert export(db) == before


def test_a_bad_record_after_good_ones_imports_nothing() -> None:
    db = fresh()
    doc = _doc([{"key": "good", "value": "1"}, {"key": "bad", "value": None}])
    with pytest.raises(ImportFileError):
        portable.import_document(db, doc)
    assert export(db)["tables"]["settings"] == []


def test_import_saves_once_and_only_on_success() -> None:
    saves: list[int] = []
    db = fresh()
    db.set_saver(lambda image: saves.append(len(image)))
    portable.import_document(db, _doc([{"key": f"k{i}", "value": "1"} for i in range(5)]))
    assert len(saves) == 1
    with pytest.raises(ImportFileError):
        portable.import_document(db, _doc([{"key": "x", "value": 1}]))
    assert len(saves) == 1


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_arbitrary_bytes_never_raise_anything_but_import_file_error(raw: bytes) -> None:
    try:
        doc = portable.parse_document(raw)
        portable.import_document(fresh(), doc)
    except ImportFileError:
        pass


keys = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=64)
values = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200)


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(keys, values, max_size=12))
def test_property_import_into_empty_then_export_is_identity(pairs: dict[str, str]) -> None:
    db = fresh()
    with db.session() as s:
        for k, v in pairs.items():
            s.add(Setting(key=k, value=v))
    doc = export(db)
    text = portable.dumps(doc).encode("utf-8")
    other = fresh()
    portable.import_document(other, portable.parse_document(text))
    assert export(other) == doc


def test_the_format_documentation_is_current() -> None:
    from pathlib import Path

    doc = Path(__file__).resolve().parents[2] / "docs" / "data-format.md"
    assert doc.read_text(encoding="utf-8") == portable.describe_format(), (
        "docs/data-format.md is out of date: run python -m companion.core.portable"
    )
