"""`verify`: recompute the audit chain, every record's payload hash, every evidence blob's hash and
every approval's bound state, and say exactly which event, record, file or approval is wrong.

The chain is checked whole (it is one chain for the store); records, blobs and approvals can be
limited to one case.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Literal

from duediligence.domain.case import GENESIS, AnswerVersion, Approval, Evidence, NotFound, Record
from duediligence.services.ports import BlobCheck, BlobStore, CaseStore
from duediligence.services.reading import relied_on_of, state_of

ProblemKind = Literal["event", "record", "file", "approval"]


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
    head_sha256: str = GENESIS
    """Hash of the last event: note it somewhere else to detect truncation of the chain."""
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems


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
        step("records")
        for record, seq in tx.all_records():
            record_case = _case_of(record)
            if case_id is not None and record_case != case_id:
                continue
            report.records += 1
            target = record.target()
            seen.add(target)
            recorded = latest.get(target)
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
        for target, (seq, _, event_case, action) in latest.items():
            if target in seen or (case_id is not None and event_case != case_id):
                continue
            if action.endswith(".purged"):
                # Deleted at the end of retention, by the program: the chain keeps the hash.
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
    if progress is not None:
        progress(1.0, "done")
    return report


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
