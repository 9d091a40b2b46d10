"""Parties from the matter (F5): the list with each party's screening, and adding one (a): bad
input is refused in the dialog, a refusal by the case file brings the dialog back filled in, and
an added party is stored and screened."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, DataTable, Input, Select, Static

from duediligence.domain.case import PartyRole
from duediligence.tui.modals.party import AddParty
from duediligence.tui.screens.parties import PartiesScreen
from tests.tui.conftest import make_app, settle


def rows(screen: PartiesScreen) -> list[list[str]]:
    table = screen.query_one("#parties", DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_add_a_beneficial_owner_from_the_matter(example: Path) -> None:
    app = make_app(example, user="pshah")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PartiesScreen)
        before = rows(screen)
        assert before and before[0][0] == "p1"
        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AddParty)
        dialog.query_one("#party-name", Input).value = "Андрей Иванович Сорокин"
        dialog.query_one("#party-nationalities", Input).value = "MD, XX"
        dialog.query_one("#party-dob", Input).value = "1971-13-01"
        dialog.query_one("#ok", Button).press()
        await pilot.pause()
        error = str(dialog.query_one("#party-error", Static).render())
        assert "date of birth: '1971-13-01' is not a date" in error
        dialog.query_one("#party-dob", Input).value = "01/02/1971"  # as typed in questions
        dialog.query_one("#ok", Button).press()
        await pilot.pause()
        said = str(dialog.query_one("#party-error", Static).render())
        assert "nationalities: no country is called 'XX'" in said
        # Names in any script the table romanises, and the same country twice is once.
        dialog.query_one("#party-nationalities", Input).value = "Moldova, RU, Russia"
        dialog.query_one("#ok", Button).press()
        await settle(pilot)
        assert isinstance(app.screen, PartiesScreen)
        after = rows(screen)
        assert len(after) == len(before) + 1
        added = after[-1]
        assert added[1:6] == [
            "Beneficial owner",
            "Individual",
            "Андрей Иванович Сорокин",
            "1971-02-01",
            "MD, RU",
        ]
    party = app.casefile.view("EX-0001").records.parties[-1]
    assert party.role is PartyRole.BENEFICIAL_OWNER and party.nationalities == ("MD", "RU")


async def test_a_refused_party_comes_back_filled_in(example: Path) -> None:
    app = make_app(example, user="pshah")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "f5")
        await settle(pilot)
        count = len(app.casefile.view("EX-0001").records.parties)
        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AddParty)
        dialog.query_one("#party-kind", Select).value = "entity"
        dialog.query_one("#party-name", Input).value = "Marlowe Holdings Ltd"
        dialog.query_one("#party-dob", Input).value = "1999-01-01"
        dialog.query_one("#ok", Button).press()
        await pilot.pause()
        assert "an entity has no date of birth" in str(
            dialog.query_one("#party-error", Static).render()
        )
        # Someone no longer on the register: the case file refuses, the dialog comes back.
        dialog.query_one("#party-dob", Input).value = ""
        assert app.me is not None
        app.me = app.me.model_copy(update={"id": "left-the-firm"})
        dialog.query_one("#ok", Button).press()
        await settle(pilot)
        again = app.screen
        assert isinstance(again, AddParty)
        assert again.query_one("#party-name", Input).value == "Marlowe Holdings Ltd"
        assert str(again.query_one("#party-error", Static).render())
    assert len(app.casefile.view("EX-0001").records.parties) == count
