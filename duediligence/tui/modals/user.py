"""Choose who is acting: a `ModalScreen[str]` returning a person id (None on escape)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from duediligence.domain.case import Person
from duediligence.tui.modals.base import Dialog


class ChooseUser(Dialog[str | None]):
    """The register of people, to act as one of them."""

    def __init__(self, people: list[Person], current: str | None) -> None:
        super().__init__()
        self.people = people
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Who are you?", classes="title")
            yield OptionList(
                *(
                    Option(f"{p.name} ({p.id}): {', '.join(r.label for r in p.roles)}", id=p.id)
                    for p in self.people
                ),
                id="people",
                markup=False,
            )

    def on_mount(self) -> None:
        options = self.query_one("#people", OptionList)
        ids = [p.id for p in self.people]
        if self.current in ids:
            options.highlighted = ids.index(self.current)
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
