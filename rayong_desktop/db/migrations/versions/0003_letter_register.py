"""the outgoing register: every numbered letter with its PDF, state and how it was sent

Revision ID: 0003_letter_register
Revises: 0002_week_close
Create Date: 2026-12-04 07:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_letter_register"
down_revision = "0002_week_close"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "letter_register",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("series", sa.String(length=8), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("office_code", sa.String(length=100), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("addressee", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("clerk", sa.String(length=100), nullable=False),
        sa.Column("figures", sa.Text(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("spoiled_at", sa.DateTime(), nullable=True),
        sa.Column("spoiled_by", sa.String(length=100), nullable=True),
        sa.Column("spoil_reason", sa.Text(), nullable=True),
        sa.Column("replaces_id", sa.Integer(), nullable=True),
        sa.Column("sent_by", sa.String(length=20), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("sent_recorded_by", sa.String(length=100), nullable=True),
        sa.CheckConstraint("number >= 1", name=op.f("ck_letter_register_number_positive")),
        sa.CheckConstraint(
            "state IN ('issued', 'spoiled')", name=op.f("ck_letter_register_state_known")
        ),
        sa.ForeignKeyConstraint(
            ["replaces_id"],
            ["letter_register.id"],
            name=op.f("fk_letter_register_replaces_id_letter_register"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter_register")),
    )
    with op.batch_alter_table("letter_register", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_letter_register_week"), ["week"], unique=False)
        batch_op.create_index(
            "ix_letter_register_year_number", ["year", "series", "number"], unique=False
        )
        batch_op.create_index(
            "uq_letter_register_in_force",
            ["year", "series", "number"],
            unique=True,
            sqlite_where=sa.text("state = 'issued'"),
            postgresql_where=sa.text("state = 'issued'"),
        )


def downgrade() -> None:
    with op.batch_alter_table("letter_register", schema=None) as batch_op:
        batch_op.drop_index("uq_letter_register_in_force")
        batch_op.drop_index("ix_letter_register_year_number")
        batch_op.drop_index(batch_op.f("ix_letter_register_week"))
    op.drop_table("letter_register")
