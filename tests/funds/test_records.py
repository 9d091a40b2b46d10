"""Receipts are records of the case like any other: audit-chained, checked by `verify`, and an
amount changed outside the program is found."""

from __future__ import annotations

import sqlite3

from duediligence.domain.funds import NewReceipt
from tests.funds.conftest import ALICE, BOB, REFERENCE, Purchase


def test_receipts_and_what_was_done_about_them_are_chained_and_verified(
    purchase: Purchase,
) -> None:
    added = purchase.casefile.add_receipt(
        ALICE,
        REFERENCE,
        NewReceipt(
            amount="GBP 100000",
            received_on="2026-05-06",
            remitter="Meridian Holdings Ltd",
            bank_country="GB",
            tranche="1",
        ),
    )
    purchase.casefile.explain_receipt(
        ALICE, REFERENCE, added.receipt.id, "The client's company; loan agreement on file."
    )
    purchase.casefile.accept_receipt(BOB, REFERENCE, added.receipt.id)
    matter = purchase.casefile.read_matter(REFERENCE)
    actions = [e.action for e in matter.events if e.target.startswith("receipt")]
    assert actions == ["receipt.add", "receipt.explain", "receipt.accept"]
    assert purchase.casefile.verify(REFERENCE).ok
    words = matter.view.words
    assert words[added.receipt.target()] == "receipt of GBP 100,000.00 from Meridian Holdings Ltd"

    with sqlite3.connect(purchase.store_path) as conn:
        conn.execute("UPDATE receipts SET amount = '10000' WHERE id = ?", (added.receipt.id,))
    report = purchase.casefile.verify(REFERENCE)
    assert [p.where for p in report.problems] == [f"receipt {added.receipt.id} (case {REFERENCE})"]
    assert "changed outside the program" in report.problems[0].message


def test_a_case_read_by_reference_or_as_it_stood_holds_each_receipt_and_action_once(
    purchase: Purchase,
) -> None:
    # Receipts and their actions are read in one joined statement: a receipt with two actions
    # must come back once, a receipt with none must come back, and a past state must leave out
    # what came after it.
    casefile = purchase.casefile
    first = casefile.add_receipt(
        ALICE,
        REFERENCE,
        NewReceipt(amount="GBP 100000", received_on="2026-05-06", remitter="Alice", tranche="1"),
    ).receipt
    second = casefile.add_receipt(
        ALICE,
        REFERENCE,
        NewReceipt(amount="GBP 150000", received_on="2026-05-06", remitter="Northern BS"),
    ).receipt
    explained = casefile.explain_receipt(ALICE, REFERENCE, first.id, "From her savings account.")
    casefile.accept_receipt(BOB, REFERENCE, first.id)
    with casefile.store.transaction() as tx:
        now = tx.records_by_reference(REFERENCE)
        assert now is not None
        assert now == tx.case_records(now.case.id)
        assert [r.id for r in now.receipts] == [first.id, second.id]
        assert [str(a.action) for a in now.receipt_actions] == ["explain", "accept"]
        before_accept = tx.case_records(now.case.id, now.record_seq[explained.target()])
        assert tx.records_by_reference("NO-SUCH-REF") is None
    assert [r.id for r in before_accept.receipts] == [first.id, second.id]
    assert [a.id for a in before_accept.receipt_actions] == [explained.id]
