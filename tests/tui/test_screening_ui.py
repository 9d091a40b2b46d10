"""Screening in the TUI, through a real store on tmp_path: import a list, re-screen the open
matters, see a party's hit with its explanation, a refused and an accepted decision, a malformed
list refused; and a picture of the lists screen on a fixed clock.

The "designation" of Kassym-Jomart Tokayev in these lists is fictitious (see
tests/screening/test_casefile_screening.py).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Button, Checkbox, DataTable, Input, OptionList, Select, Static
from textual.widgets._select import SelectCurrent

from duediligence.compose import open_casefile
from duediligence.domain.case import Actor, PartyKind, PartyRole
from duediligence.domain.screening_records import Outcome, ReasonCode
from duediligence.domain.vocabulary import ClientType, FirmRole
from duediligence.services.casefile import NewCase, NewParty
from duediligence.tui.app import DueDiligenceApp
from duediligence.tui.modals.screening import ImportList
from duediligence.tui.screens.hits import HitsScreen
from duediligence.tui.screens.lists import ListsScreen
from duediligence.tui.screens.matter import MatterScreen
from duediligence.tui.screens.matters import MattersScreen
from tests.screening.conftest import FIXTURES
from tests.screening.test_casefile_screening import OTHER, tokayev, write_uksl
from tests.tui.conftest import PEOPLE, FixedClock, make_app
from tests.tui.conftest import notes as _notes
from tests.tui.conftest import settle as _settle
from tests.tui.test_snapshots import WIDE, Snap, keys

ANN = Actor(user="ann", os_user="test")
MO = Actor(user="mo", os_user="test")
"""The MLRO: imports the lists (a fee earner may not)."""


def _matter_with_tokayev(store_path: Path) -> None:
    """An open matter whose client is Kassym-Jomart Tokayev (added before any list existed)."""
    with open_casefile(store_path, clock=FixedClock()) as opened:
        cf = opened.casefile
        cf.open_case(
            ANN,
            NewCase(
                reference="M-1",
                firm_role=FirmRole.SOLICITOR,
                matter_type="residential_purchase",
                client_type=ClientType.INDIVIDUAL,
                responsible="ann",
                acting_for="buyer",
            ),
        )
        cf.add_party(
            ANN,
            "M-1",
            NewParty(
                role=PartyRole.CLIENT, kind=PartyKind.INDIVIDUAL, name="Kassym-Jomart Tokayev"
            ),
        )


async def _import(pilot: Pilot[None], path: Path, list_format: str = "uksl-csv") -> None:
    await pilot.press("i")
    await pilot.pause()
    screen = pilot.app.screen
    screen.query_one("#list-format", Select).value = list_format
    screen.query_one("#list-path", Input).value = str(path)
    await pilot.press("enter")
    await _settle(pilot)


def _gates(app: DueDiligenceApp) -> str:
    gates = app.screen.query_one("#gates", OptionList)
    return "\n".join(
        str(gates.get_option_at_index(i).prompt) for i in range(gates.option_count)
    ).lower()


def _text(app: DueDiligenceApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_import_rescreen_and_decide_a_sanctions_hit(seeded: Path, tmp_path: Path) -> None:
    _matter_with_tokayev(seeded)
    uksl = write_uksl(tmp_path / "uksl.csv", date(2026, 3, 1), [tokayev(), OTHER])
    app = make_app(seeded, user="ann")
    async with app.run_test(size=(140, 44)) as pilot:
        await _settle(pilot)
        assert isinstance(app.screen, MattersScreen)
        await pilot.press("l")
        await _settle(pilot)
        assert isinstance(app.screen, ListsScreen)
        assert "No list imported yet" in _text(app, "#lists-warning")

        # The fee earner may not change the lists: told so, nothing imported.
        await _import(pilot, uksl)
        assert isinstance(app.screen, ImportList)  # the dialog comes back with the reason
        assert "ann cannot import a screening list" in _text(app, "#import-error")
        await pilot.press("escape")
        await _settle(pilot)
        assert "ann cannot import a screening list" in _text(app, "#lists-error")
        assert app.screening.snapshots() == []

        app.set_user(PEOPLE[2])  # the senior manager imports it
        await _import(pilot, uksl)
        lists = app.screen.query_one("#lists", DataTable)
        assert lists.row_count == 1
        assert str(lists.get_row_at(0)[0]) == "uksl-csv"
        assert "✓ in use" in [str(c) for c in lists.get_row_at(0)]
        assert "Re-screened 1 open matter(s), 1 part(ies): 1 hit(s) to review." in _notes(app)
        assert "1 hit(s) to review" in _text(app, "#rescreen-status")

        # The matter: its hits, with the explanation beside them.
        await pilot.press("escape")
        await _settle(pilot)
        assert isinstance(app.screen, MattersScreen)
        await pilot.press("enter")
        await _settle(pilot)
        assert isinstance(app.screen, MatterScreen)
        assert "possible sanctions match" in _gates(app)
        await pilot.press("ctrl+s")
        await _settle(pilot)
        assert isinstance(app.screen, HitsScreen)
        hits = app.screen.query_one("#hits", DataTable)
        assert hits.row_count == 1
        row = [str(c) for c in hits.get_row_at(0)]
        assert row[0] == "Kassym-Jomart Tokayev" and row[1] == "sanctions"
        assert row[5] == "open: to decide"
        detail = _text(app, "#hit-detail")
        assert "Matched variant" in detail and "Token alignment" in detail
        assert "Qualifiers" in detail

        # A fee earner may not decide a sanctions hit: told so, nothing recorded.
        app.set_user(PEOPLE[0])
        await pilot.press("d")
        await pilot.pause()
        app.screen.query_one("#outcome", Select).value = Outcome.TRUE_MATCH.value
        await pilot.pause()
        app.screen.query_one("#note", Input).value = "Same person as listed"
        await pilot.click("#ok")
        await _settle(pilot)
        assert isinstance(app.screen, HitsScreen)
        assert "only the MLRO may decide a sanctions hit" in _text(app, "#hits-notice")
        assert str(hits.get_row_at(0)[5]) == "open: to decide"

        # The MLRO records a false positive: the hit shows as cleared.
        app.set_user(PEOPLE[3])
        await pilot.press("d")
        await pilot.pause()
        dialog = app.screen
        assert dialog.query_one("#outcome", Select).value is Select.NULL  # the MLRO chooses
        dialog.query_one("#outcome", Select).value = Outcome.FALSE_POSITIVE.value
        await pilot.pause()
        dialog.query_one("#reason", Select).value = ReasonCode.FP_DIFFERENT_DOB.value
        dialog.query_one("#note", Input).value = "Client born 1980, passport seen"
        await pilot.click("#ok")
        await pilot.pause()
        # No date of birth is recorded for the party: refused in the dialog (finding 10).
        assert app.screen is dialog
        assert "has no date of birth recorded" in _text(app, "#decide-error")
        dialog.query_one("#reason", Select).value = ReasonCode.FP_OTHER.value
        await pilot.pause()
        dialog.query_one("#ok", Button).press()
        await pilot.pause()
        # A strong match cleared: warned, and recorded only once ticked.
        assert app.screen is dialog
        assert "strong match" in _text(app, "#decide-warning"), _text(app, "#decide-error")
        dialog.query_one("#confirm-conflict", Checkbox).value = True
        await pilot.pause()
        dialog.query_one("#ok", Button).press()
        await _settle(pilot)
        assert isinstance(app.screen, HitsScreen)
        assert _text(app, "#hits-notice") == ""
        assert str(app.screen.query_one("#hits", DataTable).get_row_at(0)[5]).startswith("cleared")
        assert "Client born 1980" in _text(app, "#hit-detail")
        [view] = app.screening.hits("M-1")
        assert view.disposition is not None and view.disposition.decided_by == "mo"

        # Back on the matter, the evaluation no longer holds funds for a possible match.
        await pilot.press("escape")
        await _settle(pilot)
        assert isinstance(app.screen, MatterScreen)
        assert "possible sanctions match" not in _gates(app)
        assert not app.casefile.view("M-1").evaluation.funds_held


async def test_choosing_a_true_match_offers_only_its_reason(seeded: Path, tmp_path: Path) -> None:
    _matter_with_tokayev(seeded)
    uksl = write_uksl(tmp_path / "uksl.csv", date(2026, 3, 1), [tokayev()])
    app = make_app(seeded, user="mo")
    async with app.run_test(size=(140, 44)) as pilot:
        await _settle(pilot)
        await pilot.press("l")
        await _settle(pilot)
        await _import(pilot, uksl)
        await pilot.press("escape", "enter")
        await _settle(pilot)
        await pilot.press("ctrl+s")
        await _settle(pilot)
        await pilot.press("d")
        await pilot.pause()
        dialog = app.screen
        reason: Select[str] = dialog.query_one("#reason", Select)
        assert reason.prompt == "Choose the outcome first"
        dialog.query_one("#outcome", Select).value = Outcome.FALSE_POSITIVE.value
        await pilot.pause()
        # Once an outcome is chosen the reason list no longer asks for the outcome.
        assert reason.value is Select.NULL and reason.prompt == "Choose the reason"
        assert "Choose the outcome first" not in str(reason.query_one(SelectCurrent).render())
        dialog.query_one("#outcome", Select).value = Outcome.TRUE_MATCH.value
        await pilot.pause()
        assert dialog.query_one("#reason", Select).value == ReasonCode.TP_CONFIRMED_ESCALATE.value
        dialog.query_one("#note", Input).value = "Same date of birth and nationality"
        await pilot.click("#ok")
        await _settle(pilot)
        assert str(app.screen.query_one("#hits", DataTable).get_row_at(0)[5]) == "TRUE MATCH"


async def test_a_malformed_list_shows_its_error_and_imports_nothing(
    seeded: Path, tmp_path: Path
) -> None:
    bad = write_uksl(tmp_path / "bad.csv", date(2026, 3, 1), [OTHER, tokayev(dob="31/02/1953")])
    app = make_app(seeded, user="sam")
    async with app.run_test(size=(140, 44)) as pilot:
        await _settle(pilot)
        await pilot.press("l")
        await _settle(pilot)
        await _import(pilot, bad)
        # The dialog comes back with the file and the error (issue 18: the path was gone).
        dialog = app.screen
        assert isinstance(dialog, ImportList)
        said = _text(app, "#import-error")
        assert "D.O.B" in said and "row" in said and "nothing was imported" in said
        assert dialog.query_one("#list-path", Input).value == str(bad)
        await pilot.press("escape")
        await _settle(pilot)
        error = _text(app, "#lists-error")
        assert "D.O.B" in error and "row" in error and "nothing was imported" in error
        assert app.screen.query_one("#lists", DataTable).row_count == 0
        assert app.screening.snapshots() == []


async def test_a_much_shorter_list_is_imported_with_the_reason_given_in_the_dialog(
    seeded: Path, tmp_path: Path
) -> None:
    # Issue 13, finding 11: the case file refuses a list that drops most of the one in use
    # unless confirmed with a reason; the TUI had no way to give one.
    whole = FIXTURES / "pep_sample.csv"
    lines = whole.read_text(encoding="utf-8").splitlines(keepends=True)
    short = tmp_path / "pep-short.csv"
    short.write_text("".join(lines[:3]), encoding="utf-8")  # one entry of three
    with open_casefile(seeded, clock=FixedClock()) as opened:
        opened.screening().import_list(MO, whole, "pep-csv")
    app = make_app(seeded, user="sam")
    async with app.run_test(size=(140, 44)) as pilot:
        await _settle(pilot)
        await pilot.press("l")
        await _settle(pilot)
        await _import(pilot, short, "pep-csv")
        dialog = app.screen
        assert isinstance(dialog, ImportList)
        assert "fewer than" in _text(app, "#import-error")
        assert dialog.query_one("#list-path", Input).value == str(short)
        assert dialog.query_one("#list-format", Select).value == "pep-csv"
        dialog.query_one(
            "#shrink-reason", Input
        ).value = "The firm's PEP list was cut to the people still in office, as the MLRO decided."
        await pilot.press("enter")
        await _settle(pilot)
        assert not isinstance(app.screen, ImportList)
    with open_casefile(seeded, clock=FixedClock()) as opened:
        snapshots = opened.screening().snapshots()
    reasons = [s.record.shrink_reason for s in snapshots]
    assert len(reasons) == 2 and reasons.count(None) == 1
    assert any(r and r.startswith("The firm's PEP list was cut") for r in reasons)


async def test_a_stale_list_is_announced_at_start_up(seeded: Path, tmp_path: Path) -> None:
    stale = write_uksl(tmp_path / "stale.csv", date(2026, 2, 20), [OTHER])
    with open_casefile(seeded, clock=FixedClock()) as opened:
        opened.screening().import_list(MO, stale, "uksl-csv")
    app = make_app(seeded, user="ann")
    async with app.run_test(size=(140, 44)) as pilot:
        await _settle(pilot)
        assert any("10 days old" in n for n in _notes(app))
        await pilot.press("l")
        await _settle(pilot)
        assert "Warning" in _text(app, "#lists-warning")
        assert "(stale)" in str(app.screen.query_one("#lists", DataTable).get_row_at(0)[3])


def test_lists_screen(snap_compare: Snap, seeded: Path, tmp_path: Path) -> None:
    stale = write_uksl(tmp_path / "stale.csv", date(2026, 2, 20), [OTHER])
    fresh = write_uksl(tmp_path / "fresh.csv", date(2026, 3, 1), [OTHER, tokayev()])
    with open_casefile(seeded, clock=FixedClock()) as opened:
        service = opened.screening()
        service.import_list(MO, stale, "uksl-csv")
        service.import_list(MO, fresh, "uksl-csv")
        service.import_list(MO, FIXTURES / "pep_sample.csv", "pep-csv")
    app = make_app(seeded, user="ann")
    assert snap_compare(app, terminal_size=WIDE, run_before=keys("l"))


def _matter_with_tokayev_born(store_path: Path, born: date) -> None:
    with open_casefile(store_path, clock=FixedClock()) as opened:
        cf = opened.casefile
        cf.open_case(
            ANN,
            NewCase(
                reference="M-1",
                firm_role=FirmRole.SOLICITOR,
                matter_type="residential_purchase",
                client_type=ClientType.INDIVIDUAL,
                responsible="ann",
                acting_for="buyer",
            ),
            parties=[
                NewParty(
                    role=PartyRole.CLIENT,
                    kind=PartyKind.INDIVIDUAL,
                    name="Kassym-Jomart Tokayev",
                    date_of_birth=born,
                )
            ],
        )


async def test_deciding_a_hit_needs_a_choice_a_real_note_and_a_tick_against_the_explanation(
    seeded: Path, tmp_path: Path
) -> None:
    _matter_with_tokayev_born(seeded, date(1953, 5, 17))
    uksl = write_uksl(tmp_path / "uksl.csv", date(2026, 3, 1), [tokayev()])
    app = make_app(seeded, user="mo")
    async with app.run_test(size=(140, 44)) as pilot:
        await _settle(pilot)
        await pilot.press("l")
        await _settle(pilot)
        await _import(pilot, uksl)
        await pilot.press("escape", "enter")
        await _settle(pilot)
        await pilot.press("ctrl+s")
        await _settle(pilot)
        await pilot.press("d")
        await pilot.pause()
        dialog = app.screen
        ok = dialog.query_one("#ok", Button)
        # Nothing chosen for the decider.
        assert dialog.query_one("#outcome", Select).value is Select.NULL
        assert dialog.query_one("#reason", Select).value is Select.NULL
        dialog.query_one("#note", Input).value = "Passport DOB differs from the list"
        ok.press()
        await pilot.pause()
        assert app.screen is dialog
        assert "Choose the outcome" in _text(app, "#decide-error")
        dialog.query_one("#outcome", Select).value = Outcome.FALSE_POSITIVE.value
        await pilot.pause()
        dialog.query_one("#reason", Select).value = ReasonCode.FP_DIFFERENT_DOB.value
        await pilot.pause()
        # A four-character note is not a reason.
        dialog.query_one("#note", Input).value = "nope"
        ok.press()
        await pilot.pause()
        assert app.screen is dialog
        assert "at least 15 characters" in _text(app, "#decide-error")
        # "Different date of birth" where the recorded dates agree: refused in the dialog, the
        # form kept (finding 10); no tick can record it.
        dialog.query_one("#note", Input).value = "Passport DOB differs from the list"
        ok.press()
        await pilot.pause()
        assert app.screen is dialog
        error = _text(app, "#decide-error")
        assert "is not what the record shows: the dates of birth agree" in error
        assert "1953-05-17" in error
        confirm = dialog.query_one("#confirm-conflict", Checkbox)
        assert not confirm.display
        assert dialog.query_one("#note", Input).value == "Passport DOB differs from the list"
        # No nationality is recorded: "different nationality" is refused too.
        dialog.query_one("#reason", Select).value = ReasonCode.FP_DIFFERENT_NATIONALITY.value
        await pilot.pause()
        ok.press()
        await pilot.pause()
        assert app.screen is dialog
        assert "has no nationality recorded" in _text(app, "#decide-error")
        # "Other", said in the note: not contradicted, but the strong match asks for a tick.
        dialog.query_one("#reason", Select).value = ReasonCode.FP_OTHER.value
        await pilot.pause()
        ok.press()
        await pilot.pause()
        assert app.screen is dialog and confirm.display
        assert "strong match" in _text(app, "#decide-warning"), _text(app, "#decide-error")
        [view] = app.screening.hits("M-1")
        assert view.disposition is None  # nothing recorded yet
        confirm.value = True
        await pilot.pause()
        ok.press()
        await _settle(pilot)
        assert isinstance(app.screen, HitsScreen)
        [view] = app.screening.hits("M-1")
        assert view.disposition is not None
        assert view.disposition.reason is ReasonCode.FP_OTHER


def test_hits_screen(snap_compare: Snap, seeded: Path, tmp_path: Path) -> None:
    _matter_with_tokayev(seeded)
    listed = write_uksl(tmp_path / "uksl.csv", date(2026, 3, 1), [OTHER, tokayev()])
    with open_casefile(seeded, clock=FixedClock()) as opened:
        service = opened.screening()
        service.import_list(MO, listed, "uksl-csv")
        service.rescreen_open_cases(ANN)
    app = make_app(seeded, user="mo")
    assert snap_compare(app, terminal_size=WIDE, run_before=keys("enter", "ctrl+s"))
