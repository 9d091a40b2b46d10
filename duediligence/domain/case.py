"""The case file's records: firm, people, cases, parties, answers, evidence, approvals, audit events.

Pure pydantic models (frozen; edits return copies) and the canonical-JSON hashing that the audit
chain, the approvals' bound state and `verify` all share. Nothing here does I/O; storage lives in
`adapters/store.py` behind the ports in `services/ports.py`.

Hashing rules (the next engineer must keep them stable, or old chains stop verifying):
- canonical JSON = `json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)`
  encoded as UTF-8; datetimes are UTC ISO-8601 with microseconds, dates ISO, Decimals strings;
- a record's payload hash is the SHA-256 of the canonical JSON of `record.payload()`;
- an audit event's hash is the SHA-256 of the canonical JSON of its fields except `sha256` itself,
  `prev_sha256` included, so the events form a chain from `GENESIS`.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from duediligence.domain.answers import (
    AnswerValue,
    Money,
    check_text,
    control_characters,
    meaningful_text,
)
from duediligence.domain.errors import DueDiligenceError
from duediligence.domain.vocabulary import (
    ClientType,
    FirmKind,
    FirmRole,
    MatterEvent,
    Rating,
    Role,
)

GENESIS = "0" * 64
"""The previous-event hash of the first audit event."""

DEFAULT_TRAINING_MONTHS = 12
"""Firm policy default: AML training older than this is out of date (MLR reg 24)."""


# ----------------------------------------------------------------------------------------------
# Errors


class NotFound(DueDiligenceError):
    """A case, person, party, run or question that does not exist; nothing is written."""


class ConflictError(DueDiligenceError):
    """A stale write: someone else changed the record since it was read; nothing is written."""


class NotAllowed(DueDiligenceError):
    """A role or policy rule forbids the change; nothing is written."""


class InvalidInput(DueDiligenceError):
    """Input that cannot be stored as given (a bad file, date or name); nothing is written."""


def plain_text(what: str, text: str, *, lines: bool = False) -> str:
    """`text` trimmed, or InvalidInput naming `what` when it says nothing or holds control
    characters (terminal escapes): the one check for every name, note and rationale a person
    types, the same one answers get (`answers.check_text`)."""
    try:
        return check_text(what, text, lines=lines)
    except ValueError as error:
        raise InvalidInput(str(error)) from None


def optional_text(what: str, text: str | None, *, lines: bool = True) -> str | None:
    """An optional note: None when it says nothing, otherwise checked as `plain_text`."""
    if text is None:
        return None
    # Control characters first: some (U+001C-U+001F) are whitespace to Python and would make
    # an escape-only note look empty.
    if meaningful_text(text) or control_characters(text.replace("\r\n", "\n"), lines=lines):
        return plain_text(what, text, lines=lines)
    return None


# ----------------------------------------------------------------------------------------------
# Canonical JSON and hashing


def utc_text(moment: datetime) -> str:
    """A moment as stored and hashed: UTC, ISO-8601, microseconds (sorts as text)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


_PLAIN = frozenset({str, int, bool, type(None)})


def jsonable(value: Any) -> Any:
    """Turn domain values into plain JSON values, deterministically."""
    kind = type(value)
    if kind in _PLAIN:  # the common case first: verify calls this for every field it hashes
        return value
    if kind is dict or isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if kind is list or kind is tuple or isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, BaseModel):
        return jsonable(value.model_dump())
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, datetime):
        return utc_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    raise TypeError(f"cannot put {type(value).__name__} into canonical JSON")


def canonical_json(value: Any) -> bytes:
    """Sorted keys, no whitespace, UTF-8: the one byte form every hash is taken over."""
    return json.dumps(
        jsonable(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    """SHA-256 of bytes, lower-case hex."""
    return hashlib.sha256(data).hexdigest()


def canonical_hash(value: Any) -> str:
    """SHA-256 of the canonical JSON of a value."""
    return sha256_hex(canonical_json(value))


# ----------------------------------------------------------------------------------------------
# Answer values in storage


def encode_answer(value: AnswerValue) -> dict[str, Any]:
    """A self-describing JSON form of an answer, so it can be read back without the checklist."""
    if isinstance(value, bool):
        return {"t": "bool", "v": value}
    if isinstance(value, str):
        return {"t": "str", "v": value}
    if isinstance(value, tuple):
        return {"t": "list", "v": list(value)}
    if isinstance(value, datetime):
        return {"t": "datetime", "v": utc_text(value)}
    if isinstance(value, date):
        return {"t": "date", "v": value.isoformat()}
    if isinstance(value, Money):
        return {"t": "money", "v": jsonable(value)}
    return {"t": "decimal", "v": str(value)}


def decode_answer(data: Mapping[str, Any]) -> AnswerValue:
    """The answer value back from `encode_answer`'s form."""
    kind, raw = data["t"], data["v"]
    if kind == "bool":
        return bool(raw)
    if kind == "str":
        return str(raw)
    if kind == "list":
        return tuple(str(v) for v in raw)
    if kind == "datetime":
        return datetime.fromisoformat(raw)
    if kind == "date":
        return date.fromisoformat(raw)
    if kind == "money":
        return Money.model_validate(raw)
    if kind == "decimal":
        return Decimal(raw)
    raise ValueError(f"unknown stored answer kind {kind!r}")


# ----------------------------------------------------------------------------------------------
# Records


class Record(BaseModel):
    """Base for stored records: frozen, no unknown keys, hashable payload."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    KIND: ClassVar[str] = "record"
    """The target prefix in audit events (set per record type)."""

    def target(self) -> str:
        """The audit target naming this record, e.g. "answer:3f2a..."."""
        return f"{self.KIND}:{self.record_id()}"

    def record_id(self) -> str:
        """The record's primary key as text."""
        return str(getattr(self, "id"))  # noqa: B009 - every record but Firm has an id

    def payload(self) -> dict[str, Any]:
        """What is hashed into the audit trail for this record."""
        data: dict[str, Any] = jsonable(self.model_dump())
        return data

    def payload_sha256(self) -> str:
        """SHA-256 of the canonical payload."""
        return canonical_hash(self.payload())

    def audit_case_id(self) -> str | None:
        """The case named in this record's audit events (None: not linked to a case)."""
        value = getattr(self, "case_id", None)
        return value if isinstance(value, str) else None


class Supervisor(StrEnum):
    """The firm's AML supervisor."""

    SRA = "sra"
    HMRC = "hmrc"
    FCA = "fca"
    OTHER = "other"


def usual_kind(supervisor: Supervisor) -> FirmKind:
    """The firm kind a supervisor usually means when set-up is not told: the SRA supervises law
    firms, HMRC estate agencies; anything else may be either."""
    return {Supervisor.SRA: FirmKind.LAW_FIRM, Supervisor.HMRC: FirmKind.ESTATE_AGENCY}.get(
        supervisor, FirmKind.BOTH
    )


def usual_supervisor(kind: FirmKind) -> Supervisor:
    """The supervisor set-up offers first for a firm of this kind (an agency: HMRC)."""
    return Supervisor.HMRC if kind is FirmKind.ESTATE_AGENCY else Supervisor.SRA


class FirmProfile(Record):
    """The firm: name, supervisor, firm-wide risk assessment version and training policy."""

    KIND: ClassVar[str] = "firm"
    name: str = Field(min_length=1)
    """The firm's name."""
    supervisor: Supervisor
    """Its AML supervisor."""
    supervisor_registration: str | None = None
    """Registration number with the supervisor (HMRC estate agents must have one)."""
    fwra_version: str = Field(min_length=1)
    """Version of the firm-wide risk assessment in force (REQ-A1)."""
    fwra_date: date
    """Date that FWRA version was approved."""
    training_months: int = Field(default=DEFAULT_TRAINING_MONTHS, ge=1, le=60)
    """AML training older than this many months is out of date."""
    fwra_approver: str | None = None
    """Who approved that FWRA version (senior management, MLR reg 18 / R7)."""
    kind: FirmKind | None = None
    """What the firm is (law firm, estate agency, both), set once at set-up; None for a firm
    set up before the kind was asked, which keeps every matter kind it had."""

    @property
    def firm_kind(self) -> FirmKind:
        """The firm's kind, `both` for a firm set up before it was asked."""
        return self.kind or FirmKind.BOTH

    def record_id(self) -> str:
        return "firm"

    def payload(self) -> dict[str, Any]:
        # Added after the first release of the format: left out while unset, so profiles written
        # before they existed keep their payload hash.
        data = super().payload()
        for name in ("fwra_approver", "kind"):
            if data.get(name) is None:
                data.pop(name, None)
        return data


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier (clamped to the month's end)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


class Person(Record):
    """Someone in the firm's register, with roles and AML training date."""

    KIND: ClassVar[str] = "person"
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]{0,63}$")
    """Short user name, used with `--as`."""
    name: str = Field(min_length=1)
    """Full name."""
    roles: tuple[Role, ...] = Field(min_length=1)
    """Roles held."""
    trained_on: date | None = None
    """Date of the last AML training completed; None when there is no record."""
    os_users: tuple[str, ...] = ()
    """Computer accounts that may act as this person; empty: any (the firm has not bound
    them). Binding the MLRO keeps others out of the restricted records and hit decisions."""

    def payload(self) -> dict[str, Any]:
        # Added after the first release of the format: left out while empty, so people
        # registered before it existed keep their payload hash.
        data = super().payload()
        if not data.get("os_users"):
            data.pop("os_users", None)
        return data

    def training_current(self, today: date, months: int = DEFAULT_TRAINING_MONTHS) -> bool:
        """Whether the training record exists and is no older than firm policy allows."""
        return self.trained_on is not None and self.trained_on >= months_before(today, months)

    def holds(self, role: Role) -> bool:
        """Whether the person holds this role."""
        return role in self.roles


def acting_person(person: Person | None, actor: Actor) -> Person:
    """The registered person `actor` acts as, or NotAllowed: not on the register, or bound to
    other computer accounts than the one in use."""
    if person is None:
        raise NotAllowed(f"'{actor.user}' is not a registered user (see `users list`)")
    if person.os_users and actor.os_user not in person.os_users:
        raise NotAllowed(
            f"{person.id} may act only from the computer account(s) "
            f"{', '.join(person.os_users)}; this one is {actor.os_user}"
        )
    return person


class CaseStatus(StrEnum):
    """Where a case stands."""

    OPEN = "open"
    CLOSED = "closed"
    PURGED = "purged"
    """Personal data and evidence deleted at the end of retention (MLR reg 40)."""


class Case(Record):
    """A matter (solicitor) or a sale (estate agent)."""

    KIND: ClassVar[str] = "case"
    id: str
    """Internal id."""
    reference: str = Field(min_length=1, max_length=100, pattern=r"^[^\x00-\x1f\x7f]+$")
    """The firm's matter reference, unique in the store."""
    firm_role: FirmRole
    """Solicitor matter or estate-agent sale."""
    matter_type: str
    """Matter type (residential_purchase, ...)."""
    acting_for: str | None
    """The side the firm acts for."""
    client_type: ClientType
    """Who the client is."""
    responsible: str
    """Person responsible (must have current AML training)."""
    status: CaseStatus = CaseStatus.OPEN
    """Open or closed."""
    opened_at: datetime
    """When the case was opened."""
    opened_by: str
    """Who opened it."""

    def audit_case_id(self) -> str | None:
        return self.id

    def state(self) -> dict[str, Any]:
        """The fields an approval covers (status is workflow, not substance)."""
        data = self.payload()
        data.pop("status", None)
        return data


class PartyRole(StrEnum):
    """A party's part in the matter."""

    CLIENT = "client"
    BENEFICIAL_OWNER = "beneficial_owner"
    PERSON_ACTING = "person_acting"
    PAYER = "payer"
    COUNTERPARTY = "counterparty"


class PartyKind(StrEnum):
    """A natural person or a legal entity/arrangement."""

    INDIVIDUAL = "individual"
    ENTITY = "entity"


class Party(Record):
    """A person or entity in the matter."""

    KIND: ClassVar[str] = "party"
    id: str
    """Internal id."""
    case_id: str
    """The case."""
    label: str
    """Short name within the case (p1, p2, ...), used as checklist subject."""
    role: PartyRole
    """Its part in the matter."""
    kind: PartyKind
    """Individual or entity."""
    name: str = Field(min_length=1, max_length=500)
    """Name as written, in any script."""
    other_names: tuple[str, ...] = ()
    """Other names, transliterations, former names."""
    date_of_birth: date | None = None
    """Individuals only."""
    nationalities: tuple[str, ...] = ()
    """ISO 3166-1 alpha-2 codes."""
    addresses: tuple[str, ...] = ()
    """Addresses, most recent first."""
    registration_number: str | None = None
    """Company or other registration number (entities)."""
    added_at: datetime
    """When it was recorded."""
    added_by: str
    """Who recorded it."""


def principal_client(parties: Iterable[Party], client_type: ClientType) -> str | None:
    """The label of the party that the checklists' subject "client" stands for.

    The client checklists are about the client the matter was opened for: the one client party
    of the client type's kind (a person for an individual client, an entity otherwise). With
    none, or more than one, no party is it, and "client" stays a subject of its own.
    """
    kind = PartyKind.INDIVIDUAL if client_type is ClientType.INDIVIDUAL else PartyKind.ENTITY
    labels = [p.label for p in parties if p.role is PartyRole.CLIENT and p.kind is kind]
    return labels[0] if len(labels) == 1 else None


class EventRecord(Record):
    """A timestamped matter event (reg 30 timing is judged against these)."""

    KIND: ClassVar[str] = "event"
    id: str
    """Internal id."""
    case_id: str
    """The case."""
    event: MatterEvent
    """What happened."""
    at: datetime
    """When it happened."""
    recorded_at: datetime
    """When it was recorded."""
    recorded_by: str
    """Who recorded it."""
    gate_exception: str | None = None
    """The MLRO's reason for recording it although its gate was closed (None: the gate was
    open). Funds already in client account, for example, are recorded so that they are held."""
    blocked_by: tuple[str, ...] = ()
    """What kept the gate closed when the exception was recorded, as the evaluator said it."""

    def payload(self) -> dict[str, Any]:
        # Added after the first release of the format: left out while unset, so events
        # recorded before they existed keep their payload hash.
        data = super().payload()
        if data.get("gate_exception") is None:
            data.pop("gate_exception", None)
        if not data.get("blocked_by"):
            data.pop("blocked_by", None)
        return data


class Run(Record):
    """A checklist started on a case, pinned to the version and content hash used."""

    KIND: ClassVar[str] = "run"
    id: str
    """Internal id."""
    case_id: str
    """The case."""
    key: str
    """Unique within the case: the checklist id, or "checklist@party-label"."""
    checklist_id: str
    """The checklist."""
    checklist_version: str
    """Its version when started."""
    content_sha256: str
    """SHA-256 of the checklist file when started."""
    subject: str = "client"
    """"client" or a party label."""
    started_at: datetime
    """When it was started."""


class AnswerVersion(Record):
    """One version of one answer; never updated, only followed by a newer version."""

    KIND: ClassVar[str] = "answer"
    id: str
    """Internal id."""
    case_id: str
    """The case."""
    run_id: str
    """The checklist run."""
    question_key: str
    """Question id, with "#n" for entry n of a repeating section."""
    number: int = Field(ge=1)
    """1 for the first answer, then 2, 3 ... (unique per run and question)."""
    value: AnswerValue
    """The answer."""
    answered_by: str
    """Who answered."""
    answered_at: datetime
    """When."""
    previous_id: str | None = None
    """The version this one replaces."""
    mlro_reason: str | None = None
    """The MLRO's reason, for an answer only the MLRO may give (a matter out of scope of the
    MLR); None otherwise."""
    checklist_sha256: str | None = None
    """SHA-256 of the checklist file the question was read from when answered (its text is
    kept in the case file); None for answers given before it was recorded."""

    def payload(self) -> dict[str, Any]:
        data = jsonable(self.model_dump(exclude={"value"}))
        data["value"] = encode_answer(self.value)
        assert isinstance(data, dict)
        # Added after the first release of the format: left out while unset, so answers given
        # before they existed keep their payload hash.
        for name in ("mlro_reason", "checklist_sha256"):
            if data.get(name) is None:
                data.pop(name, None)
        return data


class Evidence(Record):
    """Metadata of one evidence file; the bytes live in the blob store under `sha256`."""

    KIND: ClassVar[str] = "evidence"
    id: str
    """Internal id."""
    case_id: str
    """The case."""
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    """Content hash, which is also the blob's name."""
    size: int = Field(ge=1)
    """Bytes."""
    original_name: str
    """The file's name as given (display only, never a path)."""
    media_type: str
    """MIME type guessed from the name."""
    document_type: str
    """passport, bank_statement, ..."""
    issuer: str | None = None
    """Who issued the document."""
    document_number: str | None = Field(
        default=None, min_length=1, max_length=100, pattern=r"^[^\x00-\x1f\x7f]+$"
    )
    """The identity document's number (passport number ...); printed masked in the audit file."""
    document_date: date | None = None
    """Date on the document."""
    expiry: date | None = None
    """Expiry date."""
    received_at: datetime
    """When the firm received it."""
    verified_at: datetime | None = None
    """When it was verified."""
    verified_by: str | None = None
    """Who verified it."""
    method: str | None = None
    """How it was verified (original seen, certified copy, electronic ...)."""
    note: str | None = None
    """Free note."""
    run_id: str | None = None
    """The checklist run of the question it supports."""
    question_key: str | None = None
    """The question it supports."""
    party_id: str | None = None
    """The party it is about."""
    added_at: datetime
    """When it was stored."""
    added_by: str
    """Who stored it."""
    reuse_reason: str | None = None
    """Why the same file is also on the case as another kind of document (None: it is not)."""

    def payload(self) -> dict[str, Any]:
        # Added after the first release of the format: left out while unset, so evidence stored
        # before it existed keeps its payload hash (and the approvals their bound state).
        data = super().payload()
        if data.get("document_number") is None:
            data.pop("document_number", None)
        if data.get("reuse_reason") is None:
            data.pop("reuse_reason", None)
        return data


Decision = Literal["approved", "refused"]


class Approval(Record):
    """An approval or refusal, bound to the hash of the case state it covered."""

    KIND: ClassVar[str] = "approval"
    id: str
    """Internal id."""
    case_id: str
    """The case."""
    approver: str
    """Who."""
    role: Role
    """The role they acted in."""
    decision: Decision
    """Approved or refused."""
    conditions: str | None = None
    """Conditions attached."""
    given_at: datetime
    """When."""
    state_sha256: str
    """`case_state_hash` of the whole case when it was given (what `verify` checks it against:
    proof of what the approver saw, matter events included)."""
    relied_on_sha256: str | None = None
    """`reliance.relied_on_hash` of the due-diligence record it relied on: it stands while that
    hash is unchanged (events and other progress do not change it). None for approvals given
    before it existed (see `domain.reliance`)."""
    incomplete_reason: str | None = None
    """The MLRO's reason for approving although the enhanced due diligence (PEP EDD, source of
    wealth, source of funds) was not complete; None for an approval of a complete file."""
    incomplete: tuple[str, ...] = ()
    """What was not complete when it was given, as the evaluator said it."""

    def payload(self) -> dict[str, Any]:
        # Added after the first release of the format: left out while unset, so approvals stored
        # before they existed keep the payload hash their audit events recorded.
        data = super().payload()
        if data.get("relied_on_sha256") is None:
            data.pop("relied_on_sha256", None)
        if data.get("incomplete_reason") is None:
            data.pop("incomplete_reason", None)
        if not data.get("incomplete"):
            data.pop("incomplete", None)
        return data


class ApprovalRequest(Record):
    """A request for the approvals a case is waiting for, with the evaluator's reasons.

    Append-only: asking again records a new request (a reminder); the latest one still pending
    is what the approvals queue shows. It binds no state: it only says which state it was
    asked on, so an approver can tell whether the case has changed since.
    """

    KIND: ClassVar[str] = "approval_request"
    id: str
    """Internal id."""
    case_id: str
    """The case."""
    roles: tuple[Role, ...] = Field(min_length=1)
    """The roles whose approval was pending when it was asked for."""
    reasons: tuple[str, ...] = ()
    """Why each is needed, as the evaluator says it (e.g. "PEP: senior management approval")."""
    note: str | None = Field(default=None, max_length=2000)
    """The requester's note to the approver."""
    requested_by: str
    """Who asked."""
    requested_at: datetime
    """When."""
    state_sha256: str
    """`case_state_hash` of the case when it was asked for."""


def open_request(
    requests: Iterable[ApprovalRequest],
    approvals: Iterable[Approval],
    pending: Iterable[Role],
    record_seq: Mapping[str, int],
) -> ApprovalRequest | None:
    """The latest request that is still waiting: one of its roles is still pending and nobody
    has decided (approved or refused) in that role since it was made. `record_seq` orders the
    records (the audit sequence that wrote each), which the clock alone may not."""
    latest = max(requests, key=lambda r: record_seq.get(r.target(), 0), default=None)
    if latest is None:
        return None
    asked = record_seq.get(latest.target(), 0)
    answered = {a.role for a in approvals if record_seq.get(a.target(), 0) > asked}
    waiting = set(latest.roles).intersection(pending) - answered
    return latest if waiting else None


class AuditEvent(BaseModel):
    """One link in the append-only, hash-chained audit trail."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    seq: int = Field(ge=1)
    """Position in the chain, from 1, without gaps."""
    at: datetime
    """When."""
    actor: str
    """Who (person id)."""
    role: str
    """The role they acted in."""
    os_user: str
    """The operating-system account that ran the program."""
    action: str
    """What was done (case.open, answer.set, evidence.add ...)."""
    target: str
    """The record changed, "kind:id"."""
    case_id: str | None
    """The case, when the record belongs to one."""
    payload_sha256: str
    """Hash of the record's payload (never the payload: retention deletion keeps the chain)."""
    prev_sha256: str
    """Hash of the previous event, GENESIS for the first."""
    sha256: str
    """Hash of this event's other fields."""

    @staticmethod
    def compute(
        *,
        seq: int,
        at: datetime,
        actor: str,
        role: str,
        os_user: str,
        action: str,
        target: str,
        case_id: str | None,
        payload_sha256: str,
        prev_sha256: str,
    ) -> AuditEvent:
        """A new event with its hash worked out."""
        fields: dict[str, Any] = {
            "seq": seq,
            "at": utc_text(at),
            "actor": actor,
            "role": role,
            "os_user": os_user,
            "action": action,
            "target": target,
            "case_id": case_id,
            "payload_sha256": payload_sha256,
            "prev_sha256": prev_sha256,
        }
        return AuditEvent(at=at, sha256=canonical_hash(fields), **_without(fields, "at"))

    def recomputed_sha256(self) -> str:
        """The hash these fields should have (the same dict `compute` hashed)."""
        return canonical_hash(
            {
                "seq": self.seq,
                "at": utc_text(self.at),
                "actor": self.actor,
                "role": self.role,
                "os_user": self.os_user,
                "action": self.action,
                "target": self.target,
                "case_id": self.case_id,
                "payload_sha256": self.payload_sha256,
                "prev_sha256": self.prev_sha256,
            }
        )


class OverrideRecord(Record):
    """The MLRO's recorded decision to accept a rating below a floor or trigger, with why.

    Append-only: a later override of the same rating stands beside the earlier one; the
    evaluator accepts a chosen rating when an MLRO override of that rating is on file.
    """

    KIND: ClassVar[str] = "override"
    id: str
    """Internal id."""
    case_id: str
    """The case."""
    rating: Rating
    """The rating accepted below the minimum."""
    rationale: str = Field(min_length=1, max_length=20000)
    """Why, in full."""
    overridden_at: datetime
    """When it was recorded."""
    overridden_by: str
    """Which MLRO recorded it."""


class ReferralClosure(Record):
    """The MLRO's closure of a referral (issue 13, finding 10): the matter may proceed, or the
    firm declines to act. Printed in the matter file in neutral words; what the MLRO weighed is
    always a restricted record beside it (never linked from here), so a closure on suspicion
    reads like any other."""

    KIND: ClassVar[str] = "referral_closure"
    id: str
    """Internal id."""
    case_id: str
    """The case."""
    key: str = Field(pattern=r"^r[0-9a-f]{9}$")
    """The referral closed (`evaluation.referral_key`)."""
    outcome: Literal["proceed", "decline"]
    """Proceed, or decline to act (G1 then stays closed)."""
    closed_at: datetime
    """When."""
    closed_by: str
    """Which MLRO."""


class RestrictedKind(StrEnum):
    """Kinds of MLRO-restricted record (R7, R8): never part of the matter file."""

    INTERNAL_REPORT = "internal_report"
    DELIBERATION = "deliberation"
    SAR_REFERENCE = "sar_reference"
    DAML_REFERENCE = "daml_reference"


class RestrictedRecord(Record):
    """An MLRO-restricted record (internal report, deliberation, SAR or DAML reference).

    Kept in its own table, read only through the MLRO-only service call, never loaded into
    `CaseRecords`. Its audit event names no case and uses the neutral action "restricted.add"
    with the opaque target "restricted:<id>", so the chain proves it without revealing it.
    """

    KIND: ClassVar[str] = "restricted"
    id: str
    """Internal id (opaque)."""
    case_id: str
    """The case it concerns (held only in the restricted table)."""
    kind: RestrictedKind
    """What sort of record."""
    text: str | None = Field(default=None, min_length=1, max_length=20000)
    """The record itself (a reference number, a note of the deliberation ...): in memory once
    unsealed; stored only by records written before sealing existed, until the MLRO's next
    unlock seals them."""
    added_at: datetime
    """When it was recorded."""
    added_by: str
    """Which MLRO recorded it."""
    sealed: str | None = None
    """The text encrypted under this record's own key (base64 of nonce and ciphertext)."""
    wrapped_key: str | None = None
    """This record's key, encrypted under the key only the MLRO's passphrase derives."""

    def audit_case_id(self) -> str | None:
        # Tipping-off: the public chain must not link a restricted record to its matter.
        return None

    def payload(self) -> dict[str, Any]:
        # The chain holds the ciphertext's hash, so it verifies without the passphrase. Fields
        # added later are left out while unset: records written before keep their hash.
        data = super().payload()
        for name in ("text", "sealed", "wrapped_key"):
            if data.get(name) is None:
                data.pop(name, None)
        return data


class HoldGround(StrEnum):
    """Grounds on which personal data may be kept beyond the retention period (MLR reg 40(5))."""

    ENACTMENT = "enactment"
    COURT_PROCEEDINGS = "court_proceedings"
    CONSENT = "consent"
    LEGAL_PROCEEDINGS = "legal_proceedings"
    """Reasonable grounds to believe the records are needed in legal proceedings."""


class LegalHold(Record):
    """A legal hold on a case: while it is in force nothing of the case may be deleted."""

    KIND: ClassVar[str] = "hold"
    id: str
    """Internal id."""
    case_id: str
    """The case."""
    ground: HoldGround
    """Why the data is kept."""
    note: str | None = None
    """Details (claim number, the enactment ...)."""
    placed_at: datetime
    """When it was placed."""
    placed_by: str
    """Who placed it."""
    released_at: datetime | None = None
    """When it was released (None while in force)."""
    released_by: str | None = None
    """Who released it."""

    @property
    def in_force(self) -> bool:
        """True until released."""
        return self.released_at is None


class Deletion(Record):
    """What the end-of-retention purge deleted from one case: counts and dates, no personal data."""

    KIND: ClassVar[str] = "deletion"
    id: str
    """Internal id."""
    case_id: str
    """The case (its row stays, marked purged)."""
    retention_started: date
    """When the retention clock started (relationship ended / completion)."""
    retention_until: date
    """The end of the retention period."""
    deleted_at: datetime
    """When the data was deleted."""
    deleted_by: str
    """Who ran the purge."""
    records: dict[str, int]
    """How many records of each kind were deleted."""
    files: int
    """How many evidence files were deleted from the blob store."""


class LeftoverCleanup(Record):
    """Files left behind by interrupted writes, removed: evidence or list blobs no record refers
    to and partial writes (`.incoming-*`). They may hold personal data that would otherwise
    escape the retention purge. Files are named by hash or temporary name only."""

    KIND: ClassVar[str] = "cleanup"
    id: str
    """Internal id."""
    cleaned_at: datetime
    """When the files were removed."""
    cleaned_by: str
    """Who removed them."""
    reason: str
    """What removed them: "maintenance clean" or "retention purge"."""
    files: tuple[str, ...]
    """The files removed, as "<folder>/<name>" (evidence or lists)."""
    bytes: int = Field(ge=0)
    """Their total size."""


def _without(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in keys}


class Actor(BaseModel):
    """Who is making a change, as the audit trail records it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    user: str
    """Person id (from `--as` or settings)."""
    os_user: str
    """The operating-system account."""


# ----------------------------------------------------------------------------------------------
# Case state bound by approvals


def case_state_hash(
    case: Case,
    parties: Iterable[Party],
    runs: Iterable[Run],
    answers: Iterable[AnswerVersion],
    events: Iterable[EventRecord],
    evidence: Iterable[Evidence],
) -> str:
    """Hash of everything an approval covers: the case, its parties, runs, current answers,
    matter events and evidence. `answers` may hold every version; only the latest per question
    counts, so re-answering with the same value still supersedes (the answer was re-opened).
    """
    latest: dict[tuple[str, str], AnswerVersion] = {}
    for answer in answers:
        slot = (answer.run_id, answer.question_key)
        if slot not in latest or answer.number > latest[slot].number:
            latest[slot] = answer
    state = {
        "case": case.state(),
        "parties": sorted((p.payload() for p in parties), key=lambda p: p["id"]),
        "runs": sorted((r.payload() for r in runs), key=lambda r: r["id"]),
        "answers": sorted((a.payload() for a in latest.values()), key=lambda a: a["id"]),
        "events": sorted((e.payload() for e in events), key=lambda e: e["id"]),
        "evidence": sorted((e.payload() for e in evidence), key=lambda e: e["id"]),
    }
    return canonical_hash(state)


def clean_display_name(name: str) -> str:
    """A file name fit for display and storage: control characters and undecodable bytes
    replaced, only the last path component kept. Never used as a path."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = base.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    cleaned = "".join("\ufffd" if unicodedata.category(c) == "Cc" else c for c in base)
    return cleaned[:255] or "(unnamed)"
