"""The compliance lead's desk: the approvals queue, the portfolio, and the MLRO-only area.

All three read the matter rows the matters list works out (`app.rows`); they are offered only to
the roles that use them (the bindings and palette entries are hidden from everyone else).
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import DataTable, Footer, Header, Static

from duediligence.domain.errors import DueDiligenceError
from duediligence.domain.sale import SaleSide
from duediligence.domain.vocabulary import Role
from duediligence.tui.commands import bindings_for
from duediligence.tui.screens.base import BaseScreen
from duediligence.tui.summaries import (
    PORTFOLIO_FILTERS,
    MatterRow,
    counts,
    fresh_row,
    matches,
    moment,
    needs_me,
    requested_text,
)
from duediligence.tui.widgets.plain import Table


class DeskScreen(BaseScreen):
    """A list of matters that opens one with Enter."""

    COMMAND_SCOPES: ClassVar[tuple[str, ...]] = ("desk",)
    BINDINGS: ClassVar[list[BindingType]] = [*bindings_for("desk"), *bindings_for("back")]
    TITLE_TEXT = ""
    ROLES: frozenset[Role] = frozenset({Role.SUPERVISOR, Role.SENIOR_MANAGER, Role.MLRO})
    _returning: str | None = None
    """The matter opened from here, read again on coming back."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.TITLE_TEXT, classes="title", id="desk-title", markup=False)
        yield Static("", id="desk-counts")
        # Table: cells are never read as markup (a client may be called "Smith [/b] Ltd").
        yield Table(id="desk", cursor_type="row", zebra_stripes=True)
        yield Footer()

    COLUMNS: ClassVar[tuple[str, ...]] = ()

    def on_mount(self) -> None:
        self.query_one("#desk", DataTable).add_columns(*self.COLUMNS)
        self.fill()
        self.query_one("#desk", DataTable).focus()
        if not self.dd.rows_complete:
            self.set_timer(0.5, self._wait_for_rows)

    def _wait_for_rows(self) -> None:
        # The matters list is still working ratings out: show what is known, then refresh.
        self.fill()
        if not self.dd.rows_complete:
            self.set_timer(0.5, self._wait_for_rows)

    def allowed_here(self) -> bool:
        return bool(self.ROLES.intersection(self.dd.roles))

    def fill(self) -> None:
        raise NotImplementedError

    def user_changed(self) -> None:
        super().user_changed()
        if not self.allowed_here():
            self.app.pop_screen()
        else:
            self.fill()

    @on(DataTable.RowSelected, "#desk")
    def _open(self, event: DataTable.RowSelected) -> None:
        self.open(str(event.row_key.value))

    def action_open_matter(self) -> None:
        table = self.query_one("#desk", DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
            self.open(str(key.value))

    def open(self, reference: str) -> None:
        from duediligence.tui.screens.matter import MatterScreen

        if reference in self.dd.rows:
            self._returning = reference
            self.app.push_screen(MatterScreen(reference))

    def refresh_row(self, reference: str) -> None:
        """Work the matter's row out again (after a decision here or in the matter), in the
        app's rows and in the matters list underneath, then list this screen again."""
        from duediligence.tui.messages import SummariesReady
        from duediligence.tui.screens.matters import MattersScreen

        row = fresh_row(self.dd.casefile, reference, self.dd.today)
        if row is not None:
            self.dd.rows[reference] = row
            for screen in self.app.screen_stack:
                if isinstance(screen, MattersScreen):
                    # The list's own path for worked-out rows: it updates the row's cells.
                    screen.post_message(SummariesReady([row], done=False))
        self.fill()

    def on_screen_resume(self) -> None:
        if not self.is_mounted:
            return
        if self._returning is not None:
            # Back from the matter: it may have been approved or changed there.
            reference, self._returning = self._returning, None
            self.refresh_row(reference)
            return
        self.fill()


class ApprovalsQueue(DeskScreen):
    """Matters awaiting an approval the acting person can give, with why; the ones someone has
    asked for come first (longest waiting first). `d` decides on the highlighted matter."""

    COMMAND_SCOPES = ("desk", "approvals")
    BINDINGS: ClassVar[list[BindingType]] = [
        *bindings_for("desk"),
        *bindings_for("approvals"),
        *bindings_for("back"),
    ]
    TITLE_TEXT = "Approvals queue"
    COLUMNS = ("Reference", "Client", "Rating", "Your role", "Requested", "Why")

    def fill(self) -> None:
        table = self.query_one("#desk", DataTable)
        table.clear()
        me = self.dd.me
        if me is None:
            return
        waiting: list[tuple[MatterRow, list[tuple[Role, str]]]] = []
        for row in self.dd.rows.values():
            if row.status != "open":
                continue
            mine = needs_me(row, me)
            if not mine or row.responsible == me.id:
                continue
            waiting.append((row, mine))
        # Stable: unrequested matters keep the listing's order (by reference).
        waiting.sort(key=lambda item: (item[0].requested_at is None, item[0].requested_at or 0))
        for row, mine in waiting:
            roles = ", ".join(sorted({r.label for r, _ in mine}))
            why = "; ".join(dict.fromkeys(w for _, w in mine))
            cells = (row.reference, row.client, row.rating, roles, requested_text(row), why)
            table.add_row(*cells, key=row.reference)
        asked = sum(1 for row, _ in waiting if row.requested_by)
        more = "" if self.dd.rows_complete else " (still reading the matters…)"
        self.query_one("#desk-counts", Static).update(
            f"{len(waiting)} matter(s) waiting for you, {asked} requested{more}. "
            "d decides on the highlighted one; Enter opens it."
        )

    def highlighted(self) -> str | None:
        table = self.query_one("#desk", DataTable)
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def action_decide(self) -> None:
        from duediligence.tui.flows.approvals import decide

        reference = self.highlighted()
        if reference is None:
            return
        try:
            # Read now: the approval binds the state the approver is shown, not the row's.
            view = self.dd.casefile.view(reference)
        except DueDiligenceError as error:
            self.dd.show_error(str(error))
            return

        def after(refusal: str | None) -> None:
            self.refresh_row(reference)

        decide(self, reference, view, after, summary=True)


class Portfolio(DeskScreen):
    """The firm's files with filters and counts at the top."""

    COMMAND_SCOPES = ("desk", "portfolio")
    BINDINGS: ClassVar[list[BindingType]] = [
        *bindings_for("desk"),
        *bindings_for("portfolio"),
        *bindings_for("back"),
    ]
    TITLE_TEXT = "Portfolio"
    COLUMNS = (
        "Reference",
        "Client",
        "Rating",
        "PEP",
        "Sanctions",
        "Gates open",
        "Next review",
        "Missing",
        "Pending approvals",
    )

    def __init__(self) -> None:
        super().__init__()
        self.filter_name = "all"

    def fill(self) -> None:
        rows = list(self.dd.rows.values())
        found = counts(rows)
        parts = []
        for name, label in PORTFOLIO_FILTERS.items():
            text = f"{label}: {found[name]}"
            parts.append(f"[reverse]{text}[/reverse]" if name == self.filter_name else text)
        self.query_one("#desk-counts", Static).update("  ·  ".join(parts))
        table = self.query_one("#desk", DataTable)
        table.clear()
        for row in rows:
            if matches(row, self.filter_name):
                table.add_row(*_portfolio_cells(row), key=row.reference)

    def action_cycle_filter(self) -> None:
        names = list(PORTFOLIO_FILTERS)
        self.filter_name = names[(names.index(self.filter_name) + 1) % len(names)]
        self.fill()

    def action_sales_desk(self) -> None:
        self.app.push_screen(SalesDesk())


class SalesDesk(DeskScreen):
    """An estate agency's sales, one row per side: the seller's and the buyers' matters of each
    property with their CDD dates against marketing and the accepted offer (HMRC reads a sale
    as one). Enter opens the side's matter."""

    TITLE_TEXT = "Sales"
    COLUMNS = (
        "Property",
        "Side",
        "Matter",
        "Relationship began",
        "CDD completed",
        "Timing",
        "CDD gate",
        "Status",
    )

    def fill(self) -> None:
        sales = self.dd.casefile.sales()
        late = sum(1 for v in sales for s in v.sides if s.cdd_on_time is False)
        self.query_one("#desk-counts", Static).update(
            f"{len(sales)} sale{'' if len(sales) == 1 else 's'} · {late} side(s) verified late"
        )
        table = self.query_one("#desk", DataTable)
        table.clear()
        for view in sales:
            for number, side in enumerate(view.sides):
                table.add_row(
                    *_sale_cells(view.sale.property if number == 0 else "", side),
                    key=side.reference,
                )


def _sale_cells(address: str, side: SaleSide) -> tuple[str, ...]:
    began = (
        f"{side.relationship_began:%Y-%m-%d %H:%M} ({side.relationship_basis.split(' (')[0]})"
        if side.relationship_began
        else "not recorded"
    )
    return (
        address,
        side.label,
        side.reference,
        began,
        side.cdd_completed_on.isoformat() if side.cdd_completed_on else "",
        side.timing,
        "open" if side.gate_open else "closed",
        side.status,
    )


def _portfolio_cells(row: MatterRow) -> tuple[str, ...]:
    return (
        row.reference,
        row.client,
        row.rating,
        "PEP" if row.pep else "",
        "HIT" if row.sanctions else "",
        row.gates_open,
        row.next_review.isoformat() if row.next_review else "",
        "" if row.missing is None else str(row.missing),
        ", ".join(sorted({r.label for r, _ in row.approvals_pending})),
    )


class _Locked(Exception):
    """The MLRO's passphrase is needed and not typed yet in this session."""


class MlroDesk(DeskScreen):
    """A desk of the MLRO's restricted area: its records and which matter they concern are
    sealed under the MLRO's passphrase, asked once a session."""

    ROLES = frozenset({Role.MLRO})

    def passphrase(self) -> str:
        """The passphrase typed this session; `_Locked` (after asking for it) when none is."""
        if self.dd.mlro_passphrase is None:
            raise _Locked
        return self.dd.mlro_passphrase

    asking = False
    """A passphrase dialog is open: the refresh timer's fill must not open a second one."""

    def ask_passphrase(self) -> None:
        from duediligence.tui.modals.restricted import MlroPassphrase

        if self.asking:
            return
        self.asking = True

        def leave() -> None:
            if self.app.screen is self:
                self.app.pop_screen()

        def done(passphrase: str | None) -> None:
            if passphrase is None:
                # Not unlocked: the sealed area has nothing it can show, so leave it (still
                # "asking", so the refresh timer does not ask again on the way out).
                self.call_later(leave)
                return
            self.asking = False
            self.dd.mlro_passphrase = passphrase
            self.fill()

        self.app.push_screen(MlroPassphrase(), done)


class MlroArea(MlroDesk):
    """MLRO-only: referrals to the MLRO and the restricted records of each matter."""

    TITLE_TEXT = "MLRO area (restricted: visible to the MLRO only)"
    COLUMNS = ("Reference", "Client", "Rating", "Restricted records", "Referral")

    def fill(self) -> None:
        table = self.query_one("#desk", DataTable)
        table.clear()
        try:
            # One query for every matter's count (a read per matter took seconds at 10,000);
            # the passphrase only when there is a sealed record to count.
            counts = self.dd.casefile.restricted_counts(self.dd.actor, self.passphrase)
        except _Locked:
            self.ask_passphrase()
            return
        except DueDiligenceError as error:
            self.dd.mlro_passphrase = None
            self.dd.show_error(str(error))
            return
        referred = 0
        for row in self.dd.rows.values():
            held = counts.get(row.reference, 0)
            if not row.referrals and not held:
                continue
            referred += 1 if row.referrals else 0
            reason = row.referrals[0] if row.referrals else ""
            table.add_row(
                row.reference, row.client, row.rating, str(held), reason, key=row.reference
            )
        self.query_one("#desk-counts", Static).update(
            f"{referred} matter(s) referred to the MLRO. Enter opens a matter's restricted records "
            "(internal reports, deliberations, SAR and DAML references); they never appear in the "
            "matter file, its exports or the PDF audit file."
        )

    def open(self, reference: str) -> None:
        self.app.push_screen(RestrictedRecords(reference))


class RestrictedRecords(MlroDesk):
    """One matter's MLRO-restricted records; add one with the add key."""

    COMMAND_SCOPES = ("restricted",)
    BINDINGS: ClassVar[list[BindingType]] = [*bindings_for("restricted"), *bindings_for("back")]
    COLUMNS = ("When", "By", "Kind", "Text")

    def __init__(self, reference: str) -> None:
        super().__init__()
        self.reference = reference
        self.TITLE_TEXT = f"Restricted records of {reference} (MLRO only)"

    def fill(self) -> None:
        table = self.query_one("#desk", DataTable)
        table.clear()
        passphrase = self.dd.mlro_passphrase
        if passphrase is None:
            self.ask_passphrase()
            return
        try:
            records = self.dd.casefile.restricted(self.dd.actor, self.reference, passphrase)
        except DueDiligenceError as error:
            self.dd.mlro_passphrase = None
            self.dd.show_error(str(error))
            return
        for record in records:
            table.add_row(
                moment(record.added_at),
                record.added_by,
                record.kind.value.replace("_", " "),
                (record.text or "")[:200],
            )
        self.query_one("#desk-counts", Static).update(
            f"{len(records)} record(s). Press a to add one, c to close a referral."
        )

    def open(self, reference: str) -> None:
        return

    def action_close_referral(self) -> None:
        from duediligence.tui.modals.referral import CloseReferral, ReferralForm

        try:
            referrals = self.dd.casefile.view(self.reference).evaluation.referrals
        except DueDiligenceError as error:
            self.dd.show_error(str(error))
            return
        if not referrals:
            self.dd.show_error(f"{self.reference} has no referral to the MLRO.")
            return
        passphrase = self.dd.mlro_passphrase
        if passphrase is None:
            # Asked before the form, so what the MLRO writes is never lost to it.
            self.ask_passphrase()
            return

        def record(form: ReferralForm) -> None:
            self.dd.casefile.close_referral(
                self.dd.actor,
                self.reference,
                form.key,
                form.outcome,
                form.reasoning,
                passphrase,
                suspicion=form.suspicion,
            )

        def done(form: ReferralForm | None) -> None:
            if form is not None:
                self.notify(f"Referral closed: {form.outcome}.", timeout=4)
                self.fill()

        self.app.push_screen(CloseReferral(referrals, record), done)

    def action_add_restricted(self) -> None:
        from duediligence.tui.modals.restricted import AddRestricted, RestrictedForm

        def done(form: RestrictedForm | None) -> None:
            if form is None:
                return
            passphrase = self.dd.mlro_passphrase
            if passphrase is None:
                self.ask_passphrase()
                return
            try:
                self.dd.casefile.add_restricted(
                    self.dd.actor, self.reference, form.kind, form.text, passphrase
                )
            except DueDiligenceError as error:
                self.dd.show_error(str(error))
                return
            self.fill()

        self.app.push_screen(AddRestricted(), done)
