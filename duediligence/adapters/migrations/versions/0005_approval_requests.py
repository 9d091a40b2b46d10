"""Approval requests; the latest pending request on each case's listing row.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28

An approval request records which approvals a case was waiting for when someone asked, and
why; one audit event covers one request. The two listing columns are nullable: rows written
before this revision stay valid (no request) until they are next rewritten or refreshed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "approval_requests",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id"), nullable=False, index=True),
        sa.Column("roles", sa.Text(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("requested_by", sa.Text(), nullable=False),
        sa.Column("requested_at", sa.Text(), nullable=False),
        sa.Column("state_sha256", sa.Text(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
    )
    with op.batch_alter_table("case_summaries") as batch:
        batch.add_column(sa.Column("approval_requested_at", sa.Text(), nullable=True))
        batch.add_column(sa.Column("approval_requested_by", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("case_summaries") as batch:
        batch.drop_column("approval_requested_by")
        batch.drop_column("approval_requested_at")
    op.drop_table("approval_requests")
