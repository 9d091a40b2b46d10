"""Signed checkpoints and signed audit files: what the proof costs (issue 16).

Targets: a checkpoint over 100,000 events under 1 s (unlocking the firm's key included);
`verify-pdf` of the typical audit file (the example, 15 embedded files), signature included,
under 2 s. Measured in the same run, as baselines: a full `verify` of the same store (what
someone without a checkpoint must redo to trust the chain) and `verify-pdf` of the same file
unsigned (today's checks alone).

    python -m benchmarks.checkpoint [EVENTS]
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


def _timed(action: object, runs: int) -> tuple[float, object]:
    times = []
    result: object = None
    for _ in range(runs):
        start = time.perf_counter()
        result = action()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


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
        seconds, made = _timed(lambda: proof.checkpoint(ACTOR, PASSPHRASE), 5)
        sign_only, _ = _timed(lambda: proof.checkpoint_with(ACTOR, firm_key, "bench"), 5)
        baseline, report = _timed(lambda: verify(store, blobs), 1)
        print(
            f"checkpoint over {made.sequence} events: median {seconds * 1000:.0f} ms with the "  # type: ignore[attr-defined]
            f"key unlocked from its file, {sign_only * 1000:.0f} ms signing alone (target < 1 s); "
            f"baseline full verify of the same store {baseline:.2f} s "
            f"({report.checkpoints} checkpoints checked, ok={report.ok})"  # type: ignore[attr-defined]
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
        seconds, check = _timed(lambda: verify_audit_pdf(signed, issuer=issuer), 5)
        assert check.ok, check.problems  # type: ignore[attr-defined]
        baseline, _ = _timed(lambda: verify_audit_pdf(EXAMPLE), 5)
        print(
            f"verify-pdf of the example audit file ({EXAMPLE.stat().st_size // 1024} KB, "
            f"{check.files} embedded files), signed: median {seconds:.2f} s (target < 2 s); "  # type: ignore[attr-defined]
            f"baseline unsigned, today's checks only: {baseline:.2f} s"
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


def main(events: int = 100_000) -> None:
    checkpoints(events)
    verify_pdf()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")


if __name__ == "__main__":
    main(*[int(a) for a in sys.argv[1:]])
