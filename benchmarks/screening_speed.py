"""Screening speed (run: python -m benchmarks.screening_speed [--pep-size N]).

UN import time; UN + OFAC index build; per-query p50 / p99 over negatives and positives; the
50,000-row batch; and a generated PEP list (default 1,000,000 names, written as pep-csv from the
negatives' own name vocabulary): import + index time, p50 per query and peak memory
(resource.getrusage, which reports the process's maximum resident set). The snapshot store is
timed beside them: `lists import` into a real case file (parse, original files and compact
entries into the blob directory, the audited record) and a cold load of the stored snapshots
into a fresh index, as each command-line invocation does.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.screening_quality import DATA, people_query
from duediligence.adapters.blobs import BlobDirectory
from duediligence.adapters.locations import evidence_dir, lists_dir
from duediligence.adapters.store import SqlStore
from duediligence.domain.case import Actor, Person, Supervisor
from duediligence.domain.library import ChecklistLibrary
from duediligence.domain.vocabulary import Role
from duediligence.screening.importers import import_list
from duediligence.screening.index import ScreeningIndex
from duediligence.services.casefile import CaseFile
from duediligence.services.screening import ScreeningService


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return ordered[len(ordered) // 2] * 1000, ordered[int(len(ordered) * 0.99)] * 1000


def _peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024


def main() -> None:
    """Measure and print every speed figure."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--pep-size", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5, help="UN import repetitions (median)")
    args = parser.parse_args()
    table: list[tuple[str, str, str]] = []

    un_path = DATA / "lists" / "un" / "UN_consolidated.xml"
    durations = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        un = import_list("un-xml", un_path)
        durations.append(time.perf_counter() - started)
    table.append(("UN import (median)", f"{statistics.median(durations):.3f} s", "< 2 s"))

    started = time.perf_counter()
    ofac = import_list("ofac-csv", DATA / "lists" / "ofac")
    index = ScreeningIndex([un, ofac])
    table.append(("UN+OFAC import+index", f"{time.perf_counter() - started:.2f} s", ""))

    with (DATA / "people" / "negatives_global.csv").open(encoding="utf-8") as handle:
        negatives = list(csv.DictReader(handle))
    with (DATA / "people" / "positives_un_untreated.csv").open(encoding="utf-8") as handle:
        positives = list(csv.DictReader(handle))
    timings = []
    batch_started = time.perf_counter()
    for row in negatives:
        started = time.perf_counter()
        index.screen(people_query(row), limit=1)
        timings.append(time.perf_counter() - started)
    batch = time.perf_counter() - batch_started
    for row in positives:
        started = time.perf_counter()
        index.screen(people_query(row), limit=1)
        timings.append(time.perf_counter() - started)
    p50, p99 = _percentiles(timings)
    table.append(("query UN+OFAC p50", f"{p50:.2f} ms", "< 2 ms"))
    table.append(("query UN+OFAC p99", f"{p99:.2f} ms", "< 20 ms"))
    table.append(("50,000-row batch", f"{batch:.1f} s", "< 60 s"))
    del index, ofac
    table.extend(
        _store_benchmark([("un-xml", un_path), ("ofac-csv", DATA / "lists" / "ofac")], "UN+OFAC")
    )

    if args.pep_size:
        table.extend(_pep_benchmark(args.pep_size, negatives))
    print("\nfigure                      measured      target")
    for label, value, target in table:
        print(f"  {label:26} {value:>12}   {target}")


def _pep_benchmark(size: int, negatives: list[dict[str, str]]) -> list[tuple[str, str, str]]:
    rng = random.Random(6)
    firsts = sorted({r["first_name"] for r in negatives if r["first_name"]})
    middles = sorted({r["middle_name"] for r in negatives if r["middle_name"]})
    lasts = sorted({r["last_name"] for r in negatives if r["last_name"]})
    countries = ["GB", "FR", "DE", "RU", "KZ", "CN", "IN", "BR", "NG", "US", "IR", "TR"]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pep.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "name", "dob", "country", "position", "pep_category"])
            for number in range(size):
                parts = [rng.choice(firsts)]
                if rng.random() < 0.4:
                    parts.append(rng.choice(middles))
                parts.append(rng.choice(lasts))
                dob = f"{rng.randint(1940, 2000)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                writer.writerow(
                    [f"p{number}", " ".join(parts), dob, rng.choice(countries), "Official", "pep"]
                )
        started = time.perf_counter()
        snapshot = import_list("pep-csv", path)
        imported = time.perf_counter() - started
        index = ScreeningIndex([snapshot])
        built = time.perf_counter() - started
        timings = []
        for row in negatives[:2000]:
            query_started = time.perf_counter()
            index.screen(people_query(row), limit=1)
            timings.append(time.perf_counter() - query_started)
        peak = _peak_mb()
        del index, snapshot
        # After the in-memory figures, so their peak is not the store's: the store path's own
        # peak is the process maximum reported after it (an upper bound: freed memory is reused).
        stored = _store_benchmark([("pep-csv", path)], f"PEP {size:,}")
    p50, p99 = _percentiles(timings)
    return [
        (f"PEP {size:,} import", f"{imported:.1f} s", ""),
        (f"PEP {size:,} import+index", f"{built:.1f} s", "< 120 s"),
        ("PEP query p50", f"{p50:.2f} ms", "< 10 ms"),
        ("PEP query p99", f"{p99:.2f} ms", ""),
        ("peak memory (max RSS)", f"{peak:.0f} MB", "< 2048 MB"),
        *stored,
        ("peak memory after store", f"{_peak_mb():.0f} MB", "< 2048 MB"),
    ]


class _Clock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def _store_benchmark(lists: list[tuple[str, Path]], label: str) -> list[tuple[str, str, str]]:
    """`lists import` into a new case file, then a cold load + index from the store."""
    actor = Actor(user="bench", os_user="bench")
    with tempfile.TemporaryDirectory() as folder:
        store_path = Path(folder) / "case.sqlite3"
        store = SqlStore(store_path)
        try:
            casefile = CaseFile(
                store,
                BlobDirectory(evidence_dir(store_path)),
                ChecklistLibrary(checklists={}),
                _Clock(),
            )
            casefile.init_firm(
                firm_name="Bench",
                supervisor=Supervisor.SRA,
                fwra_version="1",
                fwra_date=datetime.now(UTC).date(),
                first_user=Person(id="bench", name="Bench", roles=(Role.MLRO,)),
                os_user="bench",
            )
            blobs = BlobDirectory(lists_dir(store_path))
            started = time.perf_counter()
            for list_format, path in lists:
                ScreeningService(store, blobs, _Clock()).import_list(actor, path, list_format)
            imported = time.perf_counter() - started
            stored_mb = sum(f.stat().st_size for f in blobs.root.iterdir()) / 1e6
            started = time.perf_counter()
            ScreeningService(store, blobs, _Clock()).index()
            loaded = time.perf_counter() - started
        finally:
            store.close()
    return [
        (f"{label} store import", f"{imported:.1f} s", ""),
        (f"{label} store load+index", f"{loaded:.1f} s", ""),
        (f"{label} blobs on disk", f"{stored_mb:.0f} MB", ""),
    ]


if __name__ == "__main__":
    main()
