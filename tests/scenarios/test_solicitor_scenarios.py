"""Solicitor onboarding scenarios: individual clients taken through the `solicitor-cdd` checklist.

Each test tells one client's story the way a compliance manual would, answers the questions as a
fee earner would, and checks what the evaluator concludes: the rating, the triggers and what
caused them, the gates, approvals, child checklists and missing items.
"""

from __future__ import annotations

from datetime import date, datetime

from duediligence.domain.evaluation import Evaluation
from duediligence.domain.vocabulary import Gate, Rating, Role
from tests.scenarios.matter import Matter

CDD = "solicitor-cdd"
SOF = "source-of-funds"

RATIONALE_LOW = (
    "Long-standing UK resident employed client remortgaging her own home with a mainstream UK "
    "lender; no capital raised, no third-party money, verified in person with a passport and an "
    "electronic check; screening clear. Nothing unusual about the client or the matter; the FWRA "
    "rates remortgages with no capital raise as low risk, so standard CDD is proportionate."
)
RATIONALE_HIGH = (
    "Client lives in a country on the FATF increased-monitoring list and is buying a London flat "
    "with funds held abroad. Enhanced due diligence is mandatory: source of wealth and source of "
    "funds will be evidenced independently, senior management approval obtained, and every "
    "receipt checked against the declared tranches before exchange."
)


# ----------------------------------------------------------------------------------------------
# Local helpers (Matter has no shortcuts for reading gate reasons; they live here, not in matter.py)


def reasons(ev: Evaluation, gate: Gate) -> list[tuple[str, str]]:
    """(kind, message) of every reason the gate is closed."""
    return [(r.kind, r.message) for r in ev.gate(gate).reasons]


def closed_because(ev: Evaluation, gate: Gate, kind: str, words: str) -> bool:
    """Whether the gate is closed by a reason of this kind whose message contains `words`."""
    return any(k == kind and words in m for k, m in reasons(ev, gate))


def open_gates(ev: Evaluation) -> list[str]:
    """The gates that are open, e.g. ["G1", "G2"]."""
    return [g.gate.value for g in ev.gates if g.open]


def trigger_questions(ev: Evaluation) -> set[str | None]:
    """The questions whose rules force High."""
    return {t.cause.question_id for t in ev.triggers}


def low_risk_individual(matter: Matter, **overrides: object) -> Matter:
    """Answer solicitor-cdd for a plain UK-resident client remortgaging her home.

    Keyword overrides replace single answers, with dots written as double underscores
    (``risk__rating="medium"``).
    """
    answers: dict[str, object] = {
        "scope.activity": "real_property",
        "client.relationship": "new",
        "client.capacity": "own_behalf",
        "ident.full_name": "Jane Ann Smith",
        "ident.dob": "1980-02-01",
        "ident.address": "12 Acacia Avenue, Reading RG1 1AA",
        "ident.residence": "GB",
        "ident.nationality": "GB",
        "ident.occupation": "Staff nurse, Royal Berkshire NHS Foundation Trust",
        "acting.present": False,
        "verify.method": "in_person",
        "verify.id_document": ["passport-JS-2026-03-02"],
        "verify.id_issues": "none",
        "verify.address_evidence": ["eid-report-JS-2026-03-02"],
        "verify.completed_on": date(2026, 3, 2),
        "screen.pep_method": ["screening_tool", "self_declaration"],
        "screen.pep": "not_pep",
        "screen.adverse_media": "none",
        "sanctions.who": ["client", "counterparty"],
        "sanctions.record": "UK Sanctions List via screening tool, 02/03/2026 10:15, "
        "'Jane Ann Smith' dob 1980-02-01: no hits",
        "matter.purpose": "Remortgage of the client's own home from one UK high-street lender to "
        "another at a lower fixed rate; no capital raised, no change of ownership.",
        "matter.value": "250000 GBP",
        "matter.unusual": ["none"],
        "matter.funding": ["mortgage"],
        "matter.client_account": False,
        "matter.urgency": False,
        "juris.country#1": "GB",
        "juris.connection#1": "property_location",
        "factors.present": ["none"],
        "risk.rating": "low",
        "risk.rationale": RATIONALE_LOW,
        "risk.cdd_level": "standard",
        "risk.monitoring": ["new_funds_or_payer", "before_each_gate"],
        "risk.review_date": date(2028, 3, 1),
        "reliance.used": False,
        "privacy.notice": True,
        "privacy.notice_date": date(2026, 3, 1),
        "decision.training": True,
        "decision.outcome": "accept",
    }
    for key, value in overrides.items():
        answers[key.replace("__", ".")] = value
    return matter.answer_all(CDD, {k: v for k, v in answers.items() if v is not None})


def remortgage_source_of_funds(matter: Matter) -> Matter:
    """The lender's advance is the only money: a short, complete source-of-funds record."""
    return matter.answer_all(
        SOF,
        {
            "sof.amount_required": "250000 GBP",
            "tranche.source#1": "mortgage",
            "tranche.amount#1": "250000 GBP",
            "tranche.payer#1": "p-lender",
            "tranche.payer_is_client#1": "lender",
            "tranche.bank_country#1": "GB",
            "tranche.expected_on#1": date(2026, 3, 20),
            "tranche.how_accumulated#1": "Advance from a UK high-street lender under a mortgage "
            "offer dated 20/02/2026, paid direct from the lender to our client account to redeem "
            "the existing charge.",
            "tranche.evidence#1": ["mortgage-offer-2026-02-20"],
            "tranche.review_note#1": "Offer names the client, the property and GBP 250,000; "
            "matches the redemption statement; no anomalies.",
            "sof.lookback": "3_months",
            "sof.lookback_reason": "Funds come only from a regulated UK lender's advance; no client "
            "money is involved.",
            "sof.anomalies": ["none"],
            "sof.consistent": True,
            "sof.reduced_checks": False,
            "sof.conclusion": "satisfied",
            "sof.reviewed_by": "A. Fee-Earner, solicitor",
            "sof.review_completed_at": datetime(2026, 3, 10, 12, 0),
            "sof.receipts_match": "yes",
        },
    )


# ----------------------------------------------------------------------------------------------
# Scenarios


def test_low_risk_remortgage_opens_all_four_gates_once_everything_is_answered() -> None:
    """Jane Smith, a nurse living in Reading, remortgages her home to a cheaper fixed rate.

    She is verified in person with her passport, screens clear, and the only money is the new
    lender's advance. Nothing in the matter raises risk, the firm-wide risk assessment sets no
    floor for remortgages, so the fee earner may rate it Low. The source-of-funds record is still
    required because money passes through client account; the sanctions re-screen is the last
    step before completion.
    """
    matter = Matter("solicitor", "individual", "remortgage")
    assert matter.started == [CDD]

    ev = low_risk_individual(matter, risk__rating=None).evaluate()
    # Before the rating is chosen the CMRA is the one thing missing for G1.
    assert ev.score == 0
    assert ev.computed_rating is Rating.LOW
    assert ev.minimum_rating is Rating.LOW
    assert [m.question_id for m in ev.missing if m.gate is Gate.G1] == ["risk.rating"]
    assert not ev.gate(Gate.G1).open

    ev = matter.answer(CDD, "risk.rating", "low").evaluate()
    assert ev.rating_acceptable
    assert ev.approvals == ()  # a Low rating needs no supervisor review
    assert ev.gate(Gate.G1).open
    # Transactional matter: source of funds must be done before money arrives.
    [spawn] = ev.spawns
    assert (spawn.checklist_id, spawn.gate, spawn.run_id) == (SOF, Gate.G2, None)
    assert closed_because(ev, Gate.G2, "checklist_not_started", "Transactional matter")

    matter.start_spawned()
    remortgage_source_of_funds(matter)
    matter.event("funds_received", datetime(2026, 3, 20, 9, 30))
    ev = matter.evaluate()
    assert open_gates(ev) == ["G1", "G2", "G3"]
    assert reasons(ev, Gate.G4) == [
        (
            "unanswered",
            "Not answered: Date all parties were re-screened before completion and release of funds",
        )
    ]

    ev = matter.answer(CDD, "sanctions.rescreen_on", date(2026, 3, 27)).evaluate()
    assert open_gates(ev) == ["G1", "G2", "G3", "G4"]
    assert ev.missing == ()
    assert ev.triggers == () and ev.floors == () and ev.referrals == ()
    [decision] = ev.ratings
    assert decision.chosen is Rating.LOW and decision.acceptable


def test_client_resident_in_high_risk_third_country_needs_edd_and_senior_approval() -> None:
    """David Mwangi lives in Nairobi and is buying a London flat as a pied-a-terre.

    Kenya is on the FATF increased-monitoring list, so he is "established in" a high-risk third
    country (reg 33(1)(b)): whatever the score, the rating is High, senior management must
    approve, and his source of wealth and source of funds must be established before we accept
    instructions. A Medium rating is refused; High with enhanced due diligence stands once the
    senior manager and the supervisor have signed off.
    """
    matter = Matter("solicitor", "individual", "residential_purchase")
    low_risk_individual(
        matter,
        ident__full_name="David Kamau Mwangi",
        ident__address="14 Riverside Drive, Westlands, Nairobi",
        ident__residence="KE",
        ident__nationality="KE",
        ident__occupation="Partner, Nairobi architecture practice",
        matter__funding=["savings", "overseas_funds"],
        matter__value="850000 GBP",
        **{"juris.country#2": "KE", "juris.connection#2": "funds_origin"},
        risk__rating="medium",
    )
    ev = matter.evaluate()

    assert ev.computed_rating is Rating.HIGH
    assert ev.minimum_rating is Rating.HIGH
    assert "ident.residence" in trigger_questions(ev)
    assert "juris.country" in trigger_questions(ev)  # the funds come from Kenya as well
    [medium] = ev.ratings
    assert not medium.acceptable
    assert "high-risk third country" in medium.message
    assert closed_because(ev, Gate.G1, "rating_refused", "below the minimum High")

    senior = [a for a in ev.approvals if a.role is Role.SENIOR_MANAGER]
    assert senior and not any(a.satisfied for a in senior)
    assert closed_because(ev, Gate.G1, "approval", "high-risk third country (MLR reg 33(3A))")
    needed = {(s.checklist_id, s.gate) for s in ev.spawns}
    assert {("source-of-wealth", Gate.G1), (SOF, Gate.G1)} <= needed

    matter.answer_all(
        CDD,
        {
            "risk.rating": "high",
            "risk.rationale": RATIONALE_HIGH,
            "risk.cdd_level": "enhanced",
            "risk.mitigation": "SoW and SoF evidenced by Kenyan bank and tax records; no "
            "payments from third parties; re-screen before exchange.",
        },
    )
    matter.approve("senior_manager", "S. Partner").approve("supervisor", "T. Supervisor")
    matter.start_spawned()
    ev = matter.evaluate()
    assert ev.rating_acceptable
    assert all(a.satisfied for a in ev.approvals)
    assert {a.role for a in ev.approvals} == {Role.SENIOR_MANAGER, Role.SUPERVISOR}
    # What still holds G1 is the EDD work itself: source of wealth and source of funds were
    # spawned for G1 (reg 33(3A)), so their unanswered questions fall due before acceptance even
    # though source of funds on its own is due before funds arrive (G2).
    kinds = {k for k, _ in reasons(ev, Gate.G1)}
    assert kinds == {"unanswered"}
    assert {m.checklist_id for m in ev.missing if m.gate is Gate.G1} == {"source-of-wealth", SOF}
    assert not [m for m in ev.missing if m.checklist_id == SOF and m.gate is not Gate.G1]


def test_call_for_action_residence_goes_to_the_mlro() -> None:
    """A prospective client resident in Iran asks us to sell her late father's flat in Leeds.

    Iran is on the FATF call-for-action list: besides the high-risk-third-country measures the
    MLRO must decide whether the firm can act at all (countermeasures and sanctions).
    """
    matter = Matter("solicitor", "individual", "residential_sale")
    ev = low_risk_individual(matter, ident__residence="IR").evaluate()
    assert "ident.residence" in trigger_questions(ev)
    assert any("call-for-action" in r.reason for r in ev.referrals)


def test_complex_unusual_transaction_forces_high_and_needs_its_background_examined() -> None:
    """Mr Hale buys a farmhouse for twice the agent's valuation and asks to exchange in a week.

    Nothing about him is alarming, but the price is unusually large for the property and the
    reason he gives is thin. Reg 33(1)(f) makes EDD mandatory for a complex or unusually large
    transaction, and reg 33(4) requires us to examine its background and purpose: a one-line
    note is not enough.
    """
    matter = Matter("solicitor", "individual", "residential_purchase")
    low_risk_individual(
        matter,
        ident__full_name="Robert Hale",
        matter__unusual=["complex_or_large"],
        matter__urgency=True,
        **{"matter.unusual_background": "He likes it."},
    )
    ev = matter.evaluate()

    [trigger] = ev.triggers
    assert trigger.cause.question_id == "matter.unusual"
    assert "reg 33(1)(f)" in trigger.reason
    assert ev.computed_rating is Rating.HIGH
    too_short = [m for m in ev.missing if m.question_id == "matter.unusual_background"]
    assert too_short and too_short[0].detail.startswith("Too short")
    assert any(c.reason.startswith("Unexplained urgency") for c in ev.contributions)
    assert ev.referrals == ()  # large, not purposeless: EDD, not (yet) the MLRO

    ev = matter.answer(
        CDD, "matter.unusual", ["complex_or_large", "no_apparent_purpose"]
    ).evaluate()
    assert [r.reason for r in ev.referrals] == [
        "Transaction with no apparent economic or legal purpose"
    ]


def test_client_who_refuses_source_of_funds_evidence_cannot_be_taken_on() -> None:
    """Ms Okafor is buying a house with a large "gift" from a friend she will not name.

    The source-of-funds review cannot be concluded: she refuses to provide the donor's identity
    or statements. Under reg 31 the firm must not act, must end the relationship and must consider
    a disclosure. The fee earner declines with the neutral reason "CDD could not be completed";
    the MLRO is asked to consider a report and no gate opens.
    """
    matter = Matter("solicitor", "individual", "residential_purchase")
    low_risk_individual(
        matter,
        ident__full_name="Grace Okafor",
        matter__funding=["savings", "gift"],
        risk__rating="medium",
        risk__mitigation="Gift letter, donor ID and donor statements to be obtained before exchange.",
        **{"matter.payer": "p-donor"},
    )
    matter.approve("supervisor")
    matter.start_spawned()
    matter.answer(SOF, "sof.conclusion", "not_satisfied")
    matter.answer_all(
        CDD, {"decision.outcome": "decline", "decision.decline_reason": "cdd_incomplete"}
    )
    ev = matter.evaluate()

    assert {f.cause.checklist_id for f in ev.cdd_impossible} == {CDD, SOF}
    from_decision = next(f for f in ev.cdd_impossible if f.cause.checklist_id == CDD)
    assert from_decision.cause.question_id == "decision.decline_reason"
    assert "MLR reg 31" in from_decision.reason
    assert any("consider a disclosure" in r.reason for r in ev.referrals)
    assert open_gates(ev) == []
    assert closed_because(ev, Gate.G1, "cdd_impossible", "CDD cannot be completed")
    assert closed_because(ev, Gate.G1, "blocked", "Matter declined: do not act")


def test_possible_sanctions_match_freezes_the_matter_until_screening_clears() -> None:
    """Jane Smith's remortgage is ready to complete when the re-screen throws up a possible match.

    A designated person shares her name. Until the MLRO has resolved it, no money may move and no
    step may be taken: funds are held, every gate is blocked and the MLRO is asked to resolve it.
    When the MLRO discounts the match (different date of birth and nationality) screening is
    clear again and the matter carries on exactly where it was.
    """
    matter = Matter("solicitor", "individual", "remortgage")
    low_risk_individual(matter, sanctions__rescreen_on=date(2026, 3, 27))
    matter.start_spawned()
    remortgage_source_of_funds(matter)
    assert open_gates(matter.evaluate()) == ["G1", "G2", "G3", "G4"]

    ev = matter.screening(sanctions="possible_match").evaluate()
    assert open_gates(ev) == []
    assert [f.reason for f in ev.funds_held] == ["Possible sanctions match not yet resolved"]
    for gate in Gate:
        assert closed_because(ev, gate, "blocked", "Resolve the possible sanctions match")
    assert closed_because(ev, Gate.G2, "funds_held", "Funds held")
    [referral] = ev.referrals
    assert referral.cause.question_id is None  # a checklist-level rule on the screening fact
    assert "OFSI" in referral.reason

    ev = matter.screening(sanctions="clear").evaluate()
    assert open_gates(ev) == ["G1", "G2", "G3", "G4"]
    assert ev.funds_held == () and ev.referrals == ()


def test_unscreened_client_cannot_be_accepted() -> None:
    """Sanctions screening has not been run yet: instructions cannot be accepted."""
    matter = Matter("solicitor", "individual", "remortgage")
    ev = low_risk_individual(matter).screening(sanctions="not_screened").evaluate()
    assert closed_because(ev, Gate.G1, "blocked", "Screen the client against the UK Sanctions List")
    assert ev.funds_held == ()


def test_late_verification_is_accepted_only_with_a_low_rating() -> None:
    """Mr Patel's remortgage started on 1 March; his identity check finished on 4 March.

    The lender's deadline meant work had to start before his passport check came back. Reg 30(3)
    permits that only when it was necessary not to interrupt business AND the risk is low. The
    tool asks for the justification as soon as the verification date falls after the date the
    relationship began, and refuses G1 unless the chosen rating is Low.
    """
    matter = Matter("solicitor", "individual", "remortgage")
    matter.event("relationship_established", datetime(2026, 3, 1, 9, 0))
    low_risk_individual(
        matter, ident__full_name="Sanjay Patel", verify__completed_on=date(2026, 3, 4)
    )
    ev = matter.evaluate()
    assert "verify.late_justification" in ev.visible[CDD]
    assert [m.question_id for m in ev.missing if m.gate is Gate.G1] == ["verify.late_justification"]

    matter.answer(
        CDD,
        "verify.late_justification",
        "The lender's offer expired on 6 March; starting the redemption work on 1 March was "
        "necessary not to lose the rate. The client is a UK employee remortgaging his own home "
        "with no capital raise: little risk. Passport verified in person on 4 March.",
    )
    ev = matter.evaluate()
    assert ev.gate(Gate.G1).open

    ev = matter.answer_all(
        CDD, {"risk.rating": "medium", "risk.mitigation": "Verification complete; no funds yet."}
    ).evaluate()
    assert closed_because(
        ev, Gate.G1, "blocked", "only allowed under reg 30(3) where the risk is Low"
    )

    # Verification on the same calendar day as the start is on time: no justification asked.
    matter.answer(CDD, "verify.completed_on", date(2026, 3, 1))
    assert "verify.late_justification" not in matter.evaluate().visible[CDD]


def test_rating_below_the_fwra_floor_is_refused_until_the_mlro_overrides() -> None:
    """Ms Brown buys a modest house with a mortgage and savings; the fee earner rates it Low.

    The firm-wide risk assessment rates residential conveyancing at least Medium, so Low is
    refused with the FWRA named as the reason. A supervisor cannot override, nor can the MLRO
    with a one-liner; a full written rationale from the MLRO is accepted and recorded.
    """
    matter = Matter("solicitor", "individual", "residential_purchase")
    low_risk_individual(
        matter, ident__full_name="Emma Brown", matter__funding=["mortgage", "savings"]
    )
    ev = matter.evaluate()

    [floor] = ev.floors
    assert floor.rating is Rating.MEDIUM
    assert "FWRA" in floor.reason
    assert floor.cause.question_id is None
    assert ev.minimum_rating is Rating.MEDIUM
    [low] = ev.ratings
    assert not low.acceptable
    assert "FWRA" in low.message
    assert closed_because(ev, Gate.G1, "rating_refused", "only the MLRO may override")

    matter.override("low", "Agree.", role="supervisor")
    matter.override("low", "Low is fine here.")
    assert not matter.evaluate().ratings[0].acceptable

    matter.override(
        "low",
        "Purchase of a GBP 210,000 terraced house by a first-time buyer employed by the NHS for "
        "twelve years; deposit saved in her own ISA over six years, statements reviewed; mortgage "
        "from a UK lender. None of the FWRA's conveyancing risk drivers is present.",
    )
    ev = matter.evaluate()
    [low] = ev.ratings
    assert low.acceptable and low.override is not None
    assert "MLRO override" in low.message
    # Choosing Low against a higher computed rating also needs the supervisor to read the file.
    assert reasons(ev, Gate.G1) == [
        (
            "approval",
            "Awaiting Supervisor approval: Chosen rating is Low but the computed rating is "
            "higher: supervisor to review the rationale",
        )
    ]
    assert matter.approve("supervisor").evaluate().gate(Gate.G1).open


def test_pep_client_identified_by_screening_not_by_her_own_declaration() -> None:
    """Mrs Laurent says she is not a PEP; the screening tool says she is a sitting MEP.

    Relying on her declaration alone would not be enough; the first blocker shows that. Then a
    possible match stops G1 until resolved, and a confirmed match brings in the full PEP regime:
    High, senior-management approval, PEP EDD, source of wealth and source of funds.
    """
    matter = Matter("solicitor", "individual", "residential_purchase")
    low_risk_individual(matter, screen__pep_method=["self_declaration"])
    ev = matter.evaluate()
    assert closed_because(ev, Gate.G1, "blocked", "Self-declaration alone is not enough")

    matter.answer(CDD, "screen.pep_method", ["screening_tool", "self_declaration"])
    ev = matter.screening(pep="possible_match").evaluate()
    assert closed_because(ev, Gate.G1, "blocked", "Resolve the possible PEP match")

    ev = matter.screening(pep="true_match").evaluate()
    assert ev.computed_rating is Rating.HIGH
    assert {s.checklist_id for s in ev.spawns} == {"pep-edd", "source-of-wealth", SOF}
    assert next(s for s in ev.spawns if s.checklist_id == SOF).gate is Gate.G1
    assert any(a.role is Role.SENIOR_MANAGER and not a.satisfied for a in ev.approvals)


def test_out_of_scope_matter_still_needs_sanctions_screening() -> None:
    """Mr Green wants advice on an employment tribunal claim: no transaction, out of MLR scope.

    No CMRA is needed, but the sanctions regime applies to all legal work: G1 waits for the
    screening record and nothing else.
    """
    matter = Matter("solicitor", "individual", "other")
    matter.answer_all(
        CDD,
        {
            "scope.activity": "out_of_scope",
            "scope.out_of_scope_reason": "Advice and representation in an unfair dismissal claim; "
            "no funds or assets pass through the firm.",
        },
    )
    ev = matter.evaluate()
    assert ev.visible[CDD] == (
        "scope.activity",
        "scope.out_of_scope_reason",
        "sanctions.who",
        "sanctions.record",
        "sanctions.rescreen_on",
    )
    assert {m.question_id for m in ev.missing if m.gate is Gate.G1} == {
        "sanctions.who",
        "sanctions.record",
    }
    matter.answer_all(
        CDD,
        {
            "sanctions.who": ["client", "counterparty"],
            "sanctions.record": "UK Sanctions List, 05/03/2026: client and employer, no hits",
        },
    )
    ev = matter.evaluate()
    assert ev.gate(Gate.G1).open
    assert ev.ratings == () and ev.spawns == ()
