"""A matter's screening hits: each party's hits, the engine's explanation, and deciding them.

Only the MLRO may decide a sanctions hit; anyone else is told so (the service refuses it).
"Re-screen now" screens every party of the matter again against the lists in use, in a thread
worker: the first screening after start-up builds the list index, which can take seconds.
Back on the matter, its risk and gates panels are read again (the matter screen reloads).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from pydantic import ValidationError
from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import Worker, WorkerState

from duediligence.domain.errors import DueDiligenceError
from duediligence.domain.screening_records import ListSnapshotRecord, ScreeningStatus
from duediligence.screening.model import Explanation
from duediligence.tui.commands import bindings_for
from duediligence.tui.messages import Failed, MatterRescreened, NoListsToScreen
from duediligence.tui.modals.screening import REASON_LABELS, DecideForm, DecideHit
from duediligence.tui.screens.base import BaseScreen
from duediligence.tui.widgets.plain import Table

if TYPE_CHECKING:
    from duediligence.services.screening import HitView

COLUMNS = ("Party", "List", "List entry", "Score", "Band", "Status")
LIST_NAMES = {
    "uksl-csv": "UK SL",
    "un-xml": "UN",
    "ofac-csv": "OFAC SDN",
    "pep-csv": "PEP list",
    "ftm-json": "FtM",
}
"""Short names of the list sources, for one-line summaries."""
STATUS_LABELS = {
    ScreeningStatus.POSSIBLE_MATCH: "open: to decide",
    ScreeningStatus.TRUE_MATCH: "TRUE MATCH",
    ScreeningStatus.CLEAR: "cleared",
    ScreeningStatus.NOT_SCREENED: "not screened",
}


def status_label(view: HitView) -> str:
    """How a hit stands, in words."""
    label = STATUS_LABELS[view.status]
    if view.status is ScreeningStatus.CLEAR and view.disposition is None:
        return "cleared (below review)"
    if view.hit.suppressed_by and view.disposition is not None:
        return "cleared (false positive kept)"
    return label


def explain(view: HitView) -> str:
    """The detail pane: the hit, the engine's explanation and any decision (Rich markup)."""
    hit = view.hit
    lines = [
        f"[b]{escape(view.party.name)}[/b] · {hit.list_kind.value} list",
        f"List entry: {escape(hit.primary_name)} ({escape(hit.key)})",
        f"Score {hit.score:.2f} · band {hit.band} · {status_label(view)}",
        f"Hit id: {hit.id}",
    ]
    try:
        explanation = Explanation.model_validate_json(hit.explanation)
    except ValidationError:
        explanation = None
    if explanation is not None:
        lines += [
            "",
            "[b]Why[/b]",
            f"Matched variant: {escape(explanation.matched_name)} "
            f"({explanation.matched_name_type})",
            f"Compared as: {escape(explanation.query_variant)}",
            f"Name score {explanation.name_score:.2f} → final {explanation.final_score:.2f}",
            "Token alignment:",
        ]
        lines += [
            f"  {escape(a.query)} ↔ {escape(a.candidate)}  {a.method} {a.score:.2f}"
            for a in explanation.alignment
        ]
        if explanation.unmatched_query:
            lines.append(f"  unmatched (ours): {escape(', '.join(explanation.unmatched_query))}")
        if explanation.unmatched_candidate:
            unmatched = ", ".join(explanation.unmatched_candidate)
            lines.append(f"  unmatched (list): {escape(unmatched)}")
        if explanation.legal_forms:
            lines.append(f"Legal forms: {escape(explanation.legal_forms)}")
        lines.append("Qualifiers:" if explanation.qualifiers else "Qualifiers: none to compare")
        lines += [
            f"  {q.feature}: ours {escape(q.query)} / list {escape(q.candidate)} → "
            f"{q.detail} ({q.effect:+.2f})"
            for q in explanation.qualifiers
        ]
    decision = view.disposition
    if decision is not None:
        lines += [
            "",
            "[b]Decision[/b]",
            f"{decision.outcome.value.replace('_', ' ')} · {REASON_LABELS[decision.reason]}",
            f"by {decision.decided_by} on {decision.decided_at:%Y-%m-%d %H:%M}",
            escape(decision.note),
        ]
    return "\n".join(lines)


def list_label(record: ListSnapshotRecord) -> str:
    """A list snapshot in a few words: its source and publication date."""
    published = record.published.isoformat() if record.published else "undated"
    return f"{LIST_NAMES.get(record.source, record.source)} {published}"


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    return f"{count} {noun if count == 1 else nouns or noun + 'es'}"


class HitsScreen(BaseScreen):
    """Screening hits on one matter's parties."""

    COMMAND_SCOPES = ("hits",)
    BINDINGS: ClassVar[list[BindingType]] = [*bindings_for("hits"), *bindings_for("back")]

    def __init__(self, reference: str) -> None:
        super().__init__()
        self.reference = reference
        self.views: dict[str, HitView] = {}
        self.rescreening = False
        """A re-screen is running (a second request waits for it rather than racing it)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"Screening hits on {self.reference}", classes="title", markup=False)
        yield Static("", id="hits-notice", markup=False, classes="error")
        yield Static("", id="hits-status", markup=False, classes="muted")
        with Horizontal(id="hits-body"):
            table = Table(id="hits", cursor_type="row", zebra_stripes=True)
            yield table
            yield Static("", id="hit-detail")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#hits", DataTable)
        for title in COLUMNS:
            table.add_column(title, key=title)
        self.show_hits()
        table.focus()

    def show_hits(self, keep: str | None = None) -> None:
        """Read the hits again."""
        try:
            views = self.dd.screening.hits(self.reference)
        except DueDiligenceError as error:
            self.say(str(error))
            return
        self.views = {v.hit.id: v for v in views}
        table = self.query_one("#hits", DataTable)
        table.clear()
        for view in views:
            hit = view.hit
            table.add_row(
                view.party.name,
                hit.list_kind.value,
                hit.primary_name,
                f"{hit.score:.2f}",
                hit.band,
                status_label(view),
                key=hit.id,
            )
        if not views:
            self.query_one("#hit-detail", Static).update(
                "No hits: every party screened clear (or no list is imported yet)."
            )
            return
        if keep is not None and keep in self.views:
            table.move_cursor(row=table.get_row_index(keep))
        self._show_detail()

    def say(self, text: str) -> None:
        """Keep a refusal or error on screen until the next action."""
        self.query_one("#hits-notice", Static).update(text)

    def current(self) -> HitView | None:
        table = self.query_one("#hits", DataTable)
        if not self.views or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.views.get(str(key))

    @on(DataTable.RowHighlighted, "#hits")
    def _highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        view = self.current()
        if view is not None:
            self.query_one("#hit-detail", Static).update(explain(view))

    def action_decide_hit(self) -> None:
        view = self.current()
        if view is None:
            self.say("There is no hit to decide.")
            return
        summary = (
            f"{view.party.name} ↔ {view.hit.primary_name} ({view.hit.list_kind.value}, "
            f"score {view.hit.score:.2f})"
        )

        def decided(form: DecideForm | None) -> None:
            if form is not None:
                self.decide(view, form)

        self.app.push_screen(DecideHit(summary, view.hit, view.party), decided)

    def decide(self, view: HitView, form: DecideForm) -> None:
        """Record the decision, or show why it was refused."""
        try:
            self.dd.screening.dispose(
                self.dd.actor, self.reference, view.hit.id, form.outcome, form.reason, form.note
            )
        except DueDiligenceError as error:
            self.say(f"Not recorded: {error}")
            self.dd.show_error(str(error))
            return
        self.say("")
        outcome = form.outcome.value.replace("_", " ")
        self.notify(f"Recorded {outcome} for {view.party.name}", timeout=4)
        self.show_hits(keep=view.hit.id)

    # ------------------------------------------------------------------------------------------
    # Re-screen on request

    def action_rescreen_matter(self) -> None:
        if self.rescreening:
            self.notify("Already screening this matter…", timeout=3)
            return
        self.rescreening = True
        self.say("")
        self.query_one("#hits-status", Static).update(
            f"Screening the parties of {self.reference} against the lists in use… "
            "(the first screening builds the list index and can take a few seconds)"
        )
        self.query_one("#hits", DataTable).loading = True
        self.rescreen()

    @work(thread=True, group="rescreen-matter", exit_on_error=False)
    def rescreen(self) -> None:
        service = self.dd.screening
        try:
            in_use = {s.record.id: s.record for s in service.snapshots() if s.current}
            if not in_use:
                self.post_message(NoListsToScreen(self.reference))
                return
            done = service.screen_case(self.dd.actor, self.reference)
            views = service.hits(self.reference)
        except DueDiligenceError as error:
            self.post_message(Failed(str(error)))
            return
        used_ids = {i for s in done for i in s.snapshot_ids if i in in_use} or set(in_use)
        used = sorted((in_use[i] for i in used_ids), key=lambda r: r.source)
        open_hits = sum(1 for v in views if v.status is ScreeningStatus.POSSIBLE_MATCH)
        true_matches = sum(1 for v in views if v.status is ScreeningStatus.TRUE_MATCH)
        if not done:
            summary = f"{self.reference} has no parties to screen yet."
        else:
            found = [f"{plural(open_hits, 'possible match')} to decide"]
            if true_matches:
                found.append(plural(true_matches, "true match"))
            summary = (
                f"{plural(len(done), 'party', 'parties')} screened against "
                + ", ".join(list_label(r) for r in used)
                + "; "
                + ", ".join(found)
            )
        self.post_message(MatterRescreened(self.reference, summary, open_hits))

    def _screened(self) -> None:
        self.rescreening = False
        self.query_one("#hits", DataTable).loading = False

    def on_matter_rescreened(self, message: MatterRescreened) -> None:
        self._screened()
        # A new screening has new hit ids: keep the cursor's place, not its hit.
        table = self.query_one("#hits", DataTable)
        row = table.cursor_row
        self.show_hits()
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        self.query_one("#hits-status", Static).update(message.summary)
        warnings = self.dd.screening.list_warnings()
        self.notify(
            message.summary,
            title="Re-screened",
            severity="warning" if message.open_hits else "information",
            timeout=8,
        )
        for warning in warnings:
            self.notify(warning, title="Old list", severity="warning", timeout=8)

    def on_no_lists_to_screen(self, message: NoListsToScreen) -> None:
        self._screened()
        text = (
            "No screening list is imported yet, so nothing was screened. Import one on the "
            "Lists screen (key l on the matters list), then re-screen."
        )
        self.query_one("#hits-status", Static).update("")
        self.say(text)
        self.dd.show_error(text)

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        # A bug in the worker must not leave the table loading for ever, nor show a traceback.
        if event.worker.group == "rescreen-matter" and event.state is WorkerState.ERROR:
            self._screened()
            self.query_one("#hits-status", Static).update("")
            self.say(f"Not screened: {event.worker.error}")
            self.dd.show_error(f"The re-screen failed: {event.worker.error}")

    def on_failed(self, message: Failed) -> None:
        self._screened()
        self.query_one("#hits-status", Static).update("")
        self.say(f"Not screened: {message.text}")
        self.dd.show_error(message.text)
