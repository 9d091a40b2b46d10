"""Finding 9 in the TUI: set-up asks what the firm is, and an agency's new-matter dialog offers
only its sales (seller / buyer), in its own words; one missed key can no longer make a solicitor
matter inside an agency."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Button, Input, Label, Select

from duediligence.compose import open_casefile
from duediligence.domain.case import Actor, Supervisor
from duediligence.domain.vocabulary import FirmKind, FirmRole
from duediligence.tui.modals.new_matter import NewMatter
from duediligence.tui.screens.matter import MatterScreen
from duediligence.tui.screens.matters import MattersScreen
from tests.tui.conftest import PEOPLE, FixedClock, make_app, settle


@pytest.fixture
def agency_store(store_path: Path) -> Path:
    with open_casefile(store_path, clock=FixedClock()) as opened:
        cf = opened.casefile
        cf.init_firm(
            firm_name="Marsh & Field Estate Agents",
            supervisor=Supervisor.HMRC,
            kind=FirmKind.ESTATE_AGENCY,
            fwra_version="1",
            fwra_date=date(2026, 1, 5),
            first_user=PEOPLE[2],
            os_user="test",
            fwra_approver="sam",
        )
        for person in (PEOPLE[0], PEOPLE[1], PEOPLE[3]):
            cf.add_person(Actor(user="sam", os_user="test"), person)
    return store_path


def _labels(dialog: NewMatter) -> list[str]:
    return [str(label.render()) for label in dialog.query(Label) if label.display]


async def test_an_agency_new_matter_offers_only_its_sales_in_its_words(agency_store: Path) -> None:
    app = make_app(agency_store, user="ann")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, NewMatter)
        kind = dialog.query_one("#kind", Select)
        assert [value for _, value in kind._options if value != Select.BLANK] == [
            "agent_seller",
            "agent_buyer",
        ]
        assert kind.value == "agent_seller"
        # One matter type is no choice: not shown, and it is the sale's.
        assert not dialog.query_one("#matter-type", Select).display
        assert dialog.query_one("#matter-type", Select).value == "estate_agency_sale"
        labels = _labels(dialog)
        assert "Responsible negotiator" in labels
        assert "Client type" not in labels and "Seller or buyer is" in labels
        dialog.query_one("#reference", Input).value = "S-1"
        dialog.query_one("#client-name", Input).value = "Sarah Jones"
        dialog.query_one("#ok", Button).press()
        await settle(pilot)
        assert isinstance(app.screen, MatterScreen)
    with open_casefile(agency_store, clock=FixedClock()) as opened:
        summaries = opened.casefile.summaries()
        case = opened.casefile.view("S-1").records.case
    assert [s.reference for s in summaries] == ["S-1"]
    assert case.firm_role is FirmRole.ESTATE_AGENT
    assert case.acting_for == "seller"
    assert case.matter_type == "estate_agency_sale"


async def test_a_law_firms_dialog_offers_no_sale_type_among_its_matter_types(
    seeded: Path,
) -> None:
    app = make_app(seeded, user="ann")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, NewMatter)
        types = dialog.query_one("#matter-type", Select)
        assert "estate_agency_sale" not in [v for _, v in types._options]
        # A firm doing both: choosing a sale makes the type the sale's, and hides it.
        dialog.query_one("#kind", Select).value = "agent_buyer"
        await settle(pilot)
        assert types.value == "estate_agency_sale" and not types.display


async def test_set_up_as_an_estate_agency_speaks_its_words(store_path: Path) -> None:
    app = make_app(store_path, user=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.query_one("#firm-kind", Select).value = FirmKind.ESTATE_AGENCY.value
        await settle(pilot)
        assert screen.query_one("#supervisor", Select).value == Supervisor.HMRC.value
        assert "Hartley" not in screen.query_one("#firm", Input).placeholder
        roles = [label for label, _ in screen.query_one("#user-role", Select)._options]
        assert "Negotiator" in roles and "Branch manager" in roles
        assert not any("partner" in str(r) for r in roles)
        for field, value in {
            "firm": "Marsh & Field", "user-id": "dan", "user-name": "Dan Director",
        }.items():  # fmt: skip
            screen.query_one(f"#{field}", Input).value = value
        screen.query_one("#create", Button).press()
        await settle(pilot)
        assert isinstance(app.screen, MattersScreen)
    with open_casefile(store_path, clock=FixedClock()) as opened:
        firm = opened.casefile.firm()
    assert firm is not None and firm.kind is FirmKind.ESTATE_AGENCY
    assert firm.supervisor is Supervisor.HMRC


async def test_the_compliance_desk_shows_each_sale_with_both_sides(agency_store: Path) -> None:
    from textual.widgets import DataTable

    from duediligence.domain.vocabulary import ClientType
    from duediligence.services.casefile import NewCase
    from duediligence.tui.screens.desk import SalesDesk

    ann = Actor(user="ann", os_user="test")
    with open_casefile(agency_store, clock=FixedClock()) as opened:
        cf = opened.casefile
        for reference, side in (("S-1", "seller"), ("B-1", "buyer"), ("B-2", "buyer")):
            cf.open_case(
                ann,
                NewCase(
                    reference,
                    FirmRole.ESTATE_AGENT,
                    "estate_agency_sale",
                    ClientType.INDIVIDUAL,
                    "ann",
                    side,
                ),
            )
        cf.link_sale(ann, "S-1", "7 Brookside Close, Caversham, Reading RG4 8QT")
        cf.add_buyer(ann, "S-1", "B-1")
        cf.add_buyer(ann, "S-1", "B-2")
        cf.proceed_with(ann, "B-2")
    app = make_app(agency_store, user="bob")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, SalesDesk)
        table = app.screen.query_one("#desk", DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert [r[1:3] for r in rows] == [
            ["Seller", "S-1"],
            ["Buyer", "B-1"],
            ["Buyer (proceeding)", "B-2"],
        ]
        assert rows[0][0].startswith("7 Brookside Close") and rows[1][0] == ""
        assert rows[0][3] == "not recorded" and rows[0][6] == "closed"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MatterScreen) and app.screen.reference == "S-1"


async def test_the_parties_screen_calls_an_agencys_buyer_the_customer(agency_store: Path) -> None:
    # Issue 20, finding 7: the buyer was called "Client" although the agency's words (the
    # checklist's, the audit file's) make the buyer its customer.
    from textual.widgets import DataTable

    from duediligence.domain.case import PartyKind, PartyRole
    from duediligence.domain.vocabulary import ClientType
    from duediligence.services.casefile import NewCase, NewParty
    from duediligence.tui.modals.party import AddParty
    from duediligence.tui.screens.parties import PartiesScreen

    with open_casefile(agency_store, clock=FixedClock()) as opened:
        opened.casefile.open_case(
            Actor(user="ann", os_user="test"),
            NewCase(
                reference="B-1",
                firm_role=FirmRole.ESTATE_AGENT,
                matter_type="estate_agency_sale",
                client_type=ClientType.INDIVIDUAL,
                responsible="ann",
                acting_for="buyer",
            ),
            [NewParty(role=PartyRole.CLIENT, kind=PartyKind.INDIVIDUAL, name="Ben Buyer")],
        )
    app = make_app(agency_store, user="ann")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PartiesScreen)
        table = screen.query_one("#parties", DataTable)
        assert [str(c) for c in table.get_row_at(0)][:2] == ["p1", "Customer (buyer)"]
        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AddParty)
        offered = [label for label, _ in dialog.query_one("#party-role", Select)._options]
        assert "Customer (buyer), a joint one" in offered
        assert not any(str(label).startswith("Client") for label in offered)
