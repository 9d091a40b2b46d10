"""How long the TUI's event loop stalls while it renders the example matter's PDF audit file
through its child-process path (`duediligence/tui/render.py`). Target: worst stall < 50 ms.

The app runs headless (`App.run_test()`); a 5 ms `set_interval` ticker records the largest gap
between ticks from the start of the render until the child has exited and the app has taken its
result. Each run renders once into a fresh store; median and max of the runs' worst stalls.

    python -m benchmarks.tui_render_stall [RUNS]
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.report_example import REFERENCE, build_example, open_store
from duediligence.config import Settings
from duediligence.tui.app import DueDiligenceApp
from duediligence.tui.render import render_pdf, renders_dir
from duediligence.tui.screens.base import BaseScreen

TICK = 0.005
TARGET_MS = 50.0


def make_store(folder: Path) -> Path:
    path = folder / "store.sqlite3"
    casefile, store, clock = open_store(path, datetime(2026, 1, 20, tzinfo=UTC))
    try:
        build_example(casefile, clock, folder / "files")
    finally:
        store.close()
    return path


async def one_run(store: Path) -> tuple[float, float]:
    """(worst gap between ticks in ms, render wall time in s)."""
    app = DueDiligenceApp(Settings(store=store, user="priya"), os_user="bench")
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BaseScreen), type(screen)
        last = time.perf_counter()
        worst = 0.0

        def tick() -> None:
            nonlocal last, worst
            now = time.perf_counter()
            worst = max(worst, now - last)
            last = now

        await asyncio.sleep(0.2)  # let the first frames settle before measuring
        timer = app.set_interval(TICK, tick)
        last, worst = time.perf_counter(), 0.0
        start = time.perf_counter()
        render_pdf(screen, REFERENCE)
        await pilot.pause()
        # The render belongs to the app (it outlives the matter screen): wait for its job.
        while REFERENCE in app.renders:
            await asyncio.sleep(0.05)
        elapsed = time.perf_counter() - start
        timer.stop()
        written = list(renders_dir(store).glob("*.pdf"))
        if not written:
            raise SystemExit(f"the render wrote no file in {renders_dir(store)}")
    return worst * 1000, elapsed


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    stalls: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(runs):
            folder = Path(tmp) / f"run{n}"
            folder.mkdir()
            store = make_store(folder)
            stall, elapsed = asyncio.run(one_run(store))
            stalls.append(stall)
            print(f"run {n + 1}: worst stall {stall:.1f} ms, render {elapsed:.2f} s")
    median, worst = statistics.median(stalls), max(stalls)
    verdict = "meets" if worst < TARGET_MS else "MISSES"
    print(
        f"worst event-loop stall during a render: median {median:.1f} ms, max {worst:.1f} ms "
        f"over {runs} runs ({verdict} the {TARGET_MS:.0f} ms target)"
    )


if __name__ == "__main__":
    main()
