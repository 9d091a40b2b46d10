"""Finding 6: one sale, both sides. The seller's and the buyers' matters are linked by the
property, one buyer proceeds, and the audit file of either side names the other side's matter
with its CDD dates against instruction/marketing and the accepted offer, and its status: an
HMRC-style check finds both parties' CDD dates in either file."""

from __future__ import annotations

from pathlib import Path

from tests.agency.conftest import (
    BUYER_ANSWERS,
    SELLER_ANSWERS,
    AgencyCli,
    add_client,
    do_cdd,
    import_lists,
    open_sale,
)

PROPERTY = "7 Brookside Close, Caversham, Reading RG4 8QT"


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(p.extract_text() or "" for p in PdfReader(path).pages).split())


def test_linking_refuses_the_wrong_sides_and_changes_nothing(agency: AgencyCli) -> None:
    open_sale(agency, "S-1", "seller")
    open_sale(agency, "B-1", "buyer")
    before = agency.audit_count()
    wrong = agency("sales", "link", "B-1", "--property", PROPERTY)
    assert wrong.exit_code == 1
    assert "B-1 is not an estate agent's seller matter" in wrong.stderr
    unlinked = agency("sales", "buyer", "S-1", "B-1")
    assert unlinked.exit_code == 1 and "S-1 is not the seller's matter of a sale" in unlinked.stderr
    assert agency("sales", "show", "S-1").exit_code == 1
    assert agency.audit_count() == before
    assert agency("sales", "link", "S-1", "--property", PROPERTY).exit_code == 0
    again = agency("sales", "link", "S-1", "--property", PROPERTY)
    assert again.exit_code == 3 and "S-1 is already on a sale" in again.stderr
    seller_as_buyer = agency("sales", "buyer", "S-1", "S-1")
    assert seller_as_buyer.exit_code == 1 and "is not an estate agent's buyer matter" in (
        seller_as_buyer.stderr
    )


def test_both_audit_files_name_the_other_side_and_its_cdd_dates(
    agency: AgencyCli, tmp_path: Path
) -> None:
    import_lists(agency)
    open_sale(agency, "S-1", "seller")
    add_client(agency, "S-1", "Grace Adaeze Okafor", "1969-11-02")
    assert (
        agency("events", "add", "S-1", "instructed", "--at", "2026-11-01T10:00+00:00").exit_code
        == 0
    )
    do_cdd(agency, "S-1", SELLER_ANSWERS, tmp_path / "seller")
    assert (
        agency(
            "events", "add", "S-1", "marketing_started", "--at", "2026-11-03T09:00+00:00"
        ).exit_code
        == 0
    )
    for buyer in ("B-1", "B-2"):
        open_sale(agency, buyer, "buyer")
    add_client(agency, "B-2", "Amelia Jane Hart", "1991-05-14")
    do_cdd(agency, "B-2", BUYER_ANSWERS, tmp_path / "buyer")
    assert (
        agency("events", "add", "B-2", "offer_accepted", "--at", "2026-11-20T16:00+00:00").exit_code
        == 0
    )

    assert agency("sales", "link", "S-1", "--property", PROPERTY).exit_code == 0
    for buyer in ("B-1", "B-2"):
        linked = agency("sales", "buyer", "S-1", buyer)
        assert linked.exit_code == 0, linked.output
    assert agency("sales", "proceed", "B-2").exit_code == 0

    shown = agency.json("sales", "show", "B-2")
    assert shown["sale"]["property"] == PROPERTY
    sides = {s["reference"]: s for s in shown["sides"]}
    assert list(sides) == ["S-1", "B-1", "B-2"]
    assert sides["S-1"]["relationship_began"].startswith("2026-11-03T09:00")
    assert sides["S-1"]["cdd_completed_on"] == "2026-11-02" and sides["S-1"]["cdd_on_time"]
    assert sides["B-2"]["proceeding"] and not sides["B-1"]["proceeding"]
    assert sides["B-2"]["relationship_began"].startswith("2026-11-20T16:00")
    assert sides["B-1"]["cdd_on_time"] is None and not sides["B-1"]["gate_open"]
    listed = agency("sales", "list").output
    assert (
        "Buyer (proceeding) B-2: offer accepted 2026-11-20 16:00; CDD completed 2026-11-02 (on time)"
        in listed
    )

    seller_pdf, buyer_pdf = tmp_path / "s1.pdf", tmp_path / "b2.pdf"
    assert agency("render", "S-1", "-o", str(seller_pdf)).exit_code == 0
    assert agency("render", "B-2", "-o", str(buyer_pdf)).exit_code == 0
    for path, own in (
        (seller_pdf, "Seller (this file) S-1"),
        (buyer_pdf, "Buyer (proceeding) (this file) B-2"),
    ):
        text = _pdf_text(path)
        assert f"The sale: {PROPERTY}" in text
        assert own in text
        # Both parties' CDD dates against marketing and the offer, in either file.
        assert "S-1 2026-11-03 09:00 UTC (marketing started" in text
        assert "B-2 2026-11-20 16:00 UTC (offer accepted" in text
        assert text.count("2026-11-02 On time") == 2
        assert "Buyer B-1 NOT RECORDED — Not judged Closed open" in text
    # No personal data of the other side: the seller's file does not name the buyer.
    assert "Amelia" not in _pdf_text(seller_pdf)
    assert "Okafor" not in _pdf_text(buyer_pdf)


def test_the_property_address_goes_with_the_last_matter_on_the_sale(agency: AgencyCli) -> None:
    # The address (often the seller's home) is personal data: kept while any matter on the
    # sale is kept, purged with the last of them, and the chain still verifies.
    import sqlite3

    open_sale(agency, "S-1", "seller")
    open_sale(agency, "B-1", "buyer")
    assert agency("sales", "link", "S-1", "--property", PROPERTY).exit_code == 0
    assert agency("sales", "buyer", "S-1", "B-1").exit_code == 0
    for reference in ("S-1", "B-1"):
        ended = agency("events", "add", reference, "relationship_ended", "--at", "2019-03-01T10:00+00:00")  # fmt: skip
        assert ended.exit_code == 0, ended.output

    def dump() -> str:
        with sqlite3.connect(agency.store) as conn:
            return "\n".join(conn.iterdump())

    first = agency("retention", "purge", "S-1", "--yes", user="mo")
    assert first.exit_code == 0, first.output
    assert PROPERTY in dump()  # the buyer's matter is still kept, and relies on it
    shown = agency("sales", "show", "B-1")
    assert shown.exit_code == 0 and PROPERTY in shown.output
    last = agency("retention", "purge", "B-1", "--yes", user="mo")
    assert last.exit_code == 0, last.output
    assert PROPERTY not in dump()
    assert agency("sales", "show", "B-1").exit_code == 1
    verified = agency("verify", "--json", user="mo")
    assert verified.exit_code == 0, verified.output
