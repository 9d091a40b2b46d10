"""Commands: keymap remapping from settings, the palette and role rules, PDF rendering in a child
process with a progress bar, evidence marked verified, bad input shown and nothing stored."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from textual.command import DiscoveryHit
from textual.pilot import Pilot
from textual.widgets import Button, Checkbox, DataTable, Input, Select, Static, TextArea

from duediligence.tui.app import DueDiligenceApp
from duediligence.tui.commands import COMMANDS, CommandsProvider
from duediligence.tui.modals.new_matter import NewMatter
from duediligence.tui.modals.verify_evidence import METHODS, VerifyEvidence
from duediligence.tui.screens.evidence import EvidenceScreen
from duediligence.tui.screens.matter import MatterScreen
from duediligence.tui.screens.matters import MattersScreen
from tests.tui.conftest import make_app, settle


def test_every_command_has_a_unique_id_per_scope_and_help() -> None:
    seen = {(c.scope, c.id) for c in COMMANDS}
    assert len(seen) == len(COMMANDS)
    assert all(c.title and c.help for c in COMMANDS)


async def test_keymap_from_settings_remaps_a_binding(example: Path) -> None:
    app = make_app(example, user="pshah", keymap={"new_matter": "ctrl+o"})
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, NewMatter)


async def test_fee_earner_sees_no_compliance_commands(example: Path) -> None:
    app = make_app(example, user="pshah")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MattersScreen)
        for action in ("approvals_queue", "portfolio", "mlro_area"):
            assert screen.check_action(action, ()) is False
        await pilot.press("m")  # the MLRO key does nothing for a fee earner
        await pilot.pause()
        assert app.screen is screen
        titles = [c.title for c in CommandsProvider(screen)._available()]
        assert "New" in titles and "MLRO" not in titles and "Approvals" not in titles


async def test_mlro_sees_the_restricted_area(example: Path) -> None:
    app = make_app(example, user="alex")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.screen.check_action("mlro_area", ()) is True
        titles = [c.title for c in CommandsProvider(app.screen)._available()]
        assert {"MLRO", "Approvals", "Portfolio"} <= set(titles)


async def test_bad_date_is_shown_and_not_stored(example: Path) -> None:
    app = make_app(example, user="pshah")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MatterScreen) and screen.view is not None
        before = len(screen.view.records.answers)
        screen.go_to(("pep-edd@p2", "pep.next_review_on"))
        await pilot.pause()
        await pilot.press(*"31/02/2026", "enter")
        await settle(pilot)
        assert screen.answer_input is not None
        error = str(screen.answer_input.query_one("#answer-error", Static).render())
        assert "pep.next_review_on" in error
        assert len(screen.view.records.answers) == before
        field = screen.answer_input.query_one("#field", Input)
        field.value = "2027-03-01"
        await pilot.press("enter")
        await settle(pilot)
        assert len(screen.view.records.answers) == before + 1


async def test_evidence_is_marked_verified(example: Path) -> None:
    app = make_app(example, user="pshah")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        assert isinstance(app.screen, EvidenceScreen)
        await pilot.press("down", "v")  # the gift letter, received but not yet verified
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, VerifyEvidence)
        dialog.query_one("#ok", Button).press()  # no method: refused, nothing recorded
        await pilot.pause()
        assert "Say how it was verified" in str(dialog.query_one("#verify-error", Static).render())
        dialog.query_one("#method", Select).value = METHODS[1]
        dialog.query_one("#details", Input).value = "certified by the donor's notary in Vienna"
        dialog.query_one("#ok", Button).press()
        await settle(pilot)
        evidence = app.casefile.view("EX-0001").records.evidence
        assert all(e.verified_at is not None for e in evidence)
        # The example's own evidence is recorded as its fee earner's work, like the gift letter.
        assert {e.verified_by for e in evidence} == {"pshah"}
        gift = next(e for e in evidence if e.method and "Vienna" in e.method)
        assert gift.method == "Certified copy received: certified by the donor's notary in Vienna"
        assert app.screen.query_one("#evidence", DataTable).cursor_row == 1


async def test_pdf_audit_file_renders_in_a_child_process(example: Path) -> None:
    app = make_app(example, user="pshah")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f12")
        await pilot.pause()
        assert app.screen.query("#render-progress")
        await settle(pilot)
        notes = [str(n.message) for n in app._notifications]
        [written] = _renders(example)
        assert written.name.startswith("EX-0001-") and "-audit-file-2026" in written.name
        assert written.read_bytes().startswith(b"%PDF")
        assert any(f"Audit file written: {written}" in n for n in notes), notes
        # Rendered again: a second file; the first is kept as it was.
        first = written.read_bytes()
        await pilot.press("f12")
        await settle(pilot)
        assert len(_renders(example)) == 2
        assert written.read_bytes() == first


async def test_the_child_renders_with_the_firms_templates(example: Path, tmp_path: Path) -> None:
    """The audit file rendered from the TUI is the firm's, as `duediligence render` writes it:
    the child is given the running TUI's templates (it once fell back to the bundled ones)."""
    firm = tmp_path / "firm-templates"
    (firm / "parts").mkdir(parents=True)
    (firm / "parts" / "12_retention.html").write_text(
        "<section><h2>12. Kept</h2><p>Kept by Hartley records desk until "
        "{{ audit.retention.until }}</p></section>"
    )
    app = make_app(example, user="pshah", templates=firm)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f12")
        await settle(pilot)
        [written] = _renders(example)
    text = " ".join((page.extract_text() or "") for page in PdfReader(written).pages)
    assert "Kept by Hartley records desk until" in " ".join(text.split())


def _renders(store: Path) -> list[Path]:
    """The audit files rendered for the store's matters (partial files excluded)."""
    from duediligence.tui.render import renders_dir

    folder = renders_dir(store)
    return sorted(folder.glob("*.pdf")) if folder.is_dir() else []


async def _wait_for_progress(pilot: Pilot[None], reference: str) -> None:
    """Until the child has reported progress (it is then rendering, not still starting)."""
    from textual.widgets import ProgressBar

    app = pilot.app
    assert isinstance(app, DueDiligenceApp)
    for _ in range(600):
        job = app.renders.get(reference)
        if job is not None and job.holder.query_one(ProgressBar).progress > 0:
            return
        await pilot.pause(0.05)
    raise AssertionError("the render child never reported progress")


async def test_a_render_can_be_stopped_and_leaves_no_file(example: Path) -> None:
    app = make_app(example, user="pshah")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f12")
        await _wait_for_progress(pilot, "EX-0001")
        await pilot.press("shift+f12")
        await settle(pilot)
        notes = [str(n.message) for n in app._notifications]
        assert any("stopped; no file was written" in n for n in notes), notes
        assert not app.renders
        assert not app.screen.query("#render-box")
    from duediligence.tui.render import renders_dir

    assert _renders(example) == []
    assert not [p for p in renders_dir(example).glob("*") if p.name.endswith(".partial")]


async def test_leaving_the_matter_does_not_stop_its_render(example: Path) -> None:
    app = make_app(example, user="pshah")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f12")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MattersScreen)
        await settle(pilot)
        notes = [str(n.message) for n in app._notifications]
        assert any("Audit file written" in n for n in notes), notes
    [written] = _renders(example)
    assert written.read_bytes().startswith(b"%PDF")


def test_the_render_child_stops_cleanly_on_sigterm(example: Path) -> None:
    import signal
    import subprocess

    from duediligence.tui.render import command

    output = example.parent / "stopped.pdf"
    child = subprocess.Popen(
        command("EX-0001", example, output, "pshah"),
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert child.stderr is not None
    first = child.stderr.readline()  # the first progress line: it is working
    assert '"progress"' in first, first
    child.send_signal(signal.SIGTERM)
    assert child.wait(timeout=30) == 128 + signal.SIGTERM
    child.stderr.close()
    assert not output.exists()
    assert not output.with_name(".stopped.pdf.partial").exists()


async def test_first_run_with_the_example_then_the_first_user_approves(store_path: Path) -> None:
    from textual.widgets import Button, Select

    from duediligence.domain.vocabulary import Role

    app = make_app(store_path, user=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.query_one("#firm", Input).value = "Hartley & Shaw LLP"
        screen.query_one("#user-id", Input).value = "alex"
        screen.query_one("#user-name", Input).value = "Alex Smith"
        screen.query_one("#trained-on", Input).value = "2026-01-15"
        screen.query_one("#fwra-date", Input).value = "2026-01-05"
        assert screen.query_one("#user-role", Select).value == "mlro+senior_manager"
        screen.query_one("#create-example", Button).press()
        await settle(pilot)
        assert isinstance(app.screen, MattersScreen)
        assert app.me is not None and app.me.id == "alex"
        assert app.rows["EX-0001"].responsible == "pshah"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f8")
        await pilot.pause()
        app.screen.query_one("#approve-incomplete", Checkbox).value = True  # not complete
        # The example's PEP EDD is not done: alex is the MLRO, who may approve with a reason.
        app.screen.query_one(
            "#incomplete-reason", TextArea
        ).text = "Trying the tool: the example's EDD is left for the newcomer to finish"
        app.screen.query_one("#ok", Button).press()
        await settle(pilot)
        approvals = app.casefile.view("EX-0001").records.approvals
        assert [(a.approver, a.role) for a in approvals] == [("alex", Role.SENIOR_MANAGER)]


def test_the_help_screen_has_a_section_for_every_scope_of_the_table() -> None:
    from duediligence.tui.screens.help import SCOPES

    assert {c.scope for c in COMMANDS} <= set(SCOPES)


async def test_the_palette_shows_each_commands_key_as_remapped(example: Path) -> None:
    """The palette names the key it stands in for, so a user learns it (it showed none)."""
    app = make_app(example, user="pshah", keymap={"next_missing": "ctrl+y"})
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        provider = CommandsProvider(app.screen)
        titles = [hit.display async for hit in provider.discover() if isinstance(hit, DiscoveryHit)]
        shown = [str(t) for t in titles]
        assert "Request (Ctrl+R)" in shown, shown
        assert "Missing (Ctrl+Y)" in shown, shown
        found = [str(hit.text) async for hit in provider.search("request")]
        assert any("Ctrl+R" in text for text in found), found


def test_help_names_keys_as_people_read_them() -> None:
    from duediligence.tui.commands import key_text

    keys = ("f1", "question_mark", "ctrl+down", "shift+f12", "n", "ctrl+q")
    assert [key_text(k) for k in keys] == ["F1", "?", "Ctrl+↓", "Shift+F12", "n", "Ctrl+Q"]


async def test_escape_on_a_filled_dialog_asks_before_discarding(example: Path) -> None:
    from duediligence.tui.modals.base import Discard

    app = make_app(example, user="pshah")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("escape")  # nothing typed: closes at once
        await pilot.pause()
        assert isinstance(app.screen, MattersScreen)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"R-77")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, Discard)
        await pilot.press("escape")  # Escape on the question keeps editing
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, NewMatter)
        assert dialog.query_one("#reference", Input).value == "R-77"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, Discard)
        app.screen.query_one("#discard", Button).press()
        await pilot.pause()
        assert isinstance(app.screen, MattersScreen)


async def test_acting_as_a_person_bound_to_another_account_is_refused(example: Path) -> None:
    from duediligence.compose import open_casefile
    from duediligence.domain.case import Actor

    with open_casefile(example) as opened:
        opened.casefile.bind_os_users(Actor(user="alex", os_user="test"), "hgrant", ("hgrant",))
    app = make_app(example, user="pshah")  # the app runs as the account "test"
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        helen = next(p for p in app.casefile.people() if p.id == "hgrant")
        assert app.set_user(helen) is False
        await pilot.pause()
        assert app.me is not None and app.me.id == "pshah"
        notes = [str(n.message) for n in app._notifications]
        assert any("hgrant may act only from the computer account(s) hgrant" in n for n in notes)


async def test_a_firm_with_a_key_signs_the_audit_file_with_the_passphrase_typed(
    example: Path,
) -> None:
    # The TUI used to render unsigned unless the settings named a passphrase file; the firm's
    # key now asks for its passphrase, a wrong one is said before any child starts, and the
    # child gets the right one on its standard input, never on its command line.
    from duediligence.adapters.identity import computer_account
    from duediligence.compose import open_casefile
    from duediligence.domain.case import Actor
    from duediligence.tui.modals.restricted import FirmKeyPassphrase

    with open_casefile(example) as opened:
        alex = Actor(user="alex", os_user="test")
        opened.casefile.proof.init_keys(alex, "firm key phrase")
        # A signed render is recorded as the person's: the child runs from this machine's real
        # account, which the fee earner must be bound to, as at a firm.
        opened.casefile.bind_os_users(alex, "pshah", ("test", computer_account()))
    app = make_app(example, user="pshah")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, FirmKeyPassphrase)
        app.screen.query_one("#passphrase", Input).value = "not the phrase"
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, FirmKeyPassphrase)
        notes = " ".join(str(n.message) for n in app._notifications)
        assert "does not unlock the firm's key" in notes
        assert _renders(example) == []
        await pilot.press("f12")
        await pilot.pause()
        app.screen.query_one("#passphrase", Input).value = "firm key phrase"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query("#render-progress")
        await settle(pilot)
        [written] = _renders(example)
    data = written.read_bytes()
    assert b"/ByteRange" in data and b"/ETSI.CAdES.detached" in data  # signed, PAdES
    assert b"firm key phrase" not in data
