"""The computer accounts a person may act from.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28

Empty for everyone registered before this revision (any account, as before); a firm binds its
MLRO and approvers with `duediligence users bind`.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN: a batch (copy and drop) of `people` would trip the foreign keys that
    # point at it from every table that names a person.
    op.add_column("people", sa.Column("os_users", sa.Text(), nullable=False, server_default="[]"))


def downgrade() -> None:
    op.drop_column("people", "os_users")  # SQLite 3.35+: no table copy, so no foreign-key trip
