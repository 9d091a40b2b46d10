"""Cold command-line screening against a stored case file (run: python -m benchmarks.screening_cold
STORE [REPEATS]).

Times `duediligence screen NAME` and `duediligence cases list` as separate processes on the same
store, alternately, REPEATS times each (default 7), and prints the medians of wall time and of
CPU time (user + system, from the children's rusage: steadier than wall time on a shared
machine) and their ratio. The store must already hold the lists (`duediligence lists import`).
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time


def main() -> None:
    """Measure and print the medians and the ratio."""
    store = sys.argv[1]
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    environment = dict(os.environ, DUEDILIGENCE_STORE=store, DUEDILIGENCE_USER="bob")
    program = [sys.executable, "-m", "duediligence"]
    commands = {
        "cases list": [*program, "cases", "list"],
        "screen": [*program, "screen", "Qasym-Jomart Toqaev"],
    }
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeats):
        for name, command in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            done = subprocess.run(command, env=environment, capture_output=True, check=False)
            walls[name].append(time.perf_counter() - started)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if done.returncode != 0:
                sys.exit(f"{name} failed: {done.stderr.decode(errors='replace')}")
            cpus[name].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    for name in commands:
        print(
            f"{name:12} wall median {statistics.median(walls[name]):.2f} s   "
            f"cpu median {statistics.median(cpus[name]):.2f} s"
        )
    cpu_ratio = statistics.median(cpus["screen"]) / statistics.median(cpus["cases list"])
    wall_ratio = statistics.median(walls["screen"]) / statistics.median(walls["cases list"])
    print(f"screen / cases list: cpu {cpu_ratio:.2f}x, wall {wall_ratio:.2f}x (target <= 1.5x)")


if __name__ == "__main__":
    main()
