"""Hostile strings print literally and reach nothing; a very large matter renders."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from benchmarks.report_example import PRIYA, open_store, synthetic_records
from duediligence.domain.case import (
    GENESIS,
    PartyKind,
    PartyRole,
)
from duediligence.domain.vocabulary import ClientType, FirmRole
from duediligence.report.html import render_html
from duediligence.report.pdf import evidence_files, render_pdf
from duediligence.report.view import AuditInputs, build
from duediligence.services.casefile import CaseFile, NewCase, NewEvidence, NewParty
from tests.report.conftest import render, squash, weasyprint_silent

PASSWD = '<img src="file:///etc/passwd">'
SCRIPT = "<script>alert('x')</script>"
ARABIC = "محمد بن راشد آل مكتوم"
CYRILLIC = "Владимир Кузнецов-Щербаков"
LONG = "Ü" + "x" * 298 + "Z"  # 300 characters, no break opportunity


def _case(casefile: CaseFile, reference: str) -> None:
    casefile.open_case(
        PRIYA,
        NewCase(
            reference=reference,
            firm_role=FirmRole.SOLICITOR,
            matter_type="residential_purchase",
            client_type=ClientType.INDIVIDUAL,
            responsible="priya",
            acting_for="buyer",
        ),
    )


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("hostile")
    casefile, store, _ = open_store(work / "s.sqlite3", datetime(2026, 2, 1, tzinfo=UTC))
    try:
        ref = "H-<b>&1"
        _case(casefile, ref)
        for name in (PASSWD, SCRIPT, ARABIC, CYRILLIC, LONG):
            casefile.add_party(
                PRIYA,
                ref,
                NewParty(
                    role=PartyRole.CLIENT,
                    kind=PartyKind.INDIVIDUAL,
                    name=name,
                    addresses=(f"{PASSWD} Flat 1",),
                ),
            )
        casefile.answer(PRIYA, ref, "ident.full_name", f"{SCRIPT} {ARABIC}")
        casefile.answer(PRIYA, ref, "matter.purpose", f"{PASSWD} {LONG}")
        evidence = work / "<img src=x onerror=1>.pdf"
        evidence.write_bytes(b"%PDF-1.4 hostile")
        casefile.attach_evidence(
            PRIYA,
            ref,
            evidence,
            NewEvidence(document_type="passport", party="p1", note=f"{SCRIPT} {CYRILLIC}"),
        )
        yield render(casefile, ref, work / "hostile.pdf")
    finally:
        store.close()


def test_hostile_strings_print_literally(hostile) -> None:
    text = squash(hostile.text())
    for value in (PASSWD, SCRIPT, CYRILLIC, LONG, "H-<b>&1", "<img src=x onerror=1>.pdf"):
        assert squash(value) in text, value
    # Right-to-left text comes out of the PDF in visual or logical order; either way it is there.
    arabic = squash(ARABIC)
    assert arabic in text or arabic[::-1] in text or all(w in text for w in ARABIC.split())


def test_hostile_strings_reach_nothing(hostile) -> None:
    assert hostile.fetched
    assert not any("passwd" in url or url.endswith("/x") for url in hostile.fetched)
    assert all("/templates/" in url for url in hostile.fetched)
    assert "root:x:0:0" not in hostile.text()


def test_a_matter_with_200_evidence_files_and_500_answers_renders(tmp_path: Path) -> None:
    casefile, store, _ = open_store(tmp_path / "s.sqlite3", datetime(2026, 2, 1, tzinfo=UTC))
    try:
        files = tmp_path / "files"
        files.mkdir()
        records, paths = synthetic_records(
            casefile.library, files, units=3, answers=500, evidence_files=200
        )
        firm = casefile.firm()
        assert firm is not None
        inputs = AuditInputs(
            view=casefile.view_of(records),
            firm=firm,
            people={p.id: p for p in casefile.people()},
            library=casefile.library,
            events=(),
            chain_head=GENESIS,
            generated_at=datetime(2026, 3, 1, tzinfo=UTC),
            generated_by="priya",
            blob_paths=paths,
        )
    finally:
        store.close()
    audit = build(inputs)
    target = tmp_path / "big.pdf"
    with weasyprint_silent():
        result = render_pdf(render_html(audit), audit, target, evidence_files(inputs, audit))
    reader = PdfReader(target)
    assert len(reader.attachments) == 201
    text = squash("".join(page.extract_text() for page in reader.pages))
    assert squash("Statements for tranche 30 reviewed") in text
    assert squash("Review 2 of 30, unit 2") in text
    assert squash("Earlier v1: Statements for tranche 30 reviewed") in text
    assert "statement-199.pdf" in text
    assert len(records.answers) == 500
    # How long it takes is measured by benchmarks/, not here: a loaded machine failed this test.
    assert result.pages > 20
