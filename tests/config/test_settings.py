"""Settings come from the TOML file and DUEDILIGENCE_* variables, and bad ones are named."""

from __future__ import annotations

from pathlib import Path

import pytest

from duediligence.config import load_settings
from duediligence.domain.errors import DueDiligenceError


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("DUEDILIGENCE_STORE", "DUEDILIGENCE_USER", "DUEDILIGENCE_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config-home"))


def test_defaults_are_the_firm_policy_defaults() -> None:
    settings = load_settings()
    assert (settings.review_months.high, settings.review_months.medium) == (12, 24)
    assert settings.review_months.low == 36
    assert settings.training_valid_months == 12
    assert settings.list_max_age_days == 7
    assert settings.allow_self_approval is False


def test_file_then_environment_then_explicit(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('user = "from-file"\nlist_max_age_days = 3\n[review_months]\nhigh = 6\n')
    monkeypatch.setenv("DUEDILIGENCE_CONFIG", str(config))
    settings = load_settings()
    assert (settings.user, settings.list_max_age_days, settings.review_months.high) == (
        "from-file",
        3,
        6,
    )
    monkeypatch.setenv("DUEDILIGENCE_USER", "from-env")
    monkeypatch.setenv("DUEDILIGENCE_REVIEW_MONTHS__HIGH", "9")
    assert load_settings().user == "from-env"
    assert load_settings().review_months.high == 9
    assert load_settings(user="explicit").user == "explicit"


def test_bad_setting_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("list_max_age_days = 0\ncolour = 'blue'\n")
    monkeypatch.setenv("DUEDILIGENCE_CONFIG", str(config))
    with pytest.raises(DueDiligenceError) as caught:
        load_settings()
    message = str(caught.value)
    assert "list_max_age_days" in message and "colour" in message
    assert str(config) in message


def test_broken_toml_file_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("user = \n")
    monkeypatch.setenv("DUEDILIGENCE_CONFIG", str(config))
    with pytest.raises(DueDiligenceError, match="cannot read the settings file"):
        load_settings()
