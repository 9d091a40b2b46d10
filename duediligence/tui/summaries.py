"""Rows for the matters list, the approvals queue and the portfolio.

Built from `CaseFile.summaries()` alone: the stored listing rows, one read for the whole firm,
which every write keeps equal to a fresh evaluation by the read model (client, rating, flags,
gates, approvals pending and superseded, missing evidence, referrals, review and retention, the
approval request waiting). Nothing about a matter is worked out here: this only formats.
Pure Python: no Textual here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from duediligence.domain.case import Person
from duediligence.domain.errors import DueDiligenceError
from duediligence.domain.monitoring import CaseSummary
from duediligence.domain.vocabulary import FirmRole, Rating, Role
from duediligence.services.casefile import CaseFile


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
    """Built from a whole listing row (False only for a placeholder)."""
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
    unreconciled_receipts: int = 0
    """Receipts that do not reconcile with the declared funds, neither accepted nor returned."""

    def cells(self) -> tuple[str, ...]:
        """The matters-list cells, in column order."""
        return (
            self.reference,
            self.client,
            self.rating,
            "HIT" if self.sanctions else "",
            "PEP" if self.pep else "",
            "" if self.missing is None else str(self.missing),
            self.gates_open,
            self.status,
            self.responsible,
            self.next_review.isoformat() if self.next_review else "",
            self.kind,
        )


COLUMNS = (
    "Reference",
    "Client",
    "Rating",
    "Hit",
    "PEP",
    "Missing",
    "Gates",
    "Status",
    "Responsible",
    "Review",
    "Kind",
)
"""Most telling first: a narrow terminal cuts the list from the right, and at 80 columns the
reference, client, rating, sanctions hit, PEP, what is missing and the gates still show (the
list once stopped at "San"). At 120 every column fits."""
RATING_COLUMN = COLUMNS.index("Rating")
MISSING_COLUMN = COLUMNS.index("Missing")


def kind_of(firm_role: str, acting_for: str | None) -> str:
    """Solicitor matter, or an estate-agent sale with the side."""
    if firm_role == FirmRole.SOLICITOR.value:
        return "Solicitor"
    return f"Agent ({acting_for})" if acting_for else "Agent"


def gates_text(open_count: int) -> str:
    """Gates open, which open in order: "none", "G1", "G1-G3"."""
    if open_count <= 0:
        return "none"
    return "G1" if open_count == 1 else f"G1-G{open_count}"


def row_of(s: CaseSummary, today: date) -> MatterRow:
    """One matter's row from its stored listing row (the read model's facts, as stored)."""
    chosen = s.chosen_rating
    return MatterRow(
        reference=s.reference,
        client=s.client or "(no client party)",
        kind=kind_of(s.firm_role, s.acting_for),
        status=s.status,
        responsible=s.responsible,
        rating=chosen.capitalize() if chosen else f"({s.computed_rating})",
        pep=s.pep,
        sanctions=s.sanctions,
        gates_open=gates_text(s.gates_open),
        next_review=s.next_review,
        missing=s.missing,
        complete=True,
        high=Rating.HIGH.value in (chosen, s.computed_rating),
        approvals_pending=tuple((Role(role), why) for role, why in s.approvals_pending),
        superseded=s.superseded,
        missing_evidence=s.missing_evidence,
        referrals=s.referrals,
        retention_due=s.retention_until is not None and s.retention_until <= today,
        overdue=s.review_due(today),
        requested_by=s.approval_requested_by,
        requested_at=datetime.fromisoformat(s.approval_requested_at)
        if s.approval_requested_at
        else None,
        gate_exceptions=s.gate_exceptions,
        unreconciled_receipts=s.unreconciled_receipts,
    )


def rows_from_summaries(summaries: Iterable[CaseSummary], today: date) -> list[MatterRow]:
    """Every matter's row from the stored listing rows: one read, no evaluation."""
    return [row_of(s, today) for s in summaries]


def fresh_row(casefile: CaseFile, reference: str, today: date) -> MatterRow | None:
    """One matter's row read again after a change (its stored row, which every write keeps
    equal to a fresh evaluation); None when the matter cannot be read."""
    try:
        stored = casefile.summary(reference)
    except DueDiligenceError:
        return None
    return row_of(stored, today) if stored is not None else None


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
    "unreconciled_receipts": "Unreconciled receipts",
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
        "unreconciled_receipts": row.unreconciled_receipts > 0,
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
