"""The matter screen under a held key and on leaving: the tree cursor and the question shown stay
together, and nothing typed is lost (next question, back to the list, quit)."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, TextArea, Tree

from duediligence.compose import open_casefile
from duediligence.domain.answers import AnswerValue, Money
from duediligence.services.example import EXAMPLE_REFERENCE
from duediligence.tui.app import DueDiligenceApp
from duediligence.tui.screens.matter import MatterScreen
from duediligence.tui.screens.matters import MattersScreen
from tests.tui.conftest import FixedClock, make_app
from tests.tui.conftest import notes as _notes
from tests.tui.conftest import settle as _settle

Position = tuple[str, str]


def stored(store_path: Path, position: Position) -> list[AnswerValue]:
    """Every version stored for a question of the example matter, read with a fresh case file."""
    with open_casefile(store_path, clock=FixedClock()) as opened:
        records = opened.casefile.view(EXAMPLE_REFERENCE).records
    run = next(r for r in records.runs if r.key == position[0])
    return [
        a.value for a in records.answers if a.run_id == run.id and a.question_key == position[1]
    ]


async def open_matter(pilot: Pilot[None]) -> MatterScreen:
    await _settle(pilot)
    await pilot.press("enter")
    await _settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, MatterScreen) and screen.view is not None
    return screen


async def type_into(
    pilot: Pilot[None], screen: MatterScreen, position: Position, text: str
) -> None:
    """Show a question, its input focused, and type `text` (no pause long enough to save)."""
    screen.go_to(position)
    await pilot.pause()
    await pilot.pause()
    await pilot.press(*text)


async def test_holding_down_in_the_tree_keeps_up(example: Path) -> None:
    app = make_app(example, user="pshah")
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        await pilot.press("enter")
        await _settle(pilot)
        screen = app.screen
        assert isinstance(screen, MatterScreen)
        tree = screen.query_one("#checklists", Tree)
        assert tree.has_focus
        # As a held key repeats: every event queued before the first is handled.
        for _ in range(30):
            key = events.Key("down", None)
            key.set_sender(app)
            app.post_message(key)
        await asyncio.wait_for(pilot.press("down"), 20)
        await asyncio.wait_for(_settle(pilot), 20)
        while tree.cursor_node is not None and tree.cursor_node.data is None:
            await asyncio.wait_for(pilot.press("down"), 20)  # a section's title: on to a question
        node = tree.cursor_node
        assert node is not None and node.data is not None
        assert screen.current == node.data


async def test_the_matter_opens_with_the_cursor_on_the_question_shown(example: Path) -> None:
    app = make_app(example, user="pshah")
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        await pilot.press("enter")
        await _settle(pilot)
        screen = app.screen
        assert isinstance(screen, MatterScreen) and screen.view is not None
        first = screen.view.evaluation.missing[0]
        assert screen.current == (first.run_id, first.question_id)
        tree = screen.query_one("#checklists", Tree)
        assert tree.has_focus
        assert tree.cursor_node is not None and tree.cursor_node.data == screen.current
        # Down goes to the question after it, not to one after the tree's first line.
        at = screen._order.index(screen.current)
        await pilot.press("down")
        await _settle(pilot)
        assert screen.current == screen._order[at + 1]
        assert tree.cursor_node is not None and tree.cursor_node.data == screen.current


TEXT = ("solicitor-cdd", "risk.rationale")
WORDS = "Long standing client, funds traced"


async def test_text_typed_is_saved_on_the_next_question(example: Path, no_pause_save: None) -> None:
    app = make_app(example, user="pshah")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_matter(pilot)
        await type_into(pilot, screen, TEXT, WORDS)
        await pilot.press("ctrl+down")
        await _settle(pilot)
        assert screen.current != TEXT
    assert stored(example, TEXT) == [WORDS]


async def test_text_typed_is_saved_on_going_back_to_the_list(
    example: Path, no_pause_save: None
) -> None:
    app = make_app(example, user="pshah")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_matter(pilot)
        await type_into(pilot, screen, TEXT, WORDS)
        await pilot.press("escape")
        await _settle(pilot)
        assert isinstance(app.screen, MattersScreen)
    assert stored(example, TEXT) == [WORDS]


@pytest.mark.parametrize("how", ["key", "action"])
async def test_text_typed_is_saved_on_quitting(
    example: Path, no_pause_save: None, how: str
) -> None:
    app = make_app(example, user="pshah")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_matter(pilot)
        await type_into(pilot, screen, TEXT, WORDS)
        if how == "key":
            await pilot.press("ctrl+q")
        else:
            await app.action_quit()
    assert app.return_code == 0
    assert stored(example, TEXT) == [WORDS]


async def test_quitting_waits_for_every_answer_given_in_order(
    example: Path, no_pause_save: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A slow store: the amount given with Enter is still being stored, and the text typed next
    # still waiting its turn, when Ctrl+Q is pressed. Both are stored, in order, each once.
    # The store is held until Ctrl+Q is pressed (not for a time, which a loaded machine outruns).
    slow = MatterScreen._save
    quit_ = DueDiligenceApp.action_quit
    release = threading.Event()

    def save_slowly(self: MatterScreen, *answer: Any) -> Any:
        release.wait(60)
        return slow(self, *answer)

    async def quit_releasing(self: DueDiligenceApp) -> None:
        release.set()
        await quit_(self)

    monkeypatch.setattr(MatterScreen, "_save", save_slowly)
    monkeypatch.setattr(DueDiligenceApp, "action_quit", quit_releasing)
    app = make_app(example, user="pshah")
    amount = ("solicitor-cdd", "matter.value")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_matter(pilot)
        before = stored(example, amount)
        screen.go_to(amount)
        await pilot.pause()
        assert screen.answer_input is not None
        screen.answer_input.query_one("#amount", Input).value = "612345"
        await pilot.press("enter")
        screen.go_to(TEXT)
        await pilot.pause()
        assert screen.answer_input is not None
        screen.answer_input.query_one("#text", TextArea).load_text(WORDS)
        assert screen._unsaved  # the amount is not stored yet
        await pilot.press("ctrl+q")
    assert stored(example, amount) == [*before, Money(amount=Decimal(612345), currency="GBP")]
    assert stored(example, TEXT) == [WORDS]


async def test_the_same_text_is_saved_once(example: Path, no_pause_save: None) -> None:
    app = make_app(example, user="pshah")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_matter(pilot)
        await type_into(pilot, screen, TEXT, WORDS)
        await pilot.press("tab")  # leaving the field saves it
        await _settle(pilot)
        await pilot.press("ctrl+down", "ctrl+up")
        await _settle(pilot)
        await pilot.press("escape")
        await _settle(pilot)
    assert stored(example, TEXT) == [WORDS]


AMOUNT = ("source-of-wealth@p2", "sow.net_worth")


@pytest.mark.parametrize("leave", ["tab", "ctrl+down", "escape"])
async def test_an_amount_is_saved_on_leaving_the_field(example: Path, leave: str) -> None:
    app = make_app(example, user="pshah")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_matter(pilot)
        await type_into(pilot, screen, AMOUNT, "2,500,000")
        await pilot.press(leave)
        await _settle(pilot)
    assert stored(example, AMOUNT) == [Money(amount=Decimal(2500000), currency="GBP")]


FIELDS = [
    (("solicitor-cdd", "verify.completed_on"), "01/03/2026", date(2026, 3, 1)),
    (
        ("source-of-funds", "sof.review_completed_at"),
        "2026-03-01 10:15",
        datetime(2026, 3, 1, 10, 15, tzinfo=UTC),
    ),
    (("source-of-wealth@p2", "contributor.share#1"), "40", Decimal(40)),
    (("pep-edd@p2", "pep.country"), "France", "FR"),
]


@pytest.mark.parametrize(("position", "typed", "value"), FIELDS)
@pytest.mark.parametrize("leave", ["ctrl+down", "escape"])
async def test_what_is_typed_is_saved_on_leaving_the_question(
    example: Path, position: Position, typed: str, value: AnswerValue, leave: str
) -> None:
    app = make_app(example, user="pshah")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_matter(pilot)
        before = stored(example, position)
        await type_into(pilot, screen, position, typed)
        await pilot.press(leave)
        await _settle(pilot)
    assert stored(example, position) == [*before, value]


@pytest.mark.parametrize(
    ("position", "typed", "error"),
    [
        (("solicitor-cdd", "verify.completed_on"), "31/02/2026", "verify.completed_on"),
        (AMOUNT, "1.2.3", "sow.net_worth"),
        (("pep-edd@p2", "pep.country"), "Fra", "not a country"),
    ],
)
async def test_invalid_input_is_not_saved_and_says_why(
    example: Path, position: Position, typed: str, error: str
) -> None:
    app = make_app(example, user="pshah")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_matter(pilot)
        before = stored(example, position)
        await type_into(pilot, screen, position, typed)
        await pilot.press("ctrl+down")
        await _settle(pilot)
        assert any("Not saved" in n and error in n for n in _notes(app)), _notes(app)
    assert stored(example, position) == before


async def test_coming_back_to_a_changed_matter_keeps_the_cursor_on_the_question(
    example: Path,
) -> None:
    # Questions added while the matter was covered (a checklist started elsewhere): the tree is
    # built again on coming back, and its cursor is put back on the question shown.
    app = make_app(example, user="pshah")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_matter(pilot)
        shown = screen.current
        await pilot.press("f4")
        await _settle(pilot)
        app.casefile.start_checklist(app.actor, EXAMPLE_REFERENCE, "estate-agent-cdd", "client")
        await pilot.press("escape")
        await _settle(pilot)
        assert app.screen is screen and screen.current == shown
        assert "estate-agent-cdd" in {key for key, _ in screen._order}
        tree = screen.query_one("#checklists", Tree)
        assert tree.cursor_node is not None and tree.cursor_node.data == shown


async def test_typing_the_first_answer_back_saves_it_again(
    example: Path, no_pause_save: None
) -> None:
    purpose = ("solicitor-cdd", "matter.purpose")
    [original] = stored(example, purpose)
    assert isinstance(original, str)
    app = make_app(example, user="pshah")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_matter(pilot)
        screen.go_to(purpose)
        await pilot.pause()
        assert screen.answer_input is not None
        area = screen.answer_input.query_one("#text", TextArea)
        area.load_text("Changed my mind")
        screen.answer_input.flush()  # as a pause in typing does
        await _settle(pilot)
        area.load_text(original)  # then back, in the same input
        await pilot.press("ctrl+down")
        await _settle(pilot)
    assert stored(example, purpose) == [original, "Changed my mind", original]


@pytest.mark.parametrize(("typed", "code"), [("UK", "GB"), ("England", "GB"), ("Turkey", "TR")])
async def test_the_country_search_takes_what_people_type(
    example: Path, typed: str, code: str
) -> None:
    position = ("pep-edd@p2", "pep.country")
    app = make_app(example, user="pshah")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_matter(pilot)
        before = stored(example, position)
        await type_into(pilot, screen, position, typed)
        await pilot.press("enter")  # the first match
        await _settle(pilot)
    assert stored(example, position) == [*before, code]


async def test_f7_signs_off_even_from_a_text_box_and_tab_reaches_the_answer(
    example: Path,
) -> None:
    from duediligence.tui.modals.sign_off import SignOff

    app = make_app(example, user="pshah")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_matter(pilot)
        screen.go_to(TEXT, focus=False)
        screen.query_one("#checklists", Tree).focus()
        await pilot.pause()
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is not None and screen.answer_input is not None
        assert app.focused in screen.answer_input.walk_children()
        await type_into(pilot, screen, TEXT, "A")
        assert isinstance(app.focused, TextArea)
        await pilot.press("f7")  # the text box's own F7 would select all
        await _settle(pilot)
        assert isinstance(app.screen, SignOff)
