"""The audit trail of one matter: who did what, when, in which role (from the hash chain)."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import DataTable, Footer, Header, Static

from duediligence.domain.answers import display_answer
from duediligence.domain.case import AuditEvent
from duediligence.domain.checklist import Question
from duediligence.domain.library import ChecklistLibrary
from duediligence.services.reading import CaseView
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
        casefile = self.dd.casefile
        view = casefile.view(self.reference)
        case_id = view.records.case.id
        with casefile.store.transaction() as tx:
            events = [e for e in tx.audit_events() if e.case_id == case_id]
        self.app.call_from_thread(self.show, events, describe(view, casefile.library))

    def show(self, events: list[AuditEvent], words: dict[str, str]) -> None:
        table = self.query_one("#audit", DataTable)
        for e in events:
            table.add_row(
                str(e.seq),
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


def describe(view: CaseView, library: ChecklistLibrary) -> dict[str, str]:
    """Each record of the matter in words, by audit target: "answer pep.role v2 = Yes"."""
    records = view.records
    words = {records.case.target(): f"matter {records.case.reference}"}
    for party in records.parties:
        words[party.target()] = f"party {party.label} {party.name} ({party.role.value})"
    runs = {r.id: r for r in records.runs}
    questions: dict[tuple[str, str], Question] = {}
    for run in records.runs:
        words[run.target()] = f"checklist {run.checklist_id} v{run.checklist_version} started"
        checklist = library.get(run.checklist_id)
        if checklist is not None:
            for _, question in checklist.questions():
                questions[(run.id, question.id)] = question
    for answer in records.answers:
        asked = questions.get((answer.run_id, answer.question_key.partition("#")[0]))
        owner = runs.get(answer.run_id)
        shown = display_answer(answer.value, asked)
        where = f" ({owner.key})" if owner is not None and owner.subject != "client" else ""
        words[answer.target()] = (
            f"answer {answer.question_key}{where} v{answer.number} = {shown[:80]}"
        )
    for event in records.events:
        words[event.target()] = f"event {event.event.value.replace('_', ' ')}"
    for item in records.evidence:
        words[item.target()] = f"evidence {item.original_name} ({item.document_type})"
    for approval in records.approvals:
        words[approval.target()] = f"{approval.role.label} {approval.decision}"
    for request in records.approval_requests:
        words[request.target()] = "approval requested from " + ", ".join(
            role.label for role in request.roles
        )
    for override in records.overrides:
        words[override.target()] = f"rating override to {override.rating.value}"
    labels = {p.id: p.label for p in records.parties}
    for screening in records.screenings:
        who = labels.get(screening.party_id, "a party")
        words[screening.target()] = f"screening of {who}: {len(screening.hits)} hit(s)"
    for decided in records.dispositions:
        who = labels.get(decided.party_id, "a party")
        words[decided.target()] = f"screening decision for {who}: {decided.outcome.value}"
    return words
