"""Check a finished audit file on its own: it is ours (format, manifest, PDF/A-3 markers), every
embedded evidence file re-hashes to the manifest, and the printed manifest agrees.

Needs only the PDF (and pypdf): an inspector can run it years later without the case file.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from duediligence.domain.paths import NotARegularFile, read_regular_file, shown
from duediligence.report.view import FORMAT, MANIFEST_NAME

PDF_MAX_BYTES = 4 * 1024 * 1024 * 1024
"""The largest audit file checked (it embeds every evidence file of one matter)."""

_XMP_PART = re.compile(rb"""pdfaid:part\s*=\s*["']3["']|<pdfaid:part>3</pdfaid:part>""")
_XMP_CONFORMANCE = re.compile(
    rb"""pdfaid:conformance\s*=\s*["']B["']|<pdfaid:conformance>B</pdfaid:conformance>"""
)


@dataclass(frozen=True)
class Issuer:
    """Who should have issued the file: the firm's certificates (PEM) and, from the case file,
    the hashes of the files it issued and a test that a chain head is still in its chain."""

    certificates: list[str]
    issued: set[str] | None = None
    in_chain: Callable[[str], bool] | None = None


@dataclass
class PdfCheck:
    """What `verify_audit_pdf` found."""

    path: Path
    matter: str | None = None
    files: int = 0
    problems: list[str] = field(default_factory=list)
    signed_by: str | None = None
    """Fingerprint of the certificate that signed it (None: not signed)."""
    notes: list[str] = field(default_factory=list)
    """What is not wrong but worth saying (not signed, when nothing said it must be)."""

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems


def verify_audit_pdf(
    path: Path, *, check_text: bool = True, issuer: Issuer | None = None
) -> PdfCheck:
    """Check the signature covers the whole file (and is the `issuer`'s), re-hash every
    embedded file against the embedded manifest and check the file is ours."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    result = PdfCheck(path=path)
    try:
        # Read whole, after checking it is a regular file of a bounded size: a FIFO or a
        # device given as the PDF would otherwise block or be read for ever.
        data = read_regular_file(path, PDF_MAX_BYTES)
    except OSError as error:
        result.problems.append(
            str(error)
            if isinstance(error, NotARegularFile)
            else f"{shown(path)}: cannot be read ({error.strerror})"
        )
        return result
    try:
        reader = PdfReader(io.BytesIO(data))
        attachments = reader.attachments
    except (OSError, PdfReadError, ValueError, KeyError) as error:
        result.problems.append(f"{path}: not a readable PDF ({error})")
        return result
    _check_signature(data, issuer, result)
    manifest = _manifest(reader, attachments, result)
    if manifest is None:
        return result
    if issuer is not None and issuer.issued is not None:
        digest = hashlib.sha256(data).hexdigest()
        if digest not in issuer.issued:
            result.problems.append(
                f"{shown(path)}: not a file this case file issued (its SHA-256 {digest} is not "
                "among the audit files it recorded)"
            )
        head = str(manifest.get("chain_head", ""))
        if issuer.in_chain is not None and head and not issuer.in_chain(head):
            result.problems.append(
                f"the chain head it was issued at ({head}) is no longer in the case file's "
                "chain: the case file was rewritten or rebuilt since"
            )
    result.matter = str(manifest.get("matter"))
    _check_pdfa(reader, result)
    listed: dict[str, dict[str, Any]] = {}
    for entry in manifest.get("files", []):
        listed.setdefault(entry["attachment"], entry)
    for name, entry in listed.items():
        contents = attachments.get(name)
        if not contents:
            result.problems.append(f"{name}: listed in the manifest but not embedded")
            continue
        data = contents[0]
        actual = hashlib.sha256(data).hexdigest()
        if actual != entry["sha256"]:
            result.problems.append(
                f"{name}: SHA-256 {actual} does not match the manifest's {entry['sha256']}"
            )
        elif len(data) != entry["size"]:
            result.problems.append(f"{name}: {len(data)} bytes, the manifest says {entry['size']}")
        result.files += 1
    for name in attachments:
        if name != MANIFEST_NAME and name not in listed:
            result.problems.append(f"{name}: embedded but not in the manifest")
    if check_text:
        _check_printed(reader, listed, result)
    return result


def _check_signature(data: bytes, issuer: Issuer | None, result: PdfCheck) -> None:
    from duediligence.report.sign import check_signature

    found = check_signature(data, issuer.certificates if issuer is not None else None)
    result.signed_by = found.certificate_sha256
    result.problems.extend(f"{shown(result.path)}: {p}" for p in found.problems)
    if not found.signed:
        if issuer is not None:
            result.problems.append(
                f"{shown(result.path)}: not signed (every audit file the firm issues with a key "
                "is signed: a signature removed, or a file made elsewhere)"
            )
        else:
            result.notes.append("not signed: nothing shows who issued it")


def _manifest(reader: Any, attachments: Any, result: PdfCheck) -> dict[str, Any] | None:
    raw = attachments.get(MANIFEST_NAME)
    if not raw:
        result.problems.append(
            f"{result.path}: no {MANIFEST_NAME} attachment; not a duediligence audit file"
        )
        return None
    try:
        manifest = json.loads(raw[0].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        result.problems.append(f"{MANIFEST_NAME}: not valid JSON ({error})")
        return None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        result.problems.append(f"{MANIFEST_NAME}: format is not {FORMAT}")
        return None
    keywords = str((reader.metadata or {}).get("/Keywords", ""))
    if FORMAT not in keywords or f"matter:{manifest.get('matter')}" not in keywords:
        result.problems.append(
            "document metadata does not name this audit file's format and matter"
        )
    return manifest


def _check_pdfa(reader: Any, result: PdfCheck) -> None:
    metadata = reader.trailer["/Root"].get("/Metadata")
    xmp = metadata.get_object().get_data() if metadata is not None else b""
    if not (_XMP_PART.search(xmp) and _XMP_CONFORMANCE.search(xmp)):
        result.problems.append("XMP metadata does not declare PDF/A-3b")


def _check_printed(reader: Any, listed: dict[str, dict[str, Any]], result: PdfCheck) -> None:
    """Every manifest hash must also be printed in the evidence manifest (part 10)."""
    if not listed:
        return
    text = "".join("".join(page.extract_text().split()) for page in reader.pages)
    for name, entry in listed.items():
        if entry["sha256"] not in text:
            result.problems.append(f"{name}: its SHA-256 is not in the printed manifest")
