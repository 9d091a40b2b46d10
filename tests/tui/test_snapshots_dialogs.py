"""SVG snapshots of the dialogs at 80x24, where they must fit without scrolling, and of the
attach-evidence dialog with its file browser (pointed at a fixed folder so the picture repeats)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DirectoryTree

from tests.tui.conftest import make_app
from tests.tui.test_snapshots import NARROW, WIDE, Snap, keys, settle


@pytest.fixture
def documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder the file browser opens on: two documents and a hidden file it must not list."""
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "passport-scan.pdf").write_bytes(b"%PDF-1.7 fixture")
    (folder / "bank-statement-2026-02.pdf").write_bytes(b"%PDF-1.7 fixture")
    (folder / ".DS_Store").write_bytes(b"hidden")
    monkeypatch.chdir(folder)
    return folder


def browse(*pressed: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    """Press keys, then wait until the file browser has listed its folder."""
    before = keys(*pressed)

    async def run(pilot: Pilot[None]) -> None:
        await before(pilot)
        tree = pilot.app.screen.query_one(DirectoryTree)
        for _ in range(200):
            if tree.root.children:
                break
            await pilot.pause(0.02)
        assert [str(c.label) for c in tree.root.children] == [
            "bank-statement-2026-02.pdf",
            "passport-scan.pdf",
        ]
        await settle(pilot)

    return run


def test_attach_evidence_dialog(snap_compare: Snap, example: Path, documents: Path) -> None:
    app = make_app(example, user="pshah")
    assert snap_compare(app, terminal_size=WIDE, run_before=browse("enter", "f3"))


def test_attach_evidence_dialog_at_80_by_24(
    snap_compare: Snap, example: Path, documents: Path
) -> None:
    app = make_app(example, user="pshah")
    assert snap_compare(app, terminal_size=NARROW, run_before=browse("enter", "f3"))


def test_new_matter_dialog_at_80_by_24(snap_compare: Snap, example: Path) -> None:
    app = make_app(example, user="pshah")
    assert snap_compare(app, terminal_size=NARROW, run_before=keys("n"))


def test_record_event_dialog_at_80_by_24(snap_compare: Snap, example: Path) -> None:
    app = make_app(example, user="pshah")
    assert snap_compare(app, terminal_size=NARROW, run_before=keys("enter", "f6", "r"))


def test_parties_screen(snap_compare: Snap, example: Path) -> None:
    app = make_app(example, user="pshah")
    assert snap_compare(app, terminal_size=WIDE, run_before=keys("enter", "f5"))


def test_add_party_dialog_at_80_by_24(snap_compare: Snap, example: Path) -> None:
    app = make_app(example, user="pshah")
    assert snap_compare(app, terminal_size=NARROW, run_before=keys("enter", "f5", "a"))


def test_add_receipt_dialog_at_80_by_24(snap_compare: Snap, example: Path) -> None:
    app = make_app(example, user="pshah")
    assert snap_compare(app, terminal_size=NARROW, run_before=keys("enter", "ctrl+g", "a"))


def test_funds_screen_with_a_receipt_that_does_not_reconcile(
    snap_compare: Snap, example: Path
) -> None:
    from textual.widgets import Button, Input

    app = make_app(example, user="pshah")
    before = keys("enter", "ctrl+g", "a")

    async def run(pilot: Pilot[None]) -> None:
        await before(pilot)
        dialog = pilot.app.screen
        for name, value in {
            "amount": "GBP 1,300,000",
            "received_on": "02/01/2026",
            "remitter": "MARLOWE COURT HOLDINGS LTD",
            "bank": "Bank of Cyprus",
            "bank_country": "CY",
            "account": "CY17002001280000001200527600",
            "tranche": "1",
        }.items():
            dialog.query_one(f"#receipt-{name}", Input).value = value
        dialog.query_one("#ok", Button).press()
        await settle(pilot)

    assert snap_compare(app, terminal_size=WIDE, run_before=run)
