"""The diary apps' row formats, as import formats the registry offers."""

from __future__ import annotations

from pathlib import Path

from companion.core.extension_points import ImportFormat
from companion.core.mood.importing.bearable import BearableReader
from companion.core.mood.importing.daylio import DaylioReader
from companion.core.mood.importing.emoods import EmoodsReader
from companion.core.mood.importing.engine import ImportOptions, Reader
from companion.core.mood.importing.generic_csv import CsvReader
from companion.core.portable import ImportSummary
from companion.i18n import N_
from companion.storage.database import Database


def row_format(reader: Reader, description: str) -> ImportFormat:
    """An import format whose rows the engine previews, checks and writes (``description``
    marked with ``N_``, translated where it is shown)."""

    def run(db: Database, path: Path, options: ImportOptions | None) -> ImportSummary:
        from companion.core.mood.importing.engine import run as run_rows
        from companion.core.mood.importing.reading import Source

        return run_rows(db, reader, Source.from_path(path), options or ImportOptions())

    return ImportFormat(reader.name, description, run, reader=reader)


def row_formats() -> list[ImportFormat]:
    """Daylio, eMoods, Bearable and any CSV, in the order the import window offers them."""
    return [
        row_format(
            DaylioReader(),
            N_("Daylio CSV export, every layout and language (renamed moods: --mood NAME=VALUE)"),
        ),
        row_format(EmoodsReader(), N_("eMoods backup (.emoods) or its entry.csv")),
        row_format(BearableReader(), N_("Bearable CSV export")),
        row_format(
            CsvReader(),
            N_("A CSV file with a header naming its columns (date, time, mood, note…)"),
        ),
    ]
