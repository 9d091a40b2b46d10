"""Records that let the case file prove itself to someone who does not trust its keeper.

The checklist text each answer was given against, the firm's signing certificate, signed
checkpoints of the audit chain, and the MLRO's sealing parameters. Pure models: the signing and
the sealing themselves are in `services.proof`.
"""

from __future__ import annotations

import tomllib
from datetime import datetime
from typing import Any, ClassVar

from pydantic import Field, ValidationError

from duediligence.domain.case import Record, canonical_json
from duediligence.domain.checklist import Checklist
from duediligence.domain.errors import DueDiligenceError


class KeyProblem(DueDiligenceError):
    """The firm's key cannot be used: missing, wrong passphrase, expired, unreadable."""


class ChecklistText(Record):
    """The text of one checklist file as it was when a case used it, kept so the audit file
    prints a question as it was asked and `verify` notices the file edited afterwards."""

    KIND: ClassVar[str] = "checklist_text"
    id: str = Field(pattern=r"^[0-9a-f]{64}$")
    """SHA-256 of the file's bytes (the same hash runs and answers record)."""
    checklist_id: str
    """The checklist it defines."""
    version: str
    """Its version."""
    path: str
    """The file it was read from."""
    text: str
    """The file's content (UTF-8)."""
    stored_at: datetime
    """When it was first kept."""

    def checklist(self) -> Checklist | None:
        """The checklist as this text defined it (None: it does not read as one)."""
        try:
            return Checklist.model_validate(tomllib.loads(self.text))
        except (tomllib.TOMLDecodeError, ValidationError):
            return None

    def question_text(self, question_id: str) -> str | None:
        """A question's wording in this version of the checklist."""
        checklist = self.checklist()
        if checklist is None:
            return None
        for _, question in checklist.questions():
            if question.id == question_id:
                return question.text
        return None


class SigningCertificate(Record):
    """The firm's signing certificate (the private key is never in the case file)."""

    KIND: ClassVar[str] = "certificate"
    id: str = Field(pattern=r"^[0-9a-f]{64}$")
    """SHA-256 fingerprint of the certificate's DER bytes."""
    pem: str
    """The certificate, PEM."""
    subject: str
    """Who it names."""
    not_after: datetime
    """When it expires."""
    added_at: datetime
    """When it became the firm's."""
    added_by: str
    """The MLRO or senior manager who set it up."""


class Checkpoint(Record):
    """The chain head at one moment, signed with the firm's key.

    Someone who can rewrite the database and run the program can recompute every hash, but not
    this signature: deleting or rewriting anything up to `sequence` no longer matches it.
    """

    KIND: ClassVar[str] = "checkpoint"
    id: str
    """Internal id."""
    sequence: int = Field(ge=0)
    """The last audit event covered."""
    head_sha256: str
    """That event's hash."""
    at: datetime
    """When it was signed."""
    counts: dict[str, int]
    """Rows of each kind written up to `sequence` (as the program counted them then)."""
    reason: str
    """What made it: "on demand", "render M-1", "list import"."""
    certificate_sha256: str
    """Fingerprint of the certificate whose key signed it."""
    signature: str
    """Base64 signature over `signed_bytes()`."""

    def signed_bytes(self) -> bytes:
        """What the signature covers: everything but the signature itself."""
        return canonical_json(self.statement())

    def statement(self) -> dict[str, Any]:
        """The signed fields, as plain JSON."""
        data: dict[str, Any] = self.payload()
        data.pop("signature", None)
        data.pop("id", None)
        return data


class MlroSeal(Record):
    """How the MLRO's passphrase becomes the key that wraps each restricted record's key:
    Scrypt's salt and cost, and a value sealed under it so a wrong passphrase is told apart."""

    KIND: ClassVar[str] = "mlro_seal"
    id: str
    """Always "mlro" (one per case file)."""
    salt: str
    """Base64 Scrypt salt."""
    n: int = Field(ge=2)
    """Scrypt cost."""
    check: str
    """Base64 nonce and ciphertext of a known value under the derived key."""
    set_at: datetime
    """When the passphrase was set."""
    set_by: str
    """The MLRO who set it."""


class IssuedAuditFile(Record):
    """An audit file the case file issued: its bytes' hash, so `verify-pdf --store` can say the
    file is one this case file produced (and the render is in the audit trail)."""

    KIND: ClassVar[str] = "audit_file"
    id: str
    """Internal id."""
    case_id: str
    """The matter."""
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    """SHA-256 of the finished (signed) file."""
    pages: int = Field(ge=1)
    """Its pages."""
    chain_head: str
    """The chain head it printed."""
    certificate_sha256: str | None = None
    """The certificate it was signed with (None: the firm had no key yet)."""
    issued_at: datetime
    """When."""
    issued_by: str
    """Who rendered it."""
