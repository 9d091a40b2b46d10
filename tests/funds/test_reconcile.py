"""`reconcile` alone: pure, no store. Tolerance (share and absolute), receipts adding up against
one tranche, another currency with a rate, returned money, what the derived answer says."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from duediligence.domain.answers import Money
from duediligence.domain.case import InvalidInput, Party, PartyKind, PartyRole
from duediligence.domain.funds import (
    Declared,
    FundsPolicy,
    NewReceipt,
    Receipt,
    ReceiptAction,
    Reconciliation,
    Tranche,
    check_receipt,
    read_tranche,
    receipt_states,
    reconcile,
)
from duediligence.domain.vocabulary import Gate
from duediligence.screening.holders import same_holder

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
CLIENT = Party(
    id="c",
    case_id="k",
    label="p1",
    role=PartyRole.CLIENT,
    kind=PartyKind.INDIVIDUAL,
    name="Oleksandr Petrenko",
    added_at=NOW,
    added_by="a",
)
TRANCHE = Tranche(
    run_key="source-of-funds",
    number=1,
    source="savings",
    amount=Money(amount=Decimal(100_000), currency="GBP"),
    payer=CLIENT,
    payer_label="p1",
    bank_country="GB",
)
DECLARED = Declared(
    tranches=(TRANCHE,),
    required=Money(amount=Decimal(100_000), currency="GBP"),
    reviewed_at=datetime(2026, 5, 1, tzinfo=UTC),
)
POLICY = FundsPolicy(same_name=same_holder, high_risk_countries=frozenset({"IR"}))


def receipt(number: int, amount: str, currency: str = "GBP", **fields: object) -> Receipt:
    values: dict[str, object] = {
        "id": f"r{number}",
        "case_id": "k",
        "amount": Decimal(amount),
        "currency": currency,
        "received_on": date(2026, 5, 10),
        "remitter": "PETRENKO OLEKSANDR",
        "bank_country": "GB",
        "run_key": "source-of-funds",
        "tranche": 1,
        "recorded_by": "a",
        "recorded_at": NOW,
    }
    values.update(fields)
    return Receipt.model_validate(values)


def kinds(
    *receipts: Receipt, actions: tuple[ReceiptAction, ...] = (), **policy: object
) -> tuple[list[list[str]], Reconciliation]:
    found = reconcile(
        DECLARED,
        receipt_states(receipts, actions),
        [CLIENT],
        FundsPolicy(**{**POLICY.__dict__, **policy}),
    )
    return [[m.kind for m in line.mismatches] for line in found.lines], found


def test_two_payments_add_up_against_their_tranche() -> None:
    found, result = kinds(receipt(1, "60000"), receipt(2, "40500"))
    assert found == [[], []]  # 100,500 is within 1% of 100,000
    assert result.receipts_match == "yes" and not result.issues
    found, result = kinds(receipt(1, "60000"), receipt(2, "41500"))
    assert found == [[], ["amount"]]  # the second pushes the tranche over
    assert [i.gate for i in result.issues] == [Gate.G2, Gate.G2]  # the receipt and the total


def test_the_absolute_tolerance_counts_when_it_is_the_larger() -> None:
    found, _ = kinds(receipt(1, "101500"), tolerance_amount=Decimal(2000))
    assert found == [[]]


def test_another_currency_is_compared_at_its_rate() -> None:
    found, result = kinds(receipt(1, "117000", "EUR", rate=Decimal("0.855")))
    assert found == [[]] and result.received == Decimal("100035.00")
    found, _ = kinds(receipt(1, "117000", "EUR"))
    assert found == [["currency"]]


def test_returned_money_neither_counts_nor_holds() -> None:
    returned = ReceiptAction(
        id="x", case_id="k", receipt_id="r2", action="return", note="sent back", by="a", at=NOW
    )
    found, result = kinds(receipt(1, "100000"), receipt(2, "90000"), actions=(returned,))
    assert found == [[], []]
    assert result.unreconciled == 0 and result.received == Decimal(100000)
    assert [line.status for line in result.lines] == ["reconciled", "returned"]


def test_remitter_bank_and_dates_are_each_named() -> None:
    found, result = kinds(
        receipt(
            1, "100000", remitter="Ivan Sidorov", bank_country="IR", received_on=date(2026, 4, 1)
        )
    )
    assert found == [["payer", "country", "high_risk", "not_party", "before_review"]]
    assert result.receipts_match == "no"


def test_a_tranche_is_read_as_its_number_or_run_and_number() -> None:
    assert read_tranche(DECLARED, "1", "M-1") == TRANCHE
    assert read_tranche(DECLARED, "source-of-funds#1", "M-1") == TRANCHE
    with pytest.raises(InvalidInput, match="tranche: 'one' is not a tranche number"):
        read_tranche(DECLARED, "one", "M-1")


def test_typed_fields_are_checked_naming_each() -> None:
    good = NewReceipt(amount="£100k", received_on="10/05/2026", remitter="O Petrenko", tranche="1")
    checked = check_receipt(good, DECLARED, NOW, "M-1")
    assert (checked.money.amount, checked.received_on) == (Decimal(100000), date(2026, 5, 10))
    for field, value, message in (
        ("amount", "100k", "amount: needs a currency"),
        ("received_on", "2026-06-02", "received_on: 2026-06-02 is in the future"),
        ("rate", "-1", "rate: '-1' is not an exchange rate"),
        ("bank_country", "Narnia", "bank_country: 'Narnia' is not a country"),
    ):
        bad = NewReceipt(**{**good.__dict__, field: value})
        with pytest.raises(InvalidInput, match=message):
            check_receipt(bad, DECLARED, NOW, "M-1")
