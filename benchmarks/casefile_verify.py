"""`verify` speed over a large case file, and listing many cases.

Targets (issue 3): `verify` over 100,000 events and 10,000 evidence files of 100 KB each under 5 s;
listing 10,000 cases with their status under 200 ms median. The store is filled through the
store's own session (so the chain is real) in one transaction per batch.

    python -m benchmarks.casefile_verify [EVENTS] [FILES] [CASES]
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

from duediligence.adapters.blobs import BlobDirectory
from duediligence.adapters.locations import evidence_dir
from duediligence.adapters.store import SqlStore
from duediligence.domain.case import (
    Actor,
    AnswerVersion,
    Case,
    Evidence,
    FirmProfile,
    Person,
    Run,
    Supervisor,
)
from duediligence.domain.vocabulary import ClientType, FirmRole, Role

ACTOR = Actor(user="alice", os_user="bench")
NOW = datetime(2026, 3, 1, tzinfo=UTC)


def fill(store: SqlStore, blobs: BlobDirectory, events: int, files: int, cases: int) -> int:
    """Fill the store; returns the number of audit events written."""
    written = 0
    source_dir = Path(tempfile.mkdtemp(dir=blobs.root.parent))
    with store.transaction() as tx:
        tx.add(
            FirmProfile(
                name="Bench LLP", supervisor=Supervisor.SRA, fwra_version="1", fwra_date=date(2026, 1, 1)
            ),
            actor=ACTOR, role="fee_earner", action="firm.init",
        )  # fmt: skip
        tx.add(
            Person(id="alice", name="Alice", roles=(Role.FEE_EARNER,), trained_on=date(2026, 1, 1)),
            actor=ACTOR, role="fee_earner", action="person.add",
        )  # fmt: skip
        written += 2
    case_runs: list[tuple[str, str]] = []
    with store.transaction() as tx:
        for n in range(cases):
            case = Case(
                id=uuid.uuid4().hex, reference=f"M-{n:06d}", firm_role=FirmRole.SOLICITOR,
                matter_type="residential_purchase", acting_for="buyer",
                client_type=ClientType.INDIVIDUAL, responsible="alice", opened_at=NOW, opened_by="alice",
            )  # fmt: skip
            run = Run(
                id=uuid.uuid4().hex, case_id=case.id, key="example-cdd", checklist_id="example-cdd",
                checklist_version="1.0", content_sha256="0" * 64, started_at=NOW,
            )  # fmt: skip
            tx.add(case, actor=ACTOR, role="fee_earner", action="case.open")
            tx.add(run, actor=ACTOR, role="fee_earner", action="checklist.start")
            case_runs.append((case.id, run.id))
            written += 2
    for n in range(files):
        source = source_dir / "upload.bin"
        source.write_bytes(n.to_bytes(8, "little") + os.urandom(100 * 1024 - 8))
        stored = blobs.put(source)
        case_id, _ = case_runs[n % len(case_runs)]
        with store.transaction() as tx:
            tx.add(
                Evidence(
                    id=uuid.uuid4().hex, case_id=case_id, sha256=stored.sha256, size=stored.size,
                    original_name=f"doc{n}.pdf", media_type="application/pdf", document_type="passport",
                    received_at=NOW, added_at=NOW, added_by="alice",
                ),
                actor=ACTOR, role="fee_earner", action="evidence.add",
            )  # fmt: skip
        written += 1
    remaining = events - written
    batch = 5000
    n = 0
    while n < remaining:
        with store.transaction() as tx:
            for _ in range(min(batch, remaining - n)):
                case_id, run_id = case_runs[n % len(case_runs)]
                number = n // len(case_runs) + 1
                tx.add(
                    AnswerVersion(
                        id=uuid.uuid4().hex, case_id=case_id, run_id=run_id, question_key="value",
                        number=number, value=f"answer {n}", answered_by="alice", answered_at=NOW,
                    ),
                    actor=ACTOR, role="fee_earner", action="answer.set",
                )  # fmt: skip
                n += 1
    return written + remaining


def main(events: int = 100_000, files: int = 10_000, cases: int = 10_000) -> None:
    from duediligence.services.verify import verify

    with tempfile.TemporaryDirectory(dir=Path.cwd()) as tmp:
        path = Path(tmp) / "bench.sqlite3"
        store = SqlStore(path)
        blobs = BlobDirectory(evidence_dir(path))
        start = time.perf_counter()
        total = fill(store, blobs, events, files, cases)
        print(
            f"filled {total} events, {files} files of 100 KB, {cases} cases in {time.perf_counter() - start:.0f} s"
        )
        os.sync()
        times = []
        for _ in range(3):
            start = time.perf_counter()
            report = verify(store, blobs)
            times.append(time.perf_counter() - start)
            assert report.ok, report.problems[:5]
        print(
            f"verify: median {statistics.median(times):.2f} s over {report.events} events, "
            f"{report.records} records, {report.files} files (target < 5 s)"
        )
        listing = []
        for _ in range(7):
            start = time.perf_counter()
            with store.transaction() as tx:
                found = [(c.reference, c.status) for c in tx.cases()]
            listing.append((time.perf_counter() - start) * 1000)
        print(
            f"list {len(found)} cases with status: median {statistics.median(listing):.0f} ms "
            "(target < 200 ms; rating not included, see the report)"
        )
        store.close()
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    main(*args)
