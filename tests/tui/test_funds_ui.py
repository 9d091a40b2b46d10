"""The money trail from the matter (Ctrl+G): the receipts with their reconciliation lines, and
recording one (a): a refusal by the case file brings the dialog back filled in with the reason;
a receipt from a stranger is kept, reconciled at once, and the stranger added as a payer."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, DataTable, Input, Static, TextArea

from duediligence.domain.case import PartyRole
from duediligence.tui.modals.receipt import AddReceipt, ReceiptNote
from duediligence.tui.screens.funds import FundsScreen
from tests.tui.conftest import make_app, settle


def rows(screen: FundsScreen) -> list[list[str]]:
    table = screen.query_one("#receipts", DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_record_a_receipt_from_the_matter(example: Path) -> None:
    app = make_app(example, user="pshah")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, FundsScreen)
        assert rows(screen)[0][0] == "No receipts yet: press a to record one."
        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AddReceipt)
        fields = {
            "amount": "1250000",  # no currency: refused by the case file, nothing stored
            "received_on": "02/01/2026",
            "remitter": "Stranger Trading Ltd",
            "bank_country": "CY",
            "tranche": "1",
        }
        for name, value in fields.items():
            dialog.query_one(f"#receipt-{name}", Input).value = value
        dialog.query_one("#ok", Button).press()
        await settle(pilot)
        again = app.screen
        assert isinstance(again, AddReceipt)
        assert again.query_one("#receipt-remitter", Input).value == "Stranger Trading Ltd"
        said = str(again.query_one("#receipt-error", Static).render())
        assert "amount: needs a currency" in said
        assert app.casefile.view("EX-0001").records.receipts == ()
        again.query_one("#receipt-amount", Input).value = "GBP 1,250,000"
        again.query_one("#ok", Button).press()
        await settle(pilot)
        assert isinstance(app.screen, FundsScreen)
        shown = rows(screen)
        assert shown[0][:5] == [
            "2026-01-02",
            "GBP 1,250,000.00",
            "Stranger Trading Ltd",
            "CY",
            "1",
        ]
        assert shown[0][5] == "DOES NOT RECONCILE"
        lines = str(screen.query_one("#receipt-lines", Static).render())
        assert "is not the declared payer of tranche 1" in lines, lines
        status = str(screen.query_one("#funds-status", Static).render())
        assert "1 unreconciled" in status
        # Explained from the screen (too short first: the note comes back with the reason).
        await pilot.press("e")
        await pilot.pause()
        note = app.screen
        assert isinstance(note, ReceiptNote)
        note.query_one("#receipt-note", TextArea).text = "Own company."
        note.query_one("#ok", Button).press()
        await settle(pilot)
        again_note = app.screen
        assert isinstance(again_note, ReceiptNote)
        assert again_note.query_one("#receipt-note", TextArea).text == "Own company."
        assert "at least 20 characters" in str(
            again_note.query_one("#receipt-note-error", Static).render()
        )
        again_note.query_one(
            "#receipt-note", TextArea
        ).text = "The client's own trading company; board minute and loan agreement on file."
        again_note.query_one("#ok", Button).press()
        await settle(pilot)
        assert isinstance(app.screen, FundsScreen)
        assert rows(screen)[0][5] == "Explained, awaiting acceptance"
        assert "Explained by pshah" in str(screen.query_one("#receipt-lines", Static).render())
    view = app.casefile.view("EX-0001")
    assert view.records.parties[-1].name == "Stranger Trading Ltd"
    assert view.records.parties[-1].role is PartyRole.PAYER
