"""A re-screen left pending (a list import killed before its re-screen finished) in the TUI: the
Lists screen warns which open matters wait, and importing the same file again finishes the
re-screen of those matters only and clears the warning."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from duediligence.compose import open_casefile
from tests.screening.test_casefile_screening import OTHER, tokayev, write_uksl
from tests.tui.conftest import FixedClock, make_app
from tests.tui.conftest import notes as _notes
from tests.tui.conftest import settle as _settle
from tests.tui.test_screening_ui import MO, _import, _matter_with_tokayev, _text


async def test_a_pending_rescreen_is_shown_and_finished_by_importing_again(
    seeded: Path, tmp_path: Path
) -> None:
    _matter_with_tokayev(seeded)
    uksl = write_uksl(tmp_path / "uksl.csv", date(2026, 3, 1), [tokayev(), OTHER])
    with open_casefile(seeded, clock=FixedClock()) as opened:
        # What a killed `lists import` leaves: the snapshot committed, no re-screen after it.
        opened.screening().import_list(MO, uksl, "uksl-csv")
    # The MLRO finishes it: only the MLRO or a senior manager imports lists (issue 13).
    app = make_app(seeded, user="mo")
    async with app.run_test(size=(140, 44)) as pilot:
        await _settle(pilot)
        await pilot.press("l")
        await _settle(pilot)
        warning = _text(app, "#lists-warning")
        assert "the re-screen of 1 open matter(s) against the current lists did not finish" in (
            warning
        )
        assert "import the list again (i) to finish it" in warning

        await _import(pilot, uksl)
        assert "Re-screened 1 open matter(s), 1 part(ies): 1 hit(s) to review." in _notes(app)
        assert "did not finish" not in _text(app, "#lists-warning")
        assert app.screening.rescreen_pending() == []
        assert [s.reason for s in app.casefile.view("M-1").records.screenings] == [
            "new list snapshot (resumed)"
        ]
