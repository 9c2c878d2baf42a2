"""Every key and every reference to one is stored as its 16 bytes rather than 36 characters.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08

A UUID written as text takes 36 bytes in its row, again in its table's key index, and again in
every link and index that refers to it: for a large diary that is about a third of the whole
image, and a save holds the image twice. As a blob it takes 16 (``companion.core.models.base.Key``
converts on the way in and out, so nothing above the database changes).

The values are converted in place, table by table, inside the migration's one transaction,
with foreign keys checked at its end (``defer_foreign_keys``: a check-in's key and its links'
references change in two statements); nothing is dropped, so no cascade can run. The declared
column types stay ``VARCHAR(36)``: their TEXT affinity leaves blobs as they are. Only text in
the canonical spelling :func:`_to_blob` accepts is converted; any other key (written by hand,
or imported long ago from someone else's file) stays the text it is, so every key reads back
exactly as before. The half-empty pages the smaller rows leave are repacked by the compaction
that follows a migration (``Database.compact`` runs ``VACUUM`` when a migration asks for it).
"""

from __future__ import annotations

import sqlite3

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

#: every table → its key column and the columns that refer to another table's key
KEYS: dict[str, tuple[str, ...]] = {
    "articles_read": ("id",),
    "checkup_responses": ("id",),
    "custom_exercises": ("id",),
    "exercise_favourites": ("id",),
    "exercise_sessions": ("id",),
    "homework_plans": ("id",),
    "medications": ("id",),
    "mood_entries": ("id",),
    "safety_plans": ("id",),
    "shared_exports": ("id",),
    "tags": ("id",),
    "trackers": ("id",),
    "treatments": ("id",),
    "checkup_answers": ("id", "response_id"),
    "checkup_drafts": ("id", "response_id"),
    "dose_log": ("id", "medication_id"),
    "homework_ticks": ("id", "plan_row_id"),
    "medication_doses": ("id", "medication_id"),
    "medication_schedules": ("id", "medication_id"),
    "safety_plan_items": ("id", "plan_id"),
    "side_effects": ("id", "medication_id"),
    "entry_tags": ("entry_id", "tag_id"),
    "tracker_values": ("entry_id", "tracker_id"),
}

#: what the compaction after the migrations looks for (``migrations.compact``)
VACUUM_AFTER = "companion_vacuum_after_upgrade"


def _to_blob(value: object) -> object:
    """A canonical UUID's text (lowercase, hyphenated) as its 16 bytes; anything else as is.
    (A copy of ``models.base.key_to_db`` as it was at this revision: a migration never
    changes.)"""
    if (
        isinstance(value, str)
        and len(value) == 36
        and value[8] == value[13] == value[18] == value[23] == "-"
        and value == value.lower()
    ):
        try:
            raw = bytes.fromhex(value[:8] + value[9:13] + value[14:18] + value[19:23] + value[24:])
        except ValueError:
            return value
        if len(raw) == 16:
            return raw
    return value


def _to_text(value: object) -> object:
    if isinstance(value, bytes) and len(value) == 16:
        h = value.hex()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
    return value


def _convert(function: object, stored: str) -> None:
    bind = op.get_bind()
    driver = bind.connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    driver.create_function("companion_key", 1, function, deterministic=True)  # type: ignore[arg-type]
    try:
        # Foreign keys are checked when the migrations' transaction commits, not per statement.
        # The driver opens its transaction only at the first write, and the pragma lasts only
        # until a transaction ends: open it first, so everything here is one transaction.
        if not driver.in_transaction:
            driver.execute("BEGIN")
        bind.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        for table, columns in KEYS.items():
            exists = bind.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
            ).first()
            if exists is None:
                continue
            sets = ", ".join(f"{c} = companion_key({c})" for c in columns)
            which = " OR ".join(f"typeof({c}) = '{stored}'" for c in columns)
            bind.exec_driver_sql(f"UPDATE {table} SET {sets} WHERE {which}")
    finally:
        driver.create_function("companion_key", 1, None)
    bind.info[VACUUM_AFTER] = True


def upgrade() -> None:
    _convert(_to_blob, "text")


def downgrade() -> None:
    _convert(_to_text, "blob")
