"""Shared fixtures: the real UN and OFAC lists (read once per session) and the project fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from duediligence.screening.importers import import_list
from duediligence.screening.index import ScreeningIndex
from duediligence.screening.model import Snapshot

PROJECT = Path(__file__).resolve().parents[2]
FIXTURES = PROJECT / "tests" / "data" / "screening"
# The real lists and evaluation sets, copied into the repository (see FIXTURES/README.md).
UN_XML = FIXTURES / "lists" / "un" / "UN_consolidated.xml"
OFAC_DIR = FIXTURES / "lists" / "ofac"


@pytest.fixture(scope="session")
def un_snapshot() -> Snapshot:
    return import_list("un-xml", UN_XML)


@pytest.fixture(scope="session")
def ofac_snapshot() -> Snapshot:
    return import_list("ofac-csv", OFAC_DIR)


@pytest.fixture(scope="session")
def un_index(un_snapshot: Snapshot) -> ScreeningIndex:
    return ScreeningIndex([un_snapshot])


@pytest.fixture(scope="session")
def fixture_index() -> ScreeningIndex:
    return ScreeningIndex(
        [
            import_list("pep-csv", FIXTURES / "pep_sample.csv"),
            import_list("uksl-csv", FIXTURES / "uksl_sample.csv"),
            import_list("ftm-json", FIXTURES / "ftm_sample.jsonl"),
        ]
    )
