"""Evidence on a matter (with hashes, received and verified times; mark verified) and the
timeline of matter events against verification (MLR reg 30: verify before the relationship is
established, or as soon as practicable after)."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import DataTable, Footer, Header, Static

from duediligence.domain.errors import DueDiligenceError
from duediligence.domain.masking import mask_number
from duediligence.domain.timing import Verification, sortable
from duediligence.domain.vocabulary import events_for
from duediligence.services.casefile import NewEvidence
from duediligence.services.evidence import mark_verified
from duediligence.tui.commands import bindings_for
from duediligence.tui.modals.event import EventForm, RecordEvent
from duediligence.tui.modals.evidence import AttachEvidence, EvidenceForm
from duediligence.tui.screens.base import BaseScreen
from duediligence.tui.summaries import moment
from duediligence.tui.widgets.plain import Table

if TYPE_CHECKING:
    from duediligence.tui.screens.matter import MatterScreen, Position


def attach_evidence(screen: BaseScreen, reference: str, position: Position | None) -> None:
    """Ask for a file and its metadata, then store it against the current question."""
    from duediligence.tui.screens.matter import MatterScreen

    documents: tuple[str, ...] = ()
    question_text = None
    run_key = key = None
    if isinstance(screen, MatterScreen) and position is not None:
        found = screen.question_at(position)
        if found is not None:
            run, _, question = found
            run_key, key = run.key, position[1]
            question_text = f"{key}: {question.text}"
            if question.evidence is not None:
                documents = question.evidence.documents
    dd = screen.dd

    async def store(form: EvidenceForm) -> None:
        # Hashing and copying a large file takes a while: off the event loop.
        now = dd.casefile.clock.now() if form.verified else None
        new = NewEvidence(
            document_type=form.document_type,
            question=key if run_key else None,
            run=run_key,
            issuer=form.issuer,
            document_number=form.document_number,
            document_date=form.document_date,
            expiry=form.expiry,
            verified_at=now,
            method=form.method,
            party=form.party,
            reuse_reason=form.reuse_reason,
        )
        try:
            evidence = await asyncio.to_thread(
                dd.casefile.attach_evidence, dd.actor, reference, form.path, new
            )
        except DueDiligenceError as error:
            # Nothing typed is lost: the dialog comes back with the form and the reason.
            ask(form, str(error))
            return
        dd.notify(f"Attached {evidence.original_name} (sha256 {evidence.sha256[:12]}…)", timeout=4)
        reload = getattr(screen, "reload", None)
        if reload is not None:
            reload()

    def done(form: EvidenceForm | None) -> None:
        if form is not None:
            screen.run_worker(store(form), group="evidence", exit_on_error=False)

    view = dd.casefile.view(reference)
    parties = [
        (p.label, f"{p.label} {p.name}, {view.party_role_word(p)}") for p in view.records.parties
    ]

    def ask(last: EvidenceForm | None = None, error: str = "") -> None:
        dialog = AttachEvidence(question_text, documents, Path.cwd(), parties, last, error)
        screen.app.push_screen(dialog, done)

    ask()


COLUMNS = (
    "File",
    "Type",
    "Document no.",
    "Question",
    "SHA-256",
    "Bytes",
    "Received",
    "Verified",
    "By",
    "Method",
)


class EvidenceScreen(BaseScreen):
    """The evidence on one matter."""

    COMMAND_SCOPES = ("evidence",)
    BINDINGS: ClassVar[list[BindingType]] = [*bindings_for("evidence"), *bindings_for("back")]

    def __init__(self, reference: str) -> None:
        super().__init__()
        self.reference = reference
        self._ids: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"Evidence on {self.reference}", classes="title", markup=False)
        yield Table(id="evidence", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#evidence", DataTable)
        table.add_columns(*COLUMNS)
        self.reload()
        table.focus()

    def reload(self) -> None:
        table = self.query_one("#evidence", DataTable)
        table.clear()
        records = self.dd.casefile.view(self.reference).records
        self._ids = []
        for e in records.evidence:
            self._ids.append(e.id)
            table.add_row(
                e.original_name,
                e.document_type,
                # Masked like the audit file: the screen may be seen over a shoulder.
                mask_number(e.document_number) if e.document_number else "",
                e.question_key or "",
                e.sha256[:16] + "…",
                f"{e.size:,}",
                moment(e.received_at),
                moment(e.verified_at) or "not yet",
                e.verified_by or "",
                e.method or "",
                key=e.id,
            )
        if not self._ids:
            table.add_row("No evidence yet: press a to attach a file.", *[""] * (len(COLUMNS) - 1))

    def action_mark_verified(self) -> None:
        from duediligence.tui.modals.verify_evidence import VerifyEvidence

        table = self.query_one("#evidence", DataTable)
        if not self._ids or not 0 <= table.cursor_row < len(self._ids):
            return
        row = table.cursor_row
        evidence = next(
            e
            for e in self.dd.casefile.view(self.reference).records.evidence
            if e.id == self._ids[row]
        )
        if evidence.verified_at is not None:
            self.dd.show_error(
                f"{evidence.original_name} was already verified by {evidence.verified_by}"
            )
            return

        def done(method: str | None) -> None:
            if method is None:
                return
            try:
                verified = mark_verified(
                    self.dd.casefile, self.dd.actor, self.reference, evidence.id, method
                )
            except DueDiligenceError as error:
                self.dd.show_error(str(error))
                return
            self.notify(f"{verified.original_name} marked verified ({method}).", timeout=3)
            self.reload()
            # Stay on the row just verified (the list is read again from the top).
            table.move_cursor(row=row)

        self.app.push_screen(VerifyEvidence(evidence), done)

    def action_attach_evidence(self) -> None:
        attach_evidence(self, self.reference, None)


class TimelineScreen(BaseScreen):
    """Matter events, evidence received and verified, in time order, with reg 30 warnings."""

    COMMAND_SCOPES = ("timeline",)
    BINDINGS: ClassVar[list[BindingType]] = [*bindings_for("timeline"), *bindings_for("back")]

    def __init__(self, reference: str) -> None:
        super().__init__()
        self.reference = reference

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"Timeline of {self.reference}", classes="title", markup=False)
        yield Static("", id="timing", markup=False)
        yield Table(id="timeline", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#timeline", DataTable).add_columns("When", "What", "Detail", "Timing")
        self.reload()

    def reload(self) -> None:
        view = self.dd.casefile.view(self.reference)
        records, timing = view.records, view.timing
        table = self.query_one("#timeline", DataTable)
        table.clear()
        rows: list[tuple[datetime | date, str, str, str]] = []
        for event in records.events:
            rows.append((event.at, event.event.label, f"recorded by {event.recorded_by}", ""))
        for e in records.evidence:
            rows.append(
                (e.received_at, "Evidence received", f"{e.original_name} ({e.document_type})", "")
            )
            if e.verified_at is not None:
                # Judged by the read model's reg 30 rule; other evidence is not timed.
                verification = timing.of_evidence(e.id)
                rows.append(
                    (
                        e.verified_at,
                        "Evidence verified",
                        f"{e.original_name} by {e.verified_by}",
                        _timing_words(verification) if verification else "",
                    )
                )
        for verification in timing.verifications:
            if verification.evidence is None and verification.run is not None:
                rows.append(
                    (
                        verification.at,
                        "Verification completed",
                        f"as answered in {verification.run.key}",
                        _timing_words(verification),
                    )
                )
        rows.sort(key=lambda r: sortable(r[0]))
        for when, what, detail, words in rows:
            shown = moment(when) if isinstance(when, datetime) else when.isoformat()
            table.add_row(shown, what, detail, words)
        start = timing.start
        summary = (
            f"Relationship began {moment(start.at)} (basis: {start.basis}). "
            f"{timing.late_count} verification(s) after it"
            + (
                f", {timing.unjustified_count} without a reg 30(3) justification."
                if timing.late_count
                else "."
            )
            if start.at
            else "No instruction or relationship event recorded yet (press r)."
        )
        self.query_one("#timing", Static).update(summary)

    def action_record_event(self) -> None:
        def record(form: EventForm) -> None:
            # Run from the dialog: a refused time is shown there, with what was typed.
            self.dd.casefile.record_event(
                self.dd.actor, self.reference, form.event, form.at, exception=form.exception
            )

        def done(form: EventForm | None) -> None:
            if form is None:
                return
            self.notify(f"{form.event.label} recorded.", timeout=3)
            self.reload()

        case = self.dd.casefile.view(self.reference).records.case
        events = events_for(case.firm_role.value, case.acting_for)
        self.app.push_screen(RecordEvent(record, events), done)


def _timing_words(verification: Verification) -> str:
    if not verification.late:
        return "before the relationship began"
    if verification.justifications:
        return "after the relationship began (reg 30(3) justification recorded)"
    return "after the relationship began: no reg 30(3) justification recorded"


def matter_screen(screen: BaseScreen) -> MatterScreen | None:
    """The matter screen under this one, if any."""
    from duediligence.tui.screens.matter import MatterScreen

    for candidate in reversed(screen.app.screen_stack):
        if isinstance(candidate, MatterScreen):
            return candidate
    return None
