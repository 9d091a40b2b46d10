"""Ctrl+F in the matter (issue 18): reaching a given question took up to 44 presses of F2. A
search over the questions of the matter (their words, ids and checklists) goes straight to one,
its answer focused."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

from duediligence.tui.modals.find import FindQuestion
from tests.tui.conftest import make_app, settle
from tests.tui.test_matter_keys import open_matter


async def test_words_of_a_question_find_it_and_enter_goes_there(example: Path) -> None:
    app = make_app(example, user="pshah")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_matter(pilot)
        assert screen.current != ("source-of-wealth@p2", "sow.net_worth")
        await pilot.press("ctrl+f")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FindQuestion)
        await pilot.press(*"net worth", "enter")
        await settle(pilot)
        assert app.screen is screen
        assert screen.current == ("source-of-wealth@p2", "sow.net_worth")
        assert screen.answer_input is not None
        assert app.focused in screen.answer_input.walk_children()


async def test_an_id_finds_its_question_and_down_chooses_among_several(example: Path) -> None:
    app = make_app(example, user="pshah")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_matter(pilot)
        await pilot.press("ctrl+f")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FindQuestion)
        await pilot.press(*"source of wealth")
        await pilot.pause()
        found = dialog.query_one("#found", OptionList)
        assert found.option_count > 1
        second = str(found.get_option_at_index(1).prompt)
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert screen.current is not None
        assert f"{screen.current[1]}:" in second


async def test_words_no_question_has_say_so(example: Path) -> None:
    app = make_app(example, user="pshah")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_matter(pilot)
        await pilot.press("ctrl+f")
        await pilot.pause()
        await pilot.press(*"zzqx", "enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FindQuestion)  # nothing to go to: it stays, and says so
        assert "No question has these words" in str(dialog.query_one("#find-count").render())
