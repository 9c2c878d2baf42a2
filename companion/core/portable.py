"""Companion's canonical, versioned data format (JSON): the person's way out, and back in.

The document is built by reflection over the ORM tables, so every feature's data joins it as
soon as its table exists. Shape (version 1)::

    {
      "format": "companion-export",
      "version": 1,
      "schema": "<Alembic revision of the database>",
      "app_version": "0.1.0",
      "exported_at": "2026-11-27T10:00:00Z",
      "includes_notes": false,
      "range": {"from": null, "to": null},
      "tables": {"<table>": [{"<column>": <value>, ...}, ...], ...}
    }

Values: text as strings, numbers as numbers, booleans as booleans, times as ISO 8601 in UTC
with a ``Z``, dates as ``YYYY-MM-DD``, JSON columns as JSON. Rows are sorted by primary key.
Columns holding words the person wrote (``info={"private_text": True}``) are left out unless
``include_notes`` is set. Import is all or nothing: any invalid row rejects the whole file,
and rows whose key already exists are skipped (and counted), never overwritten.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Float,
    Integer,
    String,
    Table,
    Text,
    func,
    insert,
    select,
)
from sqlalchemy.exc import IntegrityError

from companion import __version__
from companion.core.errors import ImportFileError
from companion.core.models import Base, Key, UTCDateTime
from companion.i18n import _, ngettext
from companion.storage import migrations
from companion.storage.database import Database

FORMAT = "companion-export"
VERSION = 1
MAX_IMPORT_BYTES = 200 * 1024 * 1024
#: tables that are not the person's data
_SKIPPED_TABLES = frozenset({"alembic_version"})


@dataclass(frozen=True)
class ImportSummary:
    added: dict[str, int] = field(default_factory=dict)
    skipped_existing: dict[str, int] = field(default_factory=dict)

    @property
    def total_added(self) -> int:
        return sum(self.added.values())

    def describe(self) -> str:
        added = self.total_added
        skipped = sum(self.skipped_existing.values())
        imported = ngettext("Imported {count} record", "Imported {count} records", added).format(
            count=added
        )
        if not skipped:
            return _("{imported}.").format(imported=imported)
        left = ngettext(
            "{count} was already in the diary and was left as it is",
            "{count} were already in the diary and were left as they are",
            skipped,
        ).format(count=skipped)
        return _("{imported}; {left}.").format(imported=imported, left=left)


def tables() -> list[Table]:
    """The exported tables, parents before children (so import satisfies foreign keys).

    A table marked ``info={"portable": False}`` never leaves the vault (what was shared)."""
    from companion.features import load_tables

    load_tables()
    return [
        t
        for t in Base.metadata.sorted_tables
        if t.name not in _SKIPPED_TABLES and t.info.get("portable", True)
    ]


def _is_private(column: Column[Any]) -> bool:
    return bool(column.info.get("private_text"))


def _required(column: Column[Any]) -> bool:
    """An import must give this field (a key, or a value with no default that cannot be null)."""
    if column.primary_key:
        return True
    return not column.nullable and column.default is None and column.server_default is None


def _time_column(table: Table) -> Column[Any] | None:
    name = table.info.get("export_time_column")
    return None if name is None else table.c[name]


# -- export ---------------------------------------------------------------------------------


def _to_json(column: Column[Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, UTCDateTime):
        aware: datetime = value
        return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(column.type, Date):
        day: date = value
        return day.isoformat()
    return value


def _local_day(table: Table, time_col: Column[Any]) -> Any:
    """SQL for the calendar day the person saw: the stored UTC time moved by the UTC offset
    recorded with the row (so 00:30 in Tokyo is that day, not the day before in UTC)."""
    offset = table.c.get("utc_offset_minutes")
    if offset is None:  # no offset kept: the day in UTC
        return func.date(time_col)
    return func.date(time_col, func.printf("%+d minutes", offset))


def _range_conditions(start: date | None, end: date | None) -> dict[str, list[Any]]:
    """WHERE clauses per table for a date range of the person's local days (both included).

    Tables with an ``export_time_column`` are filtered by it; a table whose rows belong to a
    filtered table (a foreign key to it) keeps only the rows whose parent was kept, so a
    ranged export never refers to records it leaves out and can be imported again.
    """
    if start is None and end is None:
        return {}
    conditions: dict[str, list[Any]] = {}
    for table in tables():
        own: list[Any] = []
        time_col = _time_column(table)
        if time_col is not None:
            day = _local_day(table, time_col)
            if start is not None:
                own.append(day >= start.isoformat())
            if end is not None:
                own.append(day <= end.isoformat())
        for fk in table.foreign_keys:
            parent = fk.column.table
            parent_conditions = conditions.get(parent.name)
            if parent_conditions:
                kept = select(fk.column).where(*parent_conditions)
                own.append(fk.parent.in_(kept))
        if own:
            conditions[table.name] = own
    return conditions


def export_document(
    db: Database,
    *,
    include_notes: bool = False,
    start: date | None = None,
    end: date | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    exported_at = (now or datetime.now(UTC)).astimezone(UTC)
    out_tables: dict[str, list[dict[str, Any]]] = {}
    conditions = _range_conditions(start, end)
    with db.connect() as conn:
        for table in tables():
            columns = [c for c in table.columns if include_notes or not _is_private(c)]
            query = select(*columns).order_by(*table.primary_key.columns)
            for condition in conditions.get(table.name, []):
                query = query.where(condition)
            rows = conn.execute(query).all()
            out_tables[table.name] = [
                {c.name: _to_json(c, v) for c, v in zip(columns, row, strict=True)} for row in rows
            ]
    return {
        "format": FORMAT,
        "version": VERSION,
        "schema": migrations.current_revision(db.engine),
        "app_version": __version__,
        "exported_at": exported_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "includes_notes": include_notes,
        "range": {
            "from": start.isoformat() if start else None,
            "to": end.isoformat() if end else None,
        },
        "tables": out_tables,
    }


def dumps(document: Mapping[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


# -- import ---------------------------------------------------------------------------------


def _bad(message: str) -> ImportFileError:
    return ImportFileError(message)


def _json_type(column: Column[Any]) -> Any:
    """The column's type as the JSON format sees it: a key (:class:`Key`, 16 bytes in the
    database) is the text it always was."""
    kind = column.type
    return kind.impl if isinstance(kind, Key) else kind


def _from_json(table: Table, column: Column[Any], value: Any, where: str) -> Any:
    what = _("{where}, field “{field}”").format(where=where, field=column.name)
    if value is None:
        if not column.nullable and not column.primary_key:
            raise _bad(_("{what} is empty but is required.").format(what=what))
        return None
    kind = _json_type(column)
    if isinstance(kind, UTCDateTime):
        if not isinstance(value, str):
            raise _bad(_("{what} should be a time like 2026-01-31T08:00:00Z.").format(what=what))
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise _bad(_("{what} is not a valid time.").format(what=what)) from None
        if parsed.tzinfo is None:
            raise _bad(_("{what} has no time zone.").format(what=what))
        return parsed
    if isinstance(kind, Date):
        if not isinstance(value, str):
            raise _bad(_("{what} should be a date like 2026-01-31.").format(what=what))
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise _bad(_("{what} is not a valid date.").format(what=what)) from None
    if isinstance(kind, Boolean):
        if not isinstance(value, bool):
            raise _bad(_("{what} should be true or false.").format(what=what))
        return value
    if isinstance(kind, Integer):
        if isinstance(value, bool) or not isinstance(value, int) or abs(value) > 2**62:
            raise _bad(_("{what} should be a whole number.").format(what=what))
        return value
    if isinstance(kind, Float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _bad(_("{what} should be a number.").format(what=what))
        if not math.isfinite(value):
            raise _bad(_("{what} should be a finite number.").format(what=what))
        return float(value)
    if isinstance(kind, String | Text):
        if not isinstance(value, str):
            raise _bad(_("{what} should be text.").format(what=what))
        limit = getattr(kind, "length", None)
        if limit is not None and len(value) > limit:
            raise _bad(
                _("{what} is longer than {limit} characters.").format(what=what, limit=limit)
            )
        return value
    if isinstance(kind, JSON):
        return value
    raise _bad(
        _("{what} has a type this version cannot read.").format(what=what)
    )  # pragma: no cover


def parse_document(raw: bytes) -> dict[str, Any]:
    """Decode and check the envelope. ImportFileError (one sentence) when it is not usable."""
    if not raw.strip():
        raise _bad(_("The file is empty."))
    if len(raw) > MAX_IMPORT_BYTES:
        raise _bad(_("The file is too large to be a Companion export."))
    try:
        document = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise _bad(_("The file is not text (it is not a Companion JSON export).")) from None
    except (json.JSONDecodeError, RecursionError):
        raise _bad(_("The file is not valid JSON, so it is not a Companion export.")) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise _bad(_("The file is JSON but not a Companion export."))
    version = document.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise _bad(_("The export has no valid format version."))
    if version > VERSION:
        raise _bad(_("The export was made by a newer version of Companion; please update first."))
    if version < 1:
        raise _bad(_("The export has an unknown format version."))
    if not isinstance(document.get("tables"), dict):
        raise _bad(_("The export has no data section."))
    return document


def _rows_for(table: Table, rows: Any) -> list[dict[str, Any]]:
    if not isinstance(rows, list):
        raise _bad(_("The section “{table}” should be a list of records.").format(table=table.name))
    known = {c.name: c for c in table.columns}
    out: list[dict[str, Any]] = []
    for index, row in enumerate(rows, start=1):
        where = _("Record {index} of “{table}”").format(index=index, table=table.name)
        if not isinstance(row, dict):
            raise _bad(_("{where} is not a record.").format(where=where))
        unknown = sorted(set(row) - set(known))
        if unknown:
            raise _bad(
                _("{where} has a field this version does not know (“{field}”).").format(
                    where=where, field=unknown[0][:40]
                )
            )
        converted: dict[str, Any] = {}
        for name, column in known.items():
            if name in row:
                converted[name] = _from_json(table, column, row[name], where)
            elif column.primary_key:
                raise _bad(_("{where} has no “{name}”.").format(where=where, name=name))
            elif _required(column):
                raise _bad(_("{where} is missing “{name}”.").format(where=where, name=name))
        out.append(converted)
    return out


def import_document(db: Database, document: Mapping[str, Any]) -> ImportSummary:
    """Add every record of a parsed document, or nothing at all."""
    by_name = {t.name: t for t in tables()}
    sections: dict[str, Any] = dict(document["tables"])
    unknown = sorted(set(sections) - set(by_name))
    if unknown:
        raise _bad(
            _("The export has a section this version does not know (“{field}”).").format(
                field=unknown[0][:40]
            )
        )
    prepared = [(t, _rows_for(t, sections[t.name])) for t in tables() if t.name in sections]
    added: dict[str, int] = {}
    skipped: dict[str, int] = {}
    with db.saves_suspended(), db.session() as session:
        for table, rows in prepared:
            if not rows:
                continue
            pk = list(table.primary_key.columns)
            existing = {tuple(r) for r in session.execute(select(*pk)).all()}
            seen: set[tuple[Any, ...]] = set()
            fresh = []
            for row in rows:
                key = tuple(row[c.name] for c in pk)
                if key in seen:
                    raise _bad(_("“{table}” lists the same record twice.").format(table=table.name))
                seen.add(key)
                if key in existing:
                    skipped[table.name] = skipped.get(table.name, 0) + 1
                else:
                    fresh.append(row)
            if fresh:
                try:
                    session.execute(insert(table), fresh)
                except IntegrityError:
                    raise _bad(
                        _(
                            "Some records in “{table}” refer to things that are not in the file "
                            "or break a rule of the diary, so nothing was imported."
                        ).format(table=table.name)
                    ) from None
            added[table.name] = len(fresh)
    return ImportSummary(added=added, skipped_existing=skipped)


def import_file(db: Database, path: Path) -> ImportSummary:
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise _bad(_("The file is too large to be a Companion export."))
        raw = path.read_bytes()
    except OSError as exc:
        raise _bad(
            _("The file could not be read ({reason}).").format(
                reason=exc.strerror or _("unknown error")
            )
        ) from None
    return import_document(db, parse_document(raw))


# -- documentation ---------------------------------------------------------------------------


def _type_name(column: Column[Any]) -> str:
    kind = _json_type(column)
    if isinstance(kind, UTCDateTime):
        return "time (UTC, ISO 8601 with Z)"
    if isinstance(kind, Date):
        return "date (YYYY-MM-DD)"
    if isinstance(kind, Boolean):
        return "true/false"
    if isinstance(kind, Integer):
        return "whole number"
    if isinstance(kind, Float):
        return "number"
    if isinstance(kind, String) and kind.length:
        return f"text (≤ {kind.length})"
    if isinstance(kind, String | Text):
        return "text"
    if isinstance(kind, JSON):
        return "JSON"
    return str(kind)


def describe_format() -> str:
    """The tables and fields of the current format as Markdown (docs/data-format.md)."""
    lines = [
        "# Companion's JSON format, version 1",
        "",
        "Written by `companion export --format json`, read by `companion import --format json`.",
        "The envelope is described in `companion/core/portable.py`; this page lists every table",
        "in `tables`, parents before children (the order import uses). It is generated from the",
        "code by `python -m companion.core.portable`, and a test keeps it up to date.",
        "",
        "Fields marked *private* hold words the person wrote: they are exported only with",
        "`--include-notes`. A field that is not required may be left out or be `null`.",
    ]
    for table in tables():
        lines += ["", f"## `{table.name}`", ""]
        if table.comment:
            lines += [table.comment, ""]
        time_col = _time_column(table)
        if time_col is not None:
            local = (
                " on the local day the person saw (moved by `utc_offset_minutes`)"
                if "utc_offset_minutes" in table.c
                else " (UTC day)"
            )
            lines += [
                f"A date range (`--from`, `--to`) selects rows by `{time_col.name}`{local}.",
                "",
            ]
        lines += ["| field | type | required | notes |", "| --- | --- | --- | --- |"]
        for column in table.columns:
            notes = []
            if column.primary_key:
                notes.append("key")
            for fk in column.foreign_keys:
                notes.append(f"refers to `{fk.column.table.name}.{fk.column.name}`")
            if _is_private(column):
                notes.append("*private*")
            required = "yes" if _required(column) else "no"
            lines.append(
                f"| `{column.name}` | {_type_name(column)} | {required} | {'; '.join(notes)} |"
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover - regenerates the documentation
    out = Path(__file__).resolve().parents[2] / "docs" / "data-format.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(describe_format(), encoding="utf-8")
    print(f"wrote {out}")
