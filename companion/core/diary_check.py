"""``companion check``: read every row of every table the way the app reads it.

SQLite's ``integrity_check`` (run at every unlock) proves the file structure; it does not prove
that each stored value is one the app can use (SQLite stores any value in any column). Here
every row of every mapped table is read through SQLAlchemy's own type conversion (the path the
app takes), then each value's Python type is compared with the column's; foreign keys are
checked with ``PRAGMA foreign_key_check``. Problems are counted per table and column, never
quoted: a damaged value may be diary text.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, func, select

from companion.core.models import Base
from companion.i18n import ngettext
from companion.storage.database import Database

_BATCH = 500


@dataclass
class RowCheck:
    tables: int = 0
    rows: int = 0
    #: (table, column or "foreign key") → number of rows with a problem there
    problems: Counter[tuple[str, str]] = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return not self.problems

    def describe(self) -> list[str]:
        """One calm line per problem place (no values)."""
        return [
            ngettext(
                "Table {table}: {count} row with a value in “{column}” that cannot be read.",
                "Table {table}: {count} rows with a value in “{column}” that cannot be read.",
                count,
            ).format(table=table, count=count, column=column)
            if column != "foreign key"
            else ngettext(
                "Table {table}: {count} row points to records that do not exist.",
                "Table {table}: {count} rows point to records that do not exist.",
                count,
            ).format(table=table, count=count)
            for (table, column), count in sorted(self.problems.items())
        ]


def _expected(column: Column[Any]) -> tuple[type, ...] | None:
    try:
        python_type = column.type.python_type
    except NotImplementedError:
        return None
    if python_type is float:
        return (float, int)
    if python_type is int:
        return (int,)
    if python_type is datetime:
        return (datetime,)
    if python_type is date:
        return (date,)
    if python_type in (str, bool, bytes):
        return (python_type,)
    return None


def _valid(value: Any, expected: tuple[type, ...] | None) -> bool:
    if value is None or expected is None:
        return True
    if isinstance(value, bool) and bool not in expected:
        return False
    if date in expected and isinstance(value, datetime):
        return False
    if isinstance(value, float) and value != value:  # NaN is never a diary value
        return False
    return isinstance(value, expected)


def check_rows(db: Database) -> RowCheck:
    """Read and validate every row of every table; never raises for a bad value."""
    result = RowCheck()
    with db.connect() as conn:
        existing = {
            row[0]
            for row in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
            ).all()
        }
        from companion.features import load_tables

        load_tables()
        for table in Base.metadata.sorted_tables:
            if table.name not in existing:
                continue
            result.tables += 1
            columns = list(table.columns)
            expected = [_expected(c) for c in columns]
            keys = list(table.primary_key.columns)
            # One column at a time per row batch: a value that fails to convert marks only
            # its own column, and the rest of the row is still checked.
            # counted in SQL: reading the keys could fail (a damaged key is a column's problem)
            result.rows += conn.execute(select(func.count()).select_from(table)).scalar_one()
            for column, want in zip(columns, expected, strict=True):
                _check_column(conn, table, column, want, keys, result)
        for row in conn.exec_driver_sql("PRAGMA foreign_key_check").all():
            result.problems[(str(row[0]), "foreign key")] += 1
    return result


def _check_column(
    conn: Any,
    table: Any,
    column: Column[Any],
    want: tuple[type, ...] | None,
    keys: list[Column[Any]],
    result: RowCheck,
) -> None:
    offset = 0
    while True:
        query = select(column).order_by(*keys).limit(_BATCH).offset(offset)
        try:
            values = [row[0] for row in conn.execute(query).all()]
        except (ValueError, TypeError, OverflowError, ArithmeticError):
            # One value in this batch does not convert: find how many, row by row.
            values = []
            for index in range(_BATCH):
                one = select(column).order_by(*keys).limit(1).offset(offset + index)
                try:
                    row = conn.execute(one).first()
                except (ValueError, TypeError, OverflowError, ArithmeticError):
                    result.problems[(table.name, column.name)] += 1
                    values.append(None)
                    continue
                if row is None:
                    break
                values.append(row[0])
        for value in values:
            if not _valid(value, want):
                result.problems[(table.name, column.name)] += 1
        if len(values) < _BATCH:
            return
        offset += _BATCH
