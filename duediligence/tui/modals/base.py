"""The one base of every dialog: Escape cancels, and the form fits the terminal.

Escape on a form with something typed in it asks first: a rationale of several hundred
characters must not vanish with one stray key.

At 80x24 a dialog of bordered fields (three rows each) would need scrolling; below
`SMALL_HEIGHT` rows the fields use Textual's compact style (one row, no border) and the dialog
drops its padding, so the whole form and its buttons are on screen at once.
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Select, Static, TextArea

from duediligence.tui.commands import bindings_for

ResultType = TypeVar("ResultType")

SMALL_HEIGHT = 32
"""Terminals shorter than this get the compact dialogs."""


class Dialog(ModalScreen[ResultType]):
    """A modal form that dismisses with None on Escape and fits small terminals."""

    BINDINGS: ClassVar[list[BindingType]] = bindings_for("modal")

    def on_mount(self) -> None:
        self.fit()
        self._as_opened = self.typed()

    def typed(self) -> tuple[str, ...]:
        """What is in the dialog's text fields now."""
        return tuple(
            w.value if isinstance(w, Input) else w.text
            for w in self.query("Input, TextArea")
            if isinstance(w, Input | TextArea)
        )

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#ok")
    def _ok_pressed(self) -> None:
        self.submit_form()

    @on(Input.Submitted)
    def _input_submitted(self) -> None:
        # Enter in a field submits the form, as the OK button does.
        self.submit_form()

    def submit_form(self) -> None:
        """Check the form and dismiss with its result, or say what is wrong in the dialog."""
        raise NotImplementedError(f"{type(self).__name__} has no form to submit")

    def action_cancel(self) -> None:
        if self.typed() == getattr(self, "_as_opened", self.typed()):
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(Discard(), answered)

    def on_resize(self) -> None:
        self.fit()

    def fit(self) -> None:
        """Compact or roomy for the terminal's height (call again after mounting fields)."""
        small = self.app.size.height < SMALL_HEIGHT
        self.set_class(small, "-small")
        for widget in self.query("Input, Select, Button, Checkbox"):
            if isinstance(widget, Input | Select | Button | Checkbox):
                widget.compact = small

    def say(self, selector: str, message: str) -> None:
        """Show `message` in the dialog's error line and scroll it into view: in a long form
        the line sits below the fields, where a message would otherwise go unseen."""
        line = self.query_one(selector, Static)
        line.update(message)
        if message:
            line.scroll_visible(animate=False, immediate=True)


class Discard(Dialog[bool]):
    """Asked when a dialog with typed text is cancelled: discard it, or keep editing."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Discard what you typed?", classes="title")
            yield Static("Nothing in this dialog has been saved yet.")
            with Horizontal(classes="buttons"):
                yield Button("Keep editing", id="keep", variant="primary")
                yield Button("Discard", id="discard", variant="error")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "discard")
