"""The example matter a newcomer is offered (EX-0001) tells its story and can be rated.

A non-UK PEP stands behind the Cyprus company that is the client, and a gift from his sister pays
part of the price. The company has the solicitor's CDD and risk assessment as well as the
beneficial-ownership record: the rating question is there (F7 in the TUI), High is the least it
allows, and once the fee earner rates it the rating stands.
"""

from __future__ import annotations

from datetime import date

from duediligence.adapters.blobs import BlobDirectory
from duediligence.adapters.checklists_toml import load_library
from duediligence.adapters.store import SqlStore
from duediligence.domain.case import Actor, Person, Supervisor
from duediligence.domain.vocabulary import Rating, Role
from duediligence.services.casefile import CaseFile
from duediligence.services.example import EXAMPLE_PEOPLE, load_example
from tests.casefile.conftest import FixedClock

ALEX = Actor(user="alex", os_user="tester")
CDD = "solicitor-cdd"
RATIONALE = (
    "The client company is a personal asset-holding vehicle with a nominee director; its sole "
    "beneficial owner is a serving deputy minister of Moldova, a non-domestic PEP, and part of the "
    "price is a gift from his sister in Austria. EDD is mandatory: source of wealth and funds are "
    "evidenced independently and senior management approves before we act."
)


def example(store: SqlStore, blobs: BlobDirectory) -> tuple[CaseFile, str]:
    casefile = CaseFile(store, blobs, load_library(), FixedClock())
    casefile.init_firm(
        firm_name="Hartley & Shaw LLP",
        supervisor=Supervisor.SRA,
        fwra_version="3.1",
        fwra_date=date(2026, 1, 5),
        first_user=Person(
            id="alex",
            name="Alex Smith",
            roles=(Role.MLRO, Role.SENIOR_MANAGER),
            trained_on=date(2025, 11, 1),
        ),
        os_user="tester",
    )
    for person in EXAMPLE_PEOPLE:
        casefile.add_person(
            ALEX,
            person.model_copy(update={"trained_on": date(2025, 11, 1), "os_users": ("tester",)}),
        )
    return casefile, load_example(casefile, ALEX, "pshah")


def test_the_example_company_has_its_cdd_and_the_pep_story(
    store: SqlStore, blobs: BlobDirectory
) -> None:
    casefile, ref = example(store, blobs)
    view = casefile.view(ref)
    runs = [r.key for r in view.records.runs]
    assert runs[:2] == ["beneficial-ownership", CDD]
    assert {"pep-edd@p2", "source-of-wealth@p2", "source-of-funds"} <= set(runs)
    e = view.evaluation
    assert "risk.rating" in e.visible[CDD] and "risk.rationale" in e.visible[CDD]
    assert "ident.full_name" not in e.visible[CDD]  # a company is not a person
    assert e.minimum_rating is Rating.HIGH
    assert {t.cause.checklist_id for t in e.triggers} == {"beneficial-ownership", "pep-edd"}
    assert any(c.reason.startswith("Funds from a third party") for c in e.contributions)
    assert not e.gates[0].open
    missing = {m.question_id for m in e.missing if m.run_id == CDD}
    assert {"risk.rating", "risk.rationale", "decision.outcome"} <= missing


def test_the_example_can_be_rated_and_its_cdd_completed(
    store: SqlStore, blobs: BlobDirectory
) -> None:
    casefile, ref = example(store, blobs)
    for key, value in {
        "risk.rating": "high",
        "risk.rationale": RATIONALE,
        "risk.cdd_level": "enhanced",
        "risk.mitigation": "Funds only from the company's Cyprus account and the sister's "
        "Austrian account, each checked against the declared tranches before exchange.",
        "risk.monitoring": "new_funds_or_payer, screening_change, before_each_gate",
        "risk.review_date": "2026-09-01",
        "verify.completed_on": "2026-03-01",
        "decision.outcome": "accept_with_conditions",
        "decision.conditions": "No payment from any account other than the two declared.",
    }.items():
        casefile.answer(ALEX, ref, key, value, run_key=CDD)
    e = casefile.view(ref).evaluation
    [decision] = e.ratings
    assert (decision.run_id, decision.chosen, decision.acceptable) == (CDD, Rating.HIGH, True)
    still = sorted(m.question_id for m in e.missing if m.run_id == CDD)
    # Only the documents of the person instructing, and the re-screening before completion.
    assert still == ["acting.authority", "acting.id", "sanctions.rescreen_on"]
