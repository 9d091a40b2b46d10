"""Dates that cannot have happened yet are refused by the services, naming the field, so the
command line and the TUI obey the same rule: a date of birth or an AML training date after
today, an event more than a few minutes ahead of the clock. Nothing is stored."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from duediligence.domain.case import InvalidInput, Person
from duediligence.domain.vocabulary import MatterEvent, Role
from duediligence.services.casefile import CaseFile
from tests.casefile.conftest import ALICE, BOB, TODAY, Cli, audit_count


def test_an_event_in_the_future_is_refused(
    casefile: CaseFile, case_ref: str, store_path: Path
) -> None:
    before = audit_count(store_path)
    with pytest.raises(InvalidInput, match="event time: 2099-01-01T10:00\\+00:00 is in the future"):
        casefile.record_event(
            ALICE, case_ref, MatterEvent.EXCHANGE, datetime(2099, 1, 1, 10, 0, tzinfo=UTC)
        )
    with pytest.raises(InvalidInput, match="is in the future"):
        casefile.record_event(ALICE, case_ref, MatterEvent.EXCHANGE, TODAY + timedelta(minutes=30))
    assert audit_count(store_path) == before


def test_an_event_a_minute_ahead_is_clock_skew_and_stored_in_utc(
    casefile: CaseFile, case_ref: str
) -> None:
    paris = timezone(timedelta(hours=1))
    record = casefile.record_event(
        ALICE, case_ref, MatterEvent.INSTRUCTED, (TODAY + timedelta(minutes=1)).astimezone(paris)
    )
    assert record.at == TODAY + timedelta(minutes=1)
    assert record.at.utcoffset() == timedelta(0)


def test_a_training_date_in_the_future_is_refused(casefile: CaseFile, store_path: Path) -> None:
    before = audit_count(store_path)
    future = Person(id="dan", name="Dan", roles=(Role.FEE_EARNER,), trained_on=date(2099, 1, 1))
    with pytest.raises(InvalidInput, match="AML training date: 2099-01-01 is in the future"):
        casefile.add_person(BOB, future)
    with pytest.raises(InvalidInput, match="AML training date: 2099-01-01 is in the future"):
        casefile.record_training(BOB, "alice", date(2099, 1, 1))
    assert audit_count(store_path) == before


def test_the_command_line_obeys_the_same_dates(cli: Cli) -> None:
    before = cli.audit_count()
    future = (date.today() + timedelta(days=30)).isoformat()
    added = cli("users", "add", "dan", "--name", "Dan", "--role", "fee_earner", "--trained-on", future, user="bob")  # fmt: skip
    assert added.exit_code == 1 and "AML training date" in added.output
    trained = cli("users", "train", "alice", "--on", future, user="bob")
    assert trained.exit_code != 0 and "in the future" in trained.output
    event = cli("events", "add", "M-1", "exchange", "--at", "2099-01-01T10:00")
    assert event.exit_code == 1 and "event time" in event.output and "in the future" in event.output
    assert cli.audit_count() == before
