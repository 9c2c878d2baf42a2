"""Learn pages marked as read; the safety plan and its items.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_STEPS = (
    "'warning_signs', 'coping_alone', 'distractions', 'people', 'professionals', "
    "'safer_surroundings', 'reasons'"
)


def _stamps() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "articles_read",
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=False),
        sa.Column("utc_offset_minutes", sa.Integer(), nullable=False),
        *_stamps(),
        sa.CheckConstraint(
            "length(slug) BETWEEN 1 AND 64", name=op.f("ck_articles_read_slug_length")
        ),
        sa.CheckConstraint(
            "utc_offset_minutes BETWEEN -1080 AND 1080",
            name=op.f("ck_articles_read_offset_range"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_articles_read")),
        sa.UniqueConstraint("slug", name=op.f("uq_articles_read_slug")),
    )

    op.create_table(
        "safety_plans",
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.Column("reviewed_offset_minutes", sa.Integer(), nullable=True),
        *_stamps(),
        sa.CheckConstraint(
            "reviewed_offset_minutes IS NULL OR reviewed_offset_minutes BETWEEN -1080 AND 1080",
            name=op.f("ck_safety_plans_offset_range"),
        ),
        sa.CheckConstraint(
            "(reviewed_at IS NULL) = (reviewed_offset_minutes IS NULL)",
            name=op.f("ck_safety_plans_reviewed_pair"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_plans")),
    )

    op.create_table(
        "safety_plan_items",
        sa.Column("plan_id", sa.String(length=36), nullable=False),
        sa.Column("step", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        *_stamps(),
        sa.CheckConstraint(f"step IN ({_STEPS})", name=op.f("ck_safety_plan_items_step_valid")),
        sa.CheckConstraint(
            "text IS NULL OR length(text) BETWEEN 1 AND 2000",
            name=op.f("ck_safety_plan_items_text_length"),
        ),
        sa.CheckConstraint(
            "phone IS NULL OR length(phone) BETWEEN 1 AND 40",
            name=op.f("ck_safety_plan_items_phone_length"),
        ),
        sa.CheckConstraint(
            "position BETWEEN 0 AND 10000", name=op.f("ck_safety_plan_items_position_range")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["safety_plans.id"],
            name=op.f("fk_safety_plan_items_plan_id_safety_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_plan_items")),
    )
    op.create_index(
        op.f("ix_safety_plan_items_plan_id"), "safety_plan_items", ["plan_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_safety_plan_items_plan_id"), table_name="safety_plan_items")
    op.drop_table("safety_plan_items")
    op.drop_table("safety_plans")
    op.drop_table("articles_read")
