"""Layout that follows the terminal: the checklist tree grows on a wide terminal so question
labels are read whole, and keeps its 34 columns at 120."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Tree

from tests.tui.conftest import make_app, settle


async def _tree_width(example: Path, size: tuple[int, int]) -> tuple[int, list[str]]:
    app = make_app(example, user="pshah")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        tree = app.screen.query_one("#checklists", Tree)
        lines = [tree.render_line(y).text.rstrip() for y in range(tree.size.height)]
        return tree.size.width, lines


async def test_the_tree_grows_with_a_wide_terminal(example: Path) -> None:
    narrow, cut = await _tree_width(example, (120, 40))
    wide, whole = await _tree_width(example, (220, 50))
    assert narrow == 33  # 34 with its border, as before
    assert wide >= 60
    label = "Which regulated activity does this matter involve?"
    assert any(label in line for line in whole), whole
    assert not any(label in line for line in cut)


async def test_an_answer_naming_a_party_shows_the_partys_name(example: Path) -> None:
    """A party answer reads as the person's name, not "p2" (and a file answer as file names)."""
    from textual.widgets import Static

    from duediligence.tui.screens.matter import MatterScreen

    app = make_app(example, user="pshah")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MatterScreen) and screen.view is not None
        records = screen.view.records
        answer = next(a for a in records.answers if a.question_key == "bo.party#1")
        run = next(r for r in records.runs if r.id == answer.run_id)
        party = next(p for p in records.parties if p.label == answer.value)
        screen.go_to((run.key, "bo.party#1"), focus=False)
        await settle(pilot)
        shown = str(screen.query_one("#q-history", Static).render())
        assert f"Answer: {party.name} ({party.label})" in shown, shown


async def _matters_header(example: Path, size: tuple[int, int]) -> str:
    from textual.widgets import DataTable

    app = make_app(example, user="pshah")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#matters", DataTable)
        return table.render_line(0).text


async def test_the_matters_list_keeps_the_telling_columns_at_each_size(example: Path) -> None:
    wide = await _matters_header(example, (120, 40))
    for title in ("Reference", "Client", "Rating", "Hit", "PEP", "Missing", "Gates"):
        assert title in wide, wide
    # At 120 the columns lost before (Responsible, Missing) are there, and the rest too.
    for title in ("Status", "Responsible", "Review", "Kind"):
        assert title in wide, wide
    narrow = await _matters_header(example, (80, 24))
    # At 80 the list stopped at "San": a sanctions hit and what is missing still show.
    for title in ("Reference", "Client", "Rating", "Hit", "PEP", "Missing", "Gates"):
        assert title in narrow, narrow
