"""The read model: the one place a matter's derived facts are worked out.

`read_case` turns one read of a case's records (one transaction) into a `CaseView`: the
evaluation, the state its approvals bind and which of them are superseded, the reg 30 timing,
each screening hit's standing, the PEP and sanctions flags the listing row stores. Every fact
is computed here, by the domain's functions, once; the TUI, the CLI and the audit file only
format what the view holds, so the three can never tell a user different things about one
matter. `CaseFile` keeps the writes and calls this for what it stores (the listing row).

No I/O here, no SQLAlchemy, no Textual, no Jinja2.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from duediligence.domain.answers import AnswerValue, display_answer, is_blank
from duediligence.domain.case import (
    AnswerVersion,
    ApprovalRequest,
    AuditEvent,
    FirmProfile,
    LegalHold,
    OverrideRecord,
    Party,
    PartyRole,
    Person,
    case_state_hash,
    open_request,
    principal_client,
)
from duediligence.domain.checklist import Question, QuestionType
from duediligence.domain.claims import Claim, reconcile_claims
from duediligence.domain.evaluation import (
    CLIENT,
    CaseSnapshot,
    ChecklistRun,
    Evaluation,
    EvidenceStanding,
    FactValue,
    GivenApproval,
    RatingOverride,
    RiskPolicy,
    evaluate,
)
from duediligence.domain.funds import (
    DERIVED_QUESTION,
    SOF_CHECKLIST,
    FundsPolicy,
    Reconciliation,
    declared_funds,
    receipt_states,
    reconcile,
)
from duediligence.domain.library import ChecklistLibrary
from duediligence.domain.monitoring import (
    CasePolicy,
    MonitoringEntry,
    Review,
    flags,
    monitoring_log,
    retention_start,
    retention_until,
    review_of,
)
from duediligence.domain.ownership import (
    Structure,
    holdings_from_answers,
    structure_of,
    typed_holdings,
)
from duediligence.domain.proof import ChecklistText
from duediligence.domain.reliance import Change, changes_since, relied_on_hash
from duediligence.domain.sale import SaleView
from duediligence.domain.screening_records import (
    HitState,
    ListSnapshotRecord,
    confirmed_matches,
    hit_states,
    latest_screenings,
    screening_facts,
)
from duediligence.domain.timing import Timing, timing_of
from duediligence.domain.vocabulary import EVENT_FACTS, Fact, Gate, Rating, Role, client_word
from duediligence.screening.holders import same_holder
from duediligence.services.ports import CaseRecords

NATIONALITY_QUESTIONS = frozenset({"customer.nationality", "ident.nationality"})
"""Questions whose answer is the client's nationality (estate agent, solicitor)."""
ADDRESS_QUESTIONS = frozenset({"customer.address", "ident.address"})
"""Questions whose answer is the client's residential address."""

HIGH_RISK_LIST = "high-risk-third-countries"
"""The country list that decides a high-risk third country (the checklists use it too)."""


@dataclass(frozen=True)
class CaseView:
    """A case with its records and every fact derived from them (see the module docstring)."""

    records: CaseRecords
    state_sha256: str
    """Hash of the whole case as it stands (`case_state_hash`, matter events included): what
    an approval given now records as seen, and `verify` checks."""
    relied_on_sha256: str
    """Hash of the due-diligence record an approval given now relies on (`domain.reliance`)."""
    evaluation: Evaluation
    superseded: frozenset[str]
    """Ids of approvals whose relied-on record has changed since they were given."""
    changes: Mapping[str, tuple[Change, ...]]
    """For each superseded approval, by id: what changed since, by whom, when (oldest first)."""
    unloaded_checklists: tuple[str, ...]
    """Run keys whose checklist is not in the loaded library (not evaluated)."""
    changed_checklists: tuple[str, ...]
    """Run keys whose checklist file changed since the run started (evaluated with the new one)."""
    timing: Timing
    """Reg 30: the relationship start and each identity verification judged against it."""
    hits: Mapping[str, HitState]
    """Every screening hit's standing now, by hit id."""
    pep: bool
    """A PEP connection is recorded (answer, PEP EDD checklist or a confirmed PEP list match)."""
    sanctions: bool
    """A sanctions hit is open or confirmed (screening), or answered as a match."""
    rating: Rating | None
    """The rating chosen (the highest, when several checklists choose one); None until chosen."""
    clients: tuple[Party, ...]
    """The parties in the client role, in the order added."""
    pending_approvals: tuple[tuple[Role, str], ...]
    """Roles whose approval is needed and not given, with why (each pair once)."""
    open_request: ApprovalRequest | None
    """The latest approval request still waiting (`domain.case.open_request`)."""
    standing_overrides: Mapping[Rating, OverrideRecord]
    """The MLRO overrides on file the evaluator would rely on, by the rating they accept."""
    current_answers: Mapping[tuple[str, str], AnswerVersion]
    """Each question's current answer version, by (run id, question key)."""
    review: Review
    """The next review date and what has reopened the risk assessment (`domain.monitoring`)."""
    retention_started: date | None
    """When the five-year retention clock started (MLR reg 40); None while it has not."""
    retention_until: date | None
    """When the retention period ends."""
    words: Mapping[str, str]
    """Each record of the matter in words, by audit target ("answer pep v2 = Yes")."""
    missing_evidence: bool
    """Some required answer still missing is an evidence question (a document to file)."""
    latest_screenings: frozenset[str]
    """Ids of each party's latest screening (the one that counts)."""
    funds: Reconciliation
    """Every receipt reconciled with the declared source of funds (`domain.funds`)."""
    claims: tuple[Claim, ...] = ()
    """Each answer that restates something the file records, with the records found for it
    (`domain.claims`)."""
    monitoring: tuple[MonitoringEntry, ...] = ()
    """The ongoing-monitoring log: ratings chosen and reviewed, screenings and re-screenings
    with their outcomes (`domain.monitoring.monitoring_log`)."""
    ownership: tuple[tuple[str, Structure], ...] = ()
    """Each beneficial-ownership run's structure worked through its layers, by run key
    (`domain.ownership`)."""

    def client_word(self) -> str:
        """What the client is called on this matter ("Customer (buyer)" for an agency's
        buyer)."""
        case = self.records.case
        return client_word(case.firm_role.value, case.acting_for)

    def party_role_word(self, party: Party) -> str:
        """A party's part in the matter in the matter's words (the client of an agency's buyer
        file is the customer)."""
        if party.role is PartyRole.CLIENT:
            return self.client_word().lower()
        return party.role.value.replace("_", " ")

    def nationalities_of(self, party: Party) -> tuple[str, ...]:
        """The party's nationalities as recorded on it, else (the one client) as answered in
        its identification: a file showed "—" beside an answered nationality."""
        if party.nationalities:
            return party.nationalities
        return tuple(str(v) for v in self._client_answers(party, NATIONALITY_QUESTIONS))

    def addresses_of(self, party: Party) -> tuple[str, ...]:
        """The party's addresses as recorded on it, else (the one client) as answered."""
        if party.addresses:
            return party.addresses
        return tuple(str(v) for v in self._client_answers(party, ADDRESS_QUESTIONS))

    def _client_answers(self, party: Party, keys: frozenset[str]) -> list[object]:
        # Only for the one client: with two, an answer "about the client" names neither.
        if party.role is not PartyRole.CLIENT or len(self.clients) != 1:
            return []
        runs = {r.id for r in self.records.runs if r.subject == CLIENT}
        return [
            a.value
            for (run_id, key), a in self.current_answers.items()
            if run_id in runs and key in keys and not is_blank(a.value)
        ]

    def gate_title(self, gate: Gate) -> str:
        """What passing `gate` means on this matter ("Accept the offer" for an agency's
        buyer, "Accept instructions" for a solicitor)."""
        case = self.records.case
        return gate.title_for(case.firm_role.value, case.acting_for)


@dataclass(frozen=True)
class MatterFile:
    """One matter read whole in one transaction: its view, and the context the audit file and
    the audit trail print beside it, all as of the same moment."""

    view: CaseView
    firm: FirmProfile
    people: Mapping[str, Person]
    """The register, by person id."""
    events: tuple[AuditEvent, ...]
    """The audit events about the case, in sequence order (read by the case's index)."""
    chain_head: str
    """Hash of the last event in the whole chain at that moment."""
    snapshots: Mapping[str, ListSnapshotRecord]
    """The list snapshots the case's screenings used, by record id."""
    holds: tuple[LegalHold, ...]
    """Legal holds placed on the case, released ones included."""
    sale: SaleView | None = None
    """The sale the matter is on, both sides summarised (an estate agency's matter)."""
    checklist_texts: Mapping[str, ChecklistText] = field(default_factory=dict)
    """The checklist texts the case's answers were given against, by content hash."""


def state_of(records: CaseRecords) -> str:
    """The hash of the case state an approval binds."""
    return case_state_hash(
        records.case,
        records.parties,
        records.runs,
        records.answers,
        records.events,
        records.evidence,
    )


def relied_on_of(records: CaseRecords) -> str:
    """The hash of the due-diligence record an approval relies on."""
    return relied_on_hash(
        records.case,
        records.parties,
        records.runs,
        records.answers,
        records.evidence,
        records.screenings,
        records.dispositions,
        records.overrides,
    )


def _changes(records: CaseRecords, relied: str) -> dict[str, tuple[Change, ...]]:
    """What changed since each superseded approval (see `domain.reliance`)."""
    found: dict[str, tuple[Change, ...]] = {}
    for approval in records.approvals:
        if approval.relied_on_sha256 == relied:
            continue
        changed = changes_since(
            records.record_seq.get(approval.target(), 0),
            records.record_seq,
            parties=records.parties,
            runs=records.runs,
            answers=records.answers,
            evidence=records.evidence,
            screenings=records.screenings,
            dispositions=records.dispositions,
            overrides=records.overrides,
        )
        # An approval from before the hash existed stands until a relied-on record is newer.
        if approval.relied_on_sha256 is not None or changed:
            found[approval.id] = changed
    return found


def read_case(
    records: CaseRecords, library: ChecklistLibrary, policy: CasePolicy | None = None
) -> CaseView:
    """Every derived fact of one case, from one read of its records."""
    policy = policy or CasePolicy()
    state = state_of(records)
    relied = relied_on_of(records)
    changes = _changes(records, relied)
    superseded = frozenset(changes)
    unloaded = tuple(r.key for r in records.runs if library.get(r.checklist_id) is None)
    changed = tuple(
        r.key
        for r in records.runs
        if r.checklist_id in library.sources
        and library.sources[r.checklist_id].sha256 != r.content_sha256
    )
    facts = screening_facts(records.parties, records.screenings, records.dispositions)
    pep, sanctions = flags(records.runs, records.answers, facts)
    funds = funds_of(records, library, policy)
    evaluation = evaluate(snapshot_of(records, library, superseded, policy.risk, funds))
    chosen = [r.chosen for r in evaluation.ratings]
    pending = tuple(
        dict.fromkeys((a.role, a.reason) for a in evaluation.approvals if not a.satisfied)
    )
    current: dict[tuple[str, str], AnswerVersion] = {}
    for answer in records.answers:
        slot = (answer.run_id, answer.question_key)
        if slot not in current or answer.number > current[slot].number:
            current[slot] = answer
    started = retention_start(records.case, records.events)
    hits = hit_states(records.screenings, records.dispositions)
    return CaseView(
        records=records,
        state_sha256=state,
        relied_on_sha256=relied,
        evaluation=evaluation,
        superseded=superseded,
        changes=changes,
        unloaded_checklists=unloaded,
        changed_checklists=changed,
        timing=timing_of(
            library,
            records.events,
            records.evidence,
            records.parties,
            records.runs,
            records.answers,
        ),
        hits=hits,
        pep=pep,
        sanctions=sanctions,
        rating=Rating.highest(chosen) if chosen else None,
        clients=tuple(p for p in records.parties if p.role is PartyRole.CLIENT),
        pending_approvals=pending,
        open_request=open_request(
            records.approval_requests,
            records.approvals,
            (role for role, _ in pending),
            records.record_seq,
        ),
        standing_overrides=_standing_overrides(records.overrides, policy.risk),
        current_answers=current,
        review=review_of(
            records.runs,
            records.answers,
            records.parties,
            records.record_seq,
            evaluation,
            policy,
            records.screenings,
            records.dispositions,
            records.events,
        ),
        retention_started=started,
        retention_until=retention_until(started),
        words=record_words(records, library),
        latest_screenings=frozenset(s.id for s in latest_screenings(records.screenings).values()),
        missing_evidence=any(
            _is_evidence(library, m.checklist_id, m.question_id) for m in evaluation.missing
        ),
        funds=funds,
        claims=reconcile_claims(
            records.runs,
            current,
            records.evidence,
            records.parties,
            records.screenings,
            hits,
            funds,
        ),
        ownership=ownership_of(records, current),
        monitoring=monitoring_log(
            records.runs,
            records.answers,
            records.screenings,
            hits,
            ((r.run_id, r.question_id) for r in evaluation.ratings),
        ),
    )


OWNERSHIP_CHECKLIST = "beneficial-ownership"
"""The checklist whose layers and beneficial owners are worked through."""


def ownership_of(
    records: CaseRecords, current: Mapping[tuple[str, str], AnswerVersion]
) -> tuple[tuple[str, Structure], ...]:
    """Each beneficial-ownership run's structure, computed through its layers."""
    names = {p.label: p.name for p in records.parties} | {p.id: p.name for p in records.parties}
    found = []
    for run in records.runs:
        if run.checklist_id != OWNERSHIP_CHECKLIST:
            continue
        answers = {key: a.value for (run_id, key), a in current.items() if run_id == run.id}
        holdings = holdings_from_answers(answers)
        if holdings:
            found.append((run.key, structure_of(holdings, typed_holdings(answers, names))))
    return tuple(found)


def funds_policy(library: ChecklistLibrary, policy: CasePolicy) -> FundsPolicy:
    """The reconciliation policy: the firm's tolerance, the checklists' high-risk third
    countries, and names compared by the screening normaliser."""
    listed = library.country_lists.get(HIGH_RISK_LIST)
    return FundsPolicy(
        tolerance_percent=policy.funds_tolerance_percent,
        tolerance_amount=policy.funds_tolerance_amount,
        high_risk_countries=frozenset(listed.countries) if listed else frozenset(),
        high_risk_list=listed.title if listed else "high-risk third countries",
        same_name=same_holder,
    )


def funds_of(records: CaseRecords, library: ChecklistLibrary, policy: CasePolicy) -> Reconciliation:
    """The receipts reconciled with the source-of-funds record's current answers."""
    latest: dict[tuple[str, str], AnswerVersion] = {}
    for answer in records.answers:
        slot = (answer.run_id, answer.question_key)
        if slot not in latest or answer.number > latest[slot].number:
            latest[slot] = answer
    runs = [
        (
            run.key,
            run.checklist_id,
            {key: a.value for (run_id, key), a in latest.items() if run_id == run.id},
        )
        for run in records.runs
        if run.checklist_id == SOF_CHECKLIST
    ]
    return reconcile(
        declared_funds(runs, records.parties),
        receipt_states(records.receipts, records.receipt_actions),
        records.parties,
        funds_policy(library, policy),
    )


def _is_evidence(library: ChecklistLibrary, checklist_id: str, question_id: str) -> bool:
    checklist = library.get(checklist_id)
    question = checklist.question(question_id.partition("#")[0]) if checklist else None
    return question is not None and question.type is QuestionType.EVIDENCE


def _standing_overrides(
    overrides: Iterable[OverrideRecord], risk: RiskPolicy
) -> dict[Rating, OverrideRecord]:
    """The MLRO overrides the evaluator would rely on, by the rating they accept: the same test
    as the evaluator's (a rationale long enough: the service refuses shorter ones, so this only
    guards older or imported records); the first on file is the one relied on."""
    minimum = risk.override_rationale_min
    found: dict[Rating, OverrideRecord] = {}
    for record in overrides:
        if len(record.rationale.strip()) >= minimum:
            found.setdefault(record.rating, record)
    return found


def answer_in_words(
    records: CaseRecords, value: AnswerValue | None, question: Question | None
) -> str:
    """An answer as a person reads it, with the matter's own names: a party answer is the
    party's name (and label), an evidence answer the files' names, not ids."""
    if question is not None and question.type is QuestionType.PARTY and isinstance(value, str):
        party = next((p for p in records.parties if value in (p.label, p.id)), None)
        return f"{party.name} ({party.label})" if party else value
    if question is not None and question.type is QuestionType.EVIDENCE and isinstance(value, tuple):
        files = {e.id: e.original_name for e in records.evidence}
        return ", ".join(files.get(v, v) for v in value) or "(none)"
    return display_answer(value, question)


def record_words(records: CaseRecords, library: ChecklistLibrary) -> dict[str, str]:
    """Each record of the matter in words, by audit target: "answer pep.role v2 = Yes"."""
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
        shown = answer_in_words(records, answer.value, asked)
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
    received = {r.id: r for r in records.receipts}
    for receipt in records.receipts:
        words[receipt.target()] = (
            f"receipt of {receipt.currency} {receipt.amount:,.2f} from {receipt.remitter[:60]}"
            + (" (G2 closed: held)" if receipt.gate_closed else "")
        )
    for action in records.receipt_actions:
        paid = received.get(action.receipt_id)
        what = f"{paid.currency} {paid.amount:,.2f}" if paid else "a receipt"
        words[action.target()] = f"receipt of {what} {action.action}ed".replace("eed", "ed")
    return words


def preview(
    view: CaseView,
    pending: AnswerVersion,
    library: ChecklistLibrary,
    policy: CasePolicy | None = None,
) -> CaseView:
    """The case as it will be once `pending` is stored: every fact worked out again in memory,
    nothing written (the TUI's panels follow an answer while it is saved)."""
    records = view.records
    seqs = dict(records.record_seq)
    # Written after everything on file: it supersedes what an approval relied on, as the
    # stored answer will.
    seqs[pending.target()] = max(seqs.values(), default=0) + 1
    return read_case(
        replace(records, answers=(*records.answers, pending), record_seq=seqs), library, policy
    )


def snapshot_of(
    records: CaseRecords,
    library: ChecklistLibrary,
    superseded: frozenset[str],
    risk: RiskPolicy | None = None,
    funds: Reconciliation | None = None,
) -> CaseSnapshot:
    """What the evaluator reads: loaded checklists, runs with current answers, facts."""
    case = records.case
    latest: dict[tuple[str, str], AnswerVersion] = {}
    for answer in records.answers:
        latest[(answer.run_id, answer.question_key)] = answer
    # A sign-off stands while the record it relied on is unchanged: its answers count only
    # with a fee earner's sign-off on file that is not superseded (a price raised five-fold
    # after sign-off asked for no new one).
    signed = any(
        a.role is Role.FEE_EARNER and a.decision == "approved" and a.id not in superseded
        for a in records.approvals
    )
    runs = []
    for run in records.runs:
        checklist = library.get(run.checklist_id)
        if checklist is None:
            continue
        answers = {key: a.value for (run_id, key), a in latest.items() if run_id == run.id}
        if not signed:
            for _, question in checklist.questions():
                if question.sign_off is not None:
                    answers.pop(question.id, None)
        if funds is not None and run.checklist_id == SOF_CHECKLIST:
            # Derived from the receipts, never typed: what the statement shows, not a yes/no.
            answers[DERIVED_QUESTION] = funds.receipts_match
        runs.append(
            ChecklistRun(
                id=run.key, checklist_id=run.checklist_id, subject=run.subject, answers=answers
            )
        )
    facts: dict[Fact, FactValue] = {
        Fact.FIRM_ROLE: case.firm_role.value,
        Fact.CLIENT_TYPE: case.client_type.value,
        Fact.MATTER_TYPE: case.matter_type,
    }
    if case.acting_for:
        facts[Fact.ACTING_FOR] = case.acting_for
    facts.update(screening_facts(records.parties, records.screenings, records.dispositions))
    # Events are append-only: a later record of the same event corrects an earlier one.
    for record in sorted(records.events, key=lambda e: e.recorded_at):
        fact = EVENT_FACTS.get(record.event)
        if fact is not None:
            facts[fact] = record.at
    approvals = tuple(
        GivenApproval(
            role=a.role, approver=a.approver, decision=a.decision, superseded=a.id in superseded
        )
        for a in records.approvals
    )
    overrides = tuple(
        RatingOverride(role=Role.MLRO, by=o.overridden_by, rating=o.rating, rationale=o.rationale)
        for o in records.overrides
    )
    return CaseSnapshot(
        checklists=library.checklists,
        runs=tuple(runs),
        facts=facts,
        approvals=approvals,
        overrides=overrides,
        policy=risk or RiskPolicy(),
        country_lists=library.country_lists,
        # The latest closure of each referral stands (the MLRO may reconsider).
        closed_referrals={c.key: c.outcome for c in records.referral_closures},
        evidence=evidence_standing(records),
        funds_issues=funds.issues if funds is not None else (),
        client_party=principal_client(records.parties, case.client_type),
        confirmed_matches=confirmed_matches(
            records.parties, records.screenings, records.dispositions
        ),
    )


def evidence_standing(records: CaseRecords) -> dict[str, EvidenceStanding]:
    """Each evidence file as the evaluator counts it: verified only with a method recorded."""
    labels = {p.id: p.label for p in records.parties}
    return {
        e.id: EvidenceStanding(
            verified=e.verified_at is not None and bool((e.method or "").strip()),
            party=labels.get(e.party_id) if e.party_id else None,
        )
        for e in records.evidence
    }
