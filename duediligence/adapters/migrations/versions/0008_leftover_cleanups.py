"""Clean-ups of files left by interrupted writes.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07

One row per clean-up (`maintenance clean`, or the retention purge): which orphan blobs and
partial writes were removed from the evidence and list folders. It names files by hash or
temporary name only, never by what they held.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "leftover_cleanups",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("cleaned_at", sa.Text(), nullable=False),
        sa.Column("cleaned_by", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("files", sa.Text(), nullable=False),
        sa.Column("bytes", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("leftover_cleanups")
