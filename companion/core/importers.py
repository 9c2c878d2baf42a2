"""A registry of the file formats ``companion import`` (and the app's import dialogs) accept.

A feature registers an importer with ``@importer("daylio", "Daylio CSV export")``. Every
importer takes the open database and a file path and returns an ``ImportSummary``; it is all or
nothing: on any problem it raises ``ImportFileError`` and the diary is unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from companion.core.portable import ImportSummary, import_file
from companion.storage.database import Database

ImportFunction = Callable[[Database, Path], ImportSummary]


@dataclass(frozen=True)
class Importer:
    name: str
    description: str
    run: ImportFunction


IMPORTERS: dict[str, Importer] = {}


def importer(name: str, description: str) -> Callable[[ImportFunction], ImportFunction]:
    def register(func: ImportFunction) -> ImportFunction:
        IMPORTERS[name] = Importer(name, description, func)
        return func

    return register


importer("json", "Companion's own JSON export")(import_file)
