"""Restricted records name their case by a tag (issue 16): a keyed hash of the case id that only
the MLRO's passphrase recomputes, so the raw file no longer says which matter has a SAR.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07

The tag is not a case id, so `mlro_records.case_id` loses its foreign key to `cases` and holds
text longer than an id. On SQLite the table is copied without the key (SQLite cannot drop a
foreign key in place; the store's connections overwrite freed pages, secure_delete); on
PostgreSQL it is altered in place, which keeps the grants of 0014. Records written before keep
their case id until the MLRO's next unlock tags them (`services.proof`).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
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
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for key in sa.inspect(bind).get_foreign_keys("mlro_records"):
            if key["name"]:
                op.drop_constraint(key["name"], "mlro_records", type_="foreignkey")
        op.alter_column("mlro_records", "case_id", type_=sa.Text(), existing_nullable=False)
        return
    _copy(sa.Column("case_id", sa.Text(), nullable=False))


def downgrade() -> None:
    # Only meaningful before any record was tagged: a tag is no case id.
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("mlro_records", "case_id", type_=sa.String(32), existing_nullable=False)
        op.create_foreign_key(None, "mlro_records", "cases", ["case_id"], ["id"])
        return
    _copy(sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id"), nullable=False))
