"""Audit-file rendering benchmark: `python -m benchmarks.report_render [--runs N]`.

1. A typical matter (the example matter of `report_example`, about 20-25 pages, with its ten
   evidence files padded to 2 MB of incompressible bytes each, 20 MB in all): median of
   `make_audit_file` end to end (reading the store, view model, templates, layout, PDF/A with
   the evidence embedded), WeasyPrint already imported. Target: under 3 s.
2. Our overhead: WeasyPrint alone on the same final HTML with the same attachments and PDF/A
   variant, in the same run. Target: ours / WeasyPrint's at most 1.2.
3. Scaling: an in-memory matter of about 20 pages and one of about 200 pages (17 times the
   content), rendered the same way, each beside WeasyPrint alone on the same HTML. Target
   (issue 15): the large one under 9x the small one. Since the audit file lists every missing
   answer, every answer set against the records and every verified check in the timeline, the
   synthetic matter's tranche questions make the large file about 400 pages rather than 200
   (37 and 406 pages after item 4 and 5): the time per page says whether layout still scales
   linearly.
Also prints one cold `duediligence render` (a fresh process, WeasyPrint import included).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.report_example import GENERATED_AT, build_example, open_store, synthetic_records
from duediligence.adapters.locations import bundled_templates_dir
from duediligence.domain.case import GENESIS
from duediligence.report.html import render_html
from duediligence.report.pdf import (
    PDF_VARIANT,
    evidence_files,
    locked_fetcher,
    render_pdf,
)
from duediligence.report.render import make_audit_file
from duediligence.report.view import AuditInputs, build, gather


def _weasyprint_alone(html: str, attachments: list[tuple[Path, str]], target: Path) -> float:
    """The same HTML and attachments through WeasyPrint's own API, nothing of ours around it
    except the locked fetcher (the stylesheet and fonts must load the same way)."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    started = time.perf_counter()
    fonts = FontConfiguration()
    document = weasyprint.HTML(
        string=html,
        base_url=bundled_templates_dir().resolve().as_uri() + "/",
        url_fetcher=locked_fetcher(None, None),
    ).render(font_config=fonts)
    document.write_pdf(
        target,
        pdf_variant=PDF_VARIANT,
        attachments=[
            weasyprint.Attachment(
                filename=str(path), name=name, created=GENERATED_AT, modified=GENERATED_AT
            )
            for path, name in attachments
        ],
    )
    return time.perf_counter() - started


def typical(work: Path, runs: int) -> None:
    casefile, store, clock = open_store(work / "typical.sqlite3", datetime(2026, 1, 20, tzinfo=UTC))
    try:
        reference = build_example(casefile, clock, work / "files", evidence_size=2_000_000)
        total = sum(e.size for e in casefile.view(reference).records.evidence)
        ours: list[float] = []
        alone: list[float] = []
        pages = 0
        for n in range(runs):
            started = time.perf_counter()
            result = make_audit_file(
                casefile,
                reference,
                work / f"ours-{n}.pdf",
                generated_by="priya",
                generated_at=GENERATED_AT,
            )
            ours.append(time.perf_counter() - started)
            pages = result.pages
            inputs = gather(casefile, reference, generated_by="priya", generated_at=GENERATED_AT)
            audit = build(inputs)
            html = render_html(audit)
            files = [(f.path, f.name) for f in evidence_files(inputs, audit)]
            alone.append(_weasyprint_alone(html, files, work / f"alone-{n}.pdf"))
        ours_median = statistics.median(ours)
        alone_median = statistics.median(alone)
        print(
            f"typical matter: {pages} pages, {len(files)} evidence files, {total / 1e6:.1f} MB: "
            f"median {ours_median:.2f} s end to end over {runs} runs (target < 3 s)"
        )
        print(
            f"  WeasyPrint alone on the same HTML and attachments: median {alone_median:.2f} s; "
            f"ours / WeasyPrint = {ours_median / alone_median:.2f} (target <= 1.2; ours stores "
            "incompressible evidence uncompressed, WeasyPrint alone deflates it at level 9)"
        )
        cli_started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "duediligence",
                "render",
                reference,
                "-o",
                str(work / "cli.pdf"),
                "--store",
                str(work / "typical.sqlite3"),
                "--as",
                "priya",
                "--quiet",
            ],
            check=True,
            capture_output=True,
        )
        print(
            f"  cold `duediligence render` (new process): {time.perf_counter() - cli_started:.2f} s"
        )
    finally:
        store.close()


def scaling(work: Path, runs: int) -> None:
    casefile, store, _ = open_store(work / "scale.sqlite3", datetime(2026, 1, 20, tzinfo=UTC))
    try:
        firm = casefile.firm()
        assert firm is not None
        people = {p.id: p for p in casefile.people()}
        timings: dict[int, tuple[float, int, float]] = {}
        for scale in (1, 17):
            files = work / f"scale-{scale}"
            files.mkdir()
            records, paths = synthetic_records(casefile.library, files, units=scale)
            inputs = AuditInputs(
                view=casefile.view_of(records),
                firm=firm,
                people=people,
                library=casefile.library,
                events=(),
                chain_head=GENESIS,
                generated_at=GENERATED_AT,
                generated_by="priya",
                blob_paths=paths,
            )
            seconds = []
            alone = []
            for n in range(runs):
                started = time.perf_counter()
                audit = build(inputs)
                html = render_html(audit)
                embedded = evidence_files(inputs, audit)
                result = render_pdf(html, audit, work / f"scale-{scale}-{n}.pdf", embedded)
                seconds.append(time.perf_counter() - started)
                alone.append(
                    _weasyprint_alone(
                        html, [(f.path, f.name) for f in embedded], work / f"alone-{scale}-{n}.pdf"
                    )
                )
            timings[scale] = (statistics.median(seconds), result.pages, statistics.median(alone))
        (small, small_pages, small_alone) = timings[1]
        (large, large_pages, large_alone) = timings[17]
        print(
            f"scaling: {small_pages} pages in {small:.2f} s, {large_pages} pages in {large:.2f} s; "
            f"ratio {large / small:.1f}x for {large_pages / small_pages:.1f}x the pages "
            f"(target < 9x for about 200 pages); per page {small / small_pages:.3f} s and "
            f"{large / large_pages:.3f} s (flat when layout scales linearly)"
        )
        print(
            f"  WeasyPrint alone on the same HTML: {small_alone:.2f} s and {large_alone:.2f} s, "
            f"ratio {large_alone / small_alone:.1f}x; ours / WeasyPrint {small / small_alone:.2f} "
            f"(small) and {large / large_alone:.2f} (large)"
        )
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    import weasyprint  # noqa: F401 - imported once up front: runs measure rendering, not import

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        typical(work, args.runs)
        scaling(work, max(1, args.runs // 2))


if __name__ == "__main__":
    main()
