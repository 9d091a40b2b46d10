"""Issue 15, item 4: claimed and entered times, read back from the rendered PDF.

Every check typed in after the relationship began, with a time claimed before it, must not read
"all verifications before the relationship began" without saying when it was entered; a claim
well before its entry is flagged as back-dated, on the cover too.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmarks.report_example import PRIYA, open_store
from duediligence.cli import main
from duediligence.domain.case import PartyKind, PartyRole
from duediligence.domain.timing import BACKDATING_TOLERANCE_DAYS, ClaimedTime
from duediligence.domain.vocabulary import ClientType, FirmRole, MatterEvent
from duediligence.services.casefile import CaseFile, NewCase, NewEvidence, NewParty
from tests.report.conftest import Rendered, render, squash

LATE = "BD/2026/0001"


@dataclass
class Typed:
    rendered: Rendered
    casefile: CaseFile
    store: Path


def _pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def typed_late(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Typed]:
    """A matter whose relationship began on 2 February; the passport is said to have been
    verified on 1 February, and the completion date answered as 1 February, but both were typed
    in on 20 February. The proof of address was verified and entered the same day (no flag)."""
    work = tmp_path_factory.mktemp("typed-late")
    casefile, store, clock = open_store(work / "store.sqlite3", datetime(2026, 1, 30, tzinfo=UTC))
    try:
        clock.at("2026-02-02T09:00:00")
        casefile.open_case(
            PRIYA,
            NewCase(
                reference=LATE,
                firm_role=FirmRole.SOLICITOR,
                matter_type="residential_purchase",
                client_type=ClientType.INDIVIDUAL,
                responsible="priya",
                acting_for="buyer",
            ),
        )
        casefile.add_party(
            PRIYA,
            LATE,
            NewParty(role=PartyRole.CLIENT, kind=PartyKind.INDIVIDUAL, name="Bea Client"),
        )
        clock.at("2026-02-02T10:00:00")
        casefile.record_event(PRIYA, LATE, MatterEvent.RELATIONSHIP_ESTABLISHED)
        clock.at("2026-02-20T15:00:00")
        scan = work / "passport.pdf"
        scan.write_bytes(_pdf_bytes())
        casefile.attach_evidence(
            PRIYA,
            LATE,
            scan,
            NewEvidence(
                document_type="passport",
                question="verify.id_document",
                party="p1",
                received_at=datetime(2026, 2, 1, 9, 0, tzinfo=UTC),
                verified_at=datetime(2026, 2, 1, 9, 30, tzinfo=UTC),
                method="in_person",
            ),
        )
        casefile.answer(PRIYA, LATE, "verify.completed_on", "2026-02-01")
        bill = work / "bill.pdf"
        bill.write_bytes(_pdf_bytes() + b"% bill\n")
        casefile.attach_evidence(
            PRIYA,
            LATE,
            bill,
            NewEvidence(
                document_type="utility_bill",
                question="verify.address_evidence",
                party="p1",
                received_at=datetime(2026, 2, 20, 15, 0, tzinfo=UTC),
                verified_at=datetime(2026, 2, 20, 15, 0, tzinfo=UTC),
                method="in_person",
            ),
        )
        yield Typed(render(casefile, LATE, work / "late.pdf"), casefile, work / "store.sqlite3")
    finally:
        store.close()


def _part(rendered: Rendered, title: str) -> str:
    """The pages of one part (each page's footer names its part), squashed."""
    pages = [squash(page.extract_text()) for page in rendered.reader().pages]
    return "".join(p for p in pages if squash(f"{title}Page") in p)


def test_the_read_model_judges_claimed_and_entered_times(typed_late: Typed) -> None:
    timing = typed_late.casefile.view(LATE).timing
    passport = next(
        v for v in timing.verifications if v.evidence and v.evidence.document_type == "passport"
    )
    assert not passport.late  # as claimed, before the relationship began ...
    assert passport.entered_late  # ... but typed in 18 days after it
    assert passport.entered_late_days == 18
    assert passport.backdated
    bill = next(
        v for v in timing.verifications if v.evidence and v.evidence.document_type == "utility_bill"
    )
    assert bill.late and not bill.entered_late and not bill.backdated
    assert timing.entered_late_count == 2  # the passport and the answered completion date
    backdated = {c.what for c in timing.backdated}
    assert backdated == {
        "passport (passport.pdf) verified",
        "passport (passport.pdf) received",
        "answer verify.completed_on",
    }


def test_part_4_prints_both_times_and_flags_the_backdating(typed_late: Typed) -> None:
    text = squash(typed_late.rendered.text())
    part4 = _part(typed_late.rendered, "4. Timing of verification (MLR reg 30)")
    # Which times the judgement used is said, and the entry is never hidden behind the claim.
    assert squash("Timing is judged on the times claimed") in part4
    assert squash("All verifications claimed and entered before") not in text
    assert squash("2 of them entered after it") in part4
    assert squash("entered 2026-02-20 15:00") in part4
    assert squash("ENTERED AFTER THE RELATIONSHIP BEGAN (18 days): on time only as claimed") in (
        part4
    )
    assert squash("BACK-DATED: entered 19 days after the time claimed") in part4
    assert squash(f"more than {BACKDATING_TOLERANCE_DAYS} days before it was entered") in part4
    # The start itself was entered when it happened: no "entered" beside it.
    assert squash("(relationship established)") in part4
    # The answered completion date is flagged where the answer is printed (part 3).
    part3 = _part(typed_late.rendered, "3. Identification and verification")
    assert (
        squash(
            f"BACK-DATED: claimed 19 days before it was entered (2026-02-20 15:00 UTC; more than "
            f"{BACKDATING_TOLERANCE_DAYS} days)"
        )
        in part3
    )
    assert squash("entered 2026-02-20 15:00 UTC") in part3


def test_the_cover_counts_backdated_and_late_entered_checks(typed_late: Typed) -> None:
    cover = squash(typed_late.rendered.reader().pages[0].extract_text())
    exceptions = cover.split(squash("Exceptions"), 1)[1]
    assert (
        squash("2 verifications claimed before the relationship began but entered after it")
        in exceptions
    )
    assert squash("3 times claimed more than 3 days before they were entered: back-dated") in (
        exceptions
    )


def test_a_check_entered_when_it_was_done_prints_one_time() -> None:
    entered = datetime(2026, 2, 20, 15, 0, 30, tzinfo=UTC)
    same = ClaimedTime("x", "t", datetime(2026, 2, 20, 15, 0, tzinfo=UTC), entered)
    assert not same.differs and not same.backdated


@pytest.mark.parametrize(
    ("claimed", "backdated"),
    [
        (date(2026, 2, 17), False),  # three days: a Friday's check typed in on the Monday
        (date(2026, 2, 16), True),
        (datetime(2026, 2, 17, 0, 0, tzinfo=UTC), False),  # calendar days: 3, not 87 hours
        (datetime(2026, 2, 16, 23, 59, tzinfo=UTC), True),
        (date(2026, 2, 21), False),  # a date after the entry is not back-dated
    ],
)
def test_backdating_tolerance(claimed: date | datetime, backdated: bool) -> None:
    claim = ClaimedTime("x", "t", claimed, datetime(2026, 2, 20, 15, 0, tzinfo=UTC))
    assert claim.backdated is backdated
    assert claim.differs


def test_cases_show_says_it_too(typed_late: Typed) -> None:
    store = ["--store", str(typed_late.store), "--as", "priya"]
    shown = CliRunner().invoke(main, ["cases", "show", LATE, *store], catch_exceptions=False)
    assert shown.exit_code == 0, shown.output
    assert (
        "Timing: 2 verification(s) claimed before the relationship began but entered after it"
        in shown.output
    )
    assert (
        "Back-dated: passport (passport.pdf) verified, claimed 2026-02-01, entered 2026-02-20 15:00"
        in shown.output
    )
    data = CliRunner().invoke(
        main, ["cases", "show", LATE, "--json", *store], catch_exceptions=False
    )
    timing = json.loads(data.stdout)["timing"]
    assert timing["entered_late"] == 2
    assert timing["judged_on"].startswith("judged on the times claimed")
    assert len(timing["backdated"]) == 3
