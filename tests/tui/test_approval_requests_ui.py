"""Approval requests through the TUI on a real store: the fee earner asks from the matter
(ctrl+r), the senior manager sees the matter first in the queue with who asked and when, decides
from the queue (d) and the matter leaves it; refusals by the case file are shown as given."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.widgets import Button, Checkbox, DataTable, Static, TextArea

from duediligence.compose import open_casefile
from duediligence.domain.case import Actor, PartyKind, PartyRole, Person
from duediligence.domain.vocabulary import Role
from duediligence.services.casefile import NewParty
from duediligence.tui.app import DueDiligenceApp
from duediligence.tui.modals.approve import Approve
from duediligence.tui.modals.request import RequestApprovals
from duediligence.tui.screens.desk import ApprovalsQueue
from duediligence.tui.screens.matter import MatterScreen
from duediligence.tui.screens.matters import MattersScreen
from tests.tui.conftest import FixedClock, make_app, settle
from tests.tui.conftest import notes as _notes


def _person(app: DueDiligenceApp, person_id: str) -> Person:
    return next(p for p in app.casefile.people() if p.id == person_id)


WHY = "SoW evidence promised by the bank; funds held until it is reviewed"


async def test_requested_in_the_matter_then_decided_from_the_queue(example: Path) -> None:
    app = make_app(example, user="pshah")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        matter = app.screen
        assert isinstance(matter, MatterScreen)

        await pilot.press("ctrl+r")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, RequestApprovals)
        needs = str(dialog.query_one("#request-needs", Static).render())
        assert "Senior manager" in needs and "reg 35(5)(a)" in needs
        dialog.query_one("#note", TextArea).text = "Exchange is booked for Friday"
        dialog.query_one("#ok", Button).press()
        await settle(pilot)
        assert app.screen is matter
        assert any("Approval request stored" in n for n in _notes(app))
        (request,) = app.casefile.view("EX-0001").records.approval_requests
        assert (request.requested_by, request.note) == ("pshah", "Exchange is booked for Friday")
        assert request.roles == (Role.SENIOR_MANAGER,)

        # The senior manager takes over; back on the list the row knows of the request.
        app.set_user(_person(app, "hgrant"))
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MattersScreen)
        assert app.rows["EX-0001"].requested_by == "pshah"
        await pilot.press("a")
        await settle(pilot)
        queue = app.screen
        assert isinstance(queue, ApprovalsQueue)
        table = queue.query_one("#desk", DataTable)
        first = [str(c) for c in table.get_row_at(0)]
        assert first[0] == "EX-0001"
        assert first[4].startswith("pshah 2026-03-02")

        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, Approve)
        summary = str(app.screen.query_one("#approve-summary", Static).render())
        assert "EX-0001" in summary and "rating" in summary and "Gates: G1 blocked" in summary
        assert "Requested by pshah" in summary and "Exchange is booked for Friday" in summary
        app.screen.query_one("#approve-incomplete", Checkbox).value = True  # not complete
        # hgrant is the MLRO too: the only one who may approve while the EDD is incomplete.
        app.screen.query_one("#incomplete-reason", TextArea).text = WHY
        app.screen.query_one("#ok", Button).press()
        await settle(pilot)

        assert app.screen is queue
        [approval] = app.casefile.view("EX-0001").records.approvals
        assert (approval.approver, approval.role) == ("hgrant", Role.SENIOR_MANAGER)
        assert approval.incomplete_reason == WHY
        assert "EX-0001" not in [str(k.value) for k in table.rows]
        assert app.rows["EX-0001"].approvals_pending == ()
        assert app.rows["EX-0001"].requested_by is None
        # The matters list underneath shows the matter's new state when we go back.
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MattersScreen)
        assert app.rows["EX-0001"].approvals_pending == ()


async def test_refusals_from_the_queue_are_shown_as_given(example: Path) -> None:
    with open_casefile(example, clock=FixedClock()) as opened:
        casefile = opened.casefile
        alex = Actor(user="alex", os_user="test")
        casefile.add_person(
            alex,
            Person(
                id="olds",
                name="Old Senior",
                roles=(Role.SENIOR_MANAGER,),
                trained_on=date(2024, 1, 2),
                os_users=("test",),
            ),
        )
        casefile.request_approvals(Actor(user="pshah", os_user="test"), "EX-0001")
    app = make_app(example, user="olds")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ApprovalsQueue)

        # Lapsed training: the case file refuses, the queue says why and keeps the matter.
        await pilot.press("d")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#approve-incomplete", Checkbox).value = True  # not complete
        dialog.query_one("#ok", Button).press()
        await settle(pilot)
        # Shown in the dialog, which stays open with what was chosen.
        assert app.screen is dialog
        error = str(dialog.query_one("#approve-error", Static).render())
        assert error.startswith("Refused: olds cannot approve EX-0001: AML training")
        assert not app.casefile.view("EX-0001").records.approvals
        dialog.query_one("#cancel", Button).press()
        await settle(pilot)
        assert isinstance(app.screen, ApprovalsQueue)
        assert app.screen.query_one("#desk", DataTable).row_count == 1

        # Someone changes the due-diligence record while the approver reads the dialog (a new
        # payer): refused, not recorded. (A matter event would not be: it is progress, not
        # what the approval relies on.)
        app.set_user(_person(app, "hgrant"))
        await pilot.press("d")
        await pilot.pause()
        casefile = app.casefile
        casefile.add_party(
            Actor(user="pshah", os_user="test"),
            "EX-0001",
            NewParty(role=PartyRole.PAYER, kind=PartyKind.INDIVIDUAL, name="Pat Payer"),
        )
        dialog = app.screen
        dialog.query_one("#approve-incomplete", Checkbox).value = True  # not complete
        dialog.query_one("#incomplete-reason", TextArea).text = WHY
        dialog.query_one("#ok", Button).press()
        await settle(pilot)
        error = str(dialog.query_one("#approve-error", Static).render())
        assert "has changed since you reviewed it" in error
        assert not casefile.view("EX-0001").records.approvals
