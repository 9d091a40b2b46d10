"""Proof that survives an insider: the firm's signing key, signed checkpoints of the audit
chain, and the MLRO's sealed records.

Whoever holds the database and the program can recompute every hash in it; they cannot sign
without the firm's key, whose passphrase they do not have. So a checkpoint (sequence, head hash,
time, counts) signed with that key, kept in the case file and exported elsewhere, fixes the
chain up to that point: a rewrite, a truncation or a rebuild no longer matches it.

The private key lives in a folder beside the store (`<store>.keys/`), encrypted under its
passphrase; only the certificate goes into the case file. Restricted records are sealed with a
key per record, wrapped by a key that only the MLRO's passphrase derives (Scrypt, AES-GCM); the
chain hashes the ciphertext, so it verifies without the passphrase.
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from duediligence.domain.case import (
    Actor,
    InvalidInput,
    NotAllowed,
    NotFound,
    Person,
)
from duediligence.domain.controls import must_be_bound
from duediligence.domain.proof import (
    Checkpoint,
    IssuedAuditFile,
    KeyProblem,
    MlroSeal,
    SigningCertificate,
)
from duediligence.domain.vocabulary import Role
from duediligence.services.ports import CaseStore, Clock, Session
from duediligence.services.verify import Problem, VerifyReport

if TYPE_CHECKING:
    from duediligence.services.signing import FirmKey

KEY_FILE = "firm-key.pem"
"""The firm's private key, PKCS#8 encrypted under its passphrase (`services.signing`)."""
CERT_FILE = "firm-cert.pem"
"""Its certificate (public; the case file holds a copy)."""
EXPORT_FORMAT = "duediligence-checkpoint/1"
KEY_HOLDERS = (Role.MLRO, Role.SENIOR_MANAGER)
"""Who may set up the firm's key."""


def passphrase_from_file(path: Path) -> str:
    """A passphrase kept in a file: its first line (for scripts and unattended renders)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput(f"the passphrase file {path} cannot be read: {error}") from None
    if not lines or not lines[0]:
        raise InvalidInput(f"the passphrase file {path} is empty")
    return lines[0]


def has_key(folder: Path | None) -> bool:
    """Whether a firm key has been set up in `folder`."""
    return folder is not None and (folder / KEY_FILE).is_file()


# ----------------------------------------------------------------------------------------------
# The use cases


NO_KEY = (
    "not signed and no checkpoint made: the firm has no signing key yet (an MLRO or senior "
    "manager runs `duediligence keys init`)"
)
"""Said once by a render or a list import while no key is set up (never an error)."""


class Proof:
    """Key set-up, checkpoints and sealed MLRO records over one store."""

    def __init__(
        self,
        store: CaseStore,
        clock: Clock,
        key_dir: Path | None,
        person_of: Callable[[Session, Actor], Person],
        require_binding: bool = True,
    ) -> None:
        self.store = store
        self.clock = clock
        self.key_dir = key_dir
        self._person_of = person_of
        self._require_binding = require_binding

    # Keys -----------------------------------------------------------------------------------

    def init_keys(
        self,
        actor: Actor,
        passphrase: str,
        *,
        pkcs12_data: bytes | None = None,
        pkcs12_password: str = "",
        replace: bool = False,
    ) -> SigningCertificate:
        """Set up the firm's signing key (self-signed, or imported from PKCS#12), its private
        key encrypted under `passphrase` beside the store and its certificate in the case file;
        MLRO or senior manager only."""
        if self.key_dir is None:
            raise KeyProblem("this case file has no folder for keys")
        now = self.clock.now()
        if len(passphrase) < 8:
            raise InvalidInput("the passphrase must be at least 8 characters long")
        with self.store.transaction() as tx:
            me = self._person_of(tx, actor)
            role = self._holder(me, "set up the firm's signing key")
            firm = tx.firm()
            if firm is None:
                raise NotFound("the case file is not initialised; run `duediligence init`")
            if has_key(self.key_dir) and not replace:
                raise NotAllowed(
                    f"the firm already has a signing key in {self.key_dir}; give --replace to "
                    "set up a new one (earlier checkpoints stay valid under the old certificate)"
                )
        from duediligence.services import signing

        firm_key = (
            signing.from_pkcs12(pkcs12_data, pkcs12_password)
            if pkcs12_data is not None
            else signing.self_signed(firm.name, now)
        )
        if firm_key.certificate.not_valid_after_utc < now:
            raise KeyProblem(
                f"the certificate expired on {firm_key.certificate.not_valid_after_utc:%Y-%m-%d}"
            )
        record = SigningCertificate(
            id=firm_key.fingerprint,
            pem=firm_key.pem,
            subject=firm_key.certificate.subject.rfc4514_string(),
            not_after=firm_key.certificate.not_valid_after_utc,
            added_at=now,
            added_by=actor.user,
        )
        with self.store.transaction() as tx:
            if record.id not in {c.id for c in tx.certificates()}:
                tx.add(record, actor=actor, role=role.value, action="keys.init")
            # Written inside the transaction: a key file never exists without its certificate
            # in the case file (a failure here rolls the certificate back).
            signing.save_key(self.key_dir, firm_key, passphrase)
        return record

    def unlock(self, passphrase: str) -> FirmKey:
        """The firm's key, or KeyProblem."""
        if self.key_dir is None:
            raise KeyProblem("this case file has no folder for keys")
        from duediligence.services.signing import load_key

        firm_key = load_key(self.key_dir, passphrase, self.clock.now())
        with self.store.transaction() as tx:
            known = {c.id for c in tx.certificates()}
        if firm_key.fingerprint not in known:
            raise KeyProblem(
                f"the key in {self.key_dir} is not one this case file knows (its certificate "
                f"{firm_key.fingerprint[:16]}... is not recorded); it belongs to another store"
            )
        return firm_key

    def check_actor(self, actor: Actor) -> None:
        """NotAllowed (or NotFound) when `actor` may not act from this account: said before a
        render starts, not after the file is written."""
        with self.store.transaction() as tx:
            self._person_of(tx, actor)

    def key_exists(self) -> bool:
        """Whether the firm has set up a key for this store."""
        return has_key(self.key_dir)

    # Checkpoints ----------------------------------------------------------------------------

    def checkpoint(self, actor: Actor, passphrase: str, reason: str = "on demand") -> Checkpoint:
        """Sign the chain head now and keep the checkpoint in the case file."""
        firm_key = self.unlock(passphrase)
        return self.checkpoint_with(actor, firm_key, reason)

    def key_for(self, passphrase: str | None, what: str) -> FirmKey | None:
        """The unlocked key a render or a list import will sign with, checked before the work
        starts; None when the firm has no key yet (not an error: `NO_KEY` says so)."""
        if not self.key_exists():
            return None
        if passphrase is None:
            raise KeyProblem(
                f"the firm has a signing key: give its passphrase (--passphrase-file) so the "
                f"{what} is signed"
            )
        return self.unlock(passphrase)

    def checkpoint_with(self, actor: Actor, firm_key: FirmKey, reason: str) -> Checkpoint:
        now = self.clock.now()
        with self.store.transaction() as tx:
            me = self._person_of(tx, actor)
            head = tx.head_event()
            sequence = head.seq if head else 0
            unsigned = Checkpoint(
                id=secrets.token_hex(16),
                sequence=sequence,
                head_sha256=head.sha256 if head else "",
                at=now,
                counts=tx.record_counts(sequence),
                reason=reason,
                certificate_sha256=firm_key.fingerprint,
                signature="",
            )
            signature = base64.b64encode(firm_key.sign(unsigned.signed_bytes())).decode()
            signed = unsigned.model_copy(update={"signature": signature})
            tx.add(signed, actor=actor, role=me.roles[0].value, action="checkpoint.sign")
            return signed

    def export(self, checkpoint: Checkpoint) -> bytes:
        """The checkpoint with its certificate, as a file to keep elsewhere."""
        with self.store.transaction() as tx:
            certificates = {c.id: c for c in tx.certificates()}
        certificate = certificates[checkpoint.certificate_sha256]
        return (
            json.dumps(
                {
                    "format": EXPORT_FORMAT,
                    "checkpoint": checkpoint.payload(),
                    "certificate": certificate.pem,
                },
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        ).encode()

    # Issued audit files ---------------------------------------------------------------------

    def record_issued(
        self,
        actor: Actor,
        reference: str,
        *,
        sha256: str,
        pages: int,
        chain_head: str,
        certificate_sha256: str | None,
    ) -> IssuedAuditFile:
        """Record that the case file issued an audit file with these bytes (audited)."""
        now = self.clock.now()
        with self.store.transaction() as tx:
            me = self._person_of(tx, actor)
            case = tx.case_by_reference(reference)
            if case is None:
                raise NotFound(f"no case '{reference}'")
            issued = IssuedAuditFile(
                id=secrets.token_hex(16),
                case_id=case.id,
                sha256=sha256,
                pages=pages,
                chain_head=chain_head,
                certificate_sha256=certificate_sha256,
                issued_at=now,
                issued_by=actor.user,
            )
            tx.add(issued, actor=actor, role=me.roles[0].value, action="audit_file.issue")
            return issued

    def issuing_facts(self) -> tuple[list[str], set[str], Callable[[str], bool]]:
        """What `verify-pdf --store` compares a file with: the firm's certificates (PEM), the
        hashes of the files issued, and whether a chain head is (still) in the chain."""
        with self.store.transaction() as tx:
            certificates = [c.pem for c in tx.certificates()]
            issued = {i.sha256 for i in tx.issued_files()}

        def in_chain(sha256: str) -> bool:
            with self.store.transaction() as tx:
                return tx.has_event_hash(sha256)

        return certificates, issued, in_chain

    # Sealed MLRO records --------------------------------------------------------------------

    def seal_key(self, tx: Session, actor: Actor, passphrase: str) -> bytes:
        """The MLRO's key-wrapping key from the passphrase (set on first use), sealing any
        record still in plain text from before sealing existed."""
        from duediligence.services import signing

        seal = tx.mlro_seal()
        if seal is None:
            if len(passphrase) < 8:
                raise InvalidInput("the MLRO passphrase must be at least 8 characters long")
            salt = secrets.token_bytes(16)
            kek = signing.derive(passphrase, salt, signing.SCRYPT_N)
            seal = MlroSeal(
                id="mlro",
                salt=signing.b64(salt),
                n=signing.SCRYPT_N,
                check=signing.check_value(kek),
                set_at=self.clock.now(),
                set_by=actor.user,
            )
            tx.add(seal, actor=actor, role=Role.MLRO.value, action="restricted.seal_set")
        else:
            kek = signing.derive(passphrase, base64.b64decode(seal.salt), seal.n)
            if not signing.opens(kek, seal.check):
                raise NotAllowed("the MLRO passphrase is wrong: the restricted records stay sealed")
        for record in tx.all_restricted():
            if record.case_id.startswith(signing.CASE_TAG):
                continue
            # Written before sealing existed, or before the case was hidden too: sealed again
            # now, on the MLRO's next unlock, its case stored as a tag.
            tx.replace(
                signing.seal_record(signing.open_record(record, kek), kek),
                actor=actor,
                role=Role.MLRO.value,
                action="restricted.seal",
            )
        return kek

    def _holder(self, me: Person, what: str) -> Role:
        for role in KEY_HOLDERS:
            if me.holds(role):
                must_be_bound(me, what, required=self._require_binding)
                return role
        raise NotAllowed(f"{me.id} cannot {what}: that needs the MLRO or a senior manager")


# ----------------------------------------------------------------------------------------------
# Checking checkpoints (part of verify)


def read_export(data: bytes) -> tuple[Checkpoint, str]:
    """An exported checkpoint and its certificate PEM; InvalidInput when it is not one."""
    try:
        document = json.loads(data.decode("utf-8"))
        if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
            raise ValueError
        checkpoint = Checkpoint.model_validate(document["checkpoint"])
        certificate = str(document["certificate"])
        from duediligence.services.signing import pem_fingerprint

        pem_fingerprint(certificate)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, ValidationError):
        raise InvalidInput(
            "not a checkpoint file exported by `duediligence checkpoint --export`"
        ) from None
    return checkpoint, certificate


def check_checkpoints(tx: Session, report: VerifyReport, key_dir: Path | None) -> None:
    """Check every stored checkpoint against the chain as it is, and that the certificate
    beside the store is one the case file holds."""
    from duediligence.services.signing import pem_fingerprint

    certificates = {c.id: c for c in tx.certificates()}
    if key_dir is not None and (key_dir / CERT_FILE).is_file() and certificates:
        kept = pem_fingerprint((key_dir / CERT_FILE).read_text(encoding="utf-8"))
        if kept not in certificates:
            report.problems.append(
                Problem(
                    "checkpoint",
                    "the firm's certificate",
                    f"in {key_dir} ({kept[:16]}...) is not among the certificates the case "
                    "file holds: the case file's certificates were replaced",
                )
            )
    last, purged = _chain_facts(tx)
    for checkpoint in tx.checkpoints():
        report.checkpoints += 1
        certificate = certificates.get(checkpoint.certificate_sha256)
        where = f"checkpoint of {checkpoint.at:%Y-%m-%d %H:%M:%S} ({checkpoint.reason})"
        if certificate is None:
            report.problems.append(
                Problem("checkpoint", where, "names a certificate the case file does not hold")
            )
            continue
        _check_one(tx, report, checkpoint, certificate.pem, where, last, purged)


def check_exported(tx: Session, report: VerifyReport, exported: tuple[Checkpoint, str]) -> None:
    """Check the store against a checkpoint exported earlier (`verify --checkpoint FILE`)."""
    from duediligence.services.signing import pem_fingerprint

    certificates = {c.id: c for c in tx.certificates()}
    last, purged = _chain_facts(tx)
    checkpoint, pem = exported
    report.checkpoints += 1
    where = (
        f"exported checkpoint of {checkpoint.at:%Y-%m-%d %H:%M:%S} (event #{checkpoint.sequence})"
    )
    cert_fp = pem_fingerprint(pem)
    if cert_fp != checkpoint.certificate_sha256:
        report.problems.append(
            Problem("checkpoint", where, "its certificate is not the one it names")
        )
    elif cert_fp not in certificates:
        report.problems.append(
            Problem(
                "checkpoint",
                where,
                f"was signed by certificate {cert_fp[:16]}..., which this case file does "
                "not hold: the store was rebuilt or its certificates replaced",
            )
        )
    _check_one(tx, report, checkpoint, pem, where, last, purged)


def _chain_facts(tx: Session) -> tuple[int, set[str]]:
    """The last event's number, and the kinds of record the retention purge has deleted."""
    head = tx.head_event()
    purged = {e.target.split(":", 1)[0] for e in tx.audit_events() if e.action.endswith(".purged")}
    return (head.seq if head else 0), purged


def _check_one(
    tx: Session,
    report: VerifyReport,
    checkpoint: Checkpoint,
    pem: str,
    where: str,
    last: int,
    purged: set[str],
) -> None:
    from duediligence.services.signing import signature_holds

    signature = base64.b64decode(checkpoint.signature)
    if not signature_holds(pem, checkpoint.signed_bytes(), signature):
        report.problems.append(
            Problem(
                "checkpoint",
                where,
                "its signature does not match what it says (the checkpoint was edited)",
            )
        )
        return
    if checkpoint.sequence == 0:
        return
    event = tx.event_at(checkpoint.sequence)
    if event is None:
        report.problems.append(
            Problem(
                "checkpoint",
                where,
                f"signed the chain up to event #{checkpoint.sequence}, but the chain now ends at "
                f"#{last}: events were deleted from its end, with their records",
            )
        )
        return
    if event.sha256 != checkpoint.head_sha256:
        report.problems.append(
            Problem(
                "checkpoint",
                where,
                f"signed event #{checkpoint.sequence} with hash {checkpoint.head_sha256}; it now "
                f"has {event.sha256}: the chain up to it was rewritten (hashes recomputed, or "
                "the store rebuilt)",
            )
        )
        return
    now = tx.record_counts(checkpoint.sequence)
    for table, count in sorted(checkpoint.counts.items()):
        found = now.get(table, 0)
        kind = _KINDS.get(table, table)
        if found < count and kind not in purged:
            report.problems.append(
                Problem(
                    "checkpoint",
                    where,
                    f"counted {count} {table} rows up to event #{checkpoint.sequence}; "
                    f"{found} are left: rows were deleted outside the program",
                )
            )


_KINDS = {
    "cases": "case",
    "parties": "party",
    "runs": "run",
    "answers": "answer",
    "matter_events": "event",
    "evidence": "evidence",
    "approvals": "approval",
    "screenings": "screening",
}


def describe(checkpoint: Checkpoint) -> dict[str, Any]:
    """A checkpoint as plain data for the command line."""
    return {
        "sequence": checkpoint.sequence,
        "head_sha256": checkpoint.head_sha256,
        "at": checkpoint.at.isoformat(),
        "reason": checkpoint.reason,
        "certificate_sha256": checkpoint.certificate_sha256,
        "counts": checkpoint.counts,
    }
