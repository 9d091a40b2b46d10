"""The audit file from a PostgreSQL case file is the one from SQLite (issue 19).

The report suite renders the example matter once, from SQLite (`example`); here the same
matter is built through the same services into a PostgreSQL database and rendered: every page
reads the same, word for word, apart from record ids and hashes, whole or shortened (ids are
random, so they, the chain head and the bound case states differ from run to run on either
engine, and a long id may wrap at another place: the text is compared without its spacing).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from benchmarks.report_example import DAVID, REFERENCE, build_example, open_store
from duediligence.adapters.locations import DatabaseUrl
from duediligence.domain.case import HoldGround, RestrictedKind
from duediligence.services.verify import verify
from tests.casefile.conftest import SEAL
from tests.postgres import PostgresServer
from tests.report.conftest import HELEN, MARKER, Rendered, render

_HEX = re.compile(r"[0-9a-f]{12,}")


def _words(reader: PdfReader) -> str:
    """The document's text without spacing, every run of 12 or more hex digits one mark."""
    return _HEX.sub("#", re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages)))


def test_the_audit_file_from_postgresql_reads_as_the_one_from_sqlite(
    example: Rendered,
    postgres: PostgresServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    database = DatabaseUrl(postgres.url(postgres.new_database()))
    casefile, store, clock = open_store(database, datetime(2026, 1, 20, tzinfo=UTC))
    try:
        build_example(casefile, clock, tmp_path / "files")
        casefile.hold(DAVID, REFERENCE, HoldGround.COURT_PROCEEDINGS, "Claim HC-2026-000123")
        for kind in RestrictedKind:
            casefile.add_restricted(HELEN, REFERENCE, kind, f"{kind.value}: {MARKER}", SEAL)
        rendered = render(casefile, REFERENCE, tmp_path / "audit.pdf")
        assert verify(casefile.store, casefile.blobs).ok
    finally:
        store.close()
    ours, theirs = PdfReader(rendered.path), example.reader()
    assert len(ours.pages) == len(theirs.pages) > 20
    assert _words(ours) == _words(theirs)
    assert MARKER not in _words(ours)
    # The embedded evidence is the same files, byte for byte; the manifest lists them the same.
    mine, example_files = ours.attachments, theirs.attachments
    assert sorted(mine) == sorted(example_files) and "duediligence-manifest.json" in mine
    for name, data in example_files.items():
        if name.endswith(".json"):
            assert _HEX.sub("#", mine[name][0].decode()) == _HEX.sub("#", data[0].decode())
        else:
            assert mine[name] == data, name
