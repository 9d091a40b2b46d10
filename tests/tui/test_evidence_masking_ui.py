"""The TUI shows an identity document's number masked, as the audit file does: the evidence list
has it in its "Document no." column, and no screen of the matter shows it whole."""

from __future__ import annotations

import html
import re
from pathlib import Path

from textual.widgets import DataTable

from duediligence.compose import open_casefile
from duediligence.domain.masking import mask_number
from duediligence.services.casefile import NewEvidence
from duediligence.tui.app import DueDiligenceApp
from duediligence.tui.screens.evidence import COLUMNS, EvidenceScreen
from tests.tui.conftest import FixedClock, make_app
from tests.tui.conftest import settle as _settle
from tests.tui.test_override_ui import ANN, REFERENCE, pep_matter

NUMBER = "533907654321"


def screen_text(app: DueDiligenceApp) -> str:
    """Everything on screen, as text (the SVG picture with its markup taken out)."""
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


async def test_the_evidence_list_shows_only_the_masked_number(seeded: Path, tmp_path: Path) -> None:
    pep_matter(seeded)
    scan = tmp_path / "passport.pdf"
    scan.write_bytes(b"%PDF-1.4 passport scan")
    with open_casefile(seeded, clock=FixedClock()) as opened:
        opened.casefile.attach_evidence(
            ANN,
            REFERENCE,
            scan,
            NewEvidence(
                document_type="passport",
                question="verify.id_document",
                run="solicitor-cdd",
                document_number=NUMBER,
            ),
        )
    app = make_app(seeded, user="ann")
    async with app.run_test(size=(160, 40)) as pilot:
        await _settle(pilot)
        await pilot.press("enter")
        await _settle(pilot)
        screen = app.screen
        screen.go_to(("solicitor-cdd", "verify.id_document"))  # type: ignore[attr-defined]
        await _settle(pilot)
        assert "passport.pdf" in screen_text(app)
        assert NUMBER not in screen_text(app)

        await pilot.press("f4")
        await _settle(pilot)
        assert isinstance(app.screen, EvidenceScreen)
        table = app.screen.query_one("#evidence", DataTable)
        row = dict(zip(COLUMNS, map(str, table.get_row_at(0)), strict=True))
        assert row["File"] == "passport.pdf"
        assert row["Document no."] == mask_number(NUMBER) == "••••••••4321"
        text = screen_text(app)
        assert "Document no." in text and "••••••••4321" in text
        assert NUMBER not in text and "07654321" not in text

        # Nor in the timeline or the audit trail of the matter.
        for key in ("f6", "f11"):
            await pilot.press("escape")
            await _settle(pilot)
            await pilot.press(key)
            await _settle(pilot)
            assert NUMBER not in screen_text(app)
