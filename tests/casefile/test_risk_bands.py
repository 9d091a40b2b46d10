"""The firm's score bands (settings `risk_medium_from` / `risk_high_from`) decide the computed
rating everywhere: the evaluation, the read model and the stored listing row all use the one
`RiskPolicy` the composition root builds from the settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from duediligence.compose import policy_of
from duediligence.config import Settings, load_settings
from duediligence.domain.errors import DueDiligenceError
from duediligence.domain.vocabulary import ClientType, FirmRole, Rating
from duediligence.services.casefile import CaseFile, NewCase
from tests.casefile.conftest import ALICE


def _with_policy(casefile: CaseFile, settings: Settings) -> CaseFile:
    return CaseFile(
        casefile.store, casefile.blobs, casefile.library, casefile.clock, policy_of(settings)
    )


def test_the_firms_bands_decide_the_computed_rating_and_the_stored_row(
    casefile: CaseFile,
) -> None:
    default = _with_policy(casefile, Settings())
    strict = _with_policy(casefile, Settings(risk_medium_from=1, risk_high_from=2))
    default.open_case(
        ALICE,
        NewCase(
            reference="B-1",
            firm_role=FirmRole.SOLICITOR,
            matter_type="residential_purchase",
            client_type=ClientType.INDIVIDUAL,
            responsible="alice",
            acting_for="buyer",
        ),
    )
    default.answer(ALICE, "B-1", "value", "GBP 2500000")  # two points: over GBP 2m
    low = default.view("B-1").evaluation
    assert low.score == 2
    assert low.computed_rating is Rating.LOW
    summary = default.summary("B-1")
    assert summary is not None and summary.computed_rating == "low"

    strict.answer(ALICE, "B-1", "value", "GBP 2600000")  # a write stores the row afresh
    high = strict.view("B-1").evaluation
    assert high.score == 2
    assert high.computed_rating is Rating.HIGH
    summary = strict.summary("B-1")
    assert summary is not None and summary.computed_rating == "high"


def test_bands_out_of_order_are_a_named_settings_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DUEDILIGENCE_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("DUEDILIGENCE_RISK_MEDIUM_FROM", "5")
    monkeypatch.setenv("DUEDILIGENCE_RISK_HIGH_FROM", "4")
    with pytest.raises(DueDiligenceError) as raised:
        load_settings()
    assert "risk_high_from (4) must be above risk_medium_from (5)" in str(raised.value)
