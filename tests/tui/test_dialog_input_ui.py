"""What the dialogs say about bad input, through a real store on tmp_path: a path too long
for the system, a path that looks like markup, an empty path. Nothing crashes; the dialog stays
open with its message."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from textual.widgets import Button, Input, Select, Static

from duediligence.tui.modals.evidence import AttachEvidence
from duediligence.tui.modals.screening import ImportList
from tests.tui.conftest import make_app

LONG = "/tmp/" + "a" * 300


def _error(screen: object, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())  # type: ignore[attr-defined]


async def test_attach_evidence_with_a_path_too_long_says_so(seeded: Path, tmp_path: Path) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = AttachEvidence(None, (), tmp_path)
        app.push_screen(dialog)
        await pilot.pause()
        dialog.query_one("#path", Input).value = LONG
        await pilot.click("#ok")
        await pilot.pause()
        assert app.screen is dialog
        message = _error(dialog, "#evidence-error")
        assert "there is no file at" in message and "too long" in message


async def test_import_list_with_a_path_too_long_says_so(seeded: Path) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = ImportList()
        app.push_screen(dialog)
        await pilot.pause()
        dialog.query_one("#list-path", Input).value = LONG
        await pilot.click("#ok")
        await pilot.pause()
        assert app.screen is dialog
        message = _error(dialog, "#import-error")
        assert "There is no file at" in message and "too long" in message


async def test_import_list_shows_markup_like_paths_as_typed(seeded: Path) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = ImportList()
        app.push_screen(dialog)
        await pilot.pause()
        for typed in ("/tmp/[/i]", "/tmp/[b]x[/b]"):
            dialog.query_one("#list-path", Input).value = typed
            dialog.query_one("#list-path", Input).focus()
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is dialog
            assert _error(dialog, "#import-error") == f"There is no file at {typed}."


async def test_import_list_with_no_path_asks_for_a_file(seeded: Path) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = ImportList()
        app.push_screen(dialog)
        await pilot.pause()
        await pilot.click("#ok")
        await pilot.pause()
        assert app.screen is dialog
        message = _error(dialog, "#import-error")
        assert "Choose a file" in message and "nothing" not in message


async def test_import_list_format_labels_show_their_codes(seeded: Path) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = ImportList()
        app.push_screen(dialog)
        await pilot.pause()
        select: Select[str] = dialog.query_one("#list-format", Select)
        prompts = [
            p.plain if isinstance(p, Text) else str(p)
            for p, _ in select._options  # the options as given
        ]
        assert "UK sanctions list (OFSI/FCDO CSV) [uksl-csv]" in prompts
        assert "[uksl-csv]" in _error(dialog, "#list-format SelectCurrent Static#label")


async def test_a_store_path_too_long_ends_the_app_with_a_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = make_app(Path(LONG))
    said: list[object] = []
    leave = app.exit

    def exit_saying(*args: Any, message: object = None, **kwargs: Any) -> None:
        said.append(message)
        leave(*args, **kwargs)

    monkeypatch.setattr(app, "exit", exit_saying)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
    assert any("cannot be used as a case file: File name too long" in str(m) for m in said)


async def test_attach_evidence_asks_for_the_document_type_instead_of_assuming_one(
    seeded: Path, tmp_path: Path
) -> None:
    # The first type in the list was taken when none was chosen: a text file went in as a passport.
    source = tmp_path / "note.txt"
    source.write_text("a note")
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        chosen: list[Any] = []
        dialog = AttachEvidence(None, ("passport", "utility_bill"), tmp_path)
        app.push_screen(dialog, chosen.append)
        await pilot.pause()
        dialog.query_one("#path", Input).value = str(source)
        dialog.query_one("#ok", Button).press()
        await pilot.pause()
        assert app.screen is dialog and chosen == []
        assert _error(dialog, "#evidence-error") == "choose the document type"
        assert dialog.query_one("#path", Input).value == str(source)
        dialog.query_one("#doc-type", Select).value = "utility_bill"
        await pilot.pause()
        dialog.query_one("#ok", Button).press()
        await pilot.pause()
        assert app.screen is not dialog, _error(dialog, "#evidence-error")
        assert [form.document_type for form in chosen] == ["utility_bill"]


async def test_attach_evidence_takes_a_passports_expiry_in_any_date_form(
    seeded: Path, tmp_path: Path
) -> None:
    # There was no expiry field: a passport's expiry could not be recorded from the TUI.
    source = tmp_path / "passport.pdf"
    source.write_bytes(b"%PDF-1.4 passport")
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        chosen: list[Any] = []
        dialog = AttachEvidence(None, ("passport",), tmp_path)
        app.push_screen(dialog, chosen.append)
        await pilot.pause()
        dialog.query_one("#path", Input).value = str(source)
        dialog.query_one("#doc-expiry", Input).value = "31/02/2031"
        dialog.query_one("#ok", Button).press()
        await pilot.pause()
        assert app.screen is dialog and chosen == []
        assert "expiry date" in _error(dialog, "#evidence-error")
        dialog.query_one("#doc-expiry", Input).value = "28/02/2031"
        dialog.query_one("#ok", Button).press()
        await pilot.pause()
        assert app.screen is not dialog, _error(dialog, "#evidence-error")
        assert [form.expiry for form in chosen] == [date(2031, 2, 28)]
