"""Sealed MLRO records (issue 16): the restricted text is encrypted at rest under the MLRO's
passphrase, never in the raw bytes of the database, its WAL or anything in the store's folders;
the chain verifies without the passphrase; a fee earner's verify neither counts nor names them;
the store's own files cannot become evidence."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from duediligence.adapters.locations import evidence_dir, lists_dir
from duediligence.adapters.store import SqlStore
from duediligence.domain.case import Actor, RestrictedKind, RestrictedRecord
from tests.casefile.conftest import CHECKLISTS, ME, SEAL, Cli
from tests.casefile.test_proof import new_cli, verify

MARKER = "SAR-ZQX-SEALED-91f3"


@pytest.fixture
def seal_file(tmp_path: Path) -> str:
    path = tmp_path / "mlro.txt"
    path.write_text(SEAL + "\n", encoding="utf-8")
    return str(path)


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return new_cli(tmp_path / "store")


def add(cli: Cli, seal_file: str, text: str = MARKER) -> str:
    done = cli("mlro", "add", "M-1", text, "--kind", "sar_reference", "--passphrase-file", seal_file, "--json", user="bob")  # fmt: skip
    assert done.exit_code == 0, done.output
    return str(json.loads(done.stdout)["id"])


def every_file_of_the_store(store: Path) -> list[Path]:
    folder = store.parent
    return [p for p in folder.rglob("*") if p.is_file()]


def test_the_restricted_text_is_in_no_byte_of_the_store_or_its_folders(
    cli: Cli, seal_file: str
) -> None:
    add(cli, seal_file)
    files = every_file_of_the_store(cli.store)
    assert cli.store in files
    for path in files:
        assert MARKER.encode() not in path.read_bytes(), path
    listed = cli("mlro", "list", "M-1", "--passphrase-file", seal_file, "--json", user="bob")
    assert listed.exit_code == 0, listed.output
    assert [r["text"] for r in json.loads(listed.stdout)] == [MARKER]


def test_the_wal_never_holds_the_text_while_the_store_is_open(
    cli: Cli, seal_file: str, tmp_path: Path
) -> None:
    from duediligence.compose import open_casefile

    with open_casefile(cli.store, checklist_paths=[CHECKLISTS]) as opened:
        opened.casefile.add_restricted(
            Actor(user="bob", os_user=ME), "M-1", RestrictedKind.SAR_REFERENCE, MARKER, SEAL
        )
        wal = cli.store.with_name(cli.store.name + "-wal")
        assert wal.exists() and wal.stat().st_size > 0
        assert MARKER.encode() not in wal.read_bytes()
        assert MARKER.encode() not in cli.store.read_bytes()


def test_a_wrong_mlro_passphrase_is_a_message_and_opens_nothing(
    cli: Cli, seal_file: str, tmp_path: Path
) -> None:
    add(cli, seal_file)
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the MLRO's passphrase\n")
    before = cli.audit_count()
    listed = cli("mlro", "list", "M-1", "--passphrase-file", str(wrong), user="bob")
    assert listed.exit_code == 1
    assert "the MLRO passphrase is wrong" in listed.stderr and MARKER not in listed.output
    added = cli("mlro", "add", "M-1", "more", "--passphrase-file", str(wrong), user="bob")
    assert added.exit_code == 1 and "the MLRO passphrase is wrong" in added.stderr
    assert cli.audit_count() == before


def test_the_chain_verifies_sealed_records_without_the_passphrase(cli: Cli, seal_file: str) -> None:
    record_id = add(cli, seal_file)
    assert verify(cli).exit_code == 0
    with sqlite3.connect(cli.store) as conn:
        conn.execute("UPDATE mlro_records SET sealed = 'AAAA' || substr(sealed, 5)")
    named = [p["where"] for p in json.loads(verify(cli).stdout)["problems"]]
    assert named == [f"restricted {record_id}"]


def test_a_fee_earners_verify_neither_counts_nor_names_restricted_records(
    cli: Cli, seal_file: str
) -> None:
    before = json.loads(verify(cli, user="alice").stdout)
    record_id = add(cli, seal_file)
    after = verify(cli, user="alice")
    data = json.loads(after.stdout)
    assert data["ok"] and data["records"] == before["records"]
    assert "restricted records were checked" in data["mlro_records"]
    mlro = json.loads(verify(cli, user="bob").stdout)
    assert mlro["records"] > data["records"] and mlro["mlro_records"] is None
    with sqlite3.connect(cli.store) as conn:
        conn.execute("UPDATE mlro_records SET sealed = 'AAAA' || substr(sealed, 5)")
    tampered = verify(cli, user="alice")
    assert tampered.exit_code == 1
    assert record_id not in tampered.output
    (problem,) = json.loads(tampered.stdout)["problems"]
    assert problem["where"] == "restricted records"
    assert "only the MLRO's verify names which" in problem["message"]


def test_records_from_before_sealing_are_sealed_at_the_mlros_first_unlock(
    cli: Cli, seal_file: str
) -> None:
    # A record written as before this release (plain text), through the program's own session.
    store = SqlStore(cli.store)
    try:
        with store.transaction() as tx:
            case = tx.case_by_reference("M-1")
            assert case is not None
            tx.add(
                RestrictedRecord(
                    id="0" * 32,
                    case_id=case.id,
                    kind=RestrictedKind.DELIBERATION,
                    text=MARKER,
                    added_at=datetime.now(UTC),
                    added_by="bob",
                ),
                actor=Actor(user="bob", os_user=ME),
                role="mlro",
                action="restricted.add",
            )
    finally:
        store.close()
    assert MARKER.encode() in cli.store.read_bytes() + _wal(cli.store)
    assert verify(cli).exit_code == 0
    listed = cli("mlro", "list", "M-1", "--passphrase-file", seal_file, "--json", user="bob")
    assert listed.exit_code == 0, listed.output
    assert [r["text"] for r in json.loads(listed.stdout)] == [MARKER]
    for path in every_file_of_the_store(cli.store):
        assert MARKER.encode() not in path.read_bytes(), path
    assert verify(cli).exit_code == 0
    with sqlite3.connect(cli.store) as conn:
        actions = [row[0] for row in conn.execute("SELECT action FROM audit_events")]
    assert actions[-2:] == ["restricted.seal_set", "restricted.seal"]


def _wal(store: Path) -> bytes:
    wal = store.with_name(store.name + "-wal")
    return wal.read_bytes() if wal.exists() else b""


@pytest.mark.parametrize("which", ["database", "wal", "evidence", "lists"])
def test_no_file_of_the_store_can_be_evidence(cli: Cli, which: str, tmp_path: Path) -> None:
    store = cli.store
    inside = {
        "database": store,
        "wal": store.with_name(store.name + "-wal"),
        "evidence": evidence_dir(store) / "planted.pdf",
        "lists": lists_dir(store) / "planted.pdf",
    }[which]
    if not inside.exists():
        inside.write_bytes(b"%PDF-1.4 planted")
    before = cli.audit_count()
    refused = cli("evidence", "add", "M-1", str(inside), "--type", "passport")
    assert refused.exit_code == 1, refused.output
    assert "is part of the case file itself" in refused.stderr
    assert cli.audit_count() == before
    # Through a link from elsewhere too.
    link = tmp_path / f"innocent-{which}.pdf"
    link.symlink_to(inside)
    linked = cli("evidence", "add", "M-1", str(link), "--type", "passport")
    assert linked.exit_code == 1 and "is part of the case file itself" in linked.stderr
