"""Approval requests: stored with the pending roles and reasons, audit-chained, refused when
nothing is pending, shown on the listing row until answered, checked by `verify`, purged with
the case, and carried over from a store made before they existed."""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from duediligence.adapters.blobs import BlobDirectory
from duediligence.adapters.locations import evidence_dir
from duediligence.adapters.store import SqlStore
from duediligence.domain.case import InvalidInput, NotAllowed
from duediligence.domain.monitoring import CasePolicy, CaseSummary
from duediligence.domain.vocabulary import MatterEvent, Role
from duediligence.services.casefile import CaseFile
from duediligence.services.verify import verify
from tests.casefile.conftest import ALICE, BOB, MARY, Cli, FixedClock, audit_count
from tests.conftest import dump, query

ENDED = datetime(2020, 1, 10, 12, 0, tzinfo=UTC)


def _row(casefile: CaseFile, reference: str) -> CaseSummary:
    (row,) = [s for s in casefile.summaries() if s.reference == reference]
    return row


def test_a_request_stores_the_pending_roles_and_reasons_in_the_chain(
    casefile: CaseFile, case_ref: str, store_path: Path
) -> None:
    casefile.answer(ALICE, case_ref, "pep", "pep")
    state = casefile.view(case_ref).state_sha256
    before = audit_count(store_path)

    request = casefile.request_approvals(ALICE, case_ref, note="  Completion on Friday  ")

    assert request.roles == (Role.SENIOR_MANAGER,)
    assert request.reasons == ("Senior management approval to act for a PEP",)
    assert (request.note, request.requested_by, request.state_sha256) == (
        "Completion on Friday",
        "alice",
        state,
    )
    assert casefile.view(case_ref).records.approval_requests == (request,)
    assert casefile.view(case_ref).state_sha256 == state  # a request changes no approved state
    assert audit_count(store_path) == before + 1
    with casefile.store.transaction() as tx:
        last = list(tx.audit_events())[-1]
    assert (last.action, last.target, last.actor, last.role) == (
        "approval.requested",
        request.target(),
        "alice",
        "fee_earner",
    )
    assert last.payload_sha256 == request.payload_sha256()
    assert verify(casefile.store, casefile.blobs).ok


def test_nothing_pending_is_refused_and_nothing_written(
    casefile: CaseFile, case_ref: str, store_path: Path
) -> None:
    before = audit_count(store_path)
    with pytest.raises(InvalidInput, match="no approval is needed on M-001 now"):
        casefile.request_approvals(ALICE, case_ref)
    casefile.answer(ALICE, case_ref, "pep", "pep")
    casefile.approve(BOB, case_ref, Role.SENIOR_MANAGER)
    before = audit_count(store_path)
    with pytest.raises(InvalidInput, match="no approval is needed"):
        casefile.request_approvals(ALICE, case_ref)
    assert audit_count(store_path) == before


def test_the_listing_row_shows_the_latest_request_until_it_is_decided(
    casefile: CaseFile, case_ref: str
) -> None:
    casefile.answer(ALICE, case_ref, "pep", "pep")
    assert _row(casefile, case_ref).approval_requested_at is None
    first = casefile.request_approvals(ALICE, case_ref)
    row = _row(casefile, case_ref)
    assert (row.approval_requested_by, row.approval_requested_at) == (
        "alice",
        first.requested_at.isoformat(timespec="microseconds"),
    )
    again = casefile.request_approvals(BOB, case_ref, note="reminder")  # a reminder: a new record
    assert len(casefile.view(case_ref).records.approval_requests) == 2
    row = _row(casefile, case_ref)
    assert row.approval_requested_by == "bob"
    assert row.approval_requested_at == again.requested_at.isoformat(timespec="microseconds")
    # A refusal answers the request too: the queue no longer shows it as waiting.
    casefile.approve(BOB, case_ref, Role.SENIOR_MANAGER, decision="refused")
    assert _row(casefile, case_ref).approval_requested_by is None
    casefile.request_approvals(ALICE, case_ref)
    assert _row(casefile, case_ref).approval_requested_by == "alice"
    casefile.approve(BOB, case_ref, Role.SENIOR_MANAGER)
    row = _row(casefile, case_ref)
    assert (row.approval_requested_by, row.approval_requested_at) == (None, None)


def test_a_closed_case_cannot_be_requested(casefile: CaseFile, case_ref: str) -> None:
    from duediligence.domain.case import CaseStatus

    casefile.answer(ALICE, case_ref, "pep", "pep")
    casefile.set_status(ALICE, case_ref, CaseStatus.CLOSED)
    with pytest.raises(NotAllowed, match="is closed"):
        casefile.request_approvals(ALICE, case_ref)


def test_verify_finds_a_request_changed_outside_the_program(
    casefile: CaseFile, case_ref: str
) -> None:
    casefile.answer(ALICE, case_ref, "pep", "pep")
    request = casefile.request_approvals(ALICE, case_ref, note="please")
    query(casefile.store.location, "UPDATE approval_requests SET note = 'approved already'")  # type: ignore[attr-defined]
    report = verify(casefile.store, casefile.blobs, case_ref)
    assert [p.where for p in report.problems] == [
        f"approval_request {request.id} (case {case_ref})"
    ]
    assert "differs from what audit event" in report.problems[0].message


def test_purge_deletes_requests_with_the_case_and_verify_stays_green(
    casefile: CaseFile, case_ref: str
) -> None:
    casefile.answer(ALICE, case_ref, "pep", "pep")
    casefile.request_approvals(ALICE, case_ref, note="for the client Zebedee")
    casefile.record_event(ALICE, case_ref, MatterEvent.RELATIONSHIP_ENDED, ENDED)

    ((_, deletion),) = casefile.purge(MARY).deleted

    assert deletion.records["approval_request"] == 1
    assert casefile.view(case_ref).records.approval_requests == ()
    location = casefile.store.location  # type: ignore[attr-defined]
    assert query(location, "SELECT count(*) FROM approval_requests") == [(0,)]
    assert "Zebedee" not in dump(location)
    assert _row(casefile, case_ref).approval_requested_by is None
    report = verify(casefile.store, casefile.blobs)
    assert report.ok, report.problems


# SQLite only: it downgrades the file with the migrations and reads the table with PRAGMA.
@pytest.mark.parametrize("engine", ["sqlite"])
def test_a_store_from_revision_0004_gets_the_table_and_valid_rows(
    tmp_path: Path, casefile: CaseFile, case_ref: str, store_path: Path
) -> None:
    from alembic import command
    from alembic.config import Config

    from duediligence.adapters.store import MIGRATIONS

    # Answers of that age name no checklist text (revision 0011 added it; the downgrade drops it).
    casefile.library = dataclasses.replace(casefile.library, sources={})
    casefile.answer(ALICE, case_ref, "pep", "pep")
    # Revision 0004 predates computer-account bindings (0006): a downgrade would drop the first
    # user's binding that set-up records, so release it first, as a store of that age had none.
    casefile.bind_os_users(BOB, "mary", ())
    casefile.bind_os_users(BOB, "bob", ())
    expected = _row(casefile, case_ref)
    casefile.store.close()  # type: ignore[attr-defined]
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    old = SqlStore(store_path)
    with old.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0004")
    old.close()
    with sqlite3.connect(store_path) as conn:
        columns = {r[1] for r in conn.execute("PRAGMA table_info(case_summaries)")}
    assert "approval_requested_at" not in columns

    store = SqlStore(store_path)  # migrates to head: old rows read as "no request"
    try:
        # Nobody is bound in a store of that age: a firm there relaxes binding until it binds.
        again = CaseFile(
            store,
            BlobDirectory(evidence_dir(store_path)),
            casefile.library,
            FixedClock(),
            CasePolicy(require_binding=False),
        )
        assert _row(again, case_ref) == expected
        again.request_approvals(ALICE, case_ref)
        assert _row(again, case_ref).approval_requested_by == "alice"
        assert again.refresh_summaries(MARY) == 1
        assert _row(again, case_ref).approval_requested_by == "alice"
        assert verify(store, again.blobs).ok
    finally:
        store.close()


def test_request_approvals_on_the_command_line(cli: Cli) -> None:
    done = cli("request-approvals", "M-1")
    assert done.exit_code == 1 and "no approval is needed on M-1 now" in done.output
    assert cli("answer", "M-1", "pep", "pep").exit_code == 0
    data = cli.json("request-approvals", "M-1", "--note", "client is a PEP")
    assert (data["roles"], data["note"], data["requested_by"]) == (
        ["senior_manager"],
        "client is a PEP",
        "alice",
    )
    text = cli("request-approvals", "M-1").output
    assert "Requested senior_manager approval on M-1" in text
    (listed,) = cli.json("cases", "list")
    assert listed["approval_requested_by"] == "alice"
