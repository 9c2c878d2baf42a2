"""Mood diary: an optional "wired / elevated" rating, 0–3, on each check-in.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04

SQLite adds a column in place (``ALTER TABLE … ADD COLUMN``), CHECK constraint included, so the
table is never rebuilt: a rebuild would drop ``mood_entries`` and, with foreign keys on, cascade
into every check-in's tags and tracker values.
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "ALTER TABLE mood_entries ADD COLUMN elevated INTEGER "
        "CONSTRAINT ck_mood_entries_elevated_range CHECK (elevated BETWEEN 0 AND 3)"
    )


def downgrade() -> None:
    op.execute("ALTER TABLE mood_entries DROP COLUMN elevated")
