"""The firm-wide risk assessment on the firm profile (version, date, approver) and the rule that
no matter opens without a current, approved one (regulation.md D.1 item 3, REQ-A1)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from duediligence.adapters.blobs import BlobDirectory
from duediligence.adapters.store import SqlStore
from duediligence.domain.case import InvalidInput, NotAllowed, NotFound, Person, Supervisor
from duediligence.domain.library import ChecklistLibrary
from duediligence.domain.monitoring import CasePolicy
from duediligence.domain.vocabulary import ClientType, FirmRole, Role
from duediligence.services.casefile import CaseFile, NewCase
from tests.casefile.conftest import ALICE, BOB, RECENT, Cli, FixedClock, actor, audit_count

NEW = NewCase(
    reference="M-9",
    firm_role=FirmRole.SOLICITOR,
    matter_type="residential_purchase",
    client_type=ClientType.INDIVIDUAL,
    responsible="alice",
    acting_for="buyer",
)


def _firm(service: CaseFile, first: Person) -> None:
    service.init_firm(
        firm_name="Smith & Co",
        supervisor=Supervisor.SRA,
        fwra_version="2026.1",
        fwra_date=date(2026, 1, 5),
        first_user=first,
        os_user="tester",
    )


@pytest.fixture
def unapproved(store: SqlStore, blobs: BlobDirectory, library: ChecklistLibrary) -> CaseFile:
    """A firm set up by its MLRO: the FWRA has no senior-management approver yet."""
    service = CaseFile(store, blobs, library, FixedClock())
    _firm(
        service,
        Person(id="mary", name="Mary", roles=(Role.MLRO,), trained_on=date(2026, 1, 10)),
    )
    mary = actor("mary")
    service.add_person(
        mary,
        Person(id="alice", name="Alice", roles=(Role.FEE_EARNER,), trained_on=date(2026, 1, 2)),
    )
    service.add_person(
        mary,
        Person(id="bob", name="Bob", roles=(Role.SENIOR_MANAGER,), trained_on=date(2026, 1, 2)),
    )
    return service


def test_no_matter_opens_without_an_approved_fwra(unapproved: CaseFile, store_path: Path) -> None:
    assert unapproved.firm() is not None and unapproved.firm().fwra_approver is None  # type: ignore[union-attr]
    before = audit_count(store_path)
    with pytest.raises(NotAllowed, match=re.escape("no matter can open: the firm-wide risk assessment 2026.1 has no recorded senior-management approver; record the current one with `duediligence firm fwra")):  # fmt: skip
        unapproved.open_case(ALICE, NEW)
    assert audit_count(store_path) == before
    with pytest.raises(NotAllowed, match="alice cannot approve the firm-wide risk assessment"):
        unapproved.record_fwra(BOB, "2026.2", date(2026, 2, 1), "alice")
    with pytest.raises(NotFound, match="no person 'zed'"):
        unapproved.record_fwra(BOB, "2026.2", date(2026, 2, 1), "zed")
    with pytest.raises(InvalidInput, match="in the future"):
        unapproved.record_fwra(BOB, "2026.2", date(2027, 1, 1), "bob")
    assert audit_count(store_path) == before
    profile = unapproved.record_fwra(BOB, "2026.2", date(2026, 2, 1), "bob")
    assert (profile.fwra_version, profile.fwra_date, profile.fwra_approver) == (
        "2026.2",
        date(2026, 2, 1),
        "bob",
    )
    assert unapproved.open_case(ALICE, NEW).case.reference == "M-9"


def test_an_outdated_fwra_stops_new_matters(
    casefile: CaseFile, store: SqlStore, blobs: BlobDirectory
) -> None:
    a_year_on = CaseFile(
        store, blobs, casefile.library, FixedClock(datetime(2027, 1, 6, tzinfo=UTC))
    )
    casefile.record_training(BOB, "alice", date(2026, 3, 1))
    with pytest.raises(
        NotAllowed, match=re.escape("2026.1 of 2026-01-05 is more than 12 months old")
    ):
        a_year_on.open_case(ALICE, NEW)
    stricter = CaseFile(
        store, blobs, casefile.library, FixedClock(), CasePolicy(fwra_valid_months=1)
    )
    with pytest.raises(NotAllowed, match="more than 1 months old"):
        stricter.open_case(ALICE, NEW)
    assert casefile.open_case(ALICE, NEW).case.reference == "M-9"


def test_the_fwra_approver_at_init_must_be_a_senior_manager(
    store: SqlStore, blobs: BlobDirectory, library: ChecklistLibrary
) -> None:
    service = CaseFile(store, blobs, library, FixedClock())
    mary = Person(id="mary", name="Mary", roles=(Role.MLRO,), trained_on=date(2026, 1, 10))
    with pytest.raises(NotAllowed, match="mary cannot approve the firm-wide risk assessment"):
        service.init_firm(
            firm_name="X",
            supervisor=Supervisor.HMRC,
            fwra_version="1",
            fwra_date=date(2026, 1, 5),
            first_user=mary,
            os_user="tester",
            fwra_approver="mary",
        )
    assert service.firm() is None


def test_old_firm_profiles_keep_their_hash() -> None:
    from duediligence.domain.case import FirmProfile

    profile = FirmProfile(
        name="X", supervisor=Supervisor.SRA, fwra_version="1", fwra_date=date(2026, 1, 1)
    )
    assert "fwra_approver" not in profile.payload()
    approved = profile.model_copy(update={"fwra_approver": "bob"})
    assert approved.payload()["fwra_approver"] == "bob"


def test_fwra_on_the_command_line(cli: Cli) -> None:
    shown = cli.json("firm", "fwra", "2026.9", "--date", RECENT, "--approver", "bob", user="bob")
    assert (shown["fwra_version"], shown["fwra_approver"]) == ("2026.9", "bob")
    refused = cli("firm", "fwra", "2026.10", "--date", RECENT, "--approver", "alice")
    assert refused.exit_code == 1
    assert "alice cannot approve the firm-wide risk assessment" in refused.stderr
    assert "Traceback" not in refused.output
    assert cli("firm", "fwra", "v", "--date", "yesterday", "--approver", "bob").exit_code == 2
