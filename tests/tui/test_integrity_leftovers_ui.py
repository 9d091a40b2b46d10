"""The integrity screen lists files left by interrupted writes below the check, with what removes
them; the record itself still verifies."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from textual.widgets import Static

from duediligence.tui.screens.integrity import IntegrityScreen
from tests.tui.conftest import make_app
from tests.tui.conftest import settle as _settle


async def test_leftovers_are_listed_on_the_integrity_screen(seeded: Path) -> None:
    evidence = seeded.parent / f"{seeded.name}.evidence"
    evidence.mkdir(exist_ok=True)
    partial = evidence / ".incoming-k1ll3d"
    partial.write_bytes(b"half of a passport scan")
    long_ago = datetime(2026, 1, 1, tzinfo=UTC).timestamp()  # before the fixed clock's now
    os.utime(partial, (long_ago, long_ago))
    app = make_app(seeded, user="sam")
    async with app.run_test(size=(140, 44)) as pilot:
        await _settle(pilot)
        await pilot.press("i")
        await _settle(pilot)
        assert isinstance(app.screen, IntegrityScreen)
        text = str(app.screen.query_one("#verify-result", Static).render())
        assert "Everything verifies" in text
        assert "1 file(s) left by interrupted writes" in text
        assert "evidence/.incoming-k1ll3d: partial write, 23 bytes" in text
        assert "duediligence maintenance clean" in text
