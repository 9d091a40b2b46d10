"""Approve or refuse a matter in one of the approval roles, with conditions or reasons.

The dialog offers the roles the matter is waiting for; the case file refuses a role the person
does not hold, their own matter, or out-of-date training, and the message is shown as given.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select, Static, TextArea

from duediligence.domain.case import Decision
from duediligence.domain.errors import DueDiligenceError
from duediligence.domain.vocabulary import Role
from duediligence.tui.commands import bindings_for

if TYPE_CHECKING:
    from duediligence.tui.screens.matter import MatterScreen


@dataclass(frozen=True)
class ApprovalForm:
    """The approver's decision."""

    role: Role
    decision: Decision
    conditions: str | None


class Approve(ModalScreen[ApprovalForm | None]):
    """The approval dialog."""

    BINDINGS: ClassVar[list[BindingType]] = bindings_for("modal")

    def __init__(self, needs: list[tuple[Role, str]], roles: list[Role]) -> None:
        super().__init__()
        self.needs = needs
        self.roles = roles

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static("Approve this matter", classes="title")
            why = "\n".join(f"• {role.label}: {reason}" for role, reason in self.needs)
            yield Static(why or "No approval is pending; you may still record one.")
            yield Label("Approve as")
            yield Select(
                [(r.label, r.value) for r in self.roles],
                value=self.roles[0].value,
                allow_blank=False,
                id="role",
            )
            yield Label("Decision")
            yield Select(
                [("Approve", "approved"), ("Refuse", "refused")],
                value="approved",
                allow_blank=False,
                id="decision",
            )
            yield Label("Conditions (approve) or reasons (refuse)")
            yield TextArea(id="conditions")
            with Horizontal(classes="buttons"):
                yield Button("Record decision", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss(None)
            return
        decision = str(self.query_one("#decision", Select).value)
        text = self.query_one("#conditions", TextArea).text.strip() or None
        self.dismiss(
            ApprovalForm(
                Role(str(self.query_one("#role", Select).value)),
                "refused" if decision == "refused" else "approved",
                text,
            )
        )


def approve(screen: MatterScreen) -> None:
    """Ask for the decision and record it, bound to the state the approver was looking at."""
    view = screen.view
    assert view is not None
    needs = list(
        dict.fromkeys((a.role, a.reason) for a in view.evaluation.approvals if not a.satisfied)
    )
    roles = list(
        dict.fromkeys([r for r, _ in needs] or [Role.SUPERVISOR, Role.SENIOR_MANAGER, Role.MLRO])
    )
    state = view.state_sha256

    def done(form: ApprovalForm | None) -> None:
        if form is None:
            return
        try:
            screen.dd.casefile.approve(
                screen.dd.actor,
                screen.reference,
                form.role,
                decision=form.decision,
                conditions=form.conditions,
                expected_state=state,
            )
        except DueDiligenceError as error:
            screen.dd.show_error(f"Refused: {error}")
            screen.say(f"Refused: {error}")
            return
        screen.say("")
        screen.notify(f"{form.role.label} {form.decision} by {screen.dd.actor.user}.", timeout=4)
        screen.reload()

    screen.app.push_screen(Approve(needs, roles), done)
