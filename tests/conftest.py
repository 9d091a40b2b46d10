"""Shared test set-up: where the project checkout lives."""

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
"""The project checkout."""


@pytest.fixture
def project_root() -> Path:
    """The project checkout (read-only for tests)."""
    return PROJECT
