"""Approvals bind the due-diligence record they relied on, not the matter's progress.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07

`approvals.relied_on_sha256` holds `domain.reliance.relied_on_hash` of the record when the
approval was given. Approvals given before this revision keep NULL: their audit events hashed
a payload without the field, so writing one now would read as tampering. The read model judges
them by the audit sequence instead: superseded when a record they relied on (an answer, party,
document, hit decision, override or checklist) was written after them; a matter event is not.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (no batch copy of the table; see 0006).
    op.add_column("approvals", sa.Column("relied_on_sha256", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("approvals", "relied_on_sha256")
