"""Evidence document numbers (stored, hashed only when given) and the MLRO rating override."""

from __future__ import annotations

from pathlib import Path

import pytest

from duediligence.domain.case import InvalidInput, NotAllowed
from duediligence.domain.vocabulary import Rating
from duediligence.services.casefile import CaseFile, NewEvidence
from duediligence.services.verify import verify
from tests.casefile.conftest import ALICE, BOB, MARY, ME, RECENT, Cli, audit_count
from tests.conftest import query

RATIONALE = (
    "The PEP is a domestic local councillor with no control over public funds; source of wealth is "
    "salaried employment evidenced by three years of payslips and tax returns."
)


def test_document_number_round_trips_through_the_cli(cli: Cli, tmp_path: Path) -> None:
    cli("parties", "add", "M-1", "--role", "client", "--name", "Ann Client")
    passport = tmp_path / "passport.pdf"
    passport.write_bytes(b"%PDF scan")
    added = cli.json("evidence", "add", "M-1", str(passport), "--type", "passport", "--party", "p1", "--number", " 533987654321 ")  # fmt: skip
    assert added["document_number"] == "533987654321"
    shown = cli.json("cases", "show", "M-1")
    assert shown["evidence"][0]["document_number"] == "533987654321"
    assert cli.json("verify")["ok"] is True


def test_evidence_without_a_number_keeps_its_old_payload(cli: Cli, tmp_path: Path) -> None:
    bill = tmp_path / "bill.pdf"
    bill.write_bytes(b"%PDF bill")
    added = cli.json("evidence", "add", "M-1", str(bill), "--type", "utility_bill")
    assert "document_number" not in added


def test_a_bad_document_number_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    passport = tmp_path / "passport.pdf"
    passport.write_bytes(b"%PDF scan")
    before = cli.audit_count()
    result = cli(
        "evidence", "add", "M-1", str(passport), "--type", "passport", "--number", "12\n34"
    )
    assert result.exit_code != 0 and "document number" in result.output
    assert "Traceback" not in result.output
    assert cli.audit_count() == before
    blobs = [p for p in cli.store.parent.rglob("*") if p.is_file() and "evidence" in p.parts]
    assert blobs == []


def _below_floor(casefile: CaseFile, reference: str) -> None:
    casefile.answer(ALICE, reference, "pep", "pep")  # forces High
    casefile.answer(ALICE, reference, "rating", "low")


def test_a_fee_earner_cannot_override(casefile: CaseFile, case_ref: str, store_path: Path) -> None:
    _below_floor(casefile, case_ref)
    before = audit_count(store_path)
    with pytest.raises(NotAllowed, match="only the MLRO"):
        casefile.override_rating(ALICE, case_ref, Rating.LOW, RATIONALE)
    with pytest.raises(NotAllowed):
        casefile.override_rating(BOB, case_ref, Rating.LOW, RATIONALE)
    assert audit_count(store_path) == before


def test_a_short_rationale_is_refused(casefile: CaseFile, case_ref: str, store_path: Path) -> None:
    _below_floor(casefile, case_ref)
    before = audit_count(store_path)
    with pytest.raises(InvalidInput, match="at least 100 characters"):
        casefile.override_rating(MARY, case_ref, Rating.LOW, "Looks fine to me." + " " * 200)
    assert audit_count(store_path) == before


def test_the_mlro_override_makes_the_lower_rating_stand(
    casefile: CaseFile, case_ref: str, store_path: Path
) -> None:
    _below_floor(casefile, case_ref)
    (refused,) = casefile.view(case_ref).evaluation.ratings
    assert not refused.acceptable
    record = casefile.override_rating(MARY, case_ref, Rating.LOW, RATIONALE)
    assert record.overridden_by == "mary"
    view = casefile.view(case_ref)
    (accepted,) = view.evaluation.ratings
    assert accepted.acceptable
    assert "on MLRO override by mary" in accepted.message
    assert view.records.overrides == (record,)
    assert verify(casefile.store, casefile.blobs).ok
    ((action,),) = query(store_path, "SELECT action FROM audit_events ORDER BY seq DESC LIMIT 1")
    assert action == "rating.override"


def test_an_override_of_another_rating_does_not_count(casefile: CaseFile, case_ref: str) -> None:
    _below_floor(casefile, case_ref)
    casefile.override_rating(MARY, case_ref, Rating.MEDIUM, RATIONALE)
    (decision,) = casefile.view(case_ref).evaluation.ratings
    assert not decision.acceptable


def test_override_on_the_command_line(cli: Cli) -> None:
    assert cli("users", "add", "mary", "--name", "Mary", "--role", "mlro", "--trained-on", RECENT, "--os-user", ME, user="bob").exit_code == 0  # fmt: skip
    cli("answer", "M-1", "pep", "pep")
    cli("answer", "M-1", "rating", "low")
    refused = cli("override", "M-1", "--rating", "low", "--rationale", RATIONALE)
    assert refused.exit_code != 0 and "only the MLRO" in refused.output
    short = cli("override", "M-1", "--rating", "low", "--rationale", "too short", user="mary")
    assert short.exit_code != 0 and "at least 100" in short.output
    done = cli.json("override", "M-1", "--rating", "low", "--rationale", RATIONALE, user="mary")
    assert done["overridden_by"] == "mary" and done["rating"] == "low"
    shown = cli.json("cases", "show", "M-1")
    assert shown["overrides"][0]["rationale"] == RATIONALE
    assert cli.json("verify")["ok"] is True


def test_blank_number_is_not_recorded(casefile: CaseFile, case_ref: str, tmp_path: Path) -> None:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF")
    item = casefile.attach_evidence(
        ALICE, case_ref, scan, NewEvidence(document_type="passport", document_number="   ")
    )
    assert item.document_number is None
