"""Inputs that were accepted but wrong (issue 11): each is refused through the real CLI with a
message, and the store is unchanged."""

from __future__ import annotations

import pytest

from tests.hostile.harness import Hostile

ANSWERS = [
    ("ident.full_name", "   ", "is empty"),
    ("ident.full_name", "\u200b\u200c\u200d\u2060\ufeff", "is empty"),
    ("ident.full_name", "Ivan \x1b[31mPetrov", "control characters (U+001B)"),
    ("ident.full_name", "Ivan\x9bPetrov", "control characters (U+009B)"),
]


@pytest.mark.parametrize(("question", "value", "message"), ANSWERS)
def test_an_answer_that_says_nothing_or_holds_escapes_is_refused(
    hostile: Hostile, question: str, value: str, message: str
) -> None:
    hostile.refused("answer", "M-1", question, value, message=message)


def test_names_of_whitespace_or_with_escapes_are_refused(hostile: Hostile) -> None:
    hostile.refused(
        "parties", "add", "M-1", "--role", "payer", "--name", " \u200b ", message="is empty"
    )
    hostile.refused(
        "parties", "add", "M-1", "--role", "payer", "--name", "A\x1b]0;x\x07B",
        message="control characters",
    )  # fmt: skip
    hostile.refused(
        "users", "add", "eve", "--name", "   ", "--role", "fee_earner", message="is empty",
        user="bob",
    )  # fmt: skip


def test_a_reference_with_spaces_is_the_same_reference(hostile: Hostile) -> None:
    args: tuple[str, ...] = ("--kind", "solicitor", "--matter-type", "residential_purchase")
    args += ("--client-type", "individual", "--acting-for", "buyer", "--responsible", "alice")
    hostile.refused("cases", "new", " M-1 ", *args, message="already exists", code=3)
    hostile.refused("cases", "new", "M\u200b-1", *args, message="invisible characters")
    hostile.refused("cases", "new", "   ", *args, message="is empty")


def test_future_evidence_times_are_refused(hostile: Hostile) -> None:
    scan = hostile.home / "bill.pdf"
    scan.write_bytes(b"%PDF-1.4 a bill")
    for option, name in (("--received-at", "received at"), ("--verified-at", "verified at")):
        hostile.refused(
            "evidence", "add", "M-1", str(scan), "--type", "utility_bill", "--party", "p1",
            option, "2999-01-01T10:00+00:00", message=f"{name}: 2999-01-01T10:00+00:00 is in the future",
        )  # fmt: skip


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1" * 60 + " GBP", "too large"),
        ("1.55555 GBP", "at most 4 decimal places, not 5"),
        # Refused before it is read as a number at all (main's money reader bounds the text).
        ("1." + "5" * 5000 + " GBP", "at most 4 decimal places, not 5000"),
        ("250000 XXX", "not a currency a client pays in"),
        ("10 XAU", "not a currency a client pays in"),
        ("10 XDR", "not a currency a client pays in"),
    ],
)
def test_amounts_out_of_bounds_or_in_no_currency_are_refused(
    hostile: Hostile, value: str, message: str
) -> None:
    hostile.refused("answer", "M-1", "matter.value", value, message=message)


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--dob", "2024-02-30", "--dob: '2024-02-30' is not a date"),
        ("--dob", "1960-13", "--dob: '1960-13' is not a date"),
        ("--dob", "2999", "--dob: 2999 is in the future"),
        ("--nationality", "XX", "--nationality: 'XX' is not a country"),
        ("--gender", "banana", "--gender: 'banana' is not male or female"),
    ],
)
def test_screen_options_that_mean_nothing_are_refused(
    hostile: Hostile, option: str, value: str, message: str
) -> None:
    hostile.refused("screen", "John Smith", option, value, message=message)


def test_a_batch_row_that_means_nothing_is_refused_with_its_row(hostile: Hostile) -> None:
    batch = hostile.home / "people.csv"
    batch.write_text("full_name,date_of_birth,gender\nAnn Lee,1970-01-01,f\nBob Ray,2024-02-30,m\n")
    output = hostile.home / "out.csv"
    hostile.refused(
        "screen", "--batch", str(batch), "--output", str(output),
        message="people.csv: row 3: date_of_birth: '2024-02-30' is not a date",
    )  # fmt: skip
    assert not output.exists()


def test_parties_add_refuses_an_impossible_date_and_an_unknown_country(hostile: Hostile) -> None:
    add = ("parties", "add", "M-1", "--role", "payer", "--name", "Ann Lee")
    hostile.refused(*add, "--dob", "2024-02-30", message="'2024-02-30' is not a date", code=2)
    hostile.refused(*add, "--nationality", "XX", message="not ISO 3166-1 country codes: XX")
