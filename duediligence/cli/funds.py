"""`duediligence funds`: receipts into client account, reconciled with the source of funds.

add, list, import (a client-ledger CSV, docs/funds.md), allocate, explain, accept, return; all
with --json. The reconciliation is the read model's (`CaseView.funds`): these commands only
print it. Bad input (no currency, a negative amount, a future date, another currency without a
rate, a bad ledger row) is a message naming the field, and nothing is stored.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from duediligence.cli.cases import Context, common
from duediligence.domain.errors import DueDiligenceError
from duediligence.domain.funds import (
    LEDGER_COLUMNS,
    NewReceipt,
    ReceiptLine,
    Reconciliation,
    jsonable_line,
    money_text,
)
from duediligence.domain.paths import NotARegularFile, read_regular_file, shown

LEDGER_MAX_BYTES = 10 * 1024 * 1024
"""The largest ledger CSV read: a matter's receipts are a few rows, never megabytes."""
LEDGER_MAX_ROWS = 5000
"""Rows in one import: more is not one matter's client ledger."""
_REQUIRED = ("amount", "received_on", "remitter")

if TYPE_CHECKING:
    from duediligence.services.casefile import CaseFile


@click.group()
def funds() -> None:
    """Receipts into client account, reconciled with the declared source of funds."""


@funds.command(name="add")
@click.argument("reference")
@click.option("--amount", required=True, help='With its currency: "GBP 250000", "£250k".')
@click.option("--received-on", required=True, help="The statement's value date.")
@click.option("--remitter", required=True, help="The remitter's name as the statement prints it.")
@click.option("--bank", help="The remitting bank.")
@click.option("--bank-country", help="The remitting bank's country (ISO code or name).")
@click.option("--account", help="The remitting account (stored whole, printed masked).")
@click.option("--tranche", help="The declared tranche it pays: N, or RUN#N.")
@click.option("--reference", "ledger_reference", help="The client-account (ledger) reference.")
@click.option("--rate", help="Exchange rate to the tranche's currency, for another currency.")
@common
def funds_add(
    ctx: Context,
    reference: str,
    amount: str,
    received_on: str,
    remitter: str,
    bank: str | None,
    bank_country: str | None,
    account: str | None,
    tranche: str | None,
    ledger_reference: str | None,
    rate: str | None,
) -> None:
    """Record a receipt; it is reconciled at once and the mismatches printed."""
    new = NewReceipt(
        amount=amount,
        received_on=received_on,
        remitter=remitter,
        bank=bank,
        bank_country=bank_country,
        account=account,
        reference=ledger_reference,
        tranche=tranche,
        rate=rate,
    )
    with ctx.casefile() as casefile:
        added = casefile.add_receipt(ctx.actor(), reference, new)
    text = _line_text(added.line)
    if added.new_party is not None:
        text += (
            f"\n{added.new_party.name} was not a party of {reference}: added as payer "
            f"{added.new_party.label} and screened."
        )
    data = jsonable_line(added.line)
    data["new_party"] = added.new_party.label if added.new_party else None
    ctx.emit(data, text)


@funds.command(name="list")
@click.argument("reference")
@common
def funds_list(ctx: Context, reference: str) -> None:
    """Every receipt with its reconciliation, and the total against the amount required."""
    with ctx.casefile() as casefile:
        reconciliation = casefile.view(reference).funds
    ctx.emit(_data(reconciliation), lambda: _text(reconciliation))


@funds.command(name="import")
@click.argument("reference")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=True))
@common
def funds_import(ctx: Context, reference: str, file: Path) -> None:
    """Record the receipts of a client-ledger CSV (columns in docs/funds.md): every row is
    checked first; a bad row is named and nothing is imported."""
    rows = read_ledger(file)
    with ctx.casefile() as casefile:
        added = casefile.import_receipts(ctx.actor(), reference, rows)
    text = "\n".join(_line_text(a.line) for a in added)
    text += f"\nImported {len(added)} receipt{'' if len(added) == 1 else 's'} into {reference}."
    ctx.emit([jsonable_line(a.line) for a in added], text)


def _emit_line(ctx: Context, casefile: CaseFile, reference: str, receipt_id: str) -> None:
    """Print the receipt's reconciliation line as the case now stands (what every receipt
    action answers with)."""
    line = _line_of(casefile.view(reference).funds, receipt_id)
    ctx.emit(jsonable_line(line), _line_text(line))


@funds.command(name="allocate")
@click.argument("reference")
@click.argument("receipt")
@click.argument("tranche")
@common
def funds_allocate(ctx: Context, reference: str, receipt: str, tranche: str) -> None:
    """Allocate RECEIPT (its id, or the start of it) to the declared TRANCHE (N or RUN#N)."""
    with ctx.casefile() as casefile:
        action = casefile.allocate_receipt(ctx.actor(), reference, receipt, tranche)
        _emit_line(ctx, casefile, reference, action.receipt_id)


@funds.command(name="explain")
@click.argument("reference")
@click.argument("receipt")
@click.option("--note", required=True, help="What differs, what the client said, the evidence.")
@common
def funds_explain(ctx: Context, reference: str, receipt: str, note: str) -> None:
    """The fee earner's explanation of a receipt that does not reconcile."""
    with ctx.casefile() as casefile:
        action = casefile.explain_receipt(ctx.actor(), reference, receipt, note)
        _emit_line(ctx, casefile, reference, action.receipt_id)


@funds.command(name="accept")
@click.argument("reference")
@click.argument("receipt")
@click.option("--note", help="The supervisor's note.")
@common
def funds_accept(ctx: Context, reference: str, receipt: str, note: str | None) -> None:
    """A supervisor accepts an explained receipt (the MLRO, for money received past G2)."""
    with ctx.casefile() as casefile:
        action = casefile.accept_receipt(ctx.actor(), reference, receipt, note)
        _emit_line(ctx, casefile, reference, action.receipt_id)


@funds.command(name="return")
@click.argument("reference")
@click.argument("receipt")
@click.option("--note", required=True, help="Why it was returned, and how.")
@common
def funds_return(ctx: Context, reference: str, receipt: str, note: str) -> None:
    """Record that a receipt was sent back to the payer."""
    with ctx.casefile() as casefile:
        action = casefile.return_receipt(ctx.actor(), reference, receipt, note)
        _emit_line(ctx, casefile, reference, action.receipt_id)


# ----------------------------------------------------------------------------------------------


def read_ledger(path: Path) -> list[NewReceipt]:
    """The rows of a client-ledger CSV as typed receipts, or an error naming the file, the row
    and the column. A pipe, a device or a huge file is refused before it is read."""
    try:
        data = read_regular_file(path, LEDGER_MAX_BYTES)
    except NotARegularFile as error:
        raise DueDiligenceError(str(error)) from None
    except OSError as error:
        raise DueDiligenceError(f"{shown(path)}: cannot be read ({error.strerror})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DueDiligenceError(
            f"{shown(path)}: not UTF-8 text (save the export as CSV UTF-8)"
        ) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = reader.fieldnames or []
    except csv.Error as error:
        raise DueDiligenceError(f"{shown(path)}: not a CSV file ({error})") from None
    unknown = [c for c in header if c not in LEDGER_COLUMNS]
    if unknown:
        raise DueDiligenceError(
            f"{shown(path)}: unknown column {unknown[0][:40]!r} (columns: {', '.join(LEDGER_COLUMNS)})"
        )
    missing = [c for c in _REQUIRED if c not in header]
    if missing:
        raise DueDiligenceError(
            f"{shown(path)}: column {missing[0]!r} missing (needs {', '.join(_REQUIRED)})"
        )
    rows: list[NewReceipt] = []
    try:
        for number, row in enumerate(reader, start=1):
            if number > LEDGER_MAX_ROWS:
                raise DueDiligenceError(
                    f"{shown(path)}: more than {LEDGER_MAX_ROWS:,} rows; import one matter's "
                    "receipts"
                )
            if None in row or None in row.values():
                raise DueDiligenceError(
                    f"{shown(path)}, row {number}: {len(header)} columns expected as in the header"
                )
            for column in _REQUIRED:
                if not (row.get(column) or "").strip():
                    raise DueDiligenceError(f"{shown(path)}, row {number}, column {column}: empty")
            rows.append(
                NewReceipt(
                    amount=row["amount"],
                    received_on=row["received_on"],
                    remitter=row["remitter"],
                    **{c: row.get(c) or None for c in LEDGER_COLUMNS[3:]},
                )
            )
    except csv.Error as error:
        raise DueDiligenceError(f"{shown(path)}: not a CSV file ({error})") from None
    if not rows:
        raise DueDiligenceError(f"{shown(path)}: no rows under the header; nothing imported")
    return rows


def _line_of(reconciliation: Reconciliation, receipt_id: str) -> ReceiptLine:
    return next(li for li in reconciliation.lines if li.receipt.id == receipt_id)


def _line_text(line: ReceiptLine) -> str:
    receipt = line.receipt
    where = f"tranche {line.state.tranche}" if line.state.tranche else "no tranche"
    head = (
        f"{receipt.id[:8]}  {receipt.received_on.isoformat()}  "
        f"{money_text(receipt.amount, receipt.currency)}  from {receipt.remitter}  "
        f"({where}): {line.status.upper()}"
    )
    details = [f"  - {m.message}" for m in line.mismatches]
    if line.state.explanation is not None:
        details.append(f"  explained by {line.state.explanation.by}: {line.state.explanation.note}")
    if line.state.acceptance is not None:
        details.append(f"  accepted by {line.state.acceptance.by}")
    if line.state.returned is not None:
        details.append(f"  returned ({line.state.returned.by}): {line.state.returned.note}")
    return "\n".join([head, *details])


def _text(reconciliation: Reconciliation) -> str:
    if not reconciliation.lines:
        return "No receipts recorded."
    lines = [_line_text(line) for line in reconciliation.lines]
    required = reconciliation.required
    if required is not None:
        lines.append(
            f"Received {money_text(reconciliation.received, required.currency)} of "
            f"{money_text(required.amount, required.currency)} required."
        )
    if reconciliation.total_mismatch:
        lines.append(f"Total: {reconciliation.total_mismatch}.")
    lines.append(f"Unreconciled receipts: {reconciliation.unreconciled}.")
    return "\n".join(lines)


def _data(reconciliation: Reconciliation) -> dict[str, Any]:
    required = reconciliation.required
    return {
        "receipts": [jsonable_line(line) for line in reconciliation.lines],
        "required": str(required) if required else None,
        "received": str(reconciliation.received),
        "total_mismatch": reconciliation.total_mismatch,
        "unreconciled": reconciliation.unreconciled,
        "receipts_match": reconciliation.receipts_match,
        "issues": [{"gate": i.gate.value, "message": i.message} for i in reconciliation.issues],
    }
