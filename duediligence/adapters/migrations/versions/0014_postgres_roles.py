"""PostgreSQL only: each person's database role, and grants that hold even outside the program.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07

On a shared PostgreSQL case file (issue 19) everyone connects as their own database role.
`person_roles` maps a role to the person it is (written by `duediligence users add`); a trigger
on `audit_events` refuses an event whose actor is not the person of the connecting role, so
nobody acts as someone else, through the program or with psql. Three group roles carry the
grants, given to each person's role by their roles in the firm:

- `duediligence_staff` (everyone): reads the case file except the MLRO's restricted records
  (of those only which matter has how many), adds records; never UPDATE or DELETE on the audit
  trail or on answers (an answer is changed by a new version), no approval, no hit decision;
- `duediligence_approver` (supervisors, senior managers, the MLRO): adds approvals and hit
  decisions (which of them may decide which hit stays the program's rule);
- `duediligence_mlro`: the restricted records, overrides and referral closures.

Nobody but the schema's owner (the administrator who migrates) deletes: the retention purge
runs as the owner. The group roles belong to the server, so they are made only when missing.
SQLite has no roles: nothing changes there.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

GROUPS = ("duediligence_staff", "duediligence_approver", "duediligence_mlro")
RESTRICTED = ("mlro_records", "mlro_seal")
APPEND_ONLY = ("audit_events", "answers")
MLRO_ADDS = ("rating_overrides", "referral_closures")
APPROVER_ADDS = ("approvals", "hit_dispositions")
OWN = ("alembic_version", "person_roles")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.create_table(
        "person_roles",
        sa.Column("role", sa.Text(), primary_key=True),
        sa.Column("person_id", sa.Text(), nullable=False, index=True),
    )
    for group in GROUPS:
        op.execute(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{group}') "
            f"THEN CREATE ROLE {group} NOLOGIN; END IF; END $$"
        )
    tables = sorted(set(sa.inspect(op.get_bind()).get_table_names()) - set(OWN))
    staff, approver, mlro = GROUPS
    for table in tables:
        if table in RESTRICTED:
            op.execute(f"GRANT SELECT, INSERT, UPDATE ON {table} TO {mlro}")
            continue
        op.execute(f"GRANT SELECT ON {table} TO {staff}")
        if table in APPROVER_ADDS:
            op.execute(f"GRANT INSERT ON {table} TO {approver}, {mlro}")
        elif table in MLRO_ADDS:
            op.execute(f"GRANT INSERT ON {table} TO {mlro}")
        else:
            op.execute(f"GRANT INSERT ON {table} TO {staff}")
        if table not in APPEND_ONLY + APPROVER_ADDS + MLRO_ADDS:
            op.execute(f"GRANT UPDATE ON {table} TO {staff}")
    # Which matters have restricted records, and how many: the listing shows a count, never
    # what they say.
    op.execute(f"GRANT SELECT (id, case_id, seq) ON mlro_records TO {staff}")
    op.execute(f"GRANT SELECT ON person_roles, alembic_version TO {staff}")
    op.execute(
        """
        CREATE FUNCTION duediligence_actor_is_the_role() RETURNS trigger
        LANGUAGE plpgsql AS $$
        DECLARE
            bound text;
        BEGIN
            SELECT person_id INTO bound FROM person_roles WHERE role = session_user;
            IF bound IS NULL THEN
                -- The administrator (the schema's owner, or a superuser) is nobody's role.
                IF session_user = (SELECT tableowner FROM pg_tables
                                   WHERE schemaname = TG_TABLE_SCHEMA
                                     AND tablename = TG_TABLE_NAME)
                   OR (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) THEN
                    RETURN NEW;
                END IF;
                RAISE EXCEPTION 'the database role % is nobody in the case file', session_user
                    USING ERRCODE = 'insufficient_privilege';
            END IF;
            IF NEW.actor IS DISTINCT FROM bound THEN
                RAISE EXCEPTION 'the database role % is %, who cannot act as %',
                    session_user, bound, NEW.actor USING ERRCODE = 'insufficient_privilege';
            END IF;
            RETURN NEW;
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER duediligence_actor BEFORE INSERT ON audit_events "
        "FOR EACH ROW EXECUTE FUNCTION duediligence_actor_is_the_role()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER duediligence_actor ON audit_events")
    op.execute("DROP FUNCTION duediligence_actor_is_the_role()")
    tables = sorted(set(sa.inspect(op.get_bind()).get_table_names()) - {"alembic_version"})
    for table in tables:
        op.execute(f"REVOKE ALL ON {table} FROM {', '.join(GROUPS)}")
    op.drop_table("person_roles")
