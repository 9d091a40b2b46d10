"""What counts as saying something in an answer, and what an amount may be (issue 11)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from duediligence.domain.answers import (
    Money,
    check_text,
    is_blank,
    meaningful_text,
    parse_answer,
    validate_answer,
)
from duediligence.domain.checklist import Question
from duediligence.domain.errors import InvalidAnswer
from duediligence.domain.evaluation import _incomplete


def _question(kind: str, **extra: object) -> Question:
    return Question.model_validate(
        {"id": "q", "text": "Q", "guidance": "G", "citations": ["x"], "type": kind, **extra}
    )


def test_invisible_and_repeated_whitespace_do_not_count() -> None:
    assert meaningful_text("\u200b a \u2060\ufeff  b\u200d \u3164") == "a b"
    assert meaningful_text("\u200b" * 41) == ""
    assert is_blank(" \t\u200c") and is_blank(()) and not is_blank("x") and not is_blank(False)


def test_min_length_counts_meaningful_characters() -> None:
    question = _question("text", min_length=5)
    assert _incomplete(question, "ab" + "\u200b" * 40) == "Too short (2 of 5 characters)"
    assert _incomplete(question, "ab" + " " * 40 + "c") == "Too short (4 of 5 characters)"
    assert _incomplete(question, "a b c") is None


@pytest.mark.parametrize("text", ["", "   ", "\u200b\u200c", "\ufeff\n\t"])
def test_empty_text_is_refused(text: str) -> None:
    with pytest.raises(InvalidAnswer, match="is empty"):
        validate_answer(_question("text"), text)


def test_control_characters_are_refused_but_paragraphs_are_not() -> None:
    with pytest.raises(InvalidAnswer, match="U\\+001B"):
        validate_answer(_question("text"), "red \x1b[31m text")
    with pytest.raises(InvalidAnswer, match="U\\+0085"):
        validate_answer(_question("text"), "next\x85line")
    assert validate_answer(_question("text"), "one\r\ntwo\tthree") == "one\ntwo\tthree"
    with pytest.raises(ValueError, match="control characters"):
        check_text("a name", "two\nlines")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1" * 19 + " GBP", "too large"),
        ("1.12345 GBP", "decimal places"),
        ("5 XTS", "not a currency a client pays in"),
        ("5 XPT", "not a currency a client pays in"),
    ],
)
def test_amounts_refused(typed: str, message: str) -> None:
    with pytest.raises(InvalidAnswer, match=message):
        parse_answer(_question("money"), typed)


def test_amounts_accepted_and_stored_money_still_reads() -> None:
    assert parse_answer(_question("money"), "1" * 18 + ".1234 GBP") == Money(
        amount=Decimal("1" * 18 + ".1234"), currency="GBP"
    )
    # Refused where typed, not in the model: an answer stored before still reads back.
    assert Money(amount=Decimal(1), currency="XXX").currency == "XXX"
    with pytest.raises(InvalidAnswer):
        validate_answer(_question("money"), Money(amount=Decimal(1), currency="XAU"))
