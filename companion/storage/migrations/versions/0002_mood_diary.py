"""Mood diary: check-ins, tags, custom trackers and their links.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _stamps() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "mood_entries",
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("utc_offset_minutes", sa.Integer(), nullable=False),
        sa.Column("mood", sa.Integer(), nullable=False),
        sa.Column("anxiety", sa.Integer(), nullable=True),
        sa.Column("energy", sa.Integer(), nullable=True),
        sa.Column("irritability", sa.Integer(), nullable=True),
        sa.Column("sleep_hours", sa.Float(), nullable=True),
        sa.Column("sleep_quality", sa.Integer(), nullable=True),
        sa.Column("exercise_minutes", sa.Integer(), nullable=True),
        sa.Column("outdoors_minutes", sa.Integer(), nullable=True),
        sa.Column("alcohol_units", sa.Float(), nullable=True),
        sa.Column("substances_used", sa.Boolean(), nullable=True),
        sa.Column("substances_detail", sa.String(length=200), nullable=True),
        sa.Column("felt_numb", sa.Boolean(), nullable=True),
        sa.Column("intrusive_memories", sa.Boolean(), nullable=True),
        sa.Column("strong_reaction", sa.Boolean(), nullable=True),
        sa.Column("felt_unsafe", sa.Boolean(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        *_stamps(),
        sa.CheckConstraint(
            "utc_offset_minutes BETWEEN -1080 AND 1080",
            name=op.f("ck_mood_entries_offset_range"),
        ),
        sa.CheckConstraint("mood BETWEEN 0 AND 10", name=op.f("ck_mood_entries_mood_range")),
        sa.CheckConstraint("anxiety BETWEEN 0 AND 10", name=op.f("ck_mood_entries_anxiety_range")),
        sa.CheckConstraint("energy BETWEEN 0 AND 10", name=op.f("ck_mood_entries_energy_range")),
        sa.CheckConstraint(
            "irritability BETWEEN 0 AND 10", name=op.f("ck_mood_entries_irritability_range")
        ),
        sa.CheckConstraint(
            "sleep_hours >= 0 AND sleep_hours <= 24",
            name=op.f("ck_mood_entries_sleep_hours_range"),
        ),
        sa.CheckConstraint(
            "sleep_quality BETWEEN 1 AND 5", name=op.f("ck_mood_entries_sleep_quality_range")
        ),
        sa.CheckConstraint(
            "exercise_minutes BETWEEN 0 AND 1440", name=op.f("ck_mood_entries_exercise_range")
        ),
        sa.CheckConstraint(
            "outdoors_minutes BETWEEN 0 AND 1440", name=op.f("ck_mood_entries_outdoors_range")
        ),
        sa.CheckConstraint(
            "alcohol_units >= 0 AND alcohol_units <= 100",
            name=op.f("ck_mood_entries_alcohol_range"),
        ),
        sa.CheckConstraint("length(note) <= 20000", name=op.f("ck_mood_entries_note_length")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mood_entries")),
    )
    op.create_index(
        op.f("ix_mood_entries_occurred_at"), "mood_entries", ["occurred_at"], unique=False
    )

    op.create_table(
        "tags",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        *_stamps(),
        sa.CheckConstraint("kind IN ('activity', 'trigger')", name=op.f("ck_tags_kind_valid")),
        sa.CheckConstraint("length(name) BETWEEN 1 AND 40", name=op.f("ck_tags_name_length")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tags")),
    )

    op.create_table(
        "trackers",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=True),
        sa.Column("min_value", sa.Float(), nullable=True),
        sa.Column("max_value", sa.Float(), nullable=True),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        *_stamps(),
        sa.CheckConstraint(
            "kind IN ('scale', 'yes_no', 'number')", name=op.f("ck_trackers_kind_valid")
        ),
        sa.CheckConstraint("length(name) BETWEEN 1 AND 40", name=op.f("ck_trackers_name_length")),
        sa.CheckConstraint(
            "kind != 'number' OR (min_value IS NOT NULL AND max_value IS NOT NULL "
            "AND min_value < max_value)",
            name=op.f("ck_trackers_number_bounds"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trackers")),
    )

    op.create_table(
        "entry_tags",
        sa.Column("entry_id", sa.String(length=36), nullable=False),
        sa.Column("tag_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["mood_entries.id"],
            name=op.f("fk_entry_tags_entry_id_mood_entries"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tag_id"], ["tags.id"], name=op.f("fk_entry_tags_tag_id_tags"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("entry_id", "tag_id", name=op.f("pk_entry_tags")),
    )
    op.create_index(op.f("ix_entry_tags_tag_id"), "entry_tags", ["tag_id"], unique=False)

    op.create_table(
        "tracker_values",
        sa.Column("entry_id", sa.String(length=36), nullable=False),
        sa.Column("tracker_id", sa.String(length=36), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["mood_entries.id"],
            name=op.f("fk_tracker_values_entry_id_mood_entries"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tracker_id"],
            ["trackers.id"],
            name=op.f("fk_tracker_values_tracker_id_trackers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("entry_id", "tracker_id", name=op.f("pk_tracker_values")),
    )
    op.create_index(
        op.f("ix_tracker_values_tracker_id"), "tracker_values", ["tracker_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_tracker_values_tracker_id"), table_name="tracker_values")
    op.drop_table("tracker_values")
    op.drop_index(op.f("ix_entry_tags_tag_id"), table_name="entry_tags")
    op.drop_table("entry_tags")
    op.drop_table("trackers")
    op.drop_table("tags")
    op.drop_index(op.f("ix_mood_entries_occurred_at"), table_name="mood_entries")
    op.drop_table("mood_entries")
