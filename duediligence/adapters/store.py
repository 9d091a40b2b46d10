"""The case-file store: SQLAlchemy 2 Core over SQLite (default) or PostgreSQL, with Alembic
migrations.

Implements `services.ports.CaseStore`. Opening a SQLite store runs the migrations; a PostgreSQL
store is migrated only by `duediligence init` (a new database) and `duediligence migrate` (an
administrator), never by an ordinary user's command. Every write goes through `Session.add` /
`Session.replace`, which append the record's audit event, chained to the previous one, in the
same transaction; there is no other write path.

Engine specifics stay here. SQLite: WAL, foreign keys, synchronous=FULL, busy timeout, and
`BEGIN IMMEDIATE` so a transaction takes the write lock before it reads the chain head (two
writers serialise instead of forking the chain). PostgreSQL: each transaction first takes one
transaction-scoped advisory lock, the case file's, so transactions serialise exactly as SQLite's
do (the services' reads and the chain head they extend are never stale), with a lock timeout
standing for the busy timeout. Should a writer ever get past that, the primary key on
`audit_events.seq` and the unique answer number still turn the race into a ConflictError.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, RowMapping
from sqlalchemy.exc import IntegrityError, OperationalError

from duediligence.adapters.locations import DatabaseUrl, StoreLocation, local_path
from duediligence.domain.case import (
    GENESIS,
    Actor,
    AnswerVersion,
    Approval,
    ApprovalRequest,
    AuditEvent,
    Case,
    CaseStatus,
    ConflictError,
    Deletion,
    EventRecord,
    Evidence,
    FirmProfile,
    InvalidInput,
    LeftoverCleanup,
    LegalHold,
    NotAllowed,
    OverrideRecord,
    Party,
    Person,
    Record,
    ReferralClosure,
    RestrictedRecord,
    Run,
    canonical_hash,
    decode_answer,
    utc_text,
)
from duediligence.domain.errors import DueDiligenceError
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
from duediligence.services.ports import CaseRecords

R = TypeVar("R", bound=Record)

MIGRATIONS = Path(__file__).with_name("migrations")
HEAD_REVISION = "0015"
"""The newest migration (a test checks it is Alembic's head). A store already there opens
without importing Alembic, which costs about 80 ms on every command and at TUI start-up."""


CASE_FILE_LOCK = 0x6475_6564_696C_6967
"""The PostgreSQL advisory lock every transaction takes first ("duedilig"): one writer at a time."""

LOCK_TIMEOUT = "15s"
"""How long a PostgreSQL transaction waits for another to finish (SQLite's busy timeout)."""


class StoreError(DueDiligenceError):
    """The store cannot be opened or used (not a database, locked for too long, ...)."""


# Table name and the fields held as JSON text, by record type.
_TABLES: dict[type[Record], tuple[str, frozenset[str]]] = {
    FirmProfile: ("firm", frozenset()),
    Person: ("people", frozenset({"roles", "os_users"})),
    Case: ("cases", frozenset()),
    Party: ("parties", frozenset({"other_names", "nationalities", "addresses"})),
    Run: ("runs", frozenset()),
    AnswerVersion: ("answers", frozenset({"value"})),
    EventRecord: ("matter_events", frozenset({"blocked_by"})),
    Evidence: ("evidence", frozenset()),
    Approval: ("approvals", frozenset({"incomplete"})),
    # The MLRO's own area: never read by `case_records`, only by `restricted_records`.
    RestrictedRecord: ("mlro_records", frozenset()),
    LegalHold: ("legal_holds", frozenset()),
    Deletion: ("deletions", frozenset({"records"})),
    ListSnapshotRecord: ("list_snapshots", frozenset({"files", "file_blobs", "counts"})),
    Screening: ("screenings", frozenset({"query", "snapshot_ids", "list_kinds", "hits"})),
    HitDisposition: ("hit_dispositions", frozenset()),
    OverrideRecord: ("rating_overrides", frozenset()),
    ReferralClosure: ("referral_closures", frozenset()),
    ApprovalRequest: ("approval_requests", frozenset({"roles", "reasons"})),
    LeftoverCleanup: ("leftover_cleanups", frozenset({"files"})),
    Sale: ("sales", frozenset()),
    SaleBuyer: ("sale_buyers", frozenset()),
    SigningCertificate: ("certificates", frozenset()),
    Checkpoint: ("checkpoints", frozenset({"counts"})),
    MlroSeal: ("mlro_seal", frozenset()),
    IssuedAuditFile: ("issued_files", frozenset()),
    Receipt: ("receipts", frozenset({"gate_closed"})),
    ReceiptAction: ("receipt_actions", frozenset()),
}
_CASE_TABLES: tuple[type[Record], ...] = (
    Party,
    Run,
    AnswerVersion,
    EventRecord,
    Evidence,
    Approval,
    ApprovalRequest,
)

_AUDIT_COLUMNS = (
    "seq",
    "at",
    "actor",
    "role",
    "os_user",
    "action",
    "target",
    "case_id",
    "payload_sha256",
    "prev_sha256",
    "sha256",
)


def _table(model: type[Record]) -> sa.TableClause:
    name, _ = _TABLES[model]
    columns = [*model.model_fields, "seq"]
    if model is FirmProfile:
        columns.append("id")
    return sa.table(name, *(sa.column(c) for c in columns))


TABLES = {model: _table(model) for model in _TABLES}
AUDIT = sa.table("audit_events", *(sa.column(c) for c in _AUDIT_COLUMNS))
CASE_VERSION = sa.table("cases", sa.column("id"), sa.column("version"))
_SUMMARY_FIELDS = tuple(f.name for f in dataclasses.fields(CaseSummary))
SUMMARIES = sa.table("case_summaries", *(sa.column(c) for c in _SUMMARY_FIELDS))
CHECKLIST_TEXTS = sa.table("checklist_texts", *(sa.column(c) for c in ChecklistText.model_fields))
SCHEMA_OBJECTS = sa.table(
    "sqlite_master", sa.column("type"), sa.column("name"), sa.column("tbl_name")
)


def _row(record: Record, *, every_column: bool = False) -> dict[str, Any]:
    _, json_fields = _TABLES[type(record)]
    row = record.payload()
    for name in json_fields:
        if name not in row:
            # Left out of the payload while empty (Person.os_users): a new row takes the
            # column's default, []; an update must write [] over what was there.
            if not every_column:
                continue
            row[name] = []
        row[name] = json.dumps(row[name], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    if every_column:
        # Left out of the payload while unset (a sealed record's plain text): an update must
        # still clear what the column held.
        for name in type(record).model_fields:
            row.setdefault(name, None)
    if isinstance(record, FirmProfile):
        row["id"] = "firm"
    return row


def _record(model: type[R], row: Mapping[Any, Any]) -> R:
    _, json_fields = _TABLES[model]
    data = {k: v for k, v in row.items() if k in model.model_fields}
    for name in json_fields:
        if name in data:
            data[name] = json.loads(data[name])
    if model is AnswerVersion:
        data["value"] = decode_answer(data["value"])
    return model.model_validate(data)


def _columns_of(row: RowMapping, table: sa.TableClause) -> dict[str, Any] | None:
    """One table's columns from a row selected with table-name labels (None: the outer join
    found no row of that table)."""
    values = {c.name: row[f"{table.name}_{c.name}"] for c in table.columns}
    return None if values["id" if "id" in values else table.columns[0].name] is None else values


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class DatabaseIdentity:
    """Who a PostgreSQL connection is: its login role and the person that role is bound to."""

    role: str
    """The session's database role."""
    person: str | None
    """The person of the case file it is (`person_roles`), or None."""
    administrator: bool
    """The schema's owner or a superuser: nobody's role, may act for the firm (set-up)."""

    def check(self, actor: Actor) -> None:
        """Refuse acting as anyone but the person the connection's role is."""
        if self.person is None and not self.administrator:
            raise NotAllowed(
                f"the database role {self.role} is nobody in the case file: the MLRO or a "
                f"senior manager registers it with `duediligence users add ID --db-role "
                f"{self.role} ...`"
            )
        if self.person is not None and actor.user != self.person:
            raise NotAllowed(
                f"you are connected as the database role {self.role}, which is "
                f"{self.person}: you cannot act as {actor.user}"
            )


class SqlSession:
    """One transaction on the store (see `services.ports.Session`)."""

    def __init__(
        self,
        conn: Connection,
        now: Callable[[], datetime] = _utc_now,
        identity: DatabaseIdentity | None = None,
    ) -> None:
        self.conn = conn
        self.now = now
        """Stamps audit events: the wall clock, or a scripted clock for a reproducible example."""
        self._firm: tuple[FirmProfile | None] | None = None
        """The firm row once read in this transaction (the permission and training checks of
        one change both need it); dropped when the firm row is written."""
        self.identity = identity
        """On PostgreSQL, who the connection is: every event's actor must be that person."""

    # Writes --------------------------------------------------------------------------------

    def add(self, record: Record, *, actor: Actor, role: str, action: str) -> AuditEvent:
        if isinstance(record, FirmProfile):
            self._firm = None
        event = self._next_event(record, actor, role, action)
        row = _row(record) | {"seq": event.seq}
        try:
            self.conn.execute(sa.insert(TABLES[type(record)]).values(row))
        except IntegrityError as error:
            raise ConflictError(_conflict(record, error)) from None
        self._append(event)
        return event

    def replace(self, record: Record, *, actor: Actor, role: str, action: str) -> AuditEvent:
        if isinstance(record, FirmProfile):
            self._firm = None
        event = self._next_event(record, actor, role, action)
        table = TABLES[type(record)]
        row = _row(record, every_column=True)
        key = row["id"]
        result = self.conn.execute(sa.update(table).where(table.c.id == key).values(row))
        if result.rowcount != 1:
            raise ConflictError(f"{record.target()} no longer exists")
        self._append(event)
        return event

    def purge(self, record: Record, *, actor: Actor, role: str) -> AuditEvent:
        """Delete a record at the end of retention and append a "<kind>.purged" event whose
        payload hash is that of a tombstone (the chain never held the payload itself)."""
        event = self._next_event(record, actor, role, f"{record.KIND}.purged", purged=True)
        table = TABLES[type(record)]
        result = self.conn.execute(sa.delete(table).where(table.c.id == record.record_id()))
        if result.rowcount != 1:
            raise ConflictError(f"{record.target()} no longer exists")
        self._append(event)
        return event

    def put_summary(self, summary: CaseSummary) -> None:
        """Insert or replace a case's listing row (derived data: not audited)."""
        row = dataclasses.asdict(summary)
        row["review_reasons"] = json.dumps(list(summary.review_reasons), ensure_ascii=False)
        row["approvals_pending"] = json.dumps(
            [list(pair) for pair in summary.approvals_pending], ensure_ascii=False
        )
        row["referrals"] = json.dumps(list(summary.referrals), ensure_ascii=False)
        for name in ("next_review", "retention_until"):
            row[name] = row[name].isoformat() if row[name] is not None else None
        # One statement for a case that has its row (every write after the first), portable.
        updated = self.conn.execute(
            sa.update(SUMMARIES).where(SUMMARIES.c.case_id == summary.case_id).values(row)
        )
        if updated.rowcount == 0:
            self.conn.execute(sa.insert(SUMMARIES).values(row))

    def _next_event(
        self, record: Record, actor: Actor, role: str, action: str, *, purged: bool = False
    ) -> AuditEvent:
        if self.identity is not None:
            # Said clearly here; the database's own trigger refuses the same to psql.
            self.identity.check(actor)
        head = self.conn.execute(
            sa.select(AUDIT.c.seq, AUDIT.c.sha256).order_by(AUDIT.c.seq.desc()).limit(1)
        ).first()
        seq, prev = (head[0] + 1, head[1]) if head else (1, GENESIS)
        return AuditEvent.compute(
            seq=seq,
            at=self.now(),
            actor=actor.user,
            role=role,
            os_user=actor.os_user,
            action=action,
            target=record.target(),
            case_id=record.audit_case_id(),
            payload_sha256=canonical_hash({"purged": record.target()})
            if purged
            else record.payload_sha256(),
            prev_sha256=prev,
        )

    def _append(self, event: AuditEvent) -> None:
        row = event.model_dump()
        row["at"] = utc_text(event.at)
        try:
            self.conn.execute(sa.insert(AUDIT).values(row))
        except IntegrityError:
            raise ConflictError(
                "another change was written at the same moment; nothing was saved, try again"
            ) from None

    # Reads ---------------------------------------------------------------------------------

    def firm(self) -> FirmProfile | None:
        if self._firm is None:
            row = self.conn.execute(sa.select(TABLES[FirmProfile])).mappings().first()
            self._firm = (_record(FirmProfile, row) if row else None,)
        return self._firm[0]

    def firm_and_person(self, person_id: str) -> tuple[FirmProfile | None, Person | None]:
        if self._firm is not None:
            return self._firm[0], self.person(person_id)
        firm, people = TABLES[FirmProfile], TABLES[Person]
        query = (
            sa.select(firm, people)
            .select_from(firm.outerjoin(people, people.c.id == person_id))
            .set_label_style(sa.LABEL_STYLE_TABLENAME_PLUS_COL)
        )
        row = self.conn.execute(query).mappings().first()
        if row is None:
            self._firm = (None,)
            return None, None
        firm_row, person_row = _columns_of(row, firm), _columns_of(row, people)
        self._firm = (_record(FirmProfile, firm_row) if firm_row else None,)
        return self._firm[0], _record(Person, person_row) if person_row else None

    def person(self, person_id: str) -> Person | None:
        table = TABLES[Person]
        row = self.conn.execute(sa.select(table).where(table.c.id == person_id)).mappings().first()
        return _record(Person, row) if row else None

    def people(self) -> list[Person]:
        table = TABLES[Person]
        rows = self.conn.execute(sa.select(table).order_by(table.c.id)).mappings()
        return [_record(Person, r) for r in rows]

    def case_by_reference(self, reference: str) -> Case | None:
        table = TABLES[Case]
        row = (
            self.conn.execute(sa.select(table).where(table.c.reference == reference))
            .mappings()
            .first()
        )
        return _record(Case, row) if row else None

    def cases(self) -> list[Case]:
        table = TABLES[Case]
        rows = self.conn.execute(sa.select(table).order_by(table.c.reference)).mappings()
        return [_record(Case, r) for r in rows]

    def sale_of_case(self, case_id: str) -> tuple[Sale, tuple[SaleBuyer, ...]] | None:
        sales, buyers = TABLES[Sale], TABLES[SaleBuyer]
        row = (
            self.conn.execute(sa.select(sales).where(sales.c.seller_case_id == case_id))
            .mappings()
            .first()
        )
        if row is None:
            link = (
                self.conn.execute(sa.select(buyers.c.sale_id).where(buyers.c.case_id == case_id))
                .scalars()
                .first()
            )
            if link is None:
                return None
            row = self.conn.execute(sa.select(sales).where(sales.c.id == link)).mappings().one()
        sale = _record(Sale, row)
        return sale, self._buyers(sale.id)

    def sales(self) -> list[tuple[Sale, tuple[SaleBuyer, ...]]]:
        table = TABLES[Sale]
        rows = self.conn.execute(sa.select(table).order_by(table.c.seq)).mappings()
        return [(s, self._buyers(s.id)) for s in (_record(Sale, r) for r in rows.all())]

    def _buyers(self, sale_id: str) -> tuple[SaleBuyer, ...]:
        t = TABLES[SaleBuyer]
        rows = self.conn.execute(sa.select(t).where(t.c.sale_id == sale_id).order_by(t.c.seq))
        return tuple(_record(SaleBuyer, r) for r in rows.mappings())

    def case_records(self, case_id: str, up_to_seq: int | None = None) -> CaseRecords:
        table = TABLES[Case]
        row = self.conn.execute(sa.select(table).where(table.c.id == case_id)).mappings().one()
        return self._records_of(row, up_to_seq)

    def records_by_reference(self, reference: str) -> CaseRecords | None:
        table = TABLES[Case]
        query = sa.select(table).where(table.c.reference == reference)
        row = self.conn.execute(query).mappings().first()
        return self._records_of(row, None) if row else None

    def _records_of(self, row: RowMapping, up_to_seq: int | None) -> CaseRecords:
        case_id = row["id"]
        seqs: dict[str, int] = {}

        def load(model: type[R]) -> tuple[R, ...]:
            t = TABLES[model]
            query = sa.select(t).where(t.c.case_id == case_id)
            if up_to_seq is not None:
                query = query.where(t.c.seq <= up_to_seq)
            records = []
            for r in self.conn.execute(query.order_by(t.c.seq)).mappings():
                record = _record(model, r)
                seqs[record.target()] = r["seq"]
                records.append(record)
            return tuple(records)

        case = _record(Case, row)
        seqs[case.target()] = row["seq"]
        return CaseRecords(
            case=case,
            parties=load(Party),
            runs=load(Run),
            answers=load(AnswerVersion),
            events=tuple(sorted(load(EventRecord), key=lambda e: e.at)),
            evidence=load(Evidence),
            approvals=load(Approval),
            screenings=load(Screening),
            dispositions=load(HitDisposition),
            overrides=load(OverrideRecord),
            referral_closures=load(ReferralClosure),
            approval_requests=load(ApprovalRequest),
            **self._receipts(case_id, up_to_seq, seqs),
            record_seq=seqs,
        )

    def _receipts(
        self, case_id: str, up_to_seq: int | None, seqs: dict[str, int]
    ) -> dict[str, Any]:
        """Receipts and what was done with each, in one statement (every action belongs to a
        receipt of the case: the foreign key holds it)."""
        receipts, actions = TABLES[Receipt], TABLES[ReceiptAction]
        on = actions.c.receipt_id == receipts.c.id
        query = sa.select(receipts, actions).where(receipts.c.case_id == case_id)
        if up_to_seq is not None:
            on = sa.and_(on, actions.c.seq <= up_to_seq)
            query = query.where(receipts.c.seq <= up_to_seq)
        query = (
            query.select_from(receipts.outerjoin(actions, on))
            .order_by(receipts.c.seq)
            .set_label_style(sa.LABEL_STYLE_TABLENAME_PLUS_COL)
        )
        found: dict[str, Receipt] = {}
        done: list[tuple[int, ReceiptAction]] = []
        for row in self.conn.execute(query).mappings():
            receipt_row = _columns_of(row, receipts)
            assert receipt_row is not None  # the join's left side
            if receipt_row["id"] not in found:
                receipt = _record(Receipt, receipt_row)
                found[receipt.id] = receipt
                seqs[receipt.target()] = receipt_row["seq"]
            action_row = _columns_of(row, actions)
            if action_row is not None:
                action = _record(ReceiptAction, action_row)
                seqs[action.target()] = action_row["seq"]
                done.append((action_row["seq"], action))
        done.sort(key=lambda pair: pair[0])
        return {
            "receipts": tuple(found.values()),
            "receipt_actions": tuple(action for _, action in done),
        }

    def latest_answer(self, run_id: str, question_key: str) -> AnswerVersion | None:
        t = TABLES[AnswerVersion]
        row = (
            self.conn.execute(
                sa.select(t)
                .where(t.c.run_id == run_id, t.c.question_key == question_key)
                .order_by(t.c.number.desc())
                .limit(1)
            )
            .mappings()
            .first()
        )
        return _record(AnswerVersion, row) if row else None

    def list_snapshots(self) -> list[ListSnapshotRecord]:
        t = TABLES[ListSnapshotRecord]
        rows = self.conn.execute(sa.select(t).order_by(t.c.seq)).mappings()
        return [_record(ListSnapshotRecord, r) for r in rows]

    def open_party_screenings(self) -> list[tuple[str, tuple[str, ...] | None]]:
        parties, cases, screenings = TABLES[Party], TABLES[Case], TABLES[Screening]
        latest = (
            sa.select(screenings.c.party_id, sa.func.max(screenings.c.seq).label("seq"))
            .group_by(screenings.c.party_id)
            .subquery()
        )
        query = (
            sa.select(cases.c.reference, screenings.c.snapshot_ids)
            .select_from(
                parties.join(cases, cases.c.id == parties.c.case_id)
                .outerjoin(latest, latest.c.party_id == parties.c.id)
                .outerjoin(screenings, screenings.c.seq == latest.c.seq)
            )
            .where(cases.c.status == CaseStatus.OPEN.value)
            .order_by(cases.c.reference)
        )
        return [
            (str(reference), tuple(json.loads(ids)) if ids is not None else None)
            for reference, ids in self.conn.execute(query)
        ]

    def restricted_records(self, case_id: str) -> list[RestrictedRecord]:
        t = TABLES[RestrictedRecord]
        rows = self.conn.execute(
            sa.select(t).where(t.c.case_id == case_id).order_by(t.c.seq)
        ).mappings()
        return [_record(RestrictedRecord, r) for r in rows]

    def restricted_counts(self) -> dict[str, int]:
        t = TABLES[RestrictedRecord]
        rows = self.conn.execute(
            sa.select(t.c.case_id, sa.func.count()).group_by(t.c.case_id)
        ).all()
        return {str(case_id): int(count) for case_id, count in rows}

    def holds(self, case_id: str | None = None) -> list[LegalHold]:
        t = TABLES[LegalHold]
        query = sa.select(t).order_by(t.c.seq)
        if case_id is not None:
            query = query.where(t.c.case_id == case_id)
        return [_record(LegalHold, r) for r in self.conn.execute(query).mappings()]

    def deletions(self) -> list[Deletion]:
        t = TABLES[Deletion]
        rows = self.conn.execute(sa.select(t).order_by(t.c.seq)).mappings()
        return [_record(Deletion, r) for r in rows]

    def summaries(self, reference: str | None = None) -> list[CaseSummary]:
        # Plain tuples and one constructor call per row: 10,000 rows in well under 200 ms.
        query = sa.select(*(SUMMARIES.c[name] for name in _SUMMARY_FIELDS)).order_by(
            SUMMARIES.c.reference
        )
        if reference is not None:
            query = query.where(SUMMARIES.c.reference == reference)
        rows = self.conn.execute(query)
        day = date.fromisoformat
        return [
            CaseSummary(
                row[0],
                row[1],
                row[2],
                row[3],
                row[4],
                row[5],
                row[6],
                row[7],
                row[8],
                bool(row[9]),
                bool(row[10]),
                row[11],
                row[12],
                day(row[13]) if row[13] else None,
                tuple(json.loads(row[14])) if row[14] != "[]" else (),
                day(row[15]) if row[15] else None,
                bool(row[16]),
                row[17],
                row[18],
                row[19],
                row[20],
                tuple((r, why) for r, why in json.loads(row[21])) if row[21] != "[]" else (),
                row[22],
                bool(row[23]),
                tuple(json.loads(row[24])) if row[24] != "[]" else (),
                row[25],
                row[26],
            )
            for row in rows
        ]

    def unsummarised(self) -> list[str]:
        cases = TABLES[Case]
        query = (
            sa.select(cases.c.id)
            .select_from(cases.outerjoin(SUMMARIES, SUMMARIES.c.case_id == cases.c.id))
            .where(SUMMARIES.c.case_id.is_(None))
        )
        return [row[0] for row in self.conn.execute(query)]

    def blobs_in_use(self) -> set[str]:
        t = TABLES[Evidence]
        return {str(sha) for (sha,) in self.conn.execute(sa.select(t.c.sha256).distinct())}

    def blob_in_use(self, sha256: str) -> bool:
        t = TABLES[Evidence]
        return (
            self.conn.execute(sa.select(t.c.id).where(t.c.sha256 == sha256).limit(1)).first()
            is not None
        )

    def audit_events(self, case_id: str | None = None) -> Iterator[AuditEvent]:
        query = sa.select(AUDIT).order_by(AUDIT.c.seq)
        if case_id is not None:
            query = query.where(AUDIT.c.case_id == case_id)
        for row in self.conn.execute(query).mappings():
            yield AuditEvent.model_validate(dict(row))

    def chain_head(self) -> str:
        head = self.conn.execute(
            sa.select(AUDIT.c.sha256).order_by(AUDIT.c.seq.desc()).limit(1)
        ).scalar()
        return str(head) if head is not None else GENESIS

    # Proof (issue 16) ---------------------------------------------------------------------

    def put_checklist_text(self, text: ChecklistText) -> None:
        """Keep a checklist file's text under its hash (once; the same hash is the same text)."""
        present = self.conn.execute(
            sa.select(CHECKLIST_TEXTS.c.id).where(CHECKLIST_TEXTS.c.id == text.id)
        ).first()
        if present is None:
            row = text.payload()
            self.conn.execute(sa.insert(CHECKLIST_TEXTS).values(row))

    def checklist_texts(self) -> list[ChecklistText]:
        rows = self.conn.execute(
            sa.select(CHECKLIST_TEXTS).order_by(CHECKLIST_TEXTS.c.stored_at)
        ).mappings()
        return [ChecklistText.model_validate(dict(r)) for r in rows]

    def event_at(self, seq: int) -> AuditEvent | None:
        row = self.conn.execute(sa.select(AUDIT).where(AUDIT.c.seq == seq)).mappings().first()
        return AuditEvent.model_validate(dict(row)) if row else None

    def head_event(self) -> AuditEvent | None:
        row = (
            self.conn.execute(sa.select(AUDIT).order_by(AUDIT.c.seq.desc()).limit(1))
            .mappings()
            .first()
        )
        return AuditEvent.model_validate(dict(row)) if row else None

    def record_counts(self, up_to_seq: int) -> dict[str, int]:
        counts: dict[str, int] = {}
        for model, (name, _) in _TABLES.items():
            if model is RestrictedRecord:
                continue  # counting them would tell anyone who reads a checkpoint they exist
            table = TABLES[model]
            counts[name] = int(
                self.conn.execute(
                    sa.select(sa.func.count()).select_from(table).where(table.c.seq <= up_to_seq)
                ).scalar_one()
            )
        return counts

    def certificates(self) -> list[SigningCertificate]:
        t = TABLES[SigningCertificate]
        rows = self.conn.execute(sa.select(t).order_by(t.c.seq)).mappings()
        return [_record(SigningCertificate, r) for r in rows]

    def checkpoints(self) -> list[Checkpoint]:
        t = TABLES[Checkpoint]
        rows = self.conn.execute(sa.select(t).order_by(t.c.seq)).mappings()
        return [_record(Checkpoint, r) for r in rows]

    def mlro_seal(self) -> MlroSeal | None:
        row = self.conn.execute(sa.select(TABLES[MlroSeal])).mappings().first()
        return _record(MlroSeal, row) if row else None

    def all_restricted(self) -> list[RestrictedRecord]:
        t = TABLES[RestrictedRecord]
        rows = self.conn.execute(sa.select(t).order_by(t.c.seq)).mappings()
        return [_record(RestrictedRecord, r) for r in rows]

    def issued_files(self) -> list[IssuedAuditFile]:
        t = TABLES[IssuedAuditFile]
        rows = self.conn.execute(sa.select(t).order_by(t.c.seq)).mappings()
        return [_record(IssuedAuditFile, r) for r in rows]

    def has_event_hash(self, sha256: str) -> bool:
        query = sa.select(AUDIT.c.seq).where(AUDIT.c.sha256 == sha256).limit(1)
        return self.conn.execute(query).first() is not None

    def schema_extras(self) -> list[str]:
        # The migrations define tables and their indexes only: a trigger or a view is someone
        # else's code running inside the case file (a trigger can rewrite what is written).
        if self.conn.dialect.name == "postgresql":
            return self._postgres_extras()
        rows = self.conn.execute(
            sa.select(SCHEMA_OBJECTS.c.type, SCHEMA_OBJECTS.c.name, SCHEMA_OBJECTS.c.tbl_name)
            .where(SCHEMA_OBJECTS.c.type.in_(("trigger", "view")))
            .order_by(SCHEMA_OBJECTS.c.name)
        )
        return [
            f"{kind} '{name}'" + (f" on {table}" if kind == "trigger" else "")
            for kind, name, table in rows
        ]

    def _may_read(self, model: type[Record]) -> bool:
        if self.conn.dialect.name != "postgresql":
            return True
        return bool(
            self.conn.execute(
                sa.text("SELECT has_table_privilege(:table, 'SELECT')"),
                {"table": _TABLES[model][0]},
            ).scalar()
        )

    def _postgres_extras(self) -> list[str]:
        # User triggers (not the ones PostgreSQL makes for foreign keys) and views in the case
        # file's schema; the migrations' own triggers are named `duediligence_*`.
        rows = self.conn.execute(
            sa.text(
                "SELECT 'trigger', t.tgname, c.relname FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace "
                "AND t.tgname NOT LIKE 'duediligence\\_%' "
                "UNION ALL SELECT 'view', viewname, NULL FROM pg_views "
                "WHERE schemaname = current_schema() ORDER BY 2"
            )
        )
        return [
            f"{kind} '{name}'" + (f" on {table}" if kind == "trigger" else "")
            for kind, name, table in rows
        ]

    def all_records(self) -> Iterator[tuple[Record, int]]:
        for model in _TABLES:
            if model in (RestrictedRecord, MlroSeal) and not self._may_read(model):
                continue  # a PostgreSQL role that is not the MLRO's: not theirs to check
            for row in self.conn.execute(sa.select(TABLES[model])).mappings():
                yield _record(model, row), row["seq"]


class SqlStore:
    """A case-file store in a SQLite file or a PostgreSQL database (implements
    `services.ports.CaseStore`)."""

    def __init__(
        self,
        location: StoreLocation,
        *,
        now: Callable[[], datetime] = _utc_now,
        create: bool = True,
        migrate: bool = False,
    ) -> None:
        self.location = location
        self.revision_found: str | None = None
        """The schema revision the database was at when opened (PostgreSQL; `migrate` says it)."""
        self.path = local_path(location)
        """The SQLite file, or the local stand-in whose folders hold a database's files."""
        self.now = now
        """What stamps audit events (the wall clock; scripts and examples pass their own)."""
        if isinstance(location, DatabaseUrl):
            self.engine = _postgres_engine(location)
            self._open_database(location, create=create, migrate=migrate)
            return
        path = location
        try:
            if path.is_dir():
                raise StoreError(f"{path} is a directory, not a case-file store")
            if not path.exists():
                # Created private before SQLite opens it; SQLite gives -wal and -shm the same mode.
                os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
        except OSError as error:
            # A path the system cannot use (too long, no such folder, no permission).
            raise StoreError(f"{path} cannot be used as a case file: {error.strerror}") from None
        self.engine = _sqlite_engine(path)
        try:
            self._migrate()
        except OperationalError as error:
            self.engine.dispose()
            raise StoreError(
                f"{path} cannot be opened as a case-file store: {error.orig}"
            ) from None
        except sa.exc.DatabaseError as error:
            self.engine.dispose()
            raise StoreError(f"{path} is not a case-file store: {error.orig}") from None

    def _open_database(self, url: DatabaseUrl, *, create: bool, migrate: bool) -> None:
        """Open a PostgreSQL case file: a new (empty) database is given the schema only when
        creating one (`init`); one at an older revision waits for `duediligence migrate`."""
        try:
            revision = self.revision_found = self._revision()
            if revision != HEAD_REVISION:
                if revision is None and not create:
                    raise StoreError(
                        f"there is no case file in the database {url}; run `duediligence init` "
                        "first or point --store at one"
                    )
                if revision is not None and not migrate:
                    raise StoreError(
                        f"the case file in {url} is at schema revision {revision} and this "
                        f"program needs {HEAD_REVISION}: an administrator runs "
                        f"`duediligence migrate --store {url}`"
                    )
                self._migrate()
        except sa.exc.DBAPIError as error:
            if getattr(error.orig, "sqlstate", None) == "42501":
                role = self._session_role()
                self.engine.dispose()
                raise StoreError(
                    f"the database role {role} is nobody in the case file {url}: the MLRO or a "
                    f"senior manager registers it with `duediligence users add ID --db-role "
                    f"{role} ...`"
                ) from None
            self.engine.dispose()
            raise StoreError(
                f"the database {url} cannot be opened as a case file: {_first_line(error)}"
            ) from None
        except StoreError:
            self.engine.dispose()
            raise

    def _session_role(self) -> str:
        with self.engine.connect() as conn:
            return str(conn.execute(sa.text("SELECT session_user")).scalar())

    def _migrate(self) -> None:
        self.revision_found = self._revision()
        if self.revision_found == HEAD_REVISION:
            return
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # Two administrators migrating at once: the second waits, then finds it done.
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": CASE_FILE_LOCK})
                head = (
                    conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
                    if _has_table(conn, "alembic_version")
                    else None
                )
                if head == HEAD_REVISION:
                    return
            config.attributes["connection"] = conn
            command.upgrade(config, "head")

    def _revision(self) -> str | None:
        """The store's migration revision, or None for a new file or an empty database."""
        with self.engine.connect() as conn:
            if not _has_table(conn, "alembic_version"):
                return None
            return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()

    @contextmanager
    def transaction(self) -> Iterator[SqlSession]:
        try:
            with self.engine.begin() as conn:
                identity = None
                if conn.dialect.name == "postgresql":
                    conn.execute(
                        sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": CASE_FILE_LOCK}
                    )
                    identity = _identity(conn)
                yield SqlSession(conn, self.now, identity)
        except OperationalError as error:
            raise StoreError(
                f"the case file {self.location} could not be used: {_first_line(error)}"
            ) from None
        except sa.exc.ProgrammingError as error:
            # PostgreSQL's grants refused it (the program's own rules refuse first, in words).
            if getattr(error.orig, "sqlstate", None) != "42501":
                raise
            raise NotAllowed(
                f"your database role may not do that in {self.location}: {_first_line(error)}"
            ) from None

    def bind_database_role(
        self, person_id: str, roles: Sequence[str], role_name: str | None
    ) -> str:
        """PostgreSQL: make `person_id` the person of a database role (created, able to log in,
        when missing) and give it the group roles of their roles in the firm. Returns the role."""
        if not isinstance(self.location, DatabaseUrl):
            raise InvalidInput("--db-role is for a PostgreSQL case file; this one is a SQLite file")
        name = role_name or person_id
        if not _ROLE_NAME.match(name):
            raise InvalidInput(
                f"'{name}' cannot be a database role name here: use lower-case letters, digits "
                "and _ (give --db-role)"
            )
        groups = ["duediligence_staff"]
        if {"supervisor", "senior_manager", "mlro"} & set(roles):
            groups.append("duediligence_approver")
        if "mlro" in roles:
            groups.append("duediligence_mlro")
        try:
            with self.engine.begin() as conn:
                exists = conn.execute(
                    sa.text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": name}
                ).first()
                if exists is None:
                    conn.exec_driver_sql(f'CREATE ROLE "{name}" LOGIN')
                conn.exec_driver_sql(f'GRANT {", ".join(groups)} TO "{name}"')
                conn.execute(sa.text("DELETE FROM person_roles WHERE role = :r"), {"r": name})
                conn.execute(
                    sa.text("INSERT INTO person_roles (role, person_id) VALUES (:r, :p)"),
                    {"r": name, "p": person_id},
                )
        except sa.exc.DBAPIError as error:
            raise StoreError(
                f"the database role {name} could not be made {person_id}'s (the administrator "
                f"does this, as a role that may create roles): {_first_line(error)}"
            ) from None
        return name

    def close(self) -> None:
        """Release the connections."""
        self.engine.dispose()


COPY_BATCH = 2000
"""Rows inserted per statement by `copy_rows` (memory stays bounded whatever the case file)."""


def copy_rows(source: SqlStore, target: SqlStore) -> int:
    """Copy every row of every table of `source` into the empty case file `target`, as they
    are (the chain, records, listing rows, checklist texts); returns the rows copied.

    Both are at this program's schema revision; the target is written in one transaction, as
    its administrator (events keep their actors). Refused when the target holds anything."""
    source_tables = sa.MetaData()
    source_tables.reflect(source.engine)
    target_tables = sa.MetaData()
    target_tables.reflect(target.engine)
    copied = 0
    with source.engine.connect() as src, target.engine.begin() as dst:
        if dst.dialect.name == "postgresql":
            dst.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": CASE_FILE_LOCK})
        if dst.execute(sa.select(sa.func.count()).select_from(AUDIT)).scalar_one():
            raise StoreError(f"{target.location} already holds a case file; copy into an empty one")
        for table in source_tables.sorted_tables:
            if table.name == "alembic_version" or table.name not in target_tables.tables:
                continue
            into = target_tables.tables[table.name]
            rows = src.execution_options(yield_per=COPY_BATCH).execute(sa.select(table))
            for batch in rows.mappings().partitions(COPY_BATCH):
                dst.execute(sa.insert(into), [dict(r) for r in batch])
                copied += len(batch)
    return copied


_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _identity(conn: Connection) -> DatabaseIdentity:
    row = conn.execute(
        sa.text(
            "SELECT session_user, (SELECT person_id FROM person_roles WHERE role = session_user), "
            "session_user = (SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() "
            "AND tablename = 'audit_events') "
            "OR (SELECT rolsuper FROM pg_roles WHERE rolname = session_user)"
        )
    ).one()
    return DatabaseIdentity(role=str(row[0]), person=row[1], administrator=bool(row[2]))


def _has_table(conn: Connection, name: str) -> bool:
    return sa.inspect(conn).has_table(name)


def _first_line(error: sa.exc.DBAPIError) -> str:
    """The driver's message without SQLAlchemy's statement echo and links."""
    return (
        str(error.orig).strip().splitlines()[0]
        if str(error.orig).strip()
        else type(error.orig).__name__
    )


def _postgres_engine(url: DatabaseUrl) -> Engine:
    engine = sa.create_engine(
        url.engine_url(),
        # A dropped connection (server restart) is noticed before use, not mid-transaction.
        pool_pre_ping=True,
        connect_args={
            "application_name": "duediligence",
            "options": f"-c lock_timeout={LOCK_TIMEOUT} -c idle_in_transaction_session_timeout=600s",
        },
    )
    return engine


def _sqlite_engine(path: Path) -> Engine:
    engine = sa.create_engine(f"sqlite:///{path}")

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" below decide when a transaction starts (pysqlite otherwise
        # begins lazily and deferred, which lets two writers read the same chain head).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout = 15000")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = FULL")
        # Freed pages are overwritten, so text replaced or deleted (a restricted record sealed,
        # a case purged) does not linger in the file.
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _conflict(record: Record, error: IntegrityError) -> str:
    if isinstance(record, AnswerVersion):
        return (
            f"{record.question_key} was answered by someone else at the same time; "
            "nothing was saved, read it again"
        )
    detail = str(error.orig)
    if "FOREIGN KEY" in detail.upper():
        raise InvalidInput(f"{record.target()} refers to something that does not exist")
    return f"{record.target()} conflicts with a change made at the same time ({detail})"
