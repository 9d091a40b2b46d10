"""Finding 4: the sign-off is the signed-in person and the moment, a change to what it relied on
reopens it, and someone without current AML training changes no file (agency and law firm)."""

from __future__ import annotations

from pathlib import Path

from tests.agency.conftest import (
    SELLER_ANSWERS,
    AgencyCli,
    add_client,
    do_cdd,
    import_lists,
    open_sale,
)
from tests.casefile.conftest import Cli


def _missing(cli: Cli, reference: str) -> set[str]:
    return {m["question"] for m in cli.json("cases", "show", reference)["evaluation"]["missing"]}


def test_sign_off_is_not_typed_and_waits_for_the_cdd(agency: AgencyCli) -> None:
    open_sale(agency, "S-1", "seller")
    before = agency.audit_count()
    typed = agency("answer", "S-1", "signoff.by", "Bea Branch, Caversham")
    assert typed.exit_code == 1
    assert "signoff.by is not typed: it is filled when you sign off (F7 in the matter, or " in (
        typed.stderr
    )
    assert agency("answer", "S-1", "signoff.at", "2026-01-01T10:00+00:00").exit_code == 1
    early = agency("sign-off", "S-1")
    assert early.exit_code == 1
    assert "S-1 cannot be signed off: " in early.stderr
    assert "required answers still missing (first: " in early.stderr
    assert agency.audit_count() == before


def test_the_sign_off_records_who_and_when_and_a_change_reopens_it(
    agency: AgencyCli, tmp_path: Path
) -> None:
    import_lists(agency)
    open_sale(agency, "S-1", "seller")
    add_client(agency, "S-1", "Grace Adaeze Okafor", "1969-11-02")
    do_cdd(agency, "S-1", SELLER_ANSWERS, tmp_path / "files")  # signs off last
    shown = agency.json("cases", "show", "S-1")
    answers = {a["question"]: a for a in shown["answers"]}
    assert answers["signoff.by"]["value"] == "Nina Negotiator (nina)"
    assert answers["signoff.by"]["answered_by"] == "nina"
    assert answers["signoff.at"]["value"] == answers["signoff.at"]["answered_at"]
    (signed,) = [a for a in shown["approvals"] if a["role"] == "fee_earner"]
    assert signed["approver"] == "nina" and not signed["superseded"]
    assert shown["evaluation"]["missing"] == []
    assert shown["evaluation"]["gates"][0]["open"]

    # The price raised five-fold after sign-off: the sign-off is reopened, naming the change.
    raised = agency("answer", "S-1", "property.price", "2500000 GBP")
    assert raised.exit_code == 0, raised.output
    shown = agency.json("cases", "show", "S-1")
    (signed,) = [a for a in shown["approvals"] if a["role"] == "fee_earner"]
    assert signed["superseded"]
    assert any("property.price" in c for c in signed["changed_since"])
    assert {"signoff.by", "signoff.at"} <= _missing(agency, "S-1")
    assert not shown["evaluation"]["gates"][0]["open"]
    # Signing again restores it.
    assert agency("sign-off", "S-1").exit_code == 0
    assert _missing(agency, "S-1") == set()


def test_someone_without_current_training_changes_no_file(
    agency: AgencyCli, tmp_path: Path
) -> None:
    added = agency(
        "users", "add", "ula", "--name", "Ula Untrained", "--role", "fee_earner", user="dan"
    )
    assert added.exit_code == 0, added.output
    open_sale(agency, "S-1", "seller")
    before = agency.audit_count()
    evidence = tmp_path / "id.pdf"
    evidence.write_bytes(b"%PDF-1.4\n%%EOF\n")
    for args in (
        ("answer", "S-1", "property.price", "2500000 GBP"),
        ("parties", "add", "S-1", "--role", "client", "--name", "Grace Okafor"),
        ("events", "add", "S-1", "instructed"),
        ("evidence", "add", "S-1", str(evidence), "--type", "passport"),
        ("sign-off", "S-1"),
    ):
        refused = agency(*args, user="ula")
        assert refused.exit_code == 1, args
        assert "ula cannot change S-1: AML training is missing or older than 12 months" in (
            refused.stderr
        ), args
    assert agency.audit_count() == before


def test_the_law_firms_untrained_fee_earner_is_refused_too(cli: Cli) -> None:
    assert (
        cli(
            "users", "add", "carl", "--name", "Carl New", "--role", "fee_earner", user="bob"
        ).exit_code
        == 0
    )
    before = cli.audit_count()
    refused = cli("answer", "M-1", "pep", "no", user="carl")
    assert refused.exit_code == 1
    assert "carl cannot change M-1: AML training is missing" in refused.stderr
    assert cli.audit_count() == before
    # A law firm's checklists here ask for no sign-off: said, not guessed.
    nothing = cli("sign-off", "M-1")
    assert nothing.exit_code == 1 and "M-1 has nothing to sign off" in nothing.stderr
