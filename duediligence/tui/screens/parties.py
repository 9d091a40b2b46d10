"""The parties of a matter and how each was screened; add a party (it is screened at once).

CDD keeps finding people: a beneficial owner behind a company, a donor of a gift, someone
acting for the client. Each is added here and screened against the lists in use as it is
added (the case file does that), so "every party screened" stays true.
"""

from __future__ import annotations

import asyncio
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import DataTable, Footer, Header, Static

from duediligence.domain.case import Party, PartyKind
from duediligence.domain.errors import DueDiligenceError
from duediligence.domain.screening_records import Screening
from duediligence.services.casefile import NewParty
from duediligence.tui.commands import bindings_for
from duediligence.tui.modals.party import AddParty
from duediligence.tui.screens.base import BaseScreen
from duediligence.tui.summaries import moment
from duediligence.tui.widgets.plain import Table

COLUMNS = (
    "Party",
    "Role",
    "Kind",
    "Name",
    "Born",
    "Nationality",
    "Last screened",
    "Hits",
    "Added",
)


def screening_text(screenings: list[Screening]) -> tuple[str, str]:
    """When the party was last screened and how many hits that screening had."""
    if not screenings:
        return "not screened", ""
    last = max(screenings, key=lambda s: s.screened_at)
    return moment(last.screened_at), str(len(last.hits)) if last.hits else "none"


class PartiesScreen(BaseScreen):
    """One matter's parties, with their screening."""

    COMMAND_SCOPES = ("parties",)
    BINDINGS: ClassVar[list[BindingType]] = [*bindings_for("parties"), *bindings_for("back")]

    def __init__(self, reference: str) -> None:
        super().__init__()
        self.reference = reference

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"Parties to {self.reference}", classes="title", markup=False)
        yield Static("", id="parties-status", classes="muted", markup=False)
        yield Table(id="parties", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#parties", DataTable)
        table.add_columns(*COLUMNS)
        self.reload()
        table.focus()

    def reload(self) -> None:
        table = self.query_one("#parties", DataTable)
        table.clear()
        try:
            view = self.dd.casefile.view(self.reference)
        except DueDiligenceError as error:
            self.dd.show_error(str(error))
            return
        records = view.records
        by_party: dict[str, list[Screening]] = {}
        for screening in records.screenings:
            by_party.setdefault(screening.party_id, []).append(screening)
        for party in records.parties:
            role = view.party_role_word(party)
            cells = _cells(party, role[:1].upper() + role[1:], by_party.get(party.id, []))
            table.add_row(*cells, key=party.id)
        if not records.parties:
            table.add_row("No parties yet: press a to add one.", *[""] * (len(COLUMNS) - 1))
        self.query_one("#parties-status", Static).update(
            f"{len(records.parties)} part{'y' if len(records.parties) == 1 else 'ies'}. Each is "
            "screened against the lists in use when added (hits: Ctrl+S on the matter)."
        )

    def action_add_party(self, last: NewParty | None = None, error: str = "") -> None:
        def done(new: NewParty | None) -> None:
            if new is not None:
                self.run_worker(self._add(new), group="add-party", exit_on_error=False)

        client_word = self.dd.casefile.view(self.reference).client_word()
        self.app.push_screen(AddParty(last, error, client_word), done)

    async def _add(self, new: NewParty) -> None:
        status = self.query_one("#parties-status", Static)
        status.update(f"Adding {new.name} and screening them against the lists in use…")
        dd = self.dd
        try:
            # Screening may build the list index first (seconds): off the event loop.
            party = await asyncio.to_thread(dd.casefile.add_party, dd.actor, self.reference, new)
        except DueDiligenceError as error:
            self.reload()
            # Nothing typed is lost: the dialog comes back with the answers and the reason.
            self.action_add_party(new, str(error))
            return
        self.reload()
        dd.notify(f"{party.label} {party.name} added and screened.", timeout=5)


def _cells(party: Party, role: str, screenings: list[Screening]) -> tuple[str, ...]:
    """The party's row; `role` in the matter's words (an agency's buyer is its customer)."""
    screened, hits = screening_text(screenings)
    return (
        party.label,
        role,
        "Entity" if party.kind is PartyKind.ENTITY else "Individual",
        party.name,
        party.date_of_birth.isoformat() if party.date_of_birth else "",
        ", ".join(party.nationalities),
        screened,
        hits,
        moment(party.added_at),
    )
