"""The money trail of a matter: every receipt into client account with its reconciliation
against the declared source of funds, and recording a receipt (a).

Only formats the read model's reconciliation (`CaseView.funds`); the case file records the
receipt, adds and screens a remitter who is not a party, and holds the matter when G2 was
closed.
"""

from __future__ import annotations

import asyncio
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import DataTable, Footer, Header, Static

from duediligence.domain.errors import DueDiligenceError
from duediligence.domain.funds import NewReceipt, ReceiptLine, Reconciliation, money_text
from duediligence.tui.commands import bindings_for
from duediligence.tui.modals.receipt import AddReceipt
from duediligence.tui.screens.base import BaseScreen
from duediligence.tui.widgets.plain import Table

COLUMNS = ("Received", "Amount", "Remitter", "Bank", "Tranche", "Reconciliation")

STATUS_WORDS = {
    "reconciled": "Reconciled",
    "unreconciled": "DOES NOT RECONCILE",
    "explained": "Explained, awaiting acceptance",
    "accepted": "Accepted",
    "returned": "Returned",
}


class FundsScreen(BaseScreen):
    """One matter's receipts, each with what does not match."""

    COMMAND_SCOPES = ("funds",)
    BINDINGS: ClassVar[list[BindingType]] = [*bindings_for("funds"), *bindings_for("back")]

    def __init__(self, reference: str) -> None:
        super().__init__()
        self.reference = reference

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"Money trail of {self.reference}", classes="title", markup=False)
        yield Static("", id="funds-status", classes="muted", markup=False)
        yield Table(id="receipts", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#receipts", DataTable)
        table.add_columns(*COLUMNS)
        self.reload()
        table.focus()

    def reload(self) -> None:
        table = self.query_one("#receipts", DataTable)
        table.clear()
        try:
            funds = self.dd.casefile.view(self.reference).funds
        except DueDiligenceError as error:
            self.dd.show_error(str(error))
            return
        for line in funds.lines:
            table.add_row(*_cells(line), key=line.receipt.id)
            for number, mismatch in enumerate(line.mismatches, start=1):
                table.add_row(
                    "", "", "", "", "", f"- {mismatch.message}", key=f"{line.receipt.id}-{number}"
                )
        if not funds.lines:
            table.add_row("No receipts yet: press a to record one.", *[""] * (len(COLUMNS) - 1))
        self.query_one("#funds-status", Static).update(status_text(funds))

    def action_add_receipt(self, last: NewReceipt | None = None, error: str = "") -> None:
        def done(new: NewReceipt | None) -> None:
            if new is not None:
                self.run_worker(self._add(new), group="add-receipt", exit_on_error=False)

        self.app.push_screen(AddReceipt(last, error), done)

    async def _add(self, new: NewReceipt) -> None:
        dd = self.dd
        try:
            # A remitter who is not a party is screened at once: off the event loop.
            added = await asyncio.to_thread(dd.casefile.add_receipt, dd.actor, self.reference, new)
        except DueDiligenceError as error:
            self.reload()
            self.action_add_receipt(new, str(error))
            return
        self.reload()
        said = f"Receipt recorded: {STATUS_WORDS[added.line.status].lower()}."
        if added.new_party is not None:
            said += f" {added.new_party.name} added as payer {added.new_party.label} and screened."
        dd.notify(said, timeout=6)


def status_text(funds: Reconciliation) -> str:
    """The line above the table: the total against the amount required, and what is held."""
    required = funds.required
    parts = []
    if required is not None:
        parts.append(
            f"Received {money_text(funds.received, required.currency)} of "
            f"{money_text(required.amount, required.currency)} required"
        )
    if funds.total_mismatch:
        parts.append(funds.total_mismatch)
    parts.append(f"{funds.unreconciled} unreconciled")
    return "; ".join(parts) + ". Explain, accept or return with `duediligence funds`."


def _cells(line: ReceiptLine) -> tuple[str, ...]:
    receipt = line.receipt
    return (
        receipt.received_on.isoformat(),
        money_text(receipt.amount, receipt.currency),
        receipt.remitter,
        ", ".join(p for p in (receipt.bank, receipt.bank_country) if p),
        str(line.state.tranche) if line.state.tranche else "none",
        STATUS_WORDS[line.status],
    )
