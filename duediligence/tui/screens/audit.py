"""The audit trail of one matter: who did what, when, in which role (from the hash chain)."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import DataTable, Footer, Header, Static

from duediligence.domain.case import AuditEvent
from duediligence.tui.commands import bindings_for
from duediligence.tui.screens.base import BaseScreen
from duediligence.tui.summaries import moment
from duediligence.tui.widgets.plain import Table


class AuditScreen(BaseScreen):
    """Every audit event of one matter, oldest first."""

    BINDINGS: ClassVar[list[BindingType]] = bindings_for("back")

    def __init__(self, reference: str) -> None:
        super().__init__()
        self.reference = reference

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"Audit trail of {self.reference}", classes="title", markup=False)
        yield Table(id="audit", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#audit", DataTable)
        table.add_columns("#", "When", "Who", "Role", "Action", "What", "Event hash")
        table.loading = True
        self.read()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def read(self) -> None:
        matter = self.dd.casefile.read_matter(self.reference)
        self.app.call_from_thread(self.show, list(matter.events), dict(matter.view.words))

    def show(self, events: list[AuditEvent], words: dict[str, str]) -> None:
        table = self.query_one("#audit", DataTable)
        # Numbered within the matter, not by the chain's sequence: its gaps would show when
        # the MLRO wrote a restricted record (tipping off).
        for number, e in enumerate(events, 1):
            table.add_row(
                str(number),
                moment(e.at),
                e.actor,
                e.role.replace("_", " "),
                e.action,
                # What the event was about, in words; a purged record keeps only its kind.
                words.get(e.target, e.target.split(":")[0]),
                e.sha256[:12] + "…",
            )
        table.loading = False
        table.focus()
