"""Grounding exercises: practice sessions, the person's own exercises, favourites.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
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
        "exercise_sessions",
        sa.Column("exercise_id", sa.String(length=64), nullable=False),
        sa.Column("custom", sa.Boolean(), nullable=False),
        sa.Column("variant", sa.String(length=40), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("utc_offset_minutes", sa.Integer(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=False),
        sa.Column("completed", sa.Boolean(), nullable=False),
        sa.Column("steps_reached", sa.Integer(), nullable=False),
        sa.Column("steps_total", sa.Integer(), nullable=False),
        sa.Column("distress_before", sa.Integer(), nullable=True),
        sa.Column("distress_after", sa.Integer(), nullable=True),
        sa.Column("breaths_per_minute", sa.Float(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        *_stamps(),
        sa.CheckConstraint(
            "utc_offset_minutes BETWEEN -1080 AND 1080",
            name=op.f("ck_exercise_sessions_offset_range"),
        ),
        sa.CheckConstraint(
            "length(exercise_id) BETWEEN 1 AND 64",
            name=op.f("ck_exercise_sessions_exercise_id_length"),
        ),
        sa.CheckConstraint(
            "length(variant) BETWEEN 1 AND 40", name=op.f("ck_exercise_sessions_variant_length")
        ),
        sa.CheckConstraint(
            "ended_at >= started_at", name=op.f("ck_exercise_sessions_ends_after_start")
        ),
        sa.CheckConstraint(
            "steps_total BETWEEN 1 AND 100", name=op.f("ck_exercise_sessions_steps_total_range")
        ),
        sa.CheckConstraint(
            "steps_reached BETWEEN 0 AND steps_total",
            name=op.f("ck_exercise_sessions_steps_reached_range"),
        ),
        sa.CheckConstraint(
            "distress_before BETWEEN 0 AND 10",
            name=op.f("ck_exercise_sessions_distress_before_range"),
        ),
        sa.CheckConstraint(
            "distress_after BETWEEN 0 AND 10",
            name=op.f("ck_exercise_sessions_distress_after_range"),
        ),
        sa.CheckConstraint(
            "breaths_per_minute >= 2 AND breaths_per_minute <= 20",
            name=op.f("ck_exercise_sessions_pace_range"),
        ),
        sa.CheckConstraint("length(note) <= 20000", name=op.f("ck_exercise_sessions_note_length")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exercise_sessions")),
    )
    op.create_index(
        op.f("ix_exercise_sessions_exercise_id"),
        "exercise_sessions",
        ["exercise_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_exercise_sessions_started_at"), "exercise_sessions", ["started_at"], unique=False
    )

    op.create_table(
        "custom_exercises",
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("toml", sa.Text(), nullable=False),
        *_stamps(),
        sa.CheckConstraint(
            "length(slug) BETWEEN 1 AND 64", name=op.f("ck_custom_exercises_slug_length")
        ),
        sa.CheckConstraint(
            "length(toml) BETWEEN 1 AND 262144", name=op.f("ck_custom_exercises_toml_length")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custom_exercises")),
        sa.UniqueConstraint("slug", name=op.f("uq_custom_exercises_slug")),
    )

    op.create_table(
        "exercise_favourites",
        sa.Column("exercise_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        *_stamps(),
        sa.CheckConstraint(
            "length(exercise_id) BETWEEN 1 AND 64",
            name=op.f("ck_exercise_favourites_exercise_id_length"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exercise_favourites")),
        sa.UniqueConstraint("exercise_id", name=op.f("uq_exercise_favourites_exercise_id")),
    )


def downgrade() -> None:
    op.drop_table("exercise_favourites")
    op.drop_table("custom_exercises")
    op.drop_index(op.f("ix_exercise_sessions_started_at"), table_name="exercise_sessions")
    op.drop_index(op.f("ix_exercise_sessions_exercise_id"), table_name="exercise_sessions")
    op.drop_table("exercise_sessions")
