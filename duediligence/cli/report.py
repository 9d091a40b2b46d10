"""The audit-file commands: `render` a case to its PDF/A-3b audit file, `verify-pdf` a finished one.

The report package (and WeasyPrint, about 0.5 s to import) is imported inside the commands, so
`duediligence --help` and every other command start without it.
"""

from __future__ import annotations

import re
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

import click

from duediligence.adapters.locations import local_path
from duediligence.cli.cases import Context, common
from duediligence.cli.proof import passphrase_file_option, signing_key
from duediligence.config import load_settings
from duediligence.domain.errors import DueDiligenceError
from duediligence.services.proof import NO_KEY

if TYPE_CHECKING:
    from duediligence.report.verify_pdf import Issuer


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
@passphrase_file_option("the firm key's passphrase (the audit file is signed)")
@common
def render(
    ctx: Context,
    reference: str,
    output: Path | None,
    quiet: bool,
    force: bool,
    passphrase_file: Path | None,
) -> None:
    """Render case REFERENCE as a PDF/A-3b audit file with its evidence embedded, signed with
    the firm's key (PAdES) and recorded in the audit trail with its SHA-256."""
    from duediligence.adapters.identity import computer_account
    from duediligence.domain.paths import output_problem
    from duediligence.report.render import ReportOptions, issue_audit_file

    settings = ctx.settings or load_settings(store=ctx.store_path)
    target = output or default_output(reference)
    # Checked before the render starts; the PDF is written to a private temporary file beside it
    # and renamed into place only when complete.
    problem = output_problem(target, store=local_path(ctx.store_path), force=force)
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
        key = signing_key(casefile, passphrase_file, "audit file")
        issued = issue_audit_file(
            casefile,
            reference,
            target,
            actor=ctx.actor() if ctx.user else None,
            firm_key=key,
            generated_by=ctx.user or computer_account(),
            options=ReportOptions(firm_templates=settings.templates, logo=settings.logo),
            progress=progress,
        )
    result, signed, sha256 = issued.result, issued.checkpoint, issued.sha256
    note = (
        f" Signed; checkpoint at event #{signed.sequence}."
        if signed is not None
        else (" " + NO_KEY[0].upper() + NO_KEY[1:] + "." if key is None else "")
    )
    ctx.emit(
        {
            "path": str(result.path),
            "pages": result.pages,
            "seconds": round(result.seconds, 3),
            "sha256": sha256,
            "signed": key is not None,
            "checkpoint": signed.sequence if signed is not None else None,
        },
        f"Wrote {result.path} ({result.pages} pages, {result.seconds:.1f} s).{note}",
    )


@click.command(name="verify-pdf")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "--store",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="The case file that should have issued it: its signature must be the firm's, its hash "
    "one the case file recorded, its chain head still in the chain.",
)
@click.option(
    "--cert",
    "cert_file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="The firm's certificate (PEM), when the case file is not at hand.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def verify_pdf(file: Path, store: Path | None, cert_file: Path | None, as_json: bool) -> None:
    """Check an audit file: its signature covers the whole file and is the firm's, it is ours,
    PDF/A-3b, every embedded file matches its hash (and, with --store, the case file issued it)."""
    import json

    from duediligence.report.verify_pdf import verify_audit_pdf

    try:
        with ExitStack() as opened:
            check = verify_audit_pdf(file, issuer=_issuer(store, cert_file, opened))
    except DueDiligenceError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "ok": check.ok,
                    "matter": check.matter,
                    "files": check.files,
                    "signed_by": check.signed_by,
                    "notes": check.notes,
                    "problems": check.problems,
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        for problem in check.problems:
            click.echo(problem)
        signed = (
            f"signed by certificate {check.signed_by}"
            if check.signed_by
            else "; ".join(check.notes) or "not signed"
        )
        click.echo(
            f"{file}: matter {check.matter}, {check.files} embedded files checked; {signed}."
        )
    if not check.ok:
        click.echo(f"error: {len(check.problems)} problem(s) in {file}", err=True)
        sys.exit(1)


def _issuer(store: Path | None, cert_file: Path | None, stack: ExitStack) -> Issuer | None:
    """What the file is checked against: the case file's certificates and issued files (the
    store stays open in `stack` while the file is checked), or a certificate file; None: the
    file alone."""
    from duediligence.report.verify_pdf import Issuer

    if store is not None:
        from duediligence.compose import open_casefile

        opened = stack.enter_context(open_casefile(store))
        certificates, issued, in_chain = opened.casefile.proof.issuing_facts()
        return Issuer(certificates=certificates, issued=issued, in_chain=in_chain)
    if cert_file is not None:
        try:
            pem = cert_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise DueDiligenceError(f"{cert_file} cannot be read: {error}") from None
        if "BEGIN CERTIFICATE" not in pem:
            raise DueDiligenceError(f"{cert_file} is not a PEM certificate")
        return Issuer(certificates=[pem])
    return None


COMMANDS: tuple[click.Command, ...] = (render, verify_pdf)
"""Registered on the `duediligence` group in `cli/__init__.py`."""
