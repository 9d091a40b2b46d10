"""The matters list: every matter with its rating, flags, gates, review date and missing count.

Rows come from the stored listing rows alone (one read, no evaluation: the case file keeps each
row equal to a fresh evaluation on every write), so the list is whole at once even with
thousands of matters.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Header, Input, Static

from duediligence.domain.vocabulary import FirmKind
from duediligence.tui.commands import bindings_for
from duediligence.tui.messages import Failed, SummariesReady
from duediligence.tui.screens.base import BaseScreen
from duediligence.tui.summaries import (
    COLUMNS,
    MISSING_COLUMN,
    RATING_COLUMN,
    MatterRow,
    fresh_row,
    rows_from_summaries,
)
from duediligence.tui.widgets.plain import Table

WIDTHS = (12, 22, 8, 3, 3, 7, 6, 7, 11, 10, 9)
"""Column widths of the matters list (cells longer than this are cut, the filter still sees them)."""


class MattersScreen(BaseScreen):
    """The fee earner's home: the matters list."""

    COMMAND_SCOPES = ("matters",)
    BINDINGS: ClassVar[list[BindingType]] = bindings_for("matters")

    def __init__(self) -> None:
        super().__init__()
        self.sort_column = 0
        self.sort_reverse = False
        self._filter_timer: Timer | None = None
        self._shown: list[str] = []
        self._returning: str | None = None
        self._filtered_by = ""
        self._relist = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="matters-bar"):
            yield Input(
                placeholder="Filter: reference, client, rating, responsible… (/)", id="filter"
            )
            yield Static("", id="matters-count")
        table = Table(id="matters", cursor_type="row", zebra_stripes=True)
        yield table
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#matters", DataTable)
        # Fixed widths: auto widths would measure every cell of thousands of rows on each update.
        for index, (title, width) in enumerate(zip(COLUMNS, WIDTHS, strict=True)):
            table.add_column(title, key=str(index), width=width)
        self.reload()
        table.focus()

    # ------------------------------------------------------------------------------------------

    def reload(self, focus_reference: str | None = None) -> None:
        """Read the matters again: the stored listing rows, one read, nothing to work out."""
        rows = rows_from_summaries(self.dd.casefile.summaries(), self.dd.today)
        self.dd.rows = {row.reference: row for row in rows}
        self.dd.rows_complete = True
        self.show_rows(focus_reference)

    def on_summaries_ready(self, message: SummariesReady) -> None:
        """Rows read again after a change elsewhere (the approvals queue, the portfolio)."""
        table = self.query_one("#matters", DataTable)
        shown = set(self._shown)
        for row in message.rows:
            self.dd.rows[row.reference] = row
            if row.reference in shown:
                for index, cell in enumerate(row.cells()):
                    table.update_cell(row.reference, str(index), cell)
        if self.sort_column:
            self.show_rows()

    def on_failed(self, message: Failed) -> None:
        self.dd.show_error(message.text)

    def show_rows(self, focus_reference: str | None = None) -> None:
        table = self.query_one("#matters", DataTable)
        current = focus_reference or self.highlighted()
        self._filtered_by = self.query_one("#filter", Input).value
        words = self._filtered_by.lower().split()
        rows = [
            r
            for r in self.dd.rows.values()
            if all(any(w in c.lower() for c in r.cells()) for w in words)
        ]
        if self.sort_column or self.sort_reverse:  # the listing comes sorted by reference
            rows.sort(key=lambda r: _sort_key(r, self.sort_column), reverse=self.sort_reverse)
        table.clear()
        for row in rows:
            # Table: a cell is never read as markup (a client may be called "[b]").
            table.add_row(*row.cells(), key=row.reference)
        self._shown = [r.reference for r in rows]
        if current and current in self._shown:
            table.move_cursor(row=self._shown.index(current))
        self._count()

    def _count(self) -> None:
        total = len(self.dd.rows)
        shown = len(self._shown)
        state = "" if self.dd.rows_complete else " · working out ratings…"
        noun = "matter" if total == 1 else "matters"
        text = f"{shown} of {total} {noun}{state}" if shown != total else f"{total} {noun}{state}"
        self.query_one("#matters-count", Static).update(text)

    def highlighted(self) -> str | None:
        table = self.query_one("#matters", DataTable)
        if not self._shown or table.cursor_row < 0 or table.cursor_row >= len(self._shown):
            return None
        return self._shown[table.cursor_row]

    # ------------------------------------------------------------------------------------------

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        if event.value == self._filtered_by:
            return
        # Debounced: filtering thousands of rows on every keystroke would lag the typing.
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(0.15, self.show_rows)

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.show_rows()
        self.query_one("#matters", DataTable).focus()

    @on(DataTable.RowSelected, "#matters")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.open_reference(str(event.row_key.value))

    @on(DataTable.HeaderSelected, "#matters")
    def _header_selected(self, event: DataTable.HeaderSelected) -> None:
        column = int(str(event.column_key.value))
        self.sort_reverse = not self.sort_reverse if column == self.sort_column else False
        self.sort_column = column
        self.show_rows()

    def open_reference(self, reference: str) -> None:
        from duediligence.tui.screens.matter import MatterScreen

        if self.dd.me is None:
            self.dd.show_error("Choose who you are first (F10).")
            return
        self._returning = reference
        self.app.push_screen(MatterScreen(reference))

    # ------------------------------------------------------------------------------------------
    # Commands

    def action_open_matter(self) -> None:
        reference = self.highlighted()
        if reference:
            self.open_reference(reference)

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_sort(self) -> None:
        self.sort_column = (self.sort_column + 1) % len(COLUMNS)
        self.sort_reverse = False
        self.notify(f"Sorted by {COLUMNS[self.sort_column]}", timeout=2)
        self.show_rows()

    def action_refresh(self) -> None:
        self.reload()

    def action_back(self) -> None:
        table = self.query_one("#matters", DataTable)
        if not table.has_focus:
            table.focus()

    def action_new_matter(self) -> None:
        from duediligence.tui.modals.new_matter import NewMatter, NewMatterForm, open_matter

        if self.dd.me is None:
            self.dd.show_error("Choose who you are first (F10).")
            return

        def submit(form: NewMatterForm) -> None:
            # Run from the dialog: what the services refuse is shown there, nothing typed lost.
            open_matter(self.dd.casefile, self.dd.actor, form)

        def opened(form: NewMatterForm | None) -> None:
            if form is not None:
                self.create(form)

        people = [p for p in self.dd.casefile.people()]
        firm = self.dd.casefile.firm()
        kind = firm.firm_kind if firm is not None else FirmKind.BOTH
        self.app.push_screen(NewMatter(people, self.dd.me.id, submit, kind), opened)

    def create(self, form: object) -> None:
        """Show a matter the new-matter dialog has opened (client and parties with it)."""
        from duediligence.tui.modals.new_matter import NewMatterForm

        assert isinstance(form, NewMatterForm)
        self.notify(f"Matter {form.reference} opened", timeout=3)
        self.refresh_row(form.reference)
        self.open_reference(form.reference)

    def action_approvals_queue(self) -> None:
        from duediligence.tui.screens.desk import ApprovalsQueue

        self.app.push_screen(ApprovalsQueue())

    def action_portfolio(self) -> None:
        from duediligence.tui.screens.desk import Portfolio

        self.app.push_screen(Portfolio())

    def action_mlro_area(self) -> None:
        from duediligence.tui.screens.desk import MlroArea

        self.app.push_screen(MlroArea())

    def action_integrity(self) -> None:
        from duediligence.tui.screens.integrity import IntegrityScreen

        self.app.push_screen(IntegrityScreen())

    def refresh_row(self, reference: str) -> None:
        """Work out one matter's row again (after it was opened or changed) and show it."""
        row = fresh_row(self.dd.casefile, reference, self.dd.today)
        if row is None:
            return
        self.dd.rows[reference] = row
        self.show_rows(reference)

    def action_screening_lists(self) -> None:
        from duediligence.tui.screens.lists import ListsScreen

        self._relist = True
        self.app.push_screen(ListsScreen())

    def on_screen_resume(self) -> None:
        # Back from the lists: a re-screen may have changed any open matter.
        if self._relist and self.app.screen is self:
            self._relist = False
            self.reload()
            return
        # Back from a matter: its row may have changed (its stored row, read again).
        if self._returning is not None and self.app.screen is self:
            self.refresh_row(self._returning)


def _sort_key(row: MatterRow, column: int) -> tuple[int, str]:
    cell = row.cells()[column]
    if column == MISSING_COLUMN:
        return (0, f"{row.missing or 0:08d}")
    if column == RATING_COLUMN:
        order = {"High": "0", "Medium": "1", "Low": "2"}
        return (0, order.get(cell, "3") + cell)
    return (0 if cell else 1, cell.lower())
