"""The MLRO's rating override in the TUI, through a real store: the sign-off dialog reveals the
override for the MLRO below the floor, records it before the answers, and the evaluation then
accepts the rating; anyone else is refused and nothing is saved; a short override rationale or a
refusal by the service saves nothing either; the inline rating question points the MLRO to F7.
"""

from __future__ import annotations

from pathlib import Path

from textual.containers import Vertical
from textual.pilot import Pilot
from textual.widgets import Select, Static, TextArea

from duediligence.compose import open_casefile
from duediligence.domain.case import Actor
from duediligence.domain.vocabulary import ClientType, FirmRole, Rating
from duediligence.services.casefile import NewCase
from duediligence.tui.app import DueDiligenceApp
from duediligence.tui.modals.sign_off import SignOff
from duediligence.tui.screens.matter import MatterScreen
from tests.tui.conftest import PEOPLE, FixedClock, make_app
from tests.tui.conftest import notes as _notes
from tests.tui.conftest import settle as _settle

ANN = Actor(user="ann", os_user="test")
REFERENCE = "M-1"
RATIONALE = (
    "Overseas minister's relative buying a modest flat with a mortgage from a UK lender; funds "
    "traced to salary savings over ten years with statements seen. The PEP link is remote and "
    "there is no public procurement angle."
)
OVERRIDE = (
    "The PEP connection is a second cousin with no role in the purchase; the funds are fully "
    "evidenced from the buyer's own UK salary, so High would overstate the real risk here."
)


def pep_matter(store_path: Path) -> None:
    """An open conveyancing matter whose client is a non-UK PEP: High is forced."""
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
        cf.answer(ANN, REFERENCE, "scope.activity", "real_property")
        cf.answer(ANN, REFERENCE, "screen.pep", "non_domestic_pep")


async def open_sign_off(pilot: Pilot[None], rating: Rating) -> SignOff:
    """From the matters list: open the matter, press F7 and choose `rating`."""
    await pilot.press("enter")
    await _settle(pilot)
    assert isinstance(pilot.app.screen, MatterScreen)
    assert pilot.app.screen.view is not None
    assert pilot.app.screen.view.evaluation.minimum_rating is Rating.HIGH
    await pilot.press("f7")
    await _settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, SignOff)
    dialog.query_one("#rating", Select).value = rating.value
    await pilot.pause()
    dialog.query_one("#rationale", TextArea).text = RATIONALE
    await pilot.pause()
    return dialog


def _text(screen: object, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())  # type: ignore[attr-defined]


def _saved(app: DueDiligenceApp, key: str) -> list[object]:
    return [a.value for a in app.casefile.view(REFERENCE).records.answers if a.question_key == key]


async def test_the_mlro_overrides_below_the_floor(seeded: Path) -> None:
    pep_matter(seeded)
    app = make_app(seeded, user="mo")
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        dialog = await open_sign_off(pilot, Rating.LOW)
        # Below the floor the MLRO sees the override, with the reasons and a live count.
        assert dialog.query_one("#override", Vertical).display
        why = _text(dialog, "#override-why")
        assert why.startswith("Low is below the lowest rating allowed (High) for every reason")
        assert _text(dialog, "#override-count") == "0 / at least 100 characters (100 more needed)"
        dialog.query_one("#override-rationale", TextArea).text = OVERRIDE
        await pilot.pause()
        assert _text(dialog, "#override-count") == f"{len(OVERRIDE)} / at least 100 characters"
        # At or above the floor the override goes away again.
        dialog.query_one("#rating", Select).value = Rating.HIGH.value
        await pilot.pause()
        assert not dialog.query_one("#override", Vertical).display
        dialog.query_one("#rating", Select).value = Rating.LOW.value
        await pilot.pause()

        await pilot.click("#ok")
        await _settle(pilot)
        screen = app.screen
        assert isinstance(screen, MatterScreen)
        view = app.casefile.view(REFERENCE)
        [override] = view.records.overrides
        assert override.overridden_by == "mo" and override.rating is Rating.LOW
        assert override.rationale == OVERRIDE
        assert _saved(app, "risk.rating") == ["low"]
        assert _saved(app, "risk.rationale") == [RATIONALE]
        [decision] = view.evaluation.ratings
        assert decision.acceptable and decision.override is not None
        assert decision.override.by == "mo"
        # Issue 13, finding 14: it says what happened and what is still missing.
        missing = len(view.evaluation.missing)
        assert missing > 0
        assert f"Rating recorded as Low on your MLRO override; {missing} items still missing." in _notes(app)  # fmt: skip
        assert "Signed off" not in _notes(app)
        risk = _text(screen, "#risk")
        assert "MLRO override: Low accepted below High by mo" in risk
        # With the override on file, choosing Low inline is no longer refused, and the dialog
        # says Low stands on it rather than asking for another.
        assert screen.refusal(Rating.LOW) is None
        await pilot.press("f7")
        await _settle(pilot)
        again = app.screen
        assert isinstance(again, SignOff)
        again.query_one("#rating", Select).value = Rating.LOW.value
        await pilot.pause()
        assert not again.query_one("#override", Vertical).display
        standing = _text(again, "#override-standing")
        assert standing.startswith("Low stands on the MLRO override by mo on 2026-03-02")


async def test_a_fee_earner_below_the_floor_is_refused(seeded: Path) -> None:
    pep_matter(seeded)
    app = make_app(seeded, user="ann")
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        dialog = await open_sign_off(pilot, Rating.LOW)
        assert not dialog.query_one("#override", Vertical).display
        await pilot.click("#ok")
        await _settle(pilot)
        assert app.screen is dialog
        error = _text(dialog, "#sign-error")
        assert "Refused: Low is below High" in error and "PEP" in error
        assert "Only the MLRO (nominated officer) may override" in error
        view = app.casefile.view(REFERENCE)
        assert view.records.overrides == ()
        assert _saved(app, "risk.rating") == [] and _saved(app, "risk.rationale") == []


async def test_a_short_override_rationale_saves_nothing(seeded: Path) -> None:
    pep_matter(seeded)
    app = make_app(seeded, user="mo")
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        dialog = await open_sign_off(pilot, Rating.MEDIUM)
        # Medium meets the firm-wide Medium floor: only the PEP triggers are named.
        why = _text(dialog, "#override-why")
        assert "because:" in why and "PEP" in why and "Firm-wide" not in why
        dialog.query_one("#override-rationale", TextArea).text = "Seems fine."
        await pilot.pause()
        assert "(89 more needed)" in _text(dialog, "#override-count")
        await pilot.click("#ok")
        await _settle(pilot)
        assert app.screen is dialog
        assert "at least 100 characters (11 so far, repetition not counted)" in _text(
            dialog, "#sign-error"
        )
        assert app.casefile.view(REFERENCE).records.overrides == ()
        assert _saved(app, "risk.rating") == [] and _saved(app, "risk.rationale") == []


async def test_an_override_the_service_refuses_saves_nothing(seeded: Path) -> None:
    pep_matter(seeded)
    app = make_app(seeded, user="mo")
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        dialog = await open_sign_off(pilot, Rating.LOW)
        dialog.query_one("#override-rationale", TextArea).text = OVERRIDE
        # The acting person changes while the dialog is open: the service checks the role again.
        app.set_user(PEOPLE[1])
        await pilot.click("#ok")
        await _settle(pilot)
        assert app.screen is dialog
        error = _text(dialog, "#sign-error")
        assert error.startswith("Not saved:") and "only the MLRO" in error
        assert app.casefile.view(REFERENCE).records.overrides == ()
        assert _saved(app, "risk.rating") == [] and _saved(app, "risk.rationale") == []


async def test_the_inline_rating_points_the_mlro_to_sign_off(seeded: Path) -> None:
    pep_matter(seeded)
    app = make_app(seeded, user="mo")
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        await pilot.press("enter")
        await _settle(pilot)
        screen = app.screen
        assert isinstance(screen, MatterScreen)
        screen.go_to(("solicitor-cdd", "risk.rating"))
        await pilot.pause()
        await pilot.press("enter")  # Low, the first option
        await _settle(pilot)
        assert any("Refused: Low is below" in n and "press F7 (Sign off)" in n for n in _notes(app))
        assert _saved(app, "risk.rating") == []
        app.set_user(PEOPLE[0])
        refusal = screen.refusal(Rating.LOW)
        assert refusal is not None and refusal.endswith("only the MLRO may override")
