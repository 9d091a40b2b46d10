"""Record a matter event: a `ModalScreen[EventForm]` (the caller records it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from duediligence.domain.answers import read_moment
from duediligence.domain.errors import DueDiligenceError
from duediligence.domain.vocabulary import MatterEvent, events_for
from duediligence.tui.modals.base import Dialog


@dataclass(frozen=True)
class EventForm:
    """An event and when it happened (None: now)."""

    event: MatterEvent
    at: datetime | None
    exception: str | None = None
    """The MLRO's reason for recording it although its gate is closed."""


def local_zone() -> str:
    """The machine's local time zone as people read it (GMT, BST, CET ...)."""
    return datetime.now().astimezone().tzname() or "local time"


class RecordEvent(Dialog[EventForm | None]):
    """The record-event dialog. A time typed without a zone is the machine's local time."""

    def __init__(
        self,
        submit: Callable[[EventForm], None] | None = None,
        events: tuple[MatterEvent, ...] = events_for("solicitor", None),
    ) -> None:
        super().__init__()
        self.submit = submit
        """Records the event; what it refuses is shown here and the dialog stays open."""
        self.events = events
        """The matter's own events (an agency's seller: instructed, marketing started ...)."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Record a matter event", classes="title")
            yield Select(
                [(e.label, e.value) for e in self.events],
                value=self.events[0].value,
                allow_blank=False,
                id="event",
            )
            yield Label(f"When (YYYY-MM-DD HH:MM, {local_zone()} time; empty for now)")
            yield Input(id="at")
            yield Label("Exception (the MLRO only, when its gate is closed): why")
            yield Input(id="exception")
            yield Static("", id="event-error", markup=False, classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Record", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    def submit_form(self) -> None:
        text = self.query_one("#at", Input).value.strip()
        try:
            at = read_moment("when", text) if text else None
        except DueDiligenceError as error:
            self.say("#event-error", str(error))
            return
        if at is not None and at.tzinfo is None:
            at = at.astimezone()
        event = MatterEvent(str(self.query_one("#event", Select).value))
        exception = self.query_one("#exception", Input).value.strip() or None
        form = EventForm(event, at, exception)
        if self.submit is not None:
            try:
                self.submit(form)
            except DueDiligenceError as error:
                message = str(error)
                self.say("#event-error", message[0].upper() + message[1:])
                return
        self.dismiss(form)
