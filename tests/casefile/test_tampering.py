"""Tampering outside the program, in the database itself (the SQLite file, or the PostgreSQL
database as its owner) and by editing files: `verify` names each change exactly (which event,
which record, which file, which approval)."""

from __future__ import annotations

from pathlib import Path

import pytest

from duediligence.adapters.blobs import BlobDirectory
from duediligence.adapters.store import SqlStore
from duediligence.domain.vocabulary import Role
from duediligence.services.casefile import CaseFile, NewEvidence
from duediligence.services.verify import Problem, verify
from tests.casefile.conftest import ALICE, BOB
from tests.conftest import query


def sql(store: SqlStore, statement: str) -> str:
    rows = query(store.location, statement)
    return str(rows[0][0]) if rows else ""


def problems(store: SqlStore, blobs: BlobDirectory, reference: str | None = None) -> list[Problem]:
    return verify(store, blobs, reference).problems


@pytest.fixture
def filled(casefile: CaseFile, case_ref: str, tmp_path: Path) -> CaseFile:
    casefile.answer(ALICE, case_ref, "pep", "no")
    casefile.answer(ALICE, case_ref, "value", "250000 GBP")
    source = tmp_path / "passport.pdf"
    source.write_bytes(b"%PDF passport of the client")
    casefile.attach_evidence(ALICE, case_ref, source, NewEvidence(document_type="passport"))
    casefile.approve(BOB, case_ref, Role.SUPERVISOR)
    return casefile


def test_untouched_store_verifies(filled: CaseFile, store: SqlStore, blobs: BlobDirectory) -> None:
    assert problems(store, blobs) == []


def test_verify_reports_progress_by_stage_up_to_done(
    filled: CaseFile, store: SqlStore, blobs: BlobDirectory
) -> None:
    seen: list[tuple[float, str]] = []
    report = verify(store, blobs, progress=lambda fraction, stage: seen.append((fraction, stage)))
    assert report.ok and report.files >= 1
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions), "progress never goes backwards"
    assert fractions[0] == 0.0 and seen[-1] == (1.0, "done")
    stages = [stage for _, stage in seen]
    assert stages.index("checking events") < stages.index("checking files")
    assert stages.index("checking files") < stages.index("checking approvals")


def test_changed_answer_row_is_named(
    filled: CaseFile, store: SqlStore, blobs: BlobDirectory, case_ref: str
) -> None:
    answer_id = sql(store, "SELECT id FROM answers WHERE question_key = 'pep'")
    sql(
        store,
        """UPDATE answers SET value = '{"t":"str","v":"pep"}' WHERE question_key = 'pep'""",
    )
    found = problems(store, blobs)
    records = [p for p in found if p.kind == "record"]
    assert len(records) == 1
    assert records[0].where == f"answer {answer_id} (case {case_ref}, question pep, version 1)"
    assert "differs from what audit event #" in records[0].message
    # The approval covered that answer, so its bound state no longer matches either.
    assert [p.kind for p in found] == ["record", "approval"]
    assert "supervisor by bob on M-001" in found[1].message


def test_flipped_byte_in_a_blob_is_named(
    filled: CaseFile, store: SqlStore, blobs: BlobDirectory
) -> None:
    sha = sql(store, "SELECT sha256 FROM evidence")
    path = blobs.path_of(sha)
    data = bytearray(path.read_bytes())
    data[3] ^= 0x01
    path.write_bytes(bytes(data))
    (problem,) = problems(store, blobs)
    assert problem.kind == "file" and problem.where == f"file {sha}"
    assert "'passport.pdf') has been altered" in problem.message


def test_missing_blob_is_named(filled: CaseFile, store: SqlStore, blobs: BlobDirectory) -> None:
    sha = sql(store, "SELECT sha256 FROM evidence")
    blobs.path_of(sha).unlink()
    (problem,) = problems(store, blobs)
    assert problem.where == f"file {sha}" and problem.message.endswith("is missing")


def test_deleted_event_is_named(filled: CaseFile, store: SqlStore, blobs: BlobDirectory) -> None:
    sql(store, "DELETE FROM audit_events WHERE seq = 7")
    found = problems(store, blobs)
    assert found[0] == Problem("event", "event #8", "event #7 is missing before it (deleted)")
    assert all(p.kind != "event" for p in found[1:])


def test_reordered_events_are_named(
    filled: CaseFile, store: SqlStore, blobs: BlobDirectory
) -> None:
    sql(
        store,
        "UPDATE audit_events SET seq = -1 WHERE seq = 6",
    )
    sql(store, "UPDATE audit_events SET seq = 6 WHERE seq = 7")
    sql(store, "UPDATE audit_events SET seq = 7 WHERE seq = -1")
    named = {p.where for p in problems(store, blobs) if p.kind == "event"}
    assert {"event #6", "event #7"} <= named
    assert named <= {"event #6", "event #7", "event #8"}


def test_edited_event_is_named(filled: CaseFile, store: SqlStore, blobs: BlobDirectory) -> None:
    sql(store, "UPDATE audit_events SET actor = 'mallory' WHERE seq = 3")
    assert Problem(
        "event", "event #3", "has been altered (its hash does not match its fields)"
    ) in problems(store, blobs)


def test_deleted_record_is_named(filled: CaseFile, store: SqlStore, blobs: BlobDirectory) -> None:
    event_id = sql(store, "SELECT id FROM approvals")
    sql(store, "DELETE FROM approvals")
    (problem,) = problems(store, blobs)
    assert problem.where == f"approval:{event_id}" and "is missing (deleted)" in problem.message


def test_record_written_outside_the_program_is_named(
    filled: CaseFile, store: SqlStore, blobs: BlobDirectory
) -> None:
    sql(
        store,
        "INSERT INTO people (id, name, roles, trained_on, seq) VALUES ('eve', 'Eve', '[\"mlro\"]', NULL, 1)",
    )
    (problem,) = problems(store, blobs)
    assert problem.where == "person eve" and "has no audit event" in problem.message


def test_rebound_approval_is_named(filled: CaseFile, store: SqlStore, blobs: BlobDirectory) -> None:
    approval_id = sql(store, "SELECT id FROM approvals")
    sql(store, f"UPDATE approvals SET state_sha256 = '{'ab' * 32}'")
    kinds = {
        (p.kind, p.where.split(" ")[0] + " " + p.where.split(" ")[1])
        for p in problems(store, blobs)
    }
    assert kinds == {("record", f"approval {approval_id}"), ("approval", f"approval {approval_id}")}


def test_verify_of_one_case_ignores_other_cases_records(
    filled: CaseFile, store: SqlStore, blobs: BlobDirectory, case_ref: str
) -> None:
    from tests.casefile.test_services import _new

    filled.open_case(ALICE, _new("M-OTHER"))
    filled.answer(ALICE, "M-OTHER", "pep", "no")
    sql(
        store,
        """UPDATE answers SET value = '{"t":"str","v":"pep"}' WHERE case_id = (SELECT id FROM cases WHERE reference = 'M-OTHER')""",
    )
    assert problems(store, blobs, case_ref) == []
    assert len(problems(store, blobs, "M-OTHER")) == 1
