"""`verify`: recompute the audit chain, every record's payload hash, every evidence blob's hash and
every approval's bound state, and say exactly which event, record, file or approval is wrong.

The chain is checked whole (it is one chain for the store); records, blobs and approvals can be
limited to one case.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Literal

from duediligence.domain.case import (
    GENESIS,
    AnswerVersion,
    Approval,
    Evidence,
    NotFound,
    Record,
    RestrictedRecord,
    sha256_hex,
)
from duediligence.domain.library import ChecklistSource
from duediligence.domain.monitoring import CaseSummary
from duediligence.domain.proof import MlroSeal
from duediligence.services.ports import BlobCheck, BlobStore, CaseStore, Session
from duediligence.services.reading import relied_on_of, state_of

ProblemKind = Literal[
    "event",
    "record",
    "file",
    "approval",
    "listing",
    "list file",
    "checklist",
    "schema",
    "checkpoint",
]


@dataclass(frozen=True)
class Problem:
    """One thing wrong, located."""

    kind: ProblemKind
    """What sort of thing is wrong."""
    where: str
    """Which one: "event #12", "answer <id>", "file <sha256>", "approval <id>"."""
    message: str
    """What is wrong, in words."""

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class VerifyReport:
    """What was checked and what is wrong."""

    events: int = 0
    records: int = 0
    files: int = 0
    approvals: int = 0
    listings: int = 0
    """Stored listing rows recomputed from the records."""
    listings_skipped: int = 0
    """Listing rows not recomputed: their case's checklist files changed since it began."""
    list_files: int = 0
    """Raw screening-list files checked against their recorded hashes."""
    checklists: int = 0
    """Checklist texts kept in the case file, checked."""
    checkpoints: int = 0
    """Signed checkpoints checked."""
    restricted_note: str | None = None
    """For someone other than the MLRO: what was checked of the restricted records, without
    counting or naming them."""
    head_sha256: str = GENESIS
    """Hash of the last event: note it somewhere else to detect truncation of the chain."""
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems


@dataclass(frozen=True)
class DerivedChecks:
    """What `verify` needs to check what is derived from the records or kept beside them."""

    summary_of: Callable[[Session, str], CaseSummary | None]
    """The listing row a case should have, recomputed from its records (None: it cannot be
    recomputed exactly, its checklist files having changed since the case started them)."""
    list_blobs: BlobStore | None = None
    """The raw screening-list files."""
    checklist_sources: Mapping[str, ChecklistSource] = field(default_factory=dict)
    """The checklist files loaded now, by checklist id, to compare with the texts kept."""
    checklist_versions: Mapping[str, str] = field(default_factory=dict)
    """Their versions, by checklist id."""
    sees_restricted: bool = True
    """The reader is the MLRO: restricted records are counted and named."""
    more: Callable[[Session, VerifyReport], None] | None = None
    """Further checks in the same transaction (the signed checkpoints)."""


VerifyProgress = Callable[[float, str], None]
"""Called with the fraction done (0 to 1, never decreasing) and what is being checked."""

# Share of the work each stage stands for, so a progress bar moves in proportion: the files are
# the slow part (they are hashed), the events and records are read once each.
_STAGES = {
    "events": (0.0, 0.3),
    "records": (0.3, 0.5),
    "files": (0.5, 0.9),
    "approvals": (0.9, 1.0),
}


def verify(
    store: CaseStore,
    blobs: BlobStore,
    reference: str | None = None,
    progress: VerifyProgress | None = None,
    derived: DerivedChecks | None = None,
) -> VerifyReport:
    """Check the store (records, files and approvals of one case when `reference` is given),
    reporting progress by stage when `progress` is given."""

    def step(stage: str, done: int = 0, total: int = 0) -> None:
        if progress is not None:
            start, end = _STAGES[stage]
            share = done / total if total else 0.0
            progress(start + (end - start) * share, f"checking {stage}")

    report = VerifyReport()
    latest: dict[str, tuple[int, str, str | None, str]] = {}
    with store.transaction() as tx, ThreadPoolExecutor(max_workers=2) as pool:
        case_id: str | None = None
        references = {c.id: c.reference for c in tx.cases()}
        if reference is not None:
            case = tx.case_by_reference(reference)
            if case is None:
                raise NotFound(f"no case '{reference}'")
            case_id = case.id

        expected_seq, expected_prev = 1, GENESIS
        step("events")
        for event in tx.audit_events():
            report.events += 1
            where = f"event #{event.seq}"
            if event.seq != expected_seq:
                missing = (
                    f"#{expected_seq}"
                    if event.seq == expected_seq + 1
                    else f"#{expected_seq} to #{event.seq - 1}"
                )
                report.problems.append(
                    Problem("event", where, f"event {missing} is missing before it (deleted)")
                )
            elif event.prev_sha256 != expected_prev:
                report.problems.append(
                    Problem(
                        "event",
                        where,
                        "does not follow the event before it (its previous-event hash does not "
                        "match: events removed, reordered or replaced)",
                    )
                )
            if event.recomputed_sha256() != event.sha256:
                report.problems.append(
                    Problem("event", where, "has been altered (its hash does not match its fields)")
                )
            expected_seq, expected_prev = event.seq + 1, event.sha256
            latest[event.target] = (event.seq, event.payload_sha256, event.case_id, event.action)
        report.head_sha256 = expected_prev

        seen: set[str] = set()
        evidence: list[Evidence] = []
        checks: dict[str, Future[BlobCheck]] = {}
        approvals: list[tuple[Approval, int]] = []
        answered: list[AnswerVersion] = []
        step("records")
        # Restricted records name no case: a one-case verify does not look at them.
        hidden = derived is not None and not derived.sees_restricted and case_id is None
        restricted_wrong = False
        for record, seq in tx.all_records():
            record_case = _case_of(record)
            if case_id is not None and record_case != case_id:
                continue
            target = record.target()
            seen.add(target)
            recorded = latest.get(target)
            if hidden and isinstance(record, RestrictedRecord | MlroSeal):
                # Checked, but neither counted nor named: how many the MLRO holds is itself
                # something a fee earner must not learn (tipping-off).
                if recorded is None or recorded[1] != record.payload_sha256():
                    restricted_wrong = True
                continue
            report.records += 1
            if recorded is None:
                report.problems.append(
                    Problem(
                        "record",
                        _describe(record, references),
                        "has no audit event (written outside the program)",
                    )
                )
            elif recorded[1] != record.payload_sha256():
                report.problems.append(
                    Problem(
                        "record",
                        _describe(record, references),
                        f"differs from what audit event #{recorded[0]} recorded (changed outside "
                        "the program)",
                    )
                )
            if isinstance(record, Evidence) and record.sha256 not in checks:
                # Hashing releases the GIL: files are checked while the records are.
                evidence.append(record)
                checks[record.sha256] = pool.submit(blobs.check, record.sha256)
            if isinstance(record, Approval):
                approvals.append((record, seq))
            elif isinstance(record, AnswerVersion) and record.checklist_sha256:
                answered.append(record)
        for target, (seq, _, event_case, action) in latest.items():
            if target in seen or (case_id is not None and event_case != case_id):
                continue
            if action.endswith(".purged"):
                # Deleted at the end of retention, by the program: the chain keeps the hash.
                continue
            if hidden and target.startswith(("restricted:", "mlro_seal:")):
                restricted_wrong = True
                continue
            report.problems.append(
                Problem("record", target, f"recorded by event #{seq} is missing (deleted)")
            )

        step("files", 0, len(evidence))
        for done, item in enumerate(evidence, start=1):
            if done % 100 == 0:
                step("files", done, len(evidence))
            report.files += 1
            result = checks[item.sha256].result()
            where = f"file {item.sha256}"
            name = f"evidence {item.id} '{item.original_name}'"
            if result.status == "missing":
                report.problems.append(Problem("file", where, f"({name}) is missing"))
            elif result.status == "altered":
                report.problems.append(
                    Problem(
                        "file",
                        where,
                        f"({name}) has been altered: its content hashes to {result.actual}",
                    )
                )

        step("approvals", 0, len(approvals))
        for approval, seq in approvals:
            report.approvals += 1
            before = tx.case_records(approval.case_id, up_to_seq=seq - 1)
            relied = approval.relied_on_sha256
            if state_of(before) != approval.state_sha256 or (
                relied is not None and relied_on_of(before) != relied
            ):
                report.problems.append(
                    Problem(
                        "approval",
                        f"approval {approval.id}",
                        f"({approval.role.value} by {approval.approver} on "
                        f"{references.get(approval.case_id, approval.case_id)}) no longer matches "
                        "the case state it approved: what it covered was changed outside the program",
                    )
                )
        if hidden:
            if restricted_wrong:
                report.problems.append(
                    Problem(
                        "record",
                        "restricted records",
                        "do not all match the audit trail; only the MLRO's verify names which",
                    )
                )
            report.restricted_note = (
                "restricted records were checked against the audit trail; only the MLRO sees them"
            )
        if derived is not None:
            _check_derived(tx, derived, report, case_id, references, answered)
            if derived.more is not None:
                derived.more(tx, report)
    if progress is not None:
        progress(1.0, "done")
    return report


def _check_derived(
    tx: Session,
    derived: DerivedChecks,
    report: VerifyReport,
    case_id: str | None,
    references: dict[str, str],
    answers: list[AnswerVersion],
) -> None:
    """The listing rows, the raw list files, the checklist texts and the schema itself."""
    stored = {s.case_id: s for s in tx.summaries()}
    for one, reference in sorted(references.items(), key=lambda item: item[1]):
        if case_id is not None and one != case_id:
            continue
        row = stored.get(one)
        if row is None:
            continue  # written on first listing (stores from before the rows existed)
        expected = derived.summary_of(tx, one)
        if expected is None:
            report.listings_skipped += 1
            continue
        report.listings += 1
        differs = [
            f"{f.name} {getattr(row, f.name)!r} where the records give "
            f"{getattr(expected, f.name)!r}"
            for f in dataclasses.fields(CaseSummary)
            if getattr(row, f.name) != getattr(expected, f.name)
        ]
        if differs:
            report.problems.append(
                Problem(
                    "listing",
                    f"listing row of {reference}",
                    "differs from the case's records (" + "; ".join(differs) + "): the matters "
                    "list was edited outside the program",
                )
            )
    if case_id is None and derived.list_blobs is not None:
        for snapshot in tx.list_snapshots():
            for name, blob in zip(snapshot.files, snapshot.file_blobs, strict=False):
                report.list_files += 1
                result = derived.list_blobs.check(blob)
                where = f"list file {name} ({snapshot.source}, imported {snapshot.imported_at:%Y-%m-%d})"
                if result.status == "missing":
                    report.problems.append(Problem("list file", where, "is missing"))
                elif result.status == "altered":
                    report.problems.append(
                        Problem(
                            "list file",
                            where,
                            f"has been altered: its content hashes to {result.actual}, not the "
                            f"{blob} recorded at its import",
                        )
                    )
    texts = tx.checklist_texts()
    kept = {t.id for t in texts}
    for text in texts:
        report.checklists += 1
        where = f"checklist {text.checklist_id} version {text.version}"
        if sha256_hex(text.text.encode("utf-8")) != text.id:
            report.problems.append(
                Problem(
                    "checklist",
                    where,
                    "text kept in the case file has been altered (it no longer hashes to the "
                    "hash the answers name)",
                )
            )
            continue
        source = derived.checklist_sources.get(text.checklist_id)
        if (
            source is not None
            and source.sha256 != text.id
            and derived.checklist_versions.get(text.checklist_id) == text.version
        ):
            report.problems.append(
                Problem(
                    "checklist",
                    f"checklist file {source.path}",
                    f"({text.checklist_id} version {text.version}) was edited after answers "
                    f"were recorded against it without a new version: it now hashes to "
                    f"{source.sha256}, the answers were given against {text.id} (the case "
                    "file keeps that text, and the audit file prints it)",
                )
            )
    for answer in answers:
        if answer.checklist_sha256 not in kept:
            report.problems.append(
                Problem(
                    "checklist",
                    f"answer {answer.id} (case {references.get(answer.case_id, '?')}, "
                    f"question {answer.question_key})",
                    f"was given against checklist text {answer.checklist_sha256}, which is "
                    "no longer in the case file (deleted outside the program)",
                )
            )
    for extra in tx.schema_extras():
        report.problems.append(
            Problem(
                "schema",
                extra,
                "is in the database but not in the program's schema: code added outside the "
                "program that can change what is written; remove it and check the records",
            )
        )


def _case_of(record: Record) -> str | None:
    # Restricted records name no case (tipping-off): they are checked only store-wide.
    return record.audit_case_id()


def _describe(record: Record, references: dict[str, str]) -> str:
    text = record.target().replace(":", " ", 1)
    case = _case_of(record)
    if isinstance(record, AnswerVersion):
        return f"{text} (case {references.get(record.case_id, '?')}, question {record.question_key}, version {record.number})"
    if case is not None and not text.startswith("case "):
        return f"{text} (case {references.get(case, '?')})"
    if text.startswith("case ") and case is not None:
        return f"{text} ({references.get(case, '?')})"
    return text
