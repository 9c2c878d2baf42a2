"""Check-ups: completed questionnaires with their raw answers, and unfinished drafts.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05

New tables only; nothing existing is touched.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
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
        "checkup_responses",
        sa.Column("questionnaire_id", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("completed_at", sa.DateTime(), nullable=False),
        sa.Column("utc_offset_minutes", sa.Integer(), nullable=False),
        sa.Column("edited_at", sa.DateTime(), nullable=True),
        sa.Column("edited_offset_minutes", sa.Integer(), nullable=True),
        *_stamps(),
        sa.CheckConstraint(
            "length(questionnaire_id) BETWEEN 1 AND 32",
            name=op.f("ck_checkup_responses_questionnaire_length"),
        ),
        sa.CheckConstraint(
            "version BETWEEN 1 AND 1000", name=op.f("ck_checkup_responses_version_range")
        ),
        sa.CheckConstraint(
            "utc_offset_minutes BETWEEN -1080 AND 1080",
            name=op.f("ck_checkup_responses_offset_range"),
        ),
        sa.CheckConstraint(
            "edited_offset_minutes IS NULL OR edited_offset_minutes BETWEEN -1080 AND 1080",
            name=op.f("ck_checkup_responses_edited_offset_range"),
        ),
        sa.CheckConstraint(
            "(edited_at IS NULL) = (edited_offset_minutes IS NULL)",
            name=op.f("ck_checkup_responses_edited_pair"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkup_responses")),
    )
    op.create_index(
        op.f("ix_checkup_responses_questionnaire_id"),
        "checkup_responses",
        ["questionnaire_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_checkup_responses_completed_at"),
        "checkup_responses",
        ["completed_at"],
        unique=False,
    )

    op.create_table(
        "checkup_answers",
        sa.Column("response_id", sa.String(length=36), nullable=False),
        sa.Column("item_id", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Integer(), nullable=True),
        *_stamps(),
        sa.CheckConstraint(
            "length(item_id) BETWEEN 1 AND 32", name=op.f("ck_checkup_answers_item_length")
        ),
        sa.CheckConstraint(
            "value IS NULL OR value BETWEEN 0 AND 100", name=op.f("ck_checkup_answers_value_range")
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["checkup_responses.id"],
            name=op.f("fk_checkup_answers_response_id_checkup_responses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkup_answers")),
        sa.UniqueConstraint("response_id", "item_id", name=op.f("uq_checkup_answers_response_id")),
    )
    op.create_index(
        op.f("ix_checkup_answers_response_id"), "checkup_answers", ["response_id"], unique=False
    )

    op.create_table(
        "checkup_drafts",
        sa.Column("questionnaire_id", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("utc_offset_minutes", sa.Integer(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("view", sa.String(length=10), nullable=False),
        sa.Column("response_id", sa.String(length=36), nullable=True),
        *_stamps(),
        sa.CheckConstraint(
            "length(questionnaire_id) BETWEEN 1 AND 32",
            name=op.f("ck_checkup_drafts_questionnaire_length"),
        ),
        sa.CheckConstraint(
            "version BETWEEN 1 AND 1000", name=op.f("ck_checkup_drafts_version_range")
        ),
        sa.CheckConstraint(
            "utc_offset_minutes BETWEEN -1080 AND 1080",
            name=op.f("ck_checkup_drafts_offset_range"),
        ),
        sa.CheckConstraint(
            "position BETWEEN 0 AND 1000", name=op.f("ck_checkup_drafts_position_range")
        ),
        sa.CheckConstraint(
            "view IN ('intro', 'question', 'review')", name=op.f("ck_checkup_drafts_view_valid")
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["checkup_responses.id"],
            name=op.f("fk_checkup_drafts_response_id_checkup_responses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkup_drafts")),
        sa.UniqueConstraint("questionnaire_id", name=op.f("uq_checkup_drafts_questionnaire_id")),
    )


def downgrade() -> None:
    op.drop_table("checkup_drafts")
    op.drop_index(op.f("ix_checkup_answers_response_id"), table_name="checkup_answers")
    op.drop_table("checkup_answers")
    op.drop_index(op.f("ix_checkup_responses_completed_at"), table_name="checkup_responses")
    op.drop_index(op.f("ix_checkup_responses_questionnaire_id"), table_name="checkup_responses")
    op.drop_table("checkup_responses")
