"""Fixtures for the hostile-input corpus: one seeded store per worker, copied for every test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.harness import Hostile, fresh_copy, seed


@pytest.fixture(scope="session")
def seeded_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seed(tmp_path_factory.mktemp("seed"))


@pytest.fixture
def hostile(seeded_store: Path, tmp_path: Path) -> Hostile:
    return fresh_copy(seeded_store, tmp_path)
