"""The issue's five scenarios, each through a real store: the block on the gate, the message the
fee earner reads, and the text an inspector reads in the rendered audit file (read back with
pypdf). The matter declares GBP 250,000: tranche 1 GBP 100,000 savings from the client John Smith
(p1) through a UK bank, tranche 2 GBP 150,000 from the lender (p2); reviewed on 5 May 2026."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from duediligence.domain.case import NotAllowed, PartyKind, PartyRole
from duediligence.domain.funds import NewReceipt
from duediligence.domain.vocabulary import Gate, MatterEvent
from duediligence.report.render import make_audit_file
from duediligence.services.casefile import NewParty
from duediligence.services.reading import CaseView
from tests.funds.conftest import ALICE, BOB, MARY, REFERENCE, Purchase


def squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def pdf_text(purchase: Purchase, target: Path) -> str:
    make_audit_file(purchase.casefile, REFERENCE, target, generated_by="alice")
    return squash("\n".join(page.extract_text() for page in PdfReader(target).pages))


def reasons(view: CaseView, gate: Gate) -> list[str]:
    return [r.message for r in view.evaluation.gate(gate).reasons]


def savings(**changes: str) -> NewReceipt:
    fields = {
        "amount": "GBP 100000",
        "received_on": "2026-05-06",
        "remitter": "MR J SMITH",
        "bank": "Nationwide",
        "bank_country": "GB",
        "account": "07-04-36 12345678",
        "tranche": "1",
        "reference": "CL-014-1",
    }
    fields.update(changes)
    return NewReceipt(**fields)


def test_a_receipt_that_matches_its_tranche_reconciles_and_opens_nothing_it_should_not(
    purchase: Purchase,
) -> None:
    added = purchase.casefile.add_receipt(ALICE, REFERENCE, savings())
    assert added.line.status == "reconciled", added.line.mismatches
    view = purchase.casefile.view(REFERENCE)
    assert view.evaluation.gate(Gate.G2).open
    # Only GBP 100,000 of 250,000 is in: exchange waits (G3), funds do not.
    assert reasons(view, Gate.G3) == [
        "Receipts total GBP 100,000.00 of the GBP 250,000.00 required (GBP 150,000.00 short): "
        "the money is not all in before exchange"
    ]
    assert view.funds.receipts_match == "yes"


def test_a_receipt_from_an_unknown_third_party(purchase: Purchase, tmp_path: Path) -> None:
    added = purchase.casefile.add_receipt(
        ALICE, REFERENCE, savings(remitter="Meridian Holdings Ltd", bank_country="GB")
    )
    # The stranger becomes a payer party of the matter and is screened at once.
    assert added.new_party is not None
    assert (added.new_party.role, added.new_party.kind) == (PartyRole.PAYER, PartyKind.ENTITY)
    view = purchase.casefile.view(REFERENCE)
    assert [s.party_id for s in view.records.screenings][-1] == added.new_party.id
    message = "remitter 'Meridian Holdings Ltd' is not the declared payer of tranche 1 (John Smith)"
    assert [m.message for m in added.line.mismatches] == [message]
    assert not view.evaluation.gate(Gate.G2).open
    assert any(message in r for r in reasons(view, Gate.G2))
    with pytest.raises(NotAllowed, match="exchange cannot be recorded"):
        purchase.casefile.record_event(ALICE, REFERENCE, MatterEvent.EXCHANGE)
    assert purchase.casefile.summary(REFERENCE).unreconciled_receipts == 1  # type: ignore[union-attr]

    text = pdf_text(purchase, tmp_path / "unknown.pdf")
    for words in (
        "Transaction reconstruction",
        "Unreconciled receipts: 1",
        "DOES NOT RECONCILE: not explained",
        message,
        "Meridian Holdings Ltd (p3)",  # listed among the parties, as the payer it became
    ):
        assert squash(words) in text, words

    # Explained by the fee earner and accepted by a supervisor: the gate opens and the audit file
    # says how it was resolved.
    purchase.casefile.explain_receipt(
        ALICE,
        REFERENCE,
        added.receipt.id,
        "Meridian Holdings is the client's own company; director's loan agreement on file.",
    )
    with pytest.raises(NotAllowed, match="only a supervisor, senior manager or the MLRO may"):
        purchase.casefile.accept_receipt(ALICE, REFERENCE, added.receipt.id)
    purchase.casefile.accept_receipt(BOB, REFERENCE, added.receipt.id, "Loan agreement seen.")
    view = purchase.casefile.view(REFERENCE)
    assert view.evaluation.gate(Gate.G2).open
    assert purchase.casefile.summary(REFERENCE).unreconciled_receipts == 0  # type: ignore[union-attr]
    text = pdf_text(purchase, tmp_path / "accepted.pdf")
    assert squash("Mismatch explained and accepted") in text
    assert squash("Accepted by Bob Senior (bob)") in text
    assert squash("Meridian Holdings is the client's own company") in text


def test_a_receipt_larger_than_its_tranche(purchase: Purchase, tmp_path: Path) -> None:
    added = purchase.casefile.add_receipt(ALICE, REFERENCE, savings(amount="£105k"))
    message = (
        "GBP 105,000.00 received against tranche 1, declared as GBP 100,000.00 (more than the "
        "firm's tolerance of 1%)"
    )
    assert [m.message for m in added.line.mismatches] == [message]
    view = purchase.casefile.view(REFERENCE)
    assert any(message in r for r in reasons(view, Gate.G2))
    assert "Funds held: Funds received do not match the declared source of funds" in reasons(
        view, Gate.G2
    )
    with pytest.raises(NotAllowed, match="funds received cannot be recorded"):
        purchase.casefile.record_event(ALICE, REFERENCE, MatterEvent.FUNDS_RECEIVED)
    text = pdf_text(purchase, tmp_path / "larger.pdf")
    assert squash(message) in text
    # Printed masked, stored whole.
    assert re.search("account•{8,}5678;ledgerreferenceCL-014-1", text)
    assert "12345678" not in text
    assert added.receipt.account == "07-04-36 12345678"

    # Returned to the payer: it no longer counts or holds the matter.
    purchase.casefile.return_receipt(
        ALICE, REFERENCE, added.receipt.id, "Sent back in full; the client will pay 100,000."
    )
    assert purchase.casefile.view(REFERENCE).evaluation.gate(Gate.G2).open


def test_receipts_that_add_up_to_less_than_the_price_at_exchange(
    purchase: Purchase, tmp_path: Path
) -> None:
    purchase.casefile.add_receipt(ALICE, REFERENCE, savings())
    purchase.casefile.add_receipt(
        ALICE,
        REFERENCE,
        NewReceipt(
            amount="GBP 120000",
            received_on="2026-05-06",
            remitter="NORTHERN BUILDING SOCIETY",
            bank="Northern Building Society",
            bank_country="GB",
            tranche="2",
        ),
    )
    message = (
        "Receipts total GBP 220,000.00 of the GBP 250,000.00 required (GBP 30,000.00 short): "
        "the money is not all in before exchange"
    )
    view = purchase.casefile.view(REFERENCE)
    assert view.evaluation.gate(Gate.G2).open
    assert reasons(view, Gate.G3) == [message]
    with pytest.raises(NotAllowed, match=re.escape("GBP 30,000.00 short")):
        purchase.casefile.record_event(ALICE, REFERENCE, MatterEvent.EXCHANGE)
    text = pdf_text(purchase, tmp_path / "short.pdf")
    assert (
        squash("Receipts total GBP 220,000.00 of GBP 250,000.00 required: GBP 30,000.00 short")
        in text
    )


def test_a_receipt_from_a_bank_in_a_high_risk_third_country(
    purchase: Purchase, tmp_path: Path
) -> None:
    added = purchase.casefile.add_receipt(
        ALICE, REFERENCE, savings(bank="Bank Melli", bank_country="Iran")
    )
    kinds = [m.kind for m in added.line.mismatches]
    assert kinds == ["country", "high_risk"]
    high = next(m.message for m in added.line.mismatches if m.kind == "high_risk")
    assert high.startswith("paid from a bank in IR, on the High-risk third countries")
    assert high.endswith("list: enhanced due diligence (MLR reg 33(1)(b))")
    view = purchase.casefile.view(REFERENCE)
    assert any(
        "paid from a bank in IR; tranche 1 was declared from GB" in r
        for r in reasons(view, Gate.G2)
    )
    text = pdf_text(purchase, tmp_path / "high-risk.pdf")
    assert squash("paid from a bank in IR; tranche 1 was declared from GB") in text
    assert squash("Bank Melli, IR") in text


def test_a_receipt_while_a_sanctions_hit_is_open(purchase: Purchase, tmp_path: Path) -> None:
    # A new party is screened as added: a possible match to the UK list's Tokayev closes every gate.
    purchase.casefile.add_party(
        ALICE,
        REFERENCE,
        NewParty(
            role=PartyRole.BENEFICIAL_OWNER, kind=PartyKind.INDIVIDUAL, name="Kassym-Jomart Tokayev"
        ),
    )
    assert purchase.casefile.view(REFERENCE).sanctions
    # The money arrives anyway: it is kept (it is in the account), held, and the MLRO told.
    added = purchase.casefile.add_receipt(ALICE, REFERENCE, savings())
    assert [m.kind for m in added.line.mismatches] == ["gate_closed"]
    assert added.line.mismatches[0].message == (
        "received while G2 (funds) was closed: the money is held for a compliance review by "
        "the MLRO, who alone may accept it"
    )
    # Why G2 was closed is kept on the receipt (not printed: it may be the sanctions hit).
    assert any("sanctions match" in why for why in added.receipt.gate_closed)
    summary = purchase.casefile.summary(REFERENCE)
    assert summary is not None and summary.unreconciled_receipts == 1
    assert (
        "Receipts do not match the declared tranches, unless explained and updated"
        in summary.referrals
    )
    assert (
        "Funds received while G2 (funds) was closed are held: the MLRO decides (receipt of "
        "GBP 100,000.00 on 2026-05-06)" in summary.referrals
    )
    purchase.casefile.explain_receipt(
        ALICE, REFERENCE, added.receipt.id, "Client paid before we told him of the screening hold."
    )
    with pytest.raises(NotAllowed, match="only the MLRO may"):
        purchase.casefile.accept_receipt(BOB, REFERENCE, added.receipt.id)
    text = pdf_text(purchase, tmp_path / "sanctions.pdf")
    assert (
        squash(
            "received while G2 (funds) was closed: the money is held for a compliance review by the MLRO"
        )
        in text
    )
    # The audit file never says what the hold is about (tipping off, R8).
    assert "sanctionsmatch" not in text.lower()
    assert squash("DOES NOT RECONCILE: explained, not yet accepted") in text
    purchase.casefile.accept_receipt(MARY, REFERENCE, added.receipt.id, "Held pending OFSI.")
    assert purchase.casefile.view(REFERENCE).funds.unreconciled == 0
