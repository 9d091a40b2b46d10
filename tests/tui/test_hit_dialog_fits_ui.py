"""The hit dialog at 120x40 (issue 18): with a long hit summary, the error said after Record
pushed the buttons off the screen. The summary scrolls in its own box; the error row and the
buttons stay inside the dialog, on screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.geometry import Region
from textual.widgets import Button, Static

from duediligence.tui.modals.screening import DecideHit
from tests.tui.conftest import make_app

SUMMARY = "\n".join(
    f"Token {n}: 'TOKAYEV' ~ 'TOKAEV' (transliteration, 0.9{n % 10})" for n in range(40)
)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_the_buttons_and_the_error_stay_on_screen(
    seeded: Path, size: tuple[int, int]
) -> None:
    app = make_app(seeded)
    async with app.run_test(size=size) as pilot:
        dialog = DecideHit(SUMMARY)
        app.push_screen(dialog)
        await pilot.pause()
        dialog.query_one("#ok", Button).press()
        await pilot.pause()
        await pilot.pause()
        error = dialog.query_one("#decide-error", Static)
        assert "Choose the outcome" in str(error.render())
        screen = Region(0, 0, *size)
        box = dialog.query_one(".dialog").region
        for widget in (error, dialog.query_one("#ok", Button), dialog.query_one("#cancel", Button)):
            shown = widget.region
            assert shown.height > 0 and screen.contains_region(shown), (widget, shown)
            assert box.contains_region(shown), (widget, shown, box)
