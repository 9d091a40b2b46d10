"""MLRO-restricted records, legal holds, deletion records, case listing rows, FWRA approver.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28

`mlro_records` is the MLRO's separate area (never joined by the case reads). `case_summaries` is
derived data (rating, flags, next review, retention) rewritten in the same transaction as every
write to its case; cases opened before this revision get theirs on first listing.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _text(name: str, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.Text(), nullable=nullable)


def _seq() -> sa.Column[int]:
    return sa.Column("seq", sa.Integer(), nullable=False)


def _case_id(index: bool = True) -> sa.Column[str]:
    return sa.Column(
        "case_id", sa.String(32), sa.ForeignKey("cases.id"), nullable=False, index=index
    )


def upgrade() -> None:
    with op.batch_alter_table("firm") as batch:
        batch.add_column(_text("fwra_approver", True))
    op.create_table(
        "mlro_records",
        sa.Column("id", sa.String(32), primary_key=True),
        _case_id(),
        _text("kind"),
        _text("text"),
        _text("added_at"),
        _text("added_by"),
        _seq(),
    )
    op.create_table(
        "legal_holds",
        sa.Column("id", sa.String(32), primary_key=True),
        _case_id(),
        _text("ground"),
        _text("note", True),
        _text("placed_at"),
        _text("placed_by"),
        _text("released_at", True),
        _text("released_by", True),
        _seq(),
    )
    op.create_table(
        "deletions",
        sa.Column("id", sa.String(32), primary_key=True),
        _case_id(),
        _text("retention_started"),
        _text("retention_until"),
        _text("deleted_at"),
        _text("deleted_by"),
        _text("records"),
        sa.Column("files", sa.Integer(), nullable=False),
        _seq(),
    )
    op.create_table(
        "case_summaries",
        sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id"), primary_key=True),
        sa.Column("reference", sa.String(100), nullable=False, index=True),
        _text("firm_role"),
        _text("matter_type"),
        _text("responsible"),
        _text("status"),
        _text("opened_at"),
        _text("chosen_rating", True),
        _text("computed_rating"),
        sa.Column("pep", sa.Boolean(), nullable=False),
        sa.Column("sanctions", sa.Boolean(), nullable=False),
        sa.Column("gates_open", sa.Integer(), nullable=False),
        sa.Column("missing", sa.Integer(), nullable=False),
        _text("next_review", True),
        _text("review_reasons"),
        _text("retention_until", True),
        sa.Column("on_hold", sa.Boolean(), nullable=False),
    )


def downgrade() -> None:
    for table in ("case_summaries", "deletions", "legal_holds", "mlro_records"):
        op.drop_table(table)
    with op.batch_alter_table("firm") as batch:
        batch.drop_column("fwra_approver")
