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


class Passphrase(Dialog[str | None]):
    """Asks a passphrase, typed hidden; what it unlocks is said in the title and the line."""

    TITLE = "Passphrase"
    EXPLANATION = ""
    BUTTON = "Unlock"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(self.TITLE, classes="title", markup=False)
            yield Label(self.EXPLANATION, markup=False)
            yield Input(password=True, id="passphrase")
            yield Static("", id="passphrase-error", markup=False, classes="error")
            with Horizontal(classes="buttons"):
                yield Button(self.BUTTON, id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    def submit_form(self) -> None:
        passphrase = self.query_one("#passphrase", Input).value
        if not passphrase:
            self.say("#passphrase-error", "Type the passphrase first.")
            return
        self.dismiss(passphrase)


class MlroPassphrase(Passphrase):
    """Asks the MLRO's passphrase, which seals and opens the restricted records (the first
    record sets it); kept only in memory for this session."""

    TITLE = "MLRO passphrase"
    EXPLANATION = "The restricted records are sealed under it (the first record sets it)."


class FirmKeyPassphrase(Passphrase):
    """Asks the passphrase of the firm's signing key before an audit file is rendered: the
    file is signed, and an unsigned one from a firm that has a key would not verify."""

    TITLE = "Firm signing key"
    EXPLANATION = (
        "The audit file is signed with the firm's key: type its passphrase (kept for this "
        "render only)."
    )
    BUTTON = "Sign and render"
