"""Add an MLRO-restricted record: a `ModalScreen[RestrictedForm]` (the caller stores it)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from duediligence.domain.case import RestrictedKind
from duediligence.tui.modals.base import Dialog

_KIND_WORDS = {
    RestrictedKind.INTERNAL_REPORT: "Internal report",
    RestrictedKind.DELIBERATION: "Deliberation",
    RestrictedKind.SAR_REFERENCE: "SAR reference",
    RestrictedKind.DAML_REFERENCE: "DAML reference",
}
"""The kinds as the MLRO says them (not "Sar reference")."""


@dataclass(frozen=True)
class RestrictedForm:
    """What kind of record, and its text."""

    kind: RestrictedKind
    text: str


class AddRestricted(Dialog[RestrictedForm | None]):
    """The add-restricted-record dialog."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static("Restricted record (MLRO only)", classes="title")
            yield Select(
                [(_KIND_WORDS[k], k.value) for k in RestrictedKind],
                value=RestrictedKind.INTERNAL_REPORT.value,
                allow_blank=False,
                id="kind",
            )
            yield Label("Text")
            yield TextArea(id="text")
            yield Static("", id="restricted-error", markup=False, classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Add", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    def submit_form(self) -> None:
        text = self.query_one("#text", TextArea).text.strip()
        if not text:
            self.say("#restricted-error", "Write the record first.")
            return
        kind = RestrictedKind(str(self.query_one("#kind", Select).value))
        self.dismiss(RestrictedForm(kind, text))


class MlroPassphrase(Dialog[str | None]):
    """Asks the MLRO's passphrase, which seals and opens the restricted records (the first
    record sets it); kept only in memory for this session."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static("MLRO passphrase", classes="title")
            yield Label("The restricted records are sealed under it (the first record sets it).")
            yield Input(password=True, id="passphrase")
            yield Static("", id="passphrase-error", markup=False, classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Unlock", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    def submit_form(self) -> None:
        passphrase = self.query_one("#passphrase", Input).value
        if not passphrase:
            self.say("#passphrase-error", "Type the passphrase first.")
            return
        self.dismiss(passphrase)
