"""Proof that survives an insider (issue 16), through the real command line on real SQLite files:
the firm's key, signed checkpoints, and `verify` naming each tamper that recomputing every hash
used to hide (truncation, a rebuilt store, an edited answer with its chain recomputed, an edited
listing row, a trigger, an edited checklist, an edited list copy)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from duediligence.adapters.locations import keys_dir, lists_dir
from duediligence.adapters.store import SqlStore
from duediligence.domain.case import AuditEvent, encode_answer
from tests.casefile.conftest import CHECKLISTS, ME, RECENT, Cli
from tests.conftest import query
from tests.screening.test_casefile_screening import OTHER, tokayev, write_uksl

PASSPHRASE = "correct horse battery staple"


def problems(result: Any) -> list[dict[str, str]]:
    data = json.loads(result.stdout)
    return list(data["problems"])


def new_cli(folder: Path, checklists: Path = CHECKLISTS) -> Cli:
    """A store with the firm (bob: senior manager, supervisor, MLRO), alice and case M-1."""
    cli = Cli(folder / "case.sqlite3")
    done = cli(
        "init", "--firm", "Smith & Co", "--supervisor", "sra", "--fwra-version", "2026.1",
        "--fwra-date", RECENT, "--user", "bob", "--name", "Bob Senior",
        "--role", "senior_manager", "--role", "supervisor", "--role", "mlro",
        "--trained-on", RECENT, user=None,
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    added = cli("users", "add", "alice", "--name", "Alice", "--role", "fee_earner", "--trained-on", RECENT, user="bob")  # fmt: skip
    assert added.exit_code == 0, added.output
    opened = cli(
        "cases", "new", "M-1", "--kind", "solicitor", "--matter-type", "residential_purchase",
        "--client-type", "individual", "--acting-for", "buyer", "--responsible", "alice",
        "--checklists", str(checklists), checklists=False,
    )  # fmt: skip
    assert opened.exit_code == 0, opened.output
    for question, value in (("pep", "no"), ("value", "250000 GBP")):
        answered = cli("answer", "M-1", question, value, "--checklists", str(checklists), checklists=False)  # fmt: skip
        assert answered.exit_code == 0, answered.output
    return cli


def verify(cli: Cli, *args: str, user: str = "bob", checklists: Path = CHECKLISTS) -> Any:
    return cli("verify", *args, "--json", "--checklists", str(checklists), user=user, checklists=False)  # fmt: skip


@pytest.fixture
def passphrase_file(tmp_path: Path) -> str:
    path = tmp_path / "passphrase.txt"
    path.write_text(PASSPHRASE + "\n", encoding="utf-8")
    return str(path)


@pytest.fixture
def keyed(tmp_path: Path, passphrase_file: str) -> Cli:
    cli = new_cli(tmp_path / "store")
    made = cli("keys", "init", "--passphrase-file", passphrase_file, user="bob")
    assert made.exit_code == 0, made.output
    return cli


def checkpoint(cli: Cli, passphrase_file: str, *args: str) -> Any:
    done = cli("checkpoint", "--passphrase-file", passphrase_file, "--json", *args, user="bob")
    assert done.exit_code == 0, done.output
    return json.loads(done.stdout)


# ----------------------------------------------------------------------------------------------
# The firm's key


def test_keys_init_keeps_the_private_key_encrypted_beside_the_store_and_not_in_it(
    keyed: Cli, passphrase_file: str
) -> None:
    folder = keys_dir(keyed.store)
    key_text = (folder / "firm-key.pem").read_text()
    assert "ENCRYPTED PRIVATE KEY" in key_text
    assert oct((folder / "firm-key.pem").stat().st_mode & 0o777) == "0o600"
    raw = keyed.store.read_bytes()
    assert b"PRIVATE KEY" not in raw
    with sqlite3.connect(keyed.store) as conn:
        (pem,) = conn.execute("SELECT pem FROM certificates").fetchone()
        dump = "\n".join(conn.iterdump())
    assert "BEGIN CERTIFICATE" in pem and "PRIVATE KEY" not in dump
    again = keyed("keys", "init", "--passphrase-file", passphrase_file, user="bob")
    assert again.exit_code == 1 and "already has a signing key" in again.stderr


def test_only_the_mlro_or_a_senior_manager_sets_up_the_key(
    tmp_path: Path, passphrase_file: str
) -> None:
    cli = new_cli(tmp_path / "store")
    refused = cli("keys", "init", "--passphrase-file", passphrase_file, user="alice")
    assert refused.exit_code == 1
    assert "alice cannot set up the firm's signing key" in refused.stderr
    assert not keys_dir(cli.store).exists()


def test_wrong_missing_and_short_passphrases_are_clear_messages(
    tmp_path: Path, passphrase_file: str
) -> None:
    cli = new_cli(tmp_path / "store")
    missing = cli("checkpoint", "--passphrase-file", passphrase_file, user="bob")
    assert missing.exit_code == 1 and "keys init" in missing.stderr
    short = tmp_path / "short.txt"
    short.write_text("abc\n")
    too_short = cli("keys", "init", "--passphrase-file", str(short), user="bob")
    assert too_short.exit_code == 1 and "at least 8 characters" in too_short.stderr
    assert cli("keys", "init", "--passphrase-file", passphrase_file, user="bob").exit_code == 0
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the passphrase\n")
    before = cli.audit_count()
    refused = cli("checkpoint", "--passphrase-file", str(wrong), user="bob")
    assert refused.exit_code == 1
    assert "the passphrase does not unlock the firm's key" in refused.stderr
    assert "Traceback" not in refused.output
    assert cli.audit_count() == before
    no_file = cli("checkpoint", user="bob")  # no terminal to ask on
    assert no_file.exit_code == 1 and "--passphrase-file" in no_file.stderr


def _pkcs12(path: Path, *, expired: bool) -> Path:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Smith & Co signing")])
    now = datetime.now(UTC)
    start, end = (now - timedelta(days=400), now - timedelta(days=1)) if expired else (now - timedelta(days=1), now + timedelta(days=365))  # fmt: skip
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .sign(key, hashes.SHA256())
    )
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"firm", key, certificate, None, serialization.BestAvailableEncryption(b"p12pass")
        )
    )
    return path


def test_a_pkcs12_key_is_imported_and_an_expired_one_is_refused(
    tmp_path: Path, passphrase_file: str
) -> None:
    cli = new_cli(tmp_path / "store")
    password = tmp_path / "p12.txt"
    password.write_text("p12pass\n")
    expired = _pkcs12(tmp_path / "old.p12", expired=True)
    refused = cli("keys", "init", "--pkcs12", str(expired), "--pkcs12-password-file", str(password), "--passphrase-file", passphrase_file, user="bob")  # fmt: skip
    assert refused.exit_code == 1 and "the certificate expired on" in refused.stderr
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("nope\n")
    good = _pkcs12(tmp_path / "firm.p12", expired=False)
    bad_password = cli("keys", "init", "--pkcs12", str(good), "--pkcs12-password-file", str(wrong), "--passphrase-file", passphrase_file, user="bob")  # fmt: skip
    assert bad_password.exit_code == 1 and "PKCS#12 file cannot be opened" in bad_password.stderr
    done = cli("keys", "init", "--pkcs12", str(good), "--pkcs12-password-file", str(password), "--passphrase-file", passphrase_file, "--json", user="bob")  # fmt: skip
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["subject"] == "CN=Smith & Co signing"
    assert checkpoint(cli, passphrase_file)["sequence"] > 0


def test_an_expired_firm_certificate_is_named_when_signing(
    keyed: Cli, passphrase_file: str
) -> None:
    # The certificate on disk replaced by an expired one for the same key: signing refuses.
    folder = keys_dir(keyed.store)
    key = serialization.load_pem_private_key(
        (folder / "firm-key.pem").read_bytes(), PASSPHRASE.encode()
    )
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "old")])
    now = datetime.now(UTC)
    old = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - timedelta(days=30))
        .not_valid_after(now - timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    (folder / "firm-cert.pem").write_bytes(old.public_bytes(serialization.Encoding.PEM))
    refused = keyed("checkpoint", "--passphrase-file", passphrase_file, user="bob")
    assert refused.exit_code == 1
    assert "the firm's certificate expired on" in refused.stderr
    assert "keys init --replace" in refused.stderr


# ----------------------------------------------------------------------------------------------
# Checkpoints and the tampers they expose


def test_an_untouched_store_with_checkpoints_verifies(keyed: Cli, passphrase_file: str) -> None:
    made = checkpoint(
        keyed, passphrase_file, "--export", str(keyed.store.parent.parent / "cp.json")
    )
    assert made["counts"]["answers"] == 2 and "mlro_records" not in made["counts"]
    result = verify(keyed, "--checkpoint", str(keyed.store.parent.parent / "cp.json"))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ok"] and data["checkpoints"] == 2 and data["listings"] == 1


def test_a_store_without_checkpoints_says_so(tmp_path: Path) -> None:
    cli = new_cli(tmp_path / "store")
    result = cli("verify", "--checklists", str(CHECKLISTS), user="bob", checklists=False)
    assert result.exit_code == 0, result.output
    assert "No signed checkpoint yet" in result.output


def test_truncating_the_last_events_with_their_records_is_named(
    keyed: Cli, passphrase_file: str, tmp_path: Path
) -> None:
    exported = tmp_path / "cp.json"
    made = checkpoint(keyed, passphrase_file, "--export", str(exported))
    # The insider deletes everything after the first answer: the events, their records, and
    # the stored checkpoint with them.
    with sqlite3.connect(keyed.store) as conn:
        (cut,) = conn.execute(
            "SELECT min(seq) FROM audit_events WHERE action = 'answer.set'"
        ).fetchone()
        for table in ("answers", "certificates", "checkpoints"):
            conn.execute(f"DELETE FROM {table} WHERE seq > ?", (cut,))
        conn.execute("DELETE FROM audit_events WHERE seq > ?", (cut,))
    plain = verify(keyed)
    # Without an outside checkpoint the cut is consistent (what the issue found)...
    assert all(p["kind"] != "event" for p in problems(plain))
    result = verify(keyed, "--checkpoint", str(exported))
    assert result.exit_code == 1
    found = [p for p in problems(result) if p["kind"] == "checkpoint"]
    assert any(
        f"signed the chain up to event #{made['sequence']}, but the chain now ends at #{cut}"
        in p["message"]
        for p in found
    ), found


def test_a_store_rebuilt_from_scratch_fails_against_an_earlier_checkpoint(
    keyed: Cli, passphrase_file: str, tmp_path: Path
) -> None:
    exported = tmp_path / "cp.json"
    checkpoint(keyed, passphrase_file, "--export", str(exported))
    # Rebuilt by re-running the same commands, with a key of its own and its own checkpoint.
    rebuilt = new_cli(tmp_path / "rebuilt")
    assert rebuilt("keys", "init", "--passphrase-file", passphrase_file, user="bob").exit_code == 0
    checkpoint(rebuilt, passphrase_file)
    assert verify(rebuilt).exit_code == 0  # consistent on its own
    result = verify(rebuilt, "--checkpoint", str(exported))
    assert result.exit_code == 1
    messages = [p["message"] for p in problems(result) if p["kind"] == "checkpoint"]
    assert any("which this case file does not hold" in m for m in messages), messages
    assert any("the chain up to it was rewritten" in m for m in messages), messages


def test_an_answer_edited_with_every_hash_recomputed_is_named(
    keyed: Cli, passphrase_file: str
) -> None:
    checkpoint(keyed, passphrase_file)
    # The insider edits the answer and recomputes the record's payload hash and every event
    # hash after it with the program's own functions: no hash is wrong any more.
    store = SqlStore(keyed.store)
    try:
        with store.transaction() as tx:
            case = tx.case_by_reference("M-1")
            assert case is not None
            answer = next(a for a in tx.case_records(case.id).answers if a.question_key == "pep")
            events = list(tx.audit_events())
    finally:
        store.close()
    edited = answer.model_copy(update={"value": "pep"})
    target = f"answer:{answer.id}"
    with sqlite3.connect(keyed.store) as conn:
        conn.execute(
            "UPDATE answers SET value = ? WHERE id = ?",
            (json.dumps(encode_answer("pep"), separators=(",", ":")), answer.id),
        )
        previous = None
        for event in events:
            if previous is None and event.target != target:
                continue
            fields = event.model_dump(exclude={"sha256"})
            if event.target == target:
                fields["payload_sha256"] = edited.payload_sha256()
            if previous is not None:
                fields["prev_sha256"] = previous
            redone = AuditEvent.compute(**fields)
            conn.execute(
                "UPDATE audit_events SET payload_sha256 = ?, prev_sha256 = ?, sha256 = ? "
                "WHERE seq = ?",
                (redone.payload_sha256, redone.prev_sha256, redone.sha256, event.seq),
            )
            previous = redone.sha256
    result = verify(keyed)
    found = problems(result)
    assert all(p["kind"] not in {"event", "record"} for p in found), found
    (named,) = [p for p in found if p["kind"] == "checkpoint"]
    assert "the chain up to it was rewritten (hashes recomputed" in named["message"]
    assert named["where"].startswith("checkpoint of ") and "(on demand)" in named["where"]


def test_an_edited_listing_row_is_named(keyed: Cli, passphrase_file: str) -> None:
    checkpoint(keyed, passphrase_file)
    with sqlite3.connect(keyed.store) as conn:
        conn.execute("UPDATE case_summaries SET chosen_rating = 'low', gates_open = 4, missing = 0")
    found = problems(verify(keyed))
    (named,) = found
    assert named["kind"] == "listing" and named["where"] == "listing row of M-1"
    assert "chosen_rating 'low' where the records give None" in named["message"]
    assert "gates_open 4 where the records give" in named["message"]


def test_a_trigger_added_to_the_database_is_named(keyed: Cli, passphrase_file: str) -> None:
    checkpoint(keyed, passphrase_file)
    with sqlite3.connect(keyed.store) as conn:
        conn.execute(
            "CREATE TRIGGER quiet AFTER INSERT ON answers BEGIN "
            'UPDATE answers SET value = \'{"t":"str","v":"no"}\' WHERE id = new.id; END'
        )
        conn.execute("CREATE VIEW everything AS SELECT * FROM answers")
    found = problems(verify(keyed))
    assert [(p["kind"], p["where"]) for p in found] == [
        ("schema", "view 'everything'"),
        ("schema", "trigger 'quiet' on answers"),
    ] or [(p["kind"], p["where"]) for p in found] == [
        ("schema", "trigger 'quiet' on answers"),
        ("schema", "view 'everything'"),
    ]
    assert "not in the program's schema" in found[0]["message"]


def test_a_checklist_file_edited_after_answers_is_named(
    tmp_path: Path, passphrase_file: str
) -> None:
    own = tmp_path / "checklists"
    shutil.copytree(CHECKLISTS, own)
    cli = new_cli(tmp_path / "store", checklists=own)
    assert verify(cli, checklists=own).exit_code == 0
    source = own / "example.toml"
    original = source.read_bytes()
    # The question reworded in place, version unchanged: the answer "no" now seems to answer
    # something else.
    source.write_text(
        original.decode().replace("Is the client a PEP?", "Is the client free of any PEP link?")
    )
    result = verify(cli, checklists=own)
    assert result.exit_code == 1
    (named,) = [p for p in problems(result) if p["kind"] == "checklist"]
    assert named["where"] == f"checklist file {source}"
    assert "(example-cdd version 1.0) was edited after answers were recorded" in named["message"]
    # The case file kept the text the answer was given against.
    kept = [row[0] for row in query(cli.location, "SELECT text FROM checklist_texts")]
    assert any("Is the client a PEP?" in text for text in kept)
    # A new version of the checklist is a legitimate change, not a tamper.
    source.write_text(
        original.decode()
        .replace("Is the client a PEP?", "Is the client free of any PEP link?")
        .replace('version = "1.0"', 'version = "1.1"', 1)
    )
    assert all(p["kind"] != "checklist" for p in problems(verify(cli, checklists=own)))


def test_an_edited_list_copy_is_named(keyed: Cli, passphrase_file: str, tmp_path: Path) -> None:
    good = write_uksl(tmp_path / "uksl.csv", date.today(), [tokayev(), OTHER])
    imported = keyed(
        "lists", "import", str(good), "--format", "uksl-csv",
        "--passphrase-file", passphrase_file, "--json", user="bob",
    )  # fmt: skip
    assert imported.exit_code == 0, imported.output
    assert json.loads(imported.stdout)["checkpoint"] is not None  # each import is checkpointed
    with sqlite3.connect(keyed.store) as conn:
        (blobs,) = conn.execute("SELECT file_blobs FROM list_snapshots").fetchone()
    (blob,) = json.loads(blobs)
    copy = next(p for p in lists_dir(keyed.store).rglob(blob + "*") if p.is_file())
    copy.chmod(0o600)
    copy.write_bytes(copy.read_bytes().replace(b"TOKAYEV", b"TOKAYEW"))
    found = problems(verify(keyed))
    (named,) = [p for p in found if p["kind"] == "list file"]
    assert named["where"].startswith("list file uksl.csv (uksl-csv, imported ")
    assert "has been altered: its content hashes to" in named["message"]


def test_a_list_import_without_a_key_says_so_once_and_imports(
    tmp_path: Path,
) -> None:
    cli = new_cli(tmp_path / "store")
    good = write_uksl(tmp_path / "uksl.csv", date.today(), [tokayev(), OTHER])
    imported = cli("lists", "import", str(good), "--format", "uksl-csv", user="bob")
    assert imported.exit_code == 0, imported.output
    assert imported.output.count("the firm has no signing key yet") == 1


def test_a_list_import_with_a_key_but_no_passphrase_is_refused_before_anything(
    keyed: Cli, tmp_path: Path
) -> None:
    good = write_uksl(tmp_path / "uksl.csv", date.today(), [tokayev(), OTHER])
    before = keyed.audit_count()
    refused = keyed("lists", "import", str(good), "--format", "uksl-csv", user="bob")
    assert refused.exit_code == 1 and "give its passphrase" in refused.stderr
    assert keyed.audit_count() == before


def test_an_edited_checkpoint_is_named(keyed: Cli, passphrase_file: str) -> None:
    checkpoint(keyed, passphrase_file)
    with sqlite3.connect(keyed.store) as conn:
        conn.execute("UPDATE checkpoints SET sequence = sequence - 1")
    messages = [p["message"] for p in problems(verify(keyed)) if p["kind"] == "checkpoint"]
    assert any("signature does not match" in m for m in messages), messages


def test_a_bad_checkpoint_file_is_a_message(keyed: Cli, tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.json"
    bogus.write_text('{"format": "something else"}')
    result = keyed("verify", "--checkpoint", str(bogus), user="bob")
    assert result.exit_code == 1
    assert "not a checkpoint file exported by" in result.stderr
    assert "Traceback" not in result.output


def test_the_computer_account_binding_holds_for_keys(tmp_path: Path, passphrase_file: str) -> None:
    cli = new_cli(tmp_path / "store")
    # bob is bound to the account that created the store (ME): the key is set up from it.
    assert ME
    assert cli("keys", "init", "--passphrase-file", passphrase_file, user="bob").exit_code == 0
