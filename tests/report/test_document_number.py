"""The audit file prints an identity document's number masked, never whole, and an MLRO
rating override with its rationale and its audit event."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from benchmarks.report_example import HELEN, PRIYA, REFERENCE, build_example, open_store
from duediligence.domain.masking import mask_number
from duediligence.domain.vocabulary import Rating
from duediligence.services.casefile import NewEvidence
from tests.report.conftest import render, squash

NUMBER = "533907654321"
RATIONALE = (
    "Override for the audit-file test: the client's PEP role ended years ago and the funds are "
    "fully evidenced by a completed sale of the family home."
)


def test_the_pdf_shows_only_the_masked_number(tmp_path: Path) -> None:
    casefile, store, _clock = open_store(
        tmp_path / "store.sqlite3", datetime(2026, 1, 20, tzinfo=UTC)
    )
    try:
        build_example(casefile, _clock, tmp_path / "files")
        scan = tmp_path / "second-passport.pdf"
        scan.write_bytes(b"%PDF-1.4 second passport scan")
        casefile.attach_evidence(
            PRIYA,
            REFERENCE,
            scan,
            NewEvidence(document_type="passport", party="p1", document_number=NUMBER),
        )
        casefile.answer(PRIYA, REFERENCE, "risk.rating", "low")
        casefile.override_rating(HELEN, REFERENCE, Rating.LOW, RATIONALE)
        text = squash(render(casefile, REFERENCE, tmp_path / "audit.pdf").text())
    finally:
        store.close()
    masked = mask_number(NUMBER)
    assert masked == "••••••••4321"
    assert masked in text
    assert NUMBER not in text
    assert "07654321" not in text and "533907" not in text
    assert squash("on MLRO override by") in text
    assert squash(RATIONALE) in text
    # The override is in the matter's audit trail (part 11) like every other record.
    assert squash("rating.override") in text and squash("rating override (low)") in text
