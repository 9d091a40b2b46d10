"""A 1,000,000-name PEP list, screened cold from the command line (run: python -m
benchmarks.screening_pep [--size N] [--repeat R] [--queries Q]).

Generates a deterministic synthetic PEP list (pep-csv, the negatives' own name vocabulary, a fixed
seed), imports it into a fresh case file as `duediligence lists import` does (which builds and
persists the index), then measures, in the same run:

- cold `duediligence screen NAME` against it, and `duediligence cases list` on the same store as the
  baseline (each a separate process, alternately, R times; medians of wall time; the screen's peak
  memory is its own maximum resident set, read per child with os.wait4);
- per-query time in a fresh process that loaded the index as the command does (p50 and p99 over
  Q negatives), and that process's peak memory beside its own baseline before the lists were read;
- the import's peak memory (this process: parsing the CSV, storing it, building the index).

Targets (issue 17): cold screen under 3 s, p50 under 5 ms, peak memory under 1 GB.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.screening_quality import DATA, people_query

SEED = 6
_bench = [sys.executable, "-m", "benchmarks.screening_pep"]


def write_pep_list(path: Path, size: int) -> None:
    """A deterministic synthetic PEP list of `size` people (names from the negatives' vocabulary)."""
    with (DATA / "people" / "negatives_global.csv").open(encoding="utf-8") as handle:
        negatives = list(csv.DictReader(handle))
    rng = random.Random(SEED)
    firsts = sorted({r["first_name"] for r in negatives if r["first_name"]})
    middles = sorted({r["middle_name"] for r in negatives if r["middle_name"]})
    lasts = sorted({r["last_name"] for r in negatives if r["last_name"]})
    countries = ["GB", "FR", "DE", "RU", "KZ", "CN", "IN", "BR", "NG", "US", "IR", "TR"]
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


class _Clock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def _peak_mb() -> float:
    """This process's peak resident memory. Linux's VmHWM, not ru_maxrss: a child's ru_maxrss
    starts at its parent's size when it was forked, so it would report the importing parent."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024


# Runs the program as `python -m duediligence ARGS` does and writes its own peak memory to a file
# on the way out (sys.argv[1]).
_MEASURED = (
    "import atexit, sys\n"
    "from benchmarks.screening_pep import _peak_mb\n"
    "peak_file = sys.argv.pop(1)\n"
    "atexit.register(lambda: open(peak_file, 'w').write(str(_peak_mb())))\n"
    "import runpy\n"
    "sys.argv[0] = 'duediligence'\n"
    "runpy.run_module('duediligence', run_name='__main__', alter_sys=True)\n"
)


def _make_store(store_path: Path, pep: Path) -> float:
    """A case file with the firm, its MLRO and the PEP list imported (index built and persisted)."""
    from duediligence.adapters.blobs import BlobDirectory
    from duediligence.adapters.locations import evidence_dir, lists_dir
    from duediligence.adapters.store import SqlStore
    from duediligence.domain.case import Actor, Person, Supervisor
    from duediligence.domain.library import ChecklistLibrary
    from duediligence.domain.vocabulary import Role
    from duediligence.services.casefile import CaseFile
    from duediligence.services.screening import ScreeningService

    store = SqlStore(store_path)
    try:
        casefile = CaseFile(
            store,
            BlobDirectory(evidence_dir(store_path)),
            ChecklistLibrary(checklists={}),
            _Clock(),
        )
        user = os.environ.get("USER", "bench")
        casefile.init_firm(
            firm_name="Bench",
            supervisor=Supervisor.SRA,
            fwra_version="1",
            fwra_date=datetime.now(UTC).date(),
            first_user=Person(id="bench", name="Bench", roles=(Role.MLRO, Role.SENIOR_MANAGER)),
            os_user=user,
        )
        service = ScreeningService(
            store,
            BlobDirectory(lists_dir(store_path)),
            _Clock(),
            index_dir=lists_dir(store_path) / "index",  # where the program keeps it
        )
        started = time.perf_counter()
        service.import_list(Actor(user="bench", os_user=user), pep, "pep-csv")
        service.index()  # as the import command's re-screen does: built once, persisted
        return time.perf_counter() - started
    finally:
        store.close()


def _run(arguments: list[str], environment: dict[str, str], peak_file: Path) -> tuple[float, float]:
    """Wall seconds and peak resident MB of `duediligence ARGUMENTS` as its own process."""
    command = [sys.executable, "-c", _MEASURED, str(peak_file), *arguments]
    started = time.perf_counter()
    done = subprocess.run(command, env=environment, capture_output=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{' '.join(arguments)} failed: {done.stderr.decode(errors='replace')}")
    return wall, float(peak_file.read_text())


def _in_process(store_path: Path, queries: int) -> tuple[float, float, float, float, float]:
    """Load seconds, p50 and p99 ms per query, baseline and peak MB, in this process."""
    from duediligence.compose import open_casefile

    with (DATA / "people" / "negatives_global.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))[:queries]
    baseline = _peak_mb()
    started = time.perf_counter()
    with open_casefile(store_path) as opened:
        index, _ = opened.screening().index()
        loaded = time.perf_counter() - started
        timings = []
        for row in rows:
            query_started = time.perf_counter()
            index.screen(people_query(row), limit=10)
            timings.append(time.perf_counter() - query_started)
    ordered = sorted(timings)
    p50 = ordered[len(ordered) // 2] * 1000
    p99 = ordered[int(len(ordered) * 0.99)] * 1000
    return loaded, p50, p99, baseline, _peak_mb()


def main() -> None:
    """Generate, import, measure and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--skip-in-process", action="store_true")
    parser.add_argument("--measure-store", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_store:  # the fresh process of the in-process figures
        print(json.dumps(_in_process(args.measure_store, args.queries)))
        return
    from duediligence.screening.normalise import ALGORITHM_VERSION

    print(f"algorithm {ALGORITHM_VERSION}, PEP list of {args.size:,} names (seed {SEED})")
    with tempfile.TemporaryDirectory() as folder:
        pep = Path(folder) / "pep.csv"
        started = time.perf_counter()
        write_pep_list(pep, args.size)
        print(f"generated in {time.perf_counter() - started:.1f} s")
        store_path = Path(folder) / "case.sqlite3"
        imported = _make_store(store_path, pep)
        print(f"imported and indexed in {imported:.1f} s")
        environment = dict(
            os.environ,
            DUEDILIGENCE_STORE=str(store_path),
            DUEDILIGENCE_USER="bench",
            PYTHONPATH=os.pathsep.join(sys.path),  # the same code as this process
        )
        commands = {
            "cases list": ["cases", "list"],
            "screen": ["screen", "Qasym-Jomart Toqaev"],
        }
        walls: dict[str, list[float]] = {name: [] for name in commands}
        peaks: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.repeat):
            for name, command in commands.items():
                wall, peak = _run(command, environment, Path(folder) / "peak")
                walls[name].append(wall)
                peaks[name].append(peak)
        figures = [
            (
                f"cold {name}",
                f"{statistics.median(walls[name]):.2f} s",
                f"{max(peaks[name]):.0f} MB",
            )
            for name in commands
        ]
        import_peak = _peak_mb()
        if not args.skip_in_process:
            done = subprocess.run(
                [*_bench, "--measure-store", str(store_path), "--queries", str(args.queries)],
                capture_output=True,
                check=True,
            )
            loaded, p50, p99, baseline, peak = json.loads(done.stdout.splitlines()[-1])
            figures += [
                ("in-process load", f"{loaded:.2f} s", f"{baseline:.0f} MB before"),
                ("query p50", f"{p50:.2f} ms", ""),
                ("query p99", f"{p99:.2f} ms", ""),
                ("in-process peak", "", f"{peak:.0f} MB"),
            ]
        figures.append(("import peak", f"{imported:.1f} s", f"{import_peak:.0f} MB"))
    print(f"\n{'figure':22} {'time':>10} {'memory':>14}   (medians of {args.repeat})")
    for label, seconds, memory in figures:
        print(f"  {label:20} {seconds:>10} {memory:>14}")
    print("targets: cold screen < 3 s, p50 < 5 ms, peak memory < 1024 MB")


if __name__ == "__main__":
    main()
