"""Peak memory of the TUI with 10,000 matters (target: under 200 MB).

A child process opens the matters list on a store of 10,000 matters, waits until every row is
complete (the worker has evaluated every matter for its client and pending approvals), opens the
portfolio and the first matter, then reports its peak resident set size.

    python -m benchmarks.tui_memory [CASES] [--store PATH]   (PATH is filled once and reused)
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def child(store: Path) -> None:
    from duediligence.config import Settings
    from duediligence.tui.app import DueDiligenceApp
    from duediligence.tui.screens.desk import Portfolio
    from duediligence.tui.screens.matter import MatterScreen
    from duediligence.tui.screens.matters import MattersScreen

    class Measured(DueDiligenceApp):
        """Walks the big screens once every row is worked out, then exits."""

        step = 0

        def on_mount(self) -> None:
            self.set_interval(0.1, self.walk)

        def walk(self) -> None:
            if self.step == 0 and isinstance(self.screen, MattersScreen) and self.rows_complete:
                self.step = 1
                self.push_screen(Portfolio())
            elif self.step == 1:
                self.step = 2
                self.pop_screen()
                self.push_screen(MatterScreen(next(iter(self.rows))))
            elif self.step == 2:
                self.exit()

    start = time.perf_counter()
    Measured(Settings(store=store, user="bob")).run(headless=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{peak:.0f} {time.perf_counter() - start:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("cases", nargs="?", type=int, default=10_000)
    parser.add_argument("--store", type=Path)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args.store)
        return
    from benchmarks.tui_common import fill

    with tempfile.TemporaryDirectory() as tmp:
        store = args.store or Path(tmp) / "bench.sqlite3"
        fill(store, args.cases)
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.tui_memory", "--child", "--store", str(store)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        peak, seconds = float(out[-2]), float(out[-1])
    print(
        f"peak RSS with {args.cases} matters (list complete, portfolio and a matter opened): "
        f"{peak:.0f} MB (target < 200 MB); every row worked out in {seconds:.0f} s; "
        f"{os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
