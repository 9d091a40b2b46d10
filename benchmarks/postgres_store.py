"""The shared PostgreSQL case file against SQLite (issue 19): listing many matters, and writers
answering at once.

1. Listing: the same CASES rated matters (filled as `benchmarks.casefile_list` fills them) in a
   SQLite file and in a PostgreSQL database; the matters list's rows (`CaseFile.summaries()` and
   the TUI's rows from them), median of 9, on each. Target: PostgreSQL at most 1.5x SQLite.
2. Writers: WRITERS processes at once, each `ROUNDS` rounds of answers (on a shared matter, on
   top of what it read, and on its own), evidence and events (`tests.casefile.writer mixed`);
   answers written per second, conflicts counted. On each engine.

PostgreSQL is a server started for the run from the Debian binaries (the tests' own, in a
temporary folder, durability off as in the tests), so figures are this machine's.

    python -m benchmarks.postgres_store [CASES] [WRITERS]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from benchmarks.casefile_list import CHECKLISTS, _Clock, _median_ms, fill
from duediligence.adapters.blobs import BlobDirectory
from duediligence.adapters.checklists_toml import load_library
from duediligence.adapters.locations import DatabaseUrl, StoreLocation, evidence_dir
from duediligence.adapters.store import SqlStore
from duediligence.domain.case import Actor, Person, Supervisor
from duediligence.domain.vocabulary import ClientType, FirmRole, Role
from duediligence.services.casefile import CaseFile, NewCase
from duediligence.tui.summaries import rows_from_summaries
from tests.casefile.writer import Clock as WritersClock
from tests.postgres import PostgresServer

PROJECT = Path(__file__).resolve().parents[1]


def listing(location: StoreLocation, cases: int) -> tuple[float, float, float]:
    """Fill seconds, summaries() and the TUI rows' median milliseconds."""
    library = load_library([CHECKLISTS])
    store = SqlStore(location)
    casefile = CaseFile(store, BlobDirectory(evidence_dir(location)), library, _Clock())
    start = time.perf_counter()
    fill(casefile, store, cases)
    filled = time.perf_counter() - start
    list_ms, rows = _median_ms(casefile.summaries)
    assert isinstance(rows, list) and len(rows) == cases
    today = date.today()
    rows_ms, _ = _median_ms(lambda: rows_from_summaries(casefile.summaries(), today))
    store.close()
    return filled, list_ms, rows_ms


def writers(location: StoreLocation, count: int) -> tuple[int, int, float]:
    """Answers written, conflicts and seconds for `count` writer processes at once."""
    library = load_library([CHECKLISTS])
    store = SqlStore(location)
    # The writers' clock (the test fixtures' day): the people's training is current then.
    casefile = CaseFile(store, BlobDirectory(evidence_dir(location)), library, WritersClock())
    bob = Actor(user="bob", os_user="tester")
    casefile.init_firm(
        firm_name="Bench LLP",
        supervisor=Supervisor.SRA,
        fwra_version="1",
        fwra_date=date(2026, 1, 5),
        first_user=Person(
            id="bob", name="Bob", roles=(Role.SENIOR_MANAGER,), trained_on=date(2025, 11, 1)
        ),
        os_user="tester",
    )
    casefile.add_person(
        bob, Person(id="alice", name="Alice", roles=(Role.FEE_EARNER,), trained_on=date(2025, 6, 1))
    )
    references = ["M-SHARED", *(f"M-W{i}" for i in range(count))]
    alice = Actor(user="alice", os_user="tester")
    for reference in references:
        casefile.open_case(
            alice,
            NewCase(
                reference=reference, firm_role=FirmRole.SOLICITOR,
                matter_type="residential_purchase", client_type=ClientType.INDIVIDUAL,
                responsible="alice", acting_for="buyer",
            ),
        )  # fmt: skip
    store.close()
    target = location.url if isinstance(location, DatabaseUrl) else str(location)
    start = time.perf_counter()
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.casefile.writer",
                "mixed",
                target,
                f"M-SHARED,{reference}",
                "alice",
            ],
            cwd=PROJECT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for reference in references[1:]
    ]
    outputs = [p.communicate()[0] for p in processes]
    seconds = time.perf_counter() - start
    lines = [line for out in outputs for line in out.splitlines()]
    answers = sum(1 for line in lines if line.startswith("ok answer"))
    conflicts = sum(1 for line in lines if line.startswith("conflict"))
    return answers, conflicts, seconds


def main(cases: int = 20_000, count: int = 8) -> None:
    server = PostgresServer()
    try:
        with tempfile.TemporaryDirectory(dir=Path.cwd()) as tmp:
            os.environ["XDG_DATA_HOME"] = str(Path(tmp) / "data")
            results = {}
            for name, location in (
                ("sqlite", Path(tmp) / "list.sqlite3"),
                ("postgresql", DatabaseUrl(server.url(server.new_database()))),
            ):
                filled, list_ms, rows_ms = listing(location, cases)
                results[name] = rows_ms
                print(
                    f"{name}: filled {cases} matters in {filled:.0f} s; summaries() median "
                    f"{list_ms:.0f} ms; the matters list's rows median {rows_ms:.0f} ms"
                )
            print(
                f"postgresql / sqlite, the matters list: {results['postgresql'] / results['sqlite']:.2f}x"
            )
            for name, location in (
                ("sqlite", Path(tmp) / "writers.sqlite3"),
                ("postgresql", DatabaseUrl(server.url(server.new_database()))),
            ):
                answers, conflicts, seconds = writers(location, count)
                print(
                    f"{name}: {count} writers wrote {answers} answers in {seconds:.1f} s "
                    f"({answers / seconds:.1f} answers/s, with evidence and events; "
                    f"{conflicts} answers refused as stale, as they should be)"
                )
    finally:
        server.stop()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")


if __name__ == "__main__":
    main(*[int(a) for a in sys.argv[1:]])
