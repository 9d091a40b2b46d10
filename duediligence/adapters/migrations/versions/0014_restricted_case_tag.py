"""Restricted records name their case by a tag (issue 16): a keyed hash of the case id that only
the MLRO's passphrase recomputes, so the raw file no longer says which matter has a SAR.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07

The tag is not a case id, so `mlro_records.case_id` loses its foreign key to `cases` and holds
text longer than an id. The table is copied without the key (SQLite cannot drop a foreign key in
place); records written before keep their case id until the MLRO's next unlock tags them
(`services.proof`). The store's connections overwrite freed pages (secure_delete).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

COLUMNS = "id, case_id, kind, text, added_at, added_by, sealed, wrapped_key, seq"


def _copy(case_id: sa.Column[str]) -> None:
    op.create_table(
        "mlro_records_new",
        sa.Column("id", sa.String(32), primary_key=True),
        case_id,
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("added_at", sa.Text(), nullable=False),
        sa.Column("added_by", sa.Text(), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=True),
        sa.Column("wrapped_key", sa.Text(), nullable=True),
        sa.Column("seq", sa.Integer(), nullable=False),
    )
    op.execute(f"INSERT INTO mlro_records_new ({COLUMNS}) SELECT {COLUMNS} FROM mlro_records")
    op.drop_table("mlro_records")
    op.rename_table("mlro_records_new", "mlro_records")
    op.create_index("ix_mlro_records_case_id", "mlro_records", ["case_id"])


def upgrade() -> None:
    _copy(sa.Column("case_id", sa.Text(), nullable=False))


def downgrade() -> None:
    # Only meaningful before any record was tagged: a tag is no case id.
    _copy(sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id"), nullable=False))
