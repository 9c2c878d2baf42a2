"""The corpus (tests/core/data/imports): every file imports row for row as expected.toml says,
and importing it a second time adds nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from companion.core.import_csv import ColumnMapping
from companion.core.import_engine import preview, write
from companion.core.import_reading import Source
from companion.core.mood import MoodService
from companion.storage.database import Database
from tests.core.import_helpers import CORPUS, corpus, options, reader
from tests.core.mood_helpers import fresh_db

CASES = corpus()


@pytest.fixture
def db() -> Iterator[Database]:
    database = fresh_db()
    yield database
    database.close()


def _options(case: dict[str, Any], **kw: Any) -> Any:
    columns = case.get("columns")
    return options(
        mood_map=case.get("moods", {}),
        skip_bad_rows=case.get("skip", False),
        columns=ColumnMapping(columns) if columns else None,
        **kw,
    )


def test_the_corpus_has_at_least_fifteen_files() -> None:
    files = {p.name for p in CORPUS.iterdir() if p.suffix in (".csv", ".emoods")}
    assert len(files) >= 15
    assert files == {case["file"] for case in CASES.values()}


@pytest.mark.parametrize("name", sorted(CASES))
def test_corpus_file_imports_row_for_row(db: Database, name: str) -> None:
    case = CASES[name]
    source = Source.from_path(CORPUS / case["file"])
    fmt = reader(case["format"])
    plan = preview(db, fmt, source, _options(case))
    assert plan.rows_read == case["read"]
    assert plan.to_import == case["imported"]
    assert plan.problem_count == case.get("bad", 0)
    assert plan.in_file == case.get("in_file", 0)
    assert plan.in_diary == 0
    if "language" in case:
        assert plan.prepared.details["language"] == case["language"]
    if "new_tags" in case:
        assert len(plan.new_tags) == case["new_tags"]
    if "new_trackers" in case:
        assert len(plan.new_trackers) == case["new_trackers"]
    summary = write(db, plan)
    assert summary.added["check-ins"] == case["imported"]
    assert summary.skipped_bad == case.get("bad", 0)
    assert MoodService(db).count_entries() == case["imported"]
    # a second import of the same file: everything is already in the diary
    again = preview(db, fmt, source, _options(case))
    assert again.to_import == 0
    assert again.in_diary == case["imported"] + case.get("in_file", 0)


@pytest.mark.parametrize("name", sorted(n for n, c in CASES.items() if c.get("bad")))
def test_corpus_files_with_bad_rows_are_refused_without_the_choice(db: Database, name: str) -> None:
    case = CASES[name]
    plan = preview(
        db,
        reader(case["format"]),
        Source.from_path(CORPUS / case["file"]),
        _options({**case, "skip": False}),
    )
    assert plan.blocked
    message = plan.problem_sentence()
    assert message.startswith("Line ") and "\n" not in message
    before = db.serialize()
    with pytest.raises(Exception, match="Line"):
        write(db, plan)
    assert db.serialize() == before


def test_every_row_format_is_registered_and_takes_choices() -> None:
    from companion.core.importers import IMPORTERS

    for name in ("daylio", "emoods", "bearable", "csv"):
        assert IMPORTERS[name].takes_options, name
    assert not IMPORTERS["json"].takes_options
