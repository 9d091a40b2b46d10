"""Controls that cannot be bypassed, the rest (issue 13): the MLRO's closure of a referral; the
reason one file is on a case as two kinds of document.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07

A referral to the MLRO now keeps G1 closed until the MLRO closes it with an outcome (proceed
or decline); the closure is a record of its own, one audit event each. What the MLRO weighed is
a restricted record in `mlro_records`, never linked from here. `evidence.reuse_reason` is NULL
for evidence stored before this revision (its payload hash leaves the unset field out).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN: a batch (copy and drop) would trip the foreign keys pointing at it.
    op.add_column("evidence", sa.Column("reuse_reason", sa.Text(), nullable=True))
    op.create_table(
        "referral_closures",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id"), nullable=False, index=True),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("closed_at", sa.Text(), nullable=False),
        sa.Column("closed_by", sa.Text(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("referral_closures")
    with op.batch_alter_table("evidence") as batch:
        batch.drop_column("reuse_reason")
