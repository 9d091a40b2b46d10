"""Controls that cannot be bypassed: the rules that refuse a step outright, or let only the MLRO
take it with a recorded reason (issue 13).

Pure functions over the evaluation and the records, so the services apply them once and the CLI,
the TUI and the PDF only say what they decided. Nothing here writes or reads storage.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

from duediligence.domain.answers import meaningful_length
from duediligence.domain.case import Evidence, FirmProfile, InvalidInput, NotAllowed, Person
from duediligence.domain.checklist import Option, Question, QuestionType
from duediligence.domain.evaluation import Evaluation
from duediligence.domain.screening_records import ListKind
from duediligence.domain.vocabulary import (
    ESTATE_AGENCY_MATTER_TYPE,
    FirmRole,
    Gate,
    MatterEvent,
    Rating,
    Role,
    events_for,
)

EVENT_GATES: Final[dict[MatterEvent, Gate]] = {
    # An estate agent's seller is verified before the property is marketed, its buyer by the
    # time the offer is accepted (MLR reg 30(2); HMRC): the agency's G1.
    MatterEvent.MARKETING_STARTED: Gate.G1,
    MatterEvent.OFFER_ACCEPTED: Gate.G1,
    MatterEvent.FUNDS_RECEIVED: Gate.G2,
    MatterEvent.EXCHANGE: Gate.G3,
    MatterEvent.COMPLETION: Gate.G4,
}
"""The matter events that pass a gate: recording one says the gate was passed."""

MLR_MATTER_TYPES: Final = frozenset(
    {
        "residential_purchase",
        "residential_sale",
        "remortgage",
        "commercial_property",
        "company_purchase_sale",
        "trust_company_formation",
        "estate_agency_sale",
    }
)
"""Matter types that are MLR activities by their nature (regs 12-13: taking part in a real
property or business transaction, trust or company services, estate agency): never out of
scope. Private client work and "other" may be, on the MLRO's word."""

SUPERVISING: Final = frozenset({Role.SUPERVISOR, Role.SENIOR_MANAGER, Role.MLRO})
"""The roles that check others' work: they act only once bound to a computer account."""

STATED_REASON_MIN: Final = 20
"""Meaningful characters an MLRO's exception reason needs: enough to say what and why."""


def event_blockers(evaluation: Evaluation, event: MatterEvent) -> tuple[Gate, tuple[str, ...]]:
    """The gate `event` passes and every reason it is closed; no reasons when it is open (or the
    event passes no gate). Recording funds received, exchange or completion while its gate is
    closed would make the gates mean nothing: the money or the contract moved anyway."""
    gate = EVENT_GATES.get(event)
    if gate is None:
        return Gate.G1, ()
    state = evaluation.gate(gate)
    if state.open:
        return gate, ()
    return gate, tuple(dict.fromkeys(r.message for r in state.reasons))


def stated_reason(what: str, text: str | None) -> str:
    """An MLRO's reason for an exception, trimmed, or InvalidInput when it says too little
    (length counts the text as it reads, as for answers)."""
    trimmed = (text or "").strip()
    length = meaningful_length(trimmed)
    if length < STATED_REASON_MIN:
        raise InvalidInput(
            f"{what} needs a reason of at least {STATED_REASON_MIN} characters (it has "
            f"{length}): say what happened and why it stands"
        )
    return trimmed


def list_entries(counts: Mapping[str, int]) -> int:
    """Entries in a list snapshot (people and entities), from its stored counts."""
    return counts.get("person", 0) + counts.get("entity", 0)


def list_shrink(source: str, previous: int | None, new: int, max_percent: int) -> str | None:
    """Why a new snapshot of `source` must not replace the one in use without a reason, or None.

    An empty file, or half of OFAC's `sdn.csv`, imported as the new list would silently clear
    every hit on entries it lost. A snapshot with no entries, or with more than `max_percent`
    fewer entries than the previous snapshot of the same source, needs confirming.
    """
    if new == 0:
        return f"the new {source} list holds no entries"
    if previous is None or previous == 0 or new >= previous:
        return None
    dropped = previous - new
    if dropped * 100 > previous * max_percent:
        share = dropped * 100 / previous
        return (
            f"the new {source} list holds {new:,} entries, {dropped:,} ({share:.0f}%) fewer than "
            f"the {previous:,} of the one in use (the firm's limit is {max_percent}%)"
        )
    return None


def out_of_scope_choice(question: Question, value: object) -> Option | None:
    """The option of `question` that `value` chooses when it says the MLR do not apply."""
    if question.type is not QuestionType.CHOICE:
        return None
    for option in question.options:
        if option.out_of_scope and option.value == value:
            return option
    return None


def scope_refusal(reference: str, matter_type: str, option: Option) -> str | None:
    """Why `option` (out of scope of the MLR) cannot be answered on this matter type at all, or
    None when the MLRO may confirm it with a reason. Answering out of scope hides CDD, the risk
    assessment and every approval, so four trivial answers used to open G1-G4 on a purchase."""
    if matter_type not in MLR_MATTER_TYPES:
        return None
    return (
        f"'{option.label}' cannot be answered on {reference}: a {matter_type.replace('_', ' ')} "
        "matter is an activity the Money Laundering Regulations cover by its nature (regs "
        "12-13); choose the regulated activity it involves"
    )


def rating_recorded(rating: Rating, evaluation: Evaluation, *, on_override: bool = False) -> str:
    """What signing off the rating did, in words that do not overstate it: a rating was
    recorded; the file is complete only when nothing is missing and no gate waits ("Signed off
    as High" was said with 53 items missing)."""
    what = f"Rating recorded as {rating.value.capitalize()}"
    if on_override:
        what += " on your MLRO override"
    missing = len(evaluation.missing)
    if missing:
        return f"{what}; {missing} item{'' if missing == 1 else 's'} still missing."
    closed = next((g for g in evaluation.gates if not g.open), None)
    if closed is not None and closed.reasons:
        return (
            f"{what}; nothing is missing, but {closed.gate.value} is still closed: "
            f"{closed.reasons[0].message}."
        )
    return f"{what}; nothing is missing and every gate is open."


def edd_outstanding(evaluation: Evaluation) -> list[str]:
    """The enhanced due diligence the evaluator asked for (the checklists the matter's rules
    spawned: PEP EDD, source of wealth, source of funds) that is not complete, in words.

    Senior management approves a PEP or high-risk relationship on that work (MLR reg 33,
    35(5)); a senior manager approved a PEP matter with 44 required answers missing.
    """
    outstanding = []
    for spawn in evaluation.spawns:
        if spawn.run_id is None:
            outstanding.append(f"{spawn.checklist_id} not started")
            continue
        missing = sum(1 for m in evaluation.missing if m.run_id == spawn.run_id)
        if missing:
            outstanding.append(
                f"{spawn.run_id}: {missing} required answer{'' if missing == 1 else 's'} missing"
            )
    return outstanding


def must_be_bound(person: Person, what: str, *, required: bool = True) -> None:
    """NotAllowed when `person` is not bound to a computer account and is about to `what`
    (approve, decide a hit, import a list, register people, read restricted records).

    An unbound person can be acted as from any account: anyone could become the MLRO and
    decide a sanctions hit. A one-person practice may turn this off (`required`), and the
    audit file then says so.
    """
    if required and not person.os_users:
        raise NotAllowed(
            f"{person.id} must be bound to a computer account before they can {what}: the MLRO "
            f"or a senior manager binds them (`users bind {person.id} --os-user ACCOUNT`), so "
            "that nobody else can act as them"
        )


def matter_kind_refusal(firm: FirmProfile, firm_role: FirmRole, matter_type: str) -> str | None:
    """Why a matter of this kind and type cannot open in this firm, or None.

    The firm's kind (set once at set-up) decides which matters exist: one missed key in the
    new-matter dialog made a solicitor matter inside an HMRC estate agency, with a law firm's
    checklists and gates. An estate agent's matter is always a sale.
    """
    kind = firm.firm_kind
    if firm_role not in kind.matter_kinds:
        offered = " or ".join(_MATTER_KIND_WORDS[r] for r in kind.matter_kinds)
        return (
            f"{firm.name} was set up as {kind.label.lower()}: it opens {offered}, not "
            f"{_MATTER_KIND_WORDS[firm_role]}"
        )
    if firm_role is FirmRole.ESTATE_AGENT and matter_type != ESTATE_AGENCY_MATTER_TYPE:
        return (
            f"an estate agent's matter is a sale (matter type {ESTATE_AGENCY_MATTER_TYPE}), "
            f"not {matter_type.replace('_', ' ')}"
        )
    return None


_MATTER_KIND_WORDS = {
    FirmRole.SOLICITOR: "solicitor matters",
    FirmRole.ESTATE_AGENT: "estate-agency sales (seller or buyer)",
}


def event_refusal(event: MatterEvent, firm_role: str, acting_for: str | None) -> str | None:
    """Why `event` is not an event of this matter, or None. Marketing is the seller's, an
    accepted offer the buyer's, and neither a solicitor's: recorded on the wrong matter they
    would pass (or skip) the wrong gate. A relationship-established event is still taken on
    any matter (files recorded it before the agency's own events existed)."""
    if event is MatterEvent.RELATIONSHIP_ESTABLISHED:
        return None
    offered = events_for(firm_role, acting_for)
    if event in offered:
        return None
    whose = (
        f"an estate agent's {acting_for or 'seller'}"
        if firm_role == FirmRole.ESTATE_AGENT.value
        else "a solicitor's matter"
    )
    return f"'{event.label.lower()}' is not an event of {whose}; its events are: " + ", ".join(
        e.label.lower() for e in offered
    )


HIT_DECIDERS: Final = {
    ListKind.SANCTIONS: frozenset({Role.MLRO}),
    ListKind.PEP: frozenset({Role.MLRO, Role.SENIOR_MANAGER}),
}
"""Who decides a screening hit: a sanctions hit is the MLRO's (R7; any OFSI report is theirs),
a PEP hit the MLRO's or a senior manager's (reg 35: a negotiator alone discounted a strong PEP
hit, same date of birth and nationality, as "common name")."""


def hit_decider_refusal(list_kind: ListKind, person: Person) -> str | None:
    """Why `person` may not decide a hit from a list of this kind, or None."""
    allowed = HIT_DECIDERS.get(list_kind, frozenset())
    if not allowed or allowed.intersection(person.roles):
        return None
    who = (
        "the MLRO" if allowed == {Role.MLRO} else "the MLRO (nominated officer) or a senior manager"
    )
    return (
        f"only {who} may decide a {list_kind.value} hit; refer it to them ({person.id} holds "
        f"{', '.join(r.value for r in person.roles)})"
    )


# ----------------------------------------------------------------------------------------------
# Evidence that fits (finding 8)


def accepted_documents(question: Question) -> tuple[str, ...]:
    """The document types a question accepts: an evidence question's `evidence.documents`,
    any other question's `evidence_types` (none: it takes no evidence)."""
    if question.evidence is not None:
        return question.evidence.documents
    return question.evidence_types


def document_type_refusal(question: Question, document_type: str) -> str | None:
    """Why a document of `document_type` cannot be filed under `question`, or None. One file
    was accepted as payslip, bank statement, PEP report and reliance agreement at once."""
    accepted = accepted_documents(question)
    if not accepted:
        return (
            f"{question.id} takes no evidence: file the document under the question that asks "
            "for it, or on the matter without a question"
        )
    if document_type not in accepted:
        return f"{question.id} expects one of: {', '.join(accepted)}; not '{document_type}'"
    return None


def verification_method(verified: bool, method: str | None) -> None:
    """InvalidInput when a document is said to be verified without saying how: "verified now"
    stored no method, and a verification nobody can describe proves nothing."""
    if verified and not (method or "").strip():
        raise InvalidInput(
            "say how the document was verified (--method): original seen, certified copy, "
            "electronic check, ... A verification without a method is not recorded"
        )


def reuse_refusal(sha256: str, document_type: str, filed: Iterable[Evidence]) -> str | None:
    """Why the same file (the same SHA-256) cannot be filed as `document_type` without a
    reason, or None: it is already on the case as another kind of document. The same bank
    statement under two questions is fine; the same file as a payslip and a PEP report is not
    without saying why."""
    others = sorted({e.document_type for e in filed if e.sha256 == sha256} - {document_type})
    if not others:
        return None
    return (
        f"this file is already on the case as {', '.join(others)}; the same document cannot "
        f"also be a {document_type} unless you say why (--reuse-reason)"
    )
