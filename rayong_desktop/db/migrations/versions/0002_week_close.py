"""closed weeks: a frozen snapshot of a week's figures with its checksum

Revision ID: 0002_week_close
Revises: 0001
Create Date: 2026-12-04 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_week_close"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "week_close",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=False),
        sa.Column("closed_by", sa.String(length=100), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("letter_number", sa.Integer(), nullable=True),
        sa.Column("checksum", sa.String(length=64), nullable=False),
        sa.Column("snapshot", sa.Text(), nullable=False),
        sa.Column("reopened_at", sa.DateTime(), nullable=True),
        sa.Column("reopened_by", sa.String(length=100), nullable=True),
        sa.Column("reopen_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_week_close")),
    )
    with op.batch_alter_table("week_close", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_week_close_week"), ["week"], unique=False)
        batch_op.create_index(
            "uq_week_close_open_week",
            ["week"],
            unique=True,
            sqlite_where=sa.text("reopened_at IS NULL"),
            postgresql_where=sa.text("reopened_at IS NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("week_close", schema=None) as batch_op:
        batch_op.drop_index("uq_week_close_open_week")
        batch_op.drop_index(batch_op.f("ix_week_close_week"))
    op.drop_table("week_close")
