"""Issue 15, item 6: beneficial-ownership percentages computed through the layers, drawn as a
chart (inline SVG), and a typed holding that differs from the computed one flagged."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from benchmarks.report_example import PRIYA, open_store
from duediligence.domain.case import PartyKind, PartyRole
from duediligence.domain.ownership import Holding, structure_of
from duediligence.domain.vocabulary import ClientType, FirmRole
from duediligence.services.casefile import NewCase, NewParty
from tests.report.conftest import Rendered, render, squash

REF = "BO/2026/0001"
LAYERS = (
    ("Topco Holdings Ltd (01234567)", "GB", "Midco SA", "60"),
    ("Topco Holdings Ltd", "GB", "Jane Roe", "40"),
    ("Midco SA", "LU", "Jane Roe", "50"),
    ("Midco SA", "LU", "Bob Doe", "50"),
)


@pytest.fixture(scope="module")
def layered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rendered]:
    """A company client two layers deep: Jane holds 40% directly and half of Midco, which holds
    60% (70% in all) but was typed as 40%; Bob holds half of Midco (30%), typed right."""
    work = tmp_path_factory.mktemp("layers")
    casefile, store, clock = open_store(work / "store.sqlite3", datetime(2026, 2, 1, tzinfo=UTC))
    try:
        clock.at("2026-02-02T09:00:00")
        casefile.open_case(
            PRIYA,
            NewCase(
                reference=REF,
                firm_role=FirmRole.SOLICITOR,
                matter_type="residential_purchase",
                client_type=ClientType.COMPANY_UK,
                responsible="priya",
                acting_for="buyer",
            ),
        )
        for role, kind, name in (
            (PartyRole.CLIENT, PartyKind.ENTITY, "Topco Holdings Ltd"),
            (PartyRole.BENEFICIAL_OWNER, PartyKind.INDIVIDUAL, "Jane Roe"),
            (PartyRole.BENEFICIAL_OWNER, PartyKind.INDIVIDUAL, "Bob Doe"),
        ):
            casefile.add_party(PRIYA, REF, NewParty(role=role, kind=kind, name=name))
        if not any(
            r.checklist_id == "beneficial-ownership" for r in casefile.view(REF).records.runs
        ):
            casefile.start_checklist(PRIYA, REF, "beneficial-ownership", "p1")
        [run] = [
            r.key
            for r in casefile.view(REF).records.runs
            if r.checklist_id == "beneficial-ownership"
        ]
        for n, (entity, country, holder, percent) in enumerate(LAYERS, start=1):
            casefile.answer(PRIYA, REF, f"layer.entity#{n}", entity, run_key=run)
            casefile.answer(PRIYA, REF, f"layer.country#{n}", country, run_key=run)
            casefile.answer(PRIYA, REF, f"layer.holder#{n}", holder, run_key=run)
            casefile.answer(PRIYA, REF, f"layer.percent#{n}", percent, run_key=run)
        casefile.answer(PRIYA, REF, "bo.identified", "identified", run_key=run)
        for n, (party, direct, indirect) in enumerate((("p2", "40", "0"), ("p3", "0", "30")), 1):
            casefile.answer(PRIYA, REF, f"bo.party#{n}", party, run_key=run)
            casefile.answer(PRIYA, REF, f"bo.direct_pct#{n}", direct, run_key=run)
            casefile.answer(PRIYA, REF, f"bo.indirect_pct#{n}", indirect, run_key=run)
        yield render(casefile, REF, work / "layers.pdf")
    finally:
        store.close()


def test_the_read_model_computes_each_share_through_the_layers(layered: Rendered) -> None:
    [(_, structure)] = layered.view.ownership
    assert structure.tops == ("Topco Holdings Ltd (01234567)",)
    shares = {s.holder: s for s in structure.shares}
    assert shares["Jane Roe"].percent == Decimal(70)
    assert shares["Jane Roe"].typed == Decimal(40) and shares["Jane Roe"].mismatch
    assert shares["Bob Doe"].percent == Decimal(30) and not shares["Bob Doe"].mismatch
    assert structure.problems == ("Jane Roe: typed as 40%, computed through the layers as 70%",)


def test_part_2_prints_the_computed_shares_and_the_chart(layered: Rendered) -> None:
    text = squash(layered.text())
    part = text.split(squash("Ownership worked through the layers"), 1)[1]
    for words in (
        "Jane Roe 70% 40% Beneficial owner (over 25%); DIFFERS FROM THE TYPED HOLDING",
        "Jane Roe → Midco SA → Topco Holdings Ltd (01234567)",
        "Jane Roe → Topco Holdings Ltd (01234567)",
        "Bob Doe 30% 30% Beneficial owner (over 25%)",
        "Jane Roe: typed as 40%, computed through the layers as 70%",
    ):
        assert squash(words) in part, words
    # The chart is drawn in the page (vector shapes and text), not attached or fetched.
    assert all(url.startswith("file:") and "/templates/" in url for url in layered.fetched)
    page = next(
        p
        for p in layered.reader().pages
        if "Ownership worked through the layers" in p.extract_text()
    )
    # The heading keeps to its chart: both on one page.
    content = page.get_contents()
    assert content is not None
    drawn = content.get_data()
    assert b" re" in drawn or b"re\n" in drawn  # rectangles
    assert squash("ultimate holder") in squash(page.extract_text())
    assert squash("client entity") in squash(page.extract_text())


def test_cycles_and_layers_over_100_percent_are_named() -> None:
    cycle = structure_of(
        (
            Holding(1, "Top Ltd", "A Ltd", Decimal(100)),
            Holding(2, "A Ltd", "B Ltd", Decimal(100)),
            Holding(3, "B Ltd", "A Ltd", Decimal(100)),
        )
    )
    assert any("a cycle" in p for p in cycle.problems)
    over = structure_of(
        (Holding(1, "Top Ltd", "Ann", Decimal(70)), Holding(2, "Top Ltd", "Ben", Decimal(40)))
    )
    assert "Top Ltd: its holders add up to 110%, over 100%" in over.problems
    unknown = structure_of(
        (Holding(1, "Top Ltd", "Ann", None), Holding(2, "Top Ltd", "Ben", Decimal(25)))
    )
    assert [s.holder for s in unknown.shares] == ["Ben"]
    assert not unknown.shares[0].over_threshold  # 25% is not more than 25%
    assert any("without a percentage" in p for p in unknown.problems)
