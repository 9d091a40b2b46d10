"""Receipts into client account and what was done about them (issue 14: the money trail);
the count of unreconciled receipts on each listing row.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07

Two append-only tables, each row audit-chained like every other record: `receipts` (what the
statement says arrived) and `receipt_actions` (allocated, explained, accepted, returned). The
listing column defaults to 0: a store from before this revision has no receipts.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "receipts",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id"), nullable=False, index=True),
        sa.Column("amount", sa.Text(), nullable=False),
        sa.Column("currency", sa.Text(), nullable=False),
        sa.Column("rate", sa.Text(), nullable=True),
        sa.Column("received_on", sa.Text(), nullable=False),
        sa.Column("remitter", sa.Text(), nullable=False),
        sa.Column("bank", sa.Text(), nullable=True),
        sa.Column("bank_country", sa.Text(), nullable=True),
        sa.Column("account", sa.Text(), nullable=True),
        sa.Column("reference", sa.Text(), nullable=True),
        sa.Column("run_key", sa.Text(), nullable=True),
        sa.Column("tranche", sa.Integer(), nullable=True),
        sa.Column("gate_closed", sa.Text(), nullable=False, server_default="[]"),
        sa.Column("recorded_by", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.Text(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
    )
    op.create_table(
        "receipt_actions",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id"), nullable=False, index=True),
        sa.Column(
            "receipt_id", sa.String(32), sa.ForeignKey("receipts.id"), nullable=False, index=True
        ),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("run_key", sa.Text(), nullable=True),
        sa.Column("tranche", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("by", sa.Text(), nullable=False),
        sa.Column("at", sa.Text(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
    )
    op.add_column(
        "case_summaries",
        sa.Column("unreconciled_receipts", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_column("case_summaries", "unreconciled_receipts")
    op.drop_table("receipt_actions")
    op.drop_table("receipts")
