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
from duediligence.tui.modals.receipt import AddReceipt, ReceiptNote
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
        self.lines: dict[str, ReceiptLine] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"Money trail of {self.reference}", classes="title", markup=False)
        yield Static("", id="funds-status", classes="muted", markup=False)
        yield Table(id="receipts", cursor_type="row", zebra_stripes=True)
        yield Static("", id="receipt-lines", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#receipts", DataTable).focus()

    def reload(self) -> None:
        table = self.query_one("#receipts", DataTable)
        # Columns too: widths follow what is shown now (not the "no receipts" line of before).
        table.clear(columns=True)
        table.add_columns(*COLUMNS)
        try:
            funds = self.dd.casefile.view(self.reference).funds
        except DueDiligenceError as error:
            self.dd.show_error(str(error))
            return
        self.lines = {line.receipt.id: line for line in funds.lines}
        for line in funds.lines:
            table.add_row(*_cells(line), key=line.receipt.id)
        if not funds.lines:
            table.add_row("No receipts yet: press a to record one.", *[""] * (len(COLUMNS) - 1))
        self.query_one("#funds-status", Static).update(status_text(funds))
        self._show(funds.lines[0] if funds.lines else None)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        key = event.row_key.value if event.row_key is not None else None
        self._show(self.lines.get(key) if key else None)

    def _show(self, line: ReceiptLine | None) -> None:
        """The highlighted receipt's reconciliation, one line per mismatch, wrapped."""
        self.query_one("#receipt-lines", Static).update(lines_text(line) if line else "")

    def action_add_receipt(self, last: NewReceipt | None = None, error: str = "") -> None:
        def done(new: NewReceipt | None) -> None:
            if new is not None:
                self.run_worker(self._add(new), group="add-receipt", exit_on_error=False)

        self.app.push_screen(AddReceipt(last, error), done)

    def action_explain_receipt(self) -> None:
        self._note("explain")

    def action_accept_receipt(self) -> None:
        self._note("accept")

    def action_return_receipt(self) -> None:
        self._note("return")

    def _highlighted(self) -> ReceiptLine | None:
        table = self.query_one("#receipts", DataTable)
        if not self.lines or table.cursor_row < 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.lines.get(key) if key else None

    def _note(self, what: str, last: str = "", error: str = "") -> None:
        line = self._highlighted()
        if line is None:
            self.dd.notify("No receipt is highlighted.", timeout=4)
            return
        title, label, done_words = _NOTES[what]

        def done(note: str | None) -> None:
            if note is None:
                return
            casefile, actor = self.dd.casefile, self.dd.actor
            receipt_id = line.receipt.id
            try:
                if what == "explain":
                    casefile.explain_receipt(actor, self.reference, receipt_id, note)
                elif what == "accept":
                    casefile.accept_receipt(actor, self.reference, receipt_id, note or None)
                else:
                    casefile.return_receipt(actor, self.reference, receipt_id, note)
            except DueDiligenceError as refused:
                # What was typed comes back with the reason.
                self._note(what, note, str(refused))
                return
            self.reload()
            self.dd.notify(f"Receipt {done_words}.", timeout=5)

        self.app.push_screen(ReceiptNote(title, lines_text(line), label, last, error), done)

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


_NOTES = {
    "explain": (
        "Explain the receipt",
        "What differs, what the client said, and the evidence (a supervisor then accepts it)",
        "explained",
    ),
    "accept": ("Accept the explanation", "Your note (optional)", "accepted"),
    "return": ("Return the receipt", "Why it was returned, and how", "recorded as returned"),
}


def lines_text(line: ReceiptLine) -> str:
    """A receipt's reconciliation in words: each mismatch, and what was done about it."""
    receipt = line.receipt
    head = (
        f"{money_text(receipt.amount, receipt.currency)} from {receipt.remitter} on "
        f"{receipt.received_on.isoformat()}, account {receipt.masked_account}: "
        f"{STATUS_WORDS[line.status]}"
    )
    said = [head, *(f"  - {m.message}" for m in line.mismatches)]
    state = line.state
    if state.explanation is not None:
        said.append(f"  Explained by {state.explanation.by}: {state.explanation.note}")
    if state.acceptance is not None:
        said.append(f"  Accepted by {state.acceptance.by}")
    if state.returned is not None:
        said.append(f"  Returned by {state.returned.by}: {state.returned.note}")
    return "\n".join(said)


def status_text(funds: Reconciliation) -> str:
    """The line above the table: the total against the amount required, and what is held."""
    required = funds.required
    parts = []
    if funds.total_mismatch:
        parts.append(funds.total_mismatch[0].upper() + funds.total_mismatch[1:])
    elif required is not None:
        parts.append(
            f"Received {money_text(funds.received, required.currency)} of "
            f"{money_text(required.amount, required.currency)} required"
        )
    parts.append(f"{funds.unreconciled} unreconciled")
    return "; ".join(parts) + "."


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
