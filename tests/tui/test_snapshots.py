"""SVG snapshots of every main screen, on the example matter, a fixed clock and fixed ids.

Review changes in the HTML report, then `pytest tests/tui --snapshot-update` only when the new
screens are right.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea
from textual.worker import WorkerCancelled

from tests.tui.conftest import make_app

Snap = Callable[..., bool]
WIDE = (120, 40)
NARROW = (80, 24)


async def settle(pilot: Pilot[None]) -> None:
    """Workers finished, messages handled, cursors still (so the picture repeats exactly)."""
    for _ in range(3):
        # A file browser's loader runs until its dialog closes: never wait for that one.
        ours = [w for w in pilot.app.workers if w.group != "_loader"]
        # Not `wait_for_complete([])`: an empty list means "every worker", the loader included.
        if ours:
            with contextlib.suppress(WorkerCancelled):
                await pilot.app.workers.wait_for_complete(ours)
        await pilot.pause()
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    for area in pilot.app.screen.query(TextArea):
        area.cursor_blink = False
    pilot.app.clear_notifications()
    await pilot.pause()


def keys(*pressed: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    """Settle, press keys (settling after each), settle again."""

    async def run(pilot: Pilot[None]) -> None:
        await settle(pilot)
        for key in pressed:
            await pilot.press(key)
            await settle(pilot)

    return run


def test_first_run_setup(snap_compare: Snap, store_path: Path) -> None:
    async def run(pilot: Pilot[None]) -> None:
        await settle(pilot)
        # The store's absolute path is shown; the test's temporary folder differs each run.
        where = pilot.app.screen.query_one("#setup-store", Static)
        where.update(
            str(where.render()).replace(
                str(store_path.parent), "/home/alex/.local/share/duediligence"
            )
        )
        await settle(pilot)

    assert snap_compare(make_app(store_path, user=None), terminal_size=WIDE, run_before=run)


def test_matters_list(snap_compare: Snap, example: Path) -> None:
    assert snap_compare(make_app(example, user="pshah"), terminal_size=WIDE, run_before=keys())


def test_matter_screen(snap_compare: Snap, example: Path) -> None:
    app = make_app(example, user="pshah")
    assert snap_compare(app, terminal_size=WIDE, run_before=keys("enter"))


def test_matter_screen_at_80_by_24(snap_compare: Snap, example: Path) -> None:
    app = make_app(example, user="pshah")
    assert snap_compare(app, terminal_size=NARROW, run_before=keys("enter", "f2"))


def test_help(snap_compare: Snap, example: Path) -> None:
    app = make_app(example, user="alex")
    assert snap_compare(app, terminal_size=WIDE, run_before=keys("f1"))


def test_new_matter_dialog(snap_compare: Snap, example: Path) -> None:
    app = make_app(example, user="pshah")
    assert snap_compare(app, terminal_size=WIDE, run_before=keys("n"))


def test_evidence_list(snap_compare: Snap, example: Path) -> None:
    app = make_app(example, user="pshah")
    assert snap_compare(app, terminal_size=WIDE, run_before=keys("enter", "f4"))


def test_timeline(snap_compare: Snap, example: Path) -> None:
    app = make_app(example, user="pshah")
    assert snap_compare(app, terminal_size=WIDE, run_before=keys("enter", "f6"))


def test_audit_trail(snap_compare: Snap, example: Path) -> None:
    app = make_app(example, user="pshah")
    assert snap_compare(app, terminal_size=WIDE, run_before=keys("enter", "f11"))


def test_approvals_queue(snap_compare: Snap, example: Path) -> None:
    app = make_app(example, user="hgrant")
    assert snap_compare(app, terminal_size=WIDE, run_before=keys("a"))


def test_portfolio(snap_compare: Snap, example: Path) -> None:
    app = make_app(example, user="alex")
    assert snap_compare(app, terminal_size=WIDE, run_before=keys("p"))


def test_mlro_area(snap_compare: Snap, example: Path) -> None:
    app = make_app(example, user="alex")
    assert snap_compare(app, terminal_size=WIDE, run_before=keys("m"))


def test_integrity(snap_compare: Snap, example: Path) -> None:
    app = make_app(example, user="alex")
    assert snap_compare(app, terminal_size=WIDE, run_before=keys("i"))


def test_light_theme(snap_compare: Snap, example: Path) -> None:
    app = make_app(example, user="pshah", theme="textual-light")
    assert snap_compare(app, terminal_size=WIDE, run_before=keys("enter"))


def test_approve_dialog(snap_compare: Snap, example: Path) -> None:
    app = make_app(example, user="hgrant")
    assert snap_compare(app, terminal_size=WIDE, run_before=keys("enter", "f8"))
