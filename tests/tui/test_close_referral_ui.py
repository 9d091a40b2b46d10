"""The MLRO closes a referral from the TUI (issue 13, finding 10): a refusal (a reason that says
too little) is shown in the dialog with what was typed kept; once closed, G1 no longer waits."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, Checkbox, Select, Static, TextArea

from duediligence.compose import open_casefile
from duediligence.domain.case import Actor
from duediligence.domain.vocabulary import ClientType, FirmRole, Gate
from duediligence.services.casefile import NewCase
from duediligence.tui.modals.referral import CloseReferral
from duediligence.tui.screens.desk import RestrictedRecords
from tests.tui.conftest import FixedClock, make_app
from tests.tui.conftest import settle as _settle

ANN = Actor(user="ann", os_user="test")
WEIGHED = "The allegations concern a namesake abroad; two reports and the court list checked"


def _referred(store: Path) -> None:
    with open_casefile(store, clock=FixedClock()) as opened:
        cf = opened.casefile
        cf.open_case(
            ANN,
            NewCase(
                reference="P-1",
                firm_role=FirmRole.SOLICITOR,
                matter_type="residential_purchase",
                client_type=ClientType.INDIVIDUAL,
                responsible="ann",
                acting_for="buyer",
            ),
        )
        cf.answer(ANN, "P-1", "scope.activity", "real_property")
        cf.answer(ANN, "P-1", "screen.adverse_media", "material")


def _referral_reasons(store: Path) -> list[str]:
    with open_casefile(store, clock=FixedClock()) as opened:
        g1 = opened.casefile.view("P-1").evaluation.gate(Gate.G1)
    return [r.message for r in g1.reasons if r.kind == "referral"]


async def test_the_mlro_closes_a_referral_in_the_dialog(seeded: Path) -> None:
    _referred(seeded)
    assert len(_referral_reasons(seeded)) == 1
    app = make_app(seeded, user="mo")
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        app.mlro_passphrase = "the MLRO's sealing passphrase"  # as if typed in its dialog
        app.push_screen(RestrictedRecords("P-1"))
        await _settle(pilot)
        await pilot.press("c")
        await _settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, CloseReferral)
        referral = dialog.query_one("#referral", Select)
        referral.value = dialog.referrals[0].key
        dialog.query_one("#outcome", Select).value = "proceed"
        dialog.query_one("#suspicion", Checkbox).value = True
        dialog.query_one("#reasoning", TextArea).text = "fine"
        dialog.query_one("#ok", Button).press()
        await _settle(pilot)
        assert app.screen is dialog
        error = str(dialog.query_one("#referral-error", Static).render())
        assert "needs a reason of at least 20 characters" in error
        assert dialog.query_one("#reasoning", TextArea).text == "fine"
        assert len(_referral_reasons(seeded)) == 1  # nothing recorded
        dialog.query_one("#reasoning", TextArea).text = WEIGHED
        dialog.query_one("#ok", Button).press()
        await _settle(pilot)
        assert isinstance(app.screen, RestrictedRecords)
    assert _referral_reasons(seeded) == []


async def test_the_mlro_area_counts_sealed_records_once_the_passphrase_is_typed(
    seeded: Path,
) -> None:
    # The store names a restricted record's matter only by a tag the passphrase recomputes:
    # the area asks for it (once a session) before it can say which matter holds how many.
    from textual.widgets import DataTable, Input

    from duediligence.domain.case import RestrictedKind
    from duediligence.tui.modals.restricted import MlroPassphrase
    from duediligence.tui.screens.desk import MlroArea

    _referred(seeded)
    seal = "the MLRO's sealing passphrase"
    with open_casefile(seeded, clock=FixedClock()) as opened:
        opened.casefile.add_restricted(
            Actor(user="mo", os_user="test"), "P-1", RestrictedKind.SAR_REFERENCE, "SAR 1", seal
        )
    app = make_app(seeded, user="mo")
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        home = app.screen
        app.push_screen(MlroArea())
        await _settle(pilot)
        assert isinstance(app.screen, MlroPassphrase)
        await pilot.press("escape")  # not unlocked: back where the MLRO was
        await _settle(pilot)
        assert app.screen is home
        app.push_screen(MlroArea())
        await _settle(pilot)
        assert isinstance(app.screen, MlroPassphrase)
        app.screen.query_one("#passphrase", Input).value = seal
        await pilot.press("enter")
        await _settle(pilot)
        area = app.screen
        assert isinstance(area, MlroArea)
        table = area.query_one("#desk", DataTable)
        assert [str(c) for c in table.get_row("P-1")][:1] == ["P-1"]
        assert str(table.get_row("P-1")[3]) == "1"
        assert app.mlro_passphrase == seal
