"""The firm's kind: law firm, estate agency or both.

Revision ID: 0013
Revises: 0009
Create Date: 2026-12-07

Empty (NULL) for a firm set up before this revision: it keeps every matter kind it had. A firm
set up now says what it is, which decides the matter kinds it opens and the words it sees.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("firm", sa.Column("kind", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("firm", "kind")
