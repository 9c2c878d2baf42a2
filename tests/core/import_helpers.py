"""Shared set-up for the import tests: the corpus, a fixed zone and clock, quick runs."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import companion.core.features  # noqa: F401  (registers every importer)
from companion.core.import_engine import (
    ImportOptions,
    MoodImportSummary,
    Preview,
    Reader,
    preview,
    write,
)
from companion.core.import_reading import Source
from companion.core.importers import IMPORTERS
from companion.storage.database import Database
from tests.core.mood_helpers import NOW

CORPUS = Path(__file__).parent / "data" / "imports"
BERLIN = ZoneInfo("Europe/Berlin")


def corpus() -> dict[str, dict[str, Any]]:
    with (CORPUS / "expected.toml").open("rb") as fh:
        return tomllib.load(fh)


def reader(name: str) -> Reader:
    found = IMPORTERS[name].reader
    assert found is not None
    return found


def options(**kw: Any) -> ImportOptions:
    kw.setdefault("zone", BERLIN)
    kw.setdefault("now", NOW)
    return ImportOptions(**kw)


def look(db: Database, fmt: str, data: bytes, **kw: Any) -> Preview:
    return preview(db, reader(fmt), Source.from_bytes(data, "test.csv"), options(**kw))


def bring_in(db: Database, fmt: str, data: bytes, **kw: Any) -> MoodImportSummary:
    return write(db, look(db, fmt, data, **kw))
