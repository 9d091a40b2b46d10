"""Cold start to an interactive matters list with 10,000 matters, against a bare Textual app
showing one 10,000-row DataTable, measured in the same run (target: at most 1.5x).

Each start is a fresh child process (interpreter, imports, store, first frame) that exits as soon
as its table holds every row; the parent times it from spawn to exit. Medians of 5 alternating
runs.

    python -m benchmarks.tui_start [CASES] [--store PATH]   (PATH is filled once and reused)
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COLUMNS = ("Reference", "Client", "Kind", "Rating", "Status", "PEP", "Sanctions", "Gates open",
           "Next review", "Responsible", "Missing")  # fmt: skip


def bare_child(rows: int) -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield DataTable(cursor_type="row")
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns(*COLUMNS)
            for n in range(rows):
                table.add_row(
                    f"M-{n:06d}", "…", "Solicitor", "(low)", "open", "", "", "none", "", "bob",
                    "12", key=f"M-{n:06d}",
                )  # fmt: skip
            table.focus()
            self.call_after_refresh(self.exit)

    Bare().run(headless=True)


def app_child(store: Path, rows: int) -> None:
    from textual.widgets import DataTable

    from duediligence.config import Settings
    from duediligence.tui.app import DueDiligenceApp
    from duediligence.tui.screens.matters import MattersScreen

    class Timed(DueDiligenceApp):
        """Exits as soon as the matters list holds every row."""

        def on_mount(self) -> None:
            # Textual also runs DueDiligenceApp.on_mount (handlers run along the MRO).
            self.set_interval(0.005, self.ready)

        def ready(self) -> None:
            screen = self.screen
            if isinstance(screen, MattersScreen) and screen.query_one(DataTable).row_count >= rows:
                self.call_after_refresh(self.exit)

    Timed(Settings(store=store, user="bob")).run(headless=True)


def _time(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "benchmarks.tui_start", *args], check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("cases", nargs="?", type=int, default=10_000)
    parser.add_argument("--store", type=Path)
    parser.add_argument("--child", choices=["bare", "app"])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if args.child == "bare":
        bare_child(args.cases)
        return
    if args.child == "app":
        app_child(args.store, args.cases)
        return
    from benchmarks.tui_common import fill

    with tempfile.TemporaryDirectory() as tmp:
        store = args.store or Path(tmp) / "bench.sqlite3"
        start = time.perf_counter()
        fill(store, args.cases)
        print(f"store with {args.cases} matters ready in {time.perf_counter() - start:.0f} s")
        bare, ours = [], []
        for _ in range(args.runs):
            bare.append(_time([str(args.cases), "--child", "bare"]))
            ours.append(_time([str(args.cases), "--child", "app", "--store", str(store)]))
        b, o = statistics.median(bare), statistics.median(ours)
        print(f"bare Textual app, one DataTable of {args.cases} rows: median {b * 1000:.0f} ms")
        print(f"duediligence matters list with {args.cases} matters: median {o * 1000:.0f} ms")
        print(f"ratio {o / b:.2f}x (target at most 1.5x); {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
