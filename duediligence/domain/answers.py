"""Answer values: what each question type accepts, checked and parsed from what a person types.

`validate_answer` checks a typed value against its question; `parse_answer` turns the text a
person typed (CLI, TUI field) into that value. Both raise `InvalidAnswer` naming the question and
saying what was expected, so nothing wrong is ever stored.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from pydantic import BaseModel, ConfigDict, field_validator

from duediligence.domain.checklist import Question, QuestionType
from duediligence.domain.errors import DueDiligenceError, InvalidAnswer
from duediligence.domain.iso import COUNTRIES, CURRENCIES
from duediligence.domain.vocabulary import Rating


class Money(BaseModel):
    """An amount in a currency, with its sterling equivalent where known."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    amount: Decimal
    """The amount, never negative."""
    currency: str
    """ISO 4217 code."""
    gbp_equivalent: Decimal | None = None
    """Sterling equivalent at the rate on the day, when the currency is not GBP."""

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, value: str) -> str:
        code = value.strip().upper()
        if code not in CURRENCIES:
            raise ValueError(f"'{value}' is not an ISO 4217 currency code")
        return code

    @field_validator("amount", "gbp_equivalent")
    @classmethod
    def _not_negative(cls, value: Decimal | None) -> Decimal | None:
        if value is not None and value < 0:
            raise ValueError("an amount cannot be negative")
        return value

    def in_currency(self, currency: str) -> Decimal | None:
        """The amount in `currency` when known without a rate: its own, or GBP via the equivalent."""
        if currency == self.currency:
            return self.amount
        if currency == "GBP":
            return self.gbp_equivalent
        return None

    def __str__(self) -> str:
        # Written as it is typed, so the text reads back as the same amount.
        if self.gbp_equivalent is not None and self.currency != "GBP":
            return f"{self.currency} {self.amount:,.2f} = GBP {self.gbp_equivalent:,.2f}"
        return f"{self.currency} {self.amount:,.2f}"


AnswerValue = bool | str | tuple[str, ...] | date | datetime | Money | Decimal
"""A stored answer: the Python type follows the question type (see `validate_answer`)."""

NOT_PAYABLE = frozenset(
    {
        "XXX",
        "XTS",
        "XAU",
        "XAG",
        "XPT",
        "XPD",
        "XDR",
        "XBA",
        "XBB",
        "XBC",
        "XBD",
        "XSU",
        "XUA",
        "XAD",
    }
)
"""ISO 4217 codes that are not money a client pays in: no currency, testing, precious metals and
units of account of international bodies."""

_MAX_DIGITS = 18
"""Whole-number digits an amount may have (a quintillion is more than any matter involves)."""
_MAX_DECIMALS = 4
"""Decimal places an amount may have."""

# Invisible characters that are not Unicode format characters (category Cf) but still print as
# nothing: Hangul fillers, the blank Braille pattern, the combining grapheme joiner.
_BLANKS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f")


def meaningful_text(text: str) -> str:
    """The text as it reads: invisible characters (format characters such as zero-width spaces,
    fillers) removed and every run of whitespace one space, trimmed. Its length is what counts
    towards a question's `min_length`; empty means nothing was said."""
    visible = "".join(c for c in text if c not in _BLANKS and unicodedata.category(c) != "Cf")
    return " ".join(visible.split())


_RUN = re.compile(r"(.)\1{2,}", re.DOTALL)
_SENTENCE = re.compile(r"(?<=[.!?;\n])\s+")


def meaningful_length(text: str) -> int:
    """How much `text` says, in characters, for a `min_length`: the text as it reads
    (`meaningful_text`) with padding taken out. A run of one character counts two
    ('a' x 205 is "aa"), a sentence said again counts once, and text that is one piece repeated
    ("funds are fine funds are fine ...") counts the piece once. Ordinary prose, where words
    recur but sentences do not, keeps its length."""
    plain = _RUN.sub(r"\1\1", meaningful_text(text))
    seen: set[str] = set()
    kept = []
    for sentence in _SENTENCE.split(plain):
        key = sentence.casefold().strip(" .!?;")
        if key and key not in seen:
            seen.add(key)
            kept.append(sentence)
    plain = " ".join(kept)
    return len(_period(plain))


def _period(text: str) -> str:
    """The shortest piece `text` is made of by repeating it (at least twice), or `text`."""
    size = len(text)
    # Prefix function (Knuth-Morris-Pratt): linear, so a 20,000-character answer stays fast.
    border = [0] * size
    for i in range(1, size):
        k = border[i - 1]
        while k and text[i] != text[k]:
            k = border[k - 1]
        if text[i] == text[k]:
            k += 1
        border[i] = k
    period = size - border[-1] if size else 0
    if period and size >= 2 * period:
        return text[:period].strip()
    return text


def control_characters(text: str, *, lines: bool = False) -> list[str]:
    """Control characters in `text` (terminal escapes among them), as U+ codes; newline and tab
    are allowed where `lines` (a long text may have paragraphs)."""
    allowed = {"\n", "\t"} if lines else set()
    return sorted(
        {f"U+{ord(c):04X}" for c in text if unicodedata.category(c) == "Cc" and c not in allowed}
    )


def check_text(what: str, text: str, *, lines: bool = False) -> str:
    """`text` trimmed, or ValueError naming `what` when it says nothing or holds control
    characters (refused rather than stripped, so what is stored is what was typed)."""
    bad = control_characters(text.replace("\r\n", "\n"), lines=lines)
    if bad:
        raise ValueError(f"{what} holds control characters ({', '.join(bad)}); type plain text")
    if not meaningful_text(text):
        raise ValueError(f"{what} is empty")
    return text.replace("\r\n", "\n").strip()


def is_blank(value: object) -> bool:
    """An answer that says nothing (an empty list, text of whitespace or invisible characters):
    it counts as not answered."""
    if isinstance(value, tuple | list):
        return not value
    return isinstance(value, str) and not meaningful_text(value)


_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}
_MAX_TEXT = 20_000


def validate_answer(question: Question, value: object) -> AnswerValue:
    """Check a typed value against its question and return it normalised, or raise InvalidAnswer."""
    kind = question.type
    qid = question.id
    if kind is QuestionType.YESNO:
        if not isinstance(value, bool):
            raise InvalidAnswer(qid, "expects yes or no")
        return value
    if kind in (QuestionType.CHOICE, QuestionType.RATING):
        allowed = _option_values(question)
        if not isinstance(value, str) or value not in allowed:
            raise InvalidAnswer(qid, f"'{value}' is not one of: {', '.join(allowed)}")
        return value
    if kind is QuestionType.MULTI:
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise InvalidAnswer(qid, "expects a list of options")
        allowed = _option_values(question)
        unknown = [v for v in value if v not in allowed]
        if unknown:
            raise InvalidAnswer(
                qid, f"unknown option(s) {', '.join(unknown)}; choose from: {', '.join(allowed)}"
            )
        chosen = tuple(dict.fromkeys(value))
        for option in question.options:
            if option.exclusive and option.value in chosen and len(chosen) > 1:
                others = ", ".join(v for v in chosen if v != option.value)
                raise InvalidAnswer(
                    qid,
                    f"'{option.value}' ({option.label}) cannot be chosen with other options "
                    f"({others}): choose it alone, or leave it out",
                )
        return chosen
    if kind is QuestionType.TEXT:
        if not isinstance(value, str):
            raise InvalidAnswer(qid, "expects text")
        try:
            text = check_text("the answer", value, lines=True)
        except ValueError as error:
            raise InvalidAnswer(qid, str(error).removeprefix("the answer ")) from None
        if len(text) > _MAX_TEXT:
            raise InvalidAnswer(qid, f"is longer than {_MAX_TEXT} characters")
        return text
    if kind is QuestionType.DATE:
        if isinstance(value, datetime) or not isinstance(value, date):
            raise InvalidAnswer(qid, "expects a date (YYYY-MM-DD)")
        return value
    if kind is QuestionType.DATETIME:
        if not isinstance(value, datetime):
            raise InvalidAnswer(qid, "expects a date and time (YYYY-MM-DD HH:MM)")
        # A time without a zone is the machine's local time, as the person typing meant it (as
        # for event times); stored in UTC so comparisons with events never mix zones.
        return (value if value.tzinfo else value.astimezone()).astimezone(UTC)
    if kind is QuestionType.MONEY:
        if not isinstance(value, Money):
            raise InvalidAnswer(qid, "expects an amount with a currency, e.g. 250000 GBP")
        _check_amount(qid, value)
        if question.sterling and value.currency != "GBP" and value.gbp_equivalent is None:
            raise InvalidAnswer(
                qid,
                f"{value} needs its sterling equivalent at the day's rate, so it can be added to "
                f"and compared with the other amounts: write e.g. '{value} = GBP ...'",
            )
        return value
    if kind is QuestionType.COUNTRY:
        if not isinstance(value, str) or value.upper() not in COUNTRIES:
            raise InvalidAnswer(qid, f"'{value}' is not an ISO 3166-1 country code")
        return value.upper()
    if kind is QuestionType.PERCENT:
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            raise InvalidAnswer(qid, "expects a percentage between 0 and 100")
        number = Decimal(str(value))
        if not number.is_finite():
            raise InvalidAnswer(qid, f"'{value}' is not a number between 0 and 100")
        if not Decimal(0) <= number <= Decimal(100):
            raise InvalidAnswer(qid, f"{number} is not between 0 and 100")
        # Bounded precision: 1e-99999 is "between 0 and 100" but has 99,999 decimal places,
        # and formatting it for the report never ended.
        exponent = number.normalize().as_tuple().exponent
        if isinstance(exponent, int) and exponent < -PERCENT_PLACES:
            raise InvalidAnswer(qid, f"'{value}' has more than {PERCENT_PLACES} decimal places")
        return number
    if kind is QuestionType.PARTY:
        if not isinstance(value, str) or not value.strip():
            raise InvalidAnswer(qid, "expects a party of the case")
        return value.strip()
    if kind is QuestionType.EVIDENCE:
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise InvalidAnswer(qid, "expects a list of evidence references")
        return tuple(dict.fromkeys(value))
    raise InvalidAnswer(qid, f"has an unknown type {kind}")  # pragma: no cover - enum is closed


CLOCK_SKEW = timedelta(minutes=5)
"""How far past now a time may be and still count as now: two machines' clocks differ a little."""


def check_past(question: Question, value: AnswerValue, now: datetime) -> None:
    """Refuse a date after today, or a time after now, for a question that records something
    that has happened (`past = true`), naming the question: a date of birth in 2999 is a typo
    that would otherwise pass every check that compares dates."""
    if not question.past:
        return
    if isinstance(value, datetime):
        if value > now + CLOCK_SKEW:
            # Shown in UTC, as stored: 9999-12-31 23:59 in a zone east of UTC does not exist.
            shown = value.astimezone(UTC).isoformat(sep=" ", timespec="minutes")
            current = now.astimezone(UTC).isoformat(sep=" ", timespec="minutes")
            raise InvalidAnswer(
                question.id,
                f"{shown} is in the future (now is {current}); it records what has happened",
            )
    elif isinstance(value, date):
        # Today is the machine's local date: the date a person in the office typed.
        today = now.astimezone().date()
        if value > today:
            raise InvalidAnswer(
                question.id,
                f"{value.isoformat()} is in the future (today is {today.isoformat()}); "
                "it records what has happened",
            )


def parse_answer(question: Question, raw: str) -> AnswerValue:
    """Turn what a person typed into a value for the question, or raise InvalidAnswer."""
    text = raw.strip()
    kind = question.type
    qid = question.id
    if not text and kind is not QuestionType.MULTI:
        raise InvalidAnswer(qid, "is empty")
    if kind is QuestionType.YESNO:
        lowered = text.lower()
        if lowered in _YES:
            return True
        if lowered in _NO:
            return False
        raise InvalidAnswer(qid, f"expects yes or no, not '{text}'")
    if kind in (QuestionType.CHOICE, QuestionType.RATING):
        return validate_answer(question, _match_option(question, text))
    if kind is QuestionType.MULTI:
        parts = [p.strip() for p in text.split(",") if p.strip()]
        return validate_answer(question, [_match_option(question, p) for p in parts])
    if kind is QuestionType.DATE:
        return validate_answer(question, _parse_date(qid, text))
    if kind is QuestionType.DATETIME:
        return validate_answer(question, _parse_datetime(qid, text))
    if kind is QuestionType.MONEY:
        return validate_answer(question, _parse_money(qid, text))
    if kind is QuestionType.COUNTRY:
        code = _match_country(text)
        if code is None:
            raise InvalidAnswer(qid, f"'{text}' is not a country (use an ISO code such as GB)")
        return code
    if kind is QuestionType.PERCENT:
        typed = text.rstrip("%").strip()
        try:
            # Bounded before Decimal builds it: a percentage is a few characters.
            if len(typed) > 40:
                raise InvalidOperation
            number = Decimal(typed)
        except InvalidOperation:
            raise InvalidAnswer(qid, f"'{text[:40]}' is not a percentage") from None
        return validate_answer(question, number)
    if kind is QuestionType.EVIDENCE:
        return validate_answer(question, [p.strip() for p in text.split(",") if p.strip()])
    return validate_answer(question, text)


def display_answer(value: AnswerValue | None, question: Question | None = None) -> str:
    """An answer as a person reads it (option labels, yes/no, formatted money and dates)."""
    if value is None:
        return "(not answered)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    labels = {o.value: o.label for o in question.options} if question else {}
    if isinstance(value, tuple):
        return ", ".join(labels.get(v, v) for v in value) if value else "(none)"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M %Z").strip()
    if isinstance(value, date):
        return value.isoformat()
    if (
        isinstance(value, Decimal)
        and question is not None
        and question.type is QuestionType.PERCENT
    ):
        return f"{value:f}%"
    if question is not None and question.type is QuestionType.COUNTRY and isinstance(value, str):
        return f"{COUNTRIES.get(value, value)} ({value})"
    if question is not None and question.type is QuestionType.RATING and isinstance(value, str):
        return value.capitalize()
    return labels.get(value, str(value)) if isinstance(value, str) else str(value)


def _option_values(question: Question) -> list[str]:
    if question.type is QuestionType.RATING:
        return [r.value for r in Rating]
    return [o.value for o in question.options]


def _match_option(question: Question, text: str) -> str:
    lowered = text.lower()
    if question.type is QuestionType.RATING:
        return lowered
    for option in question.options:
        if lowered in (option.value.lower(), option.label.lower()):
            return option.value
    return text


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %b %Y", "%d %B %Y")
DATE_HINT = "write it as YYYY-MM-DD or DD/MM/YYYY"
_MOMENT_FORMATS = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S")
MOMENT_HINT = "write it as YYYY-MM-DD HH:MM or DD/MM/YYYY HH:MM"


def _date_from(text: str) -> date | None:
    # Bounded before strptime sees it: a date is a few characters.
    if len(text) > 40:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _moment_from(text: str) -> datetime | None:
    if len(text) > 60:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    for fmt in _MOMENT_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def read_date(what: str, text: str) -> date:
    """A date typed in a form field (the same forms a question's answer accepts), or an error
    naming the field: one parser for questions, dialogs and the command line."""
    day = _date_from(text.strip())
    if day is None:
        raise DueDiligenceError(f"{what}: '{text.strip()[:40]}' is not a date; {DATE_HINT}")
    return day


def read_moment(what: str, text: str) -> datetime:
    """A date and time typed in a form field, as `read_date`; a time without a zone is returned
    as typed (naive), for the caller to read as local time."""
    moment = _moment_from(text.strip())
    if moment is None:
        raise DueDiligenceError(
            f"{what}: '{text.strip()[:40]}' is not a date and time; {MOMENT_HINT}"
        )
    return moment


def _parse_date(qid: str, text: str) -> date:
    day = _date_from(text)
    if day is None:
        raise InvalidAnswer(qid, f"'{text[:40]}' is not a date; {DATE_HINT}")
    return day


def _parse_datetime(qid: str, text: str) -> datetime:
    moment = _moment_from(text)
    if moment is None:
        raise InvalidAnswer(qid, f"'{text[:40]}' is not a date and time; {MOMENT_HINT}")
    return moment


_SYMBOLS = {"£": "GBP", "$": "USD", "€": "EUR"}
PERCENT_PLACES = 4
"""Decimal places a percentage may have (12.3456%)."""

_MONEY = re.compile(
    r"^(?:(?P<pre>[A-Za-z]{3})\s*)?"
    r"(?P<amount>(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?)"
    r"(?:\s*(?P<scale>k|m|mn|bn|thousand|million|billion)\b)?"
    r"(?:\s*(?P<post>[A-Za-z]{3}))?$",
    re.IGNORECASE,
)

_SCALES = {
    "k": 10**3,
    "thousand": 10**3,
    "m": 10**6,
    "mn": 10**6,
    "million": 10**6,
    "bn": 10**9,
    "billion": 10**9,
}
"""How people write large amounts ("£30m", "1.5 million", "250k"): read as the amount they mean,
never dropped, so "£30m" is 30,000,000 and not 30."""


def _scaled(amount: Decimal, scale: str | None) -> Decimal:
    if scale is None:
        return amount
    value = amount * _SCALES[scale.lower()]
    # 1.5 x 1,000,000 is 1500000, not 1500000.0 or 1.5E+6.
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _parse_money(qid: str, text: str) -> Money:
    """An amount as typed: "250000 GBP", "£1.5m", or a foreign amount with the sterling
    equivalent at the day's rate, "USD 2m = GBP 1,580,000"."""
    if "=" in text:
        foreign, _, sterling = (part.strip() for part in text.partition("="))
        money = _parse_money(qid, foreign)
        equivalent = _parse_money(qid, sterling) if "=" not in sterling else None
        if equivalent is None or equivalent.currency != "GBP":
            raise InvalidAnswer(
                qid, f"'{text}': after '=' give the amount in sterling, e.g. USD 2m = GBP 1.58m"
            )
        if money.currency == "GBP":
            raise InvalidAnswer(qid, f"'{text}': an amount in GBP needs no sterling equivalent")
        return Money(amount=money.amount, currency=money.currency, gbp_equivalent=equivalent.amount)
    typed = text
    currency: str | None = None
    for symbol, code in _SYMBOLS.items():
        if text.startswith(symbol):
            currency, text = code, text[len(symbol) :].strip()
    if re.search(r"(^|[\s£$€A-Za-z])-\s*[0-9]", typed):
        raise InvalidAnswer(qid, f"'{typed}': an amount cannot be negative")
    match = _MONEY.match(text)
    if match is None:
        hint = "; commas only separate thousands, e.g. 1,250,000.50" if "," in text else ""
        raise InvalidAnswer(
            qid, f"'{typed}' is not an amount; write it as e.g. 250000 GBP or £1.5m{hint}"
        )
    pre, post = match.group("pre"), match.group("post")
    codes = {c.upper() for c in (currency, pre, post) if c}
    if len(codes) > 1:
        raise InvalidAnswer(qid, f"'{typed}' has two currencies ({', '.join(sorted(codes))})")
    currency = currency or (pre or post or "").upper() or None
    if currency is None:
        raise InvalidAnswer(qid, "needs a currency, e.g. 250000 GBP")
    if currency not in CURRENCIES:
        raise InvalidAnswer(qid, f"'{currency}' is not an ISO 4217 currency code")
    amount = _scaled(Decimal(match.group("amount").replace(",", "")), match.group("scale"))
    money = Money(amount=amount, currency=currency)
    _check_amount(qid, money)
    return money


def _check_amount(qid: str, money: Money) -> None:
    # Checked where an amount is typed, not in Money itself, so a stored answer always reads back.
    if money.currency in NOT_PAYABLE:
        raise InvalidAnswer(
            qid,
            f"'{money.currency}' ({CURRENCIES[money.currency]}) is not a currency a client pays "
            "in; give the amount in the currency paid, e.g. GBP",
        )
    amount = money.amount
    if not amount.is_finite():
        raise InvalidAnswer(qid, f"'{amount}' is not an amount")
    _sign, digits, exponent = amount.as_tuple()
    assert isinstance(exponent, int)
    decimals = max(0, -exponent)
    whole = max(0, len(digits) + exponent)
    if whole > _MAX_DIGITS:
        raise InvalidAnswer(
            qid, f"an amount of {whole} digits is too large (at most {_MAX_DIGITS})"
        )
    if decimals > _MAX_DECIMALS:
        raise InvalidAnswer(
            qid, f"an amount has at most {_MAX_DECIMALS} decimal places, not {decimals}"
        )


def _match_country(text: str) -> str | None:
    upper = text.upper()
    if upper in COUNTRIES:
        return upper
    lowered = text.casefold()
    for code, name in COUNTRIES.items():
        if name.casefold() == lowered:
            return code
    return {"UK": "GB", "GREAT BRITAIN": "GB", "ENGLAND": "GB", "USA": "US"}.get(upper)
