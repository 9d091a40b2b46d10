"""An approval binds the due-diligence record it relied on, not the matter's progress: it survives
exchange, completion, a render, a re-request and another approval, and is superseded by a
changed answer, a new party or new evidence, naming what changed, by whom and when. Approvals
given before the relied-on hash existed are judged by the audit sequence. Real SQLite on
tmp_path; the PDF rendered and read back with pypdf."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from duediligence.adapters.blobs import BlobDirectory
from duediligence.adapters.store import SqlStore
from duediligence.domain.case import PartyKind, PartyRole
from duediligence.domain.vocabulary import MatterEvent, Role
from duediligence.report.render import make_audit_file
from duediligence.services.casefile import CaseFile, NewEvidence, NewParty
from duediligence.services.verify import verify
from tests.casefile.conftest import ALICE, BOB, MARY
from tests.conftest import query

HELD = "Completion money already in the client account; held pending the missing items"


def _pdf_text(path: Path) -> str:
    return " ".join((page.extract_text() or "") for page in PdfReader(path).pages).replace(
        "\n", " "
    )


def test_an_approval_survives_progress_and_is_superseded_by_a_changed_answer(
    casefile: CaseFile, case_ref: str, tmp_path: Path, store: SqlStore, blobs: BlobDirectory
) -> None:
    casefile.answer(ALICE, case_ref, "pep", "pep")
    approval = casefile.approve(BOB, case_ref, Role.SENIOR_MANAGER)
    assert approval.relied_on_sha256 == casefile.view(case_ref).relied_on_sha256

    # Progress: exchange, completion, a render. None of it is the due-diligence record.
    # The test matter is not complete, so its gates are closed: the MLRO records the progress
    # as exceptions (issue 13); what matters here is that progress supersedes nothing.
    casefile.record_event(
        MARY,
        case_ref,
        MatterEvent.EXCHANGE,
        datetime(2026, 2, 20, 12, tzinfo=UTC),
        exception=HELD,
    )
    casefile.record_event(
        MARY,
        case_ref,
        MatterEvent.COMPLETION,
        datetime(2026, 2, 27, 12, tzinfo=UTC),
        exception=HELD,
    )
    rendered = tmp_path / "before.pdf"
    make_audit_file(casefile, case_ref, rendered, generated_by="bob")
    view = casefile.view(case_ref)
    assert view.superseded == frozenset() and view.changes == {}
    assert [n.satisfied for n in view.evaluation.approvals] == [True]
    assert view.state_sha256 != approval.state_sha256  # the whole case did change
    text = _pdf_text(rendered)
    assert "SUPERSEDED" not in text and "OUTSTANDING" not in text

    # A changed answer supersedes it, and the file names the answer, who and when.
    changed = casefile.answer(ALICE, case_ref, "value", "3000000 GBP")
    view = casefile.view(case_ref)
    assert view.superseded == {approval.id}
    [change] = view.changes[approval.id]
    assert (change.what, change.by, change.at) == ("answer value", "alice", changed.answered_at)
    assert [n.satisfied for n in view.evaluation.approvals] == [False]
    after = tmp_path / "after.pdf"
    make_audit_file(casefile, case_ref, after, generated_by="bob")
    text = _pdf_text(after)
    assert "SUPERSEDED: changed since it was given: answer value — Alice Fee (alice)" in text
    assert verify(store, blobs).ok


def test_new_parties_and_evidence_supersede_and_are_named(
    casefile: CaseFile, case_ref: str, tmp_path: Path
) -> None:
    casefile.answer(ALICE, case_ref, "pep", "pep")
    approval = casefile.approve(BOB, case_ref, Role.SENIOR_MANAGER)
    casefile.add_party(
        ALICE,
        case_ref,
        NewParty(role=PartyRole.PAYER, kind=PartyKind.INDIVIDUAL, name="Pat Payer"),
    )
    scan = tmp_path / "id.pdf"
    scan.write_bytes(b"%PDF-1.4 id")
    casefile.attach_evidence(
        ALICE, case_ref, scan, NewEvidence(document_type="passport", question="id_document")
    )
    changes = [c.what for c in casefile.view(case_ref).changes[approval.id]]
    assert changes[0] == "party p1 (Pat Payer) added"
    assert "evidence passport 'id.pdf' added" in changes
    assert "answer id_document" in changes


def test_an_approval_from_before_the_hash_is_judged_by_what_came_after_it(
    casefile: CaseFile, case_ref: str, store: SqlStore
) -> None:
    casefile.answer(ALICE, case_ref, "pep", "pep")
    approval = casefile.approve(BOB, case_ref, Role.SENIOR_MANAGER)
    # As a store migrated from revision 0006 holds it: no relied-on hash.
    query(store.location, "UPDATE approvals SET relied_on_sha256 = NULL")
    casefile.record_event(MARY, case_ref, MatterEvent.COMPLETION, exception=HELD)
    assert casefile.view(case_ref).superseded == frozenset()
    casefile.answer(ALICE, case_ref, "value", "3000000 GBP")
    view = casefile.view(case_ref)
    assert view.superseded == {approval.id}
    assert [c.what for c in view.changes[approval.id]] == ["answer value"]


# SQLite only: it downgrades the file with the migrations and reads the table with PRAGMA.
@pytest.mark.parametrize("engine", ["sqlite"])
def test_a_store_from_revision_0006_gets_whole_listing_rows(
    casefile: CaseFile, case_ref: str, store_path: Path
) -> None:
    from alembic import command
    from alembic.config import Config

    from duediligence.adapters.checklists_toml import load_library
    from duediligence.adapters.locations import evidence_dir
    from duediligence.adapters.store import MIGRATIONS
    from tests.casefile.conftest import CHECKLISTS, FixedClock

    casefile.add_party(
        ALICE,
        case_ref,
        NewParty(role=PartyRole.CLIENT, kind=PartyKind.INDIVIDUAL, name="Ada Client"),
    )
    casefile.answer(ALICE, case_ref, "pep", "pep")
    expected = casefile.summary(case_ref)
    assert expected is not None and expected.client == "Ada Client"
    assert [r for r, _ in expected.approvals_pending] == ["senior_manager"]
    casefile.store.close()  # type: ignore[attr-defined]
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    old = SqlStore(store_path)
    with old.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0006")
    old.close()
    with sqlite3.connect(store_path) as conn:
        columns = {r[1] for r in conn.execute("PRAGMA table_info(case_summaries)")}
    assert "client" not in columns and "approvals_pending" not in columns

    store = SqlStore(store_path)  # migrates to head: the rows are rebuilt on the next listing
    try:
        with sqlite3.connect(store_path) as conn:
            assert conn.execute("SELECT count(*) FROM case_summaries").fetchone() == (0,)
        again = CaseFile(
            store, BlobDirectory(evidence_dir(store_path)), load_library([CHECKLISTS]), FixedClock()
        )
        assert again.summaries() == [expected]
    finally:
        store.close()
