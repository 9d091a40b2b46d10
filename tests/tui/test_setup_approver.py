"""First-run set-up by someone who is not a senior manager (a negotiator setting up an estate
agency): it asks for the senior manager who approved the firm-wide risk assessment, and refuses
to finish without one, instead of leaving a case file in which nothing can ever open."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, Input, Select

from duediligence.compose import open_casefile
from duediligence.domain.vocabulary import Role
from duediligence.tui.screens.matters import MattersScreen
from duediligence.tui.screens.setup import SetupScreen
from tests.tui.conftest import make_app, settle
from tests.tui.test_dates_ui import _text


async def test_a_negotiator_cannot_finish_set_up_without_the_fwras_approver(
    store_path: Path,
) -> None:
    app = make_app(store_path, user=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        for field, value in {
            "firm": "Homes Ltd", "user-id": "nina", "user-name": "Nina Neg",
        }.items():  # fmt: skip
            screen.query_one(f"#{field}", Input).value = value
        screen.query_one("#user-role", Select).value = Role.FEE_EARNER.value
        screen.query_one("#create", Button).press()
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        assert _text(pilot, "#setup-error").startswith(
            "Set-up needs the senior manager who approved the firm-wide risk assessment"
        )
        screen.query_one("#approver-id", Input).value = "sol"
        screen.query_one("#create", Button).press()
        await settle(pilot)
        assert _text(pilot, "#setup-error") == "Give the approver's user id and full name"
        assert screen.query_one("#user-name", Input).value == "Nina Neg"  # nothing typed lost
        screen.query_one("#approver-name", Input).value = "Sol Owner"
        screen.query_one("#create", Button).press()
        await settle(pilot)
        assert isinstance(app.screen, MattersScreen)
    with open_casefile(store_path) as opened:
        firm = opened.casefile.firm()
        people = {p.id: p for p in opened.casefile.people()}
    assert firm is not None and firm.fwra_approver == "sol"
    assert people["sol"].roles == (Role.SENIOR_MANAGER,)
    assert people["nina"].os_users == ("test",)
