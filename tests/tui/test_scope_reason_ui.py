""" "Out of scope of the MLR" from the TUI (issue 13, finding 1): the MLRO is asked for the reason
the case file needs (a reason too short is refused in the dialog, the text kept) and the answer
is stored with it; anyone else is told only the MLRO may, and nothing is stored."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, Static, TextArea

from duediligence.compose import open_casefile
from duediligence.domain.case import Actor, PartyKind, PartyRole
from duediligence.domain.vocabulary import ClientType, FirmRole
from duediligence.services.casefile import NewCase, NewParty
from duediligence.tui.modals.reason import GiveReason
from duediligence.tui.screens.matter import MatterScreen
from duediligence.tui.widgets.answer import AnswerInput
from tests.tui.conftest import FixedClock, make_app, notes, settle

SCOPE = ("solicitor-cdd", "scope.activity")
REASON = (
    "Defending a boundary dispute in the county court: no property changes hands, no client "
    "money is held and no regulated activity is involved."
)


def _private_client_matter(store: Path) -> None:
    with open_casefile(store, clock=FixedClock()) as opened:
        opened.casefile.open_case(
            Actor(user="ann", os_user="test"),
            NewCase(
                reference="PC-1",
                firm_role=FirmRole.SOLICITOR,
                matter_type="private_client",
                client_type=ClientType.INDIVIDUAL,
                responsible="ann",
            ),
            [NewParty(role=PartyRole.CLIENT, kind=PartyKind.INDIVIDUAL, name="Clara Client")],
        )


def _stored(store: Path) -> list[tuple[object, str | None]]:
    with open_casefile(store, clock=FixedClock()) as opened:
        records = opened.casefile.view("PC-1").records
    run = next(r for r in records.runs if r.key == SCOPE[0])
    return [
        (a.value, a.mlro_reason)
        for a in records.answers
        if a.run_id == run.id and a.question_key == SCOPE[1]
    ]


async def _choose_out_of_scope(pilot: object) -> MatterScreen:
    app = pilot.app  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    screen = app.screen
    assert isinstance(screen, MatterScreen)
    screen.go_to(SCOPE)
    await pilot.pause()  # type: ignore[attr-defined]
    # What choosing the option does: the answer input gives the value.
    screen.post_message(AnswerInput.Given(SCOPE[1], value="out_of_scope", run_key=SCOPE[0]))
    await pilot.pause()  # type: ignore[attr-defined]
    return screen


async def test_the_mlro_gives_the_reason_in_a_dialog(seeded: Path) -> None:
    _private_client_matter(seeded)
    app = make_app(seeded, user="mo")
    async with app.run_test(size=(120, 40)) as pilot:
        await _choose_out_of_scope(pilot)
        dialog = app.screen
        assert isinstance(dialog, GiveReason)
        area = dialog.query_one("#reason", TextArea)
        area.text = "not AML"
        dialog.query_one("#ok", Button).press()
        await pilot.pause()
        assert app.screen is dialog  # refused here, the text kept
        said = str(dialog.query_one("#reason-error", Static).render())
        assert said.startswith("An out-of-scope answer needs a reason of at least"), said
        assert area.text == "not AML"
        area.text = REASON
        dialog.query_one("#ok", Button).press()
        await settle(pilot)
        assert isinstance(app.screen, MatterScreen)
    assert _stored(seeded) == [("out_of_scope", REASON)]


async def test_anyone_else_is_told_only_the_mlro_may(seeded: Path) -> None:
    _private_client_matter(seeded)
    app = make_app(seeded, user="ann")
    async with app.run_test(size=(120, 40)) as pilot:
        await _choose_out_of_scope(pilot)
        await settle(pilot)
        assert isinstance(app.screen, MatterScreen)
        assert any("needs the MLRO's confirmation" in n for n in notes(app)), notes(app)
    assert _stored(seeded) == []
