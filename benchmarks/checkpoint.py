"""Signed checkpoints and signed audit files: what the proof costs (issue 16).

Targets: a checkpoint over 100,000 events under 1 s (unlocking the firm's key included);
`verify-pdf` of the typical audit file (the example, 15 embedded files), signature included,
under 2 s. Measured in the same run, as baselines: a full `verify` of the same store (what
someone without a checkpoint must redo to trust the chain) and `verify-pdf` of the same file
unsigned (today's checks alone).

    python -m benchmarks.checkpoint [EVENTS [checkpoint|pdf]]
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.casefile_verify import ACTOR, fill
from duediligence.adapters.blobs import BlobDirectory
from duediligence.adapters.locations import evidence_dir, keys_dir
from duediligence.adapters.store import SqlStore
from duediligence.domain.proof import SigningCertificate
from duediligence.services.proof import Proof
from duediligence.services.signing import save_key, self_signed

PASSPHRASE = "benchmark passphrase"
EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "example-audit-file.pdf"


class _Clock:
    def now(self) -> datetime:
        return datetime.now(UTC)


CPU: dict[int, float] = {}
"""CPU seconds of each timing's median run, by id of the action (the machine is shared: wall
time under load says little)."""


def _timed(action: object, runs: int) -> tuple[float, object]:
    times = []
    cpu = []
    result: object = None
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = action()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    CPU[id(action)] = statistics.median(cpu)
    return statistics.median(times), result


def _cpu(action: object) -> float:
    return CPU[id(action)]


def checkpoints(events: int) -> None:
    from duediligence.services.verify import verify

    with tempfile.TemporaryDirectory(dir=Path.cwd()) as tmp:
        path = Path(tmp) / "bench.sqlite3"
        store = SqlStore(path)
        blobs = BlobDirectory(evidence_dir(path))
        start = time.perf_counter()
        total = fill(store, blobs, events, 0, 1000)
        print(f"filled {total} events in {time.perf_counter() - start:.0f} s")
        firm_key = self_signed("Bench LLP", datetime.now(UTC))
        save_key(keys_dir(path), firm_key, PASSPHRASE)
        with store.transaction() as tx:
            tx.add(
                SigningCertificate(
                    id=firm_key.fingerprint, pem=firm_key.pem, subject="CN=Bench",
                    not_after=firm_key.certificate.not_valid_after_utc,
                    added_at=datetime.now(UTC), added_by="alice",
                ),
                actor=ACTOR, role="fee_earner", action="keys.init",
            )  # fmt: skip
        os.sync()

        def person_of(tx: object, actor: object) -> object:
            return tx.person(ACTOR.user)  # type: ignore[attr-defined]

        proof = Proof(store, _Clock(), keys_dir(path), person_of, require_binding=False)  # type: ignore[arg-type]

        def unlock_and_sign() -> object:
            return proof.checkpoint(ACTOR, PASSPHRASE)

        seconds, made = _timed(unlock_and_sign, 5)
        sign_only, _ = _timed(lambda: proof.checkpoint_with(ACTOR, firm_key, "bench"), 5)
        baseline, report = _timed(lambda: verify(store, blobs), 1)
        print(
            f"checkpoint over {made.sequence} events: median {seconds * 1000:.0f} ms wall "  # type: ignore[attr-defined]
            f"({_cpu(unlock_and_sign) * 1000:.0f} ms CPU) with the key unlocked from its file, {sign_only * 1000:.0f} ms signing alone (target < 1 s); "
            f"baseline: the full chain verify a reader without a checkpoint must redo, "
            f"{baseline:.2f} s (ok={report.ok})"  # type: ignore[attr-defined]
        )
        store.close()


def verify_pdf() -> None:
    from duediligence.report.sign import sign_file
    from duediligence.report.verify_pdf import Issuer, verify_audit_pdf

    with tempfile.TemporaryDirectory() as tmp:
        signed = Path(tmp) / "signed.pdf"
        shutil.copy(EXAMPLE, signed)
        firm_key = self_signed("Bench LLP", datetime.now(UTC))
        sign_file(signed, firm_key, "bench")
        issuer = Issuer(certificates=[firm_key.pem])
        verify_audit_pdf(signed, issuer=issuer)  # imports warmed, as in a second run

        def signed_check() -> object:
            return verify_audit_pdf(signed, issuer=issuer)

        def plain_check() -> object:
            return verify_audit_pdf(EXAMPLE)

        seconds, check = _timed(signed_check, 5)
        assert check.ok, check.problems  # type: ignore[attr-defined]
        baseline, _ = _timed(plain_check, 5)
        print(
            f"verify-pdf of the example audit file ({EXAMPLE.stat().st_size // 1024} KB, "
            f"{check.files} embedded files), signed: median {seconds:.2f} s wall, "  # type: ignore[attr-defined]
            f"{_cpu(signed_check):.2f} s CPU (target < 2 s); baseline unsigned, today's checks "
            f"only: {baseline:.2f} s wall, {_cpu(plain_check):.2f} s CPU"
        )
        start = time.perf_counter()
        import subprocess

        done = subprocess.run(
            [sys.executable, "-m", "duediligence", "verify-pdf", str(signed)],
            capture_output=True,
            check=False,
        )
        print(
            f"verify-pdf as a command (new process, imports included): "
            f"{time.perf_counter() - start:.2f} s, exit {done.returncode}"
        )


def main(events: int = 100_000, part: str = "both") -> None:
    if part in ("both", "checkpoint"):
        checkpoints(events)
    if part in ("both", "pdf"):
        verify_pdf()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000, *sys.argv[2:3])
