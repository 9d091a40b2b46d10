"""The money trail under test: a real store on tmp_path holding one purchase whose source of
funds is declared and reviewed, with the bundled source-of-funds checklist and country lists
only (so nothing but the funds themselves keeps G2 closed)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from duediligence.adapters.blobs import BlobDirectory
from duediligence.adapters.checklists_toml import load_library
from duediligence.adapters.locations import bundled_checklists_dir, evidence_dir, lists_dir
from duediligence.adapters.store import SqlStore
from duediligence.domain.case import Actor, PartyKind, PartyRole, Person, Supervisor
from duediligence.domain.library import ChecklistLibrary
from duediligence.domain.vocabulary import ClientType, FirmRole, Role
from duediligence.services.casefile import CaseFile, NewCase, NewEvidence, NewParty
from duediligence.services.screening import ScreeningService
from tests.screening.test_casefile_screening import tokayev, write_uksl

REFERENCE = "P-2026-014"
START = datetime(2026, 5, 6, 9, 0, tzinfo=UTC)
REVIEWED = "2026-05-05T12:00"

ALICE = Actor(user="alice", os_user="tester")
"""Fee earner, responsible for the matter."""
BOB = Actor(user="bob", os_user="tester")
"""Supervisor, bound."""
MARY = Actor(user="mary", os_user="tester")
"""MLRO, bound."""


@dataclass
class Clock:
    moment: datetime = START

    def now(self) -> datetime:
        self.moment += timedelta(seconds=1)
        return self.moment


@pytest.fixture(scope="session")
def funds_library() -> ChecklistLibrary:
    bundled = bundled_checklists_dir()
    return load_library(
        [
            bundled / "source-of-funds.toml",
            bundled / "country-lists",
            Path(__file__).with_name("checklists"),
        ]
    )


@dataclass
class Purchase:
    casefile: CaseFile
    store: SqlStore
    store_path: Path
    clock: Clock
    reference: str = REFERENCE

    def answer(self, key: str, raw: str) -> None:
        self.casefile.answer(ALICE, self.reference, key, raw)


def declare(purchase: Purchase) -> None:
    """Two tranches: GBP 100,000 savings from the client's own UK account, GBP 150,000
    mortgage advance from the lender; GBP 250,000 required; review completed on 5 May."""
    answers = {
        "sof.amount_required": "250000 GBP",
        "tranche.source#1": "savings",
        "tranche.amount#1": "100000 GBP",
        "tranche.payer#1": "p1",
        "tranche.payer_is_client#1": "yes",
        "tranche.bank_country#1": "GB",
        "tranche.expected_on#1": "2026-05-20",
        "tranche.how_accumulated#1": (
            "Saved from salary at Acme Ltd since 2019 into a Nationwide savings account; "
            "statements show monthly transfers and no other large credits."
        ),
        "tranche.review_note#1": (
            "Statements in the client's name; the monthly credits support the balance; "
            "no anomalies found."
        ),
        "tranche.source#2": "mortgage",
        "tranche.amount#2": "150000 GBP",
        "tranche.payer#2": "p2",
        "tranche.payer_is_client#2": "lender",
        "tranche.bank_country#2": "GB",
        "tranche.expected_on#2": "2026-05-28",
        "tranche.how_accumulated#2": (
            "Mortgage advance from Northern Building Society under the offer of 20 April 2026, "
            "paid by the lender direct to client account on completion."
        ),
        "tranche.review_note#2": (
            "Offer names the client, the property and GBP 150,000; the lender is regulated; "
            "no anomalies found."
        ),
        "sof.lookback": "12_months",
        "sof.lookback_reason": (
            "Twelve months covers the build-up of the savings used for the deposit."
        ),
        "sof.anomalies": "none",
        "sof.consistent": "yes",
        "sof.reduced_checks": "no",
        "sof.conclusion": "satisfied",
        "sof.reviewed_by": "Alice Fee, solicitor",
        "sof.review_completed_at": REVIEWED,
    }
    for key, raw in answers.items():
        purchase.answer(key, raw)
    for number, kind in ((1, "savings_statement"), (2, "mortgage_offer")):
        document = purchase.store_path.parent / f"tranche-{number}.pdf"
        document.write_bytes(b"%PDF-1.4\n% tranche evidence " + str(number).encode() + b"\n%%EOF\n")
        purchase.casefile.attach_evidence(
            ALICE,
            purchase.reference,
            document,
            # Verified, with how: only verified evidence counts towards a question.
            NewEvidence(
                document_type=kind,
                question=f"tranche.evidence#{number}",
                verified_at=purchase.casefile.clock.now(),
                method="Original seen",
            ),
        )


@pytest.fixture
def purchase(tmp_path: Path, funds_library: ChecklistLibrary) -> Iterator[Purchase]:
    path = tmp_path / "case.sqlite3"
    store = SqlStore(path)
    clock = Clock()
    casefile = CaseFile(store, BlobDirectory(evidence_dir(path)), funds_library, clock)
    screener = ScreeningService(store, BlobDirectory(lists_dir(path)), clock)
    casefile.screener = screener
    screener.after_change = casefile._refresh
    casefile.init_firm(
        firm_name="Smith & Co",
        supervisor=Supervisor.SRA,
        fwra_version="2026.1",
        fwra_date=date(2026, 1, 5),
        first_user=Person(
            id="bob",
            name="Bob Senior",
            roles=(Role.SUPERVISOR, Role.SENIOR_MANAGER),
            trained_on=date(2025, 11, 1),
            os_users=("tester",),
        ),
        os_user="tester",
        fwra_approver="bob",
    )
    casefile.add_person(
        BOB,
        Person(id="alice", name="Alice Fee", roles=(Role.FEE_EARNER,), trained_on=date(2025, 6, 1)),
    )
    casefile.add_person(
        BOB,
        Person(
            id="mary",
            name="Mary MLRO",
            roles=(Role.MLRO,),
            trained_on=date(2026, 1, 10),
            os_users=("tester",),
        ),
    )
    screener.import_list(
        BOB, write_uksl(tmp_path / "uksl.csv", date(2026, 3, 1), [tokayev()]), "uksl-csv"
    )
    casefile.open_case(
        ALICE,
        NewCase(
            reference=REFERENCE,
            firm_role=FirmRole.SOLICITOR,
            matter_type="residential_purchase",
            client_type=ClientType.INDIVIDUAL,
            responsible="alice",
            acting_for="buyer",
        ),
        parties=[
            NewParty(role=PartyRole.CLIENT, kind=PartyKind.INDIVIDUAL, name="John Smith"),
            NewParty(role=PartyRole.PAYER, kind=PartyKind.ENTITY, name="Northern Building Society"),
        ],
    )
    casefile.start_checklist(ALICE, REFERENCE, "source-of-funds")
    made = Purchase(casefile, store, path, clock)
    declare(made)
    try:
        yield made
    finally:
        store.close()
