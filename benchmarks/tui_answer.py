"""From a keypress that answers a question to the updated risk and gates panels, in a matter of
300+ visible questions (target: under 50 ms median).

The example matter (an overseas company with a PEP owner) with every bundled checklist started
for the client and the PEP-related ones for two parties. Driven headless with Pilot: each sample
moves to the other option of a yes/no question and presses Enter; the time runs from the key to
the end of the screen's answer handler, which evaluates the matter with the new answer in memory
and updates the risk, gates and missing panels (the save to the store and the re-read follow in a
worker; the tree's marks follow on the next frame).

    python -m benchmarks.tui_answer [SAMPLES]
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from duediligence.compose import open_casefile
from duediligence.config import Settings
from duediligence.domain.case import Actor, ConflictError, Person, Supervisor
from duediligence.domain.vocabulary import Role
from duediligence.services.example import EXAMPLE_PEOPLE, EXAMPLE_REFERENCE, load_example

EXTRA = [
    ("solicitor-cdd", "client"),
    ("estate-agent-cdd", "client"),
    ("source-of-wealth", "client"),
    ("pep-edd", "client"),
    ("pep-edd", "p3"),
    ("source-of-wealth", "p3"),
    ("source-of-funds", "p3"),
    ("solicitor-cdd", "p2"),
    ("estate-agent-cdd", "p3"),
    ("pep-edd", "p1"),
    ("source-of-wealth", "p1"),
    ("source-of-funds", "p1"),
    ("beneficial-ownership", "p2"),
]


def build(store: Path) -> None:
    first = Person(
        id="alex", name="Alex", roles=(Role.MLRO, Role.SENIOR_MANAGER), trained_on=date.today()
    )
    with open_casefile(store) as opened:
        cf = opened.casefile
        cf.init_firm(
            firm_name="Bench LLP",
            supervisor=Supervisor.SRA,
            fwra_version="1",
            fwra_date=date.today(),
            first_user=first,
            os_user="bench",
            fwra_approver="alex",
        )
        actor = Actor(user="alex", os_user="bench")
        for person in EXAMPLE_PEOPLE:
            cf.add_person(actor, person.model_copy(update={"trained_on": date.today()}))
        load_example(cf, actor, "pshah")
        for checklist, subject in EXTRA:
            # Some of them start on their own as the checklists grow (CDD for every client type).
            with contextlib.suppress(ConflictError):
                cf.start_checklist(actor, EXAMPLE_REFERENCE, checklist, subject)


async def measure(store: Path, samples: int, pause: float) -> tuple[list[float], int]:
    from duediligence.tui.app import DueDiligenceApp
    from duediligence.tui.screens.matter import MatterScreen

    app = DueDiligenceApp(Settings(store=store, user="pshah"))
    times: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.push_screen(MatterScreen(EXAMPLE_REFERENCE))
        await pilot.pause()
        await app.workers.wait_for_complete()
        screen = app.screen
        assert isinstance(screen, MatterScreen) and screen.view is not None
        visible = sum(len(v) for v in screen.view.evaluation.visible.values())
        applied: list[float] = []
        handler = MatterScreen.on_answer_input_given

        def timed(self: MatterScreen, message: object) -> None:
            # The handler evaluates the answer and updates the panels before it returns.
            handler(self, message)  # type: ignore[arg-type]
            applied.append(time.perf_counter())

        MatterScreen.on_answer_input_given = timed  # type: ignore[method-assign]
        screen.go_to(("beneficial-ownership", "structure.complex"))
        await pilot.pause()
        await pilot.pause()
        for key in itertools.islice(itertools.cycle(["up", "down"]), samples):
            await pilot.press(key)
            # A person reads the panels before the next answer: the last save and its redraw
            # finish first (`pause` seconds; 0 measures answers given back to back).
            await app.workers.wait_for_complete()
            await pilot.pause()
            await asyncio.sleep(pause)
            before = len(applied)
            start = time.perf_counter()
            await pilot.press("enter")
            while len(applied) == before:
                await asyncio.sleep(0.0005)
            times.append((applied[-1] - start) * 1000)
        await app.workers.wait_for_complete()
        MatterScreen.on_answer_input_given = handler  # type: ignore[method-assign]
    return times, visible


def main(samples: int = 40) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "bench.sqlite3"
        build(store)
        paced, visible = asyncio.run(measure(store, samples, 0.2))
        rushed, _ = asyncio.run(measure(store, samples, 0.0))
    print(f"{visible} visible questions in the matter; {samples} answers by keypress per series")
    for title, times in (("200 ms apart", paced), ("back to back", rushed)):
        times.sort()
        print(
            f"keypress to updated risk and gates panels, {title}: median "
            f"{statistics.median(times):.1f} ms, p90 {times[int(len(times) * 0.9) - 1]:.1f} ms, "
            f"max {times[-1]:.1f} ms"
        )
    print(f"target < 50 ms median; {os.cpu_count()} cores")


if __name__ == "__main__":
    main(*[int(a) for a in sys.argv[1:]])
