"""The audit-file commands: `render` a case to its PDF/A-3b audit file, `verify-pdf` a finished one.

The report package (and WeasyPrint, about 0.5 s to import) is imported inside the commands, so
`duediligence --help` and every other command start without it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from duediligence.cli.cases import Context, common
from duediligence.config import load_settings
from duediligence.domain.errors import DueDiligenceError


def default_output(reference: str) -> Path:
    """`<reference>-audit-file.pdf` in the current folder, the reference made safe as a name."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", reference).strip("._") or "case"
    return Path(f"{safe}-audit-file.pdf")


@click.command()
@click.argument("reference")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The PDF to write (default: REFERENCE-audit-file.pdf here).",
)
@click.option("--quiet", is_flag=True, help="Do not print progress.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@common
def render(ctx: Context, reference: str, output: Path | None, quiet: bool, force: bool) -> None:
    """Render case REFERENCE as a PDF/A-3b audit file with its evidence embedded."""
    from duediligence.adapters.identity import computer_account
    from duediligence.domain.paths import output_problem
    from duediligence.report.render import ReportOptions, make_audit_file

    settings = ctx.settings or load_settings(store=ctx.store_path)
    target = output or default_output(reference)
    # Checked before the render starts; the PDF is written to a private temporary file beside it
    # and renamed into place only when complete.
    problem = output_problem(target, store=ctx.store_path, force=force)
    if problem is not None:
        raise DueDiligenceError(problem)
    shown = -1

    def progress(fraction: float, message: str) -> None:
        nonlocal shown
        percent = int(fraction * 100)
        if not quiet and not ctx.as_json and percent >= shown + 10:
            shown = percent
            click.echo(f"{percent:3d}% {message}", err=True)

    with ctx.casefile() as casefile:
        result = make_audit_file(
            casefile,
            reference,
            target,
            generated_by=ctx.user or computer_account(),
            options=ReportOptions(firm_templates=settings.templates, logo=settings.logo),
            progress=progress,
        )
    ctx.emit(
        {"path": str(result.path), "pages": result.pages, "seconds": round(result.seconds, 3)},
        f"Wrote {result.path} ({result.pages} pages, {result.seconds:.1f} s).",
    )


@click.command(name="verify-pdf")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def verify_pdf(file: Path, as_json: bool) -> None:
    """Check an audit file on its own: ours, PDF/A-3b, every embedded file matches its hash."""
    import json

    from duediligence.report.verify_pdf import verify_audit_pdf

    try:
        check = verify_audit_pdf(file)
    except DueDiligenceError as error:  # pragma: no cover - verify reports, it does not raise
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "ok": check.ok,
                    "matter": check.matter,
                    "files": check.files,
                    "problems": check.problems,
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        for problem in check.problems:
            click.echo(problem)
        click.echo(f"{file}: matter {check.matter}, {check.files} embedded files checked.")
    if not check.ok:
        click.echo(f"error: {len(check.problems)} problem(s) in {file}", err=True)
        sys.exit(1)


COMMANDS: tuple[click.Command, ...] = (render, verify_pdf)
"""Registered on the `duediligence` group in `cli/__init__.py`."""
