"""Evidence document numbers; MLRO rating overrides.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28

`evidence.document_number` is optional (older evidence has none). A rating override is the
MLRO's recorded decision to accept a rating below a floor or trigger, with its rationale; one
audit event covers one override.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("evidence") as batch:
        batch.add_column(sa.Column("document_number", sa.Text(), nullable=True))
    op.create_table(
        "rating_overrides",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id"), nullable=False, index=True),
        sa.Column("rating", sa.Text(), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("overridden_at", sa.Text(), nullable=False),
        sa.Column("overridden_by", sa.Text(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("rating_overrides")
    with op.batch_alter_table("evidence") as batch:
        batch.drop_column("document_number")
