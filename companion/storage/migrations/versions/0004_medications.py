"""Medication log: medicines, dated schedules and doses, the dose log, side effects, treatments.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

CATEGORIES = (
    "ssri",
    "snri",
    "atypical",
    "tricyclic",
    "maoi",
    "antipsychotic_augmentation",
    "lithium",
    "thyroid_hormone",
    "esketamine",
    "other",
)
FORMS = ("tablet", "capsule", "liquid", "nasal_spray", "patch", "injection", "other")
UNITS = ("mg", "mcg", "g", "mL", "IU", "units")
STOP_REASONS = ("not_helping", "side_effects", "cost", "other")
SCHEDULE_KINDS = ("daily", "weekdays", "interval", "as_needed")
DOSE_STATUSES = ("taken", "skipped", "skipped_advised")
SEVERITIES = ("mild", "moderate", "severe")
TREATMENT_KINDS = ("psychotherapy", "ect", "rtms", "esketamine", "vns", "ketamine", "other")
THERAPY_TYPES = (
    "cbt",
    "behavioural_activation",
    "ipt",
    "psychodynamic",
    "emdr",
    "trauma_focused_cbt",
    "dbt",
    "act",
    "cbasp",
    "schema",
    "mbct",
    "other",
)
TREATMENT_END_REASONS = ("completed", "not_helping", "side_effects", "cost", "other")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _stamps() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    ]


def _child_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["medication_id"],
        ["medications.id"],
        name=op.f(f"fk_{table}_medication_id_medications"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "medications",
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("strength", sa.Float(), nullable=True),
        sa.Column("strength_unit", sa.String(length=10), nullable=True),
        sa.Column("form", sa.String(length=20), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("purpose", sa.String(length=200), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("stopped_on", sa.Date(), nullable=True),
        sa.Column("stop_reason", sa.String(length=20), nullable=True),
        sa.Column("stop_note", sa.Text(), nullable=True),
        sa.Column("stock_count", sa.Float(), nullable=True),
        sa.Column("stock_counted_at", sa.DateTime(), nullable=True),
        sa.Column("reminders", sa.Boolean(), nullable=False),
        sa.Column("window_minutes", sa.Integer(), nullable=True),
        *_stamps(),
        sa.CheckConstraint(
            "length(name) BETWEEN 1 AND 80", name=op.f("ck_medications_name_length")
        ),
        sa.CheckConstraint(_in("category", CATEGORIES), name=op.f("ck_medications_category_valid")),
        sa.CheckConstraint(_in("form", FORMS), name=op.f("ck_medications_form_valid")),
        sa.CheckConstraint(
            "strength IS NULL OR (strength > 0 AND strength <= 1000000)",
            name=op.f("ck_medications_strength_range"),
        ),
        sa.CheckConstraint(
            "strength_unit IS NULL OR " + _in("strength_unit", UNITS),
            name=op.f("ck_medications_strength_unit_valid"),
        ),
        sa.CheckConstraint(
            "stopped_on IS NULL OR stopped_on >= started_on",
            name=op.f("ck_medications_stop_after_start"),
        ),
        sa.CheckConstraint(
            "(stopped_on IS NULL) = (stop_reason IS NULL)",
            name=op.f("ck_medications_stop_reason_with_date"),
        ),
        sa.CheckConstraint(
            "stop_reason IS NULL OR " + _in("stop_reason", STOP_REASONS),
            name=op.f("ck_medications_stop_reason_valid"),
        ),
        sa.CheckConstraint(
            "stock_count IS NULL OR (stock_count >= 0 AND stock_count <= 100000)",
            name=op.f("ck_medications_stock_range"),
        ),
        sa.CheckConstraint(
            "(stock_count IS NULL) = (stock_counted_at IS NULL)",
            name=op.f("ck_medications_stock_counted_with_count"),
        ),
        sa.CheckConstraint(
            "window_minutes IS NULL OR window_minutes BETWEEN 5 AND 720",
            name=op.f("ck_medications_window_range"),
        ),
        sa.CheckConstraint(
            "length(stop_note) <= 2000", name=op.f("ck_medications_stop_note_length")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_medications")),
    )
    op.create_index(op.f("ix_medications_started_on"), "medications", ["started_on"], unique=False)

    op.create_table(
        "medication_schedules",
        sa.Column("medication_id", sa.String(length=36), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("times", sa.String(length=120), nullable=True),
        sa.Column("weekdays", sa.Integer(), nullable=True),
        sa.Column("interval_days", sa.Integer(), nullable=True),
        *_stamps(),
        _child_fk("medication_schedules"),
        sa.CheckConstraint(
            _in("kind", SCHEDULE_KINDS), name=op.f("ck_medication_schedules_kind_valid")
        ),
        sa.CheckConstraint(
            "kind = 'as_needed' OR (times IS NOT NULL AND length(times) >= 5)",
            name=op.f("ck_medication_schedules_has_times"),
        ),
        sa.CheckConstraint(
            "length(times) <= 120", name=op.f("ck_medication_schedules_times_length")
        ),
        sa.CheckConstraint(
            "kind != 'weekdays' OR weekdays BETWEEN 1 AND 127",
            name=op.f("ck_medication_schedules_weekdays_valid"),
        ),
        sa.CheckConstraint(
            "kind != 'interval' OR interval_days BETWEEN 2 AND 366",
            name=op.f("ck_medication_schedules_interval_valid"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_medication_schedules")),
        sa.UniqueConstraint(
            "medication_id",
            "effective_from",
            name=op.f("uq_medication_schedules_medication_id"),
        ),
    )
    op.create_index(
        op.f("ix_medication_schedules_medication_id"),
        "medication_schedules",
        ["medication_id"],
        unique=False,
    )

    op.create_table(
        "medication_doses",
        sa.Column("medication_id", sa.String(length=36), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=10), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        *_stamps(),
        _child_fk("medication_doses"),
        sa.CheckConstraint(
            "amount > 0 AND amount <= 1000000", name=op.f("ck_medication_doses_amount_range")
        ),
        sa.CheckConstraint(_in("unit", UNITS), name=op.f("ck_medication_doses_unit_valid")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_medication_doses")),
        sa.UniqueConstraint(
            "medication_id", "effective_from", name=op.f("uq_medication_doses_medication_id")
        ),
    )
    op.create_index(
        op.f("ix_medication_doses_medication_id"),
        "medication_doses",
        ["medication_id"],
        unique=False,
    )

    op.create_table(
        "dose_log",
        sa.Column("medication_id", sa.String(length=36), nullable=False),
        sa.Column("slot_date", sa.Date(), nullable=True),
        sa.Column("slot_time", sa.String(length=5), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("utc_offset_minutes", sa.Integer(), nullable=False),
        sa.Column("time_recorded", sa.Boolean(), nullable=False),
        sa.Column("amount", sa.Float(), nullable=True),
        sa.Column("logged_at", sa.DateTime(), nullable=False),
        sa.Column("logged_offset_minutes", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        *_stamps(),
        _child_fk("dose_log"),
        sa.CheckConstraint(_in("status", DOSE_STATUSES), name=op.f("ck_dose_log_status_valid")),
        sa.CheckConstraint(
            "(slot_date IS NULL) = (slot_time IS NULL)", name=op.f("ck_dose_log_slot_complete")
        ),
        sa.CheckConstraint(
            "slot_time IS NULL OR length(slot_time) = 5",
            name=op.f("ck_dose_log_slot_time_format"),
        ),
        sa.CheckConstraint(
            "slot_date IS NOT NULL OR status = 'taken'",
            name=op.f("ck_dose_log_unscheduled_taken"),
        ),
        sa.CheckConstraint(
            "utc_offset_minutes BETWEEN -1080 AND 1080", name=op.f("ck_dose_log_offset_range")
        ),
        sa.CheckConstraint(
            "logged_offset_minutes BETWEEN -1080 AND 1080",
            name=op.f("ck_dose_log_logged_offset_range"),
        ),
        sa.CheckConstraint(
            "amount IS NULL OR (amount > 0 AND amount <= 1000000)",
            name=op.f("ck_dose_log_amount_range"),
        ),
        sa.CheckConstraint("length(note) <= 2000", name=op.f("ck_dose_log_note_length")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dose_log")),
        sa.UniqueConstraint(
            "medication_id", "slot_date", "slot_time", name=op.f("uq_dose_log_medication_id")
        ),
    )
    op.create_index(op.f("ix_dose_log_medication_id"), "dose_log", ["medication_id"], unique=False)
    op.create_index(op.f("ix_dose_log_occurred_at"), "dose_log", ["occurred_at"], unique=False)

    op.create_table(
        "side_effects",
        sa.Column("medication_id", sa.String(length=36), nullable=False),
        sa.Column("noted_on", sa.Date(), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("resolved_on", sa.Date(), nullable=True),
        *_stamps(),
        _child_fk("side_effects"),
        sa.CheckConstraint(
            _in("severity", SEVERITIES), name=op.f("ck_side_effects_severity_valid")
        ),
        sa.CheckConstraint(
            "description IS NULL OR length(description) BETWEEN 1 AND 2000",
            name=op.f("ck_side_effects_description_length"),
        ),
        sa.CheckConstraint(
            "resolved_on IS NULL OR resolved_on >= noted_on",
            name=op.f("ck_side_effects_resolved_after"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_side_effects")),
    )
    op.create_index(
        op.f("ix_side_effects_medication_id"), "side_effects", ["medication_id"], unique=False
    )

    op.create_table(
        "treatments",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("therapy_type", sa.String(length=30), nullable=True),
        sa.Column("label", sa.String(length=80), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.String(length=20), nullable=True),
        sa.Column("sessions", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        *_stamps(),
        sa.CheckConstraint(_in("kind", TREATMENT_KINDS), name=op.f("ck_treatments_kind_valid")),
        sa.CheckConstraint(
            "therapy_type IS NULL OR (kind = 'psychotherapy' AND "
            + _in("therapy_type", THERAPY_TYPES)
            + ")",
            name=op.f("ck_treatments_therapy_type_valid"),
        ),
        sa.CheckConstraint(
            "ended_on IS NULL OR ended_on >= started_on",
            name=op.f("ck_treatments_end_after_start"),
        ),
        sa.CheckConstraint(
            "end_reason IS NULL OR " + _in("end_reason", TREATMENT_END_REASONS),
            name=op.f("ck_treatments_end_reason_valid"),
        ),
        sa.CheckConstraint(
            "sessions IS NULL OR sessions BETWEEN 0 AND 2000",
            name=op.f("ck_treatments_sessions_range"),
        ),
        sa.CheckConstraint("length(label) <= 80", name=op.f("ck_treatments_label_length")),
        sa.CheckConstraint("length(note) <= 2000", name=op.f("ck_treatments_note_length")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_treatments")),
    )
    op.create_index(op.f("ix_treatments_started_on"), "treatments", ["started_on"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_treatments_started_on"), table_name="treatments")
    op.drop_table("treatments")
    op.drop_index(op.f("ix_side_effects_medication_id"), table_name="side_effects")
    op.drop_table("side_effects")
    op.drop_index(op.f("ix_dose_log_occurred_at"), table_name="dose_log")
    op.drop_index(op.f("ix_dose_log_medication_id"), table_name="dose_log")
    op.drop_table("dose_log")
    op.drop_index(op.f("ix_medication_doses_medication_id"), table_name="medication_doses")
    op.drop_table("medication_doses")
    op.drop_index(op.f("ix_medication_schedules_medication_id"), table_name="medication_schedules")
    op.drop_table("medication_schedules")
    op.drop_index(op.f("ix_medications_started_on"), table_name="medications")
    op.drop_table("medications")
