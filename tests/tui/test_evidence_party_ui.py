"""Attaching evidence from the TUI (issue 13 finding 8, issue 18): the dialog asks which party
a document is about, as the CLI's --party does (a beneficial owner's passport on a company's
matter was filed against the company), and a refusal by the case file brings the dialog back
with everything typed and the reason, with a field for the reason it asks for."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import Button, Input, Select, Static

from duediligence.compose import open_casefile
from duediligence.tui.modals.evidence import AttachEvidence
from duediligence.tui.screens.evidence import attach_evidence
from duediligence.tui.screens.matter import MatterScreen
from tests.tui.conftest import FixedClock, make_app, settle


async def _dialog(pilot: object) -> AttachEvidence:
    app = pilot.app  # type: ignore[attr-defined]
    screen = app.screen
    assert isinstance(screen, MatterScreen)
    attach_evidence(screen, screen.reference, None)
    await pilot.pause()  # type: ignore[attr-defined]
    dialog = app.screen
    assert isinstance(dialog, AttachEvidence)
    return dialog


async def _until(pilot: object, done: Callable[[], bool]) -> None:
    """Pause until `done()` (a dialog with a file browser keeps a worker running, so waiting
    for every worker to finish would never end)."""
    for _ in range(400):
        if done():
            return
        await pilot.pause(0.05)  # type: ignore[attr-defined]
    raise AssertionError("the screen never got there")


def _fill(dialog: AttachEvidence, path: Path, document_type: str, party: str | None) -> None:
    dialog.query_one("#path", Input).value = str(path)
    dialog.query_one("#doc-type", Select).value = document_type
    if party is not None:
        dialog.query_one("#party", Select).value = party


async def test_a_document_is_filed_against_the_party_chosen(example: Path, tmp_path: Path) -> None:
    passport = tmp_path / "teodor-passport.pdf"
    passport.write_bytes(b"%PDF-1.7 passport of the beneficial owner")
    app = make_app(example, user="pshah")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        dialog = await _dialog(pilot)
        offered = [str(label) for label, _ in dialog.query_one("#party", Select)._options]
        assert "p2 Teodor Valinescu, beneficial owner" in offered
        assert "p1 Marlowe Court Holdings Ltd, client" in offered
        _fill(dialog, passport, "passport", "p2")
        dialog.query_one("#ok", Button).press()
        await settle(pilot)
        assert isinstance(app.screen, MatterScreen)
    with open_casefile(example, clock=FixedClock()) as opened:
        records = opened.casefile.view("EX-0001").records
    party_ids = {p.id: p.label for p in records.parties}
    [filed] = [e for e in records.evidence if e.original_name == "teodor-passport.pdf"]
    assert filed.party_id is not None and party_ids[filed.party_id] == "p2"


async def test_a_refused_document_comes_back_with_what_was_typed_and_the_reason(
    example: Path, tmp_path: Path
) -> None:
    # The same file already on the matter as a passport, now offered as a bank statement: the
    # case file asks why; the dialog returns with the path, the type, the party and the reason.
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.7 one scan")
    app = make_app(example, user="pshah")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        dialog = await _dialog(pilot)
        _fill(dialog, scan, "passport", "p2")
        dialog.query_one("#ok", Button).press()
        await settle(pilot)
        dialog = await _dialog(pilot)
        _fill(dialog, scan, "bank_statement", "p3")
        dialog.query_one("#issuer", Input).value = "Banca Transilvania"
        dialog.query_one("#ok", Button).press()
        await _until(
            pilot, lambda: app.screen is not dialog and not isinstance(app.screen, MatterScreen)
        )
        again = app.screen
        assert isinstance(again, AttachEvidence) and again is not dialog
        said = str(again.query_one("#evidence-error", Static).render())
        assert "nothing was stored" in said, said
        assert again.query_one("#path", Input).value == str(scan)
        assert again.query_one("#doc-type", Select).value == "bank_statement"
        assert again.query_one("#party", Select).value == "p3"
        assert again.query_one("#issuer", Input).value == "Banca Transilvania"
        again.query_one(
            "#reuse-reason", Input
        ).value = "The client's scan holds both the passport page and the statement of account."
        again.query_one("#ok", Button).press()
        await settle(pilot)
        assert isinstance(app.screen, MatterScreen)
    with open_casefile(example, clock=FixedClock()) as opened:
        records = opened.casefile.view("EX-0001").records
    kinds = sorted(e.document_type for e in records.evidence if e.original_name == "scan.pdf")
    assert kinds == ["bank_statement", "passport"]
