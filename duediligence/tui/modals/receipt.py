"""Record a receipt into client account: the fields of the bank statement line. The case file
checks every field (amount and currency, the date against today, the country, the tranche and
its currency) and says which one is wrong; the dialog then comes back with what was typed."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static, TextArea

from duediligence.domain.errors import DueDiligenceError
from duediligence.domain.funds import NewReceipt
from duediligence.tui.modals.base import Dialog

_FIELDS = (
    ("amount", "Amount with its currency", "e.g. GBP 250000 or £250k"),
    ("received_on", "Date received (value date)", "YYYY-MM-DD or DD/MM/YYYY"),
    ("remitter", "Remitter (as on the statement)", "e.g. MR J SMITH"),
    ("bank", "Remitting bank", ""),
    ("bank_country", "Bank's country", "e.g. GB"),
    ("account", "Account (printed masked)", ""),
    ("tranche", "Declared tranche it pays", "1, 2 ..."),
    ("reference", "Client-account reference", ""),
    ("rate", "Exchange rate (another currency only)", "tranche's currency per unit"),
)


class AddReceipt(Dialog[NewReceipt | None]):
    """The add-receipt dialog (filled again with the last attempt after a refusal)."""

    def __init__(self, last: NewReceipt | None = None, error: str = "") -> None:
        super().__init__()
        self.last = last
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static("Record a receipt into client account", classes="title")
            for first, second in zip(_FIELDS[0::2], _FIELDS[1::2], strict=False):
                with Horizontal(classes="pair"):
                    for name, label, hint in (first, second):
                        with Vertical():
                            yield Label(label)
                            yield Input(self._last(name), placeholder=hint, id=f"receipt-{name}")
            name, label, hint = _FIELDS[-1]
            yield Label(label)
            yield Input(self._last(name), placeholder=hint, id=f"receipt-{name}")
            yield Static(self.error, id="receipt-error", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Record and reconcile", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    def _last(self, name: str) -> str:
        value = getattr(self.last, name, None) if self.last is not None else None
        return value or ""

    def on_mount(self) -> None:
        # Textual also runs Dialog's on_mount (handlers run along the class's MRO).
        self.query_one("#receipt-amount", Input).focus()

    def _value(self, name: str) -> str:
        return self.query_one(f"#receipt-{name}", Input).value.strip()

    def submit_form(self) -> None:
        for name in ("amount", "received_on", "remitter"):
            if not self._value(name):
                label = next(label for key, label, _ in _FIELDS if key == name)
                self.say("#receipt-error", f"{name}: give the {label.lower()}")
                return
        try:
            self.dismiss(
                NewReceipt(
                    amount=self._value("amount"),
                    received_on=self._value("received_on"),
                    remitter=self._value("remitter"),
                    **{key: self._value(key) or None for key, _, _ in _FIELDS[3:]},
                )
            )
        except DueDiligenceError as error:  # pragma: no cover - the fields are plain text
            self.say("#receipt-error", str(error))


class ReceiptNote(Dialog[str | None]):
    """A note about one receipt: the fee earner's explanation, a supervisor's acceptance, or
    why it was returned. The receipt's reconciliation is shown above the note."""

    def __init__(self, title: str, about: str, label: str, last: str = "", error: str = "") -> None:
        super().__init__()
        self.heading = title
        self.about = about
        self.label = label
        self.last = last
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(self.heading, classes="title", markup=False)
            yield Static(self.about, id="receipt-about", markup=False)
            yield Label(self.label)
            yield TextArea(self.last, id="receipt-note")
            yield Static(self.error, id="receipt-note-error", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Record", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#receipt-note", TextArea).focus()

    def submit_form(self) -> None:
        self.dismiss(self.query_one("#receipt-note", TextArea).text.strip())
