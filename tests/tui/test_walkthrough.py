"""End to end through a real store: a PEP client, High forced, approvals, refusal, supersession."""

from __future__ import annotations

import contextlib
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Button, Checkbox, DataTable, Input, Select, Static, TextArea
from textual.worker import WorkerCancelled

from duediligence.domain.vocabulary import Role
from duediligence.tui.modals.evidence import AttachEvidence
from duediligence.tui.screens.matter import MatterScreen
from duediligence.tui.screens.matters import MattersScreen
from duediligence.tui.summaries import COLUMNS
from tests.tui.conftest import make_app
from tests.tui.conftest import notes as _notes


async def _settle(pilot: Pilot[None]) -> None:
    """Wait until every worker (saves, evaluations) is done and its messages are handled."""
    for _ in range(2):
        # A closed dialog's directory loader is cancelled, not completed: that is fine.
        with contextlib.suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def test_pep_client_from_new_matter_to_superseded_approval(
    seeded: Path, tmp_path: Path
) -> None:
    app = make_app(seeded, user="ann")
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        assert isinstance(app.screen, MattersScreen)
        # A new matter with one key.
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"M-100")
        app.screen.query_one("#client-name", Input).value = "Viktor Petrenko"
        app.screen.query_one("#nationality", Input).value = "UA"
        app.screen.query_one("#ok", Button).press()
        await _settle(pilot)
        screen = app.screen
        assert isinstance(screen, MatterScreen)
        assert screen.view is not None
        assert [r.key for r in screen.view.records.runs] == ["solicitor-cdd"]

        # In scope: conveyancing (the first question, where the matter opens).
        assert screen.current == ("solicitor-cdd", "scope.activity")
        screen.go_to(screen.current)
        await pilot.pause()
        await pilot.press("enter")
        await _settle(pilot)
        # The client is a non-UK PEP: High is forced, senior management must approve.
        screen.go_to(("solicitor-cdd", "screen.pep"))
        await pilot.pause()
        await pilot.press("down", "down", "enter")
        await _settle(pilot)
        risk = str(screen.query_one("#risk", Static).render())
        assert "Forced High" in risk
        assert "Lowest allowed: High" in risk
        assert "Senior manager" in risk
        # Branching: the PEP checklists started as soon as the evaluator asked for them.
        assert {"pep-edd", "source-of-wealth", "source-of-funds"} <= {
            r.key for r in screen.view.records.runs
        }

        # A rating below the floor is refused, with the reason.
        screen.go_to(("solicitor-cdd", "risk.rating"))
        await pilot.pause()
        await pilot.press("enter")  # "Low", the first option
        await _settle(pilot)
        assert any("Refused: Low is below" in n and "PEP" in n for n in _notes(app))
        assert not any(a.question_key == "risk.rating" for a in screen.view.records.answers)

        # Evidence for the PEP question's proof, through the dialog.
        proof = tmp_path / "pep-screening.txt"
        proof.write_text("World-Check result: PEP, Deputy Minister\n", encoding="utf-8")
        screen.go_to(("solicitor-cdd", "verify.id_document"))
        await pilot.press("f3")
        await pilot.pause()
        app.screen.query_one("#path", Input).value = str(proof)
        # The type is chosen, never assumed (the first in the list is what was meant here).
        attach = app.screen
        assert isinstance(attach, AttachEvidence)
        attach.query_one("#doc-type", Select).value = attach.documents[0]
        app.screen.query_one("#doc-number", Input).value = " PS-2026-0042 "
        app.screen.query_one("#ok", Button).press()
        await _settle(pilot)
        assert [e.original_name for e in screen.view.records.evidence] == ["pep-screening.txt"]
        assert screen.view.records.evidence[0].document_number == "PS-2026-0042"

        # The fee earner does not even see the approve action.
        assert screen.check_action("approve", ()) is False

        # A supervisor tries to sign off in the senior manager's place: told before any form
        # (the dialog once offered the role and said "Refused" after it was filled in).
        app.set_user(next(p for p in app.casefile.people() if p.id == "bob"))
        await pilot.pause()
        await pilot.press("f8")
        await _settle(pilot)
        assert app.screen is screen
        said = [str(n.message) for n in app._notifications]
        assert any("Only the Senior manager may decide on M-100" in s for s in said), said
        assert not screen.view.records.approvals

        # The senior manager may not approve it either while the PEP's EDD, source of wealth
        # and source of funds are not done (only the MLRO may, with a reason): told so in the
        # dialog, input kept; the senior manager refuses it for now.
        app.set_user(next(p for p in app.casefile.people() if p.id == "sam"))
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#approve-incomplete", Checkbox).value = True  # not complete
        dialog.query_one("#conditions", TextArea).text = "Watch the source of wealth"
        dialog.query_one("#ok", Button).press()
        await _settle(pilot)
        assert app.screen is dialog
        error = str(dialog.query_one("#approve-error", Static).render())
        assert "the enhanced due diligence is not complete" in error
        assert "only the MLRO may approve an incomplete file" in error
        assert dialog.query_one("#conditions", TextArea).text == "Watch the source of wealth"
        assert not screen.view.records.approvals
        dialog.query_one("#decision", Select).value = "refused"
        dialog.query_one("#ok", Button).press()
        await _settle(pilot)
        [approval] = screen.view.records.approvals
        assert approval.role is Role.SENIOR_MANAGER and approval.decision == "refused"
        assert not screen.view.superseded

        # The fee earner changes an answer: the approval is superseded, visibly.
        app.set_user(next(p for p in app.casefile.people() if p.id == "ann"))
        screen.go_to(("solicitor-cdd", "ident.full_name"))
        await pilot.pause()
        await pilot.press(*"Viktor Petrenko")
        assert screen.answer_input is not None
        screen.answer_input.flush()
        await _settle(pilot)
        assert screen.view.superseded == frozenset({approval.id})
        assert "Superseded" in str(screen.query_one("#risk", Static).render())

        # Back on the list the matter shows its rating, flags and missing count.
        await pilot.press("escape")
        await _settle(pilot)
        table = app.screen.query_one("#matters", DataTable)
        row = [str(cell) for cell in table.get_row("M-100")]
        assert row[0] == "M-100" and row[1] == "Viktor Petrenko"
        assert row[COLUMNS.index("PEP")] == "PEP"
