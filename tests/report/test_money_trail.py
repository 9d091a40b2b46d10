"""The example audit file's transaction reconstruction (part 7): from the source of wealth to
each declared tranche, the receipts against them, and completion."""

from __future__ import annotations

from tests.report.conftest import Rendered, squash


def test_the_example_reconstructs_the_transaction(example: Rendered) -> None:
    text = squash(example.text())
    for words in (
        "Transaction reconstruction",
        "Source of wealth — the client: from Employment income (salary, bonus)",
        "net worth GBP 6,400,000.00; concluded Established.",
        "Amount required: GBP 1,905,000.00. Received and kept: GBP 1,905,000.00. Receipts match "
        "the amount required.",
        "Tranche 2: gift, GBP 505,000.00, paid by Aigerim Abenova (p3) from a bank in KZ",
        "Received 2026-03-10: GBP 505,000.00 from ABENOVA AIGERIM",
        # Arrived while G2 was closed: held, explained, accepted by the MLRO; said neutrally.
        "Mismatch explained and accepted",
        "received while G2 (funds) was closed: the money is held for a compliance review by the "
        "MLRO, who alone may accept it",
        "Accepted by Helen Marsh (helen), 2026-03-10 11:00 UTC",
        "Completion: Completed 2026-03-26",
    ):
        assert squash(words) in text, words
    # The accounts are printed masked only.
    assert "KZ86125KZT5004100100" not in text and "43917702" not in text
