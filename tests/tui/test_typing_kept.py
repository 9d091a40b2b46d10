"""What a fast typist gives is what is stored: every character typed before Ctrl+Q, the amount
meant by "£30m", and Enter in the checklist tree puts the cursor where the answer goes."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea, Tree

from duediligence.domain.answers import Money
from duediligence.tui.widgets import answer
from tests.tui.conftest import make_app
from tests.tui.conftest import settle as _settle
from tests.tui.test_matter_keys import AMOUNT, TEXT, open_matter, stored, type_into


def burst(pilot: Pilot[None], text: str) -> None:
    """Keys queued all at once, as a fast typist or a text expander sends them: none is handled
    before the next arrives."""
    app = pilot.app
    for character in text:
        key = events.Key(character, character)
        key.set_sender(app)
        app.post_message(key)


LONG = (
    "Client is a long standing retail customer of the bank; funds come from the sale of "
    "her flat in Leeds, completed January 2026, proceeds traced to the statement."
)


async def test_every_character_typed_before_ctrl_q_is_stored(
    example: Path, no_pause_save: None
) -> None:
    app = make_app(example, user="pshah")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_matter(pilot)
        await type_into(pilot, screen, TEXT, "")
        burst(pilot, LONG)
        # Ctrl+Q in the same tick: the quit must see the keys still queued for the text box.
        await asyncio.wait_for(pilot.press("ctrl+q"), 30)
    assert app.return_code == 0
    assert stored(example, TEXT) == [LONG]


async def test_keys_still_queued_for_the_text_box_when_quit_begins_are_kept(
    example: Path, no_pause_save: None
) -> None:
    # As in a real terminal (tried in tmux: 117 characters typed, 24 stored): the app has passed
    # the keys on to the text box, which has not handled them yet, when the priority Ctrl+Q runs.
    app = make_app(example, user="pshah")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_matter(pilot)
        await type_into(pilot, screen, TEXT, "")
        area = app.focused
        assert isinstance(area, TextArea)
        for character in LONG:
            area.post_message(events.Key(character, character))
        await app.action_quit()  # at once, in this task, as the binding runs it
    assert stored(example, TEXT) == [LONG]


async def test_enter_on_a_question_in_the_tree_puts_the_cursor_in_the_answer(
    example: Path,
) -> None:
    app = make_app(example, user="pshah")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_matter(pilot)
        tree = screen.query_one("#checklists", Tree)
        assert tree.has_focus
        await pilot.press("down")
        await _settle(pilot)
        while tree.cursor_node is not None and tree.cursor_node.data is None:
            await pilot.press("down")
            await _settle(pilot)
        await pilot.press("enter")
        await _settle(pilot)
        assert screen.answer_input is not None
        assert app.focused is not None
        assert app.focused in screen.answer_input.walk_children(), app.focused


@pytest.mark.parametrize(
    ("typed", "amount", "currency"),
    [
        ("£30m", 30_000_000, "GBP"),
        ("30m", 30_000_000, "GBP"),
        ("1.5 million EUR", 1_500_000, "EUR"),
    ],
)
async def test_an_amount_is_stored_as_meant_and_shown(
    example: Path, typed: str, amount: int, currency: str
) -> None:
    app = make_app(example, user="pshah")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_matter(pilot)
        await type_into(pilot, screen, AMOUNT, "")
        assert screen.answer_input is not None
        # Set as a paste would: Pilot cannot press "£" (no key name for it).
        screen.answer_input.query_one("#amount", Input).value = typed
        await pilot.pause()
        reading = str(screen.answer_input.query_one("#money-reading", Static).render())
        assert reading.startswith("= ") and f"{amount:,}" in reading, reading
        await pilot.press("enter")
        await _settle(pilot)
        assert screen.answer_input is not None
        assert screen.answer_input.query_one("#amount", Input).value == typed
        said = str(screen.answer_input.query_one("#money-reading", Static).render())
        assert said.startswith("Saved as") and f"{amount:,}" in said, said
    assert stored(example, AMOUNT) == [Money(amount=Decimal(amount), currency=currency)]


async def test_an_amount_that_is_not_one_is_refused_not_cut(example: Path) -> None:
    app = make_app(example, user="pshah")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_matter(pilot)
        await type_into(pilot, screen, AMOUNT, "")
        assert screen.answer_input is not None
        screen.answer_input.query_one("#amount", Input).value = "£30 zillion"
        await pilot.pause()
        await pilot.press("enter")
        await _settle(pilot)
        assert screen.answer_input is not None
        error = str(screen.answer_input.query_one("#answer-error", Static).render())
        assert "is not an amount" in error, error
    assert stored(example, AMOUNT) == []


async def test_typing_that_paused_then_ran_on_into_ctrl_q_keeps_the_whole_text(
    example: Path,
) -> None:
    # The pause saves the first part; the rest, typed fast, is still queued when Ctrl+Q comes.
    app = make_app(example, user="pshah")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_matter(pilot)
        await type_into(pilot, screen, TEXT, "")
        burst(pilot, LONG[:57])
        await pilot.pause(answer.TEXT_PAUSE + 0.3)
        burst(pilot, LONG[57:])
        await asyncio.wait_for(pilot.press("ctrl+q"), 30)
    assert app.return_code == 0
    assert stored(example, TEXT)[-1] == LONG
