"""Rows for the matters list, the approvals queue and the portfolio.

First from `CaseFile.summaries()` (the stored listing rows: one read for the whole firm), then
completed from each matter's evaluated view (`row_of`: the client's name, the approvals still
pending, superseded approvals, missing evidence, MLRO referrals). Both carry the latest approval
request still waiting (`open_request`, the case file's one rule). Pure Python: no Textual here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from duediligence.domain.case import Case, Person, open_request
from duediligence.domain.checklist import QuestionType
from duediligence.domain.errors import DueDiligenceError
from duediligence.domain.library import ChecklistLibrary
from duediligence.domain.monitoring import CaseSummary
from duediligence.domain.vocabulary import FirmRole, MatterEvent, Rating, Role
from duediligence.services.casefile import CaseFile, CaseView

_HITS = frozenset({"possible_match", "true_match", "confirmed_match"})
RETENTION_MONTHS = 60
"""Five years after the relationship ends (MLR reg 40)."""


@dataclass(frozen=True)
class MatterRow:
    """One matter as the lists show it."""

    reference: str
    client: str
    kind: str
    status: str
    responsible: str
    rating: str = "…"
    pep: bool = False
    sanctions: bool = False
    gates_open: str = "…"
    next_review: date | None = None
    missing: int | None = None
    complete: bool = False
    """False while only the case record has been read (the rest is still being worked out)."""
    high: bool = False
    approvals_pending: tuple[tuple[Role, str], ...] = ()
    """Roles whose approval is needed and not given, with why."""
    superseded: int = 0
    missing_evidence: bool = False
    referrals: tuple[str, ...] = ()
    retention_due: bool = False
    overdue: bool = False
    requested_by: str | None = None
    """Who asked for the pending approvals (the latest request still waiting), if anyone."""
    requested_at: datetime | None = None
    """When they asked."""
    gate_exceptions: int = 0
    """Events the MLRO recorded although their gate was closed."""

    def cells(self) -> tuple[str, ...]:
        """The matters-list cells, in column order."""
        return (
            self.reference,
            self.client,
            self.kind,
            self.rating,
            self.status,
            "PEP" if self.pep else "",
            "HIT" if self.sanctions else "",
            self.gates_open,
            self.next_review.isoformat() if self.next_review else "",
            self.responsible,
            "" if self.missing is None else str(self.missing),
        )


COLUMNS = (
    "Reference",
    "Client",
    "Kind",
    "Rating",
    "Status",
    "PEP",
    "Sanctions",
    "Gates open",
    "Next review",
    "Responsible",
    "Missing",
)


def kind_of(case: Case) -> str:
    """Solicitor matter, or an estate-agent sale with the side."""
    if case.firm_role is FirmRole.SOLICITOR:
        return "Solicitor"
    return f"Agent ({case.acting_for})" if case.acting_for else "Agent"


def with_stored_review(worked_out: MatterRow, stored: MatterRow | None) -> MatterRow:
    """A worked-out row with the review and retention dates of the stored listing row, whose
    rules (events that reopen the assessment, former PEPs, legal holds) are the case file's."""
    if stored is None or stored.complete:
        return worked_out
    return dataclasses.replace(
        worked_out,
        next_review=stored.next_review,
        overdue=stored.overdue,
        retention_due=stored.retention_due,
    )


def gates_text(open_count: int) -> str:
    """Gates open, which open in order: "none", "G1", "G1-G3"."""
    if open_count <= 0:
        return "none"
    return "G1" if open_count == 1 else f"G1-G{open_count}"


def rows_from_summaries(summaries: Iterable[CaseSummary], today: date) -> list[MatterRow]:
    """Rows from the stored listing rows: everything but the client's name and pending approvals,
    in one read (the worker fills those in)."""
    rows = []
    for s in summaries:
        chosen = s.chosen_rating
        rows.append(
            MatterRow(
                reference=s.reference,
                client="…",
                kind="Solicitor" if s.firm_role == FirmRole.SOLICITOR.value else "Agent",
                status=s.status,
                responsible=s.responsible,
                rating=chosen.capitalize() if chosen else f"({s.computed_rating})",
                pep=s.pep,
                sanctions=s.sanctions,
                gates_open=gates_text(s.gates_open),
                next_review=s.next_review,
                missing=s.missing,
                high=Rating.HIGH.value in (chosen, s.computed_rating),
                retention_due=s.retention_until is not None and s.retention_until <= today,
                overdue=s.review_due(today),
                requested_by=s.approval_requested_by,
                requested_at=datetime.fromisoformat(s.approval_requested_at)
                if s.approval_requested_at
                else None,
                gate_exceptions=s.gate_exceptions,
            )
        )
    return rows


def _months_after(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def row_of(
    view: CaseView, library: ChecklistLibrary, review_months: Mapping[Rating, int], today: date
) -> MatterRow:
    """Everything the lists show about one matter, from its evaluated view."""
    records = view.records
    case = records.case
    evaluation = view.evaluation
    clients = [p for p in records.parties if p.role.value == "client"]
    chosen = [r.chosen for r in evaluation.ratings]
    rating = Rating.highest(chosen) if chosen else None
    rating_text = rating.value.capitalize() if rating else f"({evaluation.computed_rating.value})"
    sanctions = any(
        "sanction" in a.question_key and isinstance(a.value, str) and a.value in _HITS
        for a in records.answers
    )
    pep = any(r.checklist_id == "pep-edd" for r in records.runs) or any(
        s.checklist_id == "pep-edd" for s in evaluation.spawns
    )
    next_review: date | None = None
    if rating is not None:
        keys = {(r.run_id, r.question_id) for r in evaluation.ratings}
        run_ids = {run.key: run.id for run in records.runs}
        when = [
            a.answered_at
            for a in records.answers
            if any(run_ids.get(rk) == a.run_id and q == a.question_key for rk, q in keys)
        ]
        if when:
            next_review = _months_after(max(when).date(), review_months[rating])
    ended = [e.at for e in records.events if e.event is MatterEvent.RELATIONSHIP_ENDED]
    retention_due = bool(ended) and _months_after(max(ended).date(), RETENTION_MONTHS) <= today
    pending = tuple(
        dict.fromkeys((a.role, a.reason) for a in evaluation.approvals if not a.satisfied)
    )
    request = open_request(
        records.approval_requests, records.approvals, (r for r, _ in pending), records.record_seq
    )
    return MatterRow(
        reference=case.reference,
        client=clients[0].name if clients else "(no client party)",
        kind=kind_of(case),
        status=case.status.value,
        responsible=case.responsible,
        rating=rating_text,
        pep=pep,
        sanctions=sanctions,
        gates_open=gates_text(sum(1 for g in evaluation.gates if g.open)),
        next_review=next_review,
        missing=len(evaluation.missing),
        complete=True,
        high=evaluation.computed_rating is Rating.HIGH or rating is Rating.HIGH,
        approvals_pending=pending,
        superseded=len(view.superseded),
        missing_evidence=any(
            _is_evidence(library, m.checklist_id, m.question_id) for m in evaluation.missing
        ),
        referrals=tuple(f.reason for f in evaluation.referrals),
        retention_due=retention_due,
        overdue=next_review is not None and next_review < today,
        requested_by=request.requested_by if request else None,
        requested_at=request.requested_at if request else None,
        gate_exceptions=sum(1 for e in records.events if e.gate_exception is not None),
    )


def _is_evidence(library: ChecklistLibrary, checklist_id: str, question_id: str) -> bool:
    checklist = library.get(checklist_id)
    question = checklist.question(question_id.partition("#")[0]) if checklist else None
    return question is not None and question.type is QuestionType.EVIDENCE


def fresh_row(
    casefile: CaseFile, reference: str, review_months: Mapping[Rating, int], today: date
) -> MatterRow | None:
    """One matter's row worked out again after a change (one evaluation, a few milliseconds),
    with the stored row's review dates; None when the matter cannot be read."""
    try:
        view = casefile.view(reference)
    except DueDiligenceError:
        return None
    worked_out = row_of(view, casefile.library, review_months, today)
    stored = rows_from_summaries(
        (s for s in casefile.summaries() if s.reference == reference), today
    )
    return with_stored_review(worked_out, stored[0] if stored else None)


def full_rows(
    casefile: CaseFile, references: Iterable[str], review_months: Mapping[Rating, int], today: date
) -> Iterator[MatterRow]:
    """Rows worked out case by case (slow for thousands: run it in a worker)."""
    for reference in references:
        yield row_of(casefile.view(reference), casefile.library, review_months, today)


PORTFOLIO_FILTERS: dict[str, str] = {
    "all": "All matters",
    "high": "High risk",
    "pep": "PEPs",
    "sanctions": "Possible sanctions matches",
    "overdue": "Overdue reviews",
    "missing_evidence": "Missing evidence",
    "superseded": "Superseded approvals",
    "retention": "Retention due",
    "gate_exceptions": "Gate exceptions",
}


def matches(row: MatterRow, name: str) -> bool:
    """Whether a row passes a portfolio filter."""
    return {
        "all": True,
        "high": row.high,
        "pep": row.pep,
        "sanctions": row.sanctions,
        "overdue": row.overdue,
        "missing_evidence": row.missing_evidence,
        "superseded": row.superseded > 0,
        "retention": row.retention_due,
        "gate_exceptions": row.gate_exceptions > 0,
    }[name]


def counts(rows: Iterable[MatterRow]) -> dict[str, int]:
    """How many rows pass each portfolio filter."""
    result = dict.fromkeys(PORTFOLIO_FILTERS, 0)
    for row in rows:
        for name in PORTFOLIO_FILTERS:
            if matches(row, name):
                result[name] += 1
    return result


def needs_me(row: MatterRow, person: Person) -> list[tuple[Role, str]]:
    """The approvals on a row that this person could give."""
    return [(role, why) for role, why in row.approvals_pending if person.holds(role)]


def requested_text(row: MatterRow) -> str:
    """Who asked for the pending approvals and when, as the approvals queue shows it."""
    if row.requested_by is None:
        return ""
    return f"{row.requested_by} {moment(row.requested_at)}".strip()


def moment(value: datetime | None) -> str:
    """A stored moment as the lists show it."""
    return value.strftime("%Y-%m-%d %H:%M") if value else ""
