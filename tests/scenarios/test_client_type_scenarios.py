"""Every client type gets due diligence: the CDD checklist of the firm's role, and for anything but
an individual the beneficial-ownership checklist beside it (MLR regs 27, 28, 18 and 28(12)).

QA found that only individual clients had a CDD and risk assessment: a charity, estate, public body
or "other" client got no checklist at all (every gate open, nothing missing), a company buying
through an estate agent got only beneficial ownership, and a solicitor's company client had no
rating question, so the matter could never be rated or signed off. These stories run through the
real bundled checklists.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from duediligence.domain.evaluation import Evaluation
from duediligence.domain.vocabulary import ClientType, FirmRole, Gate, Rating, Role
from tests.scenarios.matter import Matter
from tests.scenarios.test_estate_agent_scenarios import clean_buyer, clean_seller
from tests.scenarios.test_ownership_scenarios import simple_uk_company
from tests.scenarios.test_solicitor_scenarios import low_risk_individual

BO = "beneficial-ownership"
CDD = "solicitor-cdd"
EA = "estate-agent-cdd"

RATIONALE = (
    "UK trading company buying the freehold of the workshop it already leases, with its own "
    "retained profits held at a UK bank; one director-shareholder, verified and screened, PSC "
    "register matches our CDD. Commercial property is medium risk in the FWRA but nothing here "
    "raises it: no third parties, no overseas element, ordinary purpose, standard CDD suffices."
)

# Questions about a person that an organisation must never be asked in the CDD checklists.
PERSON_ONLY = {
    CDD: {
        "ident.full_name",
        "ident.other_names",
        "ident.dob",
        "ident.address",
        "ident.residence",
        "ident.nationality",
        "ident.occupation",
        "verify.method",
        "verify.id_document",
        "verify.address_evidence",
        "screen.pep_method",
        "screen.pep",
    },
    EA: {
        "customer.name",
        "customer.dob",
        "customer.address",
        "customer.nationality",
        "customer.residence",
        "customer.occupation",
        "verification.method",
        "verification.evidence",
        "pep.declaration",
    },
}


def open_gates(ev: Evaluation) -> list[str]:
    """The gates that are open."""
    return [g.gate.value for g in ev.gates if g.open]


def missing(ev: Evaluation, run: str) -> list[str]:
    """Missing answer keys of one run that are due before G1."""
    return [m.question_id for m in ev.missing if m.run_id == run and m.gate is Gate.G1]


def ready_for_g1(ev: Evaluation) -> bool:
    """Nothing is missing before G1 (the G4 re-screening date comes later)."""
    return all(m.gate is not Gate.G1 for m in ev.missing)


def organisation_cdd(matter: Matter, **overrides: object) -> Matter:
    """Answer solicitor-cdd for a plain UK company client buying its own workshop.

    Keyword overrides replace answers, dots written as double underscores; None removes one.
    """
    answers: dict[str, object] = {
        "scope.activity": "real_property",
        "client.relationship": "new",
        "client.capacity": "own_behalf",
        "org.activities": "Bespoke joinery workshop in Leeds trading since 2019, 12 employees.",
        "acting.present": True,
        "acting.person": "p-hartley",
        "acting.capacity": "officer",
        "acting.authority": ["board-minute-hartley-2026-02-27"],
        "acting.id": ["passport-hartley"],
        "verify.id_issues": "none",
        "verify.completed_on": date(2026, 3, 2),
        "screen.org_pep_method": ["screening_tool"],
        "screen.org_pep": "none",
        "screen.adverse_media": "none",
        "sanctions.who": ["client", "persons_acting", "beneficial_owners", "counterparty"],
        "sanctions.record": "UK Sanctions List via screening tool, 02/03/2026 10:15, 'Hartley "
        "Joinery Ltd' and 'Thomas Hartley' dob 1975-06-12: no hits",
        "matter.purpose": "Purchase by the company of the freehold of the workshop it has leased "
        "since 2019, to stop paying rent; funded from retained profits.",
        "matter.value": "420000 GBP",
        "matter.unusual": ["none"],
        "matter.funding": ["company_funds"],
        "matter.client_account": False,
        "matter.urgency": False,
        "juris.country#1": "GB",
        "juris.connection#1": "property_location",
        "factors.present": ["none"],
        "risk.rating": "low",
        "risk.rationale": RATIONALE,
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


# ----------------------------------------------------------------------------------------------
# The bug itself: no client type may start a matter with nothing to do


@pytest.mark.parametrize("firm_role", [r.value for r in FirmRole])
@pytest.mark.parametrize("client_type", [t.value for t in ClientType])
def test_every_client_type_gets_a_cdd_with_a_rating_and_g1_closed_until_answered(
    firm_role: str, client_type: str
) -> None:
    """Whoever the client is, a new matter has a CDD checklist with a rating question, and an
    organisation also has the beneficial-ownership checklist; with nothing answered, G1 is shut."""
    acting_for = "buyer" if firm_role == "estate_agent" else None
    matter = Matter(firm_role, client_type, acting_for=acting_for)
    cdd = CDD if firm_role == "solicitor" else EA
    expected = [cdd] if client_type == "individual" else sorted([cdd, BO])
    assert matter.started == expected

    if cdd == CDD:
        matter.answer(CDD, "scope.activity", "real_property")
    ev = matter.evaluate()
    assert not ev.gate(Gate.G1).open
    assert missing(ev, cdd), "nothing is missing on a blank CDD"
    rating = "risk.rating" if cdd == CDD else "assessment.rating"
    assert rating in ev.visible[cdd]
    if client_type != "individual":
        assert missing(ev, BO), "nothing is missing on a blank beneficial-ownership record"
        assert not PERSON_ONLY[cdd] & set(ev.visible[cdd])


def test_individual_clients_see_exactly_the_questions_they_saw_before() -> None:
    """The fix adds nothing to an individual's checklists: the visible question ids are those of
    the checklists before client types were opened up (captured from version 1.0), plus the reg 41
    notice's version (optional: issue 15)."""
    matter = low_risk_individual(Matter("solicitor", "individual", "remortgage"))
    matter.answer_all(CDD, {"acting.present": True, "client.relationship": "existing"})
    assert matter.evaluate().visible[CDD] == (
        "scope.activity", "client.relationship", "client.last_cdd", "client.changed",
        "client.capacity", "ident.full_name", "ident.other_names", "ident.dob", "ident.address",
        "ident.residence", "ident.nationality", "ident.occupation", "acting.present",
        "acting.person", "acting.capacity", "acting.authority", "acting.id", "verify.method",
        "verify.id_document", "verify.id_issues", "verify.address_evidence",
        "verify.completed_on", "screen.pep_method", "screen.pep", "screen.adverse_media",
        "sanctions.who", "sanctions.record", "sanctions.rescreen_on", "matter.purpose",
        "matter.value", "matter.unusual", "matter.funding", "matter.client_account",
        "matter.urgency", "juris.country#1", "juris.connection#1", "factors.present",
        "risk.rating", "risk.rationale", "risk.cdd_level", "risk.monitoring", "risk.review_date",
        "reliance.used", "privacy.notice", "privacy.notice_date", "privacy.notice_version",
        "decision.training", "decision.outcome",
    )  # fmt: skip

    # Issue 20: the side (asked by the new-matter dialog) is not asked again, the tool's own
    # screening record stands for the screening reports, and a mortgage purchase asks the
    # lender and the deposit instead of the full source of funds.
    buyer = Matter("estate_agent", "individual", "estate_agency_sale", acting_for="buyer")
    buyer.answer_all(EA, clean_buyer(**{"acting.present": True, "deposit.payer": "third_party"}))
    assert buyer.evaluate().visible[EA] == (
        "property.address", "property.price", "property.super_prime",
        "offer.accepted_at", "offer.sealed_bids", "customer.name", "customer.dob",
        "customer.address", "customer.nationality", "customer.residence", "customer.occupation",
        "verification.method", "verification.evidence", "verification.completed_on",
        "acting.present", "acting.person", "acting.authority", "acting.id_evidence",
        "pep.declaration", "funding.sources", "funding.mortgage_evidence", "funding.lender",
        "funding.deposit_source", "funding.consistent", "deposit.payer", "deposit.payer_party",
        "deposit.payer_evidence", "assessment.rating", "assessment.rationale", "reliance.used",
        "notice.reg41_given_on", "notice.reg41_version", "signoff.by", "signoff.at",
    )  # fmt: skip

    seller = Matter("estate_agent", "individual", "estate_agency_sale", acting_for="seller")
    seller.answer_all(EA, clean_seller(**{"acting.present": True}))
    assert seller.evaluate().visible[EA] == (
        "property.address", "property.price", "property.super_prime",
        "seller.marketing_from", "customer.name", "customer.dob", "customer.address",
        "customer.nationality", "customer.residence", "customer.occupation",
        "verification.method", "verification.evidence", "verification.completed_on",
        "acting.present", "acting.person", "acting.authority", "acting.id_evidence",
        "pep.declaration", "assessment.rating",
        "assessment.rationale", "notice.reg41_given_on", "notice.reg41_version", "signoff.by",
        "signoff.at",
    )  # fmt: skip


# ----------------------------------------------------------------------------------------------
# Solicitors


def test_company_client_gets_cdd_and_beneficial_ownership_and_is_rated_before_any_gate_opens() -> (
    None
):
    """Hartley Joinery Ltd buys the workshop it trades from (the ownership baseline story).

    Before the fix, answering the beneficial-ownership record alone opened every gate and the
    matter had no rating question. Now the company's CDD and risk assessment must be done too:
    the gates stay shut until the rating and its rationale are given, and then they open.
    """
    matter = Matter("solicitor", "company_uk", "commercial_property")
    assert matter.started == [BO, CDD]
    ev = simple_uk_company(matter).evaluate()
    assert missing(ev, BO) == []
    assert open_gates(ev) == []
    assert missing(ev, CDD)[0] == "scope.activity"

    ev = organisation_cdd(matter, risk__rating=None, risk__rationale=None).evaluate()
    assert missing(ev, CDD) == ["risk.rating", "risk.rationale"]
    assert open_gates(ev) == []
    assert not ev.rating_acceptable

    ev = organisation_cdd(matter).evaluate()
    assert ready_for_g1(ev)
    assert [(r.run_id, r.question_id, r.chosen) for r in ev.ratings] == [
        (CDD, "risk.rating", Rating.LOW)
    ]
    assert ev.rating_acceptable
    # Commercial property is transactional: source of funds before money is received.
    assert [(s.checklist_id, s.gate) for s in ev.spawns] == [("source-of-funds", Gate.G2)]
    assert open_gates(ev) == ["G1"]
    # The organisation is identified in the beneficial-ownership record, never as a person.
    assert not PERSON_ONLY[CDD] & set(ev.visible[CDD])
    assert {"org.activities", "screen.org_pep", "screen.org_pep_method"} <= set(ev.visible[CDD])


def test_an_organisation_must_say_who_instructs_for_it() -> None:
    """A company cannot give instructions except through people: answering that nobody acts for
    it keeps G1 closed until the director (or whoever it is) is identified and authorised."""
    matter = Matter("solicitor", "company_uk", "commercial_property")
    simple_uk_company(matter)
    ev = organisation_cdd(
        matter,
        acting__present=False,
        acting__person=None,
        acting__capacity=None,
        acting__authority=None,
        acting__id=None,
    ).evaluate()
    assert ready_for_g1(ev)
    [reason] = ev.gate(Gate.G1).reasons
    assert reason.kind == "blocked" and "acts through individuals" in reason.message


def test_pep_connections_of_an_organisation_are_recorded_where_they_take_effect() -> None:
    """The company's CDD asks whether anyone behind it is PEP-connected. A beneficial owner's PEP
    status takes effect in the beneficial-ownership record (High, senior management approval,
    PEP EDD for that person), so the CDD answer adds nothing twice; a PEP-connected director who
    is not a beneficial owner is outside reg 35 but adds risk."""
    matter = Matter("solicitor", "company_uk", "commercial_property")
    simple_uk_company(matter, **{"bo.pep#1": "non_domestic_pep"})
    ev = organisation_cdd(matter, screen__org_pep="beneficial_owner").evaluate()
    assert [(t.cause.checklist_id, t.cause.question_id) for t in ev.triggers] == [(BO, "bo.pep")]
    assert ev.minimum_rating is Rating.HIGH
    assert [a.cause.question_id for a in ev.approvals if a.role is Role.SENIOR_MANAGER] == [
        "bo.pep"
    ]
    assert [r.question_id for r in ev.ratings if not r.acceptable] == ["risk.rating"]

    matter = Matter("solicitor", "company_uk", "commercial_property")
    ev = organisation_cdd(simple_uk_company(matter), screen__org_pep="officer").evaluate()
    assert ev.triggers == ()
    assert [(c.cause.question_id, c.points) for c in ev.contributions] == [("screen.org_pep", 2)]


def test_charity_client_gets_a_cdd_and_cannot_pass_g1_with_nothing_answered() -> None:
    """The Riverside Hostel Trust, a CIO, buys a building for its homelessness work.

    A charity used to get no checklist at all: every gate open, nothing missing. Now it has the
    CDD and a beneficial-ownership record asking for its register entry and trustees (not share
    layers, which mean nothing for a charity), and G1 stays shut until both are done.
    """
    matter = Matter("solicitor", "charity", "commercial_property")
    assert matter.started == [BO, CDD]
    ev = matter.evaluate()
    assert open_gates(ev) == []
    assert "scope.activity" in missing(ev, CDD)
    bo_visible = set(ev.visible[BO])
    assert {"charity.number", "charity.regulator", "charity.trustees"} <= bo_visible
    assert not any(k.startswith(("layer.", "structure.")) for k in bo_visible)

    matter.answer_all(
        BO,
        {
            "entity.type": "charity",
            "entity.name": "The Riverside Hostel Trust",
            "entity.incorporation": "GB",
            "entity.ppob": "GB",
            "entity.addresses": "3 Quay Street, Bristol BS1 4DJ",
            "entity.constitution": ["cio-constitution-riverside"],
            "charity.form": "cio",
            "charity.number": "1187654",
            "charity.regulator": "ccew",
            "charity.register_extract": ["ccew-register-1187654"],
            "charity.trustees": "Ruth Adeyemi (chair), Colin Marsh, Priya Nair; CEO Dan Hughes",
            "charity.high_risk_areas": False,
            "charity.purpose_fit": "Purchase of a hostel building for the charity's "
            "homelessness work, approved by the trustees on 3 March 2026 (minute seen).",
            "register.applies": "not_registrable",
            "bo.identified": "identified",
            "bo.party#1": "p-adeyemi",
            "bo.basis#1": ["trustee_or_council"],
            "bo.verification#1": "id_document",
            "bo.pep#1": "not_pep",
            "bo.sanctions#1": "clear",
            "soc.result": "no",
            "soc.reasoning": "Charity, its three trustees and its chief executive screened against "
            "the UK Sanctions List on 02/03/2026; no person owns or controls it beyond its board.",
        },
    )
    ev = matter.evaluate()
    assert missing(ev, BO) == []
    assert "bo.direct_pct#1" not in ev.visible[BO]  # percentages mean nothing for a charity
    assert open_gates(ev) == []  # the CDD is still to do
    ev = organisation_cdd(
        matter, **{"org.activities": "Registered charity running two hostels for homeless people."}
    ).evaluate()
    assert ready_for_g1(ev) and open_gates(ev) == ["G1"]


def test_charity_working_in_conflict_areas_is_a_terrorist_financing_risk() -> None:
    """A charity sending money to partners in a conflict zone, on no UK register, scores higher."""
    matter = Matter("solicitor", "charity", "commercial_property")
    ev = matter.answer_all(
        BO, {"charity.regulator": "overseas", "charity.high_risk_areas": True}
    ).evaluate()
    assert ev.score == 3
    assert "charity.register_extract" not in ev.visible[BO]


def test_estate_client_identifies_the_deceased_and_the_executors() -> None:
    """The executors of the late Margaret Bell sell her house.

    An estate's beneficial owners are its executors or administrators (reg 6(6)); the deceased is
    identified from the grant and screened. If the deceased was a designated person, the estate
    is frozen: funds held, every gate closed, MLRO referral.
    """
    matter = Matter("solicitor", "estate", "residential_sale")
    assert matter.started == [BO, CDD]
    ev = matter.evaluate()
    visible = set(ev.visible[BO])
    assert {"estate.deceased", "estate.grant", "estate.deceased_screening"} <= visible
    assert not visible & {"entity.incorporation", "entity.constitution", "structure.chart"}
    matter.answer_all(
        BO, {"entity.type": "estate", "bo.identified": "identified", "bo.party#1": "p-exec"}
    )
    ev = matter.evaluate()
    bo = ev.visible[BO]
    assert "bo.basis#1" in bo and "bo.direct_pct#1" not in bo

    ev = matter.answer(BO, "estate.deceased_screening", "designated").evaluate()
    assert [f.cause.question_id for f in ev.funds_held] == ["estate.deceased_screening"]
    assert open_gates(ev) == []
    assert [r.cause.question_id for r in ev.referrals] == ["estate.deceased_screening"]


def test_uk_local_authority_may_have_simplified_due_diligence_when_the_risk_is_low() -> None:
    """Leeds City Council buys a vacant site for housing.

    A UK public authority is a lower-risk factor (reg 37(3)(a)): it has no beneficial owners and
    no ownership layers; the firm records the law that creates it, official evidence that it
    exists, the official responsible and why simplified due diligence is justified. With a Low
    rating, the CDD may be Simplified and G1 opens.
    """
    matter = Matter("solicitor", "public_body", "commercial_property")
    matter.answer_all(
        BO,
        {
            "entity.type": "public_body",
            "entity.name": "Leeds City Council",
            "entity.incorporation": "GB",
            "entity.ppob": "GB",
            "entity.addresses": "Civic Hall, Calverley Street, Leeds LS1 1UR",
            "public.kind": "uk_local",
            "public.legal_basis": "Metropolitan district council (Local Government Act 1972); "
            "acquiring land for housing under Housing Act 1985 s.17, executive board decision.",
            "public.existence_evidence": ["gov-uk-leeds-city-council"],
            "public.officer": "Chief Executive; head of legal services instructs under the "
            "council's scheme of delegation (extract seen).",
            "public.sdd_basis": "UK local authority acting under statutory powers, paying from "
            "its own UK bank account; no EDD factor, no doubt about the documents; simplified "
            "due diligence with monitoring for any change of payer.",
            "soc.result": "no",
            "soc.reasoning": "UK local authority established by statute; no person owns it; the "
            "officers instructing screened against the UK Sanctions List on 02/03/2026.",
        },
    )
    ev = matter.evaluate()
    assert missing(ev, BO) == []
    assert not any(k.startswith(("bo.", "layer.", "register.")) for k in ev.visible[BO])
    ev = organisation_cdd(
        matter,
        risk__cdd_level="simplified",
        **{"org.activities": "Metropolitan borough council; housing authority for Leeds."},
    ).evaluate()
    assert ready_for_g1(ev) and ev.computed_rating is Rating.LOW
    assert open_gates(ev) == ["G1"]


def test_overseas_state_body_scores_higher_and_cannot_have_simplified_due_diligence() -> None:
    """A foreign ministry buys an embassy residence: corruption risk, its officials are PEPs."""
    matter = Matter("solicitor", "public_body", "commercial_property")
    matter.answer_all(BO, {"entity.type": "public_body", "public.kind": "overseas"})
    ev = organisation_cdd(matter, risk__cdd_level="simplified", risk__rating="medium").evaluate()
    assert any(c.cause.question_id == "public.kind" and c.points == 2 for c in ev.contributions)
    assert any("Simplified due diligence" in r.message for r in ev.gate(Gate.G1).reasons)


# ----------------------------------------------------------------------------------------------
# Estate agents


def test_estate_agent_company_buyer_gets_the_buyer_checks() -> None:
    """Marlowe Court Holdings Ltd, a Cyprus company, offers on a London flat.

    A company buyer used to get only the beneficial-ownership record: no property, price, offer,
    screening or funding questions. Now it gets the buyer's CDD like any buyer, with the
    organisation's activities in place of a person's identity, and company funds or a gift spawn
    source of funds before the offer is accepted. An overseas company adds a risk point, as a non-UK
    resident individual does.
    """
    matter = Matter("estate_agent", "company_overseas", "estate_agency_sale", acting_for="buyer")
    assert matter.started == [BO, EA]
    ev = matter.evaluate()
    visible = set(ev.visible[EA])
    assert {
        "property.address",
        "property.price",
        "offer.accepted_at",
        "pep.org_declaration",
        "funding.sources",
        "funding.consistent",
        "deposit.payer",
        "assessment.rating",
        "assessment.rationale",
        "customer.org_activities",
        "verification.completed_on",
    } <= visible
    assert not PERSON_ONLY[EA] & visible
    assert ev.score == 1  # overseas company
    assert open_gates(ev) == []

    buyer = clean_buyer(
        **{
            "funding.sources": ["company_funds", "gift"],
            "customer.org_activities": "Holding company formed in 2025 to own a London flat.",
            "acting.present": True,
            "acting.person": "p-director",
            "acting.authority": ["board-resolution-marlowe"],
            "acting.id_evidence": ["passport-director"],
            "pep.org_declaration": "beneficial_owner",
            "assessment.rating": "high",
        }
    )
    for person_only in PERSON_ONLY[EA] | {
        "funding.mortgage_evidence",
        "funding.lender",
        "funding.deposit_source",
    }:
        buyer.pop(person_only, None)
    ev = matter.answer_all(EA, buyer).evaluate()
    assert missing(ev, EA) == []
    # Company funds and a gift: source of funds by the time the offer is accepted (issue 20).
    assert ("source-of-funds", Gate.G1) in {(s.checklist_id, s.gate) for s in ev.spawns}
    # The PEP owner takes effect through the beneficial-ownership record.
    matter.answer_all(BO, {"bo.identified": "identified", "bo.party#1": "p2"})
    ev = matter.answer(BO, "bo.pep", "non_domestic_pep", entry=1).evaluate()
    assert ev.minimum_rating is Rating.HIGH
    assert ("pep-edd", "p2") in {(s.checklist_id, s.subject) for s in ev.spawns}
    assert any(a.role is Role.SENIOR_MANAGER for a in ev.approvals)
    assert [r.question_id for r in ev.ratings] == ["assessment.rating"]
    assert all(r.acceptable for r in ev.ratings)
    assert ev.gate(Gate.G1).reasons  # BO record, approvals and source of funds still to do


def test_estate_agent_company_buyer_verified_after_the_offer_needs_a_low_rating() -> None:
    """Reg 30 timing applies to organisations too: verification after the offer was accepted."""
    matter = Matter("estate_agent", "company_uk", "estate_agency_sale", acting_for="buyer")
    matter.answer_all(
        EA,
        {
            "offer.accepted_at": datetime(2026, 3, 2, 15, 30),
            "verification.completed_on": date(2026, 3, 5),
            "assessment.rating": "medium",
        },
    )
    ev = matter.evaluate()
    assert "verification.late_justification" in ev.visible[EA]
    assert any("reg 30(3)" in r.message for r in ev.gate(Gate.G1).reasons)
