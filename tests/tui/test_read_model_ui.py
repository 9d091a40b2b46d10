"""One truth about a matter: what the TUI shows agrees with the CLI and the audit file, because
all three format the read model's facts (`services/reading.py`). Real store on tmp_path, the real
app through Pilot, the real CLI, the audit file's view model built from the same store.

The "designation" of Kassym-Jomart Tokayev in these lists is fictitious (see
tests/screening/test_casefile_screening.py).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from click.testing import CliRunner
from textual.widgets import DataTable, Static

from duediligence.cli import main
from duediligence.compose import open_casefile
from duediligence.domain.case import Actor
from duediligence.domain.vocabulary import ClientType, FirmRole, MatterEvent
from duediligence.report.view import build, gather
from duediligence.services.casefile import NewCase, NewEvidence
from duediligence.tui.screens.desk import Portfolio
from duediligence.tui.screens.evidence import TimelineScreen
from duediligence.tui.screens.matters import MattersScreen
from duediligence.tui.summaries import COLUMNS
from tests.screening.test_casefile_screening import OTHER, tokayev, write_uksl
from tests.tui.conftest import FixedClock, make_app, settle
from tests.tui.test_screening_ui import ANN, MO, _matter_with_tokayev

SAM = Actor(user="sam", os_user="test")


def _cells(table: DataTable[object]) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_a_screening_hit_shows_in_the_matters_list_and_the_sanctions_filter(
    seeded: Path, tmp_path: Path
) -> None:
    # The client was added before any list; the import re-screens and finds the hit. No
    # checklist answer says anything about sanctions.
    _matter_with_tokayev(seeded)
    uksl = write_uksl(tmp_path / "uksl.csv", date(2026, 3, 1), [tokayev(), OTHER])
    with open_casefile(seeded, clock=FixedClock()) as opened:
        service = opened.screening()
        service.import_list(MO, uksl, "uksl-csv")
        assert service.rescreen_open_cases(MO).open_hits == 1
        view = opened.casefile.view("M-1")
        assert not any("sanction" in a.question_key for a in view.records.answers)
        assert view.sanctions

    listed = CliRunner().invoke(
        main, ["cases", "list", "--json", "--store", str(seeded), "--as", "sam"]
    )
    assert listed.exit_code == 0, listed.output
    assert [(c["reference"], c["sanctions"]) for c in json.loads(listed.stdout)] == [("M-1", True)]

    app = make_app(seeded, user="sam")
    async with app.run_test(size=(160, 44)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MattersScreen)
        assert app.rows_complete
        [row] = _cells(app.screen.query_one("#matters", DataTable))
        assert row[0] == "M-1" and row[COLUMNS.index("Hit")] == "HIT"

        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, Portfolio)
        while app.screen.filter_name != "sanctions":
            app.screen.action_cycle_filter()
        counts = str(app.screen.query_one("#desk-counts", Static).render())
        assert "Possible sanctions matches: 1" in counts
        [shown] = _cells(app.screen.query_one("#desk", DataTable))
        assert shown[0] == "M-1" and shown[4] == "HIT"


def _timed_matter(store_path: Path, tmp_path: Path) -> None:
    """Instructed 1 Feb, relationship established 10 Feb, passport verified 5 Feb."""
    scan = tmp_path / "passport.pdf"
    scan.write_bytes(b"%PDF-1.4 passport scan")
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
        cf.record_event(ANN, "M-1", MatterEvent.INSTRUCTED, datetime(2026, 2, 1, 10, tzinfo=UTC))
        cf.record_event(
            ANN,
            "M-1",
            MatterEvent.RELATIONSHIP_ESTABLISHED,
            datetime(2026, 2, 10, 10, tzinfo=UTC),
        )
        cf.attach_evidence(
            ANN,
            "M-1",
            scan,
            NewEvidence(
                document_type="passport",
                received_at=datetime(2026, 2, 4, 9, tzinfo=UTC),
                verified_at=datetime(2026, 2, 5, 11, tzinfo=UTC),
                method="original seen",
            ),
        )


async def test_reg_30_timing_is_the_same_in_the_timeline_and_the_audit_file(
    seeded: Path, tmp_path: Path
) -> None:
    # Verified after instruction but before the relationship was established: on time (MLR
    # reg 30(2): verification before the business relationship is established).
    _timed_matter(seeded, tmp_path)
    with open_casefile(seeded, clock=FixedClock()) as opened:
        timing = opened.casefile.view("M-1").timing
        audit = build(gather(opened.casefile, "M-1", generated_by="sam"))
    assert timing.start.at == datetime(2026, 2, 10, 10, tzinfo=UTC)
    assert [v.late for v in timing.verifications] == [False]
    assert (audit.timing.late_count, audit.timing.unjustified_count) == (0, 0)
    assert audit.timing.relationship_start == "2026-02-10 10:00 UTC"
    [verified] = [r for r in audit.timing.rows if r.kind == "verification"]
    assert verified.status == "before the relationship began" and not verified.late

    app = make_app(seeded, user="ann")
    async with app.run_test(size=(160, 44)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)
        summary = str(app.screen.query_one("#timing", Static).render())
        assert "Relationship began 2026-02-10 10:00" in summary
        assert "0 verification(s) after it" in summary
        rows = _cells(app.screen.query_one("#timeline", DataTable))
        [verified_row] = [r for r in rows if r[1] == "Evidence verified"]
        assert verified_row[3] == "before the relationship began"
