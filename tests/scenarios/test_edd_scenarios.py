"""Enhanced due diligence scenarios: PEPs, source of wealth and source of funds (notes B.3-B.5).

Each test is a short case study: the docstring tells the client's story, the answers go in as the
fee earner or negotiator would give them, and the assertions say what the firm's procedure
requires. Source-of-funds stories that do not need the client's CDD start that checklist directly,
as the client's CDD would have spawned it.

The library is the four checklists under test plus the country lists (see
test_estate_agent_scenarios for why).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from functools import cache
from pathlib import Path

from duediligence.adapters.checklists_toml import load_library
from duediligence.domain.evaluation import Evaluation, GateReason
from duediligence.domain.library import ChecklistLibrary
from duediligence.domain.vocabulary import Gate, Rating, Role
from tests.scenarios.matter import Matter

ROOT = Path(__file__).resolve().parents[2]
CHECKLISTS = ("estate-agent-cdd", "pep-edd", "source-of-wealth", "source-of-funds")
EA, PEP, SOW, SOF = CHECKLISTS


@cache
def library() -> ChecklistLibrary:
    """Our four checklists and the bundled country lists."""
    folder = ROOT / "checklists"
    return load_library([*(folder / f"{c}.toml" for c in CHECKLISTS), folder / "country-lists"])


def reasons(evaluation: Evaluation, gate: Gate, kind: str | None = None) -> list[GateReason]:
    """Reasons keeping `gate` closed, optionally of one kind only."""
    return [r for r in evaluation.gate(gate).reasons if kind is None or r.kind == kind]


def messages(evaluation: Evaluation, gate: Gate, kind: str | None = None) -> str:
    """Every reason keeping `gate` closed, as one string to search."""
    return "\n".join(r.message for r in reasons(evaluation, gate, kind))


def missing_keys(evaluation: Evaluation, run_id: str) -> set[str]:
    """Answer keys still missing in one checklist run."""
    return {m.question_id for m in evaluation.missing if m.run_id == run_id}


def sof_only_matter() -> Matter:
    """A solicitor's matter where the client's CDD has spawned source of funds (started here)."""
    return Matter(
        "solicitor",
        "individual",
        matter_type="residential_purchase",
        acting_for="buyer",
        library=library(),
    ).start(SOF)


# ----------------------------------------------------------------------------------------------
# Answers reused across stories.


def ea_buyer(**changes: object) -> dict[str, object]:
    """Estate agent CDD for a UK-resident individual buyer, verified on the day of acceptance."""
    answers: dict[str, object] = {
        "role": "buyer",
        "property.address": "3 Chantry Mews, Winchester SO23 9LR",
        "property.price": "512000 GBP",
        "property.super_prime": False,
        "offer.accepted_at": datetime(2026, 4, 14, 12, 0),
        "customer.name": "Eleanor Rose Price",
        "customer.dob": date(1997, 8, 21),
        "customer.address": "Flat 9, 40 Jewry Street, Winchester SO23 8RY",
        "customer.nationality": "GB",
        "customer.residence": "GB",
        "customer.occupation": "Software engineer, Hampshire Digital Ltd",
        "verification.method": "in_person",
        "verification.evidence": ["passport-price.pdf", "bank-statement-price.pdf"],
        "verification.completed_on": date(2026, 4, 14),
        "acting.present": False,
        "pep.declaration": "family_member",
        "pep.screening_evidence": ["pep-screen-price.pdf"],
        "sanctions.evidence": ["sanctions-screen-price.pdf"],
        "funding.sources": ["mortgage", "gift"],
        "funding.mortgage_evidence": ["mortgage-offer-nationwide.pdf"],
        "funding.lender": "Nationwide, 400,000 GBP over 25 years",
        "funding.deposit_source": "A gift from her parents (see source of funds)",
        "funding.consistent": True,
        "deposit.payer": "none",
        "assessment.rating": "high",
        "assessment.rationale": (
            "Daughter of a serving UK Member of Parliament, so a PEP family member: enhanced due "
            "diligence is mandatory. Domestic PEP with no other enhanced risk factor, so EDD of lower "
            "depth (reg 35(3A)). Purchase of a first home with a Nationwide mortgage and a documented "
            "gift from her father. Screening confirms the family link and nothing else."
        ),
        "reliance.used": False,
        "notice.reg41_given_on": date(2026, 4, 14),
        "signoff.by": "Sam Cole, Winchester branch",
        "signoff.at": datetime(2026, 4, 14, 16, 0),
    }
    answers.update(changes)
    return answers


def pep_form(**changes: object) -> dict[str, object]:
    """PEP EDD for the adult child of a serving UK MP, with no enhanced risk factor."""
    answers: dict[str, object] = {
        "pep.who": "client",
        "pep.connection": "child",
        "pep.related_pep": "Daughter of Daniel Price MP; confirmed by screening and her declaration",
        "pep.function": "parliament",
        "pep.title": "Member of Parliament, House of Commons",
        "pep.country": "GB",
        "pep.status": "current",
        "pep.identified_by": ["screening_tool", "self_declaration"],
        "pep.identification_evidence": ["pep-screen-price.pdf", "pep-declaration-price.pdf"],
        "pep.risk_factors": ["none"],
        "pep.edd_depth": "lower",
        "pep.purpose": (
            "Buying a two-bedroom flat near her employer in Winchester as her first home. She is "
            "buying in her own name, no company or trust is involved, nobody acts for her, and she "
            "found the property on the portals herself. Her father gives part of the deposit."
        ),
        "pep.purpose_explained": True,
        "pep.approval_type": "establish",
        "pep.approval_briefing": (
            "Shown this form, the screening report, the source-of-wealth and source-of-funds records "
            "and the gift letter. Approved on condition that the gift arrives only from the father's "
            "own account as declared."
        ),
        "pep.monitoring_plan": ["scheduled_review", "rescreening"],
        "pep.next_review_on": date(2027, 4, 14),
        "pep.sanctions_evidence": ["sanctions-screen-price.pdf"],
        "pep.sanctions_result": "no_match",
    }
    answers.update(changes)
    return answers


def sow_form(**changes: object) -> dict[str, object]:
    """A light source-of-wealth check for a salaried young professional with a family gift."""
    answers: dict[str, object] = {
        "sow.reason": "domestic_pep_lower",
        "sow.depth": "light",
        "sow.net_worth": "160000 GBP",
        "sow.activities": ["employment", "gift"],
        "sow.narrative": (
            "Graduated in computer science in 2019 and has worked since then as a software engineer "
            "at Hampshire Digital Ltd, now earning £58,000 a year. Has saved about £40,000 from salary "
            "over six years while renting. The rest of her net worth is the £132,000 her father is "
            "giving her for this purchase, from the sale of his London flat last year."
        ),
        "sow.gaps": False,
        "contributor.kind#1": "employment",
        "contributor.description#1": "Salary at Hampshire Digital Ltd since 2019, now £58,000 a year",
        "contributor.share#1": 25,
        "contributor.evidence#1": ["payslips-2026.pdf", "p60-2025.pdf"],
        "contributor.review_note#1": (
            "Payslips and P60 in her name from Hampshire Digital Ltd; net pay matches the monthly "
            "credits into her savings account. Nothing unusual."
        ),
        "contributor.kind#2": "gift",
        "contributor.description#2": "Gift of £132,000 from her father, Daniel Price MP, for this purchase",
        "contributor.share#2": 75,
        "contributor.evidence#2": ["gift-letter-price.pdf"],
        "contributor.review_note#2": (
            "Gift letter signed by the father; his own source of funds (sale of his flat) is "
            "evidenced in the source-of-funds record, tranche 2."
        ),
        "sow.public_domain": ["register-of-members-interests.pdf"],
        "sow.plausible": "yes",
        "sow.plausibility_note": (
            "Salary and savings fit her age and career; the gift is explained by her father's declared "
            "sale of a flat, which appears in the Register of Members' Financial Interests."
        ),
        "sow.conclusion": "established",
        "sow.reviewed_by": "Sam Cole, negotiator",
    }
    answers.update(changes)
    return answers


MORTGAGE_AND_GIFT: dict[str, object] = {
    "tranche.source#1": "mortgage",
    "tranche.amount#1": "380000 GBP",
    "tranche.payer#1": "p-nationwide",
    "tranche.payer_is_client#1": "lender",
    "tranche.bank_country#1": "GB",
    "tranche.expected_on#1": date(2026, 5, 29),
    "tranche.how_accumulated#1": (
        "Mortgage advance from Nationwide Building Society under the offer dated 8 April 2026, "
        "paid by the lender directly on completion to the buyer's conveyancer."
    ),
    "tranche.evidence#1": ["mortgage-offer-nationwide.pdf"],
    "tranche.review_note#1": (
        "Offer in the client's name for £380,000 on this property; lender and amount match."
    ),
    "tranche.source#2": "gift",
    "tranche.amount#2": "132000 GBP",
    "tranche.payer#2": "p-father",
    "tranche.payer_is_client#2": "third_party",
    "tranche.payer_id#2": ["passport-d-price.pdf", "statement-d-price.pdf"],
    "tranche.bank_country#2": "GB",
    "tranche.expected_on#2": date(2026, 5, 20),
    "tranche.how_accumulated#2": (
        "Part of the £610,000 net proceeds of the father's sale of 5 Elm Court, London SE1, "
        "completed November 2025, paid into his HSBC account and held there since."
    ),
    "tranche.evidence#2": ["gift-letter-price.pdf"],
    "tranche.review_note#2": (
        "Gift letter signed, no repayment and no interest in the property. Father's statement "
        "shows the completion receipt and no other large credits."
    ),
    "tranche.donor#2": "p-father",
}
"""A mortgage advance and a parental gift paid from the father's own account."""

SAVINGS: dict[str, object] = {
    "tranche.source#1": "savings",
    "tranche.amount#1": "60000 GBP",
    "tranche.payer#1": "client",
    "tranche.payer_is_client#1": "yes",
    "tranche.bank_country#1": "GB",
    "tranche.expected_on#1": date(2026, 5, 20),
    "tranche.how_accumulated#1": (
        "Saved from salary as a hospital consultant since 2018 into a Marcus savings account; "
        "monthly transfers of about £1,000 from the salary account, no other large credits."
    ),
    "tranche.evidence#1": ["marcus-statements-2023-2026.pdf"],
    "tranche.review_note#1": (
        "Statements in the client's name show regular monthly transfers and interest only."
    ),
}
"""A single tranche of the client's own savings."""


def sof_form(
    changes: Mapping[str, object] | None = None,
    tranches: Mapping[str, object] = MORTGAGE_AND_GIFT,
) -> dict[str, object]:
    """A reviewed source-of-funds record with the given tranches, concluded before money arrives."""
    answers: dict[str, object] = {
        "sof.amount_required": "512000 GBP",
        **tranches,
        "sof.lookback": "12_months",
        "sof.lookback_reason": "Twelve months covers the father's sale proceeds and their arrival.",
        "sof.anomalies": ["none"],
        "sof.consistent": True,
        "sof.reduced_checks": False,
        "sof.conclusion": "satisfied",
        "sof.reviewed_by": "Sam Cole, negotiator",
        "sof.review_completed_at": datetime(2026, 4, 30, 12, 0),
        "sof.receipts_match": "not_yet",
    }
    answers.update(changes or {})
    return answers


# ----------------------------------------------------------------------------------------------


def test_domestic_peps_adult_child_buying_with_a_parental_gift() -> None:
    """Eleanor Price, 28, buys her first flat through the Winchester branch.

    Her father is a serving UK Member of Parliament, so she is a PEP family member: EDD is mandatory,
    senior management must approve, and source of wealth and funds are required. He is a domestic PEP
    and nothing else raises the risk, so reg 35(3A) allows EDD of lower depth, and her source of wealth
    may be checked at light depth even though the matter is High. £132,000 of the price is a gift from
    her father, paid from his own account: a third-party payer and a donor, whose identity and own
    source of funds must be evidenced.
    """
    matter = Matter(
        "estate_agent",
        "individual",
        matter_type="estate_agency_sale",
        acting_for="buyer",
        library=library(),
    )
    matter.event("relationship_established", datetime(2026, 4, 14, 12, 0))
    matter.screening(pep="true_match")
    matter.answer_all(EA, ea_buyer())

    result = matter.evaluate()
    assert result.computed_rating is Rating.HIGH
    assert "pep.declaration" in {t.cause.question_id for t in result.triggers}
    assert {s.checklist_id for s in result.spawns} == {PEP, SOW, SOF}
    assert {(s.checklist_id, s.cause.question_id) for s in result.spawns} >= {
        (PEP, "pep.declaration")
    }
    assert result.referrals == (), "declaration and screening agree"

    matter.start_spawned()
    matter.answer_all(PEP, pep_form())
    matter.answer_all(SOW, sow_form())
    matter.answer_all(SOF, sof_form())
    result = matter.evaluate()

    # Domestic depth: neither the PEP form nor the source-of-wealth check asks for full depth.
    assert not [r for r in reasons(result, Gate.G1, "blocked") if "depth" in r.message]
    assert [c.reason for c in result.contributions] == ["Tranche paid by a third party"]
    assert result.contributions[0].cause.entry == 2

    # The gift: the donor's own evidence is missing.
    assert missing_keys(result, SOF) == {"tranche.donor_evidence#2"}
    [donor] = [m for m in result.missing if m.run_id == SOF]
    assert donor.gate.rank <= Gate.G2.rank, "due before any money is received, at the latest"
    assert donor.text.endswith("(Tranche 2)")
    matter.answer(
        SOF, "tranche.donor_evidence", ["gift-letter-price.pdf", "passport-d-price.pdf"], entry=2
    )
    result = matter.evaluate()
    [short] = [m for m in result.missing if m.run_id == SOF]
    assert short.detail == "Evidence missing (2 of 3 documents)"
    matter.answer(
        SOF,
        "tranche.donor_evidence",
        ["gift-letter-price.pdf", "passport-d-price.pdf", "completion-statement-elm-court.pdf"],
        entry=2,
    )

    # Senior management approval (PEP) and branch manager review (High) are what remain.
    result = matter.evaluate()
    assert result.missing == ()
    assert {(a.role, a.satisfied) for a in result.approvals} == {
        (Role.SENIOR_MANAGER, False),
        (Role.SUPERVISOR, False),
    }
    assert {r.kind for r in reasons(result, Gate.G1)} == {"approval"}
    matter.approve("senior_manager", "H. Grant (MLCO)").approve("supervisor", "B. Manager")
    result = matter.evaluate()
    assert result.rating_acceptable
    assert result.gate(Gate.G1).open and result.gate(Gate.G2).open, messages(result, Gate.G2)


def test_non_domestic_pep_whose_source_of_wealth_is_not_established() -> None:
    """A serving senator of a non-UK country instructs the firm to buy a Mayfair flat.

    A non-domestic PEP always gets full-depth EDD: the fee earner's attempt to record lower depth on
    the PEP form and light depth on the source-of-wealth form is refused. On review the senator's
    declared wealth (a modest public salary and "family investments" with no documents) cannot be
    established, so the relationship cannot start and the MLRO must consider reg 31 and a report.
    """
    matter = Matter("solicitor", "individual", acting_for="buyer", library=library())
    matter.start(PEP).start(SOW)
    matter.answer_all(
        PEP,
        pep_form(
            **{
                "pep.connection": "pep",
                "pep.function": "parliament",
                "pep.title": "Senator, national Senate",
                "pep.country": "AR",
            }
        ),
    )
    matter.answer_all(SOW, sow_form(**{"sow.reason": "pep_full"}))

    result = matter.evaluate()
    assert result.computed_rating is Rating.HIGH
    assert [t.reason for t in result.triggers] == [
        "PEP, family member or known close associate: EDD mandatory (reg 33(1)(d))"
    ]
    blocked = messages(result, Gate.G1, "blocked")
    assert "Non-domestic PEP: full-depth EDD is always required" in blocked
    assert "Full depth required: non-domestic or higher-risk PEP" in blocked
    assert "Full depth required: the matter is rated High" in blocked

    matter.answer(PEP, "pep.edd_depth", "full")
    matter.answer_all(
        SOW,
        {
            "sow.depth": "full",
            "sow.activities": ["employment", "investments"],
            "contributor.kind#2": "investments",
            "contributor.description#2": "Family investments, no details or documents given",
            "contributor.evidence#2": ["client-letter.pdf"],
            "sow.plausible": "no",
            "sow.conclusion": "not_established",
        },
    )
    result = matter.evaluate()
    assert "depth" not in messages(result, Gate.G1, "blocked")
    [not_established] = [
        r for r in reasons(result, Gate.G1, "blocked") if r.run_id == SOW and r.cause
    ]
    assert not_established.message.startswith("Source of wealth not established")
    assert not_established.question_id == "sow.conclusion"
    referrals = [r.reason for r in result.referrals]
    assert "Source of wealth not fully plausible for the client's profile" in referrals
    assert any("reg 31" in r for r in referrals)
    assert not result.gate(Gate.G1).open


def test_funds_received_before_the_source_of_funds_review_was_completed() -> None:
    """The client's savings arrive at 10:00; the fee earner finishes the SoF review at 15:00.

    The SRA found checks done on the day the money arrived. The money is held, the MLRO is asked to
    review the late check, and only the MLRO's recorded approval lets it be used. Had the review been
    finished at 09:00, nothing would be held.
    """
    matter = sof_only_matter()
    matter.event("funds_received", datetime(2026, 5, 20, 10, 0))
    matter.answer_all(
        SOF,
        sof_form(
            {
                "sof.amount_required": "60000 GBP",
                "sof.lookback_reason": "Statements since 2023 show the whole build-up of these savings.",
                "sof.lookback": "longer",
            },
            tranches=SAVINGS,
        ),
    )

    matter.answer(SOF, "sof.review_completed_at", datetime(2026, 5, 20, 9, 0))
    on_time = matter.evaluate()
    assert on_time.funds_held == () and on_time.gate(Gate.G2).open, messages(on_time, Gate.G2)

    matter.answer(SOF, "sof.review_completed_at", datetime(2026, 5, 20, 15, 0))
    result = matter.evaluate()
    [held] = result.funds_held
    assert held.reason == "Funds were received before the source-of-funds review was completed"
    assert not result.gate(Gate.G2).open
    assert "Funds held: Funds were received before" in messages(result, Gate.G2, "funds_held")
    # The referral keeps G1 closed until the MLRO closes it (issue 13, finding 10); the hold
    # itself concerns money, not accepting instructions.
    assert [r.kind for r in reasons(result, Gate.G1)] == ["referral"]
    result = matter.close_referrals().evaluate()
    assert result.gate(Gate.G1).open, "the hold concerns money, not accepting instructions"
    assert "sof.late_review_released" in missing_keys(result, SOF)
    assert [r.reason for r in result.referrals] == [
        "Funds received before the source-of-funds review was completed"
    ]

    matter.answer(SOF, "sof.late_review_released", True)
    result = matter.evaluate()
    assert result.funds_held == ()
    assert [r.kind for r in reasons(result, Gate.G2)] == ["approval"]
    matter.approve("mlro", "M. Officer")
    assert matter.evaluate().gate(Gate.G2).open


def test_tranche_explained_only_as_uk_bank_is_not_an_explanation() -> None:
    """The client says the £250,000 balance comes from "UK bank". That is where it is, not how he got it.

    LSAG: "it is not enough to know the money came from a UK bank account". The narrative is too
    short to pass, the tranche stays incomplete, and no money may be received (G2) although
    instructions can be accepted.
    """
    matter = sof_only_matter()
    matter.answer_all(SOF, sof_form({"tranche.how_accumulated#1": "UK bank"}))

    result = matter.evaluate()

    [item] = [m for m in result.missing if m.question_id == "tranche.how_accumulated#1"]
    assert item.detail == "Too short (7 of 100 characters)"
    assert item.text == "How did the money come to be in that account? (Tranche 1)"
    assert item.gate is Gate.G2
    assert result.gate(Gate.G1).open
    [reason] = [r for r in reasons(result, Gate.G2) if r.question_id == "tranche.how_accumulated#1"]
    assert reason.kind == "unanswered" and reason.run_id == SOF


def test_former_pep_who_left_office_eight_months_ago_is_still_a_pep() -> None:
    """Mr Okonkwo stepped down as a deputy minister eight months ago and now buys a London house.

    PEP measures continue for at least 12 months after leaving office (reg 35(9)), so he is still
    treated as a PEP: High, senior management approval, enhanced monitoring. The form asks when he
    left office and how he is now treated; a review date before he even left office is refused.
    """
    matter = Matter("solicitor", "individual", acting_for="buyer", library=library())
    # "Eight months ago" is judged from the date instructions were received.
    matter.event("instructed", datetime(2026, 4, 30, 10, 0))
    matter.start(PEP)
    matter.answer_all(
        PEP,
        pep_form(
            **{
                "pep.connection": "pep",
                "pep.function": "head_of_state_minister",
                "pep.title": "Deputy Minister of Trade and Investment",
                "pep.country": "GH",
                "pep.status": "former",
                "pep.ceased_on": date(2025, 8, 31),
                "pep.former_treatment": "within_12_months",
                "pep.edd_depth": "full",
                "pep.next_review_on": date(2025, 6, 30),
            }
        ),
    )

    result = matter.evaluate()

    visible = result.visible[PEP]
    assert "pep.ceased_on" in visible and "pep.former_treatment" in visible
    assert "pep.related_pep" not in visible, "he is the PEP himself"
    assert result.computed_rating is Rating.HIGH
    assert any("EDD mandatory" in t.reason for t in result.triggers)
    [approval] = result.approvals
    assert approval.role is Role.SENIOR_MANAGER and not approval.satisfied
    assert result.referrals == (), "no declassification proposed"
    assert "The next review must fall after the PEP left office" in messages(
        result, Gate.G1, "blocked"
    )

    matter.answer(PEP, "pep.next_review_on", date(2026, 9, 1))
    matter.approve("senior_manager")
    result = matter.evaluate()
    assert result.gate(Gate.G1).open, messages(result, Gate.G1)
    assert result.computed_rating is Rating.HIGH, "still a PEP while within 12 months"


def test_pep_status_known_only_from_the_clients_own_declaration() -> None:
    """A client ticks "I am a PEP" on the intake form; nobody has run a screening check.

    Self-declaration alone is not a PEP determination system (reg 35(1); SRA and HMRC): the PEP form
    cannot be completed on it.
    """
    matter = Matter("solicitor", "individual", acting_for="buyer", library=library())
    matter.start(PEP)
    matter.answer_all(PEP, pep_form(**{"pep.identified_by": ["self_declaration"]}))
    matter.approve("senior_manager")

    result = matter.evaluate()

    [blocked] = reasons(result, Gate.G1, "blocked")
    assert blocked.message.startswith("Self-declaration or hearsay alone is not sufficient")
    assert blocked.question_id == "pep.identified_by"

    matter.answer(PEP, "pep.identified_by", ["self_declaration", "screening_tool"])
    assert matter.evaluate().gate(Gate.G1).open


def test_source_of_funds_not_satisfied_means_cdd_cannot_be_completed() -> None:
    """The client cannot explain £90,000 of cash deposits in the months before the purchase.

    The anomalies are followed up but not resolved; the fee earner concludes "not satisfied". No money
    may be received, CDD cannot be completed (reg 31), and the MLRO considers a disclosure.
    """
    matter = sof_only_matter()
    matter.answer_all(
        SOF,
        sof_form(
            {
                "sof.anomalies": ["cash_deposits", "round_sum_unrelated"],
                "sof.anomalies_followup": (
                    "Asked about nine cash deposits of £10,000 between January and March: the client "
                    "said they were repayments from friends but would not name them or provide anything."
                ),
                "sof.anomalies_resolved": False,
                "sof.conclusion": "not_satisfied",
            }
        ),
    )

    result = matter.evaluate()

    assert [f.reason for f in result.cdd_impossible] == ["Source of funds could not be established"]
    assert {r.reason for r in result.referrals} == {
        "Unresolved anomalies in the source-of-funds evidence",
        "Source of funds not satisfied: consider reg 31 and a disclosure (POCA s.330)",
    }
    assert "CDD cannot be completed" in messages(result, Gate.G1, "cdd_impossible")
    assert "Source of funds not satisfied: no funds may be received" in messages(
        result, Gate.G2, "blocked"
    )


def test_receipt_from_an_undeclared_account_holds_the_funds() -> None:
    """The declared gift arrives from an account in the name of a company, not the father.

    Receipts are reconciled with the declared tranches: a payment from a different payer is held
    and referred until the record is updated and the payment explained.
    """
    matter = sof_only_matter()
    matter.event("funds_received", datetime(2026, 5, 21, 14, 0))
    matter.answer_all(SOF, sof_form({"sof.receipts_match": "no"}))

    result = matter.evaluate()

    assert [f.reason for f in result.funds_held] == [
        "Funds received do not match the declared source of funds"
    ]
    assert not result.gate(Gate.G2).open
    # G1 waits only for the MLRO to close the referral (issue 13, finding 10).
    assert {r.kind for r in reasons(result, Gate.G1)} == {"referral"}
    result = matter.close_referrals().evaluate()
    assert not result.gate(Gate.G2).open
    assert result.gate(Gate.G1).open
