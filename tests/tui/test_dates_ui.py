"""Dates in the TUI through a real store: a matter event in the future, set-up with a training
date in the future or no firm name. Refused in the dialog or screen, naming the field; nothing
stored and nothing typed lost."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Input, Select, Static

from duediligence.compose import open_casefile
from duediligence.domain.case import Actor
from duediligence.domain.vocabulary import ClientType, FirmRole
from duediligence.services.casefile import NewCase
from duediligence.tui.modals.event import RecordEvent
from duediligence.tui.screens.matters import MattersScreen
from duediligence.tui.screens.setup import SetupScreen
from tests.tui.conftest import PEOPLE, FixedClock, make_app
from tests.tui.conftest import settle as _settle


def _audit_count(store: Path) -> int:
    with sqlite3.connect(store) as conn:
        return int(conn.execute("SELECT count(*) FROM audit_events").fetchone()[0])


def _text(pilot: Pilot[None], selector: str) -> str:
    return str(pilot.app.screen.query_one(selector, Static).render())


async def test_an_event_in_the_future_is_refused_in_the_dialog(seeded: Path) -> None:
    with open_casefile(seeded, clock=FixedClock()) as opened:
        opened.casefile.open_case(
            Actor(user="ann", os_user="test"),
            NewCase(
                reference="M-1",
                firm_role=FirmRole.SOLICITOR,
                matter_type="residential_purchase",
                client_type=ClientType.INDIVIDUAL,
                responsible="ann",
                acting_for="buyer",
            ),
        )
    before = _audit_count(seeded)
    app = make_app(seeded, user="ann")
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        await pilot.press("enter")
        await _settle(pilot)
        await pilot.press("f6")
        await _settle(pilot)
        await pilot.press("r")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, RecordEvent)
        assert "UTC time" in str(dialog.query_one("Label").render())
        dialog.query_one("#at", Input).value = "2099-01-01 10:00"
        dialog.query_one("#ok", Button).press()
        await _settle(pilot)
        assert app.screen is dialog
        message = _text(pilot, "#event-error")
        assert message.startswith("Event time: 2099-01-01T10:00+00:00 is in the future")
        assert dialog.query_one("#at", Input).value == "2099-01-01 10:00"
        assert _audit_count(seeded) == before
        # A past time is recorded, and the dialog closes.
        dialog.query_one("#at", Input).value = "2026-03-01 10:00"
        dialog.query_one("#ok", Button).press()
        await _settle(pilot)
        assert app.screen is not dialog
        assert _audit_count(seeded) > before

        # Funds received while G2 is closed: refused in the dialog, naming why, input kept;
        # the fee earner's "exception" is refused too; the MLRO records it with a reason.
        await pilot.press("r")
        await pilot.pause()
        again = app.screen
        assert isinstance(again, RecordEvent)
        again.query_one("#event", Select).value = "funds_received"
        again.query_one("#ok", Button).press()
        await _settle(pilot)
        assert app.screen is again
        message = _text(pilot, "#event-error")
        assert message.startswith("Funds received cannot be recorded on M-1: G2 (")
        why = "Deposit arrived before the checks were done; held in client account"
        again.query_one("#exception", Input).value = why
        again.query_one("#ok", Button).press()
        await _settle(pilot)
        assert "only the MLRO" in _text(pilot, "#event-error")
        app.set_user(PEOPLE[3])  # mo, the MLRO
        await pilot.pause()
        assert again.query_one("#exception", Input).value == why
        again.query_one("#ok", Button).press()
        await _settle(pilot)
        assert app.screen is not again
        [event] = [e for e in app.casefile.view("M-1").records.events if e.gate_exception]
        assert event.gate_exception == why and event.recorded_by == "mo"


async def _setup(pilot: Pilot[None], **values: str) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, SetupScreen)
    fields = {"firm": "Hartley & Shaw LLP", "user-id": "asmith", "user-name": "Alex Smith"}
    for field, value in (fields | values).items():
        screen.query_one(f"#{field}", Input).value = value
    screen.query_one("#create", Button).press()
    await _settle(pilot)


async def test_setup_refuses_a_training_date_in_the_future(store_path: Path) -> None:
    app = make_app(store_path, user=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        await _setup(pilot, **{"trained-on": "2099-01-01"})
        assert isinstance(app.screen, SetupScreen)
        assert _text(pilot, "#setup-error") == (
            "AML training date: 2099-01-01 is in the future (today is 2026-03-02)"
        )
        await _setup(pilot, **{"trained-on": "2026-01-15"})
        assert isinstance(app.screen, MattersScreen)


async def test_setup_without_a_firm_name_asks_for_it(store_path: Path) -> None:
    app = make_app(store_path, user=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        await _setup(pilot, firm="  ")
        assert isinstance(app.screen, SetupScreen)
        assert _text(pilot, "#setup-error") == "Give the firm's name"
        assert app.screen.query_one("#user-name", Input).value == "Alex Smith"


async def test_setup_shows_where_the_case_file_is(store_path: Path) -> None:
    app = make_app(store_path, user=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        assert _text(pilot, "#setup-store") == f"Case file: {store_path.absolute()}"


def test_a_stored_answer_time_is_offered_for_editing_in_local_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import time

    from duediligence.domain.answers import parse_answer
    from duediligence.tui.widgets.answer import _plain
    from tests.test_answers import question

    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    try:
        asked = question("datetime")
        stored = parse_answer(asked, "2024-06-01 10:30")  # British summer time
        assert stored == datetime(2024, 6, 1, 9, 30, tzinfo=UTC)
        shown = _plain(stored, asked)
        assert shown == "2024-06-01 10:30"
        assert parse_answer(asked, shown) == stored  # saved unchanged: the same moment
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()


async def test_an_invalid_date_left_behind_is_reported_once(
    example: Path,
) -> None:
    from duediligence.domain.checklist import QuestionType
    from duediligence.tui.screens.matter import MatterScreen

    app = make_app(example, user="pshah")
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        await pilot.press("enter")
        await _settle(pilot)
        screen = app.screen
        assert isinstance(screen, MatterScreen)
        position = next(
            p
            for p in screen._order
            if (found := screen.question_at(p)) is not None and found[2].type is QuestionType.DATE
        )
        screen.go_to(position)
        await _settle(pilot)
        field = screen.query_one("#field", Input)
        field.value = "31/02/2019"
        await pilot.press("ctrl+down")
        await _settle(pilot)
        said = [str(n.message) for n in app._notifications if "Not saved" in str(n.message)]
        assert len(said) == 1, said
        assert "verify.completed_on" in said[0] or "not a date" in said[0]
