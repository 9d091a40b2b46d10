"""Controls that cannot be bypassed (issue 13): MLRO exceptions to a closed gate on matter
events, counted on each listing row; the reason a much shorter screening list was accepted;
the MLRO's reason on an answer only the MLRO may give (out of scope of the MLR); the MLRO's
reason, and what was outstanding, on an approval of a file whose EDD was not complete.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

Events recorded before this revision passed no check: they carry no exception (NULL) and no
blocking reasons ("[]"); their payload hashes leave the unset fields out, so the chain verifies.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMNs: a batch (copy and drop) would trip the foreign keys pointing at these
    # tables.
    op.add_column("matter_events", sa.Column("gate_exception", sa.Text(), nullable=True))
    op.add_column(
        "matter_events", sa.Column("blocked_by", sa.Text(), nullable=False, server_default="[]")
    )
    op.add_column("list_snapshots", sa.Column("shrink_reason", sa.Text(), nullable=True))
    op.add_column("answers", sa.Column("mlro_reason", sa.Text(), nullable=True))
    op.add_column("approvals", sa.Column("incomplete_reason", sa.Text(), nullable=True))
    op.add_column(
        "approvals", sa.Column("incomplete", sa.Text(), nullable=False, server_default="[]")
    )
    op.add_column(
        "case_summaries",
        sa.Column("gate_exceptions", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_column("case_summaries", "gate_exceptions")
    op.drop_column("list_snapshots", "shrink_reason")
    op.drop_column("answers", "mlro_reason")
    op.drop_column("approvals", "incomplete")
    op.drop_column("approvals", "incomplete_reason")
    op.drop_column("matter_events", "blocked_by")
    op.drop_column("matter_events", "gate_exception")
