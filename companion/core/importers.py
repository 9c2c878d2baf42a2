"""A registry of the file formats ``companion import`` (and the app's import dialogs) accept.

Two kinds of importer register here:

- a whole-file importer, ``@importer("json", "Companion's own JSON export")``: a function of
  the open database and a file path;
- a row importer (Daylio, eMoods, Bearable, any CSV), :func:`register_reader`: its rows go
  through :mod:`companion.core.import_engine`, so it also takes the person's choices
  (:class:`~companion.core.import_engine.ImportOptions`: mood names to numbers, skipping rows
  that cannot be read).

Every importer returns an ``ImportSummary`` and is all or nothing: on any problem it raises
``ImportFileError`` and the diary is unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from companion.core.portable import ImportSummary, import_file
from companion.storage.database import Database

if TYPE_CHECKING:
    from companion.core.import_engine import ImportOptions, Reader

ImportFunction = Callable[[Database, Path], ImportSummary]
RowImportFunction = Callable[[Database, Path, "ImportOptions"], ImportSummary]


@dataclass(frozen=True)
class Importer:
    name: str
    description: str
    #: the importer with no choices made (every format has one)
    run: ImportFunction
    #: row formats: the importer taking the person's choices
    run_rows: RowImportFunction | None = None
    reader: Reader | None = None

    @property
    def takes_options(self) -> bool:
        """Whether ``--mood`` and ``--skip-bad-rows`` mean something for this format."""
        return self.run_rows is not None

    def run_with(
        self, db: Database, path: Path, options: ImportOptions | None = None
    ) -> ImportSummary:
        if self.run_rows is not None and options is not None:
            return self.run_rows(db, path, options)
        return self.run(db, path)


IMPORTERS: dict[str, Importer] = {}


def importer(name: str, description: str) -> Callable[[ImportFunction], ImportFunction]:
    def register(func: ImportFunction) -> ImportFunction:
        IMPORTERS[name] = Importer(name, description, func)
        return func

    return register


def register_reader(reader: Reader, description: str) -> None:
    """Offer a row format (its rows are previewed, checked and written by the engine)."""

    def run(db: Database, path: Path, options: ImportOptions) -> ImportSummary:
        from companion.core.import_engine import run as run_rows
        from companion.core.import_reading import Source

        return run_rows(db, reader, Source.from_path(path), options)

    def run_plain(db: Database, path: Path) -> ImportSummary:
        from companion.core.import_engine import ImportOptions

        return run(db, path, ImportOptions())

    IMPORTERS[reader.name] = Importer(
        reader.name, description, run_plain, run_rows=run, reader=reader
    )


importer("json", "Companion's own JSON export")(import_file)
