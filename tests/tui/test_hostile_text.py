"""Names, references and file names are shown exactly as typed on every screen, never read as
markup: "Smith [/b] Ltd" crashed the portfolio (an unmatched closing tag raises in a table cell)
and "[@click=app.quit]" would have been a live action link."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from textual.pilot import Pilot

from duediligence.compose import open_casefile
from duediligence.domain.case import Actor, PartyKind, PartyRole
from duediligence.domain.vocabulary import ClientType, FirmRole
from duediligence.services.casefile import NewCase, NewEvidence, NewParty
from duediligence.tui.app import DueDiligenceApp
from tests.tui.conftest import PEOPLE, FixedClock, make_app, settle

REFERENCE = "R[/b]-1"
CLIENT = "Smith [/b] Ltd [@click=app.quit]x[/]"
FILE_NAME = "[bold]scan.pdf"
ANN = Actor(user="ann", os_user="test")


@pytest.fixture
def hostile(seeded: Path, tmp_path: Path) -> Path:
    with open_casefile(seeded, clock=FixedClock()) as opened:
        cf = opened.casefile
        cf.open_case(
            ANN,
            NewCase(
                reference=REFERENCE,
                firm_role=FirmRole.SOLICITOR,
                matter_type="residential_purchase",
                client_type=ClientType.INDIVIDUAL,
                responsible="ann",
                acting_for="buyer",
            ),
        )
        cf.add_party(
            ANN,
            REFERENCE,
            NewParty(role=PartyRole.CLIENT, kind=PartyKind.INDIVIDUAL, name=CLIENT),
        )
        cf.answer(ANN, REFERENCE, "scope.activity", "real_property")
        cf.answer(ANN, REFERENCE, "screen.pep", "non_domestic_pep")
        source = tmp_path / FILE_NAME
        source.write_bytes(b"%PDF-1.7 scan")
        cf.attach_evidence(ANN, REFERENCE, source, NewEvidence(document_type="passport"))
    return seeded


def screen_text(app: DueDiligenceApp) -> str:
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


async def visit(pilot: Pilot[None], *keys: str, shows: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)
    app = pilot.app
    assert isinstance(app, DueDiligenceApp)
    assert app.is_running, f"the app stopped after {keys}"
    assert shows in screen_text(app), f"{shows!r} not shown as typed after {keys}"


async def test_names_and_references_show_as_typed_everywhere(hostile: Path) -> None:
    app = make_app(hostile, user="mo")  # the MLRO sees every screen
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await visit(pilot, shows=REFERENCE)
        await visit(pilot, "p", shows="Smith [/b] Ltd")
        await visit(pilot, "escape", "a", shows="Approvals queue")
        await visit(pilot, "escape", "m", shows="MLRO area")
        await visit(pilot, "escape", "enter", shows=REFERENCE)
        await visit(pilot, "f4", shows=FILE_NAME)
        await visit(pilot, "escape", "f6", shows=f"Timeline of {REFERENCE}")
        await visit(pilot, "escape", "f11", shows=f"Audit trail of {REFERENCE}")
        await visit(pilot, "escape", "ctrl+s", shows=f"Screening hits on {REFERENCE}")
        app.set_user(PEOPLE[2])  # the senior manager: the PEP matter is in their queue
        await visit(pilot, "escape", "escape", "a", shows="Smith [/b] Ltd")
        app.notify(f"Matter {REFERENCE} opened")
        await pilot.pause()
        assert any(str(n.message) == f"Matter {REFERENCE} opened" for n in app._notifications)
        assert app.is_running
