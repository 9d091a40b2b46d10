"""One call from a case to its PDF audit file: gather, build the view model, render HTML, lay out.

This is the API the CLI, the child-process entry (`python -m duediligence.report`) and tests use.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from duediligence.report.html import render_html
from duediligence.report.pdf import Progress, RenderResult, evidence_files, render_pdf
from duediligence.report.sign import sign_file
from duediligence.report.view import build, gather
from duediligence.services.casefile import CaseFile

if TYPE_CHECKING:
    from duediligence.domain.case import Actor
    from duediligence.domain.proof import Checkpoint
    from duediligence.services.signing import FirmKey


@dataclass(frozen=True)
class ReportOptions:
    """Firm settings the audit file uses (from `Settings.templates` and `Settings.logo`)."""

    firm_templates: Path | None = None
    logo: Path | None = None


def make_audit_file(
    casefile: CaseFile,
    reference: str,
    target: Path,
    *,
    generated_by: str,
    options: ReportOptions | None = None,
    generated_at: datetime | None = None,
    progress: Progress | None = None,
    fetch_log: list[str] | None = None,
    firm_key: FirmKey | None = None,
) -> RenderResult:
    """Render case `reference` to `target` as a PDF/A-3b audit file with its evidence embedded,
    signed with `firm_key` (PAdES B-B) when given."""
    options = options or ReportOptions()
    if progress:
        progress(0.02, "Reading the case file")
    inputs = gather(casefile, reference, generated_by=generated_by, generated_at=generated_at)
    logo_url = options.logo.resolve().as_uri() if options.logo is not None else None
    audit = build(inputs, logo_url=logo_url)
    if progress:
        progress(0.1, "Filling in the templates")
    html = render_html(audit, firm_templates=options.firm_templates)
    return render_pdf(
        html,
        audit,
        target,
        evidence_files(inputs, audit),
        firm_templates=options.firm_templates,
        logo=options.logo,
        fetch_log=fetch_log,
        progress=progress,
        before_publish=None
        if firm_key is None
        else lambda path: sign_file(path, firm_key, f"Audit file of {reference}"),
    )


@dataclass(frozen=True)
class IssuedFile:
    """A render the case file issued: the file, its hash, and the checkpoint signed after it."""

    result: RenderResult
    sha256: str
    signed: bool
    checkpoint: Checkpoint | None


def issue_audit_file(
    casefile: CaseFile,
    reference: str,
    target: Path,
    *,
    actor: Actor | None,
    firm_key: FirmKey | None,
    generated_by: str,
    options: ReportOptions | None = None,
    progress: Progress | None = None,
) -> IssuedFile:
    """Render, sign (with `firm_key`), record the render in the audit trail with the file's
    SHA-256 (when someone, `actor`, renders it) and sign a checkpoint after it: what both the
    `render` command and the terminal UI's render do."""
    if actor is not None:
        casefile.proof.check_actor(actor)
    result = make_audit_file(
        casefile,
        reference,
        target,
        generated_by=generated_by,
        options=options,
        progress=progress,
        firm_key=firm_key,
    )
    digest = hashlib.sha256(result.path.read_bytes()).hexdigest()
    checkpoint = None
    if actor is not None:
        casefile.proof.record_issued(
            actor,
            reference,
            sha256=digest,
            pages=result.pages,
            chain_head=result.chain_head,
            certificate_sha256=firm_key.fingerprint if firm_key is not None else None,
        )
        if firm_key is not None:
            checkpoint = casefile.proof.checkpoint_with(actor, firm_key, f"render {reference}")
    return IssuedFile(result, digest, firm_key is not None, checkpoint)
