"""Ongoing monitoring: next review from the chosen rating (firm policy), the former-PEP rule,
events that reopen the risk assessment, and `reviews due`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from duediligence.adapters.blobs import BlobDirectory
from duediligence.adapters.checklists_toml import load_library
from duediligence.adapters.store import SqlStore
from duediligence.domain.case import CaseStatus, PartyKind, PartyRole, Person, Supervisor
from duediligence.domain.monitoring import CasePolicy, CaseSummary, add_months
from duediligence.domain.vocabulary import ClientType, FirmRole, MatterEvent, Rating, Role
from duediligence.services.casefile import CaseFile, NewCase, NewParty
from tests.casefile.conftest import ALICE, BOB, RECENT, Cli, FixedClock

RATED_ON = date(2026, 3, 2)
"""The fixed clock's day: when the rating is chosen in these tests."""


def _summary(casefile: CaseFile, reference: str) -> CaseSummary:
    return next(s for s in casefile.summaries() if s.reference == reference)


def _payer() -> NewParty:
    return NewParty(role=PartyRole.PAYER, kind=PartyKind.INDIVIDUAL, name="Jane Donor")


@pytest.mark.parametrize(("rating", "months"), [("high", 12), ("medium", 24), ("low", 36)])
def test_next_review_follows_the_chosen_rating(
    casefile: CaseFile, case_ref: str, rating: str, months: int
) -> None:
    assert _summary(casefile, case_ref).next_review is None  # no rating chosen yet
    casefile.answer(ALICE, case_ref, "rating", rating)
    summary = _summary(casefile, case_ref)
    assert summary.chosen_rating == rating
    assert summary.next_review == add_months(RATED_ON, months)
    assert summary.review_reasons == ()


def test_review_intervals_are_firm_policy(
    store: SqlStore, blobs: BlobDirectory, casefile: CaseFile, case_ref: str
) -> None:
    strict = CaseFile(
        store,
        blobs,
        casefile.library,
        FixedClock(),
        CasePolicy(review_months={Rating.HIGH: 6, Rating.MEDIUM: 9, Rating.LOW: 18}),
    )
    strict.answer(ALICE, case_ref, "rating", "high")
    assert _summary(strict, case_ref).next_review == date(2026, 9, 2)


def test_the_review_date_makes_a_case_due(casefile: CaseFile, case_ref: str) -> None:
    casefile.answer(ALICE, case_ref, "rating", "high")
    assert casefile.reviews_due(date(2027, 3, 1)) == []
    assert [s.reference for s in casefile.reviews_due(date(2027, 3, 2))] == [case_ref]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda cf, ref: cf.add_party(ALICE, ref, _payer()), "new payer p1"),
        (
            lambda cf, ref: cf.add_party(
                ALICE,
                ref,
                NewParty(role=PartyRole.COUNTERPARTY, kind=PartyKind.ENTITY, name="Other Ltd"),
            ),
            "new party p1",
        ),
        (lambda cf, ref: cf.answer(ALICE, ref, "value", "2500000 GBP"), "change of value (value)"),
        (lambda cf, ref: cf.answer(ALICE, ref, "pep", "pep"), "PEP status change"),
        (lambda cf, ref: cf.answer(ALICE, ref, "tranche.source#1", "gift"), None),
    ],
)
def test_events_after_the_rating_reopen_the_assessment_until_it_is_reviewed(
    casefile: CaseFile, case_ref: str, change: object, reason: str | None
) -> None:
    casefile.answer(ALICE, case_ref, "rating", "medium")
    casefile.record_event(ALICE, case_ref, MatterEvent.RELATIONSHIP_ESTABLISHED)  # onboarded
    change(casefile, case_ref)  # type: ignore[operator]
    summary = _summary(casefile, case_ref)
    if reason is None:  # an ordinary answer does not reopen it
        assert summary.review_reasons == ()
        assert casefile.reviews_due(RATED_ON) == []
        return
    assert summary.review_reasons == (reason,)
    assert [s.reference for s in casefile.reviews_due(RATED_ON)] == [case_ref]
    # Choosing the rating again is the review: the reasons clear and the date moves on.
    casefile.answer(ALICE, case_ref, "rating", "high")
    summary = _summary(casefile, case_ref)
    assert summary.review_reasons == ()
    assert summary.next_review == add_months(RATED_ON, 12)
    assert casefile.reviews_due(RATED_ON) == []


def test_changes_before_the_rating_do_not_reopen_it(casefile: CaseFile, case_ref: str) -> None:
    casefile.add_party(ALICE, case_ref, _payer())
    casefile.answer(ALICE, case_ref, "value", "100000 GBP")
    casefile.answer(ALICE, case_ref, "rating", "low")
    assert _summary(casefile, case_ref).review_reasons == ()


def test_a_matter_is_not_due_for_review_the_day_it_is_onboarded(
    casefile: CaseFile, case_ref: str
) -> None:
    """Issue 13, finding 14: the fee earner rates the matter early, then goes on adding the
    payer and the value the same day; that is onboarding, not a change to review."""
    casefile.answer(ALICE, case_ref, "rating", "low")
    casefile.add_party(ALICE, case_ref, _payer())
    casefile.answer(ALICE, case_ref, "value", "100000 GBP")
    summary = _summary(casefile, case_ref)
    assert summary.review_reasons == ()
    assert not summary.review_due(RATED_ON)
    assert casefile.reviews_due(RATED_ON) == []
    # Once the relationship is established, the same change reopens the assessment.
    casefile.record_event(ALICE, case_ref, MatterEvent.RELATIONSHIP_ESTABLISHED)
    casefile.answer(ALICE, case_ref, "value", "150000 GBP")
    assert _summary(casefile, case_ref).review_reasons == ("change of value (value)",)


def test_a_closed_case_is_not_due_for_review(casefile: CaseFile, case_ref: str) -> None:
    casefile.answer(ALICE, case_ref, "rating", "high")
    casefile.add_party(ALICE, case_ref, _payer())
    casefile.set_status(ALICE, case_ref, CaseStatus.CLOSED)
    assert casefile.reviews_due(date(2030, 1, 1)) == []


@pytest.fixture
def bundled(store: SqlStore, blobs: BlobDirectory) -> CaseFile:
    service = CaseFile(store, blobs, load_library(None), FixedClock())
    service.init_firm(
        firm_name="Smith & Co",
        supervisor=Supervisor.SRA,
        fwra_version="2026.1",
        fwra_date=date(2026, 1, 5),
        first_user=Person(
            id="bob", name="Bob", roles=(Role.SENIOR_MANAGER,), trained_on=date(2025, 11, 1)
        ),
        os_user="tester",
    )
    service.add_person(
        BOB,
        Person(id="alice", name="Alice", roles=(Role.FEE_EARNER,), trained_on=date(2025, 6, 1)),
    )
    service.open_case(
        ALICE,
        NewCase(
            reference="P-1",
            firm_role=FirmRole.SOLICITOR,
            matter_type="residential_purchase",
            client_type=ClientType.INDIVIDUAL,
            responsible="alice",
            acting_for="buyer",
        ),
    )
    service.answer(ALICE, "P-1", "scope.activity", "real_property")  # shows the rating
    return service


def test_a_former_pep_is_reviewed_when_the_post_office_period_ends(bundled: CaseFile) -> None:
    bundled.answer(ALICE, "P-1", "risk.rating", "low")
    assert _summary(bundled, "P-1").next_review == add_months(RATED_ON, 36)
    bundled.record_event(ALICE, "P-1", MatterEvent.RELATIONSHIP_ESTABLISHED)  # onboarded
    bundled.start_checklist(ALICE, "P-1", "pep-edd")
    bundled.answer(ALICE, "P-1", "pep.status", "former")
    bundled.answer(ALICE, "P-1", "pep.ceased_on", "2025-09-30")
    summary = _summary(bundled, "P-1")
    assert summary.pep is True
    assert "PEP status change" in summary.review_reasons
    bundled.answer(ALICE, "P-1", "risk.rating", "low")  # reviewed: still a PEP until 2026-09-30
    summary = _summary(bundled, "P-1")
    assert summary.review_reasons == ()
    assert summary.next_review == date(2026, 9, 30)  # 12 months after leaving office
    assert [s.reference for s in bundled.reviews_due(date(2026, 9, 30))] == ["P-1"]


def test_the_post_office_period_is_firm_policy_and_never_shortens_a_review(
    store: SqlStore, blobs: BlobDirectory, bundled: CaseFile
) -> None:
    longer = CaseFile(
        store, blobs, bundled.library, FixedClock(), CasePolicy(pep_review_after_office_months=18)
    )
    longer.start_checklist(ALICE, "P-1", "pep-edd")
    longer.answer(ALICE, "P-1", "pep.status", "former")
    longer.answer(ALICE, "P-1", "pep.ceased_on", "2024-06-30")  # period already over
    longer.answer(ALICE, "P-1", "risk.rating", "high")
    # 2024-06-30 + 18 months is before the rating was chosen: the rating's date stands.
    assert _summary(longer, "P-1").next_review == add_months(RATED_ON, 12)


def test_reviews_due_on_the_command_line(cli: Cli) -> None:
    assert cli("answer", "M-1", "rating", "high").exit_code == 0
    assert cli("events", "add", "M-1", "relationship_established").exit_code == 0
    assert cli.json("reviews", "due") == []
    assert cli("parties", "add", "M-1", "--role", "payer", "--name", "Jane Donor").exit_code == 0
    due = cli.json("reviews", "due")
    assert [(d["reference"], d["review_reasons"]) for d in due] == [("M-1", ["new payer p1"])]
    text = cli("reviews", "due").output
    assert "M-1" in text and "reopened: new payer p1" in text
    later = add_months(date.fromisoformat(RECENT), 24).isoformat()
    assert [d["reference"] for d in cli.json("reviews", "due", "--on", later)] == ["M-1"]
    bad = cli("reviews", "due", "--on", "soon")
    assert bad.exit_code == 2 and "is not a date" in bad.output


def test_a_screening_hit_after_the_rating_reopens_it_and_flags_the_case(
    casefile: CaseFile, case_ref: str, store: SqlStore, store_path: Path, tmp_path: Path
) -> None:
    from duediligence.adapters.locations import lists_dir
    from duediligence.services.screening import ScreeningService
    from tests.screening.test_casefile_screening import tokayev, write_uksl

    service = ScreeningService(store, BlobDirectory(lists_dir(store_path)), FixedClock())
    casefile.screener = service
    service.after_change = casefile._refresh
    service.import_list(BOB, write_uksl(tmp_path / "uksl.csv", date(2026, 3, 1), [tokayev()]), "uksl-csv")  # fmt: skip
    casefile.answer(ALICE, case_ref, "rating", "high")
    casefile.record_event(ALICE, case_ref, MatterEvent.RELATIONSHIP_ESTABLISHED)  # onboarded
    casefile.add_party(
        ALICE,
        case_ref,
        NewParty(
            role=PartyRole.CLIENT,
            kind=PartyKind.INDIVIDUAL,
            name="Kassym-Jomart Tokayev",
            date_of_birth=date(1953, 5, 17),
        ),
    )
    summary = _summary(casefile, case_ref)
    assert summary.sanctions is True
    assert summary.review_reasons == ("new party p1", "screening hit p1")
