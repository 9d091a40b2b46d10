"""Find a question of the matter by its words, its id or its checklist, and go to it (issue 18:
reaching a given question took up to 44 presses of F2). The dialog only collects: it returns
the question's position and the matter screen shows it."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from duediligence.tui.modals.base import Dialog

Position = tuple[str, str]

SHOWN = 50
"""Matches listed at once (the words typed narrow them)."""


class FindQuestion(Dialog[Position | None]):
    """Type words of a question (or its id, or its checklist); Enter goes to the first match,
    or Down to choose another."""

    def __init__(self, questions: Sequence[tuple[Position, str]]) -> None:
        super().__init__()
        self.questions = list(questions)
        """Every question of the matter on show: its position and "checklist · id: text"."""
        self._found: list[Position] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static("Find a question", classes="title")
            yield Input(placeholder="Words of the question, its id or its checklist", id="find")
            yield OptionList(id="found", markup=False)
            yield Static("", id="find-count", classes="muted", markup=False)

    def on_mount(self) -> None:
        self.query_one("#find", Input).focus()
        self._show("")

    @on(Input.Changed, "#find")
    def _typed(self, event: Input.Changed) -> None:
        self._show(event.value)

    def _show(self, text: str) -> None:
        words = text.casefold().split()
        matches = [
            (position, label)
            for position, label in self.questions
            if all(word in label.casefold() for word in words)
        ]
        self._found = [position for position, _ in matches]
        found = self.query_one("#found", OptionList)
        found.clear_options()
        found.add_options(Option(label) for _, label in matches[:SHOWN])
        if matches:
            found.highlighted = 0
        more = f" (the first {SHOWN} shown)" if len(matches) > SHOWN else ""
        self.query_one("#find-count", Static).update(
            f"{len(matches)} question{'' if len(matches) == 1 else 's'}{more}"
            if matches
            else "No question has these words."
        )

    def key_down(self) -> None:
        # From the words typed straight into the list of matches.
        found = self.query_one("#found", OptionList)
        if self.query_one("#find", Input).has_focus and found.option_count:
            found.focus()

    def submit_form(self) -> None:
        # Enter in the field: the first match (or the one highlighted in the list).
        found = self.query_one("#found", OptionList)
        index = found.highlighted
        if self._found and index is not None:
            self.dismiss(self._found[index])

    @on(OptionList.OptionSelected, "#found")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._found[event.option_index])
