"""Ask the MLRO for the reason an answer needs (an out-of-scope matter): the dialog checks the
reason with the case file's own rule (`stated_reason`) so a reason too short is refused here,
with the text kept, not after the dialog has closed."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, Static, TextArea

from duediligence.domain.controls import stated_reason
from duediligence.domain.errors import DueDiligenceError
from duediligence.tui.modals.base import Dialog


class GiveReason(Dialog[str | None]):
    """The reason for an answer only the MLRO may give; dismissed with the reason."""

    def __init__(self, title: str, explanation: str, what: str) -> None:
        super().__init__()
        self.title_text = title
        self.explanation = explanation
        self.what = what
        """What the reason is for, as the refusal names it ("an out-of-scope answer")."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(self.title_text, classes="title", markup=False)
            yield Static(self.explanation, classes="muted", markup=False)
            yield Label("Your reason, as the MLRO (recorded with the answer)")
            yield TextArea(id="reason")
            yield Static("", id="reason-error", markup=False, classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Record the answer", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        # Textual also runs Dialog's on_mount (handlers run along the class's MRO).
        self.query_one("#reason", TextArea).focus()

    def submit_form(self) -> None:
        try:
            reason = stated_reason(self.what, self.query_one("#reason", TextArea).text)
        except DueDiligenceError as error:
            message = str(error)
            self.say("#reason-error", message[:1].upper() + message[1:])
            return
        self.dismiss(reason)
