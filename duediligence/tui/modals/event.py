"""Record a matter event: a `ModalScreen[EventForm]` (the caller records it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from duediligence.domain.errors import DueDiligenceError
from duediligence.domain.vocabulary import MatterEvent
from duediligence.tui.modals.base import Dialog

EVENT_LABELS = {
    MatterEvent.INSTRUCTED: "Instructed",
    MatterEvent.RELATIONSHIP_ESTABLISHED: "Relationship established / offer accepted",
    MatterEvent.FUNDS_RECEIVED: "Funds received",
    MatterEvent.EXCHANGE: "Exchange",
    MatterEvent.COMPLETION: "Completion",
    MatterEvent.RELATIONSHIP_ENDED: "Relationship ended",
}


@dataclass(frozen=True)
class EventForm:
    """An event and when it happened (None: now)."""

    event: MatterEvent
    at: datetime | None


class RecordEvent(Dialog[EventForm | None]):
    """The record-event dialog."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Record a matter event", classes="title")
            yield Select(
                [(label, e.value) for e, label in EVENT_LABELS.items()],
                value=MatterEvent.INSTRUCTED.value,
                allow_blank=False,
                id="event",
            )
            yield Label("When (YYYY-MM-DD HH:MM, empty for now)")
            yield Input(id="at")
            yield Static("", id="event-error", markup=False, classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Record", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss(None)
        else:
            self._ok()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self._ok()

    def _ok(self) -> None:
        text = self.query_one("#at", Input).value.strip()
        try:
            at = datetime.fromisoformat(text) if text else None
        except ValueError:
            self.query_one("#event-error", Static).update(
                f"'{text}' is not a date and time (use 2026-01-31 14:30)"
            )
            return
        if at is not None and at.tzinfo is None:
            at = at.astimezone()
        try:
            event = MatterEvent(str(self.query_one("#event", Select).value))
        except ValueError as error:
            raise DueDiligenceError(str(error)) from None
        self.dismiss(EventForm(event, at))
