"""The timing of verification (MLR reg 30): when the business relationship began, and each
identity verification on the matter judged against it.

The one rule the TUI timeline, the CLI and part 4 of the audit file all print. Pure functions
over a case's records; no I/O.

Rules (regulation.md REQ-B3, REQ-B4, R5):
- the relationship starts at the (latest recorded) `relationship_established` event, or an
  estate agent's own: `offer_accepted` (buyer) or `marketing_started` (seller: CDD is due before
  marketing); with no such event, the offer time or marketing date answered in the checklist;
  only when none is recorded does the instruction stand in for it, because a matter whose relationship event is missing must still
  be judged against something. Instruction is not the start when both are recorded: verifying
  between instruction and establishment is what reg 30(2) asks for, not a breach;
- what is timed is identity verification (reg 28 CDD): an identity document, or anything filed
  under an identification question, about the client side (a payer's or counterparty's ID is
  scrutiny of the funds, not reg 30 CDD) and every answered `*.completed_on` date;
- a verification is late when it is after the start (a date: on a later day); a late one stands
  only with the reg 30(3) justification answered in its checklist run (`*.late_justification`);
- identity evidence received and never verified is counted apart: it is not yet late or on
  time, it is missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Final

from duediligence.domain.case import AnswerVersion, EventRecord, Evidence, Party, PartyRole, Run
from duediligence.domain.library import ChecklistLibrary
from duediligence.domain.vocabulary import MatterEvent

COMPLETED_SUFFIX: Final = ".completed_on"
"""Questions whose answer is the day verification was completed."""
JUSTIFICATION_SUFFIX: Final = ".late_justification"
"""Questions whose answer is the reg 30(3) justification for verifying late."""

IDENTIFICATION_SECTIONS: Final = frozenset({"client", "ident", "identity", "acting", "verify"})
"""Checklist sections that identify and verify the customer (reg 28): evidence filed under
their questions is identity evidence, whatever the document."""
EDD_CHECKLISTS: Final = frozenset({"pep-edd", "source-of-wealth", "source-of-funds"})
"""Checklists about enhanced due diligence, never identification, whatever their sections."""
IDENTITY_DOCUMENTS: Final = frozenset(
    {
        "passport",
        "driving_licence",
        "national_id_card",
        "national_identity_card",
        "residence_permit",
        "electronic_id_result",
        "electronic_verification_result",
        "digital_id_report",
    }
)
"""Document types that verify identity wherever they are filed."""

_NOT_CUSTOMER: Final = frozenset({PartyRole.PAYER, PartyRole.COUNTERPARTY})


@dataclass(frozen=True)
class RelationshipStart:
    """When the business relationship began, and what that is based on."""

    at: datetime | None
    """None when neither relationship nor instruction is recorded."""
    basis: str
    """In words: "relationship established", "instructed (no relationship event recorded)"."""


@dataclass(frozen=True)
class Verification:
    """One identity verification, judged against the relationship start."""

    at: datetime | date
    """When verified (a day, for an answered completion date)."""
    evidence: Evidence | None
    """The evidence verified; None for an answered completion date."""
    run: Run | None
    """The checklist run it belongs to (the evidence's run, or the run answered in)."""
    late_days: int | None
    """Whole days after the start (0: later the same day); None when on time or no start."""
    justifications: tuple[AnswerVersion, ...]
    """The reg 30(3) justifications that cover it (only looked for when late)."""

    @property
    def late(self) -> bool:
        """After the relationship began."""
        return self.late_days is not None

    @property
    def unjustified(self) -> bool:
        """Late, with no reg 30(3) justification recorded."""
        return self.late and not self.justifications


@dataclass(frozen=True)
class Timing:
    """Reg 30 on one matter: the start, each verification, and identity evidence not verified."""

    start: RelationshipStart
    verifications: tuple[Verification, ...]
    """In time order."""
    unverified: tuple[Evidence, ...]
    """Identity evidence received and not verified."""

    @property
    def late_count(self) -> int:
        """Verifications after the relationship began."""
        return sum(1 for v in self.verifications if v.late)

    @property
    def unjustified_count(self) -> int:
        """Late verifications without a reg 30(3) justification."""
        return sum(1 for v in self.verifications if v.unjustified)

    def of_evidence(self, evidence_id: str) -> Verification | None:
        """The verification of one evidence item, when it is identity evidence and verified."""
        for verification in self.verifications:
            if verification.evidence is not None and verification.evidence.id == evidence_id:
                return verification
        return None


def latest_events(events: Iterable[EventRecord]) -> dict[MatterEvent, datetime]:
    """When each matter event happened: a later record of the same event corrects an earlier
    one (as the evaluator reads them)."""
    found: dict[MatterEvent, datetime] = {}
    for record in sorted(events, key=lambda e: e.recorded_at):
        found[record.event] = record.at
    return found


_STARTS: Final = (
    (MatterEvent.RELATIONSHIP_ESTABLISHED, "relationship established"),
    (MatterEvent.OFFER_ACCEPTED, "offer accepted (the buyer became a customer)"),
    (MatterEvent.MARKETING_STARTED, "marketing started (the seller's CDD is due before it)"),
)
"""The events that start the relationship, strongest first: a solicitor's, an estate agent's
buyer's, an estate agent's seller's."""

ANSWERED_STARTS: Final = (
    ("offer.accepted_at", "offer accepted, as answered (no event recorded)"),
    ("seller.marketing_from", "marketing start, as answered (no event recorded)"),
)
"""Questions whose answer stands for the start when no event is recorded: a buyer's file said
"Relationship began: NOT RECORDED" beside the offer time it had been given."""


def relationship_start(
    events: Iterable[EventRecord], answers: Mapping[str, object] | None = None
) -> RelationshipStart:
    """When the business relationship began (see the module docstring). `answers`: the
    current answer of each question key, read when no event says it."""
    latest = latest_events(events)
    for event, basis in _STARTS:
        if event in latest:
            return RelationshipStart(latest[event], basis)
    for key, basis in ANSWERED_STARTS:
        value = (answers or {}).get(key)
        if isinstance(value, datetime):
            return RelationshipStart(value, basis)
        if isinstance(value, date):
            # A day: verifying on that day is on time, so the start is its last moment.
            return RelationshipStart(sortable(value), basis)
    if MatterEvent.INSTRUCTED in latest:
        return RelationshipStart(
            latest[MatterEvent.INSTRUCTED], "instructed (no relationship event recorded)"
        )
    return RelationshipStart(None, "no instruction or relationship event recorded")


def late_days(at: datetime | date, start: datetime) -> int | None:
    """Whole days `at` is after `start` (0: later the same day); None when on time."""
    start_day = _utc(start).date()
    if isinstance(at, datetime):
        if _utc(at) <= _utc(start):
            return None
        return (_utc(at).date() - start_day).days
    if at <= start_day:
        return None
    return (at - start_day).days


def identification_question(
    library: ChecklistLibrary, run: Run | None, question_key: str | None
) -> bool:
    """Whether a question is in an identification section (and not an EDD checklist)."""
    if run is None or question_key is None or run.checklist_id in EDD_CHECKLISTS:
        return False
    checklist = library.get(run.checklist_id)
    if checklist is None:
        return False
    base = question_key.partition("#")[0]
    for section, question in checklist.questions():
        if question.id == base:
            return section.id in IDENTIFICATION_SECTIONS
    return False


def identity_evidence(
    library: ChecklistLibrary,
    item: Evidence,
    runs_by_id: Mapping[str, Run],
    parties_by_id: Mapping[str, Party],
) -> bool:
    """Evidence that verifies a customer's identity (timed by reg 30)."""
    party = parties_by_id.get(item.party_id or "")
    if party is not None and party.role in _NOT_CUSTOMER:
        return False
    run = runs_by_id.get(item.run_id or "")
    if identification_question(library, run, item.question_key):
        return True
    return item.document_type in IDENTITY_DOCUMENTS


def timing_of(
    library: ChecklistLibrary,
    events: Iterable[EventRecord],
    evidence: Iterable[Evidence],
    parties: Iterable[Party],
    runs: Iterable[Run],
    answers: Iterable[AnswerVersion],
) -> Timing:
    """Reg 30 timing of a matter (see the module docstring)."""
    runs = tuple(runs)
    runs_by_id = {r.id: r for r in runs}
    parties_by_id = {p.id: p for p in parties}
    latest: dict[tuple[str, str], AnswerVersion] = {}
    for answer in answers:
        slot = (answer.run_id, answer.question_key)
        if slot not in latest or answer.number > latest[slot].number:
            latest[slot] = answer
    start = relationship_start(events, {key: a.value for (_, key), a in latest.items()})
    justified: dict[str, list[AnswerVersion]] = {}
    for (run_id, key), answer in latest.items():
        if (
            key.endswith(JUSTIFICATION_SUFFIX)
            and isinstance(answer.value, str)
            and answer.value.strip()
        ):
            justified.setdefault(run_id, []).append(answer)

    def judged(at: datetime | date, run: Run | None, item: Evidence | None) -> Verification:
        days = None if start.at is None else late_days(at, start.at)
        reasons: tuple[AnswerVersion, ...] = ()
        if days is not None:
            # Evidence filed without a run is covered by a justification in any run.
            covering = [run] if run is not None else list(runs)
            reasons = tuple(a for r in covering for a in justified.get(r.id, ()))
        return Verification(at, item, run, days, reasons)

    found: list[Verification] = []
    unverified: list[Evidence] = []
    for item in evidence:
        if not identity_evidence(library, item, runs_by_id, parties_by_id):
            continue  # source of funds, registers ...: reviewed, not reg 30 identity checks
        if item.verified_at is None:
            unverified.append(item)
            continue
        found.append(judged(item.verified_at, runs_by_id.get(item.run_id or ""), item))
    for (run_id, key), answer in latest.items():
        run = runs_by_id.get(run_id)
        if run is None or not key.endswith(COMPLETED_SUFFIX):
            continue
        if isinstance(answer.value, date):
            found.append(judged(answer.value, run, None))
    found.sort(key=lambda v: sortable(v.at))
    return Timing(start, tuple(found), tuple(unverified))


def sortable(value: datetime | date) -> datetime:
    """A moment or a day on one time line (a day sorts at its end)."""
    if isinstance(value, datetime):
        return _utc(value)
    return datetime(value.year, value.month, value.day, 23, 59, 59, tzinfo=UTC)


def _utc(value: datetime) -> datetime:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
