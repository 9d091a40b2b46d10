"""Controls that cannot be bypassed, the findings left after the first round (issue 13):
referrals that block until the MLRO closes them (finding 10), evidence that fits its question
(finding 8), PEP depth (finding 7) and totals (finding 6). Each tried through the services and
the real command line, asserting the refusal, its message, and that nothing changed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from duediligence.adapters.checklists_toml import lint
from duediligence.domain.case import InvalidInput, NotAllowed, NotFound, PartyKind, PartyRole
from duediligence.domain.errors import InvalidAnswer
from duediligence.domain.vocabulary import ClientType, FirmRole, Gate, MatterEvent
from duediligence.report.render import make_audit_file
from duediligence.services.casefile import CaseFile, NewCase, NewEvidence, NewParty
from duediligence.services.evidence import mark_verified
from duediligence.services.verify import verify
from tests.casefile.conftest import ALICE, BOB, MARY, ME, RECENT, SEAL, Cli
from tests.casefile.test_controls import _open, bundled, rows

__all__ = ["bundled"]

WEIGHED = (
    "Allegations concern a namesake in another country; checked two reports and the court list"
)


# ----------------------------------------------------------------------------------------------
# Finding 10: a referral blocks G1 until the MLRO closes it with an outcome


def _referred(casefile: CaseFile, reference: str = "P-1") -> str:
    _open(casefile, reference, "residential_purchase")
    casefile.answer(ALICE, reference, "scope.activity", "real_property")
    casefile.answer(ALICE, reference, "screen.adverse_media", "material")
    [referral] = casefile.view(reference).evaluation.referrals
    assert referral.closed is None and referral.key is not None
    return referral.key


def _g1_referral(casefile: CaseFile, reference: str = "P-1") -> list[str]:
    return [
        r.message
        for r in casefile.view(reference).evaluation.gate(Gate.G1).reasons
        if r.kind == "referral"
    ]


def test_material_adverse_media_keeps_g1_closed_until_the_mlro_closes_it(
    bundled: CaseFile, store_path: Path
) -> None:
    key = _referred(bundled)
    assert _g1_referral(bundled) == [
        "Referred to the MLRO: Material adverse media or credible allegations about the client"
    ]
    before = rows(store_path)
    # Nobody but the MLRO closes it, a senior manager included.
    for who in (ALICE, BOB):
        with pytest.raises(NotAllowed, match="it is referred to the MLRO"):
            bundled.close_referral(who, "P-1", key, "proceed", WEIGHED, SEAL)
    # The MLRO must say what was weighed, and name a referral that exists.
    with pytest.raises(InvalidInput, match="needs a reason of at least 20 characters"):
        bundled.close_referral(MARY, "P-1", key, "proceed", "fine", SEAL)
    with pytest.raises(NotFound, match="no referral r000000000 on P-1; its referrals: r"):
        bundled.close_referral(MARY, "P-1", "r000000000", "proceed", WEIGHED, SEAL)
    assert rows(store_path) == before

    closure = bundled.close_referral(MARY, "P-1", key, "proceed", WEIGHED, SEAL)
    assert closure.outcome == "proceed" and closure.closed_by == "mary"
    assert _g1_referral(bundled) == []
    [referral] = bundled.view("P-1").evaluation.referrals
    assert referral.closed == "proceed"
    # What the MLRO weighed is a restricted record, not part of the matter file.
    [restricted] = bundled.restricted(MARY, "P-1", SEAL)
    assert restricted.kind.value == "deliberation" and WEIGHED in (restricted.text or "")
    assert verify(bundled.store, bundled.blobs).ok


def test_a_referral_closed_on_suspicion_reads_the_same_in_the_file(
    bundled: CaseFile,
) -> None:
    key = _referred(bundled)
    closure = bundled.close_referral(MARY, "P-1", key, "decline", WEIGHED, SEAL, suspicion=True)
    # Declining keeps G1 closed for good, in neutral words.
    assert _g1_referral(bundled) == ["The MLRO decided the firm does not act"]
    [restricted] = bundled.restricted(MARY, "P-1", SEAL)
    assert restricted.kind.value == "internal_report"
    # The public record says nothing of suspicion: the same fields as any closure.
    assert set(closure.payload()) == {"id", "case_id", "key", "outcome", "closed_at", "closed_by"}
    with bundled.store.transaction() as tx:
        actions = [e.action for e in tx.audit_events()][-2:]
    assert actions == ["restricted.add", "referral.close"]


def test_changed_answers_raise_the_referral_again(bundled: CaseFile) -> None:
    key = _referred(bundled)
    bundled.close_referral(MARY, "P-1", key, "proceed", WEIGHED, SEAL)
    bundled.answer(ALICE, "P-1", "screen.adverse_media", "none")
    assert bundled.view("P-1").evaluation.referrals == ()
    bundled.answer(ALICE, "P-1", "screen.adverse_media", "material")
    # The same answer as before: the MLRO's closure still stands.
    assert _g1_referral(bundled) == []


def test_referrals_through_the_command_line(cli: Cli, tmp_path: Path) -> None:
    seal = tmp_path / "mlro-passphrase.txt"
    seal.write_text(SEAL + "\n", encoding="utf-8")
    assert cli("users", "add", "mary", "--name", "Mary", "--role", "mlro", "--trained-on", RECENT, "--os-user", ME, user="bob").exit_code == 0  # fmt: skip
    opened = cli(
        "cases", "new", "P-1", "--kind", "solicitor", "--matter-type", "residential_purchase",
        "--client-type", "individual", "--acting-for", "buyer", "--responsible", "alice",
        checklists=False,
    )  # fmt: skip
    assert opened.exit_code == 0, opened.output
    done = cli("answer", "P-1", "scope.activity", "real_property", checklists=False)
    assert done.exit_code == 0, done.output
    done = cli("answer", "P-1", "screen.adverse_media", "material", checklists=False)
    assert done.exit_code == 0, done.output
    [referral] = cli.json("mlro", "referrals", "P-1", checklists=False)
    assert referral["closed"] is None
    before = rows(cli.location)
    refused = cli("mlro", "close", "P-1", referral["key"], "--outcome", "proceed", "--reason", WEIGHED, checklists=False)  # fmt: skip
    assert refused.exit_code == 1
    assert "alice cannot close a referral: it is referred to the MLRO" in refused.stderr
    refused = cli("events", "add", "P-1", "funds_received", checklists=False)
    assert (
        refused.exit_code == 1 and "Referred to the MLRO: Material adverse media" in refused.stderr
    )
    assert rows(cli.location) == before
    closed = cli("mlro", "close", "P-1", referral["key"], "--outcome", "proceed", "--reason", WEIGHED, "--passphrase-file", str(seal), user="mary", checklists=False)  # fmt: skip
    assert closed.exit_code == 0, closed.output
    assert f"Referral {referral['key']} on P-1 closed: proceed." in closed.output
    assert "closed: proceed" in cli("mlro", "referrals", "P-1", checklists=False).output


# ----------------------------------------------------------------------------------------------
# Finding 8: evidence that fits its question, verified with a method, one file one kind


def _scan(tmp_path: Path, name: str = "scan.pdf", content: bytes = b"%PDF-1.7 a scan") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def _with_client(casefile: CaseFile, reference: str, matter_type: str) -> None:
    _open(casefile, reference, matter_type)
    casefile.add_party(
        ALICE,
        reference,
        NewParty(role=PartyRole.CLIENT, kind=PartyKind.INDIVIDUAL, name="Ana Client"),
    )


def _missing(casefile: CaseFile, reference: str, key: str) -> str | None:
    found = [m for m in casefile.view(reference).evaluation.missing if m.question_id == key]
    return found[0].detail if found else None


def test_evidence_of_another_type_or_on_a_question_that_takes_none_is_refused(
    bundled: CaseFile, store_path: Path, tmp_path: Path
) -> None:
    _with_client(bundled, "P-1", "residential_purchase")
    bundled.answer(ALICE, "P-1", "scope.activity", "real_property")
    scan = _scan(tmp_path)
    before = rows(store_path)
    with pytest.raises(InvalidInput) as refused:
        bundled.attach_evidence(
            ALICE, "P-1", scan, NewEvidence(document_type="payslip", question="verify.id_document")
        )
    assert str(refused.value) == (
        "verify.id_document expects one of: passport, driving_licence, national_id_card, "
        "residence_permit, electronic_id_result; not 'payslip'"
    )
    with pytest.raises(InvalidInput, match=r"matter\.purpose takes no evidence: file the document"):
        bundled.attach_evidence(
            ALICE, "P-1", scan, NewEvidence(document_type="passport", question="matter.purpose")
        )
    assert rows(store_path) == before
    # A question that declares what supports it takes that.
    press = bundled.attach_evidence(
        ALICE,
        "P-1",
        scan,
        NewEvidence(document_type="press_article", question="screen.adverse_media"),
    )
    assert press.question_key == "screen.adverse_media"


def test_one_file_as_two_kinds_of_document_needs_a_reason(
    bundled: CaseFile, store_path: Path, tmp_path: Path
) -> None:
    _with_client(bundled, "P-1", "residential_purchase")
    scan = _scan(tmp_path)
    bundled.attach_evidence(
        ALICE, "P-1", scan, NewEvidence(document_type="passport", question="verify.id_document")
    )
    # The same bytes again as the same kind, under another question, are fine.
    before = rows(store_path)
    with pytest.raises(InvalidInput) as refused:
        bundled.attach_evidence(
            ALICE,
            "P-1",
            _scan(tmp_path, "renamed.pdf"),
            NewEvidence(document_type="bank_statement", question="verify.address_evidence"),
        )
    assert str(refused.value) == (
        "this file is already on the case as passport; the same document cannot also be a "
        "bank_statement unless you say why (--reuse-reason); nothing was stored"
    )
    with pytest.raises(InvalidInput, match="needs a reason of at least 20 characters"):
        bundled.attach_evidence(
            ALICE,
            "P-1",
            scan,
            NewEvidence(
                document_type="bank_statement",
                question="verify.address_evidence",
                reuse_reason="why not",
            ),
        )
    assert rows(store_path) == before
    why = "The passport scan's second page is the bank's letter confirming the address"
    reused = bundled.attach_evidence(
        ALICE,
        "P-1",
        scan,
        NewEvidence(
            document_type="bank_statement", question="verify.address_evidence", reuse_reason=why
        ),
    )
    assert reused.reuse_reason == why
    assert verify(bundled.store, bundled.blobs).ok


def test_unverified_evidence_or_verified_without_a_method_counts_for_nothing(
    bundled: CaseFile, store_path: Path, tmp_path: Path
) -> None:
    _with_client(bundled, "P-1", "residential_purchase")
    bundled.answer(ALICE, "P-1", "scope.activity", "real_property")
    scan = _scan(tmp_path)
    before = rows(store_path)
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with pytest.raises(InvalidInput, match="say how the document was verified \\(--method\\)"):
        bundled.attach_evidence(
            ALICE,
            "P-1",
            scan,
            NewEvidence(document_type="passport", question="verify.id_document", verified_at=now),
        )
    assert rows(store_path) == before
    passport = bundled.attach_evidence(
        ALICE, "P-1", scan, NewEvidence(document_type="passport", question="verify.id_document")
    )
    assert passport.party_id is not None  # the client's checklist, the case's one client
    assert _missing(bundled, "P-1", "verify.id_document") == (
        "Evidence not verified (0 of 1 documents verified with a method)"
    )
    with pytest.raises(InvalidInput, match="say how the document was verified"):
        mark_verified(bundled, ALICE, "P-1", passport.id, "   ")
    mark_verified(bundled, ALICE, "P-1", passport.id, "Original seen in the office")
    assert _missing(bundled, "P-1", "verify.id_document") is None


def test_estate_agent_cdd_is_not_complete_with_identity_unverified_or_naming_no_party(
    bundled: CaseFile, tmp_path: Path
) -> None:
    """Issue 20, finding 5: the estate agent's checklist holds the same line."""
    bundled.open_case(
        ALICE,
        NewCase(
            reference="S-1",
            firm_role=FirmRole.ESTATE_AGENT,
            matter_type="estate_agency_sale",
            client_type=ClientType.INDIVIDUAL,
            responsible="alice",
            acting_for="seller",
        ),
    )
    key = "verification.evidence"
    first = bundled.attach_evidence(
        ALICE,
        "S-1",
        _scan(tmp_path, "a.pdf", b"%PDF-1.7 passport"),
        NewEvidence(document_type="passport", question=key, verified_at=None),
    )
    second = bundled.attach_evidence(
        ALICE,
        "S-1",
        _scan(tmp_path, "b.pdf", b"%PDF-1.7 council tax"),
        NewEvidence(document_type="council_tax_bill", question=key),
    )
    assert first.party_id is None  # no customer recorded yet: it identifies nobody
    assert _missing(bundled, "S-1", key) == (
        "Evidence not verified (0 of 2 documents verified with a method)"
    )
    for item in (first, second):
        mark_verified(bundled, ALICE, "S-1", item.id, "Original seen at the valuation visit")
    assert _missing(bundled, "S-1", key) == "Evidence not linked to the party it identifies"
    assert any(r.question_id == key for r in bundled.view("S-1").evaluation.gate(Gate.G1).reasons)


def test_evidence_controls_through_the_command_line(cli: Cli, tmp_path: Path) -> None:
    scan = _scan(tmp_path)
    opened = cli(
        "cases", "new", "P-1", "--kind", "solicitor", "--matter-type", "residential_purchase",
        "--client-type", "individual", "--acting-for", "buyer", "--responsible", "alice",
        checklists=False,
    )  # fmt: skip
    assert opened.exit_code == 0, opened.output
    before = rows(cli.location)
    refused = cli("evidence", "add", "P-1", str(scan), "--type", "passport", "--question", "verify.id_document", "--verified-at", "2026-01-05T10:00+00:00", checklists=False)  # fmt: skip
    assert refused.exit_code == 1 and "say how the document was verified" in refused.stderr
    refused = cli("evidence", "add", "P-1", str(scan), "--type", "payslip", "--question", "verify.id_document", checklists=False)  # fmt: skip
    assert refused.exit_code == 1 and "not 'payslip'" in refused.stderr
    assert rows(cli.location) == before
    done = cli("evidence", "add", "P-1", str(scan), "--type", "passport", "--question", "verify.id_document", checklists=False)  # fmt: skip
    assert done.exit_code == 0, done.output
    before = rows(cli.location)
    refused = cli("evidence", "add", "P-1", str(scan), "--type", "press_article", "--question", "screen.adverse_media", checklists=False)  # fmt: skip
    assert refused.exit_code == 1
    assert "this file is already on the case as passport" in refused.stderr
    assert rows(cli.location) == before


# ----------------------------------------------------------------------------------------------
# Finding 7: PEP depth follows from the PEP answers; "Not a PEP" for a public function asks why

KAZAKH_PEP = "Former Deputy Prime Minister of Kazakhstan"


def _pep_matter(casefile: CaseFile, pep: str = "non_domestic_pep") -> None:
    _with_client(casefile, "P-1", "residential_purchase")
    casefile.answer(ALICE, "P-1", "scope.activity", "real_property")
    view = casefile.answer_and_read(ALICE, "P-1", "screen.pep", pep)
    started = {r.checklist_id for r in view.records.runs}
    assert {"pep-edd", "source-of-wealth", "source-of-funds"} <= started


def test_a_non_domestic_pep_cannot_be_given_lower_depth_edd_or_light_source_of_wealth(
    bundled: CaseFile, store_path: Path
) -> None:
    _pep_matter(bundled)
    bundled.answer(ALICE, "P-1", "pep.country", "KZ")
    before = rows(store_path)
    with pytest.raises(InvalidAnswer) as refused:
        bundled.answer(ALICE, "P-1", "pep.edd_depth", "lower")
    assert str(refused.value) == (
        "pep.edd_depth: Non-domestic PEP: full-depth EDD is always required (reg 35(3A) "
        "applies only to domestic PEPs); nothing was recorded"
    )
    # The source-of-wealth form cannot call the Kazakh PEP domestic, nor go light.
    with pytest.raises(InvalidAnswer, match="The PEP EDD form records a non-domestic PEP"):
        bundled.answer(ALICE, "P-1", "sow.reason", "domestic_pep_lower")
    with pytest.raises(InvalidAnswer, match="light source of wealth does not fit it"):
        bundled.answer(ALICE, "P-1", "sow.depth", "light")
    assert rows(store_path) == before
    assert bundled.answer(ALICE, "P-1", "pep.edd_depth", "full").value == "full"
    assert bundled.answer(ALICE, "P-1", "sow.reason", "pep_full").value == "pep_full"
    with pytest.raises(InvalidAnswer, match="Full depth required"):
        bundled.answer(ALICE, "P-1", "sow.depth", "light")
    assert bundled.answer(ALICE, "P-1", "sow.depth", "full").value == "full"


def test_a_domestic_answer_the_pep_form_later_contradicts_keeps_g1_closed(
    bundled: CaseFile,
) -> None:
    _pep_matter(bundled, "domestic_pep")
    bundled.answer(ALICE, "P-1", "pep.country", "KZ")
    g1 = bundled.view("P-1").evaluation.gate(Gate.G1)
    assert any(
        r.message
        == "Answer refused: The PEP EDD form records a function outside the UK: the "
        "client is a non-domestic PEP"
        and r.question_id == "screen.pep"
        for r in g1.reasons
    )
    with pytest.raises(InvalidAnswer, match="the client is a non-domestic PEP"):
        bundled.answer(ALICE, "P-1", "screen.pep", "domestic_pep")


@pytest.mark.parametrize(
    ("occupation", "asked"),
    [
        (KAZAKH_PEP, True),
        ("member of PARLIAMENT (backbench)", True),
        ("Ambassador to the Holy See, retired", True),
        ("Plumber", False),
        ("Ministry of Sound DJ", False),  # a whole word, not a prefix
    ],
)
def test_not_a_pep_for_an_occupation_naming_a_public_function_asks_why(
    bundled: CaseFile, occupation: str, asked: bool
) -> None:
    _with_client(bundled, "P-1", "residential_purchase")
    bundled.answer(ALICE, "P-1", "scope.activity", "real_property")
    bundled.answer(ALICE, "P-1", "ident.occupation", occupation)
    bundled.answer(ALICE, "P-1", "screen.pep", "not_pep")
    assert (_missing(bundled, "P-1", "screen.not_pep_reason") == "Not answered") is asked
    if asked:
        bundled.answer(
            ALICE,
            "P-1",
            "screen.not_pep_reason",
            "Screening and the client's CV: no such office was ever held; a nickname at work",
        )
        assert _missing(bundled, "P-1", "screen.not_pep_reason") is None


def test_pep_depth_through_the_command_line(cli: Cli) -> None:
    opened = cli(
        "cases", "new", "P-1", "--kind", "solicitor", "--matter-type", "residential_purchase",
        "--client-type", "individual", "--acting-for", "buyer", "--responsible", "alice",
        checklists=False,
    )  # fmt: skip
    assert opened.exit_code == 0, opened.output
    for key, value in (("scope.activity", "real_property"), ("screen.pep", "non_domestic_pep")):
        done = cli("answer", "P-1", key, value, checklists=False)
        assert done.exit_code == 0, done.output
    # The answer started the PEP's EDD on the command line as in the TUI; starting it again
    # says so and changes nothing.
    again = cli("cases", "start", "P-1", "pep-edd", checklists=False)
    assert again.exit_code == 3 and "checklist pep-edd is already started" in again.stderr
    assert cli("answer", "P-1", "pep.country", "Kazakhstan", checklists=False).exit_code == 0
    before = rows(cli.location)
    refused = cli("answer", "P-1", "pep.edd_depth", "lower", checklists=False)
    assert refused.exit_code == 1
    assert "pep.edd_depth: Non-domestic PEP: full-depth EDD is always required" in refused.stderr
    assert rows(cli.location) == before


# ----------------------------------------------------------------------------------------------
# Finding 6: totals over repeating entries and months between dates, in the checklist language


def test_tranches_must_add_up_to_the_amount_required(bundled: CaseFile, store_path: Path) -> None:
    _pep_matter(bundled)
    bundled.answer(ALICE, "P-1", "sof.amount_required", "£34m")
    bundled.answer(ALICE, "P-1", "tranche.amount#1", "£20m")
    short = "The tranches do not add up to the amount required (within the firm's 1%)"
    g2 = bundled.view("P-1").evaluation.gate(Gate.G2)
    assert any(r.message.startswith(short) for r in g2.reasons)
    before = rows(store_path)
    with pytest.raises(InvalidAnswer) as refused:
        bundled.answer(ALICE, "P-1", "sof.conclusion", "satisfied")
    assert str(refused.value).startswith(f"sof.conclusion: {short}: the source of all the money")
    assert rows(store_path) == before
    # A second tranche within 1% of the rest: the totals agree.
    bundled.answer(ALICE, "P-1", "tranche.amount#2", "£13.9m")
    g2 = bundled.view("P-1").evaluation.gate(Gate.G2)
    assert not any(r.message.startswith(short) for r in g2.reasons)
    assert bundled.answer(ALICE, "P-1", "sof.conclusion", "satisfied").value == "satisfied"


def test_tranches_in_other_currencies_are_added_up_in_sterling(
    bundled: CaseFile, store_path: Path
) -> None:
    # Writing a tranche in dollars used to make the total unknown, and an unknown total never
    # "does not add up": the check passed in silence. A foreign amount now needs its sterling
    # equivalent, and the totals are checked in sterling.
    _pep_matter(bundled)
    bundled.answer(ALICE, "P-1", "sof.amount_required", "£34m")
    before = rows(store_path)
    with pytest.raises(InvalidAnswer, match="needs its sterling equivalent at the day's rate"):
        bundled.answer(ALICE, "P-1", "tranche.amount#1", "USD 20m")
    with pytest.raises(InvalidAnswer, match="after '=' give the amount in sterling"):
        bundled.answer(ALICE, "P-1", "tranche.amount#1", "USD 20m = EUR 18m")
    with pytest.raises(InvalidAnswer, match="needs no sterling equivalent"):
        bundled.answer(ALICE, "P-1", "tranche.amount#1", "GBP 20m = GBP 20m")
    assert rows(store_path) == before
    given = bundled.answer(ALICE, "P-1", "tranche.amount#1", "USD 20m = GBP 15.8m")
    assert str(given.value) == "USD 20,000,000.00 = GBP 15,800,000.00"
    bundled.answer(ALICE, "P-1", "tranche.amount#2", "EUR 5m = £4.3m")
    short = "The tranches do not add up to the amount required (within the firm's 1%)"
    g2 = bundled.view("P-1").evaluation.gate(Gate.G2)
    assert any(r.message.startswith(short) for r in g2.reasons)  # GBP 20.1m of 34m
    with pytest.raises(InvalidAnswer, match="do not add up"):
        bundled.answer(ALICE, "P-1", "sof.conclusion", "satisfied")
    bundled.answer(ALICE, "P-1", "tranche.amount#3", "£13.9m")
    g2 = bundled.view("P-1").evaluation.gate(Gate.G2)
    assert not any(r.message.startswith(short) for r in g2.reasons)
    assert bundled.answer(ALICE, "P-1", "sof.conclusion", "satisfied").value == "satisfied"


def test_wealth_must_exist_and_its_contributors_add_up(bundled: CaseFile) -> None:
    _pep_matter(bundled)
    with pytest.raises(InvalidAnswer, match="A net worth of nothing cannot be the source"):
        bundled.answer(ALICE, "P-1", "sow.net_worth", "£0")
    bundled.answer(ALICE, "P-1", "sow.net_worth", "£30m")
    bundled.answer(ALICE, "P-1", "contributor.share#1", "60")
    g1 = bundled.view("P-1").evaluation.gate(Gate.G1)
    assert any("shares do not add up to the whole net worth" in r.message for r in g1.reasons)
    with pytest.raises(InvalidAnswer, match="shares do not add up to the whole net worth"):
        bundled.answer(ALICE, "P-1", "sow.conclusion", "established")
    bundled.answer(ALICE, "P-1", "contributor.share#2", "35")
    assert bundled.answer(ALICE, "P-1", "sow.conclusion", "established").value == "established"


def test_left_office_less_than_12_months_ago_must_agree_with_the_date(bundled: CaseFile) -> None:
    _pep_matter(bundled)
    bundled.record_event(ALICE, "P-1", MatterEvent.INSTRUCTED, datetime(2026, 3, 1, tzinfo=UTC))
    bundled.answer(ALICE, "P-1", "pep.status", "former")
    bundled.answer(ALICE, "P-1", "pep.ceased_on", "2024-01-15")
    with pytest.raises(InvalidAnswer, match="12 months or more before instructions"):
        bundled.answer(ALICE, "P-1", "pep.former_treatment", "within_12_months")
    bundled.answer(ALICE, "P-1", "pep.ceased_on", "2025-06-30")
    with pytest.raises(InvalidAnswer, match="less than 12 months before instructions"):
        bundled.answer(ALICE, "P-1", "pep.former_treatment", "over_12_months_continue")
    assert bundled.answer(ALICE, "P-1", "pep.former_treatment", "within_12_months").number == 1


def test_totals_through_the_command_line(cli: Cli) -> None:
    opened = cli(
        "cases", "new", "P-1", "--kind", "solicitor", "--matter-type", "residential_purchase",
        "--client-type", "individual", "--acting-for", "buyer", "--responsible", "alice",
        checklists=False,
    )  # fmt: skip
    assert opened.exit_code == 0, opened.output
    assert cli("cases", "start", "P-1", "source-of-funds", checklists=False).exit_code == 0
    for key, value in (("sof.amount_required", "34,000,000 GBP"), ("tranche.amount#1", "£20m")):
        done = cli("answer", "P-1", key, value, checklists=False)
        assert done.exit_code == 0, done.output
    before = rows(cli.location)
    refused = cli("answer", "P-1", "sof.conclusion", "satisfied", checklists=False)
    assert refused.exit_code == 1
    assert "sof.conclusion: The tranches do not add up to the amount required" in refused.stderr
    assert rows(cli.location) == before
    shown = cli.json("cases", "show", "P-1", checklists=False)
    [g2] = [g for g in shown["evaluation"]["gates"] if g["gate"] == "G2"]
    assert any(r.startswith("The tranches do not add up") for r in g2["reasons"])


LANGUAGE_MISTAKES = """
id = "mistakes"
title = "Mistakes"
version = "1.0"
policy_ref = "PCP 1"
applies_to = { firm_roles = ["solicitor"] }

[[section]]
id = "main"
title = "Main"

[[section.question]]
id = "required"
text = "Amount required"
guidance = "The amount."
citations = ["LSAG para 6.14"]
type = "money"

[[section.question]]
id = "kind"
text = "Kind"
guidance = "Which."
citations = ["LSAG para 6.14"]
type = "choice"
options = [{ value = "a", label = "A" }, { value = "b", label = "B" }]

[[section]]
id = "tranche"
title = "Tranches"
repeat = { label = "Tranche" }

[[section.question]]
id = "tranche.amount"
text = "Amount"
guidance = "The amount."
citations = ["LSAG para 6.14"]
type = "money"

[[rule]]
when = { sum = "required", gt = { amount = 1, currency = "GBP" } }
effects = [{ kind = "refuse", reason = "refused where no answer is given" }]

[[rule]]
when = { all = [
  { question = "kind", mentions_any = ["minister"] },
  { sum = "tranche.amount", contains = "a" },
  { sum = "tranche.amount", gt = { question = "required" }, tolerance_percent = 1 },
] }
effects = [{ kind = "block_gate", gates = ["G1"], reason = "nonsense" }]
"""


def test_the_new_language_is_checked_at_load(tmp_path: Path) -> None:
    path = tmp_path / "mistakes.toml"
    path.write_text(LANGUAGE_MISTAKES, encoding="utf-8")
    joined = " | ".join(p.message for p in lint([path]))
    assert "tolerance_percent goes with equals or not_equals" in joined
    path.write_text(LANGUAGE_MISTAKES.replace(", tolerance_percent = 1", ""), encoding="utf-8")
    messages = [p.message for p in lint([path])]
    assert "'sum' reads the entries of a repeating group; 'required' is not in one" in messages
    assert any(
        m.startswith("a 'refuse' effect refuses the answer that makes it hold") for m in messages
    )
    assert "'mentions_any' only applies to text questions; 'kind' is choice" in messages
    assert "'contains' does not apply to a sum, count, min, max or months" in messages


def test_the_audit_file_says_only_that_the_mlro_closed_a_compliance_review(
    bundled: CaseFile, tmp_path: Path
) -> None:
    key = _referred(bundled)
    target = tmp_path / "open.pdf"
    make_audit_file(bundled, "P-1", target, generated_by="mary")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(target).pages)
    assert "compliance hold" in text
    assert "Material adverse media or credible allegations" not in text

    bundled.close_referral(MARY, "P-1", key, "proceed", WEIGHED, SEAL, suspicion=True)
    target = tmp_path / "closed.pdf"
    make_audit_file(bundled, "P-1", target, generated_by="mary")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(target).pages)
    assert "Closed a compliance review by the MLRO" in text
    assert "the matter may proceed" in text
    for secret in ("namesake", "Material adverse media or credible allegations", "suspicion"):
        assert secret not in text


def test_a_former_pep_without_the_date_of_instructions_keeps_g1_closed(bundled: CaseFile) -> None:
    # The 12-months test runs from the instructed event: without it a "left less than 12 months
    # ago" answer could never be checked, so the matter waits for the date instead.
    _pep_matter(bundled)
    waiting = "Record when instructions were received"

    def waits() -> bool:
        g1 = bundled.view("P-1").evaluation.gate(Gate.G1)
        return any(r.message.startswith(waiting) for r in g1.reasons)

    bundled.answer(ALICE, "P-1", "pep.status", "current")
    assert not waits()  # a current PEP is treated as one whatever the date
    bundled.answer(ALICE, "P-1", "pep.status", "former")
    assert waits()
    bundled.record_event(ALICE, "P-1", MatterEvent.INSTRUCTED, datetime(2026, 3, 1, tzinfo=UTC))
    assert not waits()
