"""Mark evidence verified: say how (original seen, certified copy, electronic check ...).

A verification without its method is not evidence of much: the audit file and an inspector
ask how the document was checked, so the dialog will not record one without it.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from duediligence.domain.case import Evidence
from duediligence.tui.modals.base import Dialog

METHODS = (
    "Original document seen in person",
    "Certified copy received",
    "Electronic identity verification",
    "Video call with the original document",
    "Checked against the issuing registry",
)
"""The usual ways, offered first (details can follow)."""


class VerifyEvidence(Dialog[str | None]):
    """Returns the method as it will be recorded."""

    def __init__(self, evidence: Evidence) -> None:
        super().__init__()
        self.evidence = evidence

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static("Mark evidence verified", classes="title")
            yield Static(
                f"{self.evidence.original_name} ({self.evidence.document_type.replace('_', ' ')})",
                markup=False,
            )
            yield Label("How was it verified?")
            yield Select([(m, m) for m in METHODS], prompt="Choose how", id="method")
            yield Label("Details (who certified it, the check's reference, ...)")
            yield Input(id="details")
            yield Static("", id="verify-error", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Mark verified", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#method", Select).focus()

    def submit_form(self) -> None:
        select = self.query_one("#method", Select)
        details = self.query_one("#details", Input).value.strip()
        if select.is_blank() and not details:
            self.query_one("#verify-error", Static).update(
                "Say how it was verified: choose a method or write it in the details."
            )
            return
        parts = [] if select.is_blank() else [str(select.value)]
        self.dismiss(": ".join([*parts, details] if details else parts))
