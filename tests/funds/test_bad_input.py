"""Bad input through the real command line: each refusal names the field (or the ledger row and
column) and stores nothing. Hostile files (a pipe, /dev/zero, a huge field) are refused before
they are read whole."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from duediligence.adapters.locations import bundled_checklists_dir
from duediligence.cli import main
from duediligence.domain.case import InvalidInput, NotAllowed
from duediligence.domain.funds import NewReceipt
from tests.funds.conftest import BOB, REFERENCE, Purchase

CHECKLISTS = (
    bundled_checklists_dir() / "source-of-funds.toml",
    bundled_checklists_dir() / "country-lists",
    Path(__file__).with_name("checklists"),
)


def cli(purchase: Purchase, *args: str, user: str = "alice") -> Result:
    extra = ["--store", str(purchase.store_path), "--as", user]
    for path in CHECKLISTS:
        extra += ["--checklists", str(path)]
    return CliRunner().invoke(main, [*args, *extra], catch_exceptions=False)


def stored(purchase: Purchase) -> tuple[int, int, int]:
    """Receipts, parties and audit events in the store, read with plain sqlite3."""
    with sqlite3.connect(purchase.store_path) as conn:
        counts = [
            conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("receipts", "parties", "audit_events")
        ]
    return counts[0], counts[1], counts[2]


def add(purchase: Purchase, *changes: str) -> Result:
    base = {
        "--amount": "GBP 100000",
        "--received-on": "2026-05-06",
        "--remitter": "John Smith",
        "--bank-country": "GB",
        "--tranche": "1",
    }
    args = list(changes)
    for option, value in base.items():
        if option not in args:
            args += [option, value]
    return cli(purchase, "funds", "add", REFERENCE, *args)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (("--amount", "250000"), "amount: needs a currency, e.g. 250000 GBP"),
        (("--amount", "-250 GBP"), "amount: '-250 GBP': an amount cannot be negative"),
        (("--amount", "GBP 0"), "amount: a receipt of nothing is not a receipt"),
        (
            ("--amount", "USD 120000"),
            "rate: the amount is in USD but tranche 1 is declared in GBP; give the rate the "
            "bank applied (GBP per USD)",
        ),
        (("--received-on", "2999-01-01"), "received_on: 2999-01-01 is in the future"),
        (("--received-on", "31/02/2026"), "received_on: '31/02/2026' is not a date"),
        (("--bank-country", "Atlantis"), "bank_country: 'Atlantis' is not a country"),
        (
            ("--tranche", "7"),
            "tranche: P-2026-014 declares no tranche 7 (declared: tranche 1, tranche 2)",
        ),
        (
            ("--tranche", "1", "--rate", "1.2"),
            "rate: an exchange rate is recorded only for an amount in another currency",
        ),
        (("--remitter", "Evil\x1b[2J"), "remitter"),
    ],
)
def test_a_bad_receipt_is_refused_naming_the_field_and_nothing_is_stored(
    purchase: Purchase, changes: tuple[str, ...], message: str
) -> None:
    before = stored(purchase)
    result = add(purchase, *changes)
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert stored(purchase) == before


def test_a_receipt_through_the_command_line_in_text_and_json(purchase: Purchase) -> None:
    result = add(purchase, "--account", "GB29NWBK60161331926819", "--reference", "CL-1")
    assert result.exit_code == 0, result.output
    assert "RECONCILED" in result.output
    listed = cli(purchase, "funds", "list", REFERENCE, "--json")
    data = json.loads(listed.output)
    (receipt,) = data["receipts"]
    assert (receipt["status"], receipt["tranche"], receipt["amount"]) == ("reconciled", 1, "100000")
    assert receipt["account"].endswith("6819") and "NWBK6016" not in receipt["account"]
    assert data["receipts_match"] == "yes"
    assert data["issues"] == [
        {
            "gate": "G3",
            "message": "Receipts total GBP 100,000.00 of the GBP 250,000.00 required "
            "(GBP 150,000.00 short): the money is not all in before exchange",
        }
    ]
    rows = json.loads(cli(purchase, "cases", "list", "--json").output)
    assert rows[0]["unreconciled_receipts"] == 0


def test_a_receipt_in_another_currency_with_a_rate_is_compared_converted(
    purchase: Purchase,
) -> None:
    result = add(purchase, "--amount", "EUR 117000", "--rate", "0.855", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["status"] == "reconciled", data["mismatches"]
    funds = purchase.casefile.view(REFERENCE).funds
    assert funds.received == 100035  # 117,000 x 0.855, within the 1% tolerance of 100,000


def test_explain_allocate_accept_and_return_through_the_command_line(purchase: Purchase) -> None:
    result = add(purchase, "--remitter", "Meridian Holdings Ltd", "--json")
    data = json.loads(result.output)
    assert data["new_party"] == "p3" and data["status"] == "unreconciled"
    short = data["id"][:8]
    explained = cli(
        purchase,
        "funds",
        "explain",
        REFERENCE,
        short,
        "--note",
        "The client's own company; director's loan agreement is on file.",
    )
    assert explained.exit_code == 0 and "EXPLAINED" in explained.output
    refused = cli(purchase, "funds", "accept", REFERENCE, short)  # alice, a fee earner
    assert refused.exit_code == 1 and "only a supervisor" in refused.output
    # Allocated elsewhere, the acceptance must be looked at again; bad tranche is refused.
    moved = cli(purchase, "funds", "allocate", REFERENCE, short, "9")
    assert moved.exit_code == 1 and "declares no tranche 9" in moved.output
    blank = cli(purchase, "funds", "allocate", REFERENCE, short, " ")
    assert blank.exit_code == 1 and "tranche: give the declared tranche" in blank.output
    moved = cli(purchase, "funds", "allocate", REFERENCE, short, "2", "--json")
    assert moved.exit_code == 0, moved.output
    assert json.loads(moved.output)["tranche"] == 2
    kinds = [m["kind"] for m in json.loads(moved.output)["mismatches"]]
    assert kinds == ["payer"]  # 100,000 is within tranche 2's 150,000: only the payer differs
    returned = cli(
        purchase, "funds", "return", REFERENCE, short, "--note", "Sent back to Meridian in full."
    )
    assert returned.exit_code == 0 and "RETURNED" in returned.output
    again = cli(
        purchase, "funds", "return", REFERENCE, short, "--note", "Sent back to Meridian again."
    )
    assert again.exit_code == 1 and "was returned" in again.output
    missing = cli(purchase, "funds", "explain", REFERENCE, "ffffffff", "--note", "x" * 30)
    assert missing.exit_code == 1 and "has no receipt 'ffffffff'" in missing.output


def test_the_acceptance_is_a_second_persons(purchase: Purchase) -> None:
    added = purchase.casefile.add_receipt(
        BOB,
        REFERENCE,
        NewReceipt(amount="GBP 1000", received_on="2026-05-06", remitter="John Smith"),
    )
    purchase.casefile.explain_receipt(
        BOB, REFERENCE, added.receipt.id, "Money on account for searches, not a tranche."
    )
    with pytest.raises(NotAllowed, match="bob recorded the receipt and explained it and cannot"):
        purchase.casefile.accept_receipt(BOB, REFERENCE, added.receipt.id)


def test_the_receipts_answer_is_derived_not_typed(purchase: Purchase) -> None:
    with pytest.raises(InvalidInput, match=r"sof\.receipts_match is not typed"):
        purchase.casefile.answer(BOB, REFERENCE, "sof.receipts_match", "yes")


# ----------------------------------------------------------------------------------------------
# The client-ledger CSV


HEADER = "amount,received_on,remitter,bank,bank_country,account,reference,tranche\n"


def test_a_ledger_is_imported_whole(purchase: Purchase, tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(
        HEADER
        + "GBP 100000,2026-05-06,MR J SMITH,Nationwide,GB,12345678,CL-1,1\n"
        + "GBP 150000,06/05/2026,Northern Building Society,Northern,GB,,CL-2,2\n",
        encoding="utf-8",
    )
    result = cli(purchase, "funds", "import", REFERENCE, str(ledger))
    assert result.exit_code == 0, result.output
    assert "Imported 2 receipts" in result.output
    view = purchase.casefile.view(REFERENCE)
    assert [line.status for line in view.funds.lines] == ["reconciled", "reconciled"]
    # Every tranche in, every receipt reconciled: funds, exchange and completion wait for nothing.
    assert all(gate.open for gate in view.evaluation.gates)
    assert view.funds.receipts_match == "yes"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            "GBP 100000,2026-05-06,John Smith,,GB,,,1\n100000,2026-05-06,John Smith,,GB,,,2\n",
            "row 2: amount: needs a currency",
        ),
        (
            "GBP 100000,2026-05-06,John Smith,,GB,,,1\nGBP 5,2999-05-06,John Smith,,GB,,,2\n",
            "row 2: received_on: 2999-05-06 is in the future",
        ),
        ("GBP 100000,2026-05-06,,,GB,,,1\n", "row 1, column remitter: empty"),
        ("100000,2026-05-06,John Smith,,GB,,,1\n", "row 1: amount: needs a currency"),
        ("GBP 100000,2026-05-06,John Smith,GB\n", "row 1: 8 columns expected"),
    ],
)
def test_a_ledger_with_a_bad_row_imports_nothing(
    purchase: Purchase, tmp_path: Path, rows: str, message: str
) -> None:
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(HEADER + rows, encoding="utf-8")
    before = stored(purchase)
    result = cli(purchase, "funds", "import", REFERENCE, str(ledger))
    assert result.exit_code == 1
    assert message in result.output
    assert stored(purchase) == before


def test_hostile_ledger_files_are_refused_without_hanging(
    purchase: Purchase, tmp_path: Path
) -> None:
    before = stored(purchase)
    fifo = tmp_path / "ledger.fifo"
    os.mkfifo(fifo)
    outcome: list[Result] = []
    worker = threading.Thread(
        target=lambda: outcome.append(cli(purchase, "funds", "import", REFERENCE, str(fifo)))
    )
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive(), "a pipe made the import hang"
    assert "not a regular file" in outcome[0].output
    zero = cli(purchase, "funds", "import", REFERENCE, "/dev/zero")
    assert zero.exit_code == 1 and "not a regular file" in zero.output
    huge = tmp_path / "huge.csv"
    huge.write_text(HEADER + "GBP 1," + "2026-05-06," + "A" * 300_000 + ",,,,,1\n")
    refused = cli(purchase, "funds", "import", REFERENCE, str(huge))
    assert refused.exit_code == 1 and "Traceback" not in refused.output
    assert "huge.csv" in refused.output
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("amount,date,who\nGBP 1,2026-05-06,A\n")
    unknown = cli(purchase, "funds", "import", REFERENCE, str(wrong))
    assert unknown.exit_code == 1 and "unknown column 'date'" in unknown.output
    assert stored(purchase) == before
