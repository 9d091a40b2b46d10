"""Retention (MLR reg 40): the clock, legal holds, purge of personal data and evidence at the end
of the period, the deletion log, and `verify` passing afterwards."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from duediligence.domain.case import (
    CaseStatus,
    HoldGround,
    NotAllowed,
    PartyKind,
    PartyRole,
    RestrictedKind,
)
from duediligence.domain.vocabulary import MatterEvent, Role
from duediligence.services.casefile import CaseFile, NewCase, NewEvidence, NewParty
from duediligence.services.verify import verify
from tests.casefile.conftest import ALICE, BOB, MARY, SEAL, Cli, audit_count
from tests.conftest import dump, query

ENDED = datetime(2020, 1, 10, 12, 0, tzinfo=UTC)
"""Relationship ended more than five years before the fixed clock's 2026-03-02."""
NAME = "Zebedee Quartermain"
"""A client's name: personal data that must be gone after the purge."""


def _fill(casefile: CaseFile, reference: str, tmp_path: Path, content: bytes) -> None:
    casefile.add_party(
        ALICE,
        reference,
        NewParty(
            role=PartyRole.CLIENT,
            kind=PartyKind.INDIVIDUAL,
            name=NAME,
            date_of_birth=date(1970, 5, 6),
            addresses=("1 Secret Lane",),
        ),
    )
    casefile.answer(ALICE, reference, "value", "300000 GBP")
    casefile.answer(ALICE, reference, "value", "310000 GBP")
    casefile.answer(ALICE, reference, "pep", "pep")
    scan = tmp_path / f"{reference}-passport-of-{NAME}.pdf"
    scan.write_bytes(content)
    casefile.attach_evidence(
        ALICE, reference, scan, NewEvidence(document_type="passport", party="p1")
    )
    casefile.approve(BOB, reference, Role.SENIOR_MANAGER, conditions=f"watch {NAME}")


def test_the_clock_starts_at_relationship_end_or_completion_once_closed(
    casefile: CaseFile, case_ref: str
) -> None:
    assert casefile.retention() == []
    # The matter's checks are not done here, so completion passes a closed G4: an MLRO exception.
    casefile.record_event(
        MARY,
        case_ref,
        MatterEvent.COMPLETION,
        datetime(2021, 2, 3, tzinfo=UTC),
        exception="Completed in 2021 on the old paper file; recorded here to keep it",
    )
    assert casefile.retention() == []  # still open: a relationship may continue
    casefile.set_status(ALICE, case_ref, CaseStatus.CLOSED)
    (item,) = casefile.retention()
    assert (item.retention_started, item.retention_until, item.due) == (
        date(2021, 2, 3),
        date(2026, 2, 3),
        True,
    )
    casefile.record_event(ALICE, case_ref, MatterEvent.RELATIONSHIP_ENDED, ENDED)
    (item,) = casefile.retention()
    assert item.retention_until == date(2025, 1, 10)
    summary = next(s for s in casefile.summaries() if s.reference == case_ref)
    assert summary.retention_until == date(2025, 1, 10)


def test_nothing_is_deletable_before_its_date(
    casefile: CaseFile, case_ref: str, store_path: Path, tmp_path: Path
) -> None:
    _fill(casefile, case_ref, tmp_path, b"scan-1")
    casefile.record_event(
        ALICE, case_ref, MatterEvent.RELATIONSHIP_ENDED, datetime(2022, 6, 1, tzinfo=UTC)
    )
    before = audit_count(store_path)
    with pytest.raises(NotAllowed, match="kept until 2027-06-01"):
        casefile.purge(MARY, reference=case_ref)
    result = casefile.purge(MARY)
    assert result.deleted == () and result.held == ()
    assert audit_count(store_path) == before
    casefile.open_case(ALICE, _new("M-OPEN"))
    with pytest.raises(NotAllowed, match="retention clock has not started"):
        casefile.purge(MARY, reference="M-OPEN")


def _new(reference: str) -> NewCase:
    from duediligence.domain.vocabulary import ClientType, FirmRole

    return NewCase(
        reference=reference,
        firm_role=FirmRole.SOLICITOR,
        matter_type="residential_purchase",
        client_type=ClientType.INDIVIDUAL,
        responsible="alice",
        acting_for="buyer",
    )


def test_purge_deletes_personal_data_and_files_keeps_a_deletion_record_and_verifies(
    casefile: CaseFile, case_ref: str, store_path: Path, tmp_path: Path
) -> None:
    _fill(casefile, case_ref, tmp_path, b"scan-only-here")
    casefile.add_restricted(
        MARY, case_ref, RestrictedKind.INTERNAL_REPORT, "kept by the MLRO", SEAL
    )
    casefile.record_event(ALICE, case_ref, MatterEvent.RELATIONSHIP_ENDED, ENDED)
    blob = casefile.view(case_ref).records.evidence[0].sha256
    assert casefile.blobs.path_of(blob).exists()
    with pytest.raises(NotAllowed, match="alice cannot delete records"):
        casefile.purge(ALICE)

    result = casefile.purge(MARY)

    ((reference, deletion),) = result.deleted
    assert reference == case_ref
    assert deletion.records == {"evidence": 1, "answer": 3, "approval": 1, "party": 1}
    assert deletion.files == 1
    assert (deletion.retention_started, deletion.retention_until) == (
        date(2020, 1, 10),
        date(2025, 1, 10),
    )
    assert not casefile.blobs.path_of(blob).exists()
    records = casefile.view(case_ref).records
    assert records.case.status is CaseStatus.PURGED
    assert (records.parties, records.answers, records.evidence, records.approvals) == (
        (),
        (),
        (),
        (),
    )
    text = dump(store_path)
    ((purged,),) = query(
        store_path, "SELECT count(*) FROM audit_events WHERE action LIKE '%.purged'"
    )
    for secret in (NAME, "1970-05-06", "Secret Lane", "310000", "passport-of"):
        assert secret not in text
    assert purged == 6
    assert [d.id for d in casefile.deletions()] == [deletion.id]
    report = verify(casefile.store, casefile.blobs)
    assert report.ok, report.problems
    assert verify(casefile.store, casefile.blobs, case_ref).ok
    assert casefile.restricted(MARY, case_ref, SEAL)  # the MLRO store keeps its own retention
    with pytest.raises(NotAllowed, match="was purged"):
        casefile.answer(ALICE, case_ref, "value", "1 GBP")
    assert casefile.purge(MARY).deleted == ()  # nothing left to do


def test_a_file_another_case_still_uses_is_kept(
    casefile: CaseFile, case_ref: str, tmp_path: Path
) -> None:
    _fill(casefile, case_ref, tmp_path, b"shared scan")
    casefile.open_case(ALICE, _new("M-002"))
    _fill(casefile, "M-002", tmp_path, b"shared scan")
    casefile.record_event(ALICE, case_ref, MatterEvent.RELATIONSHIP_ENDED, ENDED)
    ((_, deletion),) = casefile.purge(MARY).deleted
    assert deletion.files == 0
    blob = casefile.view("M-002").records.evidence[0].sha256
    assert casefile.blobs.path_of(blob).exists()
    assert verify(casefile.store, casefile.blobs).ok


def test_a_legal_hold_stops_deletion_until_released(
    casefile: CaseFile, case_ref: str, tmp_path: Path
) -> None:
    _fill(casefile, case_ref, tmp_path, b"scan-held")
    casefile.record_event(ALICE, case_ref, MatterEvent.RELATIONSHIP_ENDED, ENDED)
    with pytest.raises(NotAllowed, match="alice cannot place a legal hold"):
        casefile.hold(ALICE, case_ref, HoldGround.COURT_PROCEEDINGS)
    hold = casefile.hold(BOB, case_ref, HoldGround.COURT_PROCEEDINGS, "Claim HC-2026-000123")
    assert next(s for s in casefile.summaries()).on_hold
    result = casefile.purge(MARY)
    assert result.deleted == () and result.held == (case_ref,)
    (item,) = casefile.retention()
    assert [h.id for h in item.holds] == [hold.id]
    (released,) = casefile.release(BOB, case_ref)
    assert released.released_by == "bob"
    assert [ref for ref, _ in casefile.purge(MARY).deleted] == [case_ref]
    assert verify(casefile.store, casefile.blobs).ok


def test_retention_on_the_command_line(cli: Cli, tmp_path: Path) -> None:
    scan = tmp_path / "id.pdf"
    scan.write_bytes(b"%PDF id")
    assert cli("parties", "add", "M-1", "--role", "client", "--name", NAME).exit_code == 0
    assert cli("evidence", "add", "M-1", str(scan), "--type", "passport").exit_code == 0
    assert cli("retention", "due").output.strip() == "Nothing is due for deletion."
    assert cli("events", "add", "M-1", "relationship_ended", "--at", "2019-05-01T10:00+00:00").exit_code == 0  # fmt: skip
    due = cli.json("retention", "due")
    assert [(d["reference"], d["retention_until"], d["due"]) for d in due] == [
        ("M-1", "2024-05-01", True)
    ]
    held = cli(
        "retention", "hold", "M-1", "--ground", "enactment", "--note", "s.1 X Act", user="bob"
    )
    assert held.exit_code == 0, held.output
    assert "HELD (enactment)" in cli("retention", "due").output
    bad = cli("retention", "hold", "M-1", "--ground", "because", user="bob")
    assert bad.exit_code == 2 and "Traceback" not in bad.output
    assert cli.json("retention", "purge", "--yes", user="bob") == {
        "deleted": [],
        "held": ["M-1"],
        "leftovers_removed": None,
    }
    assert cli("retention", "release", "M-1", user="bob").exit_code == 0
    dry = cli.json("retention", "purge", user="bob")
    assert dry == {"would_delete": ["M-1"]}
    assert cli.json("cases", "show", "M-1")["parties"] != []  # a dry run deletes nothing
    done = cli.json("retention", "purge", "--yes", user="bob")
    assert [d["reference"] for d in done["deleted"]] == ["M-1"]
    assert cli.json("verify")["ok"] is True
    log = cli.json("retention", "log")
    assert len(log) == 1 and NAME not in str(log)
    assert cli.json("cases", "show", "M-1")["parties"] == []
    refused = cli("parties", "add", "M-1", "--role", "client", "--name", "X")
    assert refused.exit_code == 1 and "was purged" in refused.stderr
