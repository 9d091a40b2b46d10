"""Keys typed faster than the screen handles them, with Tab between fields, land in the fields
they were meant for (issue 18 "nothing typed lost", issue 20 finding 11).

Tried in tmux (`send-keys 'abc' Tab 'def' Tab '123'` in one call): every key went into the first
field. Keys are queued for the widget focused when they arrive, and Tab only moved the focus once
it had travelled through that widget's queue and back up to the screen's binding, by which time
the keys after it were queued for the old field too. `burst` queues keys the same way."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from duediligence.tui.modals.receipt import AddReceipt
from duediligence.tui.screens.setup import SetupScreen
from tests.tui.conftest import make_app, settle

_NAMED = {
    "\t": ("tab", "\t"),
    "\x1b[Z": ("shift+tab", None),
    "\x7f": ("backspace", None),
    "\x1b[D": ("left", None),
    " ": ("space", " "),
}


def burst(pilot: Pilot[None], *keys: str) -> None:
    """Queue every key at once, as a terminal delivers a fast typist's or a text expander's
    keys: none is handled before the next arrives. `keys` are texts, or one of the keys named
    in `_NAMED` by what a terminal sends for it (Tab, Shift+Tab, Backspace, Left)."""
    app = pilot.app
    for text in keys:
        for character in (text,) if text in _NAMED else text:
            key_name, char = _NAMED.get(character, (character, character))
            key = events.Key(key_name, char)
            key.set_sender(app)
            app.post_message(key)


async def test_fast_keys_with_tab_fill_each_field_of_the_receipt_dialog(seeded: Path) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = AddReceipt()
        app.push_screen(dialog)
        await pilot.pause()
        assert app.focused is dialog.query_one("#receipt-amount", Input)
        burst(pilot, "250000", "\t", "02/01/2026", "\t", "MR J SMITH")
        await settle(pilot)
        values = {
            name: dialog.query_one(f"#receipt-{name}", Input).value
            for name in ("amount", "received_on", "remitter")
        }
        assert values == {"amount": "250000", "received_on": "02/01/2026", "remitter": "MR J SMITH"}
        assert app.focused is dialog.query_one("#receipt-remitter", Input)


async def test_fast_keys_with_shift_tab_give_what_slow_keys_give(seeded: Path) -> None:
    # Back in a field, its text is selected (Textual's Input), so "3" replaces "1" there: the
    # same whether typed slowly or fast.
    results = []
    for fast in (False, True):
        app = make_app(seeded)
        async with app.run_test(size=(120, 40)) as pilot:
            dialog = AddReceipt()
            app.push_screen(dialog)
            await pilot.pause()
            if fast:
                burst(pilot, "1", "\t", "2", "\x1b[Z", "3")
            else:
                await pilot.press("1", "tab", "2", "shift+tab", "3")
            await settle(pilot)
            results.append(
                (
                    dialog.query_one("#receipt-amount", Input).value,
                    dialog.query_one("#receipt-received_on", Input).value,
                )
            )
    assert results[0] == results[1] == ("3", "2")


async def test_fast_keys_with_tab_fill_each_field_of_set_up(store_path: Path) -> None:
    app = make_app(store_path, user=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SetupScreen)
        screen.query_one("#user-id", Input).focus()
        await pilot.pause()
        burst(pilot, "nina", "\t", "Nina Neg", "\t", "\t", "\t", "sol", "\t", "Sol Owner")
        await settle(pilot)
        typed = {
            name: screen.query_one(f"#{name}", Input).value
            for name in ("user-id", "user-name", "approver-id", "approver-name")
        }
        assert typed == {
            "user-id": "nina",
            "user-name": "Nina Neg",
            "approver-id": "sol",
            "approver-name": "Sol Owner",
        }


async def test_fast_editing_keys_act_in_the_order_typed(seeded: Path) -> None:
    # A Backspace or an arrow is a binding, looked up only once the key came back up to the
    # app: the letters typed after it were in the field first ("xy" Backspace "z" gave "xy").
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = AddReceipt()
        app.push_screen(dialog)
        await pilot.pause()
        burst(pilot, "xy", "\x7f", "z", "\x1b[D", "\x1b[D", "q", "\t", "\x7f", "1")
        await settle(pilot)
        assert dialog.query_one("#receipt-amount", Input).value == "qxz"
        assert dialog.query_one("#receipt-received_on", Input).value == "1"


async def test_tab_in_a_text_box_that_indents_stays_in_it(seeded: Path) -> None:
    # The fix moves the focus at once only where Tab would move it: a text box that takes Tab
    # as an indent keeps it, and the keys after it.
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = AddReceipt()
        app.push_screen(dialog)
        await pilot.pause()
        area = TextArea(id="indenting", tab_behavior="indent")
        await dialog.query_one(".dialog").mount(area)
        area.focus()
        await pilot.pause()
        burst(pilot, "a", "\t", "b")
        await settle(pilot)
        assert area.text == "a\tb" or (area.text.startswith("a ") and area.text.endswith("b"))
        assert app.focused is area
