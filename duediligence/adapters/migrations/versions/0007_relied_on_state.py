"""Approvals bind the due-diligence record they relied on, not the matter's progress; the
listing row holds everything the matters list and the portfolio show.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07

`approvals.relied_on_sha256` holds `domain.reliance.relied_on_hash` of the record when the
approval was given. Approvals given before this revision keep NULL: their audit events hashed
a payload without the field, so writing one now would read as tampering. The read model judges
them by the audit sequence instead: superseded when a record they relied on (an answer, party,
document, hit decision, override or checklist) was written after them; a matter event is not.

`case_summaries` gains the client, the side acted for, the approvals pending, superseded approvals, missing
evidence and referrals, so the matters list is built from stored rows alone. The rows are
derived data (not audited): every one is deleted here, and the case file writes each again from
a fresh evaluation the first time the matters are listed (`CaseFile.summaries`), which also
brings the flags of older rows (PEP and sanctions from screening) up to date.
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
    for column in (
        sa.Column("client", sa.Text(), nullable=True),
        sa.Column("acting_for", sa.Text(), nullable=True),
        sa.Column("approvals_pending", sa.Text(), nullable=False, server_default="[]"),
        sa.Column("superseded", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("missing_evidence", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("referrals", sa.Text(), nullable=False, server_default="[]"),
    ):
        op.add_column("case_summaries", column)
    # Backfill: recomputed from the records on the next listing (see the docstring).
    op.execute("DELETE FROM case_summaries")


def downgrade() -> None:
    for name in (
        "referrals",
        "missing_evidence",
        "superseded",
        "approvals_pending",
        "acting_for",
        "client",
    ):
        op.drop_column("case_summaries", name)
    op.drop_column("approvals", "relied_on_sha256")
