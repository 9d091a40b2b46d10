"""Evidence ingest speed and memory against `sha256sum` on the same file, in the same run.

Target (issue 3): ingesting a 1 GiB file runs at 75% or more of `sha256sum`'s throughput, with a
peak memory under 100 MB. The ingest runs in a child process so its peak RSS is its own.

    python -m benchmarks.casefile_ingest [SIZE_MIB]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = """
import resource, sys, time
from pathlib import Path
from duediligence.adapters.blobs import BlobDirectory
blobs = BlobDirectory(Path(sys.argv[2]))
start = time.perf_counter()
stored = blobs.put(Path(sys.argv[1]))
elapsed = time.perf_counter() - start
print(elapsed, stored.sha256, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def main(size_mib: int = 1024) -> None:
    with tempfile.TemporaryDirectory(dir=Path.cwd()) as tmp:
        source = Path(tmp) / "big.bin"
        block = os.urandom(1 << 20)
        with source.open("wb") as out:
            for i in range(size_mib):
                out.write(i.to_bytes(8, "little") + block[8:])
        # Flush the new file first, so its write-back does not compete with the ingest's own.
        os.sync()
        subprocess.run(["cat", str(source)], stdout=subprocess.DEVNULL, check=True)  # warm cache
        baselines, runs, peaks = [], [], []
        for attempt in range(3):
            start = time.perf_counter()
            done = subprocess.run(
                ["sha256sum", str(source)], capture_output=True, text=True, check=True
            )
            baselines.append(time.perf_counter() - start)
            expected = done.stdout.split()[0]
            result = subprocess.run(
                [sys.executable, "-c", CHILD, str(source), str(Path(tmp) / f"blobs{attempt}")],
                capture_output=True,
                text=True,
                check=True,
            )
            elapsed_text, sha, maxrss_kib = result.stdout.split()
            assert sha == expected, "hash differs from sha256sum"
            runs.append(float(elapsed_text))
            peaks.append(int(maxrss_kib))
            # Let the ingest's write-back finish so it does not slow the next measurement.
            os.sync()
        baseline, elapsed = statistics.median(baselines), statistics.median(runs)
        maxrss_kib = str(max(peaks))
        mib = size_mib
        print(f"file: {mib} MiB, median of 3 runs each")
        print(f"sha256sum: {baseline:.2f} s ({mib / baseline:.0f} MiB/s)")
        print(f"ingest:    {elapsed:.2f} s ({mib / elapsed:.0f} MiB/s), hash + copy + fsync")
        print(f"ratio:     {baseline / elapsed:.0%} of sha256sum (target >= 75%)")
        print(f"peak RSS of the ingesting process: {int(maxrss_kib) / 1024:.0f} MiB (target < 100)")
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1024)
