"""Close a referral to the MLRO: which one, the outcome, whether it concerns suspicion, and what
was weighed. The caller records it; a refusal is shown here with what was typed kept."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Label, Select, Static, TextArea

from duediligence.domain.errors import DueDiligenceError
from duediligence.domain.evaluation import Flag, ReferralOutcome
from duediligence.tui.modals.base import Dialog


@dataclass(frozen=True)
class ReferralForm:
    """The referral closed and how."""

    key: str
    outcome: ReferralOutcome
    suspicion: bool
    reasoning: str


class CloseReferral(Dialog[ReferralForm | None]):
    """The close-referral dialog (MLRO only)."""

    def __init__(
        self, referrals: Sequence[Flag], submit: Callable[[ReferralForm], None] | None = None
    ) -> None:
        super().__init__()
        self.referrals = [r for r in referrals if r.key is not None]
        self.submit = submit
        """Records the closure; what it refuses is shown here and the dialog stays open."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static("Close a referral (MLRO only)", classes="title")
            yield Select(
                [
                    (f"{r.reason} ({'open' if r.closed is None else r.closed})", str(r.key))
                    for r in self.referrals
                ],
                prompt="Choose the referral",
                allow_blank=True,
                id="referral",
            )
            yield Select(
                [("Proceed: the matter may go on", "proceed"), ("Decline to act", "decline")],
                prompt="Choose the outcome",
                allow_blank=True,
                id="outcome",
            )
            yield Checkbox("It concerns suspicion (kept as an internal report)", id="suspicion")
            yield Label("What you weighed (restricted: never in the matter file)")
            yield TextArea(id="reasoning")
            yield Static("", id="referral-error", markup=False, classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Close referral", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    def submit_form(self) -> None:
        key = self.query_one("#referral", Select).value
        outcome = self.query_one("#outcome", Select).value
        if key is Select.NULL or key is Select.BLANK:
            self.say("#referral-error", "Choose the referral.")
            return
        if outcome is Select.NULL or outcome is Select.BLANK:
            self.say("#referral-error", "Choose the outcome: proceed or decline.")
            return
        form = ReferralForm(
            str(key),
            "proceed" if outcome == "proceed" else "decline",
            self.query_one("#suspicion", Checkbox).value,
            self.query_one("#reasoning", TextArea).text,
        )
        if self.submit is not None:
            try:
                self.submit(form)
            except DueDiligenceError as error:
                self.say("#referral-error", f"Refused: {error}")
                return
        self.dismiss(form)
