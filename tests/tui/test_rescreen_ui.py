"""Re-screening one matter on request from its hits screen, through a real store: the parties are
screened again against the lists in use (in a worker), a new screening is stored, the hits
refresh and the summary says against which lists and what was found; with no list imported it
says so and points to the Lists screen.

The "designation" of Kassym-Jomart Tokayev in these lists is fictitious (see
tests/screening/test_casefile_screening.py).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from duediligence.compose import open_casefile
from duediligence.tui.app import DueDiligenceApp
from duediligence.tui.screens.hits import HitsScreen
from tests.screening.conftest import FIXTURES
from tests.screening.test_casefile_screening import OTHER, tokayev, write_uksl
from tests.tui.conftest import FixedClock, make_app
from tests.tui.conftest import notes as _notes
from tests.tui.conftest import settle as _settle
from tests.tui.test_screening_ui import MO, _matter_with_tokayev, _text


def _screenings(app: DueDiligenceApp) -> list[str]:
    return [s.reason for s in app.casefile.view("M-1").records.screenings]


async def _hits_screen(app: DueDiligenceApp, pilot: Pilot[None]) -> HitsScreen:
    """From the matters list: open the only matter, then its hits (Ctrl+S)."""
    await pilot.press("enter")
    await _settle(pilot)
    await pilot.press("ctrl+s")
    await _settle(pilot)
    screen = app.screen
    assert isinstance(screen, HitsScreen)
    return screen


async def test_rescreen_stores_a_screening_and_shows_the_hits(seeded: Path, tmp_path: Path) -> None:
    _matter_with_tokayev(seeded)
    uksl = write_uksl(tmp_path / "uksl.csv", date(2026, 3, 1), [tokayev(), OTHER])
    with open_casefile(seeded, clock=FixedClock()) as opened:
        service = opened.screening()
        service.import_list(MO, uksl, "uksl-csv")
        service.import_list(MO, FIXTURES / "pep_sample.csv", "pep-csv")
    app = make_app(seeded, user="ann")
    async with app.run_test(size=(140, 44)) as pilot:
        await _settle(pilot)
        screen = await _hits_screen(app, pilot)
        # The client was added before any list: not screened yet, no hits.
        assert _screenings(app) == []
        assert screen.query_one("#hits", DataTable).row_count == 0

        await pilot.press("r")
        await _settle(pilot)
        assert _screenings(app) == ["on request"]
        table = screen.query_one("#hits", DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert sorted(r[1] for r in rows) == ["pep", "sanctions"]
        assert {(r[0], r[5]) for r in rows} == {("Kassym-Jomart Tokayev", "open: to decide")}
        assert not table.loading
        summary = "1 party screened against PEP list"
        [note] = [n for n in _notes(app) if n.startswith(summary)]
        assert "UK SL 2026-03-01" in note and note.endswith("; 2 possible matches to decide")
        assert note in _text(app, "#hits-status")
        assert _text(app, "#hits-notice") == ""

        # Each request is a new screening on file.
        await pilot.press("r")
        await _settle(pilot)
        assert _screenings(app) == ["on request", "on request"]
        assert table.row_count == 2


async def test_rescreen_with_no_list_says_so(seeded: Path) -> None:
    _matter_with_tokayev(seeded)
    app = make_app(seeded, user="ann")
    async with app.run_test(size=(140, 44)) as pilot:
        await _settle(pilot)
        screen = await _hits_screen(app, pilot)
        await pilot.press("r")
        await _settle(pilot)
        notice = _text(app, "#hits-notice")
        assert "No screening list is imported yet, so nothing was screened" in notice
        assert "Lists screen (key l on the matters list)" in notice
        assert any("No screening list is imported" in n for n in _notes(app))
        assert _screenings(app) == []
        assert not screen.query_one("#hits", DataTable).loading
        assert not screen.rescreening


async def test_a_failing_rescreen_shows_an_error_not_a_traceback(
    seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _matter_with_tokayev(seeded)
    uksl = write_uksl(tmp_path / "uksl.csv", date(2026, 3, 1), [tokayev()])
    with open_casefile(seeded, clock=FixedClock()) as opened:
        opened.screening().import_list(MO, uksl, "uksl-csv")
    app = make_app(seeded, user="ann")
    async with app.run_test(size=(140, 44)) as pilot:
        await _settle(pilot)
        screen = await _hits_screen(app, pilot)

        def broken(*_: object) -> None:
            raise OSError("disk I/O error")

        monkeypatch.setattr(type(app.screening), "screen_case", broken)
        await pilot.press("r")
        await _settle(pilot)
        assert app.screen is screen
        assert "disk I/O error" in _text(app, "#hits-notice")
        assert any("The re-screen failed: disk I/O error" in n for n in _notes(app))
        assert not screen.query_one("#hits", DataTable).loading and not screen.rescreening
        assert _screenings(app) == []
