"""The audit file's view model: a case, as the services show it, turned into plain data for the
templates, part by part in the order of issue 5 / regulation.md R6 (1 cover ... 12 retention).

Everything printed comes from `CaseView` (which leaves restricted MLRO records out by
construction) and from public service calls; the audit trail is limited to events about records
that `CaseView` holds, so nothing else in the chain can surface here. Formatting happens here, in
Python: templates only place strings. No WeasyPrint, Jinja2 or Textual here.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Final

from duediligence.domain.answers import AnswerValue, display_answer
from duediligence.domain.case import (
    AnswerVersion,
    Approval,
    AuditEvent,
    Evidence,
    FirmProfile,
    LegalHold,
    Party,
    Person,
    Run,
    clean_display_name,
)
from duediligence.domain.checklist import Checklist, Question, QuestionType, Section
from duediligence.domain.claims import Claim, ClaimStanding
from duediligence.domain.evaluation import Cause, GateReason, GateState
from duediligence.domain.funds import ReceiptLine, Tranche, money_text
from duediligence.domain.library import ChecklistLibrary
from duediligence.domain.masking import mask_number
from duediligence.domain.media import HEAD_SIZE, media_type
from duediligence.domain.ownership import Structure, name_key, percent_text
from duediligence.domain.proof import ChecklistText
from duediligence.domain.sale import SaleView
from duediligence.domain.screening_records import (
    ListSnapshotRecord,
    Outcome,
    Screening,
    ScreeningHit,
    uk_list_warning,
)
from duediligence.domain.timing import (
    BACKDATING_TOLERANCE_DAYS,
    ClaimedTime,
    Verification,
    sortable,
)
from duediligence.domain.vocabulary import AGENCY_PART_TITLES, MatterEvent, Role
from duediligence.services.casefile import CaseFile
from duediligence.services.reading import CaseView

FORMAT: Final = "duediligence-audit-file/1"
"""Names the audit file's layout and manifest; `verify_pdf` refuses anything else."""

MANIFEST_NAME: Final = "duediligence-manifest.json"
"""The JSON manifest attached to every audit file."""

PARTS: Final = (
    "Cover",
    "Parties and beneficial ownership",
    "Identification and verification",
    "Timing of verification (MLR reg 30)",
    "Screening",
    "Client and matter risk assessment",
    "Enhanced due diligence",
    "Approvals and sign-offs",
    "Decision",
    "Evidence manifest",
    "Audit trail",
    "Retention",
)
"""The twelve parts, in the order the issue and R6 give them."""


def part_titles(firm_role: str) -> tuple[str, ...]:
    """The parts' titles on a matter of this kind (an agency's part 6 is the customer risk
    assessment: no solicitor heading in an agency file)."""
    if firm_role != "estate_agent":
        return PARTS
    return tuple(AGENCY_PART_TITLES.get(n, title) for n, title in enumerate(PARTS, start=1))


# Which part a checklist's answers belong in. Checklists not named here go by section id; sections
# not named either go to the risk assessment, so every answer is printed somewhere.
_CHECKLIST_PART: Final = {"pep-edd": 7, "source-of-wealth": 7, "source-of-funds": 7}
_SECTION_PART: Final = {
    # parties, ownership and registers (R6.2, R6.4)
    "entity": 2,
    "register": 2,
    "roe": 2,
    "structure": 2,
    "layer": 2,
    "bo_status": 2,
    "bo": 2,
    "smo": 2,
    "trust": 2,
    # identification and verification (R6.3)
    "client": 3,
    "ident": 3,
    "identity": 3,
    "acting": 3,
    "verify": 3,
    # screening (R6.5)
    "screen": 5,
    "screening": 5,
    "sanctions": 5,
    "soc": 5,
    # decision and sign-off (R6.13, R6.14)
    "decision": 9,
    "signoff": 9,
}


# ----------------------------------------------------------------------------------------------
# View-model records (plain, frozen; every field a string or a collection of these)


@dataclass(frozen=True)
class EarlierVersion:
    """A superseded version of an answer."""

    version: int
    value: str
    by: str
    at: str


@dataclass(frozen=True)
class AnswerRow:
    """One current answer with its question, who gave it and when, and the versions before it."""

    key: str
    question: str
    value: str
    version: int
    by: str
    at: str
    earlier: tuple[EarlierVersion, ...] = ()
    short: str = ""
    """What the checklist still finds wanting in it ("169 of 200 characters"), or empty."""
    backdated: str = ""
    """For a date the firm says it did something on, typed in more than the tolerance later:
    says so (empty otherwise)."""


@dataclass(frozen=True)
class SectionBlock:
    """A checklist section (or one entry of a repeating section) with its answers."""

    title: str
    answers: tuple[AnswerRow, ...]


@dataclass(frozen=True)
class ChecklistBlock:
    """The answers of one checklist run that belong in one part."""

    key: str
    title: str
    version: str
    subject: str
    sections: tuple[SectionBlock, ...]


@dataclass(frozen=True)
class ChecklistUsed:
    """A checklist run as pinned on the case (cover)."""

    key: str
    title: str
    version: str
    sha256: str
    note: str
    policy_ref: str = "—"
    """The firm's policy, controls and procedures reference the checklist implements."""


@dataclass(frozen=True)
class StandingLine:
    """One line of the cover's first box: a fact about the file's state, and whether it is a
    shortcoming an inspector must see before anything else."""

    label: str
    text: str
    wanting: bool


@dataclass(frozen=True)
class MissingRow:
    """A required answer not given, too short, or short of documents."""

    checklist: str
    question: str
    key: str
    detail: str
    gate: str


@dataclass(frozen=True)
class ClaimRow:
    """An answer that restates something the file records, beside the records (part 9)."""

    checklist: str
    question: str
    key: str
    answer: str
    """What the answer says, who gave it and when."""
    standing: str
    """"Backed", "NO RECORD", "CONFLICT" or "Planned"."""
    finding: str
    records: tuple[str, ...]
    wanting: bool
    """No record or a conflict: flagged."""


@dataclass(frozen=True)
class Cover:
    """Part 1."""

    firm: str
    supervisor: str
    matter_reference: str
    matter_type: str
    firm_role: str
    acting_for: str
    status: str
    client_word: str
    """What the client is called: "Customer (buyer)" on an estate agent's buyer file."""
    clients: tuple[str, ...]
    responsible: str
    final_rating: str
    computed_rating: str
    decision: str
    generated_at: str
    generated_by: str
    chain_head: str
    state_sha256: str
    checklists: tuple[ChecklistUsed, ...]
    warnings: tuple[str, ...]
    standing: tuple[StandingLine, ...] = ()
    """The file's true state, printed before anything else on the cover."""
    fwra: str = "—"
    """The firm-wide risk assessment in force: version, date, approver."""
    privacy: str = "—"
    """The reg 41 privacy notice as recorded."""


@dataclass(frozen=True)
class PartyRow:
    """A party."""

    label: str
    role: str
    kind: str
    name: str
    other_names: str
    date_of_birth: str
    nationalities: str
    addresses: tuple[str, ...]
    registration: str
    added: str


@dataclass(frozen=True)
class OwnerRow:
    """A beneficial owner with direct and indirect percentages (from the ownership checklist)."""

    entity: str
    owner: str
    direct: str
    indirect: str
    basis: str


@dataclass(frozen=True)
class ShareRow:
    """An ultimate holder's share of the client entity, computed through the layers."""

    holder: str
    entity: str
    computed: str
    typed: str
    standing: str
    """"Beneficial owner (over 25%)", "25% or less", with a typed mismatch said."""
    chains: tuple[str, ...]
    wanting: bool


@dataclass(frozen=True)
class ChartBox:
    """One name in the ownership chart: a rectangle with its label (SVG user units)."""

    x: float
    y: float
    width: float
    height: float
    label: str
    kind: str
    """"top" (the client entity), "entity" (a layer between) or "owner" (an ultimate holder)."""


@dataclass(frozen=True)
class ChartLine:
    """One holding drawn from the holder down to the entity it holds, with its percentage."""

    x1: float
    y1: float
    x2: float
    y2: float
    label: str
    label_x: float
    label_y: float


@dataclass(frozen=True)
class OwnershipChart:
    """An ownership structure drawn from its layers (inline SVG; the template draws it)."""

    run: str
    width: float
    height: float
    boxes: tuple[ChartBox, ...]
    lines: tuple[ChartLine, ...]
    shares: tuple[ShareRow, ...]
    problems: tuple[str, ...]


@dataclass(frozen=True)
class LayerRow:
    """One layer of an ownership structure."""

    entity: str
    jurisdiction: str
    holder: str
    percent: str


@dataclass(frozen=True)
class DocumentRow:
    """An identity or other evidence document as verified (part 3)."""

    attachment: str
    document_type: str
    party: str
    issuer: str
    number: str
    document_date: str
    expiry: str
    method: str
    verified_by: str
    verified_at: str
    received_at: str
    note: str
    entered: str = ""
    """When the record was entered, where that is not the moment claimed above it."""
    backdated: bool = False
    """The verification or receipt is claimed more than the tolerance before its entry."""


@dataclass(frozen=True)
class TimingRow:
    """One line of the timeline: a matter event or a verification, with its standing."""

    at: str
    kind: str
    what: str
    party: str
    status: str
    late: bool
    justification: str
    gate_exception: str = ""
    """For an event the MLRO recorded although its gate was closed: what closed it and why it
    was recorded anyway (empty otherwise)."""
    entered: str = ""
    """When the row was entered into the file, where that is not the moment claimed."""
    entered_flag: str = ""
    """What its entry time shows against the claim: back-dated, or entered after the
    relationship began although claimed before it (empty when neither)."""


@dataclass(frozen=True)
class Timing:
    """Part 4: verification against the relationship start and the other matter events."""

    relationship_start: str
    relationship_start_basis: str
    late_count: int
    unjustified_count: int
    unverified_count: int
    rows: tuple[TimingRow, ...]
    basis: str = ""
    """Which times the judgement used (`domain.timing.CLAIMED_BASIS`)."""
    entered_late_count: int = 0
    """Verifications claimed before the start but entered after it."""
    backdated_count: int = 0
    """Claimed times on the file more than the tolerance before their entry."""
    start_entered: str = ""
    """When the start's record was entered, where that is not the start claimed."""
    tolerance_days: int = BACKDATING_TOLERANCE_DAYS


@dataclass(frozen=True)
class HitRow:
    """One list entry raised for a party, with its explanation and the decision on it."""

    list_kind: str
    entry: str
    primary_name: str
    matched_name: str
    score: str
    band: str
    explanation: str
    disposition: str
    reviewer: str
    open: bool


@dataclass(frozen=True)
class ScreeningRow:
    """One screening of one party (part 5)."""

    party: str
    at: str
    by: str
    reason: str
    latest: bool
    query: str
    lists: tuple[str, ...]
    algorithm: str
    hits: tuple[HitRow, ...]


@dataclass(frozen=True)
class CauseLine:
    """A risk effect (points, floor, trigger) with the answers that caused it."""

    effect: str
    reason: str
    cause: str


@dataclass(frozen=True)
class RatingLine:
    """A chosen rating checked against the minimum."""

    checklist: str
    chosen: str
    minimum: str
    standing: str


@dataclass(frozen=True)
class MonitoringRow:
    """One step of ongoing monitoring (part 6)."""

    at: str
    what: str
    subject: str
    by: str
    outcome: str
    wanting: bool


@dataclass(frozen=True)
class RiskAssessment:
    """Part 6."""

    score: int
    computed_rating: str
    minimum_rating: str
    contributions: tuple[CauseLine, ...]
    floors: tuple[CauseLine, ...]
    triggers: tuple[CauseLine, ...]
    ratings: tuple[RatingLine, ...]
    blocks: tuple[ChecklistBlock, ...]
    next_review: str = "—"
    """When the risk assessment is next reviewed, and whether that is due (as of the file)."""
    review_wanting: bool = False
    monitoring: tuple[MonitoringRow, ...] = ()
    """The ongoing-monitoring log: assessments, reviews, screenings and re-screenings."""


@dataclass(frozen=True)
class ApprovalRow:
    """An approval or refusal with the state hash it bound."""

    approver: str
    role: str
    training: str
    decision: str
    conditions: str
    given_at: str
    state_sha256: str
    standing: str
    superseded: bool
    account: str = ""
    """The computer account it was given from."""
    relied_on: str = ""
    """What it was given on, in words: the request that asked for it and the case state."""
    incomplete: str = ""
    """For an approval the MLRO gave although the EDD was not complete: what was outstanding
    and the MLRO's reason (empty otherwise)."""


@dataclass(frozen=True)
class RequestRow:
    """A request for approval: who asked, when, for which roles, with what note."""

    requested_by: str
    requested_at: str
    roles: str
    note: str


@dataclass(frozen=True)
class NeedRow:
    """An approval the case needs."""

    role: str
    reason: str
    gate: str
    satisfied: str


@dataclass(frozen=True)
class GateRow:
    """A gate with its state and what keeps it closed: the real reasons, in words, except where
    a reason could tip off (a referral to the MLRO, a hold), which reads "compliance hold"."""

    gate: str
    title: str
    state: str
    reasons: str
    lines: tuple[str, ...] = ()
    """Its own reasons, each in words (neutral only where the real one could tip off)."""
    earlier: str = ""
    """The earlier gate it also waits for, when that one is closed."""


@dataclass(frozen=True)
class SignOffRow:
    """One sign-off: who rated, approved or decided, when, and on which case state."""

    what: str
    who: str
    when: str
    detail: str


@dataclass(frozen=True)
class DecisionPart:
    """Part 9."""

    outcome: str
    reason_code: str
    reason_label: str
    conditions: str
    gates: tuple[GateRow, ...]
    blocks: tuple[ChecklistBlock, ...]
    sign_off: tuple[SignOffRow, ...] = ()
    """Who rated, approved and decided, when, on which state, in time order."""


@dataclass(frozen=True)
class ManifestRow:
    """One evidence record and the PDF attachment holding its bytes (part 10)."""

    attachment: str
    evidence_id: str
    original_name: str
    document_type: str
    media_type: str
    size: int
    size_text: str
    sha256: str


@dataclass(frozen=True)
class ManifestFile:
    """One embedded file as printed in part 10: a file filed under several questions is one
    file, so it is listed (and embedded) once, with every record that cites it."""

    attachment: str
    original_name: str
    document_types: str
    media_type: str
    size_text: str
    sha256: str
    filed_under: tuple[str, ...]


@dataclass(frozen=True)
class TrailRow:
    """One audit event about this matter (part 11)."""

    entry: int
    """Its number within the matter's trail. Not the chain's sequence number: the gaps in that
    would show the MLRO's restricted records being written (tipping off)."""
    at: str
    actor: str
    role: str
    action: str
    what: str
    sha256: str
    account: str = ""
    """The computer account the program ran under."""


@dataclass(frozen=True)
class Retention:
    """Part 12."""

    starts: str
    basis: str
    until: str
    hold: str


@dataclass(frozen=True)
class AuditFile:
    """Everything the templates print, in part order, plus the PDF's metadata."""

    format: str
    title: str
    author: str
    subject: str
    keywords: tuple[str, ...]
    generated_at_iso: str
    lang: str
    parts: tuple[str, ...]
    cover: Cover
    parties: tuple[PartyRow, ...]
    owners: tuple[OwnerRow, ...]
    layers: tuple[LayerRow, ...]
    parties_blocks: tuple[ChecklistBlock, ...]
    documents: tuple[DocumentRow, ...]
    identity_blocks: tuple[ChecklistBlock, ...]
    timing: Timing
    screenings: tuple[ScreeningRow, ...]
    screening_blocks: tuple[ChecklistBlock, ...]
    screening_documents: tuple[DocumentRow, ...]
    risk: RiskAssessment
    edd_blocks: tuple[ChecklistBlock, ...]
    edd_outstanding: tuple[str, ...]
    approvals: tuple[ApprovalRow, ...]
    approval_needs: tuple[NeedRow, ...]
    approval_requests: tuple[RequestRow, ...]
    decision: DecisionPart
    manifest: tuple[ManifestRow, ...]
    trail: tuple[TrailRow, ...]
    retention: Retention
    logo_url: str | None = None
    missing: tuple[MissingRow, ...] = ()
    """Every required answer missing or short, by checklist and question (part 9)."""
    manifest_files: tuple[ManifestFile, ...] = ()
    """Part 10 as printed: one row per embedded file."""
    binding_note: str = ""
    """Said when the firm lets supervising people act without being bound to a computer
    account (a one-person practice): the approvals then prove less about who gave them."""
    sale: SalePage | None = None
    """An estate agency's sale: both sides' matters and CDD dates (part 2)."""
    money_trail: MoneyTrail | None = None
    """The transaction reconstruction (part 7): None when the matter declares no source of
    funds and has recorded no receipt."""
    claims: tuple[ClaimRow, ...] = ()
    """Each answer that restates a record, beside the records found for it (part 9)."""
    structures: tuple[OwnershipChart, ...] = ()
    """Each ownership structure worked through its layers, with its chart (part 2)."""


@dataclass(frozen=True)
class SaleRow:
    """One side of the sale, no personal data: its matter, CDD dates and status."""

    side: str
    reference: str
    this_file: bool
    relationship: str
    cdd_completed: str
    timing: str
    gate: str
    status: str


@dataclass(frozen=True)
class SalePage:
    """The sale this matter is one side of."""

    property: str
    rows: tuple[SaleRow, ...]


@dataclass(frozen=True)
class ReceiptRow:
    """One receipt as the transaction reconstruction prints it."""

    received_on: str
    amount: str
    remitter: str
    bank: str
    account: str
    """Masked."""
    reference: str
    recorded: str
    status: str
    mismatches: tuple[str, ...]
    resolution: tuple[str, ...]
    """How each mismatch was resolved: explained, accepted, returned (who, when, what)."""


@dataclass(frozen=True)
class TrancheRow:
    """A declared tranche with the receipts allocated to it."""

    label: str
    source: str
    declared: str
    payer: str
    bank_country: str
    receipts: tuple[ReceiptRow, ...]


@dataclass(frozen=True)
class MoneyTrail:
    """Source of wealth -> tranche -> receipt -> completion, every mismatch and how it was
    resolved (regulation.md R6.12: an inspector reconstructs the transaction from the file)."""

    wealth: tuple[str, ...]
    tranches: tuple[TrancheRow, ...]
    unallocated: tuple[ReceiptRow, ...]
    required: str
    received: str
    total: str
    """The total against the amount required, in words."""
    unreconciled: int
    completion: str


@dataclass(frozen=True)
class AuditInputs:
    """What the audit file is built from: the case as the services show it, and its context."""

    view: CaseView
    firm: FirmProfile
    people: Mapping[str, Person]
    library: ChecklistLibrary
    events: tuple[AuditEvent, ...]
    """Audit events about records the view holds (see `gather`)."""
    chain_head: str
    """Hash of the last event in the store's chain when the file was made."""
    generated_at: datetime
    generated_by: str
    blob_paths: Mapping[str, str] = field(default_factory=dict)
    """Evidence sha256 -> file path of its bytes (for the attachments)."""
    snapshots: Mapping[str, ListSnapshotRecord] = field(default_factory=dict)
    """List snapshots the case's screenings used, by record id."""
    holds: tuple[LegalHold, ...] = ()
    """Legal holds placed on the case, released ones included."""
    media_types: Mapping[str, str] = field(default_factory=dict)
    """Evidence sha256 -> media type told from the file's bytes (not its name)."""
    integrity: str | None = None
    """The case file's integrity check when the file was made, in words; None: not checked."""
    integrity_ok: bool = True
    """False when that check found a problem."""
    binding_required: bool = True
    """The firm's setting: supervising people act only once bound to a computer account."""
    sale: SaleView | None = None
    """The sale the matter is on (an estate agency's), both sides summarised."""
    checklist_texts: Mapping[str, ChecklistText] = field(default_factory=dict)
    """The checklist texts the answers were given against, by hash (questions print as then)."""


# ----------------------------------------------------------------------------------------------
# Gathering (public service calls only)


def gather(
    casefile: CaseFile, reference: str, *, generated_by: str, generated_at: datetime | None = None
) -> AuditInputs:
    """Read one case for its audit file through the case-file services.

    The audit trail keeps only events whose target is a record in the `CaseView` (and the case
    itself), so a record type the view leaves out can never appear, even as an action name.
    """
    matter = casefile.read_matter(reference)  # one transaction: chain head and state agree
    view = matter.view
    records = view.records
    targets = _targets(view)
    targets.update(h.target() for h in matter.holds)
    events = [e for e in matter.events if e.target in targets]
    paths = {e.sha256: str(casefile.blobs.path_of(e.sha256)) for e in records.evidence}
    integrity, integrity_ok = _integrity(casefile, reference)
    return AuditInputs(
        view=view,
        firm=matter.firm,
        people=matter.people,
        library=casefile.library,
        events=tuple(events),
        chain_head=matter.chain_head,
        generated_at=generated_at or datetime.now(UTC),
        generated_by=generated_by,
        blob_paths=paths,
        snapshots=matter.snapshots,
        holds=matter.holds,
        sale=matter.sale,
        media_types=_media_types(records.evidence, paths),
        integrity=integrity,
        integrity_ok=integrity_ok,
        binding_required=casefile.policy.require_binding,
        checklist_texts=matter.checklist_texts,
    )


def _media_types(evidence: Iterable[Evidence], paths: Mapping[str, str]) -> dict[str, str]:
    """Each blob's media type from its first bytes: the declared type must be the true one
    (the name only tells text formats apart)."""
    names = {e.sha256: e.original_name for e in evidence}
    found = {}
    for sha, path in paths.items():
        try:
            with open(path, "rb") as blob:
                found[sha] = media_type(blob.read(HEAD_SIZE), names.get(sha, ""))
        except OSError:
            continue  # a missing blob stops the render later, with its name
    return found


def _integrity(casefile: CaseFile, reference: str) -> tuple[str, bool]:
    """The case file's own check (chain, records, files, approvals of this case), in words."""
    report = casefile.verify(reference)
    if report.ok:
        return (
            f"Verified when this file was made: {report.events} audit events chained, "
            f"{report.records} records, {report.files} evidence files and {report.approvals} "
            "approvals match their hashes",
            True,
        )
    shown = "; ".join(str(p) for p in report.problems[:5])
    more = f" (and {len(report.problems) - 5} more)" if len(report.problems) > 5 else ""
    return f"FAILED when this file was made: {shown}{more}", False


def _targets(view: CaseView) -> set[str]:
    records = view.records
    found = {records.case.target()}
    for group in (
        records.parties,
        records.runs,
        records.answers,
        records.events,
        records.evidence,
        records.approvals,
        records.approval_requests,
        records.overrides,
        records.screenings,
        records.dispositions,
        records.receipts,
        records.receipt_actions,
    ):
        found.update(r.target() for r in group)
    return found


# ----------------------------------------------------------------------------------------------
# Formatting helpers


def moment(value: datetime | None) -> str:
    """A moment as printed: UTC, to the minute, the zone said."""
    if value is None:
        return "—"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def day(value: date | None) -> str:
    """A date as printed."""
    return value.isoformat() if value is not None else "—"


def size_text(size: int) -> str:
    """Bytes for a reader: exact below 1 KiB, otherwise one decimal place."""
    value = float(size)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{size} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")  # pragma: no cover


def attachment_name(index: int, original_name: str) -> str:
    """The evidence file's name inside the PDF: numbered, so names never collide."""
    name = clean_display_name(original_name).replace("/", "_")
    return f"E{index:03d}-{name}"


# ----------------------------------------------------------------------------------------------
# Building


class _Context:
    """Lookups shared by the part builders."""

    def __init__(self, inputs: AuditInputs) -> None:
        self.inputs = inputs
        self.records = inputs.view.records
        self.people = inputs.people
        self.parties_by_label = {p.label: p for p in self.records.parties}
        self.parties_by_id = {p.id: p for p in self.records.parties}
        self.runs_by_id = {r.id: r for r in self.records.runs}
        self.runs_by_key = {r.key: r for r in self.records.runs}
        versions: dict[tuple[str, str], list[AnswerVersion]] = defaultdict(list)
        for answer in self.records.answers:
            versions[(answer.run_id, answer.question_key)].append(answer)
        for items in versions.values():
            items.sort(key=lambda a: a.number)
        self.versions = dict(versions)
        self.attachments: dict[str, str] = {}
        for index, sha in enumerate(_unique_blobs(self.records.evidence), start=1):
            first = next(e for e in self.records.evidence if e.sha256 == sha)
            self.attachments[sha] = attachment_name(index, first.original_name)
        self.evidence_by_id = {e.id: e for e in self.records.evidence}
        # The evaluator names a run by its key (run ids are the store's).
        self.wanting = {(m.run_id, m.question_id): m.detail for m in inputs.view.evaluation.missing}
        # The computer account each record was written from (the chain's os_user).
        self.accounts = {e.target: e.os_user for e in inputs.events}
        # Each claimed time beside its entry, worked out once by the read model.
        self.claims = {(c.target, c.kind): c for c in inputs.view.timing.claims}
        self.asked_cache: dict[str, dict[str, str | None]] = {}

    def person(self, person_id: str | None) -> str:
        if not person_id:
            return "—"
        found = self.people.get(person_id)
        return f"{found.name} ({person_id})" if found else person_id

    def name(self, person_id: str) -> str:
        found = self.people.get(person_id)
        return found.name if found else person_id

    def party(self, label_or_id: str | None) -> str:
        if not label_or_id:
            return "—"
        found = self.parties_by_label.get(label_or_id) or self.parties_by_id.get(label_or_id)
        return f"{found.name} ({found.label})" if found else label_or_id

    def subject(self, run: Run) -> str:
        return "the client" if run.subject == "client" else self.party(run.subject)

    def checklist(self, run: Run) -> Checklist | None:
        return self.inputs.library.get(run.checklist_id)

    def asked(self, answer: AnswerVersion, question: Question | None) -> str:
        """The question as it was worded when `answer` was given (the checklist text kept in
        the case file), not as the checklist file reads today."""
        kept = self.inputs.checklist_texts.get(answer.checklist_sha256 or "")
        base = answer.question_key.partition("#")[0]
        if kept is not None:
            if base not in self.asked_cache.setdefault(kept.id, {}):
                self.asked_cache[kept.id][base] = kept.question_text(base)
            then = self.asked_cache[kept.id][base]
            if then is not None:
                return then
        return question.text if question else answer.question_key

    def show(self, value: AnswerValue, question: Question | None) -> str:
        if question is not None and isinstance(value, str) and question.type is QuestionType.PARTY:
            return self.party(value)
        if (
            question is not None
            and isinstance(value, tuple)
            and question.type is QuestionType.EVIDENCE
        ):
            names = []
            for evidence_id in value:
                item = self.evidence_by_id.get(evidence_id)
                names.append(
                    self.attachments.get(item.sha256, evidence_id) if item else evidence_id
                )
            return ", ".join(names) or "(none)"
        return display_answer(value, question)

    def current(self, run: Run, key: str) -> AnswerVersion | None:
        found = self.versions.get((run.id, key))
        return found[-1] if found else None


def _unique_blobs(evidence: Iterable[Evidence]) -> list[str]:
    seen: dict[str, None] = {}
    for item in evidence:
        seen.setdefault(item.sha256, None)
    return list(seen)


def build(inputs: AuditInputs, *, logo_url: str | None = None) -> AuditFile:
    """The audit file's view model."""
    ctx = _Context(inputs)
    records = ctx.records
    case = records.case
    blocks = _blocks_by_part(ctx)
    # Worked out once: the cover's standing box and parts 4 and 5 print the same rows.
    timing = _timing(ctx)
    screenings = _screenings(ctx)
    cover = _cover(ctx, blocks, timing, screenings)
    clients = ", ".join(p.name for p in records.parties if p.role.value == "client")
    return AuditFile(
        format=FORMAT,
        title=f"AML audit file — {case.reference}",
        author=inputs.firm.name,
        subject=(
            f"Customer due diligence record for matter {case.reference}"
            + (f" ({clients})" if clients else "")
        ),
        keywords=(FORMAT, f"matter:{case.reference}", f"state:{inputs.view.state_sha256}"),
        generated_at_iso=inputs.generated_at.astimezone(UTC).isoformat(timespec="seconds"),
        lang="en-GB",
        parts=part_titles(case.firm_role.value),
        cover=cover,
        parties=tuple(_party_row(ctx, p) for p in records.parties),
        sale=_sale_page(inputs.sale, case.reference),
        owners=_owners(ctx),
        layers=_layers(ctx),
        structures=tuple(_chart(run, s) for run, s in inputs.view.ownership),
        parties_blocks=blocks[2],
        documents=_documents(ctx, records.evidence),
        identity_blocks=blocks[3],
        timing=timing,
        screenings=screenings,
        screening_blocks=blocks[5],
        screening_documents=_documents(
            ctx,
            [
                e
                for e in records.evidence
                if e.question_key and _part_of_key(ctx, e.run_id, e.question_key) == 5
            ],
        ),
        risk=_risk(ctx, blocks[6]),
        edd_blocks=blocks[7],
        edd_outstanding=_edd_outstanding(ctx),
        approvals=tuple(_approval_row(ctx, a) for a in records.approvals),
        approval_needs=tuple(
            NeedRow(
                role=n.role.label,
                reason=_neutral(ctx, n.reason, n.cause, mlro=n.role.value == "mlro"),
                gate=n.gate.value,
                satisfied="Given" if n.satisfied else "OUTSTANDING",
            )
            for n in inputs.view.evaluation.approvals
        ),
        approval_requests=tuple(
            RequestRow(
                requested_by=ctx.person(r.requested_by),
                requested_at=moment(r.requested_at),
                roles=", ".join(role.label for role in r.roles),
                note=r.note or "—",
            )
            for r in records.approval_requests
        ),
        decision=_decision(ctx, blocks[9]),
        manifest=_manifest(ctx),
        trail=_trail(ctx),
        retention=_retention(ctx),
        logo_url=logo_url,
        missing=_missing(ctx),
        claims=_claims(ctx),
        manifest_files=_manifest_files(ctx),
        money_trail=_money_trail(ctx),
        binding_note=""
        if inputs.binding_required
        else (
            "Firm setting: supervisors, senior managers and the MLRO may approve without being "
            "bound to a computer account (a one-person practice), so an approval names a "
            "person the firm's register does not tie to one account."
        ),
    )


# -- part 7: the transaction reconstruction

_STATUS_WORDS: Final = {
    "reconciled": "Reconciled",
    "unreconciled": "DOES NOT RECONCILE: not explained",
    "explained": "DOES NOT RECONCILE: explained, not yet accepted",
    "accepted": "Mismatch explained and accepted",
    "returned": "Returned to the payer",
}


def _money_trail(ctx: _Context) -> MoneyTrail | None:
    funds = ctx.inputs.view.funds
    declared = funds.declared
    if not declared.tranches and not funds.lines:
        return None
    wealth = tuple(
        _wealth_line(ctx, run) for run in ctx.records.runs if run.checklist_id == "source-of-wealth"
    ) or ("none recorded on this matter",)
    by_tranche: dict[tuple[str, int], list[ReceiptRow]] = defaultdict(list)
    unallocated: list[ReceiptRow] = []
    for line in funds.lines:
        row = _receipt_row(ctx, line)
        if line.tranche is not None:
            by_tranche[(line.tranche.run_key, line.tranche.number)].append(row)
        else:
            unallocated.append(row)
    required = declared.required
    currency = required.currency if required else "GBP"
    completed = [e.at for e in ctx.records.events if e.event is MatterEvent.COMPLETION]
    return MoneyTrail(
        wealth=wealth,
        tranches=tuple(
            _tranche_row(ctx, t, by_tranche.get((t.run_key, t.number), []))
            for t in declared.tranches
        ),
        unallocated=tuple(unallocated),
        required=str(required) if required else "not recorded",
        received=money_text(funds.received, currency),
        total=(
            funds.total_mismatch[0].upper() + funds.total_mismatch[1:]
            if funds.total_mismatch
            else ("Receipts match the amount required" if funds.lines else "No receipts yet")
        )
        + (f"; not added up: {', '.join(funds.unconverted)}" if funds.unconverted else ""),
        unreconciled=funds.unreconciled,
        completion=f"Completed {moment(max(completed))}" if completed else "Not completed",
    )


_WEALTH_ANSWERS: Final = (
    ("sow.activities", "from"),
    ("sow.net_worth", "net worth"),
    ("sow.conclusion", "concluded"),
)
"""The source-of-wealth answers the reconstruction starts from (the whole record is above)."""


def _wealth_line(ctx: _Context, run: Run) -> str:
    checklist = ctx.checklist(run)
    said = []
    for key, words in _WEALTH_ANSWERS:
        answer = ctx.current(run, key)
        if answer is not None:
            question = checklist.question(key) if checklist else None
            said.append(f"{words} {ctx.show(answer.value, question)}")
    return f"{ctx.subject(run)}: " + ("; ".join(said) or "not yet answered")


def _tranche_row(ctx: _Context, tranche: Tranche, receipts: list[ReceiptRow]) -> TrancheRow:
    return TrancheRow(
        label=tranche.label.capitalize(),
        source=(tranche.source or "not recorded").replace("_", " "),
        declared=str(tranche.amount) if tranche.amount else "not recorded",
        payer=ctx.party(tranche.payer_label),
        bank_country=tranche.bank_country or "not recorded",
        receipts=tuple(receipts),
    )


def _receipt_row(ctx: _Context, line: ReceiptLine) -> ReceiptRow:
    receipt = line.receipt
    state = line.state
    resolution: list[str] = []
    for action in state.actions:
        who, when = ctx.person(action.by), moment(action.at)
        if action.action == "allocate":
            resolution.append(f"Allocated to tranche {action.tranche} by {who}, {when}")
        elif action.action == "explain":
            resolution.append(f"Explained by {who}, {when}: {action.note}")
        elif action.action == "accept":
            note = f": {action.note}" if action.note else ""
            resolution.append(f"Accepted by {who}, {when}{note}")
        else:
            resolution.append(f"Returned by {who}, {when}: {action.note}")
    amount = money_text(receipt.amount, receipt.currency)
    if receipt.rate is not None:
        amount += f" at {receipt.rate}"
    return ReceiptRow(
        received_on=day(receipt.received_on),
        amount=amount,
        remitter=receipt.remitter,
        bank=", ".join(p for p in (receipt.bank, receipt.bank_country) if p) or "not recorded",
        account=receipt.masked_account,
        reference=receipt.reference or "—",
        recorded=f"{ctx.person(receipt.recorded_by)}, {moment(receipt.recorded_at)}",
        status=_STATUS_WORDS[line.status],
        mismatches=tuple(m.message for m in line.mismatches),
        resolution=tuple(resolution),
    )


# -- part 1


def _cover(
    ctx: _Context,
    blocks: Mapping[int, tuple[ChecklistBlock, ...]],
    timing: Timing,
    screenings: tuple[ScreeningRow, ...],
) -> Cover:
    inputs = ctx.inputs
    view = inputs.view
    case = ctx.records.case
    evaluation = view.evaluation
    if view.rating is not None:
        final = view.rating.value.capitalize()
        if not evaluation.rating_acceptable:
            final += " (below the minimum allowed: see part 6)"
    else:
        final = "Not yet chosen"
    outcome, _, _, _ = _decision_answers(ctx)
    checklists = []
    for run in ctx.records.runs:
        checklist = ctx.checklist(run)
        note = ""
        if run.key in view.unloaded_checklists:
            note = "checklist not loaded: answers printed without evaluation"
        elif run.key in view.changed_checklists:
            note = "checklist file changed since this run started"
        checklists.append(
            ChecklistUsed(
                key=run.key,
                title=checklist.title if checklist else run.checklist_id,
                version=run.checklist_version,
                sha256=run.content_sha256 or "—",
                note=note,
                policy_ref=checklist.policy_ref if checklist else "—",
            )
        )
    firm = inputs.firm
    supervisor = firm.supervisor.value.upper()
    if firm.supervisor_registration:
        supervisor += f", registration {firm.supervisor_registration}"
    warnings = [f"Checklist {k} is not loaded; not evaluated." for k in view.unloaded_checklists]
    uk_list = uk_list_warning(ctx.records.screenings, inputs.snapshots)
    if uk_list:
        warnings.append(uk_list[0].upper() + uk_list[1:] + ".")
    warnings += [f"Checklist {k} has changed since it started." for k in view.changed_checklists]
    return Cover(
        firm=firm.name,
        supervisor=supervisor,
        matter_reference=case.reference,
        matter_type=case.matter_type.replace("_", " "),
        firm_role=case.firm_role.value.replace("_", " "),
        acting_for=case.acting_for or "—",
        status=case.status.value,
        client_word=view.client_word(),
        clients=tuple(
            f"{p.name} ({p.kind.value})" for p in ctx.records.parties if p.role.value == "client"
        )
        or (f"client type: {case.client_type.value.replace('_', ' ')}",),
        responsible=ctx.person(case.responsible),
        final_rating=final,
        computed_rating=evaluation.computed_rating.value.capitalize(),
        decision=outcome,
        generated_at=moment(inputs.generated_at),
        generated_by=ctx.person(inputs.generated_by),
        chain_head=inputs.chain_head,
        state_sha256=view.state_sha256,
        checklists=tuple(checklists),
        warnings=tuple(warnings),
        standing=_standing(ctx, timing, screenings),
        fwra=_fwra(ctx),
        privacy=_privacy_words(ctx),
    )


# -- checklist answers, by part


def _part_of(run: Run, section: Section | None) -> int:
    if run.checklist_id in _CHECKLIST_PART:
        return _CHECKLIST_PART[run.checklist_id]
    if section is None:
        return 6
    return _SECTION_PART.get(section.id, 6)


def _part_of_key(ctx: _Context, run_id: str | None, key: str) -> int:
    run = ctx.runs_by_id.get(run_id or "")
    if run is None:
        return 6
    checklist = ctx.checklist(run)
    base = key.partition("#")[0]
    section = _section_of(checklist, base) if checklist else None
    return _part_of(run, section)


def _section_of(checklist: Checklist, question_id: str) -> Section | None:
    for section, question in checklist.questions():
        if question.id == question_id:
            return section
    return None


def _blocks_by_part(ctx: _Context) -> dict[int, tuple[ChecklistBlock, ...]]:
    by_part: dict[int, list[ChecklistBlock]] = defaultdict(list)
    for run in ctx.records.runs:
        for part, block in _run_blocks(ctx, run):
            by_part[part].append(block)
    return {part: tuple(by_part.get(part, ())) for part in range(1, len(PARTS) + 1)}


def _run_blocks(ctx: _Context, run: Run) -> list[tuple[int, ChecklistBlock]]:
    """Every answered question of a run, grouped by section (and entry), split by part."""
    checklist = ctx.checklist(run)
    keys = [key for (run_id, key) in ctx.versions if run_id == run.id]
    if not keys:
        return []
    order: dict[str, tuple[int, Section | None, Question | None]] = {}
    if checklist is not None:
        for position, (section, question) in enumerate(checklist.questions()):
            order[question.id] = (position, section, question)
    # (part, section position, entry) -> rows
    grouped: dict[tuple[int, int, int], list[AnswerRow]] = defaultdict(list)
    titles: dict[tuple[int, int, int], str] = {}
    for key in keys:
        base, _, entry_text = key.partition("#")
        entry = int(entry_text) if entry_text.isdigit() else 0
        position, found_section, found_question = order.get(base, (10**6, None, None))
        part = _part_of(run, found_section)
        section_position = (
            checklist.sections.index(found_section)
            if checklist and found_section is not None
            else 10**6
        )
        slot = (part, section_position, entry)
        if found_section is not None:
            label = found_section.repeat.label if found_section.repeat else found_section.title
            titles[slot] = f"{label} {entry}" if entry else label
        else:
            titles[slot] = "Answers to questions not in the loaded checklist"
        grouped[slot].append(_answer_row(ctx, run, key, found_question, position))
    result: list[tuple[int, ChecklistBlock]] = []
    title = checklist.title if checklist else run.checklist_id
    for part in sorted({slot[0] for slot in grouped}):
        slots = sorted(s for s in grouped if s[0] == part)
        sections = tuple(
            SectionBlock(
                title=titles[s],
                answers=tuple(sorted(grouped[s], key=lambda r: _row_order(r, order))),
            )
            for s in slots
        )
        result.append(
            (
                part,
                ChecklistBlock(
                    key=run.key,
                    title=title,
                    version=run.checklist_version,
                    subject=ctx.subject(run),
                    sections=sections,
                ),
            )
        )
    return result


def _row_order(row: AnswerRow, order: Mapping[str, tuple[int, object, object]]) -> tuple[int, str]:
    base = row.key.partition("#")[0]
    return (order.get(base, (10**6, None, None))[0], row.key)


def _answer_row(
    ctx: _Context, run: Run, key: str, question: Question | None, _position: int
) -> AnswerRow:
    versions = ctx.versions[(run.id, key)]
    current = versions[-1]
    return AnswerRow(
        key=key,
        question=ctx.asked(current, question),
        value=ctx.show(current.value, question),
        version=current.number,
        by=ctx.person(current.answered_by),
        at=moment(current.answered_at),
        earlier=tuple(
            EarlierVersion(
                version=v.number,
                value=ctx.show(v.value, question),
                by=ctx.person(v.answered_by),
                at=moment(v.answered_at),
            )
            for v in reversed(versions[:-1])
        ),
        short=ctx.wanting.get((run.key, key), ""),
        backdated=_backdated_words(ctx.claims.get((current.target(), "answer"))),
    )


def _backdated_words(claim: ClaimedTime | None) -> str:
    """What a back-dated claim prints ("" when it is not one)."""
    if claim is None or not claim.backdated:
        return ""
    return (
        f"BACK-DATED: claimed {claim.lag_days} days before it was entered "
        f"({moment(claim.entered)}; more than {BACKDATING_TOLERANCE_DAYS} days)"
    )


# -- part 2


def _sale_page(sale: SaleView | None, reference: str) -> SalePage | None:
    if sale is None:
        return None
    rows = []
    for side in sale.sides:
        rows.append(
            SaleRow(
                side=side.label,
                reference=side.reference,
                this_file=side.reference == reference,
                relationship=(
                    f"{moment(side.relationship_began)} ({side.relationship_basis})"
                    if side.relationship_began
                    else "NOT RECORDED"
                ),
                cdd_completed=day(side.cdd_completed_on),
                timing=side.timing.capitalize() if side.timing != "LATE" else side.timing,
                gate="Open" if side.gate_open else "Closed",
                status=side.status,
            )
        )
    return SalePage(property=sale.sale.property, rows=tuple(rows))


def _party_row(ctx: _Context, party: Party) -> PartyRow:
    view = ctx.inputs.view
    return PartyRow(
        label=party.label,
        role=view.party_role_word(party),
        kind=party.kind.value,
        name=party.name,
        other_names=", ".join(party.other_names) or "—",
        date_of_birth=day(party.date_of_birth),
        nationalities=", ".join(view.nationalities_of(party)) or "—",
        addresses=view.addresses_of(party) or ("—",),
        registration=party.registration_number or "—",
        added=f"{ctx.person(party.added_by)}, {moment(party.added_at)}",
    )


def _entries(ctx: _Context, run: Run, prefix: str) -> list[int]:
    found = set()
    for run_id, key in ctx.versions:
        if run_id == run.id and key.startswith(prefix) and "#" in key:
            entry = key.rpartition("#")[2]
            if entry.isdigit():
                found.add(int(entry))
    return sorted(found)


def _value(ctx: _Context, run: Run, key: str) -> str:
    answer = ctx.current(run, key)
    if answer is None:
        return "—"
    checklist = ctx.checklist(run)
    question = checklist.question(key.partition("#")[0]) if checklist else None
    return ctx.show(answer.value, question)


def _ownership_runs(ctx: _Context) -> list[Run]:
    return [r for r in ctx.records.runs if r.checklist_id == "beneficial-ownership"]


def _owners(ctx: _Context) -> tuple[OwnerRow, ...]:
    rows = []
    for run in _ownership_runs(ctx):
        entity = _value(ctx, run, "entity.name")
        if entity == "—":
            entity = ctx.subject(run)
        for n in _entries(ctx, run, "bo."):
            rows.append(
                OwnerRow(
                    entity=entity,
                    owner=_value(ctx, run, f"bo.party#{n}"),
                    direct=_value(ctx, run, f"bo.direct_pct#{n}"),
                    indirect=_value(ctx, run, f"bo.indirect_pct#{n}"),
                    basis=_value(ctx, run, f"bo.basis#{n}"),
                )
            )
    return tuple(rows)


def _layers(ctx: _Context) -> tuple[LayerRow, ...]:
    rows = []
    for run in _ownership_runs(ctx):
        for n in _entries(ctx, run, "layer."):
            rows.append(
                LayerRow(
                    entity=_value(ctx, run, f"layer.entity#{n}"),
                    jurisdiction=_value(ctx, run, f"layer.country#{n}"),
                    holder=_value(ctx, run, f"layer.holder#{n}"),
                    percent=_value(ctx, run, f"layer.percent#{n}"),
                )
            )
    return tuple(rows)


_CHART_WIDTH: Final = 500.0
_BOX_HEIGHT: Final = 34.0
_ROW_GAP: Final = 46.0
_CHARS_PER_POINT: Final = 1 / 4.3
"""About how many characters of 7.5-unit DejaVu Sans fit in one unit of width."""


def _fit(text: str, width: float) -> str:
    room = max(4, int(width * _CHARS_PER_POINT) - 1)
    return text if len(text) <= room else text[: room - 1] + "…"


def _chart(run_key: str, structure: Structure) -> OwnershipChart:
    """The structure drawn as rows: ultimate holders at the top, the client entity at the
    bottom, each holding a line labelled with its percentage."""
    levels = structure.levels
    deepest = max(levels.values(), default=0)
    rows: dict[int, list[str]] = defaultdict(list)
    for key in levels:
        rows[levels[key]].append(key)
    tops = {name_key(t) for t in structure.tops}
    boxes: dict[str, ChartBox] = {}
    for level, keys in rows.items():
        keys.sort()
        width = min(160.0, (_CHART_WIDTH - 10 * (len(keys) - 1)) / len(keys))
        span = width * len(keys) + 10 * (len(keys) - 1)
        left = (_CHART_WIDTH - span) / 2
        y = (deepest - level) * (_BOX_HEIGHT + _ROW_GAP) + 4
        for n, key in enumerate(keys):
            held = any(name_key(h.entity) == key for h in structure.holdings)
            boxes[key] = ChartBox(
                x=round(left + n * (width + 10), 1),
                y=round(y, 1),
                width=round(width, 1),
                height=_BOX_HEIGHT,
                label=_fit(structure.names[key], width),
                kind="top" if key in tops else ("entity" if held else "owner"),
            )
    lines = []
    for holding in structure.holdings:
        upper = boxes.get(name_key(holding.holder))
        lower = boxes.get(name_key(holding.entity))
        if upper is None or lower is None:
            continue
        x1, y1 = upper.x + upper.width / 2, upper.y + upper.height
        x2, y2 = lower.x + lower.width / 2, lower.y
        # A holding that skips a level passes behind the boxes between: its label goes in the
        # last gap, above the entity it holds, where nothing covers it.
        spans = max(1, round((y2 - y1 + _ROW_GAP) / (_BOX_HEIGHT + _ROW_GAP)))
        t = 1 - 0.5 / spans
        lines.append(
            ChartLine(
                x1=round(x1, 1),
                y1=round(y1, 1),
                x2=round(x2, 1),
                y2=round(y2, 1),
                label=percent_text(holding.percent) if holding.percent is not None else "?%",
                label_x=round(x1 + (x2 - x1) * t + 3, 1),
                label_y=round(y1 + (y2 - y1) * t + 3, 1),
            )
        )
    shares = tuple(
        ShareRow(
            holder=share.holder,
            entity=share.entity,
            computed=percent_text(share.percent),
            typed=percent_text(share.typed) if share.typed is not None else "not typed",
            standing=("Beneficial owner (over 25%)" if share.over_threshold else "25% or less")
            + ("; DIFFERS FROM THE TYPED HOLDING" if share.mismatch else ""),
            chains=tuple(" → ".join(chain) for chain in share.chains),
            wanting=share.mismatch,
        )
        for share in structure.shares
    )
    return OwnershipChart(
        run=run_key,
        width=_CHART_WIDTH,
        height=(deepest + 1) * (_BOX_HEIGHT + _ROW_GAP) - _ROW_GAP + 8,
        boxes=tuple(boxes.values()),
        lines=tuple(lines),
        shares=shares,
        problems=structure.problems,
    )


# -- part 3


def _document_number(item: Evidence) -> str | None:
    # Printed only through `mask_number`: the audit file never shows the whole number.
    return item.document_number


def _document_row(ctx: _Context, item: Evidence) -> DocumentRow:
    claims = [ctx.claims.get((item.target(), kind)) for kind in ("verified", "received")]
    flagged = [c for c in claims if c is not None and c.backdated]
    return DocumentRow(
        entered=(moment(item.added_at) if any(c is not None and c.differs for c in claims) else ""),
        backdated=bool(flagged),
        attachment=ctx.attachments[item.sha256],
        document_type=words(item.document_type),
        party=ctx.party(item.party_id),
        issuer=item.issuer or "—",
        number=mask_number(_document_number(item)),
        document_date=day(item.document_date),
        expiry=day(item.expiry),
        method=item.method or "—",
        verified_by=ctx.person(item.verified_by),
        verified_at=moment(item.verified_at) if item.verified_at else "NOT VERIFIED",
        received_at=moment(item.received_at),
        note=item.note or "",
    )


# -- part 4


def _timing(ctx: _Context) -> Timing:
    """Part 4 prints the read model's reg 30 timing (`domain.timing`), with the events, the
    other checks (payers, donors, registers, funds) and the screening runs: each at the time
    claimed, with when it was entered where that differs."""
    timing = ctx.inputs.view.timing
    rows: list[tuple[datetime, int, TimingRow]] = []
    for record in ctx.records.events:
        entered, flag = _entry(ctx.claims.get((record.target(), "event")))
        rows.append(
            (
                sortable(record.at),
                0,
                TimingRow(
                    at=moment(record.at).removesuffix(" UTC"),
                    kind="event",
                    what=record.event.label,
                    party="—",
                    status=f"recorded by {ctx.person(record.recorded_by)}",
                    late=False,
                    justification="",
                    gate_exception=(
                        f"{record.gate_exception} (gate closed: {'; '.join(record.blocked_by)})"
                        if record.gate_exception is not None
                        else ""
                    ),
                    entered=entered,
                    entered_flag=flag,
                ),
            )
        )
    for item in timing.unverified:
        entered, flag = _entry(ctx.claims.get((item.target(), "received")))
        rows.append(
            (
                sortable(item.received_at),
                1,
                TimingRow(
                    at=moment(item.received_at).removesuffix(" UTC"),
                    kind="received, not verified",
                    what=_evidence_words(ctx, item),
                    party=ctx.party(item.party_id),
                    status="NOT VERIFIED",
                    late=True,
                    justification="",
                    entered=entered,
                    entered_flag=flag,
                ),
            )
        )
    for verification in timing.verifications:
        rows.append((sortable(verification.at), 1, _verification_row(ctx, verification)))
    timed = {v.evidence.id for v in timing.verifications if v.evidence is not None}
    timed.update(e.id for e in timing.unverified)
    for item in ctx.records.evidence:
        # Every other check, verified: a payer's or donor's ID, a register excerpt, a bank
        # statement. Not reg 30 identity verification, but part of the timeline an inspector
        # reads (when was the payer checked against when the money came in?).
        if item.id in timed or item.verified_at is None:
            continue
        entered, flag = _entry(ctx.claims.get((item.target(), "verified")))
        rows.append(
            (
                sortable(item.verified_at),
                1,
                TimingRow(
                    at=moment(item.verified_at).removesuffix(" UTC"),
                    kind="check",
                    what=_evidence_words(ctx, item),
                    party=ctx.party(item.party_id),
                    status=f"verified by {ctx.person(item.verified_by)} (not timed by reg 30)",
                    late=False,
                    justification="",
                    entered=entered,
                    entered_flag=flag,
                ),
            )
        )
    for screening in ctx.records.screenings:
        hits = len(screening.hits)
        rows.append(
            (
                sortable(screening.screened_at),
                1,
                TimingRow(
                    at=moment(screening.screened_at).removesuffix(" UTC"),
                    kind="screening",
                    what=f"{hits} hit{'s' if hits != 1 else ''} (part 5)",
                    party=ctx.party(screening.party_id),
                    status=f"run by {ctx.person(screening.screened_by)}",
                    late=False,
                    justification="",
                ),
            )
        )
    rows.sort(key=lambda r: (r[0], r[1]))
    start = timing.start
    return Timing(
        relationship_start=moment(start.at) if start.at else "NOT RECORDED",
        relationship_start_basis=start.basis,
        late_count=timing.late_count,
        unjustified_count=timing.unjustified_count,
        unverified_count=len(timing.unverified),
        rows=tuple(r[2] for r in rows),
        basis=timing.basis,
        entered_late_count=timing.entered_late_count,
        backdated_count=len(timing.backdated),
        start_entered=(
            moment(start.entered)
            if start.at is not None
            and start.entered is not None
            and moment(start.entered) != moment(start.at)
            else ""
        ),
    )


def _entry(claim: ClaimedTime | None) -> tuple[str, str]:
    """(when entered, what that shows) for a row claimed at one time: both empty when it was
    entered at the moment claimed."""
    if claim is None or not claim.differs:
        return "", ""
    flag = (
        f"BACK-DATED: entered {claim.lag_days} days after the time claimed"
        if claim.backdated
        else ""
    )
    return f"entered {moment(claim.entered).removesuffix(' UTC')}", flag


def _evidence_words(ctx: _Context, item: Evidence) -> str:
    return f"{words(item.document_type)} ({ctx.attachments[item.sha256]})"


def _verification_row(ctx: _Context, verification: Verification) -> TimingRow:
    at = verification.at
    shown = moment(at).removesuffix(" UTC") if isinstance(at, datetime) else day(at)
    if verification.evidence is not None:
        what = _evidence_words(ctx, verification.evidence)
        party = ctx.party(verification.evidence.party_id)
    else:
        run = verification.run
        what = f"identity verification completed, as answered in {run.key if run else '?'}"
        party = ctx.subject(run) if run else "—"
    days = verification.late_days
    if ctx.inputs.view.timing.start.at is None:
        status = "relationship start not recorded"
    elif days is None:
        status = "before the relationship began"
    elif days == 0:
        status = "LATE: after the relationship began"
    else:
        status = f"LATE: {days} day{'s' if days != 1 else ''} after the relationship began"
    reason = "; ".join(
        f"{a.value} — {ctx.person(a.answered_by)}, {moment(a.answered_at)}"
        for a in verification.justifications
    )
    entered, flag = _entry(verification.claim)
    if verification.entered_late:
        entered_days = verification.entered_late_days
        after = (
            "the same day"
            if entered_days == 0
            else f"{entered_days} day{'s' if entered_days != 1 else ''}"
        )
        late_entry = f"ENTERED AFTER THE RELATIONSHIP BEGAN ({after}): on time only as claimed"
        flag = f"{flag}; {late_entry}" if flag else late_entry
    return TimingRow(
        at=shown,
        kind="verification",
        what=what,
        party=party,
        status=status,
        late=verification.late,
        justification=reason
        or ("NO REG 30(3) JUSTIFICATION RECORDED" if verification.late else ""),
        entered=entered,
        entered_flag=flag,
    )


# -- part 5


def _screenings(ctx: _Context) -> tuple[ScreeningRow, ...]:
    records = ctx.records
    latest = ctx.inputs.view.latest_screenings
    rows = []

    def label(party_id: str) -> str:
        found = ctx.parties_by_id.get(party_id)
        return found.label if found else party_id

    # Printed in a stable order (party label, time, id), not the store's.
    for screening in sorted(
        records.screenings, key=lambda s: (label(s.party_id), s.screened_at, s.id)
    ):
        rows.append(
            ScreeningRow(
                party=ctx.party(screening.party_id),
                at=moment(screening.screened_at),
                by=ctx.person(screening.screened_by),
                reason=screening.reason,
                latest=screening.id in latest,
                query="; ".join(f"{k}: {v}" for k, v in sorted(screening.query.items()) if v),
                lists=tuple(_snapshot_words(ctx, sid) for sid in screening.snapshot_ids),
                algorithm=screening.algorithm_version,
                hits=tuple(
                    _hit_row(ctx, screening, h)
                    for h in sorted(screening.hits, key=lambda h: (-h.score, h.list_kind, h.key))
                ),
            )
        )
    return tuple(rows)


def _snapshot_words(ctx: _Context, snapshot_id: str) -> str:
    snapshot = ctx.inputs.snapshots.get(snapshot_id)
    if snapshot is None:
        return f"list snapshot {snapshot_id} (no longer stored)"
    published = f"published {day(snapshot.published)}" if snapshot.published else "no date"
    return (
        f"{snapshot.list_kind.value} list {snapshot.source} ({published}; imported "
        f"{moment(snapshot.imported_at)}; SHA-256 {snapshot.sha256[:16]}…)"
    )


def _hit_row(ctx: _Context, screening: Screening, hit: ScreeningHit) -> HitRow:
    # The hit's standing is the read model's (`disposition_for` / `hit_status`): a false
    # positive stands only while the list entry is unchanged, so a re-raised hit prints open.
    state = ctx.inputs.view.hits[hit.id]
    decided = state.disposition
    if decided is not None:
        disposition = (
            f"{_OUTCOME_WORDS.get(decided.outcome, words(decided.outcome.value))}: "
            f"{decided.reason.label} — {decided.note}"
        )
        if decided.screening_id != screening.id and decided.outcome is Outcome.FALSE_POSITIVE:
            disposition = (
                f"dismissed earlier as a false positive (list entry unchanged): {disposition}"
            )
        reviewer = f"{ctx.person(decided.decided_by)}, {moment(decided.decided_at)}"
    elif state.open:
        disposition = "NO DISPOSITION RECORDED"
        reviewer = "—"
    else:
        disposition = "below the review threshold"
        reviewer = "—"
    return HitRow(
        list_kind=_LIST_WORDS.get(hit.list_kind.value, words(hit.list_kind.value)),
        entry=hit.key,
        primary_name=hit.primary_name,
        matched_name=hit.matched_name,
        score=f"{hit.score:.3f}",
        band=band_words(hit.band),
        explanation=explain(hit.explanation),
        disposition=disposition,
        reviewer=reviewer,
        open=state.open,
    )


def explain(text: str) -> str:
    """The screening engine's explanation (JSON) as one readable paragraph."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return text[:1000]
    if not isinstance(data, dict):
        return str(data)[:1000]
    parts = []
    if data.get("matched_name"):
        kind = data.get("matched_name_type")
        parts.append(f"matched {data['matched_name']}" + (f" ({kind})" if kind else ""))
    if data.get("query_variant"):
        parts.append(f"query form {data['query_variant']}")
    if "name_score" in data:
        parts.append(f"name score {float(data['name_score']):.3f}")
    for qualifier in data.get("qualifiers") or ():
        if isinstance(qualifier, dict):
            parts.append(
                f"{qualifier.get('feature')}: {qualifier.get('query')} vs "
                f"{qualifier.get('candidate')} ({float(qualifier.get('effect') or 0):+.2f}"
                + (f", {qualifier['detail']}" if qualifier.get("detail") else "")
                + ")"
            )
    for side in ("unmatched_query", "unmatched_candidate"):
        if data.get(side):
            parts.append(f"{side.replace('_', ' ')}: {', '.join(map(str, data[side]))}")
    if data.get("legal_forms"):
        parts.append(f"legal forms: {data['legal_forms']}")
    if "final_score" in data:
        parts.append(
            f"final {float(data['final_score']):.3f}, {band_words(str(data.get('band')))}"
            + (
                f" (review from {float(data['review_threshold']):.2f})"
                if "review_threshold" in data
                else ""
            )
        )
    return "; ".join(parts) or text[:1000]


# -- part 6


def _cause(cause: Cause) -> str:
    return cause.describe()


def _risk(ctx: _Context, blocks: tuple[ChecklistBlock, ...]) -> RiskAssessment:
    evaluation = ctx.inputs.view.evaluation
    review = ctx.inputs.view.review
    today = ctx.inputs.generated_at.astimezone(UTC).date()
    if review.reasons:
        next_review = "DUE NOW: " + "; ".join(review.reasons) + " since the rating was chosen"
        review_wanting = True
    elif review.next_review is None:
        next_review, review_wanting = "Not set: no rating chosen yet", False
    elif review.overdue(today):
        next_review, review_wanting = f"OVERDUE: was due {day(review.next_review)}", True
    else:
        next_review, review_wanting = day(review.next_review), False
    return RiskAssessment(
        score=evaluation.score,
        computed_rating=evaluation.computed_rating.value.capitalize(),
        minimum_rating=evaluation.minimum_rating.value.capitalize(),
        contributions=tuple(
            CauseLine(effect=f"+{c.points}", reason=c.reason, cause=_cause(c.cause))
            for c in evaluation.contributions
        ),
        floors=tuple(
            CauseLine(
                effect=f"at least {f.rating.value.capitalize()}",
                reason=f.reason,
                cause=_cause(f.cause),
            )
            for f in evaluation.floors
        ),
        triggers=tuple(
            CauseLine(effect="High (EDD)", reason=t.reason, cause=_cause(t.cause))
            for t in evaluation.triggers
        ),
        ratings=tuple(
            RatingLine(
                checklist=r.run_id,
                chosen=r.chosen.value.capitalize(),
                minimum=r.minimum.value.capitalize(),
                standing=("Stands" if r.acceptable else "REFUSED")
                + f": {r.message}"
                + (f". Rationale: {r.override.rationale}" if r.override is not None else ""),
            )
            for r in evaluation.ratings
        ),
        blocks=blocks,
        next_review=next_review,
        review_wanting=review_wanting,
        monitoring=tuple(
            MonitoringRow(
                at=moment(entry.at),
                what=entry.kind.capitalize(),
                subject=(
                    ctx.party(entry.subject)
                    if entry.subject in ctx.parties_by_id
                    else f"checklist {entry.subject}"
                ),
                by=ctx.person(entry.by),
                outcome=entry.outcome,
                wanting=entry.wanting,
            )
            for entry in ctx.inputs.view.monitoring
        ),
    )


# -- part 8


def _approval_row(ctx: _Context, approval: Approval) -> ApprovalRow:
    person = ctx.people.get(approval.approver)
    training = f"trained {day(person.trained_on)}" if person and person.trained_on else "no record"
    superseded = approval.id in ctx.inputs.view.superseded
    return ApprovalRow(
        approver=ctx.person(approval.approver),
        role=approval.role.label,
        training=training,
        decision=approval.decision.capitalize(),
        conditions=approval.conditions or "—",
        given_at=moment(approval.given_at),
        state_sha256=approval.state_sha256,
        standing=(
            "SUPERSEDED: changed since it was given: "
            + (
                "; ".join(
                    f"{c.what} — {ctx.person(c.by) + ', ' if c.by else ''}{moment(c.at)}"
                    for c in ctx.inputs.view.changes.get(approval.id, ())
                )
                or "the record it relied on"
            )
            if superseded
            else "Current"
        ),
        superseded=superseded,
        account=ctx.accounts.get(approval.target(), "not recorded"),
        relied_on=_relied_on(ctx, approval),
        incomplete=(
            f"{'; '.join(approval.incomplete)}. MLRO's reason: {approval.incomplete_reason}"
            if approval.incomplete_reason is not None
            else ""
        ),
    )


# -- part 9


def _decision_answers(ctx: _Context) -> tuple[str, str, str, str]:
    """(outcome, neutral reason code, its label, conditions) from the decision questions."""
    outcome = "No decision recorded"
    code = label = conditions = "—"
    for run in ctx.records.runs:
        checklist = ctx.checklist(run)
        current = ctx.current(run, "decision.outcome")
        if current is not None:
            question = checklist.question("decision.outcome") if checklist else None
            outcome = ctx.show(current.value, question)
        reason = ctx.current(run, "decision.decline_reason")
        if reason is not None and isinstance(reason.value, str):
            question = checklist.question("decision.decline_reason") if checklist else None
            code = reason.value
            label = ctx.show(reason.value, question)
        given = ctx.current(run, "decision.conditions")
        if given is not None:
            conditions = ctx.show(given.value, None)
    return outcome, code, label, conditions


def _decision(ctx: _Context, blocks: tuple[ChecklistBlock, ...]) -> DecisionPart:
    outcome, code, label, conditions = _decision_answers(ctx)
    gates = []
    for state in ctx.inputs.view.evaluation.gates:
        gates.append(
            GateRow(
                gate=state.gate.value,
                title=ctx.inputs.view.gate_title(state.gate),
                state="Open" if state.open else "Closed",
                reasons=_gate_summary(ctx, state) or "—",
                lines=_gate_lines(ctx, state),
                earlier=_earlier_closed(ctx, state),
            )
        )
    return DecisionPart(
        outcome=outcome,
        reason_code=code,
        reason_label=label,
        conditions=conditions,
        gates=tuple(gates),
        blocks=blocks,
        sign_off=_sign_off(ctx),
    )


# -- part 10


def _manifest(ctx: _Context) -> tuple[ManifestRow, ...]:
    return tuple(
        ManifestRow(
            attachment=ctx.attachments[e.sha256],
            evidence_id=e.id,
            original_name=e.original_name,
            document_type=words(e.document_type),
            media_type=ctx.inputs.media_types.get(e.sha256, e.media_type),
            size=e.size,
            size_text=size_text(e.size),
            sha256=e.sha256,
        )
        for e in ctx.records.evidence
    )


# -- part 11


def _trail(ctx: _Context) -> tuple[TrailRow, ...]:
    what = _target_words(ctx)
    return tuple(
        TrailRow(
            entry=number,
            at=moment(e.at).removesuffix(" UTC"),
            actor=ctx.name(e.actor),
            role=e.role.replace("_", " "),
            action=e.action,
            what=what.get(e.target, e.target),
            sha256=e.sha256,
            account=e.os_user,
        )
        for number, e in enumerate(ctx.inputs.events, 1)
    )


def _target_words(ctx: _Context) -> dict[str, str]:
    records = ctx.records
    words = {records.case.target(): f"matter {records.case.reference}"}
    for party in records.parties:
        words[party.target()] = f"party {party.label} ({party.name})"
    for run in records.runs:
        words[run.target()] = f"checklist {run.key} v{run.checklist_version}"
    for answer in records.answers:
        owner = ctx.runs_by_id.get(answer.run_id)
        words[answer.target()] = f"answer {answer.question_key} v{answer.number}" + (
            f" · {owner.key}" if owner else ""
        )
    for event in records.events:
        words[event.target()] = f"event {event.event.value}"
    for item in records.evidence:
        words[item.target()] = f"evidence {ctx.attachments[item.sha256]}"
    for approval in records.approvals:
        words[approval.target()] = f"approval ({approval.role.label})"
    for request in records.approval_requests:
        roles = ", ".join(role.label for role in request.roles)
        words[request.target()] = f"approval request ({roles})"
    for override in records.overrides:
        words[override.target()] = f"rating override ({override.rating.value})"
    for screening in records.screenings:
        words[screening.target()] = f"screening of {ctx.party(screening.party_id)}"
    for hold in ctx.inputs.holds:
        words[hold.target()] = f"legal hold ({hold.ground.value.replace('_', ' ')})"
    for decided in records.dispositions:
        words[decided.target()] = f"screening decision for {ctx.party(decided.party_id)}"
    return words


# -- part 12


def _retention(ctx: _Context) -> Retention:
    records = ctx.records
    start, until = ctx.inputs.view.retention_started, ctx.inputs.view.retention_until
    if start is None:
        basis = (
            "not started: the clock starts when the relationship ends, or at completion of an "
            "occasional transaction once the matter is closed"
        )
    elif any(e.event is MatterEvent.RELATIONSHIP_ENDED for e in records.events):
        basis = "the business relationship ended"
    else:
        basis = "the transaction completed and the matter is closed"
    holds = []
    for hold in ctx.inputs.holds:
        words = (
            f"{hold.ground.value.replace('_', ' ')} — placed {moment(hold.placed_at)} by "
            f"{ctx.person(hold.placed_by)}" + (f" ({hold.note})" if hold.note else "")
        )
        if hold.in_force:
            holds.append(f"IN FORCE: {words}")
        else:
            holds.append(
                f"released {moment(hold.released_at)} by {ctx.person(hold.released_by)}: {words}"
            )
    return Retention(
        starts=day(start) if start else "not started",
        basis=basis,
        until=day(until),
        hold="; ".join(holds) or "None recorded",
    )


def manifest_data(
    audit: AuditFile, sizes: Sequence[ManifestRow] | None = None
) -> dict[str, object]:
    """The JSON manifest attached to the PDF: one entry per evidence record."""
    rows = audit.manifest if sizes is None else sizes
    return {
        "format": FORMAT,
        "matter": audit.cover.matter_reference,
        "generated_at": audit.generated_at_iso,
        "chain_head": audit.cover.chain_head,
        "state_sha256": audit.cover.state_sha256,
        "files": [
            {
                "attachment": r.attachment,
                "evidence_id": r.evidence_id,
                "original_name": r.original_name,
                "document_type": r.document_type,
                "media_type": r.media_type,
                "size": r.size,
                "sha256": r.sha256,
            }
            for r in rows
        ],
    }


# ----------------------------------------------------------------------------------------------
# Issue 15: the file's true state first, every shortfall listed, codes in words


_ACRONYMS: Final = {
    "psc": "PSC",
    "pep": "PEP",
    "id": "ID",
    "uk": "UK",
    "roe": "ROE",
    "aml": "AML",
    "mrz": "MRZ",
    "sow": "SoW",
    "sof": "SoF",
    "cdd": "CDD",
    "edd": "EDD",
    "mlro": "MLRO",
}

_BAND_WORDS: Final = {
    "no_alert": "below the review threshold",
    "review": "to review",
    "strong": "strong match",
}

_LIST_WORDS: Final = {"pep": "PEP list", "sanctions": "Sanctions list"}

_OUTCOME_WORDS: Final = {Outcome.TRUE_MATCH: "True match", Outcome.FALSE_POSITIVE: "False positive"}

NEUTRAL_HOLD: Final = "compliance hold"
"""How anything that could tip off (a referral to the MLRO, a suspicion, a hold) is printed (R8)."""

NEUTRAL_MLRO: Final = "compliance review by the MLRO"
"""How an MLRO decision outstanding is printed: never what it is about (R8)."""


def words(code: str) -> str:
    """A code as words: "psc_register_excerpt" -> "PSC register excerpt"."""
    parts = [_ACRONYMS.get(w.lower(), w.lower()) for w in code.replace("-", "_").split("_") if w]
    if not parts:
        return code
    text = " ".join(parts)
    return text[0].upper() + text[1:]


def band_words(band: str) -> str:
    """A screening score band as words."""
    return _BAND_WORDS.get(band, words(band))


def _same_rule(a: Cause, b: Cause) -> bool:
    return (a.run_id, a.question_id, a.entry, a.answers) == (
        b.run_id,
        b.question_id,
        b.entry,
        b.answers,
    )


def _tips_off(ctx: _Context, cause: Cause | None) -> bool:
    """True when the rule that produced something also refers the matter to the MLRO: saying
    why would reveal the referral."""
    if cause is None:
        return False
    return any(_same_rule(cause, flag.cause) for flag in ctx.inputs.view.evaluation.referrals)


def _neutral(ctx: _Context, text: str, cause: Cause | None, *, mlro: bool = False) -> str:
    """`text`, unless printing it could tip off: then the neutral words."""
    if mlro:
        return NEUTRAL_MLRO
    return NEUTRAL_HOLD if _tips_off(ctx, cause) else text


def _gate_reason_words(ctx: _Context, reason: GateReason) -> str:
    """One reason a gate is closed, as printed: the real reason unless it could tip off."""
    if reason.kind == "funds_held":
        return NEUTRAL_HOLD
    if reason.kind == "referral":
        # Open or declined, a referral's subject could tip off: never printed (R8).
        return NEUTRAL_HOLD
    if reason.kind == "approval":
        mlro = reason.message.startswith(f"Awaiting {Role.MLRO.label} ")
        if mlro:
            return f"Awaiting {Role.MLRO.label} approval: {NEUTRAL_MLRO}"
    return _neutral(ctx, reason.message, reason.cause)


def _gate_lines(ctx: _Context, gate: GateState) -> tuple[str, ...]:
    """What keeps one gate closed, its own reasons only (a later gate also waits for the earlier
    ones): missing answers counted (part 9 lists them), every other reason in words, once."""
    own = [r for r in gate.reasons if r.gate is gate.gate]
    lines: list[str] = []
    unanswered = sum(1 for r in own if r.kind == "unanswered")
    if unanswered:
        lines.append(
            f"{unanswered} required answer{'s' if unanswered != 1 else ''} missing or too short "
            "(listed below)"
        )
    for reason in own:
        if reason.kind != "unanswered":
            line = _gate_reason_words(ctx, reason)
            if line not in lines:
                lines.append(line)
    return tuple(lines)


_CLAIM_WORDS: Final = {
    ClaimStanding.BACKED: "Backed",
    ClaimStanding.NO_RECORD: "NO RECORD",
    ClaimStanding.CONFLICT: "CONFLICT",
    ClaimStanding.PLANNED: "Planned",
}


def _claim_standing(ctx: _Context, claim: Claim) -> ClaimStanding:
    """A claim's standing on the day the file was made (a planned date may have passed)."""
    return claim.standing_on(ctx.inputs.generated_at.astimezone(UTC).date())


def _claims(ctx: _Context) -> tuple[ClaimRow, ...]:
    """The read model's claims (`domain.claims`), each beside its records, in words."""
    rows = []
    described = _record_descriptions(ctx)
    for claim in ctx.inputs.view.claims:
        run = ctx.runs_by_id.get(claim.run_id)
        if run is None:
            continue
        checklist = ctx.checklist(run)
        question = checklist.question(claim.question_key.partition("#")[0]) if checklist else None
        answer = claim.answer
        standing = _claim_standing(ctx, claim)
        finding = claim.finding
        if standing is not claim.standing:
            finding = f"the day given ({day(claim.due)}) has passed with no record"
        rows.append(
            ClaimRow(
                checklist=f"{checklist.title if checklist else run.checklist_id} ({run.key})",
                question=ctx.asked(answer, question),
                key=claim.question_key,
                answer=(
                    f"{ctx.show(answer.value, question)} — v{answer.number}, "
                    f"{ctx.person(answer.answered_by)}, {moment(answer.answered_at)}"
                ),
                standing=_CLAIM_WORDS[standing],
                finding=finding,
                records=tuple(described.get(t, t) for t in claim.records),
                wanting=standing in (ClaimStanding.NO_RECORD, ClaimStanding.CONFLICT),
            )
        )
    # What an inspector must see first: conflicts, then claims nothing backs, then the rest.
    rank = {"CONFLICT": 0, "NO RECORD": 1}
    return tuple(sorted(rows, key=lambda r: rank.get(r.standing, 2)))


def _record_descriptions(ctx: _Context) -> dict[str, str]:
    """The records a claim may be set beside, by audit target, in words with their times."""
    found: dict[str, str] = {}
    for item in ctx.records.evidence:
        verified = (
            f"verified {moment(item.verified_at)} by {ctx.person(item.verified_by)}"
            + (f" ({item.method})" if item.method else "")
            if item.verified_at is not None
            else "NOT VERIFIED"
        )
        found[item.target()] = (
            f"{_evidence_words(ctx, item)}, {ctx.party(item.party_id)}: {verified}"
        )
    for screening in ctx.records.screenings:
        hits = len(screening.hits)
        found[screening.target()] = (
            f"Screening of {ctx.party(screening.party_id)} {moment(screening.screened_at)}: "
            f"{hits} hit{'s' if hits != 1 else ''} (part 5)"
        )
    for receipt in ctx.records.receipts:
        found[receipt.target()] = (
            f"Receipt of {money_text(receipt.amount, receipt.currency)} on "
            f"{day(receipt.received_on)} from {receipt.remitter} (part 7)"
        )
    return found


def _missing(ctx: _Context) -> tuple[MissingRow, ...]:
    rows = []
    for item in ctx.inputs.view.evaluation.missing:
        run = ctx.runs_by_key.get(item.run_id)
        checklist = ctx.checklist(run) if run else None
        title = checklist.title if checklist else item.checklist_id
        rows.append(
            MissingRow(
                checklist=f"{title} ({run.key}, about {ctx.subject(run)})" if run else title,
                question=item.text,
                key=item.question_id,
                detail=item.detail,
                gate=item.gate.value,
            )
        )
    return tuple(rows)


def _edd_outstanding(ctx: _Context) -> tuple[str, ...]:
    """Child checklists the rules still ask for. When a run of the same checklist exists about
    someone else, say so: "not started" above its printed records would not be true."""
    lines = []
    for spawn in ctx.inputs.view.evaluation.spawns:
        if spawn.run_id is not None:
            continue
        checklist = ctx.inputs.library.get(spawn.checklist_id)
        title = checklist.title if checklist else spawn.checklist_id
        who = "the client" if spawn.subject == "client" else ctx.party(spawn.subject)
        line = f"{title} about {who} (before {spawn.gate.value}): {spawn.reason}"
        others = [r for r in ctx.records.runs if r.checklist_id == spawn.checklist_id]
        if others:
            held = ", ".join(f"{r.key} about {ctx.subject(r)}" for r in others)
            line += (
                f". A run of this checklist is held ({held}, printed below) but the rule asks "
                f"for one about {who}"
            )
        else:
            line += ". No run of this checklist has been started"
        lines.append(line)
    return tuple(lines)


def _documents(ctx: _Context, items: Iterable[Evidence]) -> tuple[DocumentRow, ...]:
    """Documents as printed: one row per file, a file filed under several questions once, with
    where else it is filed."""
    rows: list[DocumentRow] = []
    at: dict[str, int] = {}
    for item in items:
        if item.sha256 in at:
            index = at[item.sha256]
            also = f"Same file also filed under {_filed_under(ctx, item)}"
            note = rows[index].note
            rows[index] = replace(rows[index], note=f"{note}; {also}" if note else also)
            continue
        at[item.sha256] = len(rows)
        rows.append(_document_row(ctx, item))
    return tuple(rows)


def _filed_under(ctx: _Context, item: Evidence) -> str:
    run = ctx.runs_by_id.get(item.run_id or "")
    where = f"{item.question_key} in {run.key}" if item.question_key and run else "no question"
    return f"{where} ({words(item.document_type)}, {ctx.party(item.party_id)})"


def _manifest_files(ctx: _Context) -> tuple[ManifestFile, ...]:
    grouped: dict[str, list[Evidence]] = {}
    for item in ctx.records.evidence:
        grouped.setdefault(item.sha256, []).append(item)
    return tuple(
        ManifestFile(
            attachment=ctx.attachments[sha],
            original_name=", ".join(dict.fromkeys(e.original_name for e in items)),
            document_types=", ".join(dict.fromkeys(words(e.document_type) for e in items)),
            media_type=ctx.inputs.media_types.get(sha, items[0].media_type),
            size_text=size_text(items[0].size),
            sha256=sha,
            filed_under=tuple(_filed_under(ctx, e) for e in items) if len(items) > 1 else (),
        )
        for sha, items in grouped.items()
    )


def _decision_value(ctx: _Context) -> str | None:
    for run in ctx.records.runs:
        current = ctx.current(run, "decision.outcome")
        if current is not None and isinstance(current.value, str):
            return current.value
    return None


def _scope_words(ctx: _Context) -> str:
    for run in ctx.records.runs:
        current = ctx.current(run, "scope.activity")
        if current is not None:
            checklist = ctx.checklist(run)
            question = checklist.question("scope.activity") if checklist else None
            shown = ctx.show(current.value, question)
            if current.value == "out_of_scope":
                return f"Out of scope of the MLR ({shown})"
            return f"In scope of the MLR: {shown}"
    return "Not recorded"


def _fwra(ctx: _Context) -> str:
    firm = ctx.inputs.firm
    approver = f" by {ctx.person(firm.fwra_approver)}" if firm.fwra_approver else ""
    return (
        f"{firm.fwra_version}, approved {day(firm.fwra_date)}{approver} (the version in force "
        "when this file was made)"
    )


_PRIVACY_GIVEN: Final = ("privacy.notice",)
_PRIVACY_DATE: Final = ("privacy.notice_date", "notice.reg41_given_on")
_PRIVACY_VERSION: Final = ("privacy.notice_version", "notice.reg41_version")
"""The reg 41 notice as answered: a solicitor's and an estate agent's questions."""


def _privacy_words(ctx: _Context) -> str:
    def first(keys: tuple[str, ...]) -> AnswerVersion | None:
        for run in ctx.records.runs:
            for key in keys:
                found = ctx.current(run, key)
                if found is not None:
                    return found
        return None

    given, date_given, version = (
        first(_PRIVACY_GIVEN),
        first(_PRIVACY_DATE),
        first(_PRIVACY_VERSION),
    )
    if given is None and date_given is None:
        return "Not recorded"
    text = f"Given: {display_answer(given.value, None)}" if given is not None else "Given"
    if date_given is not None:
        text += f", on {display_answer(date_given.value, None)}"
    if version is not None:
        return text + f"; version {display_answer(version.value, None)}"
    return text + " (the notice's version is not recorded)"


def _standing(
    ctx: _Context, timing: Timing, screenings: tuple[ScreeningRow, ...]
) -> tuple[StandingLine, ...]:
    """The cover's first box: complete or not, gates, approvals, decision, exceptions, integrity."""
    evaluation = ctx.inputs.view.evaluation
    lines: list[StandingLine] = []

    missing = len(evaluation.missing)
    not_started = [s for s in evaluation.spawns if s.run_id is None]
    gaps = []
    if missing:
        gaps.append(
            f"{missing} required answer{'s' if missing != 1 else ''} missing or too short "
            "(each listed in part 9)"
        )
    if not_started:
        gaps.append(
            f"{len(not_started)} required checklist{'s' if len(not_started) != 1 else ''} "
            "not started (part 7)"
        )
    lines.append(
        StandingLine(
            "File complete",
            "NO: " + "; ".join(gaps)
            if gaps
            else "Yes: every required answer given and every required checklist started",
            bool(gaps),
        )
    )

    closed = [g for g in evaluation.gates if not g.open]
    if not closed:
        lines.append(StandingLine("Gates", "All open (G1 to G4)", False))
    else:
        first = closed[0]
        reasons = _gate_summary(ctx, first)
        later = [g.gate.value for g in closed[1:]]
        tail = f". {', '.join(later)} closed with it" if later else ""
        opened = [g.gate.value for g in evaluation.gates if g.open]
        head = f"Open: {', '.join(opened)}. " if opened else ""
        lines.append(
            StandingLine(
                "Gates",
                f"{head}BLOCKED at {first.gate.value} ({ctx.inputs.view.gate_title(first.gate)}): "
                f"{reasons}{tail} "
                "(part 9)",
                True,
            )
        )

    needs = evaluation.approvals
    outstanding = [n for n in needs if not n.satisfied]
    superseded = [a for a in ctx.records.approvals if a.id in ctx.inputs.view.superseded]
    if not needs:
        text, wanting = "None required by the checklists", False
    elif outstanding:
        roles = Counter(n.role.label for n in outstanding)
        text = (
            f"{len(outstanding)} of {len(needs)} OUTSTANDING ("
            + ", ".join(f"{role} x{n}" if n > 1 else role for role, n in roles.items())
            + ")"
        )
        wanting = True
    else:
        text = (
            f"All {len(needs)} required approvals given and current"
            if len(needs) > 1
            else "The required approval is given and current"
        )
        wanting = False
    if superseded:
        text += f"; {len(superseded)} given earlier no longer count (the case changed after them)"
    lines.append(StandingLine("Approvals", text + " (part 8)", wanting))

    value = _decision_value(ctx)
    outcome = _decision_answers(ctx)[0]
    if value is None:
        lines.append(StandingLine("Decision", "No decision recorded", True))
    elif value.startswith("accept") and closed and closed[0].gate.rank == 1:
        lines.append(
            StandingLine(
                "Decision",
                f"{outcome}, recorded while G1 (accept instructions) is blocked: the file does "
                "not yet support it",
                True,
            )
        )
    else:
        lines.append(StandingLine("Decision", outcome, False))

    exceptions = []
    if timing.late_count:
        exceptions.append(
            f"{timing.late_count} verification{'s' if timing.late_count != 1 else ''} after the "
            f"relationship began ({timing.unjustified_count} without a reg 30(3) justification)"
        )
    if timing.entered_late_count:
        n = timing.entered_late_count
        exceptions.append(
            f"{n} verification{'s' if n != 1 else ''} claimed before the relationship began but "
            "entered after it (part 4)"
        )
    if timing.backdated_count:
        n = timing.backdated_count
        exceptions.append(
            f"{n} time{'s' if n != 1 else ''} claimed more than {timing.tolerance_days} days "
            "before {} entered: back-dated (part 4)".format("it was" if n == 1 else "they were")
        )
    open_hits = sum(1 for s in screenings if s.latest for h in s.hits if h.open)
    if open_hits:
        exceptions.append(f"{open_hits} screening hit{'s' if open_hits != 1 else ''} undecided")
    if not evaluation.rating_acceptable and evaluation.ratings:
        exceptions.append("the chosen rating is below the minimum allowed")
    exceptions += [
        f"rating override by {ctx.person(o.overridden_by)}" for o in ctx.records.overrides
    ]
    # The MLRO's decisions to go past a closed gate or approve an incomplete file are the first
    # things an inspector asks about: they are named here, not only beside the event.
    exceptions += [
        f"{words(e.event.value)} recorded by {ctx.person(e.recorded_by)} while its gate was "
        "closed (MLRO exception)"
        for e in ctx.records.events
        if e.gate_exception is not None
    ]
    exceptions += [
        f"approved as {a.role.label} by {ctx.person(a.approver)} although the EDD was not complete"
        for a in ctx.records.approvals
        if a.incomplete_reason is not None
    ]
    exceptions += [f"checklist {k} not loaded" for k in ctx.inputs.view.unloaded_checklists]
    exceptions += [
        f"checklist {k} changed since started" for k in ctx.inputs.view.changed_checklists
    ]
    lines.append(
        StandingLine(
            "Exceptions", "; ".join(exceptions) if exceptions else "None", bool(exceptions)
        )
    )

    standings = Counter(_claim_standing(ctx, c) for c in ctx.inputs.view.claims)
    if ctx.inputs.view.claims:
        conflicts, unbacked = standings[ClaimStanding.CONFLICT], standings[ClaimStanding.NO_RECORD]
        said = [
            f"{n} {words_}"
            for n, words_ in (
                (conflicts, "CONFLICT with the records"),
                (unbacked, "with NO RECORD behind them"),
                (standings[ClaimStanding.BACKED], "backed by a record"),
                (standings[ClaimStanding.PLANNED], "planned"),
            )
            if n
        ]
        lines.append(
            StandingLine(
                "Answers vs records",
                f"Of {len(ctx.inputs.view.claims)} answers that restate a record: "
                + ", ".join(said)
                + " (part 9)",
                bool(conflicts or unbacked),
            )
        )

    integrity = ctx.inputs.integrity
    lines.append(
        StandingLine(
            "Integrity",
            integrity if integrity is not None else "Not checked for this file",
            not ctx.inputs.integrity_ok or integrity is None,
        )
    )
    lines.append(StandingLine("MLR scope", _scope_words(ctx), False))
    return tuple(lines)


def _earlier_closed(ctx: _Context, state: GateState) -> str:
    evaluation = ctx.inputs.view.evaluation
    earlier = [g for g in evaluation.gates if g.gate.rank < state.gate.rank and not g.open]
    return f"Waits for {earlier[0].gate.value} as well" if earlier else ""


_SUMMARY_WORDS: Final = {
    "unanswered": ("required answer missing or too short", "required answers missing or too short"),
    "blocked": ("condition not met", "conditions not met"),
    "approval": ("approval outstanding", "approvals outstanding"),
    "checklist_not_started": ("checklist not started", "checklists not started"),
    "rating_refused": ("rating below the minimum allowed", "ratings below the minimum allowed"),
    "cdd_impossible": (
        "CDD could not be completed (reg 31)",
        "CDD could not be completed (reg 31)",
    ),
    "receipt": (
        "receipt that does not reconcile (transaction reconstruction, part 7)",
        "receipt findings that do not reconcile (transaction reconstruction, part 7)",
    ),
}


def _gate_summary(ctx: _Context, gate: GateState) -> str:
    """A gate's own reasons counted by kind, for the cover (part 9 has each in words); anything
    that could tip off is one "compliance hold" however many rules set it."""
    counts: Counter[str] = Counter()
    hold = False
    for reason in gate.reasons:
        if reason.gate is not gate.gate:
            continue
        if _gate_reason_words(ctx, reason) == NEUTRAL_HOLD:
            hold = True
        else:
            counts[reason.kind] += 1
    parts = [f"{n} {_SUMMARY_WORDS[kind][n != 1]}" for kind, n in counts.items()]
    if hold:
        parts.append(NEUTRAL_HOLD)
    return "; ".join(parts)


def _sign_off(ctx: _Context) -> tuple[SignOffRow, ...]:
    """The sign-off page: the rating, every approval or refusal, any MLRO override and the
    decision, each with who, when and the case state it stands on."""
    evaluation = ctx.inputs.view.evaluation
    rows: list[tuple[datetime, SignOffRow]] = []
    for rating in evaluation.ratings:
        run = ctx.runs_by_key.get(rating.run_id)
        answer = ctx.current(run, rating.question_id) if run else None
        if answer is None:
            continue
        rows.append(
            (
                answer.answered_at,
                SignOffRow(
                    what="Rated",
                    who=ctx.person(answer.answered_by),
                    when=moment(answer.answered_at),
                    detail=(
                        f"{rating.chosen.value.capitalize()} (lowest allowed "
                        f"{rating.minimum.value.capitalize()}; "
                        f"{'stands' if rating.acceptable else 'REFUSED'})"
                    ),
                ),
            )
        )
    for override in ctx.records.overrides:
        rows.append(
            (
                override.overridden_at,
                SignOffRow(
                    what="Rating override (MLRO)",
                    who=ctx.person(override.overridden_by),
                    when=moment(override.overridden_at),
                    detail=f"{override.rating.value.capitalize()} accepted below the minimum",
                ),
            )
        )
    for closure in ctx.records.referral_closures:
        # Neutral words whatever the referral was about or what the MLRO weighed (R8): the
        # reasoning is a restricted record.
        rows.append(
            (
                closure.closed_at,
                SignOffRow(
                    what=f"Closed a {NEUTRAL_MLRO}",
                    who=ctx.person(closure.closed_by),
                    when=moment(closure.closed_at),
                    detail=(
                        "the matter may proceed"
                        if closure.outcome == "proceed"
                        else "the firm does not act"
                    ),
                ),
            )
        )
    for approval in ctx.records.approvals:
        superseded = approval.id in ctx.inputs.view.superseded
        rows.append(
            (
                approval.given_at,
                SignOffRow(
                    what=(
                        "Signed off (CDD)"
                        if approval.role is Role.FEE_EARNER
                        else f"{approval.decision.capitalize()} as {approval.role.label}"
                    ),
                    who=ctx.person(approval.approver),
                    when=moment(approval.given_at),
                    detail=(
                        f"on case state {approval.state_sha256[:16]}…: "
                        + ("SUPERSEDED, the case changed after it" if superseded else "current")
                    ),
                ),
            )
        )
    for run in ctx.records.runs:
        answer = ctx.current(run, "decision.outcome")
        if answer is not None:
            rows.append(
                (
                    answer.answered_at,
                    SignOffRow(
                        what="Decided",
                        who=ctx.person(answer.answered_by),
                        when=moment(answer.answered_at),
                        detail=_decision_answers(ctx)[0],
                    ),
                )
            )
    rows.sort(key=lambda item: item[0])
    return tuple(row for _, row in rows)


def _relied_on(ctx: _Context, approval: Approval) -> str:
    """What an approval was given on: the latest request for its role before it (who asked,
    when, with what note) and the case as it stood then (the bound state hash)."""
    asked = [
        r
        for r in ctx.records.approval_requests
        if approval.role in r.roles and r.requested_at <= approval.given_at
    ]
    state = f"the case as it stood at {moment(approval.given_at)}"
    if not asked:
        return f"Given without a request on file, on {state}"
    request = max(asked, key=lambda r: r.requested_at)
    note = f': "{request.note}"' if request.note else ""
    return (
        f"Asked for by {ctx.person(request.requested_by)} on {moment(request.requested_at)}"
        f"{note}; given on {state}"
    )
