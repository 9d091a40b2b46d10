"""Answers as people type them: what each question type accepts, refuses, and how it reads back.

`parse_answer` takes the text typed in the CLI or TUI; `validate_answer` checks a typed value;
`display_answer` shows it again. Every refusal is an InvalidAnswer naming the question, so a fee
earner sees which field to correct and how.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from duediligence.domain.answers import (
    Money,
    check_past,
    display_answer,
    parse_answer,
    read_date,
    read_moment,
    validate_answer,
)
from duediligence.domain.checklist import Question
from duediligence.domain.errors import DueDiligenceError, InvalidAnswer

OPTIONS = [
    {"value": "savings", "label": "Savings"},
    {"value": "gift", "label": "A gift"},
    {"value": "mortgage", "label": "Mortgage"},
]


def question(kind: str, qid: str = "client.answer", **extra: Any) -> Question:
    """A question of one type, as a checklist would define it."""
    data: dict[str, Any] = {
        "id": qid,
        "text": "A question",
        "guidance": "How to answer it.",
        "citations": ["MLR reg 28(2)"],
        "type": kind,
        **extra,
    }
    if kind in ("choice", "multi") and "options" not in extra:
        data["options"] = OPTIONS
    if kind == "evidence" and "evidence" not in extra:
        data["evidence"] = {"documents": ["passport"], "min_count": 1}
    return Question.model_validate(data)


def refused(q: Question, raw: str) -> InvalidAnswer:
    with pytest.raises(InvalidAnswer) as raised:
        parse_answer(q, raw)
    assert raised.value.question_id == q.id
    assert str(raised.value).startswith(f"{q.id}: ")
    return raised.value


# -- yes / no ------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["yes", "Yes", " YES ", "y", "true", "1"])
def test_yes_is_true(raw: str) -> None:
    assert parse_answer(question("yesno"), raw) is True


@pytest.mark.parametrize("raw", ["no", "No", "n", "false", "0"])
def test_no_is_false(raw: str) -> None:
    assert parse_answer(question("yesno"), raw) is False


def test_yesno_refuses_maybe_and_says_what_it_expects() -> None:
    error = refused(question("yesno", "client.pep"), "maybe")
    assert error.message == "expects yes or no, not 'maybe'"


def test_validate_yesno_needs_a_bool_not_a_number() -> None:
    with pytest.raises(InvalidAnswer, match=re.escape("client.pep: expects yes or no")):
        validate_answer(question("yesno", "client.pep"), 1)


def test_display_yesno() -> None:
    assert display_answer(True) == "Yes"
    assert display_answer(False) == "No"
    assert display_answer(None) == "(not answered)"


# -- choice, multi, rating -------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["gift", "GIFT", "A gift", "a GIFT"])
def test_choice_matches_value_or_label_in_any_case(raw: str) -> None:
    assert parse_answer(question("choice"), raw) == "gift"


def test_choice_unknown_option_lists_the_options() -> None:
    error = refused(question("choice", "funds.source"), "lottery")
    assert error.message == "'lottery' is not one of: savings, gift, mortgage"


def test_multi_splits_on_commas_and_matches_labels() -> None:
    assert parse_answer(question("multi"), "savings, gift") == ("savings", "gift")
    assert parse_answer(question("multi"), "Mortgage,A gift") == ("mortgage", "gift")


def test_multi_keeps_order_and_drops_repeats() -> None:
    assert parse_answer(question("multi"), "gift, savings, gift") == ("gift", "savings")


def test_multi_empty_means_none_ticked() -> None:
    assert parse_answer(question("multi"), "") == ()
    assert display_answer((), question("multi")) == "(none)"


def test_multi_unknown_option_names_it_and_lists_the_options() -> None:
    error = refused(question("multi", "funds.sources"), "savings, crypto")
    assert error.message == "unknown option(s) crypto; choose from: savings, gift, mortgage"


def test_validate_multi_refuses_a_bare_string() -> None:
    # A string is iterable: without the check "gift" would become the options g, i, f, t.
    with pytest.raises(InvalidAnswer, match=re.escape("funds.sources: expects a list of options")):
        validate_answer(question("multi", "funds.sources"), "gift")


def test_display_choice_and_multi_use_labels() -> None:
    assert display_answer("gift", question("choice")) == "A gift"
    assert display_answer(("savings", "gift"), question("multi")) == "Savings, A gift"


@pytest.mark.parametrize(("raw", "value"), [("High", "high"), ("low", "low"), ("MEDIUM", "medium")])
def test_rating_accepts_the_three_ratings(raw: str, value: str) -> None:
    q = question("rating", "risk.rating")
    assert parse_answer(q, raw) == value
    assert display_answer(value, q) == value.capitalize()


def test_rating_refuses_anything_else() -> None:
    error = refused(question("rating", "risk.rating"), "extreme")
    assert error.message == "'extreme' is not one of: low, medium, high"


# -- text --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "Director of Acme Ltd",
        "Владимир Иванов",
        "王小明",
        "محمد بن سلمان",
        "Ελληνικά",
        "Zoë O'Brien",
    ],
)
def test_text_accepts_any_script(raw: str) -> None:
    assert parse_answer(question("text"), f"  {raw}  ") == raw


@pytest.mark.parametrize("raw", ["", "   ", "\n\t"])
def test_text_refuses_empty(raw: str) -> None:
    assert refused(question("text", "risk.rationale"), raw).message == "is empty"


def test_text_refuses_over_long_answers() -> None:
    error = refused(question("text", "risk.rationale"), "x" * 20_001)
    assert error.message == "is longer than 20000 characters"


# -- dates and times ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ["25/12/2024", "2024-12-25", "25-12-2024", "25 Dec 2024", "25 December 2024", " 25/12/2024 "],
)
def test_date_accepts_uk_and_iso_forms(raw: str) -> None:
    assert parse_answer(question("date"), raw) == date(2024, 12, 25)


def test_uk_date_is_day_first() -> None:
    assert parse_answer(question("date"), "03/04/2024") == date(2024, 4, 3)


@pytest.mark.parametrize("raw", ["31/02/2024", "12/25/2024", "2024-13-01", "yesterday", "25.12.24"])
def test_bad_date_names_the_field_and_the_forms(raw: str) -> None:
    error = refused(question("date", "client.date_of_birth"), raw)
    assert error.message == f"'{raw}' is not a date; write it as YYYY-MM-DD or DD/MM/YYYY"
    assert str(error).startswith("client.date_of_birth: ")


def test_validate_date_refuses_a_datetime() -> None:
    with pytest.raises(InvalidAnswer, match="expects a date"):
        validate_answer(question("date"), datetime(2024, 12, 25, 10, 0))


@pytest.mark.parametrize(
    "raw", ["2024-12-25 10:30", "2024-12-25T10:30", "25/12/2024 10:30", "25/12/2024 10:30:00"]
)
def test_datetime_accepts_uk_and_iso_forms_in_local_time_stored_as_utc(
    raw: str, local_zone: Callable[[str], None]
) -> None:
    local_zone("Asia/Tokyo")  # UTC+9, no summer time
    value = parse_answer(question("datetime"), raw)
    assert value == datetime(2024, 12, 25, 1, 30, tzinfo=UTC)
    assert isinstance(value, datetime) and value.tzinfo is UTC


def test_a_naive_time_in_british_summer_time_is_an_hour_ahead_of_utc(
    local_zone: Callable[[str], None],
) -> None:
    local_zone("Europe/London")
    value = parse_answer(question("datetime"), "2024-06-01 10:30")
    assert value == datetime(2024, 6, 1, 9, 30, tzinfo=UTC)


@pytest.fixture
def local_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """Make a named zone the machine's local time zone for one test."""

    def set_zone(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield set_zone
    monkeypatch.undo()
    time.tzset()


def test_datetime_keeps_an_explicit_zone() -> None:
    value = parse_answer(question("datetime"), "2024-06-01T10:30+01:00")
    assert value == datetime(2024, 6, 1, 10, 30, tzinfo=timezone(timedelta(hours=1)))


def test_bad_datetime_says_how_to_write_it() -> None:
    error = refused(question("datetime", "id.verified_at"), "half past ten")
    assert error.message == (
        "'half past ten' is not a date and time; write it as YYYY-MM-DD HH:MM or DD/MM/YYYY HH:MM"
    )


# -- past facts ----------------------------------------------------------------------------------

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def test_a_past_date_after_today_is_refused_naming_the_question(
    local_zone: Callable[[str], None],
) -> None:
    local_zone("UTC")
    dob = question("date", "ident.dob", past=True)
    with pytest.raises(InvalidAnswer) as raised:
        check_past(dob, parse_answer(dob, "2999-01-01"), NOW)
    assert str(raised.value) == (
        "ident.dob: 2999-01-01 is in the future (today is 2026-03-02); it records what has happened"
    )
    with pytest.raises(InvalidAnswer, match="2026-03-03 is in the future"):
        check_past(dob, date(2026, 3, 3), NOW)
    check_past(dob, date(2026, 3, 2), NOW)  # today has happened
    check_past(question("date", "risk.review_date"), date(2999, 1, 1), NOW)  # not a past fact


def test_today_is_the_local_date_the_person_typed(local_zone: Callable[[str], None]) -> None:
    # 23:30 UTC on 2 March is already 3 March in Tokyo: a verification done "today" there stands.
    local_zone("Asia/Tokyo")
    done = question("date", "verify.completed_on", past=True)
    check_past(done, date(2026, 3, 3), datetime(2026, 3, 2, 23, 30, tzinfo=UTC))
    with pytest.raises(InvalidAnswer, match="today is 2026-03-03"):
        check_past(done, date(2026, 3, 4), datetime(2026, 3, 2, 23, 30, tzinfo=UTC))


def test_a_past_time_after_now_is_refused_beyond_clock_skew(
    local_zone: Callable[[str], None],
) -> None:
    local_zone("UTC")
    signed = question("datetime", "signoff.at", past=True)
    check_past(signed, NOW + timedelta(minutes=4), NOW)  # another machine's clock
    with pytest.raises(InvalidAnswer) as raised:
        check_past(signed, parse_answer(signed, "9999-12-31 23:59"), NOW)
    assert str(raised.value) == (
        "signoff.at: 9999-12-31 23:59+00:00 is in the future (now is 2026-03-02 09:30+00:00); "
        "it records what has happened"
    )


def test_display_dates() -> None:
    assert display_answer(date(2024, 12, 25)) == "2024-12-25"
    assert display_answer(datetime(2024, 12, 25, 10, 30, tzinfo=UTC)) == "2024-12-25 10:30 UTC"


# -- money -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "amount", "currency"),
    [
        ("£250,000", "250000", "GBP"),
        ("£ 250,000", "250000", "GBP"),
        ("250000 GBP", "250000", "GBP"),
        ("250000gbp", "250000", "GBP"),
        ("GBP 1,000.50", "1000.50", "GBP"),
        ("£1,234,567.89", "1234567.89", "GBP"),
        ("$1,000", "1000", "USD"),
        ("€99.99", "99.99", "EUR"),
        ("CHF 5000", "5000", "CHF"),
        ("0 GBP", "0", "GBP"),
        ("£100 GBP", "100", "GBP"),
    ],
)
def test_money_accepts_symbols_and_iso_codes(raw: str, amount: str, currency: str) -> None:
    assert parse_answer(question("money"), raw) == Money(amount=Decimal(amount), currency=currency)


def test_money_without_currency_says_so() -> None:
    error = refused(question("money", "matter.price"), "250000")
    assert error.message == "needs a currency, e.g. 250000 GBP"


@pytest.mark.parametrize("raw", ["-5 GBP", "£-5", "GBP -1,000", "- 5 GBP"])
def test_negative_money_is_refused_as_negative(raw: str) -> None:
    error = refused(question("money", "matter.price"), raw)
    assert error.message == f"'{raw}': an amount cannot be negative"


@pytest.mark.parametrize("raw", ["100 XYZ", "ABC 100"])
def test_money_refuses_a_non_iso_currency(raw: str) -> None:
    error = refused(question("money", "matter.price"), raw)
    code = raw.split()[1] if raw[0].isdigit() else raw.split()[0]
    assert error.message == f"'{code}' is not an ISO 4217 currency code"


def test_money_refuses_two_different_currencies() -> None:
    error = refused(question("money", "matter.price"), "£100 USD")
    assert error.message == "'£100 USD' has two currencies (GBP, USD)"
    error = refused(question("money", "matter.price"), "EUR 100 USD")
    assert error.message == "'EUR 100 USD' has two currencies (EUR, USD)"


@pytest.mark.parametrize("raw", ["1,00 GBP", "1,0,0 GBP", "12,34.50 GBP"])
def test_money_refuses_commas_that_are_not_thousands_separators(raw: str) -> None:
    # "1,00" is one pound in much of Europe: reading it as 100 would misstate the amount.
    error = refused(question("money", "matter.price"), raw)
    assert error.message == (
        f"'{raw}' is not an amount; write it as e.g. 250000 GBP or £1.5m; "
        "commas only separate thousands, e.g. 1,250,000.50"
    )


@pytest.mark.parametrize("raw", ["a lot", "GBP", "£", "1e6 GBP"])
def test_money_refuses_what_is_not_an_amount(raw: str) -> None:
    error = refused(question("money", "matter.price"), raw)
    assert error.message == f"'{raw}' is not an amount; write it as e.g. 250000 GBP or £1.5m"


def test_money_empty_is_refused() -> None:
    assert refused(question("money"), "  ").message == "is empty"


def test_validate_money_needs_a_money_value() -> None:
    with pytest.raises(
        InvalidAnswer, match=re.escape("matter.price: expects an amount with a currency")
    ):
        validate_answer(question("money", "matter.price"), Decimal(100))


def test_money_model_refuses_negative_and_unknown_currency() -> None:
    with pytest.raises(ValueError, match="cannot be negative"):
        Money(amount=Decimal(-1), currency="GBP")
    with pytest.raises(ValueError, match="not an ISO 4217 currency code"):
        Money(amount=Decimal(1), currency="XYZ")


def test_display_money() -> None:
    value = parse_answer(question("money"), "£250,000")
    assert display_answer(value, question("money")) == "GBP 250,000.00"


# -- countries ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("GB", "GB"),
        ("gb", "GB"),
        ("United Kingdom", "GB"),
        ("UK", "GB"),
        ("England", "GB"),
        ("france", "FR"),
        ("IR", "IR"),
        ("USA", "US"),
    ],
)
def test_country_accepts_codes_and_names(raw: str, code: str) -> None:
    assert parse_answer(question("country"), raw) == code


@pytest.mark.parametrize("raw", ["Narnia", "XX", "G B"])
def test_unknown_country_is_refused(raw: str) -> None:
    error = refused(question("country", "client.residence"), raw)
    assert error.message == f"'{raw}' is not a country (use an ISO code such as GB)"


def test_validate_country_normalises_case_and_refuses_non_iso() -> None:
    q = question("country", "client.residence")
    assert validate_answer(q, "fr") == "FR"
    with pytest.raises(InvalidAnswer, match="'ZZ' is not an ISO 3166-1 country code"):
        validate_answer(q, "ZZ")


def test_display_country_gives_name_and_code() -> None:
    q = question("country")
    assert display_answer("FR", q) == "France (FR)"


# -- percent -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [("25%", "25"), ("25", "25"), ("25 %", "25"), ("0", "0"), ("100%", "100"), ("12.5%", "12.5")],
)
def test_percent_accepts_numbers_with_or_without_sign(raw: str, value: str) -> None:
    assert parse_answer(question("percent"), raw) == Decimal(value)


@pytest.mark.parametrize(("raw", "shown"), [("101", "101"), ("-1", "-1"), ("100.01%", "100.01")])
def test_percent_out_of_range_is_refused(raw: str, shown: str) -> None:
    error = refused(question("percent", "owner.share"), raw)
    assert error.message == f"{shown} is not between 0 and 100"


@pytest.mark.parametrize("raw", ["a quarter", "25 per cent", "%"])
def test_percent_that_is_not_a_number(raw: str) -> None:
    error = refused(question("percent", "owner.share"), raw)
    assert error.message == f"'{raw}' is not a percentage"


@pytest.mark.parametrize(
    ("raw", "shown"), [("NaN", "NaN"), ("Infinity", "Infinity"), ("-inf", "-Infinity")]
)
def test_percent_refuses_nan_and_infinity_without_a_traceback(raw: str, shown: str) -> None:
    error = refused(question("percent", "owner.share"), raw)
    assert error.message == f"'{shown}' is not a number between 0 and 100"


def test_validate_percent_refuses_bool_and_nan() -> None:
    q = question("percent", "owner.share")
    with pytest.raises(InvalidAnswer, match="expects a percentage between 0 and 100"):
        validate_answer(q, True)
    with pytest.raises(InvalidAnswer, match="is not a number between 0 and 100"):
        validate_answer(q, float("nan"))
    assert validate_answer(q, 25) == Decimal(25)


def test_display_percent_without_exponent() -> None:
    q = question("percent")
    assert display_answer(parse_answer(q, "25%"), q) == "25%"
    assert display_answer(parse_answer(q, "1e2"), q) == "100%"
    assert display_answer(Decimal("12.5"), q) == "12.5%"


# -- party and evidence ------------------------------------------------------------------------


def test_party_is_a_party_reference() -> None:
    assert parse_answer(question("party"), " p2 ") == "p2"
    with pytest.raises(
        InvalidAnswer, match=re.escape("tranche.donor: expects a party of the case")
    ):
        validate_answer(question("party", "tranche.donor"), "  ")


def test_evidence_is_a_list_of_references() -> None:
    q = question("evidence", "id.document")
    assert parse_answer(q, "doc-1, doc-2, doc-1") == ("doc-1", "doc-2")
    with pytest.raises(
        InvalidAnswer, match=re.escape("id.document: expects a list of evidence references")
    ):
        validate_answer(q, "doc-1")


@pytest.mark.parametrize(
    "kind", ["yesno", "choice", "text", "date", "datetime", "money", "country"]
)
def test_every_single_value_type_refuses_empty_input(kind: str) -> None:
    assert refused(question(kind, "some.field"), "   ").message == "is empty"


@pytest.mark.parametrize(
    ("raw", "amount", "currency"),
    [
        ("£30m", "30000000", "GBP"),
        ("£1.5m", "1500000", "GBP"),
        ("30 million GBP", "30000000", "GBP"),
        ("GBP 250k", "250000", "GBP"),
        ("250K EUR", "250000", "EUR"),
        ("$2bn", "2000000000", "USD"),
        ("1.25 billion USD", "1250000000", "USD"),
        ("€12.5 thousand", "12500", "EUR"),
        ("1,250,000 GBP", "1250000", "GBP"),
        ("1.234567m GBP", "1234567", "GBP"),
        ("30 MNT", "30", "MNT"),
        ("30 MGA", "30", "MGA"),
    ],
)
def test_money_reads_the_amount_people_mean(raw: str, amount: str, currency: str) -> None:
    # "£30m" was once stored as GBP 30.00: the amount typed is the amount stored, or a refusal.
    value = parse_answer(question("money", "matter.price"), raw)
    assert isinstance(value, Money)
    assert value.amount == Decimal(amount) and value.currency == currency
    assert "E" not in str(value.amount)


@pytest.mark.parametrize("raw", ["£30 zillion", "30mm GBP", "£m", "£30 m m", "30m30 GBP"])
def test_money_scales_never_guess(raw: str) -> None:
    error = refused(question("money", "matter.price"), raw)
    assert raw[:10] in error.message


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-01-31", date(2026, 1, 31)),
        ("31/01/2026", date(2026, 1, 31)),
        (" 31 Jan 2026 ", date(2026, 1, 31)),
    ],
)
def test_one_date_reader_for_forms(typed: str, expected: date) -> None:
    assert read_date("date of birth", typed) == expected


def test_form_dates_name_the_field() -> None:
    with pytest.raises(DueDiligenceError) as caught:
        read_date("date of birth", "31/02/2026")
    assert str(caught.value) == (
        "date of birth: '31/02/2026' is not a date; write it as YYYY-MM-DD or DD/MM/YYYY"
    )
    with pytest.raises(DueDiligenceError) as caught:
        read_moment("when", "half past ten")
    assert "when: 'half past ten' is not a date and time" in str(caught.value)
    assert read_moment("when", "31/01/2026 14:30") == datetime(2026, 1, 31, 14, 30)
