"""A shared PostgreSQL case file: each person connects as their own database role (issue 19).

The case file maps the role to the person: connected as it, `--as` cannot act as anyone else.
The grants hold without the program too: connected with psql as a fee earner's role, nobody
changes or deletes the audit trail or an answer, reads the MLRO's restricted records, approves
or decides a hit, or writes an event in someone else's name.
"""

from __future__ import annotations

import pytest

from duediligence.adapters.locations import DatabaseUrl
from tests.casefile.conftest import RECENT, Cli
from tests.conftest import query
from tests.postgres import PostgresServer

# Roles and grants are PostgreSQL's; a SQLite file has neither.
pytestmark = pytest.mark.parametrize("engine", ["postgresql"])


def _database(cli: Cli) -> str:
    """The name of the case file's database."""
    assert isinstance(cli.location, DatabaseUrl)
    return cli.location.url.split("@/", 1)[1].split("?", 1)[0]


def _as_role(cli: Cli, postgres: PostgresServer, role: str) -> Cli:
    """The same case file, connected as `role`."""
    return Cli(DatabaseUrl(postgres.url(_database(cli), role)))


def _psql(postgres: PostgresServer, cli: Cli, role: str, sql: str) -> str:
    done = postgres.psql(sql, database=_database(cli), role=role, check=False)
    assert done.returncode != 0, f"{role} was allowed: {sql}"
    return done.stderr


def test_users_add_makes_the_role_theirs_and_it_cannot_act_as_anyone_else(
    cli: Cli, postgres: PostgresServer
) -> None:
    # The fixture registered alice (a fee earner): her role exists and is hers.
    assert query(cli.location, "SELECT role, person_id FROM person_roles") == [("alice", "alice")]
    added = cli.json(
        "users", "add", "mary", "--name", "Mary", "--role", "mlro", "--trained-on", RECENT,
        "--db-role", "mary_mlro", user="bob",
    )  # fmt: skip
    assert added["db_role"] == "mary_mlro"
    alice = _as_role(cli, postgres, "alice")
    answered = alice("answer", "M-1", "pep", "no")
    assert answered.exit_code == 0, answered.output
    before = cli.audit_count()
    refused = alice("answer", "M-1", "pep", "pep", user="bob")
    assert refused.exit_code == 1
    assert (
        "you are connected as the database role alice, which is alice: you cannot act as bob"
        in refused.stderr
    )
    assert cli.audit_count() == before
    # What she may do, she does: list, and verify what is hers to see.
    assert [c["reference"] for c in alice.json("cases", "list")] == ["M-1"]
    assert alice("verify").exit_code == 0
    # A role bound to nobody acts as nobody.
    postgres.psql("CREATE ROLE stranger LOGIN")
    stranger = _as_role(cli, postgres, "stranger")
    nobody = stranger("answer", "M-1", "pep", "pep")
    assert nobody.exit_code == 1 and "the database role stranger is nobody" in nobody.stderr
    assert cli.audit_count() == before


def test_a_fee_earners_role_with_psql_cannot_rewrite_read_restricted_approve_or_impersonate(
    cli: Cli, postgres: PostgresServer
) -> None:
    assert cli("answer", "M-1", "pep", "no").exit_code == 0
    before = query(cli.location, "SELECT * FROM audit_events ORDER BY seq")
    answers = query(cli.location, "SELECT * FROM answers ORDER BY seq")

    def refused(sql: str, why: str) -> None:
        assert why in _psql(postgres, cli, "alice", sql), sql

    refused("UPDATE audit_events SET actor = 'mallory'", "permission denied for table audit_events")
    refused("DELETE FROM audit_events", "permission denied for table audit_events")
    refused("UPDATE answers SET value = '\"pep\"'", "permission denied for table answers")
    refused("DELETE FROM answers", "permission denied for table answers")
    refused("SELECT * FROM mlro_records", "permission denied for table mlro_records")
    refused("SELECT sealed FROM mlro_records", "permission denied for table mlro_records")
    refused("SELECT * FROM mlro_seal", "permission denied for table mlro_seal")
    refused(
        "INSERT INTO approvals SELECT * FROM approvals", "permission denied for table approvals"
    )
    refused(
        "INSERT INTO hit_dispositions SELECT * FROM hit_dispositions",
        "permission denied for table hit_dispositions",
    )
    # An event in bob's name, written by hand: the database refuses it.
    refused(
        "INSERT INTO audit_events SELECT seq + 1000, at, 'bob', role, os_user, action, target, "
        "case_id, payload_sha256, prev_sha256, sha256 FROM audit_events WHERE seq = 1",
        "the database role alice is alice, who cannot act as bob",
    )
    assert query(cli.location, "SELECT * FROM audit_events ORDER BY seq") == before
    assert query(cli.location, "SELECT * FROM answers ORDER BY seq") == answers
    # Which matter has restricted records, and how many, is hers to count (the listing's).
    done = postgres.psql(
        "SELECT count(*) FROM mlro_records",
        database=_database(cli),
        role="alice",
    )
    assert done.stdout.strip() == "0"
