"""Finding 4 in the TUI: F7 on an agency's matter records the rating and signs off as the
signed-in person, now; while the CDD is incomplete it says why it did not sign."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Button

from duediligence.compose import open_casefile
from duediligence.config import Settings
from duediligence.tui.app import DueDiligenceApp
from duediligence.tui.modals.sign_off import SignOff
from duediligence.tui.screens.matter import MatterScreen
from tests.agency.conftest import (
    SELLER_ANSWERS,
    AgencyCli,
    add_client,
    do_cdd,
    import_lists,
    open_sale,
)
from tests.casefile.conftest import ME
from tests.tui.conftest import notes, settle


def _app(store: Path) -> DueDiligenceApp:
    # The agency's store runs on the real clock (its training dates are recent).
    return DueDiligenceApp(Settings(store=store, user="nina"), os_user=ME)


async def _f7(app: DueDiligenceApp, pilot: Pilot[None]) -> None:
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, MatterScreen)
    await pilot.press("f7")
    await settle(pilot)
    assert isinstance(app.screen, SignOff)
    app.screen.query_one("#ok", Button).press()
    await settle(pilot)


async def test_f7_signs_off_as_you_now_once_the_cdd_is_done(
    agency: AgencyCli, tmp_path: Path
) -> None:
    import_lists(agency)
    open_sale(agency, "S-1", "seller")
    add_client(agency, "S-1", "Grace Adaeze Okafor", "1969-11-02")
    do_cdd(agency, "S-1", SELLER_ANSWERS, tmp_path / "files")  # signs off once from the CLI
    # A change reopens it; F7 signs again, as Nina, now.
    assert agency("answer", "S-1", "property.price", "390000 GBP").exit_code == 0
    app = _app(agency.store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await _f7(app, pilot)
        assert any("Signed off by you now." in n for n in notes(app)), notes(app)
    with open_casefile(agency.store) as opened:
        view = opened.casefile.view("S-1")
    signed = [a for a in view.records.approvals if a.role.value == "fee_earner"]
    assert len(signed) == 2 and signed[-1].id not in view.superseded
    assert not view.evaluation.missing


async def test_f7_on_an_incomplete_file_records_the_rating_and_says_why_it_did_not_sign(
    agency: AgencyCli,
) -> None:
    open_sale(agency, "S-1", "seller")
    for key in ("assessment.rating", "assessment.rationale"):
        assert agency("answer", "S-1", key, SELLER_ANSWERS[key]).exit_code == 0
    app = _app(agency.store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await _f7(app, pilot)
        assert any("Not signed off: S-1 cannot be signed off" in n for n in notes(app)), notes(app)
    with open_casefile(agency.store) as opened:
        view = opened.casefile.view("S-1")
    assert not [a for a in view.records.approvals if a.role.value == "fee_earner"]
