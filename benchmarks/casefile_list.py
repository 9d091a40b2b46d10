"""Listing many cases with status, rating and flags: `CaseFile.summaries()` against baselines.

Target (issue 3): listing 10,000 cases with their status and rating under 200 ms median. The
store is filled through the store's own session (a real chain): per case the case, a checklist
run, a rating answer and the listing row the services keep (computed by the services for a first
case through `CaseFile`, then written for the others as the services would). Measured in the same
run: the old listing (`Session.cases()`, status only) and the cost of evaluating cases instead of
reading their rows (on 100 cases, extrapolated).

    python -m benchmarks.casefile_list [CASES]
"""

from __future__ import annotations

import dataclasses
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
from duediligence.domain.case import Actor, AnswerVersion, Case, Person, Run, Supervisor
from duediligence.domain.library import ChecklistLibrary
from duediligence.domain.vocabulary import ClientType, FirmRole, Role
from duediligence.services.casefile import CaseFile, NewCase

ACTOR = Actor(user="alice", os_user="bench")
NOW = datetime(2026, 3, 1, tzinfo=UTC)
CHECKLISTS = Path(__file__).resolve().parents[1] / "tests" / "casefile" / "checklists"


class _Clock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def fill(casefile: CaseFile, store: SqlStore, cases: int) -> None:
    """The firm, two people and `cases` rated cases with their listing rows."""
    casefile.init_firm(
        firm_name="Bench LLP",
        supervisor=Supervisor.SRA,
        fwra_version="1",
        fwra_date=date.today(),
        first_user=Person(
            id="bob", name="Bob", roles=(Role.SENIOR_MANAGER,), trained_on=date.today()
        ),
        os_user="bench",
    )
    casefile.add_person(
        Actor(user="bob", os_user="bench"),
        Person(id="alice", name="Alice", roles=(Role.FEE_EARNER,), trained_on=date.today()),
    )
    first = casefile.open_case(
        ACTOR,
        NewCase(
            reference="M-000000",
            firm_role=FirmRole.SOLICITOR,
            matter_type="residential_purchase",
            client_type=ClientType.INDIVIDUAL,
            responsible="alice",
            acting_for="buyer",
        ),
    )
    casefile.answer(ACTOR, "M-000000", "rating", "high")
    (template,) = [s for s in casefile.summaries() if s.case_id == first.case.id]
    with store.transaction() as tx:
        for n in range(1, cases):
            case = Case(
                id=uuid.uuid4().hex, reference=f"M-{n:06d}", firm_role=FirmRole.SOLICITOR,
                matter_type="residential_purchase", acting_for="buyer",
                client_type=ClientType.INDIVIDUAL, responsible="alice", opened_at=NOW,
                opened_by="alice",
            )  # fmt: skip
            run = Run(
                id=uuid.uuid4().hex, case_id=case.id, key="example-cdd",
                checklist_id="example-cdd", checklist_version="1.0", content_sha256="0" * 64,
                started_at=NOW,
            )  # fmt: skip
            rating = ("low", "medium", "high")[n % 3]
            tx.add(case, actor=ACTOR, role="fee_earner", action="case.open")
            tx.add(run, actor=ACTOR, role="fee_earner", action="checklist.start")
            tx.add(
                AnswerVersion(
                    id=uuid.uuid4().hex, case_id=case.id, run_id=run.id, question_key="rating",
                    number=1, value=rating, answered_by="alice", answered_at=NOW,
                ),
                actor=ACTOR, role="fee_earner", action="answer.set",
            )  # fmt: skip
            tx.put_summary(
                dataclasses.replace(
                    template,
                    case_id=case.id,
                    reference=case.reference,
                    chosen_rating=rating,
                    pep=n % 17 == 0,
                )
            )


def _median_ms(action: object, runs: int = 9) -> tuple[float, object]:
    times = []
    result: object = None
    for _ in range(runs):
        start = time.perf_counter()
        result = action()  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def main(cases: int = 10_000) -> None:
    from duediligence.adapters.checklists_toml import load_library

    library: ChecklistLibrary = load_library([CHECKLISTS])
    with tempfile.TemporaryDirectory(dir=Path.cwd()) as tmp:
        path = Path(tmp) / "bench.sqlite3"
        store = SqlStore(path)
        casefile = CaseFile(store, BlobDirectory(evidence_dir(path)), library, _Clock())
        start = time.perf_counter()
        fill(casefile, store, cases)
        print(f"filled {cases} rated cases in {time.perf_counter() - start:.0f} s")

        def baseline() -> list[tuple[str, str]]:
            with store.transaction() as tx:
                return [(c.reference, c.status.value) for c in tx.cases()]

        base_ms, base = _median_ms(baseline)
        list_ms, rows = _median_ms(casefile.summaries)
        assert isinstance(rows, list) and isinstance(base, list) and len(rows) == len(base)
        print(f"baseline Session.cases() (status only): median {base_ms:.0f} ms")
        print(
            f"CaseFile.summaries() {len(rows)} cases with status, chosen and computed rating, "
            f"flags, gates, missing, next review: median {list_ms:.0f} ms (target < 200 ms)"
        )
        from duediligence.tui.summaries import rows_from_summaries

        today = date.today()
        rows_ms, matter_rows = _median_ms(lambda: rows_from_summaries(casefile.summaries(), today))
        assert isinstance(matter_rows, list) and len(matter_rows) == len(rows)
        print(
            f"the matters list's rows, whole (client, approvals pending, superseded, flags ...) "
            f"from that one read, no evaluation: median {rows_ms:.0f} ms"
        )
        sample = [c.reference for c in casefile.cases()[:100]]
        start = time.perf_counter()
        for reference in sample:
            casefile.view(reference)
        per_case = (time.perf_counter() - start) * 1000 / len(sample)
        print(
            f"evaluating instead of reading rows: {per_case:.1f} ms per case, about "
            f"{per_case * cases / 1000:.0f} s for {cases} cases"
        )
        store.close()
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")


if __name__ == "__main__":
    main(*[int(a) for a in sys.argv[1:]])
