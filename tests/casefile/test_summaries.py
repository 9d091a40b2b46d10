"""The listing rows (`CaseFile.summaries()`): rewritten by every write that can change them, in
the same transaction, so the matters list shows status, ratings and flags without evaluating."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from duediligence.domain.case import CaseStatus, PartyKind, PartyRole
from duediligence.domain.errors import DueDiligenceError
from duediligence.domain.funds import NewReceipt
from duediligence.domain.monitoring import CaseSummary
from duediligence.domain.vocabulary import MatterEvent, Role
from duediligence.services.casefile import CaseFile, NewEvidence, NewParty
from duediligence.services.evidence import mark_verified
from tests.casefile.conftest import ALICE, BOB, MARY, ME, RECENT, Cli
from tests.conftest import query


def _row(casefile: CaseFile, reference: str) -> CaseSummary:
    (row,) = [s for s in casefile.summaries() if s.reference == reference]
    return row


def _evaluated(casefile: CaseFile, reference: str) -> tuple[object, ...]:
    """Every field of the listing row, worked out afresh from the read model's facts."""
    view = casefile.view(reference)
    evaluation = view.evaluation
    chosen = max((r.chosen for r in evaluation.ratings), key=lambda r: r.rank, default=None)
    request = view.open_request
    return (
        chosen.value if chosen else None,
        evaluation.computed_rating.value,
        sum(1 for g in evaluation.gates if g.open),
        len(evaluation.missing),
        view.pep,
        view.sanctions,
        view.clients[0].name if view.clients else None,
        tuple((role.value, why) for role, why in view.pending_approvals),
        len(view.superseded),
        view.missing_evidence,
        tuple(f.reason for f in evaluation.referrals),
        view.review.next_review,
        view.review.reasons,
        view.retention_until,
        request.requested_by if request else None,
        view.funds.unreconciled,
    )


def _listed(row: CaseSummary) -> tuple[object, ...]:
    return (
        row.chosen_rating,
        row.computed_rating,
        row.gates_open,
        row.missing,
        row.pep,
        row.sanctions,
        row.client,
        row.approvals_pending,
        row.superseded,
        row.missing_evidence,
        row.referrals,
        row.next_review,
        row.review_reasons,
        row.retention_until,
        row.approval_requested_by,
        row.unreconciled_receipts,
    )


def _receipt(casefile: CaseFile, reference: str) -> str:
    return casefile.view(reference).records.receipts[0].id


def _unverified(casefile: CaseFile, reference: str) -> str:
    return next(e.id for e in casefile.view(reference).records.evidence if e.verified_at is None)


def test_every_write_keeps_the_row_equal_to_a_fresh_evaluation(
    casefile: CaseFile, case_ref: str, tmp_path: Path
) -> None:
    row = _row(casefile, case_ref)
    assert (row.status, row.responsible, row.pep, row.sanctions) == ("open", "alice", False, False)
    assert _listed(row) == _evaluated(casefile, case_ref)
    scan = tmp_path / "id.pdf"
    scan.write_bytes(b"id")
    writes: list[Callable[[], object]] = [
        lambda: casefile.answer(ALICE, case_ref, "pep", "pep"),
        lambda: casefile.answer(ALICE, case_ref, "rating", "high"),
        lambda: casefile.add_party(
            ALICE,
            case_ref,
            NewParty(role=PartyRole.CLIENT, kind=PartyKind.INDIVIDUAL, name="A Client"),
        ),
        lambda: casefile.record_event(ALICE, case_ref, MatterEvent.INSTRUCTED),
        lambda: casefile.attach_evidence(
            ALICE, case_ref, scan, NewEvidence(document_type="passport", question="id_document")
        ),
        lambda: casefile.request_approvals(ALICE, case_ref, note="please"),
        lambda: casefile.approve(BOB, case_ref, Role.SENIOR_MANAGER),
        lambda: casefile.record_event(
            MARY,
            case_ref,
            MatterEvent.EXCHANGE,
            exception="Exchanged on the MLRO's instruction, funds held",
        ),
        lambda: mark_verified(
            casefile, ALICE, case_ref, _unverified(casefile, case_ref), "Original seen"
        ),
        lambda: casefile.start_checklist(ALICE, case_ref, "other", "p1"),
        lambda: casefile.answer(ALICE, case_ref, "value", "3000000 GBP"),
        lambda: casefile.record_event(ALICE, case_ref, MatterEvent.RELATIONSHIP_ENDED),
        # A receipt no tranche declares counts as unreconciled until explained and accepted.
        lambda: casefile.add_receipt(
            ALICE,
            case_ref,
            NewReceipt(amount="GBP 5000", received_on="2026-03-01", remitter="A Client"),
        ),
        lambda: casefile.explain_receipt(
            ALICE, case_ref, _receipt(casefile, case_ref), "Money on account for the searches."
        ),
        lambda: casefile.accept_receipt(MARY, case_ref, _receipt(casefile, case_ref)),
    ]
    seen: list[tuple[object, ...]] = []
    for write in writes:
        write()
        listed = _listed(_row(casefile, case_ref))
        assert listed == _evaluated(casefile, case_ref)
        seen.append(listed)
    # The writes moved the row through many states (the check is not of a constant) ...
    assert len(set(seen)) >= 8
    # ... and exchange, progress not due diligence, left it as the approval had it.
    assert seen[7] == seen[6]  # writes[7] records exchange, after writes[6] approved
    row = _row(casefile, case_ref)
    assert row.client == "A Client" and row.superseded == 1 and row.retention_until is not None
    assert [listed[-1] for listed in seen[-4:]] == [0, 1, 1, 0]  # unreconciled receipts
    row = _row(casefile, case_ref)
    assert (row.chosen_rating, row.computed_rating, row.pep) == ("high", "high", True)
    casefile.set_status(ALICE, case_ref, CaseStatus.CLOSED)
    assert _row(casefile, case_ref).status == "closed"


def test_a_refused_write_leaves_the_row_as_it_was(casefile: CaseFile, case_ref: str) -> None:
    casefile.answer(ALICE, case_ref, "rating", "low")
    before = _row(casefile, case_ref)
    with pytest.raises(DueDiligenceError):
        casefile.answer(ALICE, case_ref, "rating", "extreme")
    assert _row(casefile, case_ref) == before


def test_cases_without_a_row_get_one_when_listed(
    casefile: CaseFile, case_ref: str, store_path: Path
) -> None:
    casefile.answer(ALICE, case_ref, "rating", "medium")
    expected = _row(casefile, case_ref)
    query(store_path, "DELETE FROM case_summaries")
    assert casefile.summaries() == [expected]
    assert casefile.refresh_summaries(MARY) == 1
    assert casefile.summaries() == [expected]


def test_cases_list_shows_rating_and_flags(cli: Cli) -> None:
    assert cli("answer", "M-1", "pep", "pep").exit_code == 0
    assert cli("answer", "M-1", "rating", "high").exit_code == 0
    (row,) = cli.json("cases", "list")
    assert (row["reference"], row["status"], row["rating"], row["computed_rating"], row["pep"]) == (
        "M-1",
        "open",
        "high",
        "high",
        True,
    )
    assert {"sanctions", "gates_open", "missing", "next_review", "on_hold"} <= set(row)
    text = cli("cases", "list").output
    assert "rating high (computed high)" in text and "PEP" in text
    assert cli("users", "add", "mary", "--name", "Mary", "--role", "mlro", "--trained-on", RECENT, "--os-user", ME, user="bob").exit_code == 0  # fmt: skip
    assert cli("cases", "list", "--refresh", user="mary").exit_code == 0
