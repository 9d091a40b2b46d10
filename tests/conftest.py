"""Shared test set-up: where the project checkout lives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
"""The project checkout."""


@pytest.fixture
def project_root() -> Path:
    """The project checkout (read-only for tests)."""
    return PROJECT


@pytest.fixture(autouse=True)
def no_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts without the `DUEDILIGENCE_*` variables of the shell that runs it (a
    `DUEDILIGENCE_REVIEW_MONTHS__HIGH=999` there must not change what a test sees); a test
    that needs one sets it itself."""
    for name in list(os.environ):
        if name.startswith("DUEDILIGENCE_"):
            monkeypatch.delenv(name)
