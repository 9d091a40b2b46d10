"""The audit file prints each question as it was worded when it was answered (issue 16): the
case file keeps the checklist text of every version its answers were given against, so a
checklist reworded later does not put the new question beside the old answer."""

from __future__ import annotations

import shutil
from pathlib import Path

from duediligence.adapters.blobs import BlobDirectory
from duediligence.adapters.checklists_toml import load_library
from duediligence.adapters.locations import evidence_dir
from duediligence.adapters.store import SqlStore
from duediligence.report.html import render_html
from duediligence.report.view import build, gather
from duediligence.services.casefile import CaseFile
from tests.casefile.conftest import ALICE, CHECKLISTS, FixedClock


def test_the_audit_file_prints_the_question_as_it_was_answered(
    casefile: CaseFile, case_ref: str, tmp_path: Path, store: SqlStore
) -> None:
    own = tmp_path / "checklists"
    shutil.copytree(CHECKLISTS, own)
    casefile.library = load_library([own])
    casefile.answer(ALICE, case_ref, "pep", "no")
    source = own / "example.toml"
    source.write_text(
        source.read_text()
        .replace("Is the client a PEP?", "Is the client free of any PEP link?")
        .replace('version = "1.0"', 'version = "1.1"', 1)
    )
    # The firm's checklists as they read now.
    later = CaseFile(
        store, BlobDirectory(evidence_dir(store.path)), load_library([own]), FixedClock()
    )
    html = render_html(build(gather(later, case_ref, generated_by="alice")))
    assert "Is the client a PEP?" in html
    assert "Is the client free of any PEP link?" not in html
