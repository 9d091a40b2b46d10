"""The example matter's audit file read back: every part in order, every answer with its question,
attachments and their hashes, PDF/A markers, metadata, pictures of pages, nothing restricted."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path
from typing import Any

from PIL import Image

from duediligence.report.view import FORMAT, MANIFEST_NAME, PARTS
from tests.report.conftest import MARKER, Rendered, squash


def _outline(rendered: Rendered) -> list[tuple[Any, Any]]:
    reader = rendered.reader()
    return [
        (item.title, reader.get_destination_page_number(item))
        for item in reader.outline
        if not isinstance(item, list)
    ]


def test_every_part_is_bookmarked_in_order(example: Rendered) -> None:
    outline = _outline(example)
    assert [title for title, _ in outline] == [f"{n}. {p}" for n, p in enumerate(PARTS, 1)]
    pages = [page for _, page in outline]
    assert pages == sorted(pages)
    assert pages[0] == 0


def test_each_part_says_what_it_must(example: Rendered) -> None:
    text = squash(example.text())
    view = example.view
    records = view.records
    expected = {
        "cover": [
            "Harcourt&ValeLLP",
            "HV/2026/0147",
            "NurlanAbenov",
            "High",
            "Acceptwithconditions",
            "PriyaShah",
            view.state_sha256,
            *(r.content_sha256 for r in records.runs),
        ],
        "parties": ["SteppeCrestPropertiesLtd", "15873302", "100%", "MargaretWhitfield"],
        "identification": [
            "Ministry of Internal Affairs",
            "Original seen in person",
            "notrecorded",
        ],
        "timing": [
            "Relationshipbegan",
            # The example verifies before the relationship (a PEP matter waits for approval).
            "before the relationship began",
            "Relationship established",
            "Fundsreceived",
            "Completion",
        ],
        "screening": [
            # Reason codes print as words (issue 15), never as TP_CONFIRMED_ESCALATE.
            "Confirmed: escalate",
            "Different date of birth",
            "pep-csv",
            "uksl-csv",
            "kz-pep-0412",
        ],
        "risk": ["Computedscore", "ForeignPEP(deputyminister)", "Earlierv1"],
        "edd": ["Sixmonthsofstatements", "Deputy Minister, Ministry of Energy"],
        "approvals": [
            "SUPERSEDED",
            "Seniormanager",
            *(a.state_sha256 for a in records.approvals),
            "Approvalsrequested",
            "PriyaShah(priya)",
            "Exchange planned for 12 March; PEP EDD complete.",
        ],
        "decision": ["Acceptwithconditions", "G1", "G4"],
        "manifest": [e.sha256 for e in records.evidence],
        "trail": [
            "answer.set",
            "evidence.add",
            "approval.requested",
            "approval.approved",
            "case.open",
            "hold.place",
        ],
        "retention": [
            "2031-03-27",
            "businessrelationshipended",
            "INFORCE:courtproceedings",
            "HC-2026-000123",
        ],
    }
    missing = {
        part: [s for s in strings if squash(s) not in text] for part, strings in expected.items()
    }
    assert not any(missing.values()), missing


def test_every_answer_appears_with_its_question_who_and_when(example: Rendered) -> None:
    text = squash(example.text())
    library = example.casefile.library
    runs = {r.id: r for r in example.view.records.runs}
    people = {p.id: p.name for p in example.casefile.people()}
    for answer in example.view.records.answers:
        checklist = library.get(runs[answer.run_id].checklist_id)
        assert checklist is not None
        question = checklist.question(answer.question_key.partition("#")[0])
        assert question is not None
        assert squash(question.text) in text, answer.question_key
        assert squash(f"v{answer.number}·{people[answer.answered_by]}") in text
        assert squash(f"{answer.answered_at:%Y-%m-%d %H:%M} UTC") in text


def test_evidence_is_embedded_with_its_hash_and_listed_in_the_manifest(example: Rendered) -> None:
    reader = example.reader()
    attachments = reader.attachments
    manifest = json.loads(attachments[MANIFEST_NAME][0])
    assert manifest["format"] == FORMAT
    assert manifest["matter"] == "HV/2026/0147"
    records = example.view.records
    # 18 records, 15 files: the donor's three documents are each filed under two questions.
    assert len(manifest["files"]) == len(records.evidence) == 18
    for entry, evidence in zip(manifest["files"], records.evidence, strict=True):
        assert entry["sha256"] == evidence.sha256
        assert entry["media_type"] == evidence.media_type
        data = attachments[entry["attachment"]][0]
        assert hashlib.sha256(data).hexdigest() == evidence.sha256
        assert len(data) == evidence.size == entry["size"]
    # Each attachment says what it is and how it relates to the document (PDF/A-3 /AF).
    catalog: Any = reader.trailer["/Root"]
    specs = [ref.get_object() for ref in catalog["/AF"]]
    relationships = {str(s["/UF"]): str(s["/AFRelationship"]) for s in specs}
    assert relationships[MANIFEST_NAME] == "/Data"
    assert {relationships[e["attachment"]] for e in manifest["files"]} == {"/Source"}
    assert all(str(s["/Desc"]) for s in specs)


def test_pdfa_3b_and_metadata(example: Rendered) -> None:
    reader = example.reader()
    root: Any = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp
    assert 'pdfaid:conformance="B"' in xmp
    meta: Any = reader.metadata
    assert meta is not None
    assert meta["/Title"] == "AML audit file — HV/2026/0147"
    assert meta["/Author"] == "Harcourt & Vale LLP"
    assert "HV/2026/0147" in meta["/Subject"]
    assert meta["/CreationDate"].startswith("D:20260327163000")
    assert FORMAT in meta["/Keywords"]
    assert "<dc:title>" in xmp or "dc:title" in xmp


def test_every_page_has_the_running_header_and_page_x_of_y(example: Rendered) -> None:
    pages = example.reader().pages
    for number, page in enumerate(pages, 1):
        text = page.extract_text()
        assert "HV/2026/0147 · Confidential" in text
        assert f"Page {number} of {len(pages)}" in text


def _ink(png: Path) -> float:
    image = Image.open(png).convert("L")
    dark = sum(image.histogram()[:128])
    return dark / (image.width * image.height)


def test_cover_and_a_table_page_render_to_png(example: Rendered, tmp_path: Path) -> None:
    manifest_page = dict(_outline(example))["10. Evidence manifest"] + 1
    for page in (1, manifest_page):
        prefix = tmp_path / f"page{page}"
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "40",
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                str(example.path),
                str(prefix),
            ],
            check=True,
            capture_output=True,
        )
        png = prefix.with_suffix(".png")
        assert Image.open(png).size == (331, 468)  # A4 at 40 dpi
        assert 0.005 < _ink(png) < 0.5, page


def test_restricted_records_never_reach_the_file(example: Rendered) -> None:
    reader = example.reader()
    assert MARKER not in example.text()
    assert MARKER not in str(reader.metadata)
    root: Any = reader.trailer["/Root"]
    assert MARKER not in root["/Metadata"].get_object().get_data().decode()
    for contents in reader.attachments.values():
        assert all(MARKER.encode() not in data for data in contents)
    assert "restricted" not in example.text().lower()


def test_the_fetcher_served_only_bundled_assets(example: Rendered) -> None:
    assert example.fetched
    assert all(url.startswith("file://") and "/templates/" in url for url in example.fetched)


def test_the_same_case_renders_to_the_same_bytes(example: Rendered, tmp_path: Path) -> None:
    from tests.report.conftest import render

    again = render(example.casefile, "HV/2026/0147", tmp_path / "again.pdf")
    assert again.path.read_bytes() == example.path.read_bytes()
