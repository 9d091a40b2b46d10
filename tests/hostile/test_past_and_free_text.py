"""Accepted but wrong, the rest (issue 11): a future date for a fact that has happened, and
terminal escapes in the free-text fields beside answers and names (notes, conditions,
rationales, MLRO records). Each is refused through the real CLI with a message naming the
question or the field, and the store is unchanged."""

from __future__ import annotations

import pytest

from tests.hostile.harness import Hostile

ESCAPE = "Checked \x1b[2J\x1b[31mall clear\x1b[0m against the passport"
"""Clears the screen and paints the rest red in whoever reads it in a terminal."""


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("ident.dob", "2999-01-01"),
        ("verify.completed_on", "9999-12-31"),
        ("verify.completed_on", "31/12/2998"),
        ("client.last_cdd", "2999-06-30"),
    ],
)
def test_a_future_date_for_a_past_fact_is_refused_naming_the_question(
    hostile: Hostile, question: str, value: str
) -> None:
    run = hostile.refused("answer", "M-1", question, value, message=f"{question}: ")
    assert "is in the future (today is " in run.output
    assert "it records what has happened" in run.output


def test_a_past_fact_dated_today_or_earlier_is_stored(hostile: Hostile) -> None:
    run = hostile.run("answer", "M-1", "ident.dob", "1970-01-31")
    assert run.code == 0, run.output
    hostile.verify_clean()


def test_a_date_ahead_for_a_future_fact_is_still_accepted(hostile: Hostile) -> None:
    # The next review is meant to be in the future: only questions marked `past` refuse it.
    run = hostile.run("answer", "M-1", "risk.review_date", "2999-01-01")
    assert run.code == 0, run.output


def test_escape_codes_in_evidence_text_fields_are_refused_naming_the_field(
    hostile: Hostile,
) -> None:
    scan = hostile.home / "bill.pdf"
    scan.write_bytes(b"%PDF-1.4 a bill")
    add = ("evidence", "add", "M-1", str(scan), "--type", "utility_bill", "--party", "p1")
    for option, field in (
        ("--note", "the evidence note"),
        ("--issuer", "the issuer"),
        ("--method", "the verification method"),
        ("--number", "the document number"),
    ):
        hostile.refused(*add, option, ESCAPE, message=f"{field} holds control characters (U+001B)")


@pytest.mark.parametrize(
    ("args", "user", "message"),
    [
        (("approve", "M-1", "--role", "mlro", "--conditions", ESCAPE), "mary", "the approval conditions"),
        (("request-approvals", "M-1", "--note", ESCAPE), "alice", "the request note"),
        (("override", "M-1", "--rating", "low", "--rationale", ESCAPE), "mary", "the override rationale"),
        (("mlro", "add", "M-1", ESCAPE), "mary", "the MLRO record"),
        (("retention", "hold", "M-1", "--ground", "enactment", "--note", ESCAPE), "bob", "the legal hold note"),
        (
            ("screening", "dispose", "M-1", "abcdef01", "--false-positive", "--reason", "FP_OTHER", "--note", ESCAPE),
            "mary",
            "the hit decision note",
        ),
        (("parties", "add", "M-1", "--role", "payer", "--kind", "entity", "--name", "Acme Ltd", "--registration", ESCAPE), "alice", "the registration number"),
        (("firm", "fwra", ESCAPE, "--date", "2026-01-05", "--approver", "bob"), "bob", "the FWRA version"),
    ],
)  # fmt: skip
def test_escape_codes_in_notes_conditions_and_rationales_are_refused_naming_the_field(
    hostile: Hostile, args: tuple[str, ...], user: str, message: str
) -> None:
    hostile.refused(*args, user=user, message=f"{message} holds control characters (U+001B)")


def test_a_rationale_of_invisible_characters_is_empty(hostile: Hostile) -> None:
    hostile.refused(
        "override", "M-1", "--rating", "low", "--rationale", "\u200b" * 60, user="mary",
        message="the override rationale is empty",
    )  # fmt: skip
    hostile.refused(
        "screening", "dispose", "M-1", "abcdef01", "--false-positive", "--reason", "FP_OTHER",
        "--note", " \u2060" * 20, user="mary", message="the hit decision note is empty",
    )  # fmt: skip


def test_notes_with_paragraphs_are_still_accepted(hostile: Hostile) -> None:
    run = hostile.run(
        "retention", "hold", "M-1", "--ground", "court_proceedings",
        "--note", "Claim HC-2026-000123.\n\tListed for trial in June.", user="bob",
    )  # fmt: skip
    assert run.code == 0, run.output
    hostile.verify_clean()
