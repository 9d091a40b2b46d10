"""Finding 9: the firm's kind is set once at set-up and decides which matters exist.

An HMRC agency opens sales (seller or buyer) only: a solicitor matter inside it is refused, with
the reason, and nothing is stored. A law firm opens no estate-agency sale; a firm doing both
opens either; a firm set up before the kind was asked keeps every kind it had.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from duediligence.adapters.blobs import BlobDirectory
from duediligence.adapters.checklists_toml import load_library
from duediligence.adapters.store import SqlStore
from duediligence.compose import open_casefile
from duediligence.domain.case import Actor, Person, Supervisor
from duediligence.domain.controls import matter_kind_refusal
from duediligence.domain.vocabulary import ClientType, FirmKind, FirmRole, Role
from duediligence.services.casefile import CaseFile, NewCase
from tests.agency.conftest import AgencyCli, open_sale
from tests.casefile.conftest import RECENT, Cli, FixedClock


def _firm_kind(store: Path) -> FirmKind | None:
    with open_casefile(store) as opened:
        firm = opened.casefile.firm()
    assert firm is not None
    return firm.kind


def test_an_hmrc_agency_is_an_estate_agency_and_refuses_a_solicitor_matter(
    agency: AgencyCli,
) -> None:
    assert _firm_kind(agency.store) is FirmKind.ESTATE_AGENCY
    before = agency.audit_count()
    refused = agency(
        "cases", "new", "M-1", "--kind", "solicitor", "--matter-type", "residential_purchase",
        "--client-type", "individual", "--acting-for", "buyer", "--responsible", "nina",
    )  # fmt: skip
    assert refused.exit_code == 1
    assert (
        "M-1 cannot open: Marsh & Field Estate Agents was set up as estate agency: it opens "
        "estate-agency sales (seller or buyer), not solicitor matters"
    ) in refused.output
    assert agency.audit_count() == before
    assert agency.json("cases", "list") == []
    open_sale(agency, "S-1", "seller")
    assert [c["reference"] for c in agency.json("cases", "list")] == ["S-1"]


def test_an_agency_sale_is_always_an_estate_agency_sale(agency: AgencyCli) -> None:
    before = agency.audit_count()
    refused = agency(
        "cases", "new", "S-2", "--kind", "estate_agent", "--matter-type", "residential_purchase",
        "--client-type", "individual", "--acting-for", "buyer", "--responsible", "nina",
    )  # fmt: skip
    assert refused.exit_code == 1
    assert "an estate agent's matter is a sale (matter type estate_agency_sale)" in refused.output
    assert agency.audit_count() == before


def test_a_law_firm_opens_no_sale_and_a_firm_doing_both_opens_either(tmp_path: Path) -> None:
    law = Cli(tmp_path / "law" / "case.sqlite3")
    made = law(
        "init", "--firm", "Hartley & Shaw LLP", "--supervisor", "sra", "--fwra-version", "1",
        "--fwra-date", RECENT, "--user", "sol", "--name", "Sol Partner", "--role",
        "senior_manager", "--role", "fee_earner", "--trained-on", RECENT, user=None,
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    assert _firm_kind(law.store) is FirmKind.LAW_FIRM
    refused = law(
        "cases", "new", "S-1", "--kind", "estate_agent", "--matter-type", "estate_agency_sale",
        "--client-type", "individual", "--acting-for", "seller", "--responsible", "sol",
        user="sol", checklists=False,
    )  # fmt: skip
    assert refused.exit_code == 1
    assert "was set up as law firm (solicitors): it opens solicitor matters" in refused.output

    both = Cli(tmp_path / "both" / "case.sqlite3")
    made = both(
        "init", "--firm", "Shaw Homes & Law", "--supervisor", "hmrc", "--kind", "both",
        "--fwra-version", "1", "--fwra-date", RECENT, "--user", "sol", "--name", "Sol Partner",
        "--role", "senior_manager", "--role", "fee_earner", "--trained-on", RECENT, user=None,
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    assert _firm_kind(both.store) is FirmKind.BOTH
    for args in (
        ("S-1", "--kind", "estate_agent", "--matter-type", "estate_agency_sale"),
        ("M-1", "--kind", "solicitor", "--matter-type", "residential_purchase"),
    ):
        opened = both(
            "cases", "new", *args, "--client-type", "individual", "--acting-for", "seller",
            "--responsible", "sol", user="sol", checklists=False,
        )  # fmt: skip
        assert opened.exit_code == 0, opened.output


def test_a_firm_set_up_before_the_kind_was_asked_keeps_every_kind(tmp_path: Path) -> None:
    """The profile's payload hash is unchanged while the kind is unset (old chains verify)."""
    store = SqlStore(tmp_path / "old.sqlite3")
    try:
        casefile = CaseFile(store, BlobDirectory(tmp_path / "ev"), load_library(), FixedClock())
        firm = casefile.init_firm(
            firm_name="Old Firm",
            supervisor=Supervisor.SRA,
            fwra_version="1",
            fwra_date=date(2026, 1, 5),
            first_user=Person(
                id="sol",
                name="Sol",
                roles=(Role.SENIOR_MANAGER, Role.FEE_EARNER),
                trained_on=date(2026, 1, 5),
            ),
            os_user="tester",
        )
        assert firm.kind is None and "kind" not in firm.payload()
        assert firm.firm_kind is FirmKind.BOTH
        actor = Actor(user="sol", os_user="tester")
        for reference, role, matter in (
            ("S-1", FirmRole.ESTATE_AGENT, "estate_agency_sale"),
            ("M-1", FirmRole.SOLICITOR, "residential_sale"),
        ):
            casefile.open_case(
                actor,
                NewCase(reference, role, matter, ClientType.INDIVIDUAL, "sol", "seller"),
            )
        agency = firm.model_copy(update={"kind": FirmKind.ESTATE_AGENCY})
        refusal = matter_kind_refusal(agency, FirmRole.SOLICITOR, "residential_sale")
        assert refusal is not None and refusal.endswith("not solicitor matters")
    finally:
        store.close()


def test_words_follow_the_firm_kind() -> None:
    assert FirmKind.ESTATE_AGENCY.role_label(Role.FEE_EARNER) == "Negotiator"
    assert FirmKind.ESTATE_AGENCY.role_label(Role.SUPERVISOR) == "Branch manager"
    assert FirmKind.LAW_FIRM.role_label(Role.FEE_EARNER) == "Fee earner"
    assert FirmKind.BOTH.role_label(Role.FEE_EARNER) == "Fee earner / negotiator"
