"""The firm's kind (law firm, estate agency or both), and sales linking an agency's seller and
buyer matters by the property.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07

Empty (NULL) for a firm set up before this revision: it keeps every matter kind it had. A firm
set up now says what it is, which decides the matter kinds it opens and the words it sees.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("firm", sa.Column("kind", sa.Text(), nullable=True))
    op.create_table(
        "sales",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("property", sa.Text(), nullable=False),
        sa.Column(
            "seller_case_id", sa.String(32), sa.ForeignKey("cases.id"), nullable=False, unique=True
        ),
        sa.Column("recorded_by", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.Text(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
    )
    op.create_table(
        "sale_buyers",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("sale_id", sa.String(32), sa.ForeignKey("sales.id"), nullable=False, index=True),
        # A buyer's matter is on one sale only.
        sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id"), nullable=False, unique=True),
        sa.Column("proceeding", sa.Boolean(), nullable=False),
        sa.Column("recorded_by", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.Text(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("sale_buyers")
    op.drop_table("sales")
    op.drop_column("firm", "kind")
