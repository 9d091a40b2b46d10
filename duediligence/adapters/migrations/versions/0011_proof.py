"""Proof that survives an insider (issue 16): the checklist text each answer was given against,
the firm's signing certificate, signed checkpoints of the chain, sealed MLRO records, and the
audit files the case file issued (their SHA-256).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07

Answers given before this revision record no checklist hash (NULL) and their payload hashes
leave it out, so the chain verifies. Restricted records written before it keep their plain text
until the MLRO next unlocks them, which seals them (`services.proof`); `text` becomes nullable
for that.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _text(name: str, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.Text(), nullable=nullable)


def _seq() -> sa.Column[int]:
    return sa.Column("seq", sa.Integer(), nullable=False)


def upgrade() -> None:
    op.add_column("answers", _text("checklist_sha256", True))
    # Nothing refers to mlro_records, so the batch's copy-and-drop trips no foreign key; the
    # store's connections overwrite freed pages (secure_delete), so no plain text stays behind.
    with op.batch_alter_table("mlro_records") as batch:
        batch.alter_column("text", existing_type=sa.Text(), nullable=True)
        batch.add_column(_text("sealed", True))
        batch.add_column(_text("wrapped_key", True))
    op.create_table(
        "checklist_texts",
        sa.Column("id", sa.String(64), primary_key=True),
        _text("checklist_id"),
        _text("version"),
        _text("path"),
        _text("text"),
        # Not chained: the id is the text's own hash, and the chained runs and answers name it.
        _text("stored_at"),
    )
    op.create_table(
        "certificates",
        sa.Column("id", sa.String(64), primary_key=True),
        _text("pem"),
        _text("subject"),
        _text("not_after"),
        _text("added_at"),
        _text("added_by"),
        _seq(),
    )
    op.create_table(
        "checkpoints",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("sequence", sa.Integer(), nullable=False),
        _text("head_sha256"),
        _text("at"),
        _text("counts"),
        _text("reason"),
        _text("certificate_sha256"),
        _text("signature"),
        _seq(),
    )
    op.create_table(
        "mlro_seal",
        sa.Column("id", sa.String(8), primary_key=True),
        _text("salt"),
        sa.Column("n", sa.Integer(), nullable=False),
        _text("check"),
        _text("set_at"),
        _text("set_by"),
        _seq(),
    )
    op.create_table(
        "issued_files",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id"), nullable=False, index=True),
        _text("sha256"),
        sa.Column("pages", sa.Integer(), nullable=False),
        _text("chain_head"),
        _text("certificate_sha256", True),
        _text("issued_at"),
        _text("issued_by"),
        _seq(),
    )


def downgrade() -> None:
    for table in ("issued_files", "mlro_seal", "checkpoints", "certificates", "checklist_texts"):
        op.drop_table(table)
    with op.batch_alter_table("mlro_records") as batch:
        batch.drop_column("wrapped_key")
        batch.drop_column("sealed")
    op.drop_column("answers", "checklist_sha256")
