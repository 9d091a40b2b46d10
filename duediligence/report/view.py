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
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Final

from duediligence.domain.answers import AnswerValue, display_answer
from duediligence.domain.case import (
    GENESIS,
    AnswerVersion,
    Approval,
    AuditEvent,
    Evidence,
    FirmProfile,
    LegalHold,
    Party,
    PartyRole,
    Person,
    Run,
    clean_display_name,
)
from duediligence.domain.checklist import Checklist, Question, QuestionType, Section
from duediligence.domain.evaluation import Cause
from duediligence.domain.library import ChecklistLibrary
from duediligence.domain.masking import mask_number
from duediligence.domain.monitoring import retention_start, retention_until
from duediligence.domain.screening_records import (
    ALERT_BANDS,
    HitDisposition,
    ListSnapshotRecord,
    Screening,
    ScreeningHit,
    latest_screenings,
)
from duediligence.domain.vocabulary import MatterEvent, Rating
from duediligence.services.casefile import CaseFile, CaseView

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

# Questions whose answer is the date verification was completed, and the justification beside it.
_COMPLETED_SUFFIX: Final = ".completed_on"
_JUSTIFICATION_SUFFIX: Final = ".late_justification"

_EVENT_LABELS: Final = {
    MatterEvent.INSTRUCTED: "Instructed",
    MatterEvent.RELATIONSHIP_ESTABLISHED: "Relationship established / offer accepted",
    MatterEvent.FUNDS_RECEIVED: "Funds received",
    MatterEvent.EXCHANGE: "Exchange",
    MatterEvent.COMPLETION: "Completion",
    MatterEvent.RELATIONSHIP_ENDED: "Relationship ended",
}

# Gate reasons as the audit file words them: counted, never quoted, and holds are only ever a
# "compliance hold" (R8: the file must not reveal internal reports or their outcome).
_GATE_REASON_WORDS: Final = {
    "unanswered": "questions to answer",
    "approval": "approvals outstanding",
    "checklist_not_started": "checklists to start",
    "rating_refused": "rating below the minimum allowed",
    "cdd_impossible": "CDD could not be completed (reg 31)",
    "blocked": "compliance hold",
    "funds_held": "compliance hold",
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


@dataclass(frozen=True)
class Timing:
    """Part 4: verification against the relationship start and the other matter events."""

    relationship_start: str
    relationship_start_basis: str
    late_count: int
    unjustified_count: int
    unverified_count: int
    rows: tuple[TimingRow, ...]


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
    """A gate with its state in neutral words."""

    gate: str
    title: str
    state: str
    reasons: str


@dataclass(frozen=True)
class DecisionPart:
    """Part 9."""

    outcome: str
    reason_code: str
    reason_label: str
    conditions: str
    gates: tuple[GateRow, ...]
    blocks: tuple[ChecklistBlock, ...]


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
class TrailRow:
    """One audit event about this matter (part 11)."""

    seq: int
    at: str
    actor: str
    role: str
    action: str
    what: str
    sha256: str


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
    binding_note: str = ""
    """Said when the firm lets supervising people act without being bound to a computer
    account (a one-person practice): the approvals then prove less about who gave them."""


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
    binding_required: bool = True
    """The firm's setting: supervising people act only once bound to a computer account."""


# ----------------------------------------------------------------------------------------------
# Gathering (public service calls only)


def gather(
    casefile: CaseFile, reference: str, *, generated_by: str, generated_at: datetime | None = None
) -> AuditInputs:
    """Read one case for its audit file through the case-file services.

    The audit trail keeps only events whose target is a record in the `CaseView` (and the case
    itself), so a record type the view leaves out can never appear, even as an action name.
    """
    view = casefile.view(reference)
    firm = casefile.firm()
    if firm is None:  # pragma: no cover - view() already refuses an uninitialised store
        raise RuntimeError("the case file is not initialised")
    people = {p.id: p for p in casefile.people()}
    records = view.records
    targets = _targets(view)
    head = GENESIS
    events: list[AuditEvent] = []
    used = {sid for screening in records.screenings for sid in screening.snapshot_ids}
    with casefile.store.transaction() as tx:
        snapshots = {s.id: s for s in tx.list_snapshots() if s.id in used}
        holds = tuple(tx.holds(records.case.id))
        targets.update(h.target() for h in holds)
        for event in tx.audit_events():
            head = event.sha256
            if event.case_id == records.case.id and event.target in targets:
                events.append(event)
    paths = {e.sha256: str(casefile.blobs.path_of(e.sha256)) for e in records.evidence}
    return AuditInputs(
        view=view,
        firm=firm,
        people=people,
        library=casefile.library,
        events=tuple(events),
        chain_head=head,
        generated_at=generated_at or datetime.now(UTC),
        generated_by=generated_by,
        blob_paths=paths,
        snapshots=snapshots,
        holds=holds,
        binding_required=casefile.policy.require_binding,
    )


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
    cover = _cover(ctx, blocks)
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
        parts=PARTS,
        cover=cover,
        parties=tuple(_party_row(ctx, p) for p in records.parties),
        owners=_owners(ctx),
        layers=_layers(ctx),
        parties_blocks=blocks[2],
        documents=tuple(_document_row(ctx, e) for e in records.evidence),
        identity_blocks=blocks[3],
        timing=_timing(ctx),
        screenings=_screenings(ctx),
        screening_blocks=blocks[5],
        screening_documents=tuple(
            _document_row(ctx, e)
            for e in records.evidence
            if e.question_key and _part_of_key(ctx, e.run_id, e.question_key) == 5
        ),
        risk=_risk(ctx, blocks[6]),
        edd_blocks=blocks[7],
        edd_outstanding=tuple(
            f"{s.checklist_id} for {ctx.party(s.subject) if s.subject != 'client' else 'the client'}"
            f" (before {s.gate.value}): {s.reason}"
            for s in inputs.view.evaluation.spawns
            if s.run_id is None
        ),
        approvals=tuple(_approval_row(ctx, a) for a in records.approvals),
        approval_needs=tuple(
            NeedRow(
                role=n.role.label,
                reason=n.reason,
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
        binding_note=""
        if inputs.binding_required
        else (
            "Firm setting: supervisors, senior managers and the MLRO may approve without being "
            "bound to a computer account (a one-person practice), so an approval names a "
            "person the firm's register does not tie to one account."
        ),
    )


# -- part 1


def _cover(ctx: _Context, blocks: Mapping[int, tuple[ChecklistBlock, ...]]) -> Cover:
    inputs = ctx.inputs
    view = inputs.view
    case = ctx.records.case
    evaluation = view.evaluation
    chosen = [r.chosen for r in evaluation.ratings]
    if chosen:
        final = Rating.highest(chosen).value.capitalize()
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
            )
        )
    firm = inputs.firm
    supervisor = firm.supervisor.value.upper()
    if firm.supervisor_registration:
        supervisor += f", registration {firm.supervisor_registration}"
    warnings = [f"Checklist {k} is not loaded; not evaluated." for k in view.unloaded_checklists]
    warnings += [f"Checklist {k} has changed since it started." for k in view.changed_checklists]
    return Cover(
        firm=firm.name,
        supervisor=supervisor,
        matter_reference=case.reference,
        matter_type=case.matter_type.replace("_", " "),
        firm_role=case.firm_role.value.replace("_", " "),
        acting_for=case.acting_for or "—",
        status=case.status.value,
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
        question=question.text if question else key,
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
    )


# -- part 2


def _party_row(ctx: _Context, party: Party) -> PartyRow:
    return PartyRow(
        label=party.label,
        role=party.role.value.replace("_", " "),
        kind=party.kind.value,
        name=party.name,
        other_names=", ".join(party.other_names) or "—",
        date_of_birth=day(party.date_of_birth),
        nationalities=", ".join(party.nationalities) or "—",
        addresses=party.addresses or ("—",),
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


# -- part 3


def _document_number(item: Evidence) -> str | None:
    # Printed only through `mask_number`: the audit file never shows the whole number.
    return item.document_number


def _document_row(ctx: _Context, item: Evidence) -> DocumentRow:
    return DocumentRow(
        attachment=ctx.attachments[item.sha256],
        document_type=item.document_type.replace("_", " "),
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


def _latest_events(ctx: _Context) -> dict[MatterEvent, datetime]:
    # A later record of the same event corrects an earlier one (as the evaluator reads them).
    found: dict[MatterEvent, datetime] = {}
    for record in sorted(ctx.records.events, key=lambda e: e.recorded_at):
        found[record.event] = record.at
    return found


def _relationship_start(ctx: _Context) -> tuple[datetime | None, str]:
    events = _latest_events(ctx)
    if MatterEvent.RELATIONSHIP_ESTABLISHED in events:
        return events[MatterEvent.RELATIONSHIP_ESTABLISHED], "relationship established"
    if MatterEvent.INSTRUCTED in events:
        return events[MatterEvent.INSTRUCTED], "instructed (no relationship event recorded)"
    return None, "no instruction or relationship event recorded"


def _late_days(at: datetime | date, start: datetime) -> int | None:
    """Whole days late (0 = later the same day); None when on time."""
    if isinstance(at, datetime):
        moment_at = at if at.tzinfo else at.replace(tzinfo=UTC)
        if moment_at <= start:
            return None
        return (moment_at.astimezone(UTC).date() - start.astimezone(UTC).date()).days
    if at <= start.astimezone(UTC).date():
        return None
    return (at - start.astimezone(UTC).date()).days


def _timing(ctx: _Context) -> Timing:
    start, basis = _relationship_start(ctx)
    rows: list[tuple[datetime, int, TimingRow]] = []
    for record in ctx.records.events:
        rows.append(
            (
                _sortable(record.at),
                0,
                TimingRow(
                    at=moment(record.at).removesuffix(" UTC"),
                    kind="event",
                    what=_EVENT_LABELS.get(record.event, record.event.value),
                    party="—",
                    status=f"recorded by {ctx.person(record.recorded_by)}, {moment(record.recorded_at)}",
                    late=False,
                    justification="",
                    gate_exception=(
                        f"{record.gate_exception} (gate closed: {'; '.join(record.blocked_by)})"
                        if record.gate_exception is not None
                        else ""
                    ),
                ),
            )
        )
    justifications = _justifications(ctx)
    late = unjustified = unverified = 0
    for item in ctx.records.evidence:
        if not _identity_evidence(ctx, item):
            continue  # source of funds, registers ...: reviewed, not reg 30 identity checks
        what = f"{item.document_type.replace('_', ' ')} ({ctx.attachments[item.sha256]})"
        if item.verified_at is None:
            unverified += 1
            rows.append(
                (
                    _sortable(item.received_at),
                    1,
                    TimingRow(
                        at=moment(item.received_at).removesuffix(" UTC"),
                        kind="received, not verified",
                        what=what,
                        party=ctx.party(item.party_id),
                        status="NOT VERIFIED",
                        late=True,
                        justification="",
                    ),
                )
            )
            continue
        run = ctx.runs_by_id.get(item.run_id or "")
        row, is_late, has_reason = _verification_row(
            ctx, item.verified_at, what, ctx.party(item.party_id), start, justifications, run
        )
        late += is_late
        unjustified += is_late and not has_reason
        rows.append((_sortable(item.verified_at), 1, row))
    for run in ctx.records.runs:
        for (run_id, key), versions in ctx.versions.items():
            if run_id != run.id or not key.endswith(_COMPLETED_SUFFIX):
                continue
            value = versions[-1].value
            if not isinstance(value, date):
                continue
            what = f"identity verification completed, as answered in {run.key}"
            row, is_late, has_reason = _verification_row(
                ctx, value, what, ctx.subject(run), start, justifications, run
            )
            late += is_late
            unjustified += is_late and not has_reason
            rows.append((_sortable(value), 1, row))
    rows.sort(key=lambda r: (r[0], r[1]))
    return Timing(
        relationship_start=moment(start) if start else "NOT RECORDED",
        relationship_start_basis=basis,
        late_count=late,
        unjustified_count=unjustified,
        unverified_count=unverified,
        rows=tuple(r[2] for r in rows),
    )


_IDENTITY_DOCUMENTS: Final = frozenset(
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


def _identity_evidence(ctx: _Context, item: Evidence) -> bool:
    """Evidence that verifies identity (reg 28, timed by reg 30): an identity document type, or
    anything filed under an identification question (address proof included), about the client
    side rather than a payer or the other side."""
    party = ctx.parties_by_id.get(item.party_id or "")
    if party is not None and party.role in (PartyRole.PAYER, PartyRole.COUNTERPARTY):
        return False  # a payer's or donor's ID is scrutiny of the funds, not reg 30 CDD timing
    if item.question_key and _part_of_key(ctx, item.run_id, item.question_key) == 3:
        return True
    return item.document_type in _IDENTITY_DOCUMENTS


def _sortable(value: datetime | date) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime(value.year, value.month, value.day, 23, 59, 59, tzinfo=UTC)


def _justifications(ctx: _Context) -> dict[str, str]:
    """Run id -> the reg 30(3) justification recorded in that run, if any."""
    found: dict[str, str] = {}
    for (run_id, key), versions in ctx.versions.items():
        if key.endswith(_JUSTIFICATION_SUFFIX):
            value = versions[-1].value
            if isinstance(value, str) and value.strip():
                found[run_id] = (
                    f"{value} — {ctx.person(versions[-1].answered_by)}, "
                    f"{moment(versions[-1].answered_at)}"
                )
    return found


def _verification_row(
    ctx: _Context,
    at: datetime | date,
    what: str,
    party: str,
    start: datetime | None,
    justifications: Mapping[str, str],
    run: Run | None = None,
) -> tuple[TimingRow, bool, bool]:
    shown = moment(at).removesuffix(" UTC") if isinstance(at, datetime) else day(at)
    if start is None:
        status, late = "relationship start not recorded", False
    else:
        days = _late_days(at, start)
        if days is None:
            status, late = "before the relationship began", False
        else:
            late = True
            status = (
                "LATE: after the relationship began"
                if days == 0
                else f"LATE: {days} day{'s' if days != 1 else ''} after the relationship began"
            )
    reason = ""
    if late:
        runs = [run] if run is not None else list(ctx.records.runs)
        reasons = [justifications[r.id] for r in runs if r.id in justifications]
        reason = "; ".join(reasons)
    row = TimingRow(
        at=shown,
        kind="verification",
        what=what,
        party=party,
        status=status,
        late=late,
        justification=reason or ("NO REG 30(3) JUSTIFICATION RECORDED" if late else ""),
    )
    return row, late, bool(reason)


# -- part 5


def _screenings(ctx: _Context) -> tuple[ScreeningRow, ...]:
    records = ctx.records
    latest = {s.id for s in latest_screenings(records.screenings).values()}
    rows = []
    for screening in sorted(records.screenings, key=lambda s: (s.party_id, s.screened_at)):
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
                hits=tuple(_hit_row(ctx, screening, h) for h in screening.hits),
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
    decided = _disposition(screening, hit.id, hit.key, ctx.records.dispositions)
    if decided is not None:
        disposition = (
            f"{decided.outcome.value.replace('_', ' ')}: {decided.reason.value} — {decided.note}"
        )
        reviewer = f"{ctx.person(decided.decided_by)}, {moment(decided.decided_at)}"
        is_open = False
    elif hit.suppressed_by:
        disposition = "dismissed earlier as a false positive (list entry unchanged)"
        reviewer = "—"
        is_open = False
    else:
        is_open = hit.band in ALERT_BANDS
        disposition = "NO DISPOSITION RECORDED" if is_open else "below the review threshold"
        reviewer = "—"
    return HitRow(
        list_kind=hit.list_kind.value,
        entry=hit.key,
        primary_name=hit.primary_name,
        matched_name=hit.matched_name,
        score=f"{hit.score:.3f}",
        band=hit.band,
        explanation=explain(hit.explanation),
        disposition=disposition,
        reviewer=reviewer,
        open=is_open,
    )


def _disposition(
    screening: Screening, hit_id: str, key: str, dispositions: Iterable[HitDisposition]
) -> HitDisposition | None:
    found = None
    for item in sorted(dispositions, key=lambda d: d.decided_at):
        if item.party_id == screening.party_id and (item.hit_id == hit_id or item.key == key):
            found = item
    return found


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
            f"final {float(data['final_score']):.3f}, band {data.get('band')}"
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
        standing="SUPERSEDED: the case changed after it was given" if superseded else "Current",
        superseded=superseded,
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
        counts = Counter(_GATE_REASON_WORDS.get(r.kind, "other") for r in state.reasons)
        reasons = "; ".join(f"{n} {words}" if n > 1 else words for words, n in counts.items())
        if "compliance hold" in counts:
            # A hold is one fact however many rules set it.
            reasons = "; ".join(
                w if w == "compliance hold" else (f"{n} {w}" if n > 1 else w)
                for w, n in counts.items()
            )
        gates.append(
            GateRow(
                gate=state.gate.value,
                title=state.gate.label,
                state="Open" if state.open else "Closed",
                reasons=reasons or "—",
            )
        )
    return DecisionPart(
        outcome=outcome,
        reason_code=code,
        reason_label=label,
        conditions=conditions,
        gates=tuple(gates),
        blocks=blocks,
    )


# -- part 10


def _manifest(ctx: _Context) -> tuple[ManifestRow, ...]:
    return tuple(
        ManifestRow(
            attachment=ctx.attachments[e.sha256],
            evidence_id=e.id,
            original_name=e.original_name,
            document_type=e.document_type.replace("_", " "),
            media_type=e.media_type,
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
            seq=e.seq,
            at=moment(e.at).removesuffix(" UTC"),
            actor=ctx.name(e.actor),
            role=e.role.replace("_", " "),
            action=e.action,
            what=what.get(e.target, e.target),
            sha256=e.sha256,
        )
        for e in ctx.inputs.events
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
    start = retention_start(records.case, records.events)
    until = retention_until(start)
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
