"""Screening: imported list snapshots, party screenings with their hits, hit dispositions.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28

A snapshot row holds the metadata; the original file and the parsed entries live in the lists
blob directory under their SHA-256. Hits are JSON text inside the screening row (each hit carries
the engine's explanation), so one audit event covers one screening.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _text(name: str, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.Text(), nullable=nullable)


def _seq() -> sa.Column[int]:
    return sa.Column("seq", sa.Integer(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "list_snapshots",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("source", sa.String(32), nullable=False, index=True),
        _text("list_kind"),
        _text("published", True),
        sa.Column("sha256", sa.String(64), nullable=False),
        _text("files"),
        _text("file_blobs"),
        sa.Column("entries_blob", sa.String(64), nullable=False),
        _text("counts"),
        _text("imported_at"),
        _text("imported_by"),
        _seq(),
        # The same file imported twice is one snapshot.
        sa.UniqueConstraint("source", "sha256"),
    )
    op.create_table(
        "screenings",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id"), nullable=False, index=True),
        sa.Column("party_id", sa.String(32), sa.ForeignKey("parties.id"), nullable=False),
        _text("query"),
        _text("snapshot_ids"),
        _text("list_kinds"),
        _text("algorithm_version"),
        _text("hits"),
        _text("reason"),
        _text("screened_at"),
        _text("screened_by"),
        _seq(),
    )
    op.create_table(
        "hit_dispositions",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id"), nullable=False, index=True),
        sa.Column("party_id", sa.String(32), sa.ForeignKey("parties.id"), nullable=False),
        sa.Column("screening_id", sa.String(32), sa.ForeignKey("screenings.id"), nullable=False),
        sa.Column("hit_id", sa.String(32), nullable=False),
        _text("key"),
        _text("entry_sha256"),
        _text("outcome"),
        _text("reason"),
        _text("note"),
        _text("decided_at"),
        _text("decided_by"),
        _seq(),
    )


def downgrade() -> None:
    op.drop_table("hit_dispositions")
    op.drop_table("screenings")
    op.drop_table("list_snapshots")
