"""Ask for the approvals a matter is waiting for: the dialog shows the roles and the evaluator's
reasons, takes an optional note, and the case file stores the request (it then shows in the
approvers' queue, first, with who asked and when).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, Static, TextArea

from duediligence.domain.vocabulary import Role
from duediligence.tui.modals.base import Dialog


@dataclass(frozen=True)
class RequestForm:
    """The requester's note (None: no note)."""

    note: str | None


class RequestApprovals(Dialog[RequestForm | None]):
    """The request-approvals dialog."""

    def __init__(self, needs: list[tuple[Role, str]]) -> None:
        super().__init__()
        self.needs = needs

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static("Request approvals", classes="title")
            yield Static(
                "\n".join(f"• {role.label}: {reason}" for role, reason in self.needs),
                id="request-needs",
                markup=False,
            )
            yield Label("Note to the approvers (optional)")
            yield TextArea(id="note")
            with Horizontal(classes="buttons"):
                yield Button("Send request", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        # Textual also runs Dialog's on_mount (handlers run along the class's MRO).
        self.query_one("#note", TextArea).focus()

    def submit_form(self) -> None:
        self.dismiss(RequestForm(self.query_one("#note", TextArea).text.strip() or None))
