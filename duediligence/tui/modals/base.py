"""The one base of every dialog: Escape cancels, and the form fits the terminal.

At 80x24 a dialog of bordered fields (three rows each) would need scrolling; below
`SMALL_HEIGHT` rows the fields use Textual's compact style (one row, no border) and the dialog
drops its padding, so the whole form and its buttons are on screen at once.
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual.binding import BindingType
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Select, Static

from duediligence.tui.commands import bindings_for

ResultType = TypeVar("ResultType")

SMALL_HEIGHT = 32
"""Terminals shorter than this get the compact dialogs."""


class Dialog(ModalScreen[ResultType]):
    """A modal form that dismisses with None on Escape and fits small terminals."""

    BINDINGS: ClassVar[list[BindingType]] = bindings_for("modal")

    def on_mount(self) -> None:
        self.fit()

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
