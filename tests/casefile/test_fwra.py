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
    """A firm set up by its MLRO before set-up required the FWRA's approver (an older case
    file): the FWRA has no senior-management approver yet. Written as `init_firm` used to."""
    from duediligence.domain.case import Actor, FirmProfile

    service = CaseFile(store, blobs, library, FixedClock())
    mary = Person(
        id="mary",
        name="Mary",
        roles=(Role.MLRO,),
        trained_on=date(2026, 1, 10),
        os_users=("tester",),
    )
    firm = FirmProfile(
        name="Smith & Co", supervisor=Supervisor.SRA, fwra_version="2026.1",
        fwra_date=date(2026, 1, 5),
    )  # fmt: skip
    who = Actor(user="mary", os_user="tester")
    with store.transaction() as tx:
        tx.add(firm, actor=who, role="mlro", action="firm.init")
        tx.add(mary, actor=who, role="mlro", action="person.add")
    service.add_person(
        actor("mary"),
        Person(id="alice", name="Alice", roles=(Role.FEE_EARNER,), trained_on=date(2026, 1, 2)),
    )
    service.add_person(
        actor("mary"),
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


def test_set_up_by_someone_who_is_not_a_senior_manager_needs_the_fwras_approver(
    store: SqlStore, blobs: BlobDirectory, library: ChecklistLibrary, store_path: Path
) -> None:
    """A negotiator setting up an estate agency: before, set-up finished and nothing could ever
    open (nobody could register the senior manager). Now it refuses, or registers the approver."""
    service = CaseFile(store, blobs, library, FixedClock())
    nina = Person(id="nina", name="Nina Neg", roles=(Role.FEE_EARNER,), trained_on=date(2026, 1, 2))
    settings = {
        "firm_name": "Homes Ltd", "supervisor": Supervisor.HMRC, "fwra_version": "1",
        "fwra_date": date(2026, 1, 5), "first_user": nina, "os_user": "nina-pc",
    }  # fmt: skip
    with pytest.raises(InvalidInput, match="set-up needs the senior manager who approved"):
        service.init_firm(**settings)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="'sol' is not registered yet; give their full name"):
        service.init_firm(**settings, fwra_approver="sol")  # type: ignore[arg-type]
    clerk = Person(id="sol", name="Sol", roles=(Role.SUPERVISOR,))
    with pytest.raises(NotAllowed, match="sol cannot approve the firm-wide risk assessment"):
        service.init_firm(**settings, approver=clerk)  # type: ignore[arg-type]
    assert service.firm() is None
    assert audit_count(store_path) == 0
    owner = Person(id="sol", name="Sol Owner", roles=(Role.SENIOR_MANAGER,))
    firm = service.init_firm(**settings, approver=owner)  # type: ignore[arg-type]
    assert firm.fwra_approver == "sol"
    people = {p.id: p for p in service.people()}
    assert set(people) == {"nina", "sol"}
    # The first user is bound to the account that created the store; the approver is not (yet).
    assert people["nina"].os_users == ("nina-pc",)
    assert people["sol"].os_users == ()
    # And the firm can work: the negotiator opens a matter at once.
    from duediligence.domain.case import Actor

    opened = service.open_case(
        Actor(user="nina", os_user="nina-pc"),
        NewCase(
            reference="S-1",
            firm_role=FirmRole.ESTATE_AGENT,
            matter_type="estate_agency_sale",
            client_type=ClientType.INDIVIDUAL,
            responsible="nina",
            acting_for="seller",
        ),
    )
    assert opened.case.reference == "S-1"
    with pytest.raises(NotAllowed, match="nina may act only from the computer account"):
        service.open_case(Actor(user="nina", os_user="someone-else"), NEW)


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
