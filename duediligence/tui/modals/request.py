"""Ask for the approvals a matter is waiting for: the dialog shows the roles and the evaluator's
reasons, takes an optional note, and the case file stores the request (it then shows in the
approvers' queue, first, with who asked and when).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, Static, TextArea

from duediligence.domain.errors import DueDiligenceError
from duediligence.domain.vocabulary import Role
from duediligence.tui.modals.base import Dialog

if TYPE_CHECKING:
    from duediligence.tui.screens.matter import MatterScreen


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


def request_approvals(screen: MatterScreen) -> None:
    """The matter's ctrl+r: ask for the approvals pending, with a note, and store the request."""
    view = screen.view
    assert view is not None
    needs = list(
        dict.fromkeys((a.role, a.reason) for a in view.evaluation.approvals if not a.satisfied)
    )
    if not needs:
        screen.notify("No approval is needed now.", timeout=4)
        return

    def done(form: RequestForm | None) -> None:
        if form is None:
            return
        try:
            request = screen.dd.casefile.request_approvals(
                screen.dd.actor, screen.reference, form.note
            )
        except DueDiligenceError as error:
            screen.dd.show_error(f"Not requested: {error}")
            return
        roles = ", ".join(r.label for r in request.roles)
        screen.notify(
            f"Approval request stored: {roles}. The matter is first in their approvals queue.",
            title="Approvals",
            timeout=6,
        )
        screen.reload()

    screen.app.push_screen(RequestApprovals(needs), done)
