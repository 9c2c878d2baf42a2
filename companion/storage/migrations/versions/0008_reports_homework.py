"""Reports and homework: what was shared, homework plans and their free-text ticks.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06

New tables only; nothing existing is touched.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
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
        "shared_exports",
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.Column("utc_offset_minutes", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(length=8), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("includes_notes", sa.Boolean(), nullable=False),
        sa.Column("protected", sa.Boolean(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=True),
        sa.Column("shared_with", sa.String(length=80), nullable=True),
        sa.Column("via", sa.String(length=8), nullable=False),
        *_stamps(),
        sa.CheckConstraint(
            "format IN ('pdf', 'csv', 'json', 'fhir')", name=op.f("ck_shared_exports_format_valid")
        ),
        sa.CheckConstraint("via IN ('app', 'cli')", name=op.f("ck_shared_exports_via_valid")),
        sa.CheckConstraint(
            "utc_offset_minutes BETWEEN -1080 AND 1080",
            name=op.f("ck_shared_exports_offset_range"),
        ),
        sa.CheckConstraint(
            "period_start IS NULL OR period_end IS NULL OR period_end >= period_start",
            name=op.f("ck_shared_exports_period_order"),
        ),
        sa.CheckConstraint(
            "length(file_name) <= 255", name=op.f("ck_shared_exports_file_name_length")
        ),
        sa.CheckConstraint(
            "length(shared_with) <= 80", name=op.f("ck_shared_exports_shared_with_length")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shared_exports")),
    )
    op.create_index(op.f("ix_shared_exports_made_at"), "shared_exports", ["made_at"], unique=False)

    op.create_table(
        "homework_plans",
        sa.Column("plan_id", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("author", sa.String(length=80), nullable=False),
        sa.Column("starts", sa.Date(), nullable=False),
        sa.Column("ends", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("utc_offset_minutes", sa.Integer(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        *_stamps(),
        sa.CheckConstraint("length(plan_id) = 36", name=op.f("ck_homework_plans_plan_id_length")),
        sa.CheckConstraint(
            "length(title) BETWEEN 1 AND 120", name=op.f("ck_homework_plans_title_length")
        ),
        sa.CheckConstraint(
            "length(author) BETWEEN 1 AND 80", name=op.f("ck_homework_plans_author_length")
        ),
        sa.CheckConstraint(
            "length(text) BETWEEN 1 AND 524288", name=op.f("ck_homework_plans_text_length")
        ),
        sa.CheckConstraint("ends >= starts", name=op.f("ck_homework_plans_ends_after_start")),
        sa.CheckConstraint(
            "state IN ('active', 'declined', 'ended', 'archived')",
            name=op.f("ck_homework_plans_state_valid"),
        ),
        sa.CheckConstraint(
            "utc_offset_minutes BETWEEN -1080 AND 1080",
            name=op.f("ck_homework_plans_offset_range"),
        ),
        sa.CheckConstraint(
            "ended_on IS NULL OR state IN ('ended', 'archived')",
            name=op.f("ck_homework_plans_ended_state"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_homework_plans")),
        sa.UniqueConstraint("plan_id", name=op.f("uq_homework_plans_plan_id")),
    )

    op.create_table(
        "homework_ticks",
        sa.Column("plan_row_id", sa.String(length=36), nullable=False),
        sa.Column("task_number", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        *_stamps(),
        sa.CheckConstraint(
            "task_number BETWEEN 1 AND 20", name=op.f("ck_homework_ticks_task_number_range")
        ),
        sa.ForeignKeyConstraint(
            ["plan_row_id"],
            ["homework_plans.id"],
            name=op.f("fk_homework_ticks_plan_row_id_homework_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_homework_ticks")),
        sa.UniqueConstraint(
            "plan_row_id", "task_number", "day", name=op.f("uq_homework_ticks_plan_row_id")
        ),
    )
    op.create_index(
        op.f("ix_homework_ticks_plan_row_id"), "homework_ticks", ["plan_row_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_homework_ticks_plan_row_id"), table_name="homework_ticks")
    op.drop_table("homework_ticks")
    op.drop_table("homework_plans")
    op.drop_index(op.f("ix_shared_exports_made_at"), table_name="shared_exports")
    op.drop_table("shared_exports")
