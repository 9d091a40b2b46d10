"""The sign-off dialog through a real store: signing off again starts from the rating given (so
pressing Sign off never lowers it silently), and F7 before the rating question shows names the
question to answer first."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, Select

from duediligence.compose import open_casefile
from duediligence.domain.case import Actor
from duediligence.domain.vocabulary import ClientType, FirmRole, Rating
from duediligence.services.casefile import NewCase
from duediligence.tui.modals.sign_off import SignOff
from duediligence.tui.screens.matter import MatterScreen
from tests.tui.conftest import FixedClock, make_app
from tests.tui.conftest import notes as _notes
from tests.tui.conftest import settle as _settle
from tests.tui.test_override_ui import RATIONALE

ANN = Actor(user="ann", os_user="test")
REFERENCE = "M-7"


def matter(store_path: Path, *answers: tuple[str, str]) -> None:
    """An open conveyancing matter for an individual client, with these answers."""
    with open_casefile(store_path, clock=FixedClock()) as opened:
        cf = opened.casefile
        cf.open_case(
            ANN,
            NewCase(
                reference=REFERENCE,
                firm_role=FirmRole.SOLICITOR,
                matter_type="residential_purchase",
                client_type=ClientType.INDIVIDUAL,
                responsible="ann",
                acting_for="buyer",
            ),
        )
        for key, value in answers:
            cf.answer(ANN, REFERENCE, key, value)


def ratings(store_path: Path) -> list[object]:
    with open_casefile(store_path, clock=FixedClock()) as opened:
        records = opened.casefile.view(REFERENCE).records
    return [a.value for a in records.answers if a.question_key == "risk.rating"]


async def test_signing_off_again_starts_from_the_rating_given(seeded: Path) -> None:
    matter(
        seeded,
        ("scope.activity", "real_property"),
        ("risk.rating", "high"),
        ("risk.rationale", RATIONALE),
    )
    app = make_app(seeded, user="ann")
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        await pilot.press("enter")
        await _settle(pilot)
        screen = app.screen
        assert isinstance(screen, MatterScreen) and screen.view is not None
        assert screen.view.evaluation.minimum_rating is not Rating.HIGH
        await pilot.press("f7")
        await _settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SignOff)
        assert dialog.query_one("#rating", Select).value == "high"
        dialog.query_one("#ok", Button).press()
        await _settle(pilot)
        assert app.screen is screen
    assert ratings(seeded)[-1] == "high"


async def test_a_new_rating_starts_from_the_lowest_allowed(seeded: Path) -> None:
    matter(seeded, ("scope.activity", "real_property"))
    app = make_app(seeded, user="ann")
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        await pilot.press("enter")
        await _settle(pilot)
        screen = app.screen
        assert isinstance(screen, MatterScreen) and screen.view is not None
        await pilot.press("f7")
        await _settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SignOff)
        minimum = screen.view.evaluation.minimum_rating
        assert dialog.query_one("#rating", Select).value == minimum.value


async def test_sign_off_before_scope_names_the_question_to_answer_first(seeded: Path) -> None:
    matter(seeded)
    app = make_app(seeded, user="ann")
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        await pilot.press("enter")
        await _settle(pilot)
        assert isinstance(app.screen, MatterScreen)
        await pilot.press("f7")
        await _settle(pilot)
        assert isinstance(app.screen, MatterScreen)  # no dialog
        notes = _notes(app)
        assert any(
            "shows once this is answered" in n
            and "Which regulated activity does this matter involve?" in n
            for n in notes
        ), notes
        assert not any("have no rating question" in n for n in notes)
