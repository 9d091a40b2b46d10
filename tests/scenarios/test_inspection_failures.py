"""The ten inspection failures of regulation.md part (d), each tried through the real command
line and the services the way a hurried fee earner would get past them: every attempt is
refused with a message that says why, and the case file is unchanged (issue 13, "Done when").

The domain-only scenarios beside this file show what the checklists conclude; here the same
controls are met where a person meets them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from duediligence.domain.case import NotAllowed
from duediligence.services.casefile import CaseFile, NewEvidence
from tests.casefile.conftest import ALICE, Cli
from tests.casefile.test_controls import _open, rows

PURCHASE = (
    "--kind", "solicitor", "--matter-type", "residential_purchase", "--client-type",
    "individual", "--acting-for", "buyer", "--responsible", "alice",
)  # fmt: skip


def _new(cli: Cli, reference: str = "P-1", *options: str) -> None:
    done = cli("cases", "new", reference, *(options or PURCHASE), checklists=False)
    assert done.exit_code == 0, done.output


def _answer(cli: Cli, reference: str, *pairs: tuple[str, str]) -> None:
    for key, value in pairs:
        done = cli("answer", reference, key, value, checklists=False)
        assert done.exit_code == 0, done.output


def _refused(cli: Cli, *args: str, says: str, user: str = "alice") -> str:
    """Run a command that must be refused: exit 1, the message, nothing written."""
    before = rows(cli.location)
    run = cli(*args, user=user, checklists=False)
    assert run.exit_code == 1, run.output
    assert says in run.stderr, run.stderr
    assert "Traceback" not in run.output
    assert rows(cli.location) == before
    return run.stderr


def test_1_missing_cmra_no_funds_or_exchange_without_the_risk_assessment(cli: Cli) -> None:
    _new(cli)
    _answer(cli, "P-1", ("scope.activity", "real_property"))
    for event in ("funds_received", "exchange", "completion"):
        message = _refused(
            cli, "events", "add", "P-1", event, says=f"{event.replace('_', ' ')} cannot be recorded"
        )
        # Every reason is named, the unanswered risk assessment among them.
        assert "Not answered: " in message and "only the MLRO may record it" in message


def test_2_tick_box_cmra_a_padded_rationale_leaves_g1_closed(cli: Cli) -> None:
    _new(cli)
    padded = "Low risk. " * 40
    _answer(cli, "P-1", ("scope.activity", "real_property"), ("risk.rationale", padded))
    shown = cli.json("cases", "show", "P-1", checklists=False)
    [g1] = [g for g in shown["evaluation"]["gates"] if g["gate"] == "G1"]
    assert any(r.startswith("Too short (") for r in g1["reasons"]), g1
    _refused(cli, "events", "add", "P-1", "funds_received", says="G2 (")


def test_3_no_fwra_no_matter_opens(cli: Cli) -> None:
    _refused(
        cli,
        "firm", "fwra", "2026.9", "--date", "2020-01-01", "--approver", "alice",
        says="alice cannot approve the firm-wide risk assessment",
        user="bob",
    )  # fmt: skip
    done = cli("firm", "fwra", "2019.1", "--date", "2020-01-01", "--approver", "bob", user="bob")
    assert done.exit_code == 0, done.output
    _refused(cli, "cases", "new", "P-9", *PURCHASE, says="no matter can open")


def test_4_source_of_funds_not_scrutinised_unverified_evidence_counts_for_nothing(
    bundled: CaseFile, tmp_path: Path
) -> None:
    _open(bundled, "P-1", "residential_purchase")
    bundled.start_checklist(ALICE, "P-1", "source-of-funds")
    statement = tmp_path / "statement.pdf"
    statement.write_bytes(b"%PDF-1.7 six months of statements")
    bundled.attach_evidence(
        ALICE,
        "P-1",
        statement,
        NewEvidence(document_type="bank_statement", question="tranche.evidence#1"),
    )
    missing = {m.question_id: m.detail for m in bundled.view("P-1").evaluation.missing}
    assert missing["tranche.evidence#1"] == (
        "Evidence not verified (0 of 1 documents verified with a method)"
    )
    assert missing["tranche.review_note#1"] == "Not answered"


def test_5_declared_funds_that_do_not_add_up_hold_the_funds(cli: Cli) -> None:
    _new(cli)
    assert cli("cases", "start", "P-1", "source-of-funds", checklists=False).exit_code == 0
    _answer(cli, "P-1", ("sof.amount_required", "£34m"), ("tranche.amount#1", "£20m"))
    _refused(cli, "answer", "P-1", "sof.conclusion", "satisfied", says="do not add up")
    message = _refused(cli, "events", "add", "P-1", "funds_received", says="G2 (")
    assert "The tranches do not add up to the amount required" in message


def test_6_pep_missed_a_public_function_asks_why_and_no_screening_keeps_g1_closed(
    cli: Cli,
) -> None:
    _new(cli)
    _answer(
        cli,
        "P-1",
        ("scope.activity", "real_property"),
        ("ident.occupation", "Former Deputy Prime Minister of Kazakhstan"),
        ("screen.pep", "not_pep"),
    )
    shown = cli.json("cases", "show", "P-1", checklists=False)
    missing = {m["question"] for m in shown["evaluation"]["missing"]}
    assert "screen.not_pep_reason" in missing
    # Screening never run: the PEP check is "not screened", and nothing passes G1.
    [g1] = [g for g in shown["evaluation"]["gates"] if g["gate"] == "G1"]
    assert not g1["open"]


def test_7_edd_not_applied_a_high_risk_country_cannot_be_rated_low(cli: Cli) -> None:
    _new(cli)
    _answer(
        cli, "P-1", ("scope.activity", "real_property"), ("ident.residence", "IR"),
        ("risk.rating", "low"),
    )  # fmt: skip
    shown = cli.json("cases", "show", "P-1", checklists=False)
    [g1] = [g for g in shown["evaluation"]["gates"] if g["gate"] == "G1"]
    assert any("Low is below the minimum High" in r for r in g1["reasons"]), g1
    _refused(cli, "events", "add", "P-1", "exchange", says="Low is below the minimum High")


def test_8_late_verification_no_exchange_with_identity_unverified(
    bundled: CaseFile, store_path: Path, tmp_path: Path
) -> None:
    _open(bundled, "P-1", "residential_purchase")
    bundled.answer(ALICE, "P-1", "scope.activity", "real_property")
    scan = tmp_path / "passport.pdf"
    scan.write_bytes(b"%PDF-1.7 passport")
    bundled.attach_evidence(
        ALICE, "P-1", scan, NewEvidence(document_type="passport", question="verify.id_document")
    )
    before = rows(store_path)
    from duediligence.domain.vocabulary import MatterEvent

    with pytest.raises(NotAllowed) as refused:
        bundled.record_event(ALICE, "P-1", MatterEvent.EXCHANGE)
    assert "Evidence not verified (0 of 1 documents verified with a method)" in str(refused.value)
    assert rows(store_path) == before


def test_9_beneficial_ownership_not_established_keeps_g1_closed(cli: Cli) -> None:
    company = (
        "--kind", "solicitor", "--matter-type", "commercial_property", "--client-type",
        "company_uk", "--responsible", "alice",
    )  # fmt: skip
    _new(cli, "C-1", *company)
    shown = cli.json("cases", "show", "C-1", checklists=False)
    missing = {m["question"] for m in shown["evaluation"]["missing"]}
    assert {"bo.identified", "entity.constitution"} <= missing
    _refused(cli, "events", "add", "C-1", "exchange", says="G3 (")


def test_10_records_lost_and_training_missing(cli: Cli, tmp_path: Path) -> None:
    done = cli("users", "add", "carol", "--name", "Carol New", "--role", "fee_earner", user="bob")
    assert done.exit_code == 0, done.output
    untrained = ("--responsible", "carol")
    _refused(cli, "cases", "new", "P-2", *PURCHASE[:-2], *untrained, says="AML training")
    # A lost evidence file is found by verify, by name.
    _new(cli)
    scan = tmp_path / "passport.pdf"
    scan.write_bytes(b"%PDF-1.7 passport")
    added = cli.json("evidence", "add", "P-1", str(scan), "--type", "passport", "--question", "verify.id_document", checklists=False)  # fmt: skip
    blob = cli.store.parent / "case.sqlite3.evidence" / added["sha256"]
    if not blob.exists():
        [blob] = [p for p in cli.store.parent.rglob(added["sha256"])]
    blob.unlink()
    checked = cli("verify", user=None)
    assert checked.exit_code == 1
    assert added["sha256"][:12] in checked.output
