"""The cryptography behind the proof: the firm's signing key and certificate, signatures,
and the MLRO's sealing (Scrypt to derive the wrapping key, AES-GCM per record).

Imported only by the commands that sign, seal or check a signature: `cryptography` costs about
0.1 s to import, which the TUI's start-up and every other command do not pay.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from duediligence.domain.case import RestrictedRecord
from duediligence.domain.errors import DueDiligenceError
from duediligence.domain.proof import KeyProblem

KEY_FILE = "firm-key.pem"
"""The firm's private key, PKCS#8 encrypted under its passphrase."""
CERT_FILE = "firm-cert.pem"
"""Its certificate (public; the case file holds a copy)."""
SCRYPT_N = 2**15
SEAL_CHECK = b"duediligence: the MLRO's seal"


SigningKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


@dataclass(frozen=True)
class FirmKey:
    """The firm's private key, unlocked, with its certificate."""

    key: SigningKey
    certificate: x509.Certificate

    @property
    def pem(self) -> str:
        """The certificate, PEM."""
        return self.certificate.public_bytes(serialization.Encoding.PEM).decode()

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the certificate's DER bytes."""
        return fingerprint(self.certificate)

    def sign(self, data: bytes) -> bytes:
        """A signature over `data` (ECDSA or RSA PKCS#1 v1.5, SHA-256)."""
        if isinstance(self.key, ec.EllipticCurvePrivateKey):
            return self.key.sign(data, ec.ECDSA(hashes.SHA256()))
        return self.key.sign(data, padding.PKCS1v15(), hashes.SHA256())


def fingerprint(certificate: x509.Certificate) -> str:
    """SHA-256 of a certificate's DER bytes, hex."""
    return certificate.fingerprint(hashes.SHA256()).hex()


def signature_holds(certificate_pem: str, data: bytes, signature: bytes) -> bool:
    """Whether `signature` over `data` was made by the key of this certificate."""
    public = x509.load_pem_x509_certificate(certificate_pem.encode()).public_key()
    try:
        if isinstance(public, ec.EllipticCurvePublicKey):
            public.verify(signature, data, ec.ECDSA(hashes.SHA256()))
        elif isinstance(public, rsa.RSAPublicKey):
            public.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
        else:
            return False
    except InvalidSignature:
        return False
    return True


def self_signed(firm_name: str, now: datetime, years: int = 10) -> FirmKey:
    """A new P-256 key and a self-signed certificate naming the firm."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"{firm_name} audit-file signing"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, firm_name),
        ]
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return FirmKey(key, certificate)


def from_pkcs12(data: bytes, password: str) -> FirmKey:
    """The firm's own key and certificate, from a PKCS#12 file."""
    try:
        key, certificate, _ = pkcs12.load_key_and_certificates(
            data, password.encode() if password else None
        )
    except ValueError:
        raise KeyProblem(
            "the PKCS#12 file cannot be opened: the password is wrong or it is not a PKCS#12 file"
        ) from None
    if key is None or certificate is None:
        raise KeyProblem("the PKCS#12 file holds no private key with its certificate")
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise KeyProblem("the PKCS#12 key is neither EC nor RSA; give an EC or RSA signing key")
    return FirmKey(key, certificate)


def save_key(folder: Path, firm_key: FirmKey, passphrase: str) -> None:
    """Write the key (encrypted) and its certificate into `folder`, private, atomically."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    encrypted = firm_key.key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase.encode()),
    )
    certificate = firm_key.certificate.public_bytes(serialization.Encoding.PEM)
    for name, data in ((KEY_FILE, encrypted), (CERT_FILE, certificate)):
        partial = folder / f".{name}.{secrets.token_hex(4)}"
        descriptor = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, folder / name)


def load_key(folder: Path, passphrase: str, now: datetime) -> FirmKey:
    """The firm's key unlocked with its passphrase; KeyProblem saying what is wrong."""
    key_path, cert_path = folder / KEY_FILE, folder / CERT_FILE
    if not key_path.is_file() or not cert_path.is_file():
        raise KeyProblem(
            f"the firm has no signing key ({key_path} is missing); an MLRO or senior manager "
            "sets one up with `duediligence keys init`"
        )
    try:
        key = serialization.load_pem_private_key(key_path.read_bytes(), passphrase.encode())
    except (ValueError, TypeError):
        raise KeyProblem(
            f"the passphrase does not unlock the firm's key ({key_path}); check it and try "
            "again. A lost passphrase cannot be recovered: an MLRO or senior manager then sets "
            "up a new key with `duediligence keys init --replace` (earlier checkpoints stay "
            "valid under the old certificate)"
        ) from None
    certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise KeyProblem(f"{key_path} holds neither an EC nor an RSA key")
    if certificate.not_valid_after_utc < now:
        raise KeyProblem(
            f"the firm's certificate expired on {certificate.not_valid_after_utc:%Y-%m-%d}; "
            "an MLRO or senior manager sets up a new one with `duediligence keys init "
            "--replace` (earlier checkpoints stay valid under the old certificate)"
        )
    return FirmKey(key, certificate)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def derive(passphrase: str, salt: bytes, n: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=8, p=1).derive(passphrase.encode())


def _aad(record: RestrictedRecord) -> bytes:
    # Binds the ciphertext to its record: moved to another record or case, it does not open.
    return f"{record.id}|{record.case_id}|{record.kind.value}".encode()


CASE_TAG = "tag:"
"""How a stored restricted record names its case: a keyed hash of the case id, not the id."""


def case_tag(kek: bytes, case_id: str) -> str:
    """The case a restricted record concerns, as stored: a keyed hash only the MLRO's
    passphrase recomputes, so the raw database does not say which matter has a SAR."""
    key = hashlib.sha256(b"duediligence restricted case tag\0" + kek).digest()
    return CASE_TAG + hmac.new(key, case_id.encode(), hashlib.sha256).hexdigest()


def seal_record(record: RestrictedRecord, kek: bytes) -> RestrictedRecord:
    """The record as stored: its text encrypted under a fresh key, that key wrapped by `kek`,
    and its case named by `case_tag`."""
    text = record.text
    if text is None:
        return record
    if not record.case_id.startswith(CASE_TAG):
        record = record.model_copy(update={"case_id": case_tag(kek, record.case_id)})
    data_key = AESGCM.generate_key(bit_length=256)
    nonce, wrap_nonce = secrets.token_bytes(12), secrets.token_bytes(12)
    sealed = nonce + AESGCM(data_key).encrypt(nonce, text.encode(), _aad(record))
    wrapped = wrap_nonce + AESGCM(kek).encrypt(wrap_nonce, data_key, record.id.encode())
    return record.model_copy(
        update={"text": None, "sealed": b64(sealed), "wrapped_key": b64(wrapped)}
    )


def open_record(record: RestrictedRecord, kek: bytes) -> RestrictedRecord:
    """The record with its text decrypted (the stored record is unchanged)."""
    if record.sealed is None or record.wrapped_key is None:
        return record
    wrapped = base64.b64decode(record.wrapped_key)
    sealed = base64.b64decode(record.sealed)
    try:
        data_key = AESGCM(kek).decrypt(wrapped[:12], wrapped[12:], record.id.encode())
        text = AESGCM(data_key).decrypt(sealed[:12], sealed[12:], _aad(record)).decode()
    except InvalidTag:
        raise DueDiligenceError(
            f"restricted record {record.id} does not open: it was altered outside the program"
        ) from None
    return record.model_copy(update={"text": text})


def pem_fingerprint(pem: str) -> str:
    """SHA-256 fingerprint of a PEM certificate."""
    return fingerprint(x509.load_pem_x509_certificate(pem.encode()))


def check_value(kek: bytes) -> str:
    """A known value sealed under `kek`, to tell a wrong passphrase apart later."""
    nonce = secrets.token_bytes(12)
    return b64(nonce + AESGCM(kek).encrypt(nonce, SEAL_CHECK, None))


def opens(kek: bytes, check: str) -> bool:
    """Whether `kek` opens the check value (the passphrase was right)."""
    data = base64.b64decode(check)
    try:
        AESGCM(kek).decrypt(data[:12], data[12:], None)
    except InvalidTag:
        return False
    return True
