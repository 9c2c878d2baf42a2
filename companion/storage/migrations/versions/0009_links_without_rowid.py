"""Mood diary: the two link tables (a check-in's tags, its tracker values) become WITHOUT ROWID.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

A rowid table with a two-column text key stores every link three times: the row, the key's own
index and the index on the second column. As ``WITHOUT ROWID`` the key *is* the table, so a
link is stored twice (about a quarter less for a large diary). SQLite cannot change this in
place, so each table is copied aside (to the in-memory temp schema), dropped, created again
and refilled in key order (full pages). Nothing references these tables, so dropping them
cascades nowhere. Links whose check-in, tag or tracker no longer exists (foreign keys have
always been on, so there should be none) are not copied: they could never be shown, and
refusing them would leave the diary unopenable. The pages freed here are given back by the
compaction that follows a migration (``Database.compact``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

#: table → (its second key column, the table that column refers to, the extra columns)
LINKS = {
    "entry_tags": ("tag_id", "tags", ()),
    "tracker_values": ("tracker_id", "trackers", ("value",)),
}


def _columns(table: str) -> list[sa.Column[object]]:
    key, _parent, extra = LINKS[table]
    columns: list[sa.Column[object]] = [
        sa.Column("entry_id", sa.String(length=36), nullable=False),
        sa.Column(key, sa.String(length=36), nullable=False),
    ]
    columns += [sa.Column(name, sa.Float(), nullable=False) for name in extra]
    return columns


def _create(table: str, *, with_rowid: bool) -> None:
    key, parent, _extra = LINKS[table]
    op.create_table(
        table,
        *_columns(table),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["mood_entries.id"],
            name=op.f(f"fk_{table}_entry_id_mood_entries"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            [key], [f"{parent}.id"], name=op.f(f"fk_{table}_{key}_{parent}"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("entry_id", key, name=op.f(f"pk_{table}")),
        sqlite_with_rowid=with_rowid,
    )


def _rebuild(table: str, *, with_rowid: bool) -> None:
    key, parent, extra = LINKS[table]
    names = ", ".join(("entry_id", key, *extra))
    aside = f"_{table}_0009"
    op.execute(
        f"CREATE TEMP TABLE {aside} AS SELECT {names} FROM main.{table} "
        f"WHERE entry_id IN (SELECT id FROM main.mood_entries) "
        f"AND {key} IN (SELECT id FROM main.{parent})"
    )
    op.drop_index(op.f(f"ix_{table}_{key}"), table_name=table)
    op.drop_table(table)
    _create(table, with_rowid=with_rowid)
    op.execute(
        f"INSERT INTO main.{table} ({names}) SELECT {names} FROM temp.{aside} "
        f"ORDER BY entry_id, {key}"
    )
    op.execute(f"DROP TABLE temp.{aside}")
    op.create_index(op.f(f"ix_{table}_{key}"), table, [key], unique=False)


def upgrade() -> None:
    for table in LINKS:
        _rebuild(table, with_rowid=False)


def downgrade() -> None:
    for table in LINKS:
        _rebuild(table, with_rowid=True)
