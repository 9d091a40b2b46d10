"""Finding 2: a rating below the computed one needs a supervisor's (branch manager's)
acceptance, for an agency's buyer and a solicitor's client alike; an overseas company seller is a
risk factor by itself. Finding 1 (first half): a PEP hit is decided by the nominated officer or a
senior manager, not by a negotiator alone."""

from __future__ import annotations

from pathlib import Path

from duediligence.domain.vocabulary import Gate, Rating, Role
from tests.agency.conftest import AgencyCli, import_lists, open_sale
from tests.scenarios.matter import Matter
from tests.scenarios.test_estate_agent_scenarios import EA, clean_buyer, estate_agent_matter

BELOW = "Low was chosen below the computed rating (Medium): a supervisor reviews the rationale"


def _risky_buyer(rating: str) -> Matter:
    """Cash, a gift and funds from abroad, the deposit from a third party: computed Medium."""
    matter = estate_agent_matter("buyer")
    matter.answer_all(
        EA,
        clean_buyer(
            **{
                "funding.sources": ["cash", "gift", "overseas_funds"],
                "deposit.payer": "third_party",
                "customer.residence": "FR",
                "assessment.rating": rating,
            }
        ),
    )
    return matter


def test_a_buyer_rated_below_the_computed_rating_waits_for_the_branch_manager() -> None:
    matter = _risky_buyer("low")
    result = matter.evaluate()
    assert result.computed_rating is Rating.MEDIUM
    assert result.rating_acceptable  # not below a floor: the rule is the supervisor's review
    waiting = [r.message for r in result.gate(Gate.G1).reasons if r.kind == "approval"]
    assert any(BELOW in m for m in waiting), waiting
    (below,) = [a for a in result.approvals if BELOW in a.reason]
    assert below.role is Role.SUPERVISOR and not below.satisfied
    # The branch manager's acceptance satisfies it; at the computed rating it is not asked.
    accepted = matter.approve("supervisor").evaluate().approvals
    assert next(a for a in accepted if BELOW in a.reason).satisfied
    at_computed = _risky_buyer("medium").evaluate()
    assert not [a for a in at_computed.approvals if "below the computed" in a.reason]


def test_the_same_rule_holds_for_a_solicitors_client() -> None:
    """One rule in the evaluator: a solicitor's matter rated below its computed rating waits
    for a supervisor too (the evaluator sees the chosen and the computed rating only)."""
    from duediligence.domain.evaluation import evaluate

    matter = _risky_buyer("low")
    snapshot = matter.snapshot()
    facts = dict(snapshot.facts)
    facts[next(f for f in facts if f.value == "firm_role")] = "solicitor"
    result = evaluate(snapshot.model_copy(update={"facts": facts}))
    assert any(BELOW in a.reason for a in result.approvals)


def test_an_overseas_company_seller_is_a_risk_factor_by_itself() -> None:
    seller = Matter("estate_agent", "company_overseas", "estate_agency_sale", acting_for="seller")
    reasons = [c.reason for c in seller.evaluate().contributions]
    assert "Customer is a company incorporated outside the UK (HMRC sector risk factor)" in reasons


def test_a_negotiator_cannot_decide_a_pep_hit(agency: AgencyCli) -> None:
    import_lists(agency)
    open_sale(agency, "B-1", "buyer")
    added = agency(
        "parties", "add", "B-1", "--role", "client", "--name", "Kassym-Jomart Tokayev",
        "--dob", "1953-05-17", "--nationality", "KZ",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    hits = [h for h in agency.json("screening", "hits", "B-1")["hits"] if "pep" in h["list"]]
    assert hits, "the PEP sample names him"
    hit = hits[0]["id"]
    before = agency.audit_count()
    note = "Common name, not her; checked nothing else"
    for who in ("nina", "bea"):
        refused = agency(
            "screening", "dispose", "B-1", hit, "--false-positive", "--reason",
            "FP_COMMON_NAME_NO_CORROBORATION", "--note", note, user=who,
        )  # fmt: skip
        assert refused.exit_code == 1
        assert "only the MLRO (nominated officer) or a senior manager may decide a pep hit" in (
            refused.stderr
        )
    assert agency.audit_count() == before
    decided = agency(
        "screening", "dispose", "B-1", hit, "--as-true-match", "--reason",
        "TP_CONFIRMED_ESCALATE", "--note", "Same name, date of birth and nationality: him",
        user="dan",
    )  # fmt: skip
    assert decided.exit_code == 0, decided.output


def test_a_sanctions_hit_stays_the_mlros(tmp_path: Path, agency: AgencyCli) -> None:
    import_lists(agency)
    open_sale(agency, "B-1", "buyer")
    added = agency(
        "parties", "add", "B-1", "--role", "client", "--name", "Ivan Petrovich Sidorov",
        "--dob", "1965-03-07",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    hits = [h for h in agency.json("screening", "hits", "B-1")["hits"] if "uksl" in h["list"]]
    assert hits
    refused = agency(
        "screening", "dispose", "B-1", hits[0]["id"], "--false-positive", "--reason",
        "FP_DIFFERENT_DOB", "--note", "Born 1970 per passport seen in branch", user="dan",
    )  # fmt: skip
    assert refused.exit_code == 1
    assert "only the MLRO may decide a sanctions hit" in refused.stderr
