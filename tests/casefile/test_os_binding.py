"""People bound to computer accounts: only those accounts may act as them (CLI and TUI alike),
only the MLRO or a senior manager may bind or register people, and people registered before
the binding existed keep their audit hashes."""

from __future__ import annotations

from pathlib import Path

import pytest

from duediligence.domain.case import Actor, NotAllowed, Person, RestrictedKind
from duediligence.domain.vocabulary import Role
from duediligence.services.casefile import CaseFile
from duediligence.services.verify import verify
from tests.casefile.conftest import ALICE, BOB, MARY, SEAL, Cli
from tests.conftest import query


def test_a_bound_mlro_is_only_the_mlro_from_their_own_account(
    casefile: CaseFile, case_ref: str
) -> None:
    bound = casefile.bind_os_users(BOB, "mary", ("mwilson", "mwilson-laptop"))
    assert bound.os_users == ("mwilson", "mwilson-laptop")
    # The fixture's actors act from the account "tester": not one of Mary's.
    with pytest.raises(NotAllowed, match="mary may act only from the computer account"):
        casefile.restricted(MARY, case_ref, SEAL)
    from_her_account = Actor(user="mary", os_user="mwilson")
    casefile.add_restricted(from_her_account, case_ref, RestrictedKind.DELIBERATION, "noted", SEAL)
    assert len(casefile.restricted(from_her_account, case_ref, SEAL)) == 1
    casefile.bind_os_users(BOB, "mary", ())  # unbound: any account, so not as the MLRO
    with pytest.raises(NotAllowed, match="mary must be bound to a computer account"):
        casefile.restricted(MARY, case_ref, SEAL)
    casefile.bind_os_users(BOB, "mary", ("tester",))
    assert len(casefile.restricted(MARY, case_ref, SEAL)) == 1


def test_only_the_mlro_or_a_senior_manager_registers_or_binds_people(
    casefile: CaseFile,
) -> None:
    eve = Person(id="eve", name="Eve", roles=(Role.MLRO,))
    with pytest.raises(NotAllowed, match="cannot register people"):
        casefile.add_person(ALICE, eve)
    with pytest.raises(NotAllowed, match="cannot bind people"):
        casefile.bind_os_users(ALICE, "mary", ("alice",))
    casefile.add_person(MARY, eve)
    assert {p.id for p in casefile.people()} >= {"eve"}


def test_binding_keeps_the_chain_and_old_records_verify(
    casefile: CaseFile, store_path: Path
) -> None:
    before = {p.id: p.payload_sha256() for p in casefile.people()}
    # Set-up binds the first user (bob); the fixture registers the MLRO (mary) bound; everyone
    # else is unbound until bound.
    assert all(("os_users" in p.payload()) == (p.id in {"bob", "mary"}) for p in casefile.people())
    casefile.bind_os_users(BOB, "alice", ("afee",))
    report = verify(casefile.store, casefile.blobs)
    assert report.ok, report.problems
    after = {p.id: p.payload_sha256() for p in casefile.people()}
    assert {k: v for k, v in after.items() if k != "alice"} == {
        k: v for k, v in before.items() if k != "alice"
    }
    query(store_path, "UPDATE people SET os_users = '[\"tester\"]' WHERE id = 'alice'")
    problems = verify(casefile.store, casefile.blobs).problems
    assert [p.where for p in problems] == ["person alice"]


def test_users_bind_from_the_command_line(cli: Cli) -> None:
    bound = cli.json("users", "bind", "alice", "--os-user", "afee", user="bob")
    assert bound["os_users"] == ["afee"]
    refused = cli("answer", "M-1", "pep", "no", user="alice")
    assert refused.exit_code == 1
    assert "alice may act only from the computer account(s) afee" in refused.output
    listed = cli("users", "list", user="bob")
    assert "acts from afee" in listed.output
    assert cli("users", "bind", "alice", "--os-user", "x", user="alice").exit_code == 1
