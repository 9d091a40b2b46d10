"""'Add another entry' has a key (issue 13, finding 6): Ctrl+E on a question of a repeating group
opens the group's next entry at its first question; answering it adds the entry."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from tests.tui.conftest import make_app
from tests.tui.conftest import settle as _settle
from tests.tui.test_matter_keys import open_matter


async def test_ctrl_e_opens_the_next_entry_of_the_repeating_group(example: Path) -> None:
    app = make_app(example, user="pshah")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_matter(pilot)
        assert screen.view is not None
        visible = screen.view.evaluation.visible["source-of-wealth@p2"]
        entries = {int(k.partition("#")[2]) for k in visible if k.startswith("contributor.")}
        screen.go_to(("source-of-wealth@p2", "contributor.share#1"))
        await pilot.pause()
        await pilot.press("ctrl+e")
        await _settle(pilot)
        new = max(entries) + 1
        assert screen.current == ("source-of-wealth@p2", f"contributor.kind#{new}")
        where = str(screen.query_one("#q-where", Static).render())
        assert f"contributor.kind#{new}" in where
        # Answered, the entry exists: its questions are shown and asked for.
        screen.dd.casefile.answer(
            screen.dd.actor, screen.reference, f"contributor.kind#{new}", "inheritance",
            run_key="source-of-wealth@p2",
        )  # fmt: skip
        view = screen.dd.casefile.view(screen.reference)
        assert f"contributor.share#{new}" in view.evaluation.visible["source-of-wealth@p2"]

        # A question outside any repeating group has no other entry to add.
        screen.go_to(("solicitor-cdd", "verify.completed_on"))
        await pilot.pause()
        await pilot.press("ctrl+e")
        await _settle(pilot)
        assert screen.current == ("solicitor-cdd", "verify.completed_on")
