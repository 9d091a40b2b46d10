"""Build the example audit file committed under docs/: `python docs/make_example.py`.

Creates the fictional matter of `benchmarks/report_example.py` on a temporary store, renders it,
and writes docs/example-audit-file.pdf and PNGs of its first pages (pdftoppm, poppler-utils).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.report_example import GENERATED_AT, STARTED_AT, build_example, open_store  # noqa: E402
from duediligence.report.render import make_audit_file  # noqa: E402

PAGES = 3


def main() -> None:
    docs = ROOT / "docs"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        casefile, store, clock = open_store(work / "example.sqlite3", STARTED_AT)
        try:
            reference = build_example(casefile, clock, work / "files")
            target = docs / "example-audit-file.pdf"
            result = make_audit_file(
                casefile, reference, target, generated_by="priya", generated_at=GENERATED_AT
            )
        finally:
            store.close()
    for page in range(1, PAGES + 1):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "80",
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                str(target),
                str(docs / f"example-audit-file-p{page}"),
            ],
            check=True,
        )
    print(f"{target}: {result.pages} pages in {result.seconds:.2f} s")


if __name__ == "__main__":
    main()
