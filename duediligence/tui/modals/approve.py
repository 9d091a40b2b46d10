"""Approve or refuse a matter in one of the approval roles, with conditions or reasons.

The dialog offers the roles the matter is waiting for; the case file refuses a role the person
does not hold, their own matter, out-of-date training, an incomplete EDD without the MLRO's
reason, or a matter changed since it was read, and the message is shown in the dialog, with
what was typed kept. `tui/flows/approvals.decide` is the one path to a decision: the matter (F8) and
the approvals queue (d) both call it, with the view the approver was shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Checkbox, Label, Select, Static, TextArea

from duediligence.domain.case import Decision
from duediligence.domain.errors import DueDiligenceError
from duediligence.domain.vocabulary import Role
from duediligence.services.reading import CaseView
from duediligence.tui.modals.base import Dialog
from duediligence.tui.summaries import moment


@dataclass(frozen=True)
class Outstanding:
    """What is not done on the matter when an approval is asked for."""

    missing: int
    """Required answers (and documents) still missing."""
    blocked: tuple[str, ...]
    """The blocked gates, as "G1 Accept instructions"."""

    def __bool__(self) -> bool:
        return bool(self.missing or self.blocked)

    def text(self) -> str:
        parts = []
        if self.missing:
            parts.append(f"{self.missing} required answer(s) missing")
        if self.blocked:
            parts.append(f"gates blocked: {', '.join(self.blocked)}")
        return "Not complete: " + "; ".join(parts) + "."


def outstanding_of(view: CaseView) -> Outstanding:
    """What is missing and blocked on the matter as the approver sees it."""
    evaluation = view.evaluation
    return Outstanding(
        missing=len(evaluation.missing),
        blocked=tuple(
            f"{g.gate.value} {view.gate_title(g.gate)}" for g in evaluation.gates if not g.open
        ),
    )


@dataclass(frozen=True)
class ApprovalForm:
    """The approver's decision."""

    role: Role
    decision: Decision
    conditions: str | None
    incomplete_reason: str | None = None
    """The MLRO's reason for approving although the EDD is not complete."""


class Approve(Dialog[ApprovalForm | None]):
    """The approval dialog."""

    def __init__(
        self,
        needs: list[tuple[Role, str]],
        roles: list[Role],
        summary: str | None = None,
        outstanding: Outstanding | None = None,
        submit: Callable[[ApprovalForm], None] | None = None,
    ) -> None:
        super().__init__()
        self.submit = submit
        """Records the decision; what it refuses is shown here and the dialog stays open."""
        self.needs = needs
        self.roles = roles
        self.summary = summary
        """What is being approved, for an approver who has not opened the matter."""
        self.outstanding = outstanding or Outstanding(0, ())
        """What is not done: approving anyway needs a tick."""

    def compose(self) -> ComposeResult:
        # Scrolls: with a summary, the needs and what is outstanding it outgrows 80x24.
        with VerticalScroll(classes="dialog wide"):
            yield Static("Approve this matter", classes="title")
            if self.summary:
                # Not markup: a client's name or a note may contain "[".
                yield Static(self.summary, id="approve-summary", markup=False)
            if self.outstanding:
                # First, where it cannot be missed.
                yield Static(
                    self.outstanding.text(), id="approve-outstanding", markup=False, classes="error"
                )
            why = "\n".join(f"• {role.label}: {reason}" for role, reason in self.needs)
            yield Static(
                why or "No approval is pending; you may still record one.",
                markup=False,
            )
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
            if self.outstanding:
                yield Checkbox("I approve it although it is not complete", id="approve-incomplete")
                yield Label(
                    "Why (the MLRO only, when the EDD, source of wealth or source of funds is "
                    "not complete)"
                )
                yield TextArea(id="incomplete-reason")
            yield Static("", id="approve-error", markup=False, classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Record decision", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        # Textual also runs Dialog's on_mount. Typing starts in the conditions: with the focus
        # nowhere, conditions typed went into the decision list.
        self.query_one("#conditions", TextArea).focus()

    def submit_form(self) -> None:
        decision = str(self.query_one("#decision", Select).value)
        text = self.query_one("#conditions", TextArea).text.strip() or None
        if (
            decision == "approved"
            and self.outstanding
            and not self.query_one("#approve-incomplete", Checkbox).value
        ):
            self.say(
                "#approve-error",
                "The matter is not complete: tick the box to approve it anyway, or refuse it.",
            )
            return
        reason = (
            self.query_one("#incomplete-reason", TextArea).text.strip() or None
            if self.outstanding and decision == "approved"
            else None
        )
        form = ApprovalForm(
            Role(str(self.query_one("#role", Select).value)),
            "refused" if decision == "refused" else "approved",
            text,
            reason,
        )
        if self.submit is not None:
            try:
                self.submit(form)
            except DueDiligenceError as error:
                self.say("#approve-error", f"Refused: {error}")
                return
        self.dismiss(form)


def summary_of(view: CaseView) -> str:
    """A few lines saying what an approval would cover: the matter, client, rating, gates and
    the request, if one is waiting."""
    records = view.records
    evaluation = view.evaluation
    rating = (
        view.rating.value.capitalize()
        if view.rating
        else f"not chosen (computed {evaluation.computed_rating.value.capitalize()})"
    )
    gates = ", ".join(f"{g.gate.value} {'open' if g.open else 'blocked'}" for g in evaluation.gates)
    lines = [
        f"{records.case.reference} · client {', '.join(c.name for c in view.clients) or '(none recorded)'} · "
        f"rating {rating}",
        f"Gates: {gates}",
    ]
    request = view.open_request
    if request is not None:
        asked = f"Requested by {request.requested_by} on {moment(request.requested_at)}"
        lines.append(f"{asked}: {request.note}" if request.note else asked)
    if view.superseded:
        lines.append(f"{len(view.superseded)} earlier approval(s) superseded by later changes")
    return "\n".join(lines)
