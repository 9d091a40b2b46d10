"""Case-file use cases: initialise the firm, register people, open cases, add parties, answer,
record matter events, attach evidence, approve, and build the evaluator's snapshot.

Each use case runs in one store transaction: it checks everything first and raises a
`DueDiligenceError` (nothing written) or writes records whose audit events are appended in the
same transaction. Talks only to the ports; never imports SQLAlchemy or an adapter.
"""

from __future__ import annotations

import contextlib
import unicodedata
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Final, Literal, TypeVar

from pydantic import BaseModel, ValidationError

from duediligence.domain.answers import (
    CLOCK_SKEW,
    AnswerValue,
    check_past,
    meaningful_length,
    parse_answer,
    validate_answer,
)
from duediligence.domain.case import (
    Actor,
    AnswerVersion,
    Approval,
    ApprovalRequest,
    Case,
    CaseStatus,
    ConflictError,
    Decision,
    Deletion,
    EventRecord,
    Evidence,
    FirmProfile,
    HoldGround,
    InvalidInput,
    LeftoverCleanup,
    LegalHold,
    NotAllowed,
    NotFound,
    OverrideRecord,
    Party,
    PartyKind,
    PartyRole,
    Person,
    Record,
    ReferralClosure,
    RestrictedKind,
    RestrictedRecord,
    Run,
    Supervisor,
    acting_person,
    clean_display_name,
    months_before,
    optional_text,
    plain_text,
    utc_text,
)
from duediligence.domain.checklist import Checklist, Question, QuestionType, RefuseAnswer
from duediligence.domain.controls import (
    EVENT_GATES,
    document_type_refusal,
    edd_outstanding,
    event_blockers,
    event_refusal,
    matter_kind_refusal,
    must_be_bound,
    out_of_scope_choice,
    reuse_refusal,
    scope_refusal,
    stated_reason,
    verification_method,
)
from duediligence.domain.errors import InvalidAnswer
from duediligence.domain.evaluation import (
    CLIENT,
    CaseSnapshot,
    ReferralOutcome,
    evaluate,
)
from duediligence.domain.four_eyes import own_receipt_work, own_work
from duediligence.domain.funds import (
    DERIVED_QUESTION,
    NEW_PAYER_ROLE,
    SOF_CHECKLIST,
    CheckedReceipt,
    NewReceipt,
    Receipt,
    ReceiptAction,
    ReceiptActionKind,
    ReceiptLine,
    Reconciliation,
    check_currency,
    check_receipt,
    payer_party_needed,
    read_tranche,
)
from duediligence.domain.iso import COUNTRIES
from duediligence.domain.library import ChecklistLibrary
from duediligence.domain.media import HEAD_SIZE, media_type
from duediligence.domain.monitoring import (
    CasePolicy,
    CaseSummary,
    retention_start,
    retention_until,
)
from duediligence.domain.proof import ChecklistText
from duediligence.domain.sale import Sale, SaleBuyer, SaleSide, SaleView, on_time
from duediligence.domain.screening_records import uk_list_warning
from duediligence.domain.vocabulary import (
    ACTING_FOR,
    MATTER_TYPES,
    ClientType,
    FirmKind,
    FirmRole,
    Gate,
    MatterEvent,
    Rating,
    Role,
)
from duediligence.services.leftovers import Leftover, find_leftovers
from duediligence.services.ports import (
    BlobStore,
    CaseRecords,
    CaseStore,
    Clock,
    PartyScreener,
    Session,
)
from duediligence.services.proof import Proof, check_checkpoints
from duediligence.services.reading import (
    CaseView,
    MatterFile,
    funds_of,
    preview,
    read_case,
    relied_on_of,
    snapshot_of,
    state_of,
)
from duediligence.services.verify import DerivedChecks, VerifyProgress, VerifyReport, verify


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = _Unset()
"""No expectation about the previous answer version: answer on top of whatever is current."""


_M = TypeVar("_M", bound=BaseModel)


def new_id() -> str:
    """A fresh record id."""
    return uuid.uuid4().hex


@dataclass(frozen=True)
class NewCase:
    """What `open_case` needs."""

    reference: str
    firm_role: FirmRole
    matter_type: str
    client_type: ClientType
    responsible: str
    acting_for: str | None = None


@dataclass(frozen=True)
class NewParty:
    """What `add_party` needs."""

    role: PartyRole
    kind: PartyKind
    name: str
    other_names: tuple[str, ...] = ()
    date_of_birth: date | None = None
    nationalities: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    registration_number: str | None = None


@dataclass(frozen=True)
class NewEvidence:
    """What `attach_evidence` needs besides the file."""

    document_type: str
    question: str | None = None
    run: str | None = None
    party: str | None = None
    issuer: str | None = None
    document_date: date | None = None
    expiry: date | None = None
    received_at: datetime | None = None
    document_number: str | None = None
    verified_at: datetime | None = None
    method: str | None = None
    note: str | None = None
    reuse_reason: str | None = None
    """Why the same file is also on the case as another kind of document (needed then)."""


@dataclass(frozen=True)
class ReceiptAdded:
    """A receipt just recorded, as it reconciles, and the payer party added for a remitter who
    was not a party (screened at once)."""

    receipt: Receipt
    line: ReceiptLine
    new_party: Party | None = None


@dataclass(frozen=True)
class RetentionItem:
    """A case whose retention clock has started."""

    reference: str
    status: str
    retention_started: date
    retention_until: date
    due: bool
    """The retention period has ended (deletable unless held)."""
    holds: tuple[LegalHold, ...]
    """Legal holds in force (a held case is never deleted)."""


@dataclass(frozen=True)
class PurgeResult:
    """What one purge run did."""

    deleted: tuple[tuple[str, Deletion], ...]
    """(reference, deletion record) per case purged."""
    held: tuple[str, ...]
    """References that were due but kept under a legal hold."""
    cleanup: LeftoverCleanup | None = None
    """Files left by interrupted writes, removed by the same purge (None: there were none)."""


_PURGERS = (Role.MLRO, Role.SENIOR_MANAGER)
"""Who may delete personal data at the end of retention."""
_HOLDERS = (Role.MLRO, Role.SENIOR_MANAGER, Role.SUPERVISOR)
"""Who may place or release a legal hold."""


class CaseFile:
    """The case-file use cases over a store, a blob store, the checklist library and a clock.

    Reading for other layers (TUI, PDF): `summaries()` for the matters list (one stored row per
    case, rating and flags included), `view(reference)` for one case. Neither can reach the
    MLRO-restricted records: those are read only by `restricted(actor, reference)`, MLRO only.
    """

    def __init__(
        self,
        store: CaseStore,
        blobs: BlobStore,
        library: ChecklistLibrary,
        clock: Clock,
        policy: CasePolicy | None = None,
        list_blobs: BlobStore | None = None,
    ) -> None:
        self.store = store
        self.blobs = blobs
        self.list_blobs = list_blobs
        """The screening lists' blob folder, when there is one: searched for leftovers too."""
        self.library = library
        self.clock = clock
        self.policy = policy or CasePolicy()
        self.screener: PartyScreener | None = None
        """Set by the composition root: screens each party as it is added."""
        self.key_dir: Path | None = None
        """Set by the composition root: the folder beside the store holding the firm's
        encrypted signing key (never inside the case file)."""
        self.protected: tuple[Path, ...] = ()
        """Set by the composition root: the store file and its own folders, never evidence."""

    # ------------------------------------------------------------------------------------------
    # Firm and people

    def init_firm(
        self,
        *,
        firm_name: str,
        supervisor: Supervisor,
        fwra_version: str,
        fwra_date: date,
        first_user: Person,
        os_user: str,
        supervisor_registration: str | None = None,
        training_months: int = 12,
        fwra_approver: str | None = None,
        approver: Person | None = None,
        kind: FirmKind | None = None,
    ) -> FirmProfile:
        """Create the firm profile and its first user; refused once the firm exists.

        `kind` (law firm, estate agency, both) is set here once: it decides which matter kinds
        the firm opens and the words the tool uses for its people (the CLI and the TUI always
        give it; unset, the firm opens every kind, as before it was asked).

        The firm-wide risk assessment needs senior management's approval (MLR reg 18, 19) before
        any matter can open, so set-up does not finish without its approver: the first user when
        they are a senior manager (the default then, or named as `fwra_approver`), or `approver`,
        a senior manager registered in the same step. Otherwise a negotiator or fee earner setting
        up the firm would leave a case file in which nothing could ever open and nobody could
        register the senior manager. The first user is bound to the computer account creating
        the store (`os_user`), so nobody else can act as them.
        """
        with self.store.transaction() as tx:  # said first: nothing else matters then
            if tx.firm() is not None:
                raise NotAllowed("the case file is already initialised; use `users add`")
        today = self.clock.now().date()
        firm_name = plain_text("the firm's name", firm_name)
        fwra_version = plain_text("the FWRA version", fwra_version)
        supervisor_registration = optional_text(
            "the supervisor registration", supervisor_registration, lines=False
        )
        _check_person(first_user)
        _check_training(first_user, today)
        if fwra_date > today:
            raise InvalidInput(
                f"FWRA date: {fwra_date.isoformat()} is in the future (today is {today.isoformat()})"
            )
        if approver is not None and approver.id == first_user.id:
            approver = None  # "who may be the same person"
        if approver is not None:
            _check_training(approver, today)
            if fwra_approver not in (None, approver.id):
                raise InvalidInput(
                    f"the FWRA approver is named twice: '{fwra_approver}' and '{approver.id}'"
                )
            if not approver.holds(Role.SENIOR_MANAGER):
                raise NotAllowed(
                    f"{approver.id} cannot approve the firm-wide risk assessment: it needs "
                    "senior management (MLR reg 18, 19)"
                )
            fwra_approver = approver.id
        elif fwra_approver is None and first_user.holds(Role.SENIOR_MANAGER):
            fwra_approver = first_user.id
        elif fwra_approver is None:
            raise InvalidInput(
                f"set-up needs the senior manager who approved the firm-wide risk assessment "
                f"(MLR reg 18, 19): {first_user.id} is not one, so name them (user id and full "
                "name) and they are registered now; without an approved FWRA no matter can open"
            )
        elif fwra_approver != first_user.id:
            raise InvalidInput(
                f"the FWRA approver '{fwra_approver}' is not registered yet; give their full "
                "name too, and they are registered with the firm"
            )
        elif not first_user.holds(Role.SENIOR_MANAGER):
            raise NotAllowed(
                f"{first_user.id} cannot approve the firm-wide risk assessment: it needs "
                "senior management (MLR reg 18, 19)"
            )
        firm = _build(
            FirmProfile,
            name=firm_name,
            supervisor=supervisor,
            supervisor_registration=supervisor_registration,
            fwra_version=fwra_version,
            fwra_date=fwra_date,
            training_months=training_months,
            fwra_approver=fwra_approver,
            kind=kind,
        )
        if not first_user.os_users:
            first_user = first_user.model_copy(update={"os_users": (os_user,)})
        actor = Actor(user=first_user.id, os_user=os_user)
        with self.store.transaction() as tx:
            if tx.firm() is not None:
                raise NotAllowed("the case file is already initialised; use `users add`")
            role = first_user.roles[0].value
            tx.add(firm, actor=actor, role=role, action="firm.init")
            tx.add(first_user, actor=actor, role=role, action="person.add")
            if approver is not None:
                tx.add(approver, actor=actor, role=role, action="person.add")
        return firm

    def record_fwra(
        self, actor: Actor, version: str, approved_on: date, approver: str
    ) -> FirmProfile:
        """Record a new firm-wide risk assessment version, its date and its (senior management)
        approver (REQ-A1, R9). Matters open only while a current, approved FWRA is recorded."""
        if approved_on > self.clock.now().date():
            raise InvalidInput(f"an FWRA approved on {approved_on} is in the future")
        with self.store.transaction() as tx:
            me = self._actor(tx, actor)
            firm = self._firm(tx)
            person = tx.person(approver)
            if person is None:
                raise NotFound(f"no person '{approver}' is registered")
            if not person.holds(Role.SENIOR_MANAGER):
                raise NotAllowed(
                    f"{approver} cannot approve the firm-wide risk assessment: it needs senior "
                    "management (MLR reg 18, 19)"
                )
            updated = _build(
                FirmProfile,
                **(
                    firm.model_dump()
                    | {
                        "fwra_version": plain_text("the FWRA version", version),
                        "fwra_date": approved_on,
                        "fwra_approver": approver,
                    }
                ),
            )
            tx.replace(updated, actor=actor, role=me.roles[0].value, action="firm.fwra")
            return updated

    def add_person(self, actor: Actor, person: Person) -> Person:
        """Register a person."""
        _check_person(person)
        _check_training(person, self.clock.now().date())
        with self.store.transaction() as tx:
            me = self._actor(tx, actor)
            role = self._one_of(me, REGISTRARS, "register people")
            self._bound(me, "register people")
            if tx.person(person.id) is not None:
                raise ConflictError(f"a person '{person.id}' is already registered")
            tx.add(person, actor=actor, role=role.value, action="person.add")
        return person

    def bind_os_users(self, actor: Actor, person_id: str, os_users: tuple[str, ...]) -> Person:
        """Set the computer accounts a person may act from (empty: any). MLRO or senior
        manager only: it is what keeps others from acting as the MLRO."""
        cleaned = tuple(dict.fromkeys(u.strip() for u in os_users if u.strip()))
        with self.store.transaction() as tx:
            me = self._actor(tx, actor)
            role = self._one_of(me, REGISTRARS, "bind people to computer accounts")
            self._bound(me, "bind people to computer accounts")
            person = tx.person(person_id)
            if person is None:
                raise NotFound(f"no person '{person_id}' is registered")
            updated = person.model_copy(update={"os_users": cleaned})
            tx.replace(updated, actor=actor, role=role.value, action="person.bind")
            return updated

    def record_training(self, actor: Actor, person_id: str, trained_on: date) -> Person:
        """Record a person's latest AML training date (reg 24 training record)."""
        today = self.clock.now().date()
        if trained_on > today:
            raise InvalidInput(
                f"AML training date: {trained_on.isoformat()} is in the future (today is "
                f"{today.isoformat()})"
            )
        with self.store.transaction() as tx:
            me = self._actor(tx, actor)
            person = tx.person(person_id)
            if person is None:
                raise NotFound(f"no person '{person_id}' is registered")
            updated = person.model_copy(update={"trained_on": trained_on})
            tx.replace(updated, actor=actor, role=me.roles[0].value, action="person.training")
            return updated

    def set_status(self, actor: Actor, reference: str, status: CaseStatus) -> Case:
        """Open or close a case (status is workflow: it does not supersede approvals)."""
        with self.store.transaction() as tx:
            me = self._actor(tx, actor)
            case = self._case(tx, reference).case
            if case.status is status:
                raise InvalidInput(f"case {reference} is already {status.value}")
            if case.status is CaseStatus.PURGED:
                raise NotAllowed(f"case {reference} was purged at the end of retention")
            if status is CaseStatus.PURGED:
                raise InvalidInput("a case is purged only by `retention purge`")
            updated = case.model_copy(update={"status": status})
            tx.replace(updated, actor=actor, role=me.roles[0].value, action=f"case.{status.value}")
            self._refresh(tx, case.id)
            return updated

    def people(self) -> list[Person]:
        """Everyone registered."""
        with self.store.transaction() as tx:
            return tx.people()

    def firm(self) -> FirmProfile | None:
        """The firm profile."""
        with self.store.transaction() as tx:
            return tx.firm()

    # ------------------------------------------------------------------------------------------
    # Cases and parties

    def open_case(
        self, actor: Actor, new: NewCase, parties: Sequence[NewParty] = ()
    ) -> CaseRecords:
        """Open a case, start the checklists that apply to it and add `parties` (the client
        first): one transaction, so any error leaves no case behind."""
        if new.matter_type not in MATTER_TYPES:
            raise InvalidInput(
                f"unknown matter type '{new.matter_type}'; one of: {', '.join(sorted(MATTER_TYPES))}"
            )
        if new.acting_for is not None and new.acting_for not in ACTING_FOR:
            raise InvalidInput(
                f"unknown side '{new.acting_for}'; one of: {', '.join(sorted(ACTING_FOR))}"
            )
        new = _checked_reference(new)
        now = self.clock.now()
        for party in parties:
            try:
                _check_party(party, now.date())
            except InvalidInput as error:
                raise InvalidInput(f"{_who(party)}: {error}") from None
        if parties and self.screener is not None:
            self.screener.prepare()
        with self.store.transaction() as tx:
            me = self._actor(tx, actor)
            firm = self._firm(tx)
            refusal = matter_kind_refusal(firm, new.firm_role, new.matter_type)
            if refusal is not None:
                raise NotAllowed(f"{new.reference} cannot open: {refusal}")
            self._check_fwra(firm, now.date())
            if tx.case_by_reference(new.reference) is not None:
                raise ConflictError(f"a case '{new.reference}' already exists")
            responsible = tx.person(new.responsible)
            if responsible is None:
                raise NotFound(f"no person '{new.responsible}' is registered")
            if not responsible.training_current(now.date(), firm.training_months):
                when = responsible.trained_on or "no record"
                raise NotAllowed(
                    f"{responsible.id} cannot be the responsible person: AML training is "
                    f"missing or older than {firm.training_months} months (last: {when})"
                )
            case = _build(
                Case,
                id=new_id(),
                reference=new.reference,
                firm_role=new.firm_role,
                matter_type=new.matter_type,
                acting_for=new.acting_for,
                client_type=new.client_type,
                responsible=responsible.id,
                opened_at=now,
                opened_by=actor.user,
            )
            role = me.roles[0].value
            tx.add(case, actor=actor, role=role, action="case.open")
            for checklist in self.library.starting_for(
                new.firm_role, new.client_type, new.acting_for
            ):
                tx.add(
                    self._run(case, checklist, CLIENT, now),
                    actor=actor,
                    role=role,
                    action="checklist.start",
                )
            for number, party in enumerate(parties, start=1):
                try:
                    self._add_party(tx, actor, role, case.id, f"p{number}", party, now)
                except InvalidInput as error:
                    raise InvalidInput(f"{_who(party)}: {error}") from None
            if case.firm_role is FirmRole.ESTATE_AGENT:
                self._prefill(tx, actor, me, tx.case_records(case.id), now)
            self._refresh(tx, case.id)
            return tx.case_records(case.id)

    def _prefill(
        self, tx: Session, actor: Actor, me: Person, records: CaseRecords, now: datetime
    ) -> None:
        """Answer what the new-matter dialog already asked of an agency's one individual
        client (name, date of birth, nationality) so the checklist does not ask it again; the
        answers are the opener's, visible and changeable like any other. One that the question
        would refuse (a name too short for it) is left to be answered."""
        clients = [p for p in records.parties if p.role is PartyRole.CLIENT]
        if len(clients) != 1 or clients[0].kind is not PartyKind.INDIVIDUAL:
            return
        client = clients[0]
        given: dict[str, AnswerValue | None] = {
            "customer.name": ", ".join((client.name, *client.other_names)),
            "customer.dob": client.date_of_birth,
            "customer.nationality": client.nationalities[0] if client.nationalities else None,
        }
        for run in records.runs:
            checklist = self.library.get(run.checklist_id)
            if checklist is None or run.subject != CLIENT:
                continue
            for key, value in given.items():
                if value is None or checklist.question(key) is None:
                    continue
                try:
                    self._add_answer(tx, actor, me, records, key, None, value, run.key, UNSET, now)
                except InvalidInput:
                    continue

    def start_checklist(
        self, actor: Actor, reference: str, checklist_id: str, subject: str = CLIENT
    ) -> Run:
        """Start a (spawned) checklist on a case for the client or a party label."""
        now = self.clock.now()
        with self.store.transaction() as tx:
            me = self._actor(tx, actor)
            records = self._writable(tx, reference, me, now)
            checklist = self.library.get(checklist_id)
            if checklist is None:
                raise NotFound(f"no checklist '{checklist_id}' is loaded")
            if subject != CLIENT and subject not in {p.label for p in records.parties}:
                raise NotFound(f"case {reference} has no party '{subject}'")
            run = self._run(records.case, checklist, subject, now)
            if run.key in {r.key for r in records.runs}:
                raise ConflictError(f"checklist {run.key} is already started on {reference}")
            tx.add(run, actor=actor, role=me.roles[0].value, action="checklist.start")
            self._refresh(tx, records.case.id)
            return run

    def add_party(self, actor: Actor, reference: str, new: NewParty) -> Party:
        """Add a party to a case."""
        now = self.clock.now()
        _check_party(new, now.date())
        if self.screener is not None:
            self.screener.prepare()
        with self.store.transaction() as tx:
            me = self._actor(tx, actor)
            records = self._writable(tx, reference, me, now)
            label = f"p{len(records.parties) + 1}"
            party = self._add_party(tx, actor, me.roles[0].value, records.case.id, label, new, now)
            self._refresh(tx, records.case.id)
            return party

    def _add_party(
        self,
        tx: Session,
        actor: Actor,
        role: str,
        case_id: str,
        label: str,
        new: NewParty,
        now: datetime,
    ) -> Party:
        """Add one party inside the caller's transaction (screened against the lists; the
        caller has called `screener.prepare()` before taking the write lock)."""
        party = _build(
            Party,
            id=new_id(),
            case_id=case_id,
            label=label,
            role=new.role,
            kind=new.kind,
            name=new.name.strip(),
            other_names=tuple(n.strip() for n in new.other_names if n.strip()),
            date_of_birth=new.date_of_birth,
            nationalities=tuple(n.upper() for n in new.nationalities),
            addresses=new.addresses,
            registration_number=new.registration_number,
            added_at=now,
            added_by=actor.user,
        )
        tx.add(party, actor=actor, role=role, action="party.add")
        if self.screener is not None:
            self.screener.screen_new_party(tx, actor, role, party)
        return party

    # ------------------------------------------------------------------------------------------
    # Answers and events

    def answer(
        self,
        actor: Actor,
        reference: str,
        question_key: str,
        raw: str | None = None,
        *,
        value: AnswerValue | None = None,
        run_key: str | None = None,
        expected_previous: str | _Unset | None = UNSET,
        reason: str | None = None,
    ) -> AnswerVersion:
        """Record a new version of an answer (typed text `raw`, or a checked `value`): the
        version written. Everything else is `answer_and_read`'s, the checklists the answer makes
        necessary started in the same transaction included; this is for callers that want the
        version rather than the matter as it then stands."""
        version, _ = self._answer(
            actor, reference, question_key, raw, value, run_key, expected_previous, reason
        )
        return version

    def _add_answer(
        self,
        tx: Session,
        actor: Actor,
        me: Person,
        records: CaseRecords,
        question_key: str,
        raw: str | None,
        value: AnswerValue | None,
        run_key: str | None,
        expected_previous: str | _Unset | None,
        now: datetime,
        reason: str | None = None,
        *,
        signing: bool = False,
    ) -> tuple[AnswerVersion, int]:
        """Check and add one answer version inside the caller's transaction; with the audit
        sequence number it was written at. Sign-off questions are written only by `sign_off`
        (`signing`)."""
        run, question = self._question(records, question_key, run_key)
        if question.sign_off is not None and not signing:
            raise InvalidInput(
                f"{question_key} is not typed: it is filled when you sign off (F7 in the "
                f"matter, or `duediligence sign-off {records.case.reference}`), with you and the "
                "moment"
            )
        if run.checklist_id == SOF_CHECKLIST and question.id == DERIVED_QUESTION:
            raise InvalidInput(
                f"{question.id} is not typed: it is worked out from the receipts recorded on "
                f"{records.case.reference} (`duediligence funds add`, `funds list`)"
            )
        if raw is not None:
            answer_value = parse_answer(question, raw)
        elif value is not None:
            answer_value = validate_answer(question, value)
        else:
            raise InvalidInput(f"{question_key}: no answer given")
        check_past(question, answer_value, now)
        self._check_references(records, question, answer_value)
        mlro_reason = self._scope_check(me, records.case, question, answer_value, reason)
        # From the records read in this same transaction (they hold every version).
        latest = max(
            (a for a in records.answers if a.run_id == run.id and a.question_key == question_key),
            key=lambda a: a.number,
            default=None,
        )
        seen = latest.id if latest else None
        if not isinstance(expected_previous, _Unset) and expected_previous != seen:
            raise ConflictError(_stale(question_key, latest))
        version = _build(
            AnswerVersion,
            id=new_id(),
            case_id=records.case.id,
            run_id=run.id,
            question_key=question_key,
            number=(latest.number + 1) if latest else 1,
            value=answer_value,
            answered_by=actor.user,
            answered_at=now,
            previous_id=seen,
            mlro_reason=mlro_reason,
            checklist_sha256=self._keep_checklist(tx, run.checklist_id, now, records),
        )
        refused = self._refused(records, run, question, version)
        if refused is not None:
            raise InvalidAnswer(question_key, f"{refused}; nothing was recorded")
        written = tx.add(version, actor=actor, role=me.roles[0].value, action="answer.set")
        return version, written.seq

    def sign_off(self, actor: Actor, reference: str) -> tuple[AnswerVersion, ...]:
        """Sign the matter's checklists off as the signed-in person, now: the sign-off
        questions (`sign_off = "person"` / `"moment"`) are filled from `actor` and the clock,
        never typed, and the sign-off is stored as the fee earner's approval bound to the record
        it relied on, so a later change to that record reopens it (the read model then counts
        the sign-off answers as unanswered).

        Refused while any other required answer of the checklists signed is missing, or when
        the person has no current AML training.
        """
        now = self.clock.now()
        with self.store.transaction() as tx:
            me = self._actor(tx, actor)
            records = self._writable(tx, reference, me, now)
            evaluation = self.view_of(records).evaluation
            targets = []
            for run in records.runs:
                checklist = self.library.get(run.checklist_id)
                visible = evaluation.visible.get(run.key, ())
                for _, question in checklist.questions() if checklist else ():
                    if question.sign_off is not None and question.id in visible:
                        targets.append((run, question))
            if not targets:
                raise InvalidInput(
                    f"{reference} has nothing to sign off: none of its checklists asks for a "
                    "sign-off (the rating is recorded with F7 or `answer`)"
                )
            signing = {run.key for run, _ in targets}
            signed = {(run.key, question.id) for run, question in targets}
            missing = [
                m
                for m in evaluation.missing
                if m.run_id in signing and (m.run_id, m.question_id.partition("#")[0]) not in signed
            ]
            if missing:
                first = missing[0]
                raise NotAllowed(
                    f"{reference} cannot be signed off: {len(missing)} required answer"
                    f"{'' if len(missing) == 1 else 's'} still missing (first: {first.question_id}"
                    f" in {first.run_id}); sign off when the due diligence is complete"
                )
            written = []
            for run, question in targets:
                value: AnswerValue = (
                    f"{me.name} ({me.id})" if question.sign_off == "person" else now
                )
                version, _ = self._add_answer(
                    tx, actor, me, records, question.id, None, value, run.key, UNSET, now,
                    signing=True,
                )  # fmt: skip
                written.append(version)
            records = tx.case_records(records.case.id)
            approval = _build(
                Approval,
                id=new_id(),
                case_id=records.case.id,
                approver=me.id,
                role=Role.FEE_EARNER,
                decision="approved",
                conditions=None,
                given_at=now,
                state_sha256=state_of(records),
                relied_on_sha256=relied_on_of(records),
            )
            tx.add(approval, actor=actor, role=me.roles[0].value, action="signoff.given")
            self._refresh(tx, records.case.id)
            return tuple(written)

    def _refused(
        self, records: CaseRecords, run: Run, question: Question, version: AnswerVersion
    ) -> str | None:
        """Why the other answers refuse this one (a `refuse` effect of the question's own rule
        that holds once it is given), or None. Evaluated only for questions that can refuse."""
        if not any(isinstance(e, RefuseAnswer) for r in question.rules for e in r.effects):
            return None
        snapshot = snapshot_of(
            replace(records, answers=(*records.answers, version)), self.library, frozenset()
        )
        entry = version.question_key.partition("#")[2]
        for refusal in evaluate(snapshot).refusals:
            cause = refusal.cause
            if (
                cause.run_id == run.key
                and cause.question_id == question.id
                and (cause.entry is None if not entry else str(cause.entry) == entry)
            ):
                return refusal.reason
        return None

    def answer_and_read(
        self,
        actor: Actor,
        reference: str,
        question_key: str,
        raw: str | None = None,
        *,
        value: AnswerValue | None = None,
        run_key: str | None = None,
        expected_previous: str | _Unset | None = UNSET,
        reason: str | None = None,
    ) -> CaseView:
        """Record an answer, start the checklists it makes necessary, and return the case as it
        then stands: one transaction, one read of the case and one evaluation (two when a
        checklist is started), the same the listing row is written from. What the TUI and the
        CLI call for each answer given (the version written is the view's current answer).

        `expected_previous` is the answer version the caller last saw (None: none yet); when
        someone else has answered since, ConflictError and nothing is written.

        "Out of scope of the MLR" (an `out_of_scope` option) is refused on matter types the
        MLR cover by their nature, and elsewhere only the MLRO may answer it, with `reason`
        (stored on the answer).
        """
        _, view = self._answer(
            actor, reference, question_key, raw, value, run_key, expected_previous, reason
        )
        return view

    def _answer(
        self,
        actor: Actor,
        reference: str,
        question_key: str,
        raw: str | None,
        value: AnswerValue | None,
        run_key: str | None,
        expected_previous: str | _Unset | None,
        reason: str | None,
    ) -> tuple[AnswerVersion, CaseView]:
        """The one way an answer is recorded (see `answer_and_read`)."""
        now = self.clock.now()
        with self.store.transaction() as tx:
            me = self._actor(tx, actor)
            records = self._writable(tx, reference, me, now)
            version, seq = self._add_answer(
                tx,
                actor,
                me,
                records,
                question_key,
                raw,
                value,
                run_key,
                expected_previous,
                now,
                reason,
            )
            # The case as it now stands without reading it again: what was read, and the
            # version just written with its audit sequence number.
            view = self.view_of(
                replace(
                    records,
                    answers=(*records.answers, version),
                    record_seq={**records.record_seq, version.target(): seq},
                )
            )
            needed = [s for s in view.evaluation.spawns if s.run_id is None]
            started = {r.key for r in view.records.runs}
            for need in needed:
                checklist = self.library.get(need.checklist_id)
                if checklist is None:
                    continue
                run = self._run(records.case, checklist, need.subject, now)
                if run.key not in started:
                    tx.add(run, actor=actor, role=me.roles[0].value, action="checklist.start")
                    started.add(run.key)
            if needed:
                view = self.view_of(tx.case_records(records.case.id))
            tx.put_summary(self._summary(tx, view))
            return version, view

    @staticmethod
    def _scope_check(
        me: Person, case: Case, question: Question, value: AnswerValue, reason: str | None
    ) -> str | None:
        """The MLRO's reason to store with an out-of-scope answer, or None for any other
        answer; NotAllowed when the matter type is in scope by nature or the person is not the
        MLRO."""
        option = out_of_scope_choice(question, value)
        if option is None:
            if reason is not None:
                raise InvalidInput(
                    f"{question.id}: a reason is recorded only with an answer that needs the "
                    "MLRO's confirmation (out of scope of the MLR)"
                )
            return None
        refusal = scope_refusal(case.reference, case.matter_type, option)
        if refusal is not None:
            raise NotAllowed(refusal)
        if not me.holds(Role.MLRO):
            raise NotAllowed(
                f"'{option.label}' needs the MLRO's confirmation on {case.reference}: only the "
                "MLRO (nominated officer) may answer it, with a reason; answer the regulated "
                "activity, or ask the MLRO"
            )
        return stated_reason("an out-of-scope answer", reason)

    def record_event(
        self,
        actor: Actor,
        reference: str,
        event: MatterEvent,
        at: datetime | None = None,
        *,
        exception: str | None = None,
    ) -> EventRecord:
        """Record a matter event (instructed, exchange, ...) at a time (default now).

        Funds received, exchange and completion pass a gate (G2, G3, G4): while that gate is
        closed they are refused, naming every reason. Only the MLRO may record one anyway, as an
        exception with a reason (`exception`: money already in client account must be recorded
        so that it is held); the exception is stored with what blocked the gate.
        """
        now = self.clock.now()
        if at is not None and at.tzinfo is None:
            raise InvalidInput("give the event time with a timezone, e.g. 2026-01-31T10:00+00:00")
        if at is not None and at > now + CLOCK_SKEW:
            raise InvalidInput(
                f"event time: {at.isoformat(timespec='minutes')} is in the future (now is "
                f"{now.astimezone(at.tzinfo).isoformat(timespec='minutes')}); record an event "
                "when it has happened"
            )
        if at is not None:
            at = at.astimezone(UTC)
        with self.store.transaction() as tx:
            me = self._actor(tx, actor)
            records = self._writable(tx, reference, me, now)
            case = records.case
            refusal = event_refusal(event, case.firm_role.value, case.acting_for)
            if refusal is not None:
                raise InvalidInput(f"{reference}: {refusal}")
            gate, blockers = event_blockers(self.view_of(records).evaluation, event)
            reason: str | None = None
            if blockers and exception is None:
                title = gate.title_for(case.firm_role.value, case.acting_for)
                raise NotAllowed(
                    f"{event.label.lower()} cannot be recorded on {reference}: {gate.value} "
                    f"({title.lower()}) is closed: {'; '.join(blockers)}. Clear these "
                    "first; only the MLRO may record it as an exception, with a reason"
                )
            if exception is not None:
                if not blockers:
                    raise InvalidInput(
                        f"{event.value} needs no exception on {reference}: "
                        + (f"{gate.value} is open" if event in EVENT_GATES else "it passes no gate")
                    )
                if not me.holds(Role.MLRO):
                    raise NotAllowed(
                        f"{me.id} cannot record {event.value} past a closed gate: only the MLRO "
                        "(nominated officer) may record an exception"
                    )
                self._bound(me, "record an exception to a closed gate")
                reason = stated_reason("an exception to a closed gate", exception)
            record = _build(
                EventRecord,
                id=new_id(),
                case_id=records.case.id,
                event=event,
                at=at or now,
                recorded_at=now,
                recorded_by=actor.user,
                gate_exception=reason,
                blocked_by=blockers if reason is not None else (),
            )
            tx.add(
                record,
                actor=actor,
                role=Role.MLRO.value if reason is not None else me.roles[0].value,
                action="event.exception" if reason is not None else "event.add",
            )
            self._refresh(tx, records.case.id)
            return record

    # ------------------------------------------------------------------------------------------
    # Evidence

    def attach_evidence(
        self, actor: Actor, reference: str, source: Path, new: NewEvidence
    ) -> Evidence:
        """Store a file as evidence on a case, linked to a question and/or party.

        Everything that can be checked is checked before the file is read; the blob is stored
        before the metadata (an unreferenced blob after a failure is harmless: same content,
        same name), and the metadata and audit event are written in one transaction.
        """
        now = self.clock.now()
        new = replace(
            new,
            issuer=optional_text("the issuer", new.issuer, lines=False),
            document_number=optional_text("the document number", new.document_number, lines=False),
            method=optional_text("the verification method", new.method, lines=False),
            note=optional_text("the evidence note", new.note),
        )
        for what, moment in (("received at", new.received_at), ("verified at", new.verified_at)):
            if moment is not None and moment > now + CLOCK_SKEW:
                raise InvalidInput(
                    f"{what}: {moment.isoformat(timespec='minutes')} is in the future (now is "
                    f"{now.astimezone(moment.tzinfo).isoformat(timespec='minutes')})"
                )
        self._not_own_file(source)
        verification_method(new.verified_at is not None, new.method)
        with self.store.transaction() as tx:
            records = self._writable(tx, reference, self._actor(tx, actor), now)
            self._evidence_links(records, new)
        blob = self.blobs.put(source)
        # The type comes from the stored bytes, not the name: a JPEG named .pdf is a JPEG.
        with self.blobs.path_of(blob.sha256).open("rb") as stored:
            kind = media_type(stored.read(HEAD_SIZE), str(source.name))
        with self.store.transaction() as tx:
            me = self._actor(tx, actor)
            records = self._writable(tx, reference, me, now)
            run, question, party = self._evidence_links(records, new)
            # Known only once the file is read: the blob may stay behind unreferenced, which
            # is harmless (see above) and `maintenance clean` removes.
            reuse_reason = self._reuse_reason(records, blob.sha256, new)
            evidence = _build(
                Evidence,
                id=new_id(),
                case_id=records.case.id,
                sha256=blob.sha256,
                size=blob.size,
                original_name=clean_display_name(str(source.name)),
                media_type=kind,
                document_type=new.document_type,
                issuer=new.issuer,
                document_number=_clean_number(new.document_number),
                document_date=new.document_date,
                expiry=new.expiry,
                received_at=new.received_at or now,
                verified_at=new.verified_at,
                verified_by=actor.user if new.verified_at else None,
                method=new.method,
                note=new.note,
                run_id=run.id if run else None,
                question_key=new.question,
                party_id=party.id if party else None,
                added_at=now,
                added_by=actor.user,
                reuse_reason=reuse_reason,
            )
            role = me.roles[0].value
            tx.add(evidence, actor=actor, role=role, action="evidence.add")
            if run is not None and question is not None and question.type is QuestionType.EVIDENCE:
                assert new.question is not None
                latest = tx.latest_answer(run.id, new.question)
                refs = tuple(latest.value) if latest and isinstance(latest.value, tuple) else ()
                tx.add(
                    _build(
                        AnswerVersion,
                        id=new_id(),
                        case_id=records.case.id,
                        run_id=run.id,
                        question_key=new.question,
                        number=(latest.number + 1) if latest else 1,
                        value=(*refs, evidence.id),
                        answered_by=actor.user,
                        answered_at=now,
                        previous_id=latest.id if latest else None,
                    ),
                    actor=actor,
                    role=role,
                    action="answer.set",
                )
            self._refresh(tx, records.case.id)
            return evidence

    # ------------------------------------------------------------------------------------------
    # Receipts into client account (the money trail, issue 14)

    def add_receipt(self, actor: Actor, reference: str, new: NewReceipt) -> ReceiptAdded:
        """Record a payment into client account, reconciled at once with the declared funds.

        Every field is checked first (nothing stored on a mistake). The money is in the account,
        so a receipt is never refused for a closed gate: recorded while G2 is closed, it keeps
        why, holds the matter and tells the MLRO (a referral) until the MLRO accepts it or it is
        returned. A remitter who is not a party of the matter is added as a payer and screened
        in the same transaction.
        """
        return self.import_receipts(actor, reference, [new], numbered=False)[0]

    def import_receipts(
        self,
        actor: Actor,
        reference: str,
        rows: Sequence[NewReceipt],
        *,
        numbered: bool = True,
    ) -> list[ReceiptAdded]:
        """Record several receipts (a client-ledger export) in one transaction: every row is
        checked before any is stored; a bad row is named by its number and field and nothing
        is stored."""
        now = self.clock.now()
        if not rows:
            raise InvalidInput("no receipts to record")
        if self.screener is not None:
            self.screener.prepare()
        with self.store.transaction() as tx:
            me = self._actor(tx, actor)
            records = self._writable(tx, reference)
            view = self.view_of(records)
            # Whether G2 was closed by the due diligence itself (not by receipts already held:
            # one receipt that does not match must not make every later one an exception).
            _, closed = event_blockers(
                self.view_of(replace(records, receipts=(), receipt_actions=())).evaluation,
                MatterEvent.FUNDS_RECEIVED,
            )
            checked: list[CheckedReceipt] = []
            for number, row in enumerate(rows, start=1):
                try:
                    checked.append(check_receipt(row, view.funds.declared, now, reference))
                except InvalidInput as error:
                    if not numbered:
                        raise
                    raise InvalidInput(f"row {number}: {error}") from None
            role = me.roles[0].value
            added: list[ReceiptAdded] = []
            for item in checked:
                receipt = _build(
                    Receipt,
                    id=new_id(),
                    case_id=records.case.id,
                    amount=item.money.amount,
                    currency=item.money.currency,
                    rate=item.rate,
                    received_on=item.received_on,
                    remitter=item.remitter,
                    bank=item.bank,
                    bank_country=item.bank_country,
                    account=item.account,
                    reference=item.reference,
                    run_key=item.run_key,
                    tranche=item.tranche,
                    gate_closed=closed,
                    recorded_by=actor.user,
                    recorded_at=now,
                )
                tx.add(
                    receipt,
                    actor=actor,
                    role=role,
                    action="receipt.held" if closed else "receipt.add",
                )
                records = replace(records, receipts=(*records.receipts, receipt))
                view = self.view_of(records)
                party: Party | None = None
                line = next(li for li in view.funds.lines if li.receipt.id == receipt.id)
                if payer_party_needed(line):
                    party = self._add_party(
                        tx,
                        actor,
                        role,
                        records.case.id,
                        f"p{len(records.parties) + 1}",
                        NewParty(
                            role=NEW_PAYER_ROLE, kind=_kind_of(item.remitter), name=item.remitter
                        ),
                        now,
                    )
                    records = tx.case_records(records.case.id)
                    view = self.view_of(records)
                    line = next(li for li in view.funds.lines if li.receipt.id == receipt.id)
                added.append(ReceiptAdded(receipt=receipt, line=line, new_party=party))
            self._refresh(tx, records.case.id)
            return added

    def allocate_receipt(
        self, actor: Actor, reference: str, receipt_id: str, tranche: str
    ) -> ReceiptAction:
        """Allocate a receipt to a declared tranche ("N" or "RUN#N"); an acceptance given
        against another tranche no longer stands."""

        def check(me: Person, line: ReceiptLine, funds: Reconciliation) -> ReceiptAction:
            found = read_tranche(funds.declared, tranche, reference)
            if found is None:
                raise InvalidInput("tranche: give the declared tranche it pays (1, 2 ...)")
            check_currency(line.receipt.currency, line.receipt.rate, found)
            return self._receipt_action(
                me, line, "allocate", run_key=found.run_key, tranche=found.number
            )

        return self._act_on_receipt(actor, reference, receipt_id, "receipt.allocate", check)

    def explain_receipt(
        self, actor: Actor, reference: str, receipt_id: str, note: str
    ) -> ReceiptAction:
        """The fee earner's explanation of a receipt that does not reconcile (what differs,
        what the client said, the evidence): a supervisor then accepts it, or not."""

        def check(me: Person, line: ReceiptLine, funds: Reconciliation) -> ReceiptAction:
            if not line.mismatches:
                raise InvalidInput(
                    f"the receipt {line.receipt.id[:8]} reconciles: there is nothing to explain"
                )
            text = stated_reason(
                "an explanation of a receipt", plain_text("note", note, lines=True)
            )
            return self._receipt_action(me, line, "explain", note=text)

        return self._act_on_receipt(actor, reference, receipt_id, "receipt.explain", check)

    def accept_receipt(
        self, actor: Actor, reference: str, receipt_id: str, note: str | None = None
    ) -> ReceiptAction:
        """A supervisor's acceptance of an explained receipt (four eyes: not whoever recorded
        or explained it); a receipt that arrived past a closed gate is the MLRO's alone."""

        def check(me: Person, line: ReceiptLine, funds: Reconciliation) -> ReceiptAction:
            if line.status != "explained":
                raise InvalidInput(
                    f"the receipt {line.receipt.id[:8]} is {line.status}: only an explained "
                    "receipt that does not reconcile is accepted"
                    + (
                        " (explain it first: `funds explain`)"
                        if line.status == "unreconciled"
                        else ""
                    )
                )
            needed = (
                (Role.MLRO,)
                if line.needs_mlro
                else (Role.SUPERVISOR, Role.SENIOR_MANAGER, Role.MLRO)
            )
            if not any(me.holds(r) for r in needed):
                who = "the MLRO" if line.needs_mlro else "a supervisor, senior manager or the MLRO"
                raise NotAllowed(
                    f"{me.id} cannot accept the receipt {line.receipt.id[:8]}: only {who} may"
                    + (" (it arrived while G2 was closed)" if line.needs_mlro else "")
                )
            self._bound(me, "accept a receipt that does not reconcile")
            mine = own_receipt_work(me.id, line.state)
            if mine:
                raise NotAllowed(
                    f"{me.id} {' and '.join(mine)} and cannot also accept it: the acceptance "
                    "must come from a second person (four eyes)"
                )
            return self._receipt_action(
                me, line, "accept", note=optional_text("the acceptance note", note)
            )

        return self._act_on_receipt(actor, reference, receipt_id, "receipt.accept", check)

    def return_receipt(
        self, actor: Actor, reference: str, receipt_id: str, note: str
    ) -> ReceiptAction:
        """Record that a receipt was sent back to the payer: it no longer counts, and no
        longer holds the matter."""

        def check(me: Person, line: ReceiptLine, funds: Reconciliation) -> ReceiptAction:
            text = stated_reason("a returned receipt", plain_text("note", note, lines=True))
            return self._receipt_action(me, line, "return", note=text)

        return self._act_on_receipt(actor, reference, receipt_id, "receipt.return", check)

    def _act_on_receipt(
        self,
        actor: Actor,
        reference: str,
        receipt_id: str,
        action: str,
        check: Callable[[Person, ReceiptLine, Reconciliation], ReceiptAction],
    ) -> ReceiptAction:
        with self.store.transaction() as tx:
            me = self._actor(tx, actor)
            records = self._writable(tx, reference)
            funds = self.view_of(records).funds
            wanted = receipt_id.strip().lower()
            found = [li for li in funds.lines if li.receipt.id.startswith(wanted)] if wanted else []
            if len(found) != 1:
                raise NotFound(
                    f"case {reference} has no receipt '{receipt_id[:40]}'"
                    if not found
                    else f"'{receipt_id}' names {len(found)} receipts on {reference}; give more of the id"
                )
            line = found[0]
            if line.state.returned is not None:
                raise InvalidInput(
                    f"the receipt {line.receipt.id[:8]} was returned; nothing more is done with it"
                )
            record = check(me, line, funds)
            role = (
                Role.MLRO.value
                if action == "receipt.accept" and line.needs_mlro
                else me.roles[0].value
            )
            tx.add(record, actor=actor, role=role, action=action)
            self._refresh(tx, records.case.id)
            return record

    def _receipt_action(
        self,
        me: Person,
        line: ReceiptLine,
        action: ReceiptActionKind,
        *,
        run_key: str | None = None,
        tranche: int | None = None,
        note: str | None = None,
    ) -> ReceiptAction:
        return _build(
            ReceiptAction,
            id=new_id(),
            case_id=line.receipt.case_id,
            receipt_id=line.receipt.id,
            action=action,
            run_key=run_key,
            tranche=tranche,
            note=note,
            by=me.id,
            at=self.clock.now(),
        )

    # ------------------------------------------------------------------------------------------
    # Approvals

    def approve(
        self,
        actor: Actor,
        reference: str,
        role: Role,
        *,
        decision: Decision = "approved",
        conditions: str | None = None,
        expected_state: str | None = None,
        incomplete_reason: str | None = None,
    ) -> Approval:
        """Record an approval in a role, bound to the hash of the case as it stands.

        Refused when the approver does not hold the role, has no current AML training, or is
        the responsible person on the matter; ConflictError when `expected_state` is given and
        the case has changed since the approver looked at it.

        A senior manager's or the MLRO's approval needs the enhanced due diligence the matter
        asked for (PEP EDD, source of wealth, source of funds) complete; only the MLRO may
        approve without it, with `incomplete_reason`, and the approval is marked incomplete.
        """
        now = self.clock.now()
        conditions = optional_text("the approval conditions", conditions)
        with self.store.transaction() as tx:
            me = self._actor(tx, actor)
            firm = self._firm(tx)
            records = self._writable(tx, reference)
            if not me.holds(role):
                held = ", ".join(r.label.lower() for r in me.roles)
                raise NotAllowed(
                    f"{me.id} cannot approve as {role.label.lower()}: they hold {held}"
                )
            if me.id == records.case.responsible and not self.policy.allow_self_approval:
                raise NotAllowed(
                    f"{me.id} is the responsible person on {reference} and cannot approve it "
                    "(firm policy forbids self-approval)"
                )
            if role is not Role.FEE_EARNER:  # the fee earner's own sign-off approves nothing
                self._bound(me, f"approve as {role.label.lower()}")
            mine = own_work(me.id, role, records.answers, records.evidence, records.dispositions)
            if mine and not self.policy.allow_self_approval:
                raise NotAllowed(
                    f"{me.id} recorded {' and '.join(mine)} on {reference} and cannot approve "
                    f"it as {role.label.lower()}: the approval must come from someone who did "
                    "not do its due diligence (four eyes)"
                )
            if not me.training_current(now.date(), firm.training_months):
                what = "sign off" if role is Role.FEE_EARNER else "approve"
                raise NotAllowed(
                    f"{me.id} cannot {what} {reference}: AML training is missing or older than "
                    f"{firm.training_months} months (last: {me.trained_on or 'no record'}); "
                    "record current training first"
                )
            state = state_of(records)
            relied = relied_on_of(records)
            # What the approver reviewed is the due-diligence record (its relied-on hash; the
            # whole-case hash is taken too): a matter event recorded meanwhile changes neither.
            if expected_state is not None and expected_state not in (relied, state):
                raise ConflictError(
                    f"case {reference} has changed since you reviewed it; review it again"
                )
            outstanding = (
                edd_outstanding(self.view_of(records).evaluation)
                if decision == "approved" and role in (Role.SENIOR_MANAGER, Role.MLRO)
                else []
            )
            reason: str | None = None
            if outstanding and not me.holds(Role.MLRO):
                raise NotAllowed(
                    f"{me.id} cannot approve {reference} as {role.label.lower()}: the enhanced "
                    f"due diligence is not complete ({'; '.join(outstanding)}); complete it "
                    "first, or refuse; only the MLRO may approve an incomplete file, with a reason"
                )
            if outstanding:
                reason = stated_reason("approving an incomplete file", incomplete_reason)
            elif incomplete_reason is not None:
                raise InvalidInput(
                    f"{reference}: a reason for approving an incomplete file is recorded only "
                    "when the enhanced due diligence is not complete; it is"
                )
            approval = _build(
                Approval,
                id=new_id(),
                case_id=records.case.id,
                approver=me.id,
                role=role,
                decision=decision,
                conditions=conditions,
                given_at=now,
                state_sha256=state,
                relied_on_sha256=relied,
                incomplete_reason=reason,
                incomplete=tuple(outstanding) if reason else (),
            )
            action = "approval.incomplete" if reason else f"approval.{decision}"
            tx.add(approval, actor=actor, role=role.value, action=action)
            self._refresh(tx, records.case.id)
            return approval

    def request_approvals(
        self, actor: Actor, reference: str, note: str | None = None
    ) -> ApprovalRequest:
        """Ask for the approvals the case is waiting for: records the pending roles with the
        evaluator's reasons and an optional note, on the state the case is in.

        Anyone on the register may ask (usually the fee earner). Refused when no approval is
        pending. Asking again records a new request (a reminder); the approvals queue shows the
        latest one still waiting.
        """
        now = self.clock.now()
        text = optional_text("the request note", note)
        with self.store.transaction() as tx:
            me = self._actor(tx, actor)
            records = self._writable(tx, reference)
            if records.case.status is not CaseStatus.OPEN:
                raise NotAllowed(
                    f"case {reference} is {records.case.status.value}; reopen it first"
                )
            view = self.view_of(records)
            pending = [a for a in view.evaluation.approvals if not a.satisfied]
            if not pending:
                raise InvalidInput(f"no approval is needed on {reference} now: nothing to request")
            request = _build(
                ApprovalRequest,
                id=new_id(),
                case_id=records.case.id,
                roles=tuple(dict.fromkeys(a.role for a in pending)),
                reasons=tuple(dict.fromkeys(a.reason for a in pending)),
                note=text,
                requested_by=me.id,
                requested_at=now,
                state_sha256=view.state_sha256,
            )
            tx.add(request, actor=actor, role=me.roles[0].value, action="approval.requested")
            self._refresh(tx, records.case.id)
            return request

    # ------------------------------------------------------------------------------------------
    # MLRO rating override (a rating below a floor or trigger stands only on one)

    def override_rating(
        self, actor: Actor, reference: str, rating: Rating, rationale: str
    ) -> OverrideRecord:
        """Record the MLRO's override accepting `rating` below the case's minimum; MLRO only,
        with a rationale of at least the policy's minimum length. Audit-chained; the evaluator
        then accepts that chosen rating (the rating decision names the MLRO)."""
        text = plain_text("the override rationale", rationale, lines=True)
        minimum = self.policy.risk.override_rationale_min
        now = self.clock.now()
        with self.store.transaction() as tx:
            me = self._actor(tx, actor)
            if not me.holds(Role.MLRO):
                raise NotAllowed(
                    f"{me.id} cannot override a rating: only the MLRO (nominated officer) may"
                )
            self._bound(me, "override a rating")
            length = meaningful_length(text)
            if length < minimum:
                raise InvalidInput(
                    f"the override rationale must be at least {minimum} characters "
                    f"(it has {length}, repetition not counted); say why the lower rating is "
                    "justified"
                )
            records = self._writable(tx, reference)
            record = _build(
                OverrideRecord,
                id=new_id(),
                case_id=records.case.id,
                rating=rating,
                rationale=text,
                overridden_at=now,
                overridden_by=me.id,
            )
            tx.add(record, actor=actor, role=Role.MLRO.value, action="rating.override")
            self._refresh(tx, records.case.id)
            return record

    # ------------------------------------------------------------------------------------------
    # MLRO-restricted records (R7, R8: separate store area, MLRO only, never in the matter file)

    def add_restricted(
        self,
        actor: Actor,
        reference: str,
        kind: RestrictedKind,
        text: str,
        passphrase: str | Callable[[], str],
    ) -> RestrictedRecord:
        """Record an internal report, deliberation, SAR or DAML reference; MLRO only.

        Stored in the MLRO's own table, sealed under the MLRO's passphrase (the first record
        sets it; `passphrase` may be a function that asks for it, called once everything else
        is checked); its audit event says only "restricted.add" on an opaque target and names
        no case. It changes nothing any other output shows.
        """
        now = self.clock.now()
        text = plain_text("the MLRO record", text, lines=True)
        typed = self._passphrase_once_allowed(actor, reference, self._mlro, passphrase)
        with self.store.transaction() as tx:
            me = self._actor(tx, actor)
            self._mlro(me)
            records = self._case(tx, reference)
            return self._add_sealed(tx, actor, me, records.case.id, kind, text, typed, now)

    def _add_sealed(
        self,
        tx: Session,
        actor: Actor,
        me: Person,
        case_id: str,
        kind: RestrictedKind,
        text: str,
        passphrase: str,
        now: datetime,
    ) -> RestrictedRecord:
        """Add one restricted record, sealed under the MLRO's passphrase, in the caller's
        transaction: the one way a restricted record is written (an MLRO record, a referral's
        closing reasoning)."""
        from duediligence.services.signing import seal_record

        kek = self.proof.seal_key(tx, actor, passphrase)
        record = _build(
            RestrictedRecord,
            id=new_id(),
            case_id=case_id,
            kind=kind,
            text=text,
            added_at=now,
            added_by=me.id,
        )
        tx.add(seal_record(record, kek), actor=actor, role=Role.MLRO.value, action="restricted.add")
        return record

    @staticmethod
    def _referral_closer(me: Person) -> None:
        if not me.holds(Role.MLRO):
            raise NotAllowed(
                f"{me.id} cannot close a referral: it is referred to the MLRO (nominated "
                "officer), who alone decides it"
            )

    def close_referral(
        self,
        actor: Actor,
        reference: str,
        key: str,
        outcome: ReferralOutcome,
        reasoning: str,
        passphrase: str | Callable[[], str],
        *,
        suspicion: bool = False,
    ) -> ReferralClosure:
        """Close one referral to the MLRO with an outcome; MLRO only (issue 13, finding 10).

        An open referral keeps G1 closed. The MLRO closes it: the matter may proceed, or the
        firm declines to act (G1 stays closed). What the MLRO weighed is stored as a restricted
        record (an internal report when it concerns suspicion, a deliberation otherwise), so
        the matter file says only that the MLRO closed it, the same words either way. That
        record is sealed under the MLRO's passphrase like every restricted record (`passphrase`
        may be a function that asks for it, called once everything else is checked).
        """
        now = self.clock.now()
        if outcome not in ("proceed", "decline"):
            raise InvalidInput(f"the outcome is proceed or decline, not {outcome!r}")
        needle = key.strip().lower()
        text = stated_reason(
            "closing a referral", plain_text("the MLRO's reasoning", reasoning, lines=True)
        )
        typed = self._passphrase_once_allowed(actor, reference, self._referral_closer, passphrase)
        with self.store.transaction() as tx:
            me = self._actor(tx, actor)
            self._referral_closer(me)
            self._bound(me, "close a referral")
            records = self._writable(tx, reference)
            referrals = self.view_of(records).evaluation.referrals
            found = [r for r in referrals if r.key == needle]
            if not found:
                keys = ", ".join(f"{r.key} ({r.reason})" for r in referrals) or "none"
                raise NotFound(f"no referral {key} on {reference}; its referrals: {keys}")
            if found[0].closed == outcome:
                raise InvalidInput(f"referral {needle} on {reference} is already closed: {outcome}")
            self._add_sealed(
                tx,
                actor,
                me,
                records.case.id,
                RestrictedKind.INTERNAL_REPORT if suspicion else RestrictedKind.DELIBERATION,
                f"Referral {needle} ({found[0].reason}) closed: {outcome}. {text}",
                typed,
                now,
            )
            closure = _build(
                ReferralClosure,
                id=new_id(),
                case_id=records.case.id,
                key=needle,
                outcome=outcome,
                closed_at=now,
                closed_by=me.id,
            )
            tx.add(closure, actor=actor, role=Role.MLRO.value, action="referral.close")
            self._refresh(tx, records.case.id)
            return closure

    def restricted(
        self, actor: Actor, reference: str, passphrase: str | Callable[[], str]
    ) -> list[RestrictedRecord]:
        """The MLRO-restricted records of a case, unsealed; MLRO only, with the passphrase (or
        a function asking for it, called once the MLRO and the case are checked)."""
        from duediligence.services.signing import case_tag, open_record

        if not self._any_restricted(actor):
            self._passphrase_once_allowed(actor, reference, self._mlro, "")
            return []  # nothing sealed yet: no passphrase to ask for
        typed = self._passphrase_once_allowed(actor, reference, self._mlro, passphrase)
        with self.store.transaction() as tx:
            self._mlro(self._actor(tx, actor))
            case = self._case(tx, reference).case
            kek = self.proof.seal_key(tx, actor, typed)
            # Stored under the case's tag; given back with the case it concerns.
            return [
                open_record(r, kek).model_copy(update={"case_id": case.id})
                for r in tx.restricted_records(case_tag(kek, case.id))
            ]

    def _any_restricted(self, actor: Actor) -> bool:
        """Whether anything is sealed yet, asked of the MLRO only: anyone else is refused
        before the restricted tables are read at all (on PostgreSQL their role cannot read
        them). One count, not every record decoded, for a yes or no."""
        with self.store.transaction() as tx:
            self._mlro(self._actor(tx, actor))
            return tx.mlro_seal() is not None or bool(tx.restricted_counts())

    def _passphrase_once_allowed(
        self,
        actor: Actor,
        reference: str | None,
        allowed: Callable[[Person], None],
        passphrase: str | Callable[[], str],
    ) -> str:
        """The passphrase, asked for (when `passphrase` is a function) only once the person is
        allowed and the case exists: a refusal never asks for it, nor leaves a half-done
        write. The caller then acts in a transaction of its own, checking again."""
        with self.store.transaction() as tx:
            allowed(self._actor(tx, actor))
            if reference is not None:
                self._case(tx, reference)
        return passphrase() if callable(passphrase) else passphrase

    @property
    def proof(self) -> Proof:
        """The firm's key, checkpoints and the MLRO's seal over this store."""
        return Proof(
            self.store,
            self.clock,
            self.key_dir,
            self._actor,
            self.policy.require_binding,
        )

    def restricted_counts(
        self, actor: Actor, passphrase: str | Callable[[], str]
    ) -> dict[str, int]:
        """How many restricted records each matter holds, by reference; MLRO only, with the
        passphrase: the store names each record's case only by a tag it recomputes."""
        from duediligence.services.signing import case_tag

        if not self._any_restricted(actor):
            self._passphrase_once_allowed(actor, None, self._mlro, "")
            return {}
        typed = self._passphrase_once_allowed(actor, None, self._mlro, passphrase)
        with self.store.transaction() as tx:
            self._mlro(self._actor(tx, actor))
            kek = self.proof.seal_key(tx, actor, typed)
            counts = tx.restricted_counts()
            found = {c.reference: counts.get(case_tag(kek, c.id), 0) for c in tx.cases()}
            return {reference: n for reference, n in found.items() if n}

    def _mlro(self, me: Person) -> None:
        if not me.holds(Role.MLRO):
            raise NotAllowed(
                f"{me.id} cannot use the MLRO's restricted records: they are for the MLRO "
                "(nominated officer) only"
            )
        self._bound(me, "read or add restricted records")

    def _bound(self, me: Person, what: str) -> None:
        must_be_bound(me, what, required=self.policy.require_binding)

    # ------------------------------------------------------------------------------------------
    # Ongoing monitoring and listing

    def summaries(self) -> list[CaseSummary]:
        """Every case's listing row (status, chosen and computed rating, PEP and sanctions
        flags, gates open, missing answers, next review, retention, hold), by reference.

        One stored row per case, rewritten in every transaction that changes the case, so this
        reads one table (10,000 cases well under 200 ms). Cases from before the rows existed
        get theirs here, once.
        """
        with self.store.transaction() as tx:
            missing = tx.unsummarised()
            for case_id in missing:
                self._refresh(tx, case_id)
            return tx.summaries()

    def summary(self, reference: str) -> CaseSummary | None:
        """One case's listing row (None when there is no such case)."""
        with self.store.transaction() as tx:
            found = tx.summaries(reference)
            if not found:
                case = tx.case_by_reference(reference)
                if case is None:
                    return None
                self._refresh(tx, case.id)
                found = tx.summaries(reference)
            return found[0]

    def refresh_summaries(self, actor: Actor) -> int:
        """Recompute every listing row (after a change of firm policy or checklists).

        It rewrites what the matters list, the portfolio and the review queue say about every
        matter, so it is the MLRO's action and audited ("cases.refresh" on the firm). The
        composition root gives it the firm's configured checklists only: a refresh from an
        empty folder once rewrote every row to "low, 4/4 gates, 0 missing".
        """
        with self.store.transaction() as tx:
            me = self._actor(tx, actor)
            if not me.holds(Role.MLRO):
                raise NotAllowed(
                    f"{me.id} cannot recompute every matter's listing: only the MLRO "
                    "(nominated officer) may; nothing was changed"
                )
            self._bound(me, "recompute every matter's listing")
            firm = self._firm(tx)
            cases = tx.cases()
            for case in cases:
                self._refresh(tx, case.id)
            # The firm record, unchanged, carries the audit event: the chain says who
            # recomputed the rows and when.
            tx.replace(firm, actor=actor, role=Role.MLRO.value, action="cases.refresh")
        return len(cases)

    def reviews_due(self, today: date | None = None) -> list[CaseSummary]:
        """Open cases whose review date has come or whose risk assessment an event reopened."""
        day = today or self.clock.now().date()
        return [s for s in self.summaries() if s.review_due(day)]

    # ------------------------------------------------------------------------------------------
    # Retention (MLR reg 40; R1, R2)

    def retention(self, today: date | None = None) -> list[RetentionItem]:
        """Every case whose retention clock has started, with its end date and holds."""
        day = today or self.clock.now().date()
        # The listing rows say which cases have a started clock; only those are loaded, and
        # their dates are worked out again from the records themselves.
        started = [
            s.case_id
            for s in self.summaries()
            if s.retention_until is not None and s.status != CaseStatus.PURGED.value
        ]
        items = []
        with self.store.transaction() as tx:
            held: dict[str, list[LegalHold]] = {}
            for hold in tx.holds():
                if hold.in_force:
                    held.setdefault(hold.case_id, []).append(hold)
            for case_id in started:
                records = tx.case_records(case_id)
                case = records.case
                if case.status is CaseStatus.PURGED:
                    continue
                start = retention_start(case, records.events)
                until = retention_until(start)
                if start is None or until is None:
                    continue
                items.append(
                    RetentionItem(
                        reference=case.reference,
                        status=case.status.value,
                        retention_started=start,
                        retention_until=until,
                        due=until <= day,
                        holds=tuple(held.get(case.id, ())),
                    )
                )
        return items

    def hold(
        self, actor: Actor, reference: str, ground: HoldGround, note: str | None = None
    ) -> LegalHold:
        """Place a legal hold: the case's data is kept past its retention date until released."""
        now = self.clock.now()
        note = optional_text("the legal hold note", note)
        with self.store.transaction() as tx:
            me = self._actor(tx, actor)
            role = self._one_of(me, _HOLDERS, "place a legal hold")
            records = self._writable(tx, reference)
            hold = _build(
                LegalHold,
                id=new_id(),
                case_id=records.case.id,
                ground=ground,
                note=note,
                placed_at=now,
                placed_by=me.id,
            )
            tx.add(hold, actor=actor, role=role.value, action="hold.place")
            self._refresh(tx, records.case.id)
            return hold

    def release(self, actor: Actor, reference: str) -> list[LegalHold]:
        """Release the legal holds in force on a case."""
        now = self.clock.now()
        with self.store.transaction() as tx:
            me = self._actor(tx, actor)
            role = self._one_of(me, _HOLDERS, "release a legal hold")
            records = self._writable(tx, reference)
            current = [h for h in tx.holds(records.case.id) if h.in_force]
            if not current:
                raise InvalidInput(f"case {reference} has no legal hold in force")
            released = []
            for hold in current:
                updated = hold.model_copy(update={"released_at": now, "released_by": me.id})
                tx.replace(updated, actor=actor, role=role.value, action="hold.release")
                released.append(updated)
            self._refresh(tx, records.case.id)
            return released

    def purge(
        self, actor: Actor, *, today: date | None = None, reference: str | None = None
    ) -> PurgeResult:
        """Delete the personal data and evidence of every case whose retention period has
        ended (or only `reference`), except cases under a legal hold.

        Per case, in one transaction: evidence metadata, answers, approvals, approval
        requests and parties are deleted, each with a "<kind>.purged" audit event; the case
        row stays, marked purged,
        with a `Deletion` record of counts and dates (no personal data). Matter events and
        checklist runs (dates and checklist versions) stay. Evidence files no other case uses
        are deleted after the commit. Never before the retention date: a case named
        explicitly that is not yet due is refused.
        """
        day = today or self.clock.now().date()
        if day > self.clock.now().date():
            raise InvalidInput("retention is judged as of today or an earlier date, not later")
        with self.store.transaction() as tx:
            me = self._actor(tx, actor)
            purger = self._one_of(me, _PURGERS, "delete records at the end of retention")
            if reference is not None:
                self._writable(tx, reference)
        deleted: list[tuple[str, Deletion]] = []
        held: list[str] = []
        for item in self.retention(day):
            if reference is not None and item.reference != reference:
                continue
            if not item.due:
                if reference is not None:
                    raise NotAllowed(
                        f"case {reference} is kept until {item.retention_until} (five years "
                        f"from {item.retention_started}); nothing was deleted"
                    )
                continue
            if item.holds:
                held.append(item.reference)
                continue
            done = self._purge_case(actor, item.reference, day)
            if done is not None:
                deleted.append((item.reference, done))
        if reference is not None and not deleted and reference not in held:
            raise NotAllowed(
                f"case {reference}'s retention clock has not started (record "
                "`relationship_ended`, or close the case after completion); nothing was deleted"
            )
        # Files of killed or failed writes hold personal data no record points at: the purge is
        # where personal data ends, so they end here too.
        cleanup = self._clean(actor, purger, "retention purge")
        return PurgeResult(tuple(deleted), tuple(held), cleanup)

    def _purge_case(self, actor: Actor, reference: str, today: date) -> Deletion | None:
        now = self.clock.now()
        with self.store.transaction() as tx:
            me = self._actor(tx, actor)
            role = self._one_of(me, _PURGERS, "delete records at the end of retention")
            records = self._writable(tx, reference)
            case = records.case
            # Checked again inside the write transaction: a hold placed meanwhile wins.
            start = retention_start(case, records.events)
            until = retention_until(start)
            if start is None or until is None or until > today:
                return None
            if any(h.in_force for h in tx.holds(case.id)):
                return None
            doomed: list[Record] = [
                *records.receipt_actions,
                *records.receipts,
                *records.evidence,
                *sorted(records.answers, key=lambda a: -records.record_seq[a.target()]),
                *records.approvals,
                *records.approval_requests,
                *records.overrides,
                # Screenings name the parties (and dispositions the screenings): first.
                *records.dispositions,
                *records.screenings,
                *records.parties,
            ]
            doomed.extend(self._sale_ending_with(tx, case))
            counts: dict[str, int] = {}
            for record in doomed:
                tx.purge(record, actor=actor, role=role.value)
                counts[record.KIND] = counts.get(record.KIND, 0) + 1
            files = sorted({e.sha256 for e in records.evidence})
            unused = [sha for sha in files if not tx.blob_in_use(sha)]
            deletion = _build(
                Deletion,
                id=new_id(),
                case_id=case.id,
                retention_started=start,
                retention_until=until,
                deleted_at=now,
                deleted_by=me.id,
                records=counts,
                files=len(unused),
            )
            tx.replace(
                case.model_copy(update={"status": CaseStatus.PURGED}),
                actor=actor,
                role=role.value,
                action="case.purge",
            )
            tx.add(deletion, actor=actor, role=role.value, action="deletion.add")
            self._refresh(tx, case.id)
        for sha in unused:
            self.blobs.delete(sha)
        return deletion

    @staticmethod
    def _sale_ending_with(tx: Session, case: Case) -> list[Record]:
        """The sale this matter is on, with its buyer links, when this purge leaves no other
        matter on it kept: the property's address (often the seller's home) is personal data,
        kept while any matter that relied on it is kept, and purged with the last of them."""
        found = tx.sale_of_case(case.id)
        if found is None:
            return []
        sale, buyers = found
        others = {sale.seller_case_id, *(b.case_id for b in buyers)} - {case.id}
        kept = [c for c in tx.cases() if c.id in others and c.status is not CaseStatus.PURGED]
        return [] if kept else [*buyers, sale]

    # ------------------------------------------------------------------------------------------
    # Leftovers of interrupted writes

    def leftovers(self) -> list[Leftover]:
        """Files left behind by killed or failed writes (see `services.leftovers`), oldest
        first; `verify` reports them."""
        with self.store.transaction() as tx:
            return find_leftovers(tx, self._blob_folders(), self.clock.now())

    def clean_leftovers(self, actor: Actor) -> LeftoverCleanup | None:
        """Remove the leftovers, recorded in the audit trail; MLRO or senior manager (they may
        hold personal data, as the retention purge's files do). None: nothing to remove."""
        with self.store.transaction() as tx:
            me = self._actor(tx, actor)
            role = self._one_of(me, _PURGERS, "remove the files of interrupted writes")
        return self._clean(actor, role, "maintenance clean")

    def _clean(self, actor: Actor, role: Role, reason: str) -> LeftoverCleanup | None:
        now = self.clock.now()
        folders = self._blob_folders()
        # Inside a write transaction: no other write can attach a leftover blob meanwhile.
        with self.store.transaction() as tx:
            found = find_leftovers(tx, folders, now)
            removed = [f for f in found if folders[f.folder].remove(f.name)]
            if not removed:
                return None
            cleanup = _build(
                LeftoverCleanup,
                id=new_id(),
                cleaned_at=now,
                cleaned_by=actor.user,
                reason=reason,
                files=tuple(f.path for f in removed),
                bytes=sum(f.size for f in removed),
            )
            tx.add(cleanup, actor=actor, role=role.value, action="leftovers.clean")
        return cleanup

    def _blob_folders(self) -> dict[Literal["evidence", "lists"], BlobStore]:
        folders: dict[Literal["evidence", "lists"], BlobStore] = {"evidence": self.blobs}
        if self.list_blobs is not None:
            folders["lists"] = self.list_blobs
        return folders

    def deletions(self) -> list[Deletion]:
        """The log of end-of-retention deletions (R10)."""
        with self.store.transaction() as tx:
            return tx.deletions()

    @staticmethod
    def _one_of(me: Person, roles: tuple[Role, ...], what: str) -> Role:
        for role in roles:
            if me.holds(role):
                return role
        allowed = ", ".join(r.label.lower() for r in roles)
        raise NotAllowed(f"{me.id} cannot {what}: that needs one of: {allowed}")

    # ------------------------------------------------------------------------------------------
    # Reading and evaluating

    def cases(self) -> list[Case]:
        """Every case."""
        with self.store.transaction() as tx:
            return tx.cases()

    def view(self, reference: str) -> CaseView:
        """A case with everything attached, evaluated."""
        with self.store.transaction() as tx:
            records = self._case(tx, reference)
        return self.view_of(records)

    # ------------------------------------------------------------------------------------------
    # Sales: an agency's seller and buyer matters linked by the property

    def link_sale(self, actor: Actor, seller_reference: str, property_address: str) -> Sale:
        """Record the sale of a property, from its seller's matter."""
        now = self.clock.now()
        address = plain_text("the property's address", property_address)
        with self.store.transaction() as tx:
            me = self._actor(tx, actor)
            records = self._writable(tx, seller_reference, me, now)
            _sale_side(records.case, "seller")
            if tx.sale_of_case(records.case.id) is not None:
                raise ConflictError(f"{seller_reference} is already on a sale (see `sales show`)")
            sale = _build(
                Sale,
                id=new_id(),
                property=address,
                seller_case_id=records.case.id,
                recorded_by=me.id,
                recorded_at=now,
            )
            tx.add(sale, actor=actor, role=me.roles[0].value, action="sale.link")
            return sale

    def add_buyer(self, actor: Actor, seller_reference: str, buyer_reference: str) -> SaleBuyer:
        """Put a buyer's matter (an accepted offer) on the sale of the seller's property."""
        now = self.clock.now()
        with self.store.transaction() as tx:
            me = self._actor(tx, actor)
            seller = self._writable(tx, seller_reference, me, now)
            buyer = self._writable(tx, buyer_reference, me, now)
            _sale_side(buyer.case, "buyer")
            found = tx.sale_of_case(seller.case.id)
            if found is None or found[0].seller_case_id != seller.case.id:
                raise NotFound(
                    f"{seller_reference} is not the seller's matter of a sale; link the sale "
                    f"first (`sales link {seller_reference} --property ADDRESS`)"
                )
            if tx.sale_of_case(buyer.case.id) is not None:
                raise ConflictError(f"{buyer_reference} is already on a sale")
            link = _build(
                SaleBuyer,
                id=new_id(),
                sale_id=found[0].id,
                case_id=buyer.case.id,
                recorded_by=me.id,
                recorded_at=now,
            )
            tx.add(link, actor=actor, role=me.roles[0].value, action="sale.buyer")
            return link

    def proceed_with(self, actor: Actor, buyer_reference: str) -> SaleBuyer:
        """Say which buyer's purchase goes ahead: the others on the sale no longer do."""
        now = self.clock.now()
        with self.store.transaction() as tx:
            me = self._actor(tx, actor)
            buyer = self._writable(tx, buyer_reference, me, now)
            found = tx.sale_of_case(buyer.case.id)
            if found is None or found[0].seller_case_id == buyer.case.id:
                raise NotFound(f"{buyer_reference} is not a buyer on a sale")
            chosen: SaleBuyer | None = None
            for link in found[1]:
                wanted = link.case_id == buyer.case.id
                if wanted:
                    chosen = link
                if link.proceeding is wanted:
                    continue
                updated = link.model_copy(
                    update={"proceeding": wanted, "recorded_by": me.id, "recorded_at": now}
                )
                tx.replace(updated, actor=actor, role=me.roles[0].value, action="sale.proceed")
                chosen = updated if wanted else chosen
            assert chosen is not None
            return chosen

    def screening_warnings(self, reference: str) -> list[str]:
        """What the matter's screening does not cover (no UK Sanctions List among the lists
        it was screened against), in words."""
        with self.store.transaction() as tx:
            records = self._case(tx, reference)
            snapshots = {s.id: s for s in tx.list_snapshots()}
        warning = uk_list_warning(records.screenings, snapshots)
        return [warning] if warning else []

    def sale_view(self, reference: str) -> SaleView | None:
        """The sale a matter is on, each side summarised from its own read (one transaction);
        None when it is on none."""
        with self.store.transaction() as tx:
            return self._sale_view(tx, self._case(tx, reference).case.id)

    def sales(self) -> list[SaleView]:
        """Every sale, each side summarised: the compliance desk's view of them."""
        with self.store.transaction() as tx:
            return [
                view
                for sale, _ in tx.sales()
                if (view := self._sale_view(tx, sale.seller_case_id)) is not None
            ]

    def _sale_view(self, tx: Session, case_id: str) -> SaleView | None:
        found = tx.sale_of_case(case_id)
        if found is None:
            return None
        sale, buyers = found
        sides = [self._side(tx.case_records(sale.seller_case_id), proceeding=False)]
        sides += [self._side(tx.case_records(b.case_id), proceeding=b.proceeding) for b in buyers]
        return SaleView(sale, tuple(sides))

    def _side(self, records: CaseRecords, *, proceeding: bool) -> SaleSide:
        view = self.view_of(records)
        start = view.timing.start
        completed = next(
            (
                a.value
                for (run_id, key), a in view.current_answers.items()
                if key == "verification.completed_on" and isinstance(a.value, date)
            ),
            None,
        )
        return SaleSide(
            reference=records.case.reference,
            side=records.case.acting_for or "seller",
            proceeding=proceeding,
            status=records.case.status.value,
            relationship_basis=start.basis,
            relationship_began=start.at,
            cdd_completed_on=completed,
            cdd_on_time=on_time(completed, start.at),
            gate_open=view.evaluation.gate(Gate.G1).open,
        )

    def read_matter(self, reference: str) -> MatterFile:
        """One case with its audit events, the chain head, the register, the firm, its list
        snapshots and legal holds, in one transaction (so the chain head and the state hash
        are of the same moment): what the audit file and the audit trail are made from."""
        with self.store.transaction() as tx:
            records = self._case(tx, reference)
            firm = self._firm(tx)
            used = {sid for s in records.screenings for sid in s.snapshot_ids}
            people = {p.id: p for p in tx.people()}
            events = tuple(tx.audit_events(records.case.id))
            head = tx.chain_head()
            snapshots = {s.id: s for s in tx.list_snapshots() if s.id in used}
            holds = tuple(tx.holds(records.case.id))
            sale = self._sale_view(tx, records.case.id)
            answered = {a.checklist_sha256 for a in records.answers if a.checklist_sha256}
            texts = {t.id: t for t in tx.checklist_texts() if t.id in answered}
        return MatterFile(
            checklist_texts=texts,
            view=self.view_of(records),
            firm=firm,
            people=people,
            events=events,
            chain_head=head,
            snapshots=snapshots,
            holds=holds,
            sale=sale,
        )

    def verify(
        self,
        reference: str | None = None,
        progress: VerifyProgress | None = None,
        *,
        actor: Actor | None = None,
        more: Callable[[Session, VerifyReport], None] | None = None,
    ) -> VerifyReport:
        """Recompute the chain, every record, evidence file and approval (of one case, or all),
        the listing rows, the raw list files, the checklist texts, the schema and the signed
        checkpoints (`more`: further checks in the same transaction). Restricted records are
        counted and named only for the MLRO (`actor`; None: the program itself)."""
        sees_restricted = True
        if actor is not None:
            with self.store.transaction() as tx:
                person = tx.person(actor.user)
                sees_restricted = person is not None and person.holds(Role.MLRO)

        def checkpoints(tx: Session, report: VerifyReport) -> None:
            check_checkpoints(tx, report, self.key_dir)
            if more is not None:
                more(tx, report)

        def summary_of(tx: Session, case_id: str) -> CaseSummary | None:
            records = tx.case_records(case_id)
            for run in records.runs:
                source = self.library.sources.get(run.checklist_id)
                if source is None or source.sha256 != run.content_sha256:
                    # Evaluated with other checklist files than those the row was written
                    # with: a difference would say nothing about the row.
                    return None
            return self._summary(tx, self.view_of(records))

        derived = DerivedChecks(
            summary_of=summary_of,
            list_blobs=self.list_blobs,
            checklist_sources=self.library.sources,
            checklist_versions={c.id: c.version for c in self.library.checklists.values()},
            sees_restricted=sees_restricted,
            more=checkpoints,
        )
        return verify(self.store, self.blobs, reference, progress=progress, derived=derived)

    def view_of(self, records: CaseRecords) -> CaseView:
        """Evaluate stored records: every derived fact of the case (see `reading`)."""
        return read_case(records, self.library, self.policy)

    def preview_answer(
        self, view: CaseView, run: Run, question_key: str, value: AnswerValue, actor: Actor
    ) -> CaseView:
        """The case in `view` as it will be once this answer is stored (nothing is written):
        the same facts `answer` leads to, for panels that follow the answer while it saves."""
        versions = sorted(
            (
                a
                for a in view.records.answers
                if a.run_id == run.id and a.question_key == question_key
            ),
            key=lambda a: a.number,
        )
        pending = AnswerVersion(
            id="pending",
            case_id=view.records.case.id,
            run_id=run.id,
            question_key=question_key,
            number=versions[-1].number + 1 if versions else 1,
            value=value,
            answered_by=actor.user,
            answered_at=self.clock.now(),
            previous_id=versions[-1].id if versions else None,
        )
        return preview(view, pending, self.library, self.policy)

    def snapshot(self, records: CaseRecords, superseded: frozenset[str]) -> CaseSnapshot:
        """What the evaluator reads: loaded checklists, runs with current answers, facts."""
        return snapshot_of(
            records,
            self.library,
            superseded,
            self.policy.risk,
            funds_of(records, self.library, self.policy),
        )

    # ------------------------------------------------------------------------------------------
    # Helpers

    def _actor(self, tx: Session, actor: Actor) -> Person:
        firm, person = tx.firm_and_person(actor.user)
        if firm is None:
            raise NotFound("the case file is not initialised; run `duediligence init` first")
        return acting_person(person, actor)

    @staticmethod
    def _firm(tx: Session) -> FirmProfile:
        firm = tx.firm()
        if firm is None:
            raise NotFound("the case file is not initialised; run `duediligence init` first")
        return firm

    def _check_fwra(self, firm: FirmProfile, today: date) -> None:
        """No matter opens without a current, approved firm-wide risk assessment (D.1 item 3)."""
        months = self.policy.fwra_valid_months
        fix = (
            "record the current one with `duediligence firm fwra VERSION --date YYYY-MM-DD "
            "--approver USER` (a senior manager)"
        )
        if firm.fwra_approver is None:
            raise NotAllowed(
                f"no matter can open: the firm-wide risk assessment {firm.fwra_version} has no "
                f"recorded senior-management approver; {fix}"
            )
        if firm.fwra_date < months_before(today, months):
            raise NotAllowed(
                f"no matter can open: the firm-wide risk assessment {firm.fwra_version} of "
                f"{firm.fwra_date} is more than {months} months old; review it and {fix}"
            )

    def _refresh(self, tx: Session, case_id: str) -> None:
        """Rewrite a case's listing row (in the caller's transaction) from one read and one
        evaluation of the case."""
        tx.put_summary(self._summary(tx, self.view_of(tx.case_records(case_id))))

    def _summary(self, tx: Session, view: CaseView) -> CaseSummary:
        """The listing row: the read model's facts of the case, as stored."""
        records = view.records
        case = records.case
        evaluation = view.evaluation
        request = view.open_request
        return CaseSummary(
            case_id=case.id,
            reference=case.reference,
            firm_role=case.firm_role.value,
            matter_type=case.matter_type,
            responsible=case.responsible,
            status=case.status.value,
            opened_at=utc_text(case.opened_at),
            chosen_rating=view.rating.value if view.rating else None,
            computed_rating=evaluation.computed_rating.value,
            pep=view.pep,
            sanctions=view.sanctions,
            gates_open=sum(1 for g in evaluation.gates if g.open),
            missing=len(evaluation.missing),
            next_review=view.review.next_review,
            review_reasons=view.review.reasons,
            retention_until=view.retention_until,
            on_hold=any(h.in_force for h in tx.holds(case.id)),
            approval_requested_at=utc_text(request.requested_at) if request else None,
            approval_requested_by=request.requested_by if request else None,
            client=view.clients[0].name if view.clients else None,
            acting_for=case.acting_for,
            approvals_pending=tuple((role.value, why) for role, why in view.pending_approvals),
            superseded=len(view.superseded),
            missing_evidence=view.missing_evidence,
            referrals=tuple(f.reason for f in evaluation.referrals),
            gate_exceptions=sum(1 for e in records.events if e.gate_exception is not None),
            unreconciled_receipts=view.funds.unreconciled,
        )

    def _writable(
        self, tx: Session, reference: str, me: Person | None = None, now: datetime | None = None
    ) -> CaseRecords:
        """The case, when it may be changed (by `me`, when given: someone without current AML
        training changes no file, MLR reg 24; an untrained user raised a price five-fold after
        sign-off)."""
        records = self._case(tx, reference)
        if records.case.status is CaseStatus.PURGED:
            raise NotAllowed(
                f"case {reference} was purged at the end of retention; nothing can be added"
            )
        if me is not None:
            firm = self._firm(tx)
            today = (now or self.clock.now()).date()
            if not me.training_current(today, firm.training_months):
                raise NotAllowed(
                    f"{me.id} cannot change {reference}: AML training is missing or older than "
                    f"{firm.training_months} months (last: {me.trained_on or 'no record'}); the "
                    "MLRO or a senior manager records current training first (`users train`)"
                )
        return records

    @staticmethod
    def _case(tx: Session, reference: str) -> CaseRecords:
        records = tx.records_by_reference(reference)
        if records is None:
            raise NotFound(f"no case '{reference}'")
        return records

    def _not_own_file(self, source: Path) -> None:
        """Refuse the case file's own files as evidence: the database, its journal or one of
        its folders would put the MLRO's records and everyone's data into a PDF."""
        try:
            resolved = source.resolve()
        except OSError:
            return  # the blob store says what is wrong with a file it cannot read
        for own in self.protected:
            same = False
            with contextlib.suppress(OSError):
                same = own.exists() and own.samefile(resolved)  # a hard link or a symlink
            if same or resolved.is_relative_to(own):
                raise InvalidInput(
                    f"{source} is part of the case file itself ({own.name}); it cannot be "
                    "added as evidence"
                )

    def _keep_checklist(
        self, tx: Session, checklist_id: str, now: datetime, records: CaseRecords | None = None
    ) -> str | None:
        """Keep the text of the checklist file a question is answered from, once per version
        of the file, and return its hash (None: loaded without its text)."""
        source = self.library.sources.get(checklist_id)
        checklist = self.library.get(checklist_id)
        if source is None or checklist is None or not source.text:
            return None
        if records is not None and any(
            a.checklist_sha256 == source.sha256 for a in reversed(records.answers)
        ):
            return source.sha256  # an answer on this matter already kept this very text
        tx.put_checklist_text(
            ChecklistText(
                id=source.sha256,
                checklist_id=checklist_id,
                version=checklist.version,
                path=source.path,
                text=source.text,
                stored_at=now,
            )
        )
        return source.sha256

    def _run(self, case: Case, checklist: Checklist, subject: str, now: datetime) -> Run:
        source = self.library.sources.get(checklist.id)
        return _build(
            Run,
            id=new_id(),
            case_id=case.id,
            key=checklist.id if subject == CLIENT else f"{checklist.id}@{subject}",
            checklist_id=checklist.id,
            checklist_version=checklist.version,
            content_sha256=source.sha256 if source else "",
            subject=subject,
            started_at=now,
        )

    def _question(
        self, records: CaseRecords, question_key: str, run_key: str | None
    ) -> tuple[Run, Question]:
        reference = records.case.reference
        base, sep, entry = question_key.partition("#")
        runs = [r for r in records.runs if run_key is None or r.key == run_key]
        if run_key is not None and not runs:
            raise NotFound(f"case {reference} has no checklist run '{run_key}'")
        found: list[tuple[Run, Question, bool, int]] = []
        for run in runs:
            checklist = self.library.get(run.checklist_id)
            if checklist is None:
                continue
            for section, question in checklist.questions():
                if question.id == base:
                    repeat = section.repeat
                    found.append(
                        (run, question, repeat is not None, repeat.max_entries if repeat else 0)
                    )
        if not found:
            raise NotFound(f"case {reference} has no question '{base}'")
        if len(found) > 1:
            keys = ", ".join(f[0].key for f in found)
            raise InvalidInput(
                f"question '{base}' is in several checklists ({keys}); say which with --run"
            )
        run, question, repeats, max_entries = found[0]
        if repeats:
            if (
                not sep
                or not (entry.isascii() and entry.isdigit())
                or len(entry) > 6
                or not 1 <= int(entry) <= max_entries
            ):
                raise InvalidInput(
                    f"'{base}' is in a repeating section: answer '{base}#N' with N from 1 to {max_entries}"
                )
        elif sep:
            raise InvalidInput(f"'{base}' is not in a repeating section: answer '{base}' without #")
        return run, question

    @staticmethod
    def _check_references(records: CaseRecords, question: Question, value: AnswerValue) -> None:
        if question.type is QuestionType.PARTY:
            labels = {p.label for p in records.parties}
            if value not in labels:
                raise InvalidInput(
                    f"{question.id}: '{value}' is not a party of case {records.case.reference}"
                    + (f" ({', '.join(sorted(labels))})" if labels else " (it has none yet)")
                )
        if question.type is QuestionType.EVIDENCE and isinstance(value, tuple):
            known = {e.id for e in records.evidence}
            unknown = [v for v in value if v not in known]
            if unknown:
                raise InvalidInput(f"{question.id}: unknown evidence {', '.join(unknown)}")

    def _evidence_links(
        self, records: CaseRecords, new: NewEvidence
    ) -> tuple[Run | None, Question | None, Party | None]:
        if not new.document_type.strip():
            raise InvalidInput("give the document type (--type), e.g. passport")
        number = _clean_number(new.document_number)
        if number is not None and (
            len(number) > 100 or any(ord(c) < 0x20 or ord(c) == 0x7F for c in number)
        ):
            raise InvalidInput(
                "the document number must be at most 100 characters, without control characters"
            )
        run: Run | None = None
        question: Question | None = None
        if new.question is not None:
            run, question = self._question(records, new.question, new.run)
            refused = document_type_refusal(question, new.document_type)
            if refused is not None:
                raise InvalidInput(refused)
        party: Party | None = None
        if new.party is not None:
            matches = [p for p in records.parties if new.party in (p.label, p.id)]
            if not matches:
                raise NotFound(f"case {records.case.reference} has no party '{new.party}'")
            party = matches[0]
        elif run is not None:
            # A document filed under a checklist about one party is about that party; under the
            # client's checklist, about the client when there is one.
            if run.subject != CLIENT:
                party = next((p for p in records.parties if p.label == run.subject), None)
            else:
                clients = [p for p in records.parties if p.role is PartyRole.CLIENT]
                party = clients[0] if len(clients) == 1 else None
        return run, question, party

    def _reuse_reason(self, records: CaseRecords, sha256: str, new: NewEvidence) -> str | None:
        """The stated reason for filing a file already on the case as another kind of
        document, or None when it is not; InvalidInput when one is needed and missing."""
        refused = reuse_refusal(sha256, new.document_type, records.evidence)
        if refused is None:
            return None
        if new.reuse_reason is None:
            raise InvalidInput(f"{refused}; nothing was stored")
        return stated_reason("filing one file as two kinds of document", new.reuse_reason)


REGISTRARS = (Role.MLRO, Role.SENIOR_MANAGER)
"""Who may register people and bind them to computer accounts (a fee earner registering
themselves as the MLRO would defeat the restricted records)."""


def _clean_number(number: str | None) -> str | None:
    """A document number as stored: surrounding space dropped; blank means not given."""
    if number is None:
        return None
    return number.strip() or None


def _stale(question_key: str, latest: AnswerVersion | None) -> str:
    if latest is None:
        return f"{question_key}: the answer you replaced no longer exists; read it again"
    return (
        f"{question_key} was answered by {latest.answered_by} at {latest.answered_at:%Y-%m-%d %H:%M} "
        f"(version {latest.number}) since you read it; read it again before answering"
    )


_ENTITY_WORDS = frozenset(
    [
        "ltd",
        "limited",
        "llp",
        "plc",
        "inc",
        "llc",
        "gmbh",
        "ag",
        "sa",
        "sarl",
        "bv",
        "nv",
        "jsc",
        "pjsc",
        "ooo",
        "bank",
        "trust",
        "company",
        "co",
        "corp",
        "corporation",
        "holdings",
        "group",
        "partners",
        "foundation",
    ]
)


def _kind_of(remitter: str) -> PartyKind:
    """A remitter added as a party: an entity when its name says so (a legal form, "bank",
    "trust"), otherwise a person. The fee earner corrects it with the party's details."""
    words = {w.strip(".,()&").lower() for w in remitter.split()}
    return PartyKind.ENTITY if words & _ENTITY_WORDS else PartyKind.INDIVIDUAL


def _who(new: NewParty) -> str:
    """A new party as an error message names it: its role and the start of its name."""
    name = new.name.strip()
    shown = name if len(name) <= 40 else name[:40] + "…"
    return f"{new.role.value.replace('_', ' ')} {shown!r}"


def _check_training(person: Person, today: date) -> None:
    if person.trained_on is not None and person.trained_on > today:
        raise InvalidInput(
            f"AML training date: {person.trained_on.isoformat()} is in the future (today is "
            f"{today.isoformat()})"
        )


def _check_person(person: Person) -> None:
    plain_text(f"{person.id}'s name", person.name)


def _checked_reference(new: NewCase) -> NewCase:
    """The case with its reference trimmed (" M-1 " is M-1), refused when it holds invisible or
    control characters that would let two references look the same."""
    reference = plain_text("the case reference", new.reference)
    hidden = sorted(
        {f"U+{ord(c):04X}" for c in reference if unicodedata.category(c) in ("Cf", "Zl", "Zp")}
    )
    if hidden:
        raise InvalidInput(f"the case reference holds invisible characters ({', '.join(hidden)})")
    return replace(new, reference=reference)


def _check_party(new: NewParty, today: date) -> None:
    """What can be said about a new party before anything is written."""
    plain_text("the party's name", new.name)
    for other in new.other_names:
        if other.strip():
            plain_text("another name", other)
    for address in new.addresses:
        plain_text("the address", address, lines=True)
    optional_text("the registration number", new.registration_number, lines=False)
    bad = [n for n in new.nationalities if n.upper() not in COUNTRIES]
    if bad:
        raise InvalidInput(f"not ISO 3166-1 country codes: {', '.join(bad)}")
    if new.kind is PartyKind.ENTITY and new.date_of_birth is not None:
        raise InvalidInput("an entity has no date of birth (use the registration number)")
    if new.date_of_birth is not None and new.date_of_birth > today:
        raise InvalidInput(
            f"date of birth: {new.date_of_birth.isoformat()} is in the future (today is "
            f"{today.isoformat()})"
        )


def _build(model: type[_M], **fields: object) -> _M:
    """Validate a record, turning pydantic's errors into one readable InvalidInput."""
    try:
        return model.model_validate(fields)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or model.__name__}: {e['msg']}"
            for e in error.errors()
        )
        raise InvalidInput(problems) from None


def _sale_side(case: Case, side: str) -> None:
    """InvalidInput unless `case` is an estate agent's matter for `side`."""
    if case.firm_role is not FirmRole.ESTATE_AGENT or case.acting_for != side:
        raise InvalidInput(
            f"{case.reference} is not an estate agent's {side} matter; a sale links the "
            "seller's matter and the buyers' matters"
        )
