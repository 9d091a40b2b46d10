"""Pure tests of the case records: canonical JSON, stored answer values, training, chain hashes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from duediligence.domain.answers import Money
from duediligence.domain.case import (
    GENESIS,
    AnswerVersion,
    AuditEvent,
    Person,
    canonical_hash,
    canonical_json,
    clean_display_name,
    decode_answer,
    encode_answer,
    months_before,
)
from duediligence.domain.vocabulary import Role


def test_canonical_json_sorts_keys_has_no_whitespace_and_keeps_any_script() -> None:
    data = {"b": 1, "a": ["Иван", "李"], "c": {"z": None, "y": Decimal("1.50")}}
    assert canonical_json(data) == '{"a":["Иван","李"],"b":1,"c":{"y":"1.50","z":null}}'.encode()


def test_datetimes_hash_the_same_in_any_zone() -> None:
    utc = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    paris = utc.astimezone(timezone(timedelta(hours=1)))
    assert canonical_hash({"at": utc}) == canonical_hash({"at": paris})


@pytest.mark.parametrize(
    "value",
    [
        True,
        "text",
        ("a", "b"),
        date(2026, 2, 28),
        datetime(2026, 2, 28, 10, 5, 1, 123, tzinfo=UTC),
        Money(amount=Decimal("250000.00"), currency="GBP"),
        Money(amount=Decimal("10"), currency="EUR", gbp_equivalent=Decimal("8.5")),
        Decimal("33.3"),
    ],
)
def test_answer_values_round_trip_through_storage(value: object) -> None:
    encoded = encode_answer(value)  # type: ignore[arg-type]
    assert decode_answer(encoded) == value
    assert canonical_json(encode_answer(decode_answer(encoded))) == canonical_json(encoded)


def test_months_before_clamps_to_month_end() -> None:
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2026, 1, 15), 12) == date(2025, 1, 15)


def test_training_missing_or_older_than_policy_is_not_current() -> None:
    today = date(2026, 3, 2)
    trained = Person(id="a", name="A", roles=(Role.FEE_EARNER,), trained_on=date(2025, 3, 2))
    stale = trained.model_copy(update={"trained_on": date(2025, 3, 1)})
    never = trained.model_copy(update={"trained_on": None})
    assert trained.training_current(today)
    assert not stale.training_current(today)
    assert not never.training_current(today)
    assert stale.training_current(today, months=24)


def test_audit_event_hash_covers_every_field_and_links_the_previous() -> None:
    first = AuditEvent.compute(
        seq=1,
        at=datetime(2026, 1, 1, tzinfo=UTC),
        actor="alice",
        role="fee_earner",
        os_user="alice",
        action="case.open",
        target="case:1",
        case_id="1",
        payload_sha256="a" * 64,
        prev_sha256=GENESIS,
    )
    assert first.recomputed_sha256() == first.sha256
    for change in (
        {"actor": "bob"},
        {"seq": 2},
        {"payload_sha256": "b" * 64},
        {"prev_sha256": "c" * 64},
    ):
        assert first.model_copy(update=change).recomputed_sha256() != first.sha256


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("passport.pdf", "passport.pdf"),
        ("../../etc/passwd", "passwd"),
        ("a\nb.pdf", "a\ufffdb.pdf"),
        ("dir\\evil.pdf", "evil.pdf"),
        (b"caf\xe9.pdf".decode("utf-8", "surrogateescape"), "caf\ufffd.pdf"),
        ("", "(unnamed)"),
    ],
)
def test_display_names_are_cleaned_and_never_paths(given: str, shown: str) -> None:
    assert clean_display_name(given) == shown


def test_the_hash_formats_are_pinned() -> None:
    # Existing chains must keep verifying: a change here breaks every store already written.
    event = AuditEvent.compute(
        seq=1,
        at=datetime(2026, 1, 1, tzinfo=UTC),
        actor="alice",
        role="fee_earner",
        os_user="alice",
        action="case.open",
        target="case:1",
        case_id="1",
        payload_sha256="a" * 64,
        prev_sha256=GENESIS,
    )
    assert event.sha256 == "7148b8a712fd503bd8fca71eb2976cc1594ea9275a19eb5f3ac13c16597570d2"
    answer = AnswerVersion(
        id="x",
        case_id="c",
        run_id="r",
        question_key="value",
        number=1,
        value=Money(amount=Decimal("250000"), currency="GBP"),
        answered_by="alice",
        answered_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    assert canonical_json(answer.payload()) == (
        b'{"answered_at":"2026-01-01T00:00:00.000000+00:00","answered_by":"alice","case_id":"c",'
        b'"id":"x","number":1,"previous_id":null,"question_key":"value","run_id":"r","value":'
        b'{"t":"money","v":{"amount":"250000","currency":"GBP","gbp_equivalent":null}}}'
    )
    assert (
        answer.payload_sha256()
        == "381ffba45482648f9849aa396a9c8ee3d3bcf92c8232e162cbe916397622ad57"
    )
