"""Sign a finished audit file (PAdES baseline B, with pyHanko) and check the signature of one.

The signature is an incremental update: the PDF/A-3b file WeasyPrint wrote is left byte for byte
as it was, with an invisible signature field appended, so the file still declares PDF/A-3b.
Anything changed after signing (an incremental update painting over the rating, a page deleted,
an attachment removed with its manifest entry) no longer matches the signature or falls outside
what it covers, and `check_signature` says which.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from duediligence.services.signing import FirmKey

FIELD_NAME = "AuditFileSignature"


def _asn1(firm_key: FirmKey) -> tuple[Any, Any]:
    from asn1crypto import keys, x509
    from cryptography.hazmat.primitives import serialization

    key = keys.PrivateKeyInfo.load(
        firm_key.key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    certificate = x509.Certificate.load(
        firm_key.certificate.public_bytes(serialization.Encoding.DER)
    )
    return key, certificate


def sign_file(path: Path, firm_key: FirmKey, reason: str) -> None:
    """Sign the PDF at `path` in place (an incremental update appended to it)."""
    import warnings

    with warnings.catch_warnings():
        # pyHanko imports DSA support, which cryptography marks deprecated; we never use DSA.
        warnings.simplefilter("ignore")
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers
        from pyhanko_certvalidator.registry import SimpleCertificateStore

    key, certificate = _asn1(firm_key)
    signer = signers.SimpleSigner(
        signing_cert=certificate,
        signing_key=key,
        cert_registry=SimpleCertificateStore.from_certs([certificate]),  # type: ignore[no-untyped-call]
    )
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
    )
    with path.open("rb+") as pdf:
        writer = IncrementalPdfFileWriter(pdf)
        signers.sign_pdf(writer, meta, signer=signer, in_place=True)


@dataclass
class SignatureCheck:
    """What the signature check found."""

    signed: bool = False
    certificate_sha256: str | None = None
    """Fingerprint of the certificate that signed (when signed)."""
    problems: list[str] = field(default_factory=list)


def check_signature(data: bytes, trusted: list[str] | None) -> SignatureCheck:
    """Check the file's signature covers the whole file and was made by one of the `trusted`
    certificates (PEM; None: any, reported by fingerprint)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from asn1crypto import x509
        from pyhanko.pdf_utils.misc import PdfReadError
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.general import CMSExtractionError, CMSStructuralError
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko.sign.validation.errors import SignatureValidationError
        from pyhanko.sign.validation.status import SignatureCoverageLevel
        from pyhanko_certvalidator import ValidationContext

    result = SignatureCheck()
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except (PdfReadError, ValueError, KeyError) as error:
        result.problems.append(f"its signatures cannot be read ({error})")
        return result
    if not signatures:
        return result
    result.signed = True
    roots = [x509.Certificate.load(_der(pem)) for pem in trusted or []]
    signature = signatures[0]
    signer = signature.signer_cert
    result.certificate_sha256 = signer.sha256.hex()
    context = ValidationContext(trust_roots=roots or [signer], allow_fetching=False)
    try:
        status = validate_pdf_signature(signature, context)
    except (SignatureValidationError, CMSExtractionError, CMSStructuralError, ValueError) as error:
        result.problems.append(f"the signature cannot be validated ({error})")
        return result
    if not status.intact or not status.valid:
        result.problems.append(
            "the signature does not match the file: its content was changed after it was "
            "signed (rewritten, a page deleted, an attachment removed ...)"
        )
    elif status.coverage is not SignatureCoverageLevel.ENTIRE_FILE:
        result.problems.append(
            "the file was changed after it was signed: an incremental update was appended "
            "after the signature, which the signature does not cover (text painted over, "
            "pages or attachments changed)"
        )
    if trusted is not None and result.certificate_sha256 not in {_fingerprint(p) for p in trusted}:
        result.problems.append(
            f"it was signed by certificate {result.certificate_sha256[:16]}..., which is not "
            "the firm's"
        )
    elif trusted is not None and not status.trusted:
        result.problems.append("pyHanko's validator does not trust the signer's certificate")
    return result


def _der(pem: str) -> bytes:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    return x509.load_pem_x509_certificate(pem.encode()).public_bytes(serialization.Encoding.DER)


def _fingerprint(pem: str) -> str:
    import hashlib

    return hashlib.sha256(_der(pem)).hexdigest()
