"""Signed audit files (issue 16): every render with the firm's key is signed (PAdES B-B) and
stays PDF/A-3b, is recorded in the audit trail with its SHA-256, and `verify-pdf` names each
change made afterwards: text painted over in an incremental update, a page deleted, an
attachment removed together with its manifest entry, a certificate that is not the firm's, a
file the case file did not issue."""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from duediligence.adapters.locations import keys_dir
from duediligence.cli import main
from duediligence.domain.case import Actor
from duediligence.report.view import MANIFEST_NAME
from tests.report.conftest import Rendered

PASSPHRASE = "a long firm passphrase"
REFERENCE = "HV/2026/0147"


@dataclass
class Signed:
    store: Path
    pdf: Path
    cert: Path
    rendered: Any


def _run(*args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def _copy_store(example: Rendered, work: Path) -> Path:
    """The example's store with its side folders (evidence, lists, keys), copied into `work`."""
    assert example.store_path is not None
    source = example.store_path
    for path in source.parent.iterdir():
        if path.name.startswith(source.name):
            copy = work / path.name
            if path.is_dir():
                shutil.copytree(path, copy)
            else:
                shutil.copy2(path, copy)
    return work / source.name


@pytest.fixture(scope="module")
def signed(example: Rendered, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Signed]:
    work = tmp_path_factory.mktemp("signed")
    store = _copy_store(example, work)
    # The MLRO sets up the key through the service, from the account she is bound to.
    from duediligence.compose import open_casefile

    with open_casefile(store) as opened:
        opened.casefile.proof.init_keys(Actor(user="helen", os_user="example"), PASSPHRASE)
    passphrase = work / "passphrase.txt"
    passphrase.write_text(PASSPHRASE + "\n")
    pdf = work / "signed.pdf"
    done = _run(
        "render", REFERENCE, "-o", str(pdf), "--store", str(store), "--as", "priya",
        "--passphrase-file", str(passphrase), "--json",
        env={"DUEDILIGENCE_CONFIG": str(work / "none.toml")},
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    yield Signed(store, pdf, keys_dir(store) / "firm-cert.pem", json.loads(done.stdout))


def verify_pdf(pdf: Path, *args: str) -> tuple[int, dict[str, Any]]:
    result = _run("verify-pdf", str(pdf), "--json", *args)
    return result.exit_code, json.loads(result.stdout)


def test_a_signed_render_verifies_against_the_case_file_and_the_certificate(
    signed: Signed,
) -> None:
    assert signed.rendered["signed"] is True and signed.rendered["checkpoint"] is not None
    code, data = verify_pdf(signed.pdf, "--store", str(signed.store))
    assert code == 0, data["problems"]
    assert data["signed_by"] and data["files"] == 15
    code, data = verify_pdf(signed.pdf, "--cert", str(signed.cert))
    assert code == 0, data["problems"]


def test_the_render_is_in_the_audit_trail_with_the_files_sha256(signed: Signed) -> None:
    digest = hashlib.sha256(signed.pdf.read_bytes()).hexdigest()
    assert signed.rendered["sha256"] == digest
    with sqlite3.connect(signed.store) as conn:
        (sha,) = conn.execute("SELECT sha256 FROM issued_files").fetchone()
        actions = [a for (a,) in conn.execute("SELECT action FROM audit_events ORDER BY seq")]
    assert sha == digest
    assert actions[-2:] == ["audit_file.issue", "checkpoint.sign"]


def _pyhanko_accepts(pdf: Path, cert: Path) -> None:
    from asn1crypto import x509
    from cryptography import x509 as cx509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    root = x509.Certificate.load(
        cx509.load_pem_x509_certificate(cert.read_bytes()).public_bytes(serialization.Encoding.DER)
    )
    with pdf.open("rb") as handle:
        (signature,) = PdfFileReader(handle).embedded_signatures
        status = validate_pdf_signature(signature, ValidationContext(trust_roots=[root]))
    assert status.intact and status.valid and status.trusted
    assert status.coverage is SignatureCoverageLevel.ENTIRE_FILE
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES


def test_pyhankos_own_validator_accepts_the_signature(signed: Signed) -> None:
    _pyhanko_accepts(signed.pdf, signed.cert)


def test_a_firms_own_rsa_key_imported_from_pkcs12_signs_and_verifies(
    example: Rendered, tmp_path: Path
) -> None:
    # Most firms' certificates from a CA carry RSA keys: the PKCS#12 import, the checkpoint
    # made at render, the PDF signature and verify-pdf all take the RSA path.
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    store = _copy_store(example, tmp_path)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Harcourt & Vale LLP (RSA)")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    p12 = tmp_path / "firm.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"firm", key, certificate, None, serialization.BestAvailableEncryption(b"p12pass")
        )
    )
    (tmp_path / "passphrase.txt").write_text(PASSPHRASE + "\n")
    env = {"DUEDILIGENCE_CONFIG": str(tmp_path / "none.toml")}
    common = ("--store", str(store), "--as", "priya")
    # The MLRO imports it through the service, from the account she is bound to.
    from duediligence.compose import open_casefile

    with open_casefile(store) as opened:
        imported = opened.casefile.proof.init_keys(
            Actor(user="helen", os_user="example"),
            PASSPHRASE,
            pkcs12_data=p12.read_bytes(),
            pkcs12_password="p12pass",
        )
    assert "RSA" in imported.subject
    pdf = tmp_path / "rsa.pdf"
    done = _run(
        "render", REFERENCE, "-o", str(pdf), "--passphrase-file", str(tmp_path / "passphrase.txt"),
        "--json", *common, env=env,
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["signed"] is True
    code, data = verify_pdf(pdf, "--store", str(store))
    assert code == 0, data["problems"]
    _pyhanko_accepts(pdf, keys_dir(store) / "firm-cert.pem")
    verified = _run("verify", *common, "--json", env=env)
    assert verified.exit_code == 0, verified.output
    assert json.loads(verified.stdout)["ok"] is True


def test_the_signed_file_still_declares_pdf_a_3b(signed: Signed) -> None:
    root: Any = PdfReader(signed.pdf).trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data()
    assert re.search(rb"pdfaid:part[^0-9]{1,3}3", xmp)
    assert re.search(rb"pdfaid:conformance[^A-Z]{1,3}B", xmp)
    # The signature is an appended revision: WeasyPrint's file is kept byte for byte before it.
    assert signed.pdf.read_bytes().count(b"%%EOF") >= 2


def test_text_painted_over_in_an_incremental_update_is_named(
    signed: Signed, tmp_path: Path
) -> None:
    from pypdf.generic import ArrayObject, DecodedStreamObject

    writer = PdfWriter(str(signed.pdf), incremental=True)
    page = writer.pages[0]
    box = DecodedStreamObject()
    box.set_data(b"q 1 1 1 rg 40 500 520 200 re f Q")  # a white box over the cover's standing
    contents = page["/Contents"]
    parts = list(contents) if isinstance(contents, ArrayObject) else [contents]
    page[NameObject("/Contents")] = ArrayObject([*parts, writer._add_object(box)])
    painted = tmp_path / "painted.pdf"
    with painted.open("wb") as handle:
        writer.write(handle)
    original = signed.pdf.read_bytes()
    assert painted.read_bytes().startswith(original)  # an update appended, nothing rewritten
    code, data = verify_pdf(painted, "--store", str(signed.store))
    assert code == 1
    assert any(
        "an incremental update was appended after the signature" in p for p in data["problems"]
    ), data["problems"]
    assert any("not a file this case file issued" in p for p in data["problems"])


def test_a_deleted_page_is_named(signed: Signed, tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(signed.pdf))
    writer.remove_page(1)
    shorter = tmp_path / "shorter.pdf"
    with shorter.open("wb") as handle:
        writer.write(handle)
    code, data = verify_pdf(shorter, "--cert", str(signed.cert))
    assert code == 1
    signature = [p for p in data["problems"] if "sign" in p]
    assert signature, data["problems"]
    assert any(
        "changed after it was signed" in p or "not signed" in p or "cannot be" in p
        for p in signature
    ), signature


def test_an_attachment_removed_with_its_manifest_entry_is_named(
    signed: Signed, tmp_path: Path
) -> None:
    writer = PdfWriter(clone_from=PdfReader(signed.pdf))
    root: Any = writer.root_object
    names = root["/Names"]["/EmbeddedFiles"].get_object()["/Names"]
    manifest: dict[str, Any] = {}
    victim = ""
    for i in range(0, len(names), 2):
        if names[i] == MANIFEST_NAME:
            stream = names[i + 1].get_object()["/EF"]["/F"].get_object()
            manifest = json.loads(stream.get_data())
            victim = manifest["files"][0]["attachment"]
            manifest["files"] = [f for f in manifest["files"] if f["attachment"] != victim]
            stream.set_data(json.dumps(manifest).encode())
    for i in range(0, len(names), 2):
        if names[i] == victim:
            del names[i : i + 2]
            break
    assert victim and manifest
    root[NameObject("/Names")]  # still there, one file fewer
    smaller = tmp_path / "smaller.pdf"
    with smaller.open("wb") as handle:
        writer.write(handle)
    # Without the signature the file is consistent with its own manifest...
    reader = PdfReader(io.BytesIO(smaller.read_bytes()))
    assert victim not in reader.attachments
    code, data = verify_pdf(smaller, "--cert", str(signed.cert))
    assert code == 1
    others = [p for p in data["problems"] if "sign" not in p and "SHA-256" not in p]
    signature = [p for p in data["problems"] if "sign" in p]
    assert signature, data["problems"]
    assert all(victim not in p for p in others)


def test_a_certificate_that_is_not_the_firms_is_named(signed: Signed, tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from duediligence.services.signing import self_signed

    other = self_signed("Someone Else LLP", datetime.now(UTC))
    cert = tmp_path / "other.pem"
    cert.write_text(other.pem)
    code, data = verify_pdf(signed.pdf, "--cert", str(cert))
    assert code == 1
    assert any("which is not the firm's" in p for p in data["problems"]), data["problems"]


def test_a_store_that_did_not_issue_the_file_is_named(signed: Signed, example: Rendered) -> None:
    assert example.store_path is not None
    code, data = verify_pdf(signed.pdf, "--store", str(example.store_path))
    assert code == 1
    assert any("not a file this case file issued" in p for p in data["problems"])
    assert any("which is not the firm's" in p for p in data["problems"])


def test_an_unsigned_file_is_named_when_the_firm_is_given(
    example: Rendered, signed: Signed
) -> None:
    code, data = verify_pdf(example.path, "--cert", str(signed.cert))
    assert code == 1
    assert any("not signed" in p for p in data["problems"])
    code, data = verify_pdf(example.path)
    assert code == 0 and data["notes"] == ["not signed: nothing shows who issued it"]


def test_a_case_file_whose_chain_was_rewritten_since_the_file_is_named(
    signed: Signed, tmp_path: Path
) -> None:
    copy = tmp_path / signed.store.name
    for path in signed.store.parent.iterdir():
        if path.name.startswith(signed.store.name) and path.is_file():
            shutil.copy2(path, tmp_path / path.name)
    reader = PdfReader(signed.pdf)
    manifest = json.loads(reader.attachments[MANIFEST_NAME][0])
    with sqlite3.connect(copy) as conn:
        changed = conn.execute(
            "UPDATE audit_events SET sha256 = ? WHERE sha256 = ?",
            ("0" * 64, manifest["chain_head"]),
        ).rowcount
    assert changed == 1
    code, data = verify_pdf(signed.pdf, "--store", str(copy))
    assert code == 1
    assert any("is no longer in the case file's chain" in p for p in data["problems"])
