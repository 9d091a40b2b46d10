"""The ports the case-file services talk through: a transactional store, a blob store, a clock.

Protocols only, so tests can use fakes and the SQLAlchemy store can be swapped for another
engine. Nothing here (or anywhere in services) imports SQLAlchemy or a concrete adapter.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal, Protocol

from duediligence.domain.case import (
    Actor,
    AnswerVersion,
    Approval,
    ApprovalRequest,
    AuditEvent,
    Case,
    Deletion,
    EventRecord,
    Evidence,
    FirmProfile,
    LegalHold,
    OverrideRecord,
    Party,
    Person,
    Record,
    ReferralClosure,
    RestrictedRecord,
    Run,
)
from duediligence.domain.funds import Receipt, ReceiptAction
from duediligence.domain.monitoring import CaseSummary
from duediligence.domain.proof import (
    ChecklistText,
    Checkpoint,
    IssuedAuditFile,
    MlroSeal,
    SigningCertificate,
)
from duediligence.domain.sale import Sale, SaleBuyer
from duediligence.domain.screening_records import HitDisposition, ListSnapshotRecord, Screening


class Clock(Protocol):
    """Where the time comes from (a fixed clock in tests)."""

    def now(self) -> datetime:
        """The current moment, timezone-aware."""
        ...


@dataclass(frozen=True, slots=True)
class StoredBlob:
    """A file taken into the blob store."""

    sha256: str
    """Content hash, the blob's name."""
    size: int
    """Bytes."""
    new: bool
    """False when identical content was already stored (deduplicated)."""


@dataclass(frozen=True, slots=True)
class BlobCheck:
    """The result of re-hashing one stored blob."""

    sha256: str
    """The name (expected hash)."""
    status: Literal["ok", "missing", "altered"]
    """What was found."""
    actual: str | None = None
    """The hash of what is there now, when altered."""


@dataclass(frozen=True, slots=True)
class StoredFile:
    """A file found in a blob store's folder."""

    name: str
    """Its name in the folder."""
    sha256: str | None
    """The blob's hash (its name); None for a partial write that never became a blob."""
    size: int
    """Bytes."""
    modified: datetime
    """When it was last written (a blob stored again as a duplicate counts as written then)."""


class BlobStore(Protocol):
    """Content-addressed evidence files."""

    def put(self, source: Path) -> StoredBlob:
        """Stream a file in, atomically; raise InvalidInput for a missing, empty or odd file."""
        ...

    def check(self, sha256: str) -> BlobCheck:
        """Re-hash a stored blob."""
        ...

    def path_of(self, sha256: str) -> Path:
        """Where a blob lives (for export; read-only use)."""
        ...

    def delete(self, sha256: str) -> bool:
        """Remove a blob at the end of retention; False when it was already gone."""
        ...

    def files(self) -> list[StoredFile]:
        """Every blob and every partial write in the folder (other files are not the store's)."""
        ...

    def remove(self, name: str) -> bool:
        """Remove a leftover, a blob or a partial write, by its name; False when already gone."""
        ...


@dataclass(frozen=True)
class CaseRecords:
    """Everything stored about one case, as of now or as of an audit sequence number."""

    case: Case
    """The case."""
    parties: tuple[Party, ...] = ()
    """Its parties."""
    runs: tuple[Run, ...] = ()
    """Its checklist runs."""
    answers: tuple[AnswerVersion, ...] = ()
    """Every answer version, oldest first."""
    events: tuple[EventRecord, ...] = ()
    """Matter events, by time."""
    evidence: tuple[Evidence, ...] = ()
    """Evidence metadata."""
    approvals: tuple[Approval, ...] = ()
    """Approvals and refusals."""
    screenings: tuple[Screening, ...] = ()
    """Screenings of its parties against the lists, oldest first."""
    dispositions: tuple[HitDisposition, ...] = ()
    """Decisions on screening hits, oldest first."""
    overrides: tuple[OverrideRecord, ...] = ()
    """MLRO rating overrides, oldest first."""
    referral_closures: tuple[ReferralClosure, ...] = ()
    """The MLRO's closures of referrals, oldest first."""
    approval_requests: tuple[ApprovalRequest, ...] = ()
    """Requests for approval, oldest first (they change nothing an approval covers)."""
    receipts: tuple[Receipt, ...] = ()
    """Payments into client account, in the order recorded."""
    receipt_actions: tuple[ReceiptAction, ...] = ()
    """What was done about them (allocated, explained, accepted, returned), oldest first."""
    record_seq: dict[str, int] = field(default_factory=dict)
    """Audit sequence number that created each record, by target ("answer:<id>")."""


class Session(Protocol):
    """One transaction on the case file. Every write appends its audit event in the same
    transaction; leaving the `transaction()` block commits, an exception rolls everything back."""

    def add(self, record: Record, *, actor: Actor, role: str, action: str) -> AuditEvent:
        """Insert a record and append its audit event; ConflictError if it collides (e.g. an
        answer version number someone else has just taken)."""
        ...

    def replace(self, record: Record, *, actor: Actor, role: str, action: str) -> AuditEvent:
        """Update a mutable record (firm, person, case status) and append its audit event."""
        ...

    def purge(self, record: Record, *, actor: Actor, role: str) -> AuditEvent:
        """Delete a record at the end of retention, appending a "<kind>.purged" event (payload
        hash of a tombstone), so `verify` knows the record was deleted on purpose."""
        ...

    def put_summary(self, summary: CaseSummary) -> None:
        """Write a case's listing row (derived data; call in the transaction that changed it)."""
        ...

    def summaries(self, reference: str | None = None) -> list[CaseSummary]:
        """Every listing row, by reference (or only the row of case `reference`)."""
        ...

    def unsummarised(self) -> list[str]:
        """Ids of cases that have no listing row yet (opened before rows existed)."""
        ...

    def blob_in_use(self, sha256: str) -> bool:
        """Whether any stored evidence record still refers to this blob."""
        ...

    def blobs_in_use(self) -> set[str]:
        """Every evidence blob a stored evidence record refers to (the others are leftovers)."""
        ...

    def restricted_records(self, case_id: str) -> list[RestrictedRecord]:
        """The MLRO-restricted records of a case (the services allow this to the MLRO only)."""
        ...

    def restricted_counts(self) -> dict[str, int]:
        """How many MLRO-restricted records each case holds, by case id (cases with none left
        out); one query, so the MLRO's area lists 10,000 matters without one read each."""
        ...

    def holds(self, case_id: str | None = None) -> list[LegalHold]:
        """Legal holds (of one case, or all), oldest first, released ones included."""
        ...

    def deletions(self) -> list[Deletion]:
        """The log of end-of-retention deletions."""
        ...

    def list_snapshots(self) -> list[ListSnapshotRecord]:
        """Every imported list snapshot, oldest import first."""
        ...

    def open_party_screenings(self) -> list[tuple[str, tuple[str, ...] | None]]:
        """(case reference, snapshot ids of the party's latest screening, None when never
        screened) for every party of every open case; one query, for the re-screen that an
        interrupted or skipped list import left pending."""
        ...

    def firm(self) -> FirmProfile | None:
        """The firm profile, once initialised."""
        ...

    def firm_and_person(self, person_id: str) -> tuple[FirmProfile | None, Person | None]:
        """The firm profile and a person, read together: what every change checks first."""
        ...

    def person(self, person_id: str) -> Person | None:
        """A person by id."""
        ...

    def people(self) -> list[Person]:
        """Everyone, by id."""
        ...

    def case_by_reference(self, reference: str) -> Case | None:
        """A case by the firm's reference."""
        ...

    def sale_of_case(self, case_id: str) -> tuple[Sale, tuple[SaleBuyer, ...]] | None:
        """The sale a matter is on (as its seller or one of its buyers), with every buyer in
        the order linked; None when it is on none."""
        ...

    def sales(self) -> list[tuple[Sale, tuple[SaleBuyer, ...]]]:
        """Every sale with its buyers, in the order recorded."""
        ...

    def cases(self) -> list[Case]:
        """Every case, by reference."""
        ...

    def case_records(self, case_id: str, up_to_seq: int | None = None) -> CaseRecords:
        """A case with everything attached, optionally as it stood at an audit sequence number."""
        ...

    def records_by_reference(self, reference: str) -> CaseRecords | None:
        """A case by the firm's reference with everything attached, as now (None: no such
        case); the case row read once, where `case_by_reference` then `case_records` read it
        twice on the path of every answer."""
        ...

    def latest_answer(self, run_id: str, question_key: str) -> AnswerVersion | None:
        """The current version of one answer."""
        ...

    def audit_events(self, case_id: str | None = None) -> Iterator[AuditEvent]:
        """The whole chain in sequence order, or only the events about one case (by its
        index, without reading the rest)."""
        ...

    def chain_head(self) -> str:
        """The hash of the last event in the chain (GENESIS when there is none)."""
        ...

    def put_checklist_text(self, text: ChecklistText) -> None:
        """Keep a checklist file's text under its hash (nothing when already kept)."""
        ...

    def checklist_texts(self) -> list[ChecklistText]:
        """Every checklist text kept, oldest first."""
        ...

    def event_at(self, seq: int) -> AuditEvent | None:
        """The audit event at `seq`, if there is one."""
        ...

    def head_event(self) -> AuditEvent | None:
        """The last audit event (None: the chain is empty)."""
        ...

    def record_counts(self, up_to_seq: int) -> dict[str, int]:
        """Rows of each kind written up to event `up_to_seq`, by table (restricted records
        left out)."""
        ...

    def certificates(self) -> list[SigningCertificate]:
        """The firm's signing certificates, oldest first."""
        ...

    def checkpoints(self) -> list[Checkpoint]:
        """Every stored checkpoint, oldest first."""
        ...

    def mlro_seal(self) -> MlroSeal | None:
        """The MLRO's sealing parameters (None: no restricted record sealed yet)."""
        ...

    def all_restricted(self) -> list[RestrictedRecord]:
        """Every restricted record (the MLRO's sealing pass and verify only)."""
        ...

    def issued_files(self) -> list[IssuedAuditFile]:
        """Every audit file the case file issued, oldest first."""
        ...

    def has_event_hash(self, sha256: str) -> bool:
        """Whether an audit event with this hash is in the chain."""
        ...

    def schema_extras(self) -> list[str]:
        """Triggers and views in the database, which the program's schema never defines."""
        ...

    def all_records(self) -> Iterator[tuple[Record, int]]:
        """Every stored record with the audit sequence number that created it."""
        ...


class PartyScreener(Protocol):
    """Screens a party against the lists as it is added, in the adding transaction."""

    def prepare(self) -> None:
        """Load the lists before the adding transaction (so it does not hold the write lock
        while a large list is indexed)."""
        ...

    def screen_new_party(self, tx: Session, actor: Actor, role: str, party: Party) -> None:
        """Record the party's screening (nothing when no list has been imported)."""
        ...


class CaseStore(Protocol):
    """The case file's database."""

    def transaction(self) -> AbstractContextManager[Session]:
        """A transaction: commit on normal exit, roll back on exception."""
        ...
