"""Report fixtures: real stores on tmp paths, rendered once per session where tests only read.

Every render here runs under `weasyprint_silent`, which fails the test on any WeasyPrint log record
at WARNING or above (WeasyPrint reports bad CSS, missing fonts or refused URLs only by logging).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from benchmarks.report_example import DAVID, GENERATED_AT, REFERENCE, build_example, open_store
from duediligence.domain.case import Actor, HoldGround, RestrictedKind
from duediligence.report.pdf import RenderResult
from duediligence.report.render import make_audit_file
from duediligence.services.casefile import CaseFile
from duediligence.services.reading import CaseView
from tests.casefile.conftest import SEAL

MARKER = "RESTRICTED-MARKER-7f3a9c"
"""Put in every MLRO-restricted record; must never reach the audit file."""

HELEN = Actor(user="helen", os_user="example")  # the account the example binds her to


@contextmanager
def weasyprint_silent() -> Iterator[list[logging.LogRecord]]:
    """Collect WeasyPrint's warnings and errors; fail if there are any."""
    records: list[logging.LogRecord] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    logger = logging.getLogger("weasyprint")
    handler = Collect(logging.WARNING)
    logger.addHandler(handler)
    try:
        yield records
    finally:
        logger.removeHandler(handler)
    assert not records, [r.getMessage() for r in records]


@dataclass
class Rendered:
    """A rendered audit file and what it was made from."""

    path: Path
    result: RenderResult
    view: CaseView
    casefile: CaseFile
    fetched: list[str] = field(default_factory=list)
    store_path: Path | None = None
    _text: str | None = None

    def reader(self) -> PdfReader:
        return PdfReader(self.path)

    def text(self) -> str:
        if self._text is None:
            self._text = "\n".join(page.extract_text() for page in self.reader().pages)
        return self._text


def squash(text: str) -> str:
    """Text with all whitespace removed and compatibility forms folded (line breaks and Arabic
    presentation forms from PDF extraction do not matter for "is it there")."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def render(casefile: CaseFile, reference: str, target: Path, **kwargs: object) -> Rendered:
    log: list[str] = []
    with weasyprint_silent():
        result = make_audit_file(
            casefile,
            reference,
            target,
            generated_by=str(kwargs.pop("generated_by", "priya")),
            generated_at=GENERATED_AT,
            fetch_log=log,
            **kwargs,  # type: ignore[arg-type]
        )
    return Rendered(target, result, casefile.view(reference), casefile, log)


@pytest.fixture(scope="session")
def example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rendered]:
    """The realistic example matter, with a restricted record of every kind, rendered once."""
    work = tmp_path_factory.mktemp("example")
    casefile, store, clock = open_store(work / "store.sqlite3", datetime(2026, 1, 20, tzinfo=UTC))
    try:
        build_example(casefile, clock, work / "files")
        casefile.hold(DAVID, REFERENCE, HoldGround.COURT_PROCEEDINGS, "Claim HC-2026-000123")
        for kind in RestrictedKind:
            casefile.add_restricted(HELEN, REFERENCE, kind, f"{kind.value}: {MARKER}", SEAL)
        rendered = render(casefile, REFERENCE, work / "audit.pdf")
        rendered.store_path = work / "store.sqlite3"
        yield rendered
    finally:
        store.close()
