"""Finding 8: a proportionate path. What the new-matter dialog asked (the side, name, date of
birth, nationality) is not asked again; the tool's own screening record stands for the
screening reports; a mortgage purchase asks the lender and the deposit, and only cash, gifts,
loans, company or overseas money start the full source of funds, due by the accepted offer."""

from __future__ import annotations

from datetime import date

from duediligence.compose import open_casefile
from duediligence.domain.case import Actor, PartyKind, PartyRole
from duediligence.domain.vocabulary import ClientType, FirmRole, Gate
from duediligence.services.casefile import NewCase, NewParty
from tests.agency.conftest import AgencyCli, import_lists
from tests.casefile.conftest import ME

NINA = Actor(user="nina", os_user=ME)
EA = "estate-agent-cdd"


def test_the_new_matter_details_are_not_asked_again(agency: AgencyCli) -> None:
    import_lists(agency)
    with open_casefile(agency.store) as opened:
        casefile = opened.casefile
        casefile.open_case(
            NINA,
            NewCase(
                "B-1",
                FirmRole.ESTATE_AGENT,
                "estate_agency_sale",
                ClientType.INDIVIDUAL,
                "nina",
                "buyer",
            ),
            parties=[
                NewParty(
                    role=PartyRole.CLIENT,
                    kind=PartyKind.INDIVIDUAL,
                    name="Amelia Jane Hart",
                    date_of_birth=date(1991, 5, 14),
                    nationalities=("GB",),
                )
            ],
        )
        view = casefile.view("B-1")
    answers = {key: a for (_, key), a in view.current_answers.items()}
    assert answers["customer.name"].value == "Amelia Jane Hart"
    assert answers["customer.dob"].value == date(1991, 5, 14)
    assert answers["customer.nationality"].value == "GB"
    assert {a.answered_by for a in answers.values()} == {"nina"}
    visible = view.evaluation.visible[EA]
    missing = {m.question_id for m in view.evaluation.missing}
    assert "role" not in visible  # the side is the matter's
    # Screened by the tool against the imported lists: no provider's reports asked for.
    assert "pep.screening_evidence" not in visible and "sanctions.evidence" not in visible
    assert not {"customer.name", "customer.dob", "customer.nationality", "role"} & missing


def test_a_mortgage_purchase_takes_the_short_path_and_cash_the_full_one(agency: AgencyCli) -> None:
    import_lists(agency)
    with open_casefile(agency.store) as opened:
        casefile = opened.casefile
        for reference in ("B-1", "B-2"):
            casefile.open_case(
                NINA,
                NewCase(
                    reference,
                    FirmRole.ESTATE_AGENT,
                    "estate_agency_sale",
                    ClientType.INDIVIDUAL,
                    "nina",
                    "buyer",
                ),
            )
        casefile.answer(NINA, "B-1", "funding.sources", "mortgage,savings")
        mortgage = casefile.view("B-1")
        casefile.answer(NINA, "B-2", "funding.sources", "cash,gift,overseas_funds")
        cash = casefile.view("B-2")
    assert mortgage.evaluation.spawns == ()
    assert {"funding.lender", "funding.deposit_source"} <= set(mortgage.evaluation.visible[EA])
    assert [r.checklist_id for r in mortgage.records.runs] == [EA]
    (spawn,) = cash.evaluation.spawns
    assert spawn.checklist_id == "source-of-funds" and spawn.gate is Gate.G1
    assert "funding.lender" not in cash.evaluation.visible[EA]
