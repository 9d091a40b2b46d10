"""The WeasyPrint side: lay the audit file's HTML out as PDF/A-3b with every evidence file and a
JSON manifest embedded, through a URL fetcher locked to the bundled assets and the firm's logo.

WeasyPrint is imported inside the functions here (about 0.5 s to import); nothing else in the
program imports it. Output is deterministic for the same case and `generated_at`: attachment dates
come from the records, document dates from the view model, the PDF identifier from the content.
"""

from __future__ import annotations

import gc
import json
import logging
import mimetypes
import os
import re
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from duediligence.adapters.locations import bundled_templates_dir
from duediligence.report import ReportError
from duediligence.report.view import MANIFEST_NAME, AuditFile, AuditInputs, manifest_data

if TYPE_CHECKING:
    from weasyprint import Attachment

PDF_VARIANT = "pdf/a-3b"
"""PDF/A-3: the only PDF/A part that keeps arbitrary (non-PDF) attachments."""

Progress = Callable[[float, str], None]
"""Called with a fraction from 0 to 1 and a short message."""


@dataclass(frozen=True)
class EvidenceFile:
    """One evidence blob to embed."""

    name: str
    """Its name inside the PDF."""
    path: Path
    """Where its bytes are (the blob store)."""
    description: str
    """What it is, shown by PDF readers beside the name."""
    created: datetime
    """Received at (used for the attachment's dates, so output is reproducible)."""
    media_type: str = "application/octet-stream"
    """Its type told from its bytes; declared in the PDF (WeasyPrint would go by the name)."""


@dataclass
class RenderResult:
    """What a render produced."""

    path: Path
    pages: int
    seconds: float
    fetched: list[str] = field(default_factory=list)
    """Every URL WeasyPrint asked the fetcher for, allowed or not."""
    chain_head: str = ""
    """The chain head the file prints (what `verify-pdf --store` looks for in the chain)."""


class AssetRefused(ReportError):
    """A template asked for something outside the bundled assets and the firm's logo."""


def evidence_files(inputs: AuditInputs, audit: AuditFile) -> list[EvidenceFile]:
    """The distinct evidence blobs of the case, named as in the manifest."""
    files: dict[str, EvidenceFile] = {}
    by_sha = {e.sha256: e for e in reversed(inputs.view.records.evidence)}
    for row in audit.manifest:
        if row.sha256 in files:
            continue
        record = by_sha[row.sha256]
        files[row.sha256] = EvidenceFile(
            name=row.attachment,
            path=Path(inputs.blob_paths[row.sha256]),
            description=(
                f"Evidence: {row.document_type}; original name {row.original_name}; "
                f"SHA-256 {row.sha256}"
            ),
            created=record.received_at.astimezone(UTC),
            media_type=row.media_type,
        )
    return list(files.values())


def asset_roots(firm_templates: Path | None) -> list[Path]:
    """Folders the fetcher may read from: the firm's templates (first) and the bundled ones."""
    roots = [bundled_templates_dir().resolve()]
    if firm_templates is not None:
        roots.insert(0, firm_templates.resolve())
    return roots


def _allowed_path(url: str, roots: Sequence[Path], logo: Path | None) -> Path | None:
    """The file a URL may be served from, or None when it must be refused."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    try:
        path = Path(url2pathname(parts.path)).resolve()
    except (OSError, ValueError):
        return None
    if logo is not None and path == logo.resolve():
        return path if path.is_file() else None
    bundled = roots[-1]
    for root in roots:
        if path.is_relative_to(root) and path.is_file():
            # A firm file overrides the bundled one at the same relative path.
            if root == bundled and len(roots) > 1:
                override = roots[0] / path.relative_to(bundled)
                if override.is_file():
                    return override
            return path
    return None


def locked_fetcher(
    firm_templates: Path | None, logo: Path | None, log: list[str] | None = None
) -> Any:
    """A WeasyPrint URL fetcher that serves only bundled assets, firm templates and the logo.

    Anything else (another file, http, data: ...) stops the render with AssetRefused; every
    request is appended to `log`.
    """
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    roots = asset_roots(firm_templates)

    class Refused(FatalURLFetchingError):  # type: ignore[misc]
        pass

    class LockedFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if log is not None:
                log.append(url)
            path = _allowed_path(url, roots, logo)
            if path is None:
                raise Refused(
                    f"refused to fetch {url[:200]!r}: the audit file reads only its bundled "
                    "assets and the firm's logo"
                )
            media = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": media})

    return LockedFetcher(allowed_protocols={"file"})


@contextmanager
def _progress_from_log(progress: Progress | None) -> Iterator[None]:
    """Turn WeasyPrint's progress log ("Step 5 - Creating layout - Page N") into fractions."""
    if progress is None:
        yield
        return
    report = progress
    page_re = re.compile(r"Page (\d+)")

    class Handler(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            message = record.getMessage()
            match = page_re.search(message)
            if "layout" in message.lower() and match:
                pages = int(match.group(1))
                # The page count is unknown until the end: approach 0.85 as pages grow.
                report(0.2 + 0.65 * (1 - 1 / (1 + pages / 25)), f"Laying out page {pages}")
            elif message.startswith("Step 6"):
                report(0.92, "Writing the PDF")
            elif message.startswith("Step 7"):
                report(0.96, "Adding metadata")
            elif message.startswith("Step"):
                report(0.2, message.split(" - ", 1)[-1])

    logger = logging.getLogger("weasyprint.progress")
    handler = Handler(logging.INFO)
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)


def render_pdf(
    html: str,
    audit: AuditFile,
    target: Path,
    files: Sequence[EvidenceFile],
    *,
    firm_templates: Path | None = None,
    logo: Path | None = None,
    fetch_log: list[str] | None = None,
    progress: Progress | None = None,
    before_publish: Callable[[Path], None] | None = None,
) -> RenderResult:
    """Write the PDF/A-3b audit file to `target` (atomically: a partial file never appears);
    `before_publish` finishes the complete file before it takes its name (signs it)."""
    started = time.perf_counter()
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError

    log = fetch_log if fetch_log is not None else []
    fetcher = locked_fetcher(firm_templates, logo, log)
    font_config = FontConfiguration()
    base_url = bundled_templates_dir().resolve().as_uri() + "/"
    attachments = [_manifest_attachment(weasyprint, audit)] + [
        _evidence_attachment(weasyprint, f) for f in files
    ]
    partial = target.with_name(f".{target.name}.partial")
    # WeasyPrint builds hundreds of thousands of boxes that all live until the end; the cyclic
    # garbage collector re-scans them again and again, which made a 200-page file 14x slower
    # than a 20-page one instead of 9x. Nothing is freed early anyway, so pause it.
    collecting = gc.isenabled()
    gc.disable()
    try:
        with _progress_from_log(progress):
            document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
                font_config=font_config
            )
            if progress:
                progress(0.88, f"Embedding {len(files)} evidence files")
            # Private from the first byte: the file holds personal data, like the case file.
            partial.unlink(missing_ok=True)
            os.close(os.open(partial, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600))
            types = {f.name: f.media_type for f in files}
            document.write_pdf(
                partial,
                pdf_variant=PDF_VARIANT,
                attachments=attachments,
                finisher=lambda doc, pdf: _finish(doc, pdf, types),
            )
            if before_publish is not None:
                before_publish(partial)
        partial.replace(target)
    except FatalURLFetchingError as error:
        partial.unlink(missing_ok=True)
        raise AssetRefused(str(error)) from None
    except OSError as error:
        # Cannot write there (no folder, no permission, a name too long): say so, no traceback.
        with suppress(OSError):
            partial.unlink(missing_ok=True)
        raise ReportError(
            f"the audit file cannot be written to {target}: {error.strerror}"
        ) from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        if collecting:
            gc.enable()
    if progress:
        progress(1.0, f"Wrote {target}")
    return RenderResult(
        path=target,
        chain_head=audit.cover.chain_head,
        pages=len(document.pages),
        seconds=time.perf_counter() - started,
        fetched=log,
    )


def _finish(document: Any, pdf: Any, media_types: dict[str, str]) -> None:
    """Archival details WeasyPrint gets wrong, fixed on the finished object tree."""
    _declare_media_types(pdf, media_types)
    _list_each_file_once(pdf)
    _store_incompressible(document, pdf)


def _declare_media_types(pdf: Any, media_types: dict[str, str]) -> None:
    """Declare each evidence file's true media type: WeasyPrint guesses from the name, so a JPEG
    named `.pdf` would be declared application/pdf."""
    for item in pdf.objects:
        if not isinstance(item, dict) or item.get("Type") != "/Filespec":
            continue
        name = getattr(item.get("UF"), "string", None)
        kind = media_types.get(name) if isinstance(name, str) else None
        if kind is None:
            continue
        stream = pdf.objects[int(_key(item["EF"]["F"]).split()[0])]
        stream.extra["Subtype"] = "/" + kind.replace("/", "#2f")


def _list_each_file_once(pdf: Any) -> None:
    """WeasyPrint's PDF/A-3 step adds every attachment to the catalog's /AF twice (once from the
    name tree, once per file specification); an archive checker counts each twice."""
    listed = pdf.catalog.get("AF")
    if listed is None:
        return
    unique = list({_key(ref): ref for ref in reversed(listed)}.values())[::-1]
    listed.clear()
    listed.extend(unique)


def _key(reference: Any) -> bytes:
    return reference if isinstance(reference, bytes) else str(reference).encode()


def _store_incompressible(_document: Any, pdf: Any) -> None:
    """Leave already-compressed evidence (scans, photos, PDFs) uncompressed in the PDF.

    WeasyPrint deflates every stream at level 9; on 20 MB of JPEG or PDF that costs most of a
    second and saves nothing. A quick level-1 probe of the first 64 KiB decides per file.
    """
    import zlib

    for item in pdf.objects:
        extra = getattr(item, "extra", None)
        if not isinstance(extra, dict) or extra.get("Type") != "/EmbeddedFile":
            continue
        first = item.stream[0] if item.stream else b""
        head = bytes(first[:65536]) if isinstance(first, bytes | bytearray) else b""
        if head and len(zlib.compress(head, 1)) > 0.9 * len(head):
            item.compress = False


def _manifest_attachment(weasyprint: Any, audit: AuditFile) -> Attachment:
    data = json.dumps(manifest_data(audit), indent=1, ensure_ascii=False, sort_keys=True)
    created = datetime.fromisoformat(audit.generated_at_iso)
    return weasyprint.Attachment(
        string=data.encode("utf-8"),
        name=MANIFEST_NAME,
        description="Manifest of the embedded evidence files (name, size, media type, SHA-256)",
        relationship="Data",
        created=created,
        modified=created,
    )


def _evidence_attachment(weasyprint: Any, item: EvidenceFile) -> Attachment:
    if not item.path.is_file():
        raise ReportError(f"evidence file {item.name} is missing from the blob store")
    return weasyprint.Attachment(
        filename=str(item.path),
        name=item.name,
        description=item.description,
        relationship="Source",
        created=item.created,
        modified=item.created,
    )
