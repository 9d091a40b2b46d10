"""SVG snapshots of approval requests: the request dialog in the matter, the approvals queue
with a requested matter first, and the decide dialog opened from the queue with its summary.

Same helpers and rules as `test_snapshots.py`: review changes in the HTML report, then
`pytest tests/tui/test_snapshots_approvals.py --snapshot-update` only when the screens are right.
"""

from __future__ import annotations

from pathlib import Path

from duediligence.compose import open_casefile
from duediligence.domain.case import Actor
from tests.tui.conftest import FixedClock, make_app
from tests.tui.test_snapshots import NARROW, WIDE, Snap, keys


def _requested(store: Path) -> Path:
    """The example matter with an approval request from its fee earner, with a note."""
    with open_casefile(store, clock=FixedClock()) as opened:
        opened.casefile.request_approvals(
            Actor(user="pshah", os_user="test"),
            "EX-0001",
            "Exchange is booked for Friday; the PEP evidence is under F4.",
        )
    return store


def test_request_dialog(snap_compare: Snap, example: Path) -> None:
    app = make_app(example, user="pshah")
    assert snap_compare(app, terminal_size=WIDE, run_before=keys("enter", "ctrl+r"))


def test_queue_with_a_requested_matter(snap_compare: Snap, example: Path) -> None:
    app = make_app(_requested(example), user="hgrant")
    assert snap_compare(app, terminal_size=WIDE, run_before=keys("a"))


def test_decide_from_the_queue(snap_compare: Snap, example: Path) -> None:
    app = make_app(_requested(example), user="hgrant")
    assert snap_compare(app, terminal_size=WIDE, run_before=keys("a", "d"))


def test_decide_from_the_queue_at_80_by_24(snap_compare: Snap, example: Path) -> None:
    app = make_app(_requested(example), user="hgrant")
    assert snap_compare(app, terminal_size=NARROW, run_before=keys("a", "d"))
