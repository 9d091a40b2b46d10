"""The listing rows (`CaseFile.summaries()`): rewritten by every write that can change them, in
the same transaction, so the matters list shows status, ratings and flags without evaluating."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from duediligence.domain.case import CaseStatus, PartyKind, PartyRole
from duediligence.domain.errors import DueDiligenceError
from duediligence.domain.monitoring import CaseSummary
from duediligence.domain.vocabulary import MatterEvent, Role
from duediligence.services.casefile import CaseFile, NewEvidence, NewParty
from tests.casefile.conftest import ALICE, BOB, MARY, ME, RECENT, Cli


def _row(casefile: CaseFile, reference: str) -> CaseSummary:
    (row,) = [s for s in casefile.summaries() if s.reference == reference]
    return row


def _evaluated(casefile: CaseFile, reference: str) -> tuple[object, ...]:
    evaluation = casefile.view(reference).evaluation
    chosen = max((r.chosen for r in evaluation.ratings), key=lambda r: r.rank, default=None)
    return (
        chosen.value if chosen else None,
        evaluation.computed_rating.value,
        sum(1 for g in evaluation.gates if g.open),
        len(evaluation.missing),
    )


def _listed(row: CaseSummary) -> tuple[object, ...]:
    return (row.chosen_rating, row.computed_rating, row.gates_open, row.missing)


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
        lambda: casefile.approve(BOB, case_ref, Role.SENIOR_MANAGER),
        lambda: casefile.start_checklist(ALICE, case_ref, "other", "p1"),
    ]
    for write in writes:
        write()
        assert _listed(_row(casefile, case_ref)) == _evaluated(casefile, case_ref)
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
    with sqlite3.connect(store_path) as conn:
        conn.execute("DELETE FROM case_summaries")
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
