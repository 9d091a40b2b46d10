"""Issue 15, item 5: answers that restate something the file records are printed beside the
records, and a conflict or a claim nothing backs is flagged (part 9 and the cover)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmarks.report_example import (
    DAVID,
    PEP_LIST,
    PRIYA,
    _sanctions_list,
    open_store,
)
from duediligence.cli import main
from duediligence.domain.case import PartyKind, PartyRole
from duediligence.domain.claims import ClaimStanding
from duediligence.domain.vocabulary import ClientType, FirmRole
from duediligence.services.casefile import CaseFile, NewCase, NewEvidence, NewParty
from duediligence.services.screening import ScreeningService
from tests.report.conftest import Rendered, render, squash

REF = "CL/2026/0001"


@dataclass
class Claimed:
    rendered: Rendered
    casefile: CaseFile
    store: Path


@pytest.fixture(scope="module")
def claimed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Claimed]:
    """The client is screened when added (2 February). Identity is said to have been completed
    on 3 February, but the proof of address was verified on 5 February; the re-screen is said
    to have been on 4 February, when no screening ran; "not a PEP" is backed by the screening;
    the privacy notice is said to be given with no copy on file."""
    work = tmp_path_factory.mktemp("claims")
    casefile, store, clock = open_store(work / "store.sqlite3", datetime(2026, 2, 1, tzinfo=UTC))
    try:
        screener = casefile.screener
        assert isinstance(screener, ScreeningService)
        (work / "pep.csv").write_text(PEP_LIST, encoding="utf-8")
        screener.import_list(DAVID, work / "pep.csv", "pep-csv")
        screener.import_list(DAVID, _sanctions_list(work), "uksl-csv")
        clock.at("2026-02-02T09:00:00")
        casefile.open_case(
            PRIYA,
            NewCase(
                reference=REF,
                firm_role=FirmRole.SOLICITOR,
                matter_type="residential_purchase",
                client_type=ClientType.INDIVIDUAL,
                responsible="priya",
                acting_for="buyer",
            ),
        )
        casefile.add_party(
            PRIYA,
            REF,
            NewParty(role=PartyRole.CLIENT, kind=PartyKind.INDIVIDUAL, name="Cara Whitlock"),
        )
        casefile.answer(PRIYA, REF, "scope.activity", "real_property")
        clock.at("2026-02-05T16:00:00")
        for name, kind, question, verified in (
            ("passport.pdf", "passport", "verify.id_document", datetime(2026, 2, 2, 9, 30)),
            ("bill.pdf", "utility_bill", "verify.address_evidence", datetime(2026, 2, 5, 15, 0)),
        ):
            path = work / name
            path.write_bytes(b"%PDF-1.4\n% " + name.encode() + b"\n%%EOF\n")
            casefile.attach_evidence(
                PRIYA,
                REF,
                path,
                NewEvidence(
                    document_type=kind,
                    question=question,
                    party="p1",
                    received_at=verified.replace(tzinfo=UTC),
                    verified_at=verified.replace(tzinfo=UTC),
                    method="Original seen in person",
                ),
            )
        casefile.answer(PRIYA, REF, "verify.method", "in_person")
        casefile.answer(PRIYA, REF, "verify.completed_on", "2026-02-03")
        casefile.answer(PRIYA, REF, "screen.pep", "not_pep")
        casefile.answer(PRIYA, REF, "sanctions.rescreen_on", "2026-02-04")
        casefile.answer(PRIYA, REF, "privacy.notice", "yes")
        yield Claimed(render(casefile, REF, work / "claims.pdf"), casefile, work / "store.sqlite3")
    finally:
        store.close()


def _standings(claimed: Claimed) -> dict[str, ClaimStanding]:
    return {c.question_key: c.standing for c in claimed.casefile.view(REF).claims}


def test_the_read_model_sets_each_claim_against_its_records(claimed: Claimed) -> None:
    assert _standings(claimed) == {
        "verify.method": ClaimStanding.BACKED,
        "verify.completed_on": ClaimStanding.CONFLICT,
        "screen.pep": ClaimStanding.BACKED,
        "sanctions.rescreen_on": ClaimStanding.CONFLICT,
        "privacy.notice": ClaimStanding.NO_RECORD,
    }
    view = claimed.casefile.view(REF)
    [completed] = [c for c in view.claims if c.question_key == "verify.completed_on"]
    bill = next(e for e in view.records.evidence if e.document_type == "utility_bill")
    assert completed.records == (bill.target(),)


def test_part_9_prints_each_claim_beside_its_records(claimed: Claimed) -> None:
    text = squash(claimed.rendered.text())
    part = text.split(squash("Answers set against the records"), 1)[1]
    for words in (
        "CONFLICT Date verification was completed verify.completed_on",
        "Answer: 2026-02-03 — v1, Priya Shah (priya), 2026-02-05 16:00 UTC",
        "identity evidence was verified after the day given",
        "Record: Utility bill (E002-bill.pdf), Cara Whitlock (p1): verified 2026-02-05 15:00 UTC",
        "CONFLICT Date all parties were re-screened before completion",
        "no screening on that day; the nearest screenings are beside it",
        "Record: Screening of Cara Whitlock (p1) 2026-02-02 09:00 UTC",
        "NO RECORD Has the client been given the reg 41 privacy notice?",
        "no copy of the privacy notice on file: the answer is the only record",
        "Backed Is the client a PEP",
        "screened against a PEP list: no match",
    ):
        assert squash(words) in part, words
    # Conflicts first, then what nothing backs, then the rest.
    assert (
        part.index(squash("CONFLICT"))
        < part.index(squash("NO RECORD"))
        < part.index(squash("Backed"))
    )


def test_the_cover_counts_conflicts_and_claims_without_a_record(claimed: Claimed) -> None:
    cover = squash(claimed.rendered.reader().pages[0].extract_text())
    assert (
        squash(
            "Answers vs records Of 5 answers that restate a record: 2 CONFLICT with the records, "
            "1 with NO RECORD behind them, 2 backed by a record (part 9)"
        )
        in cover
    )


def test_cases_show_names_the_claims_the_records_do_not_back(claimed: Claimed) -> None:
    store = ["--store", str(claimed.store), "--as", "priya"]
    shown = CliRunner().invoke(main, ["cases", "show", REF, *store], catch_exceptions=False)
    assert shown.exit_code == 0, shown.output
    assert (
        "Answer verify.completed_on against the records: CONFLICT: identity evidence was "
        "verified after the day given" in shown.output
    )
    assert "Answer privacy.notice against the records: NO RECORD" in shown.output
    assert "Answer screen.pep against" not in shown.output  # backed: not a finding


def test_a_rescreen_date_still_to_come_is_planned_until_it_passes(claimed: Claimed) -> None:
    casefile = claimed.casefile
    casefile.answer(PRIYA, REF, "sanctions.rescreen_on", "2026-02-20")
    [claim] = [c for c in casefile.view(REF).claims if c.question_key == "sanctions.rescreen_on"]
    assert claim.standing is ClaimStanding.PLANNED
    assert claim.standing_on(date(2026, 2, 20)) is ClaimStanding.PLANNED
    assert claim.standing_on(date(2026, 2, 21)) is ClaimStanding.NO_RECORD
