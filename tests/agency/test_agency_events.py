"""Findings 3 and 7: an estate agency's own events, passing gates named for an agency.

Marketing before the seller's CDD, and an offer accepted before the buyer's, are refused (the
same rule as a solicitor's exchange before G3) or recorded by the nominated officer as a flagged
exception; the timing reads the agency's events.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.agency.conftest import (
    LATE_BUYER,
    SELLER_ANSWERS,
    AgencyCli,
    add_client,
    do_cdd,
    import_lists,
    open_sale,
)
from tests.casefile.conftest import Cli

EXCEPTION = "Portal listing went live in error overnight; withdrawn at 9am and CDD started"


@pytest.mark.parametrize(
    ("side", "event", "gate"),
    [
        ("seller", "marketing_started", "Market the property"),
        ("buyer", "offer_accepted", "Accept the offer"),
    ],
)
def test_an_agency_event_before_cdd_is_refused_naming_its_gate(
    agency: AgencyCli, side: str, event: str, gate: str
) -> None:
    open_sale(agency, "S-1", side)
    before = agency.audit_count()
    refused = agency("events", "add", "S-1", event)
    assert refused.exit_code == 1
    words = event.replace("_", " ")
    assert f"error: {words} cannot be recorded on S-1: G1 ({gate.lower()}) is closed:" in (
        refused.stderr
    )
    assert "only the MLRO may record it as an exception" in refused.stderr
    # The branch manager cannot call it an exception either; nothing was written.
    assert (
        agency("events", "add", "S-1", event, "--exception", EXCEPTION, user="bea").exit_code == 1
    )
    assert agency.audit_count() == before
    # The nominated officer records it, flagged, with what blocked the gate.
    done = agency("events", "add", "S-1", event, "--exception", EXCEPTION, user="mo")
    assert done.exit_code == 0, done.output
    shown = agency.json("cases", "show", "S-1")
    (recorded,) = shown["events"]
    assert recorded["event"] == event and recorded["gate_exception"] == EXCEPTION
    assert recorded["blocked_by"]
    assert shown["warnings"][0].startswith(
        f"{words} recorded by the MLRO although its gate was closed"
    )
    assert shown["evaluation"]["gates"][0]["title"] == gate


def test_the_solicitors_exchange_meets_the_same_rule(cli: Cli) -> None:
    refused = cli("events", "add", "M-1", "exchange")
    assert refused.exit_code == 1
    assert "error: exchange cannot be recorded on M-1: G3 (exchange) is closed:" in refused.stderr
    assert "only the MLRO may record it as an exception" in refused.stderr


def test_events_of_another_kind_of_matter_are_refused(agency: AgencyCli, cli: Cli) -> None:
    open_sale(agency, "S-1", "seller")
    open_sale(agency, "B-1", "buyer")
    wrong = agency("events", "add", "S-1", "offer_accepted")
    assert wrong.exit_code == 1
    assert "'offer accepted' is not an event of an estate agent's seller" in wrong.stderr
    assert "its events are: instructed, marketing started, funds received" in wrong.stderr
    assert agency("events", "add", "B-1", "marketing_started").exit_code == 1
    solicitor = cli("events", "add", "M-1", "offer_accepted")
    assert solicitor.exit_code == 1
    assert "'offer accepted' is not an event of a solicitor's matter" in solicitor.stderr


def test_marketing_after_the_sellers_cdd_is_the_start_the_timing_reads(
    agency: AgencyCli, tmp_path: Path
) -> None:
    import_lists(agency)
    open_sale(agency, "S-1", "seller")
    add_client(agency, "S-1", "Grace Adaeze Okafor", "1969-11-02")
    assert (
        agency("events", "add", "S-1", "instructed", "--at", "2026-11-01T10:00+00:00").exit_code
        == 0
    )
    do_cdd(agency, "S-1", SELLER_ANSWERS, tmp_path / "files")
    shown = agency.json("cases", "show", "S-1")
    assert shown["evaluation"]["missing"] == []
    gate = shown["evaluation"]["gates"][0]
    assert gate == {"gate": "G1", "title": "Market the property", "open": True, "reasons": []}
    # Before marketing the instruction stands in; the answered date is not asked once the
    # event is recorded.
    assert shown["timing"]["basis"] == "instructed (no relationship event recorded)"
    done = agency("events", "add", "S-1", "marketing_started", "--at", "2026-11-03T09:00+00:00")
    assert done.exit_code == 0, done.output
    shown = agency.json("cases", "show", "S-1")
    timing = shown["timing"]
    assert timing["basis"] == "marketing started (the seller's CDD is due before it)"
    assert timing["relationship_began"].startswith("2026-11-03T09:00")
    assert timing["late"] == 0
    text = agency("cases", "show", "S-1").output
    assert "G1 Market the property: open" in text
    assert "Relationship began: 2026-11-03 09:00 UTC (marketing started" in text


def test_an_offer_accepted_before_verification_is_late_and_read_as_the_start(
    agency: AgencyCli, tmp_path: Path
) -> None:
    """The MLRO records the offer accepted on 1 November past a closed gate; the buyer's
    verification on 2 November is then a day late, judged against the offer."""
    import_lists(agency)
    open_sale(agency, "B-1", "buyer")
    add_client(agency, "B-1", "Amelia Jane Hart", "1991-05-14")
    done = agency(
        "events", "add", "B-1", "offer_accepted", "--at", "2026-11-01T15:30+00:00",
        "--exception", EXCEPTION, user="mo",
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    do_cdd(agency, "B-1", LATE_BUYER, tmp_path / "files")
    shown = agency.json("cases", "show", "B-1")
    timing = shown["timing"]
    assert timing["basis"] == "offer accepted (the buyer became a customer)"
    assert timing["relationship_began"].startswith("2026-11-01T15:30")
    assert timing["late"] == 3 and timing["late_unjustified"] == 0  # justified under reg 30(3)
    # The offer time was not asked again: the event says it.
    assert "offer.accepted_at" not in {m["question"] for m in shown["evaluation"]["missing"]}
    assert shown["evaluation"]["gates"][0]["title"] == "Accept the offer"


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def test_the_buyers_audit_file_speaks_as_an_agency(agency: AgencyCli, tmp_path: Path) -> None:
    """Finding 7: the buyer is the customer, the offer is the start, answered nationality and
    address are shown, and there is no solicitor heading."""
    import_lists(agency)
    open_sale(agency, "B-1", "buyer")
    agency("parties", "add", "B-1", "--role", "client", "--name", "Amelia Jane Hart")
    done = agency(
        "events", "add", "B-1", "offer_accepted", "--at", "2026-11-01T15:30+00:00",
        "--exception", EXCEPTION, user="mo",
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    do_cdd(agency, "B-1", LATE_BUYER, tmp_path / "files")
    out = tmp_path / "b1.pdf"
    rendered = agency("render", "B-1", "-o", str(out))
    assert rendered.exit_code == 0, rendered.output
    text = " ".join(_pdf_text(out).split())
    assert "Customer risk assessment" in text
    assert "Client and matter risk assessment" not in text
    assert "Customer (buyer) Amelia Jane Hart" in text
    assert "Relationship began: 2026-11-01 15:30" in text
    assert "offer accepted (the buyer became a customer)" in text
    assert "MLRO exception: " + EXCEPTION in text
    assert "Accept the offer" in text
    assert "Nationalities GB" in text
    assert "Flat 3, 22 Kings Road, Reading RG1 3AA" in text
