"""The case file: firm, people, cases, parties, runs, answers, events, evidence, approvals, audit.

Revision ID: 0001
Revises:
Create Date: 2026-11-28

Timestamps are UTC ISO-8601 text (microseconds) and lists are JSON text, so the values hashed into
the audit trail read back byte for byte on every engine. Every record row carries `seq`, the audit
event that created it, so a case can be rebuilt as it stood at any point of the chain.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _text(name: str, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.Text(), nullable=nullable)


def _seq() -> sa.Column[int]:
    return sa.Column("seq", sa.Integer(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "firm",
        sa.Column("id", sa.String(16), primary_key=True),
        _text("name"),
        _text("supervisor"),
        _text("supervisor_registration", True),
        _text("fwra_version"),
        _text("fwra_date"),
        sa.Column("training_months", sa.Integer(), nullable=False),
        _seq(),
    )
    op.create_table(
        "people",
        sa.Column("id", sa.String(64), primary_key=True),
        _text("name"),
        _text("roles"),
        _text("trained_on", True),
        _seq(),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("reference", sa.String(100), nullable=False, unique=True),
        _text("firm_role"),
        _text("matter_type"),
        _text("acting_for", True),
        _text("client_type"),
        sa.Column("responsible", sa.String(64), sa.ForeignKey("people.id"), nullable=False),
        _text("status"),
        _text("opened_at"),
        _text("opened_by"),
        sa.Column("version", sa.Integer(), nullable=False, server_default="0"),
        _seq(),
    )
    op.create_table(
        "parties",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id"), nullable=False, index=True),
        sa.Column("label", sa.String(16), nullable=False),
        _text("role"),
        _text("kind"),
        _text("name"),
        _text("other_names"),
        _text("date_of_birth", True),
        _text("nationalities"),
        _text("addresses"),
        _text("registration_number", True),
        _text("added_at"),
        _text("added_by"),
        _seq(),
        sa.UniqueConstraint("case_id", "label"),
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id"), nullable=False, index=True),
        sa.Column("key", sa.String(200), nullable=False),
        _text("checklist_id"),
        _text("checklist_version"),
        _text("content_sha256"),
        _text("subject"),
        _text("started_at"),
        _seq(),
        sa.UniqueConstraint("case_id", "key"),
    )
    op.create_table(
        "answers",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id"), nullable=False, index=True),
        sa.Column("run_id", sa.String(32), sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("question_key", sa.String(200), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        _text("value"),
        _text("answered_by"),
        _text("answered_at"),
        sa.Column("previous_id", sa.String(32), sa.ForeignKey("answers.id"), nullable=True),
        _seq(),
        # Two writers that both saw version n cannot both write n + 1: the loser gets a conflict.
        sa.UniqueConstraint("run_id", "question_key", "number"),
    )
    op.create_table(
        "matter_events",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id"), nullable=False, index=True),
        _text("event"),
        _text("at"),
        _text("recorded_at"),
        _text("recorded_by"),
        _seq(),
    )
    op.create_table(
        "evidence",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id"), nullable=False, index=True),
        sa.Column("sha256", sa.String(64), nullable=False, index=True),
        sa.Column("size", sa.BigInteger(), nullable=False),
        _text("original_name"),
        _text("media_type"),
        _text("document_type"),
        _text("issuer", True),
        _text("document_date", True),
        _text("expiry", True),
        _text("received_at"),
        _text("verified_at", True),
        _text("verified_by", True),
        _text("method", True),
        _text("note", True),
        sa.Column("run_id", sa.String(32), sa.ForeignKey("runs.id"), nullable=True),
        _text("question_key", True),
        sa.Column("party_id", sa.String(32), sa.ForeignKey("parties.id"), nullable=True),
        _text("added_at"),
        _text("added_by"),
        _seq(),
    )
    op.create_table(
        "approvals",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id"), nullable=False, index=True),
        _text("approver"),
        _text("role"),
        _text("decision"),
        _text("conditions", True),
        _text("given_at"),
        sa.Column("state_sha256", sa.String(64), nullable=False),
        _seq(),
    )
    op.create_table(
        "audit_events",
        # Explicit, gap-free sequence: two writers racing for the same number collide on the key.
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=False),
        _text("at"),
        _text("actor"),
        _text("role"),
        _text("os_user"),
        _text("action"),
        sa.Column("target", sa.String(100), nullable=False, index=True),
        # No foreign key: the chain outlives records deleted at the end of retention.
        sa.Column("case_id", sa.String(32), nullable=True, index=True),
        sa.Column("payload_sha256", sa.String(64), nullable=False),
        sa.Column("prev_sha256", sa.String(64), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "audit_events",
        "approvals",
        "evidence",
        "matter_events",
        "answers",
        "runs",
        "parties",
        "cases",
        "people",
        "firm",
    ):
        op.drop_table(table)
