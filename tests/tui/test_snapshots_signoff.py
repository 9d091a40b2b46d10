"""SVG snapshots of the sign-off dialog in MLRO override mode, on a matter whose client is a
non-UK PEP (High forced; mo is the MLRO), at the narrowest supported terminal and a roomy one.

Review changes in the HTML report, then `pytest tests/tui/test_snapshots_signoff.py
--snapshot-update` only when the new pictures are right.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Select, TextArea

from tests.tui.conftest import make_app
from tests.tui.test_override_ui import pep_matter
from tests.tui.test_snapshots import NARROW, WIDE, Snap, keys, settle

OVERRIDE = "The PEP link is remote and the funds are fully evidenced."
RATIONALE = "Buyer of a modest flat with a UK mortgage; salary savings traced over ten years."


def override_mode() -> Callable[[Pilot[None]], Awaitable[None]]:
    """Open the matter, press F7, start the rationale, choose Low and start the override's."""
    opened = keys("enter", "f7")

    async def run(pilot: Pilot[None]) -> None:
        await opened(pilot)
        dialog = pilot.app.screen
        dialog.query_one("#rationale", TextArea).text = RATIONALE
        dialog.query_one("#rating", Select).value = "low"
        await settle(pilot)
        dialog.query_one("#override-rationale", TextArea).text = OVERRIDE
        await settle(pilot)

    return run


def test_sign_off_override(snap_compare: Snap, seeded: Path) -> None:
    pep_matter(seeded)
    app = make_app(seeded, user="mo")
    assert snap_compare(app, terminal_size=WIDE, run_before=override_mode())


def test_sign_off_override_at_80_by_24(snap_compare: Snap, seeded: Path) -> None:
    pep_matter(seeded)
    app = make_app(seeded, user="mo")
    assert snap_compare(app, terminal_size=NARROW, run_before=override_mode())
