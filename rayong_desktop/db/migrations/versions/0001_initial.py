"""initial schema: registry, reports, OA figures, settings, audit

Revision ID: 0001
Revises:
Create Date: 2026-11-26 00:05:20.535429
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_key", sa.String(length=100), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=True),
        sa.Column("old", sa.Text(), nullable=True),
        sa.Column("new", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)
        batch_op.create_index("ix_audit_log_entity", ["entity", "entity_key"], unique=False)

    op.create_table(
        "oa_stat",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("friends", sa.Integer(), nullable=False),
        sa.Column("blocked", sa.Integer(), nullable=True),
        sa.Column("reach", sa.Integer(), nullable=True),
        sa.Column("sent_this_month", sa.Integer(), nullable=True),
        sa.Column("entered_at", sa.DateTime(), nullable=False),
        sa.Column("clerk", sa.String(length=100), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint("friends >= 0", name=op.f("ck_oa_stat_friends_nonneg")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oa_stat")),
        sa.UniqueConstraint("date", name=op.f("uq_oa_stat_date")),
    )
    op.create_table(
        "schedule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("cutoff", sa.Time(), nullable=False),
        sa.Column("first_due", sa.Date(), nullable=False),
        sa.Column("unit_kinds", sa.String(length=200), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name=op.f("ck_schedule_weekday")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule")),
        sa.UniqueConstraint("code", name=op.f("uq_schedule_code")),
    )
    op.create_table(
        "setting",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_setting")),
    )
    op.create_table(
        "plan_row",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("quota", sa.Integer(), nullable=False),
        sa.Column("actions", sa.Text(), nullable=False),
        sa.Column("quota_note", sa.Text(), nullable=True),
        sa.Column("schedule_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("quota >= 0", name=op.f("ck_plan_row_quota_nonneg")),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["schedule.id"],
            name=op.f("fk_plan_row_schedule_id_schedule"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_row")),
        sa.UniqueConstraint("number", name=op.f("uq_plan_row_number")),
    )
    op.create_table(
        "unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("plan_row_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("district", sa.String(length=50), nullable=True),
        sa.Column("quota", sa.Integer(), nullable=False),
        sa.Column("contact", sa.String(length=200), nullable=True),
        sa.Column("phone", sa.String(length=100), nullable=True),
        sa.Column("fax", sa.String(length=100), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("active_from", sa.Date(), nullable=True),
        sa.Column("retired_on", sa.Date(), nullable=True),
        sa.Column("schedule_id", sa.Integer(), nullable=True),
        sa.Column("last_channel", sa.String(length=20), nullable=True),
        sa.Column("last_reporter", sa.String(length=200), nullable=True),
        sa.Column("last_reporter_phone", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("quota >= 0", name=op.f("ck_unit_quota_nonneg")),
        sa.ForeignKeyConstraint(
            ["plan_row_id"], ["plan_row.id"], name=op.f("fk_unit_plan_row_id_plan_row")
        ),
        sa.ForeignKeyConstraint(
            ["schedule_id"], ["schedule.id"], name=op.f("fk_unit_schedule_id_schedule")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit")),
        sa.UniqueConstraint("code", name=op.f("uq_unit_code")),
    )
    with op.batch_alter_table("unit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_unit_plan_row_id"), ["plan_row_id"], unique=False)

    op.create_table(
        "weekly_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("entered_at", sa.DateTime(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("reporter", sa.String(length=200), nullable=True),
        sa.Column("reporter_phone", sa.String(length=100), nullable=True),
        sa.Column("clerk", sa.String(length=100), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("confirmed", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("count >= 0", name=op.f("ck_weekly_report_count_nonneg")),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_weekly_report_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_weekly_report")),
        sa.UniqueConstraint("unit_id", "week", name="uq_weekly_report_unit_week"),
    )
    with op.batch_alter_table("weekly_report", schema=None) as batch_op:
        batch_op.create_index("ix_weekly_report_week_unit", ["week", "unit_id"], unique=False)

    op.create_table(
        "report_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("entered_at", sa.DateTime(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("reporter", sa.String(length=200), nullable=True),
        sa.Column("reporter_phone", sa.String(length=100), nullable=True),
        sa.Column("clerk", sa.String(length=100), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("confirmed", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["weekly_report.id"],
            name=op.f("fk_report_revision_report_id_weekly_report"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_revision")),
        sa.UniqueConstraint("report_id", "version", name="uq_report_revision_version"),
    )
    with op.batch_alter_table("report_revision", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_report_revision_report_id"), ["report_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("report_revision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_revision_report_id"))

    op.drop_table("report_revision")
    with op.batch_alter_table("weekly_report", schema=None) as batch_op:
        batch_op.drop_index("ix_weekly_report_week_unit")

    op.drop_table("weekly_report")
    with op.batch_alter_table("unit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_unit_plan_row_id"))

    op.drop_table("unit")
    op.drop_table("plan_row")
    op.drop_table("setting")
    op.drop_table("schedule")
    op.drop_table("oa_stat")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_entity")
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))

    op.drop_table("audit_log")
