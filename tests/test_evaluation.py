"""The evaluator's semantics on the small example checklist in tests/data/checklists/good/."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache

import pytest

from duediligence.adapters.checklists_toml import load_library
from duediligence.domain.answers import Money
from duediligence.domain.checklist import Checklist
from duediligence.domain.errors import DueDiligenceError
from duediligence.domain.evaluation import (
    CaseSnapshot,
    ChecklistRun,
    GivenApproval,
    RatingOverride,
    evaluate,
)
from duediligence.domain.library import ChecklistLibrary
from duediligence.domain.vocabulary import Fact, Gate, Rating, Role
from tests.conftest import PROJECT


@cache
def example() -> ChecklistLibrary:
    return load_library([PROJECT / "tests" / "data" / "checklists" / "good"])


CLEAN = {
    "pep": "no",
    "residence": "GB",
    "value": Money(amount=Decimal(450000), currency="GBP"),
    "tranche.source#1": "savings",
    "rating": "low",
}


def case(answers: dict[str, object], **extra: object) -> CaseSnapshot:
    library = example()
    runs = [ChecklistRun(id="main", checklist_id="example-cdd", answers=answers)]
    runs.extend(extra.pop("runs", []))  # type: ignore[arg-type]
    return CaseSnapshot(
        checklists=library.checklists,
        country_lists=library.country_lists,
        runs=tuple(runs),
        facts={Fact.SANCTIONS_SCREENING: "clear"},
        **extra,
    )


def test_a_clean_low_risk_case_opens_every_gate() -> None:
    result = evaluate(case(dict(CLEAN)))
    assert result.missing == ()
    assert result.score == 0
    assert result.computed_rating is Rating.LOW
    assert [g.open for g in result.gates] == [True, True, True, True]
    assert result.rating_acceptable


def test_unanswered_required_question_blocks_its_gate_and_names_it() -> None:
    answers = dict(CLEAN)
    del answers["residence"]
    result = evaluate(case(answers))
    (reason,) = result.gate(Gate.G1).reasons
    assert reason.kind == "unanswered"
    assert reason.question_id == "residence"
    assert "Country of residence" in reason.message
    assert not result.gate(Gate.G4).open  # a later gate waits for an earlier one


def test_pep_forces_high_names_its_cause_and_waits_for_senior_management() -> None:
    answers = dict(CLEAN, pep="pep", rating="high")
    result = evaluate(case(answers))
    (trigger,) = result.triggers
    assert trigger.cause.question_id == "pep"
    assert [(a.question_id, a.answer) for a in trigger.cause.answers] == [("pep", "Yes, a PEP")]
    assert result.minimum_rating is Rating.HIGH
    (need,) = result.approvals
    assert need.role is Role.SENIOR_MANAGER and not need.satisfied
    assert not result.gate(Gate.G1).open

    approved = evaluate(
        case(answers, approvals=(GivenApproval(role=Role.SENIOR_MANAGER, approver="S"),))
    )
    assert approved.gate(Gate.G1).open


def test_superseded_or_wrong_role_approval_does_not_count() -> None:
    answers = dict(CLEAN, pep="pep", rating="high")
    for given in (
        GivenApproval(role=Role.SENIOR_MANAGER, approver="S", superseded=True),
        GivenApproval(role=Role.SUPERVISOR, approver="S"),
        GivenApproval(role=Role.SENIOR_MANAGER, approver="S", decision="refused"),
    ):
        assert not evaluate(case(answers, approvals=(given,))).gate(Gate.G1).open


def test_rating_below_trigger_is_refused_unless_mlro_overrides_with_rationale() -> None:
    answers = dict(CLEAN, residence="IR", rating="medium")
    refused = evaluate(case(answers))
    (decision,) = refused.ratings
    assert not decision.acceptable
    assert "high-risk third country" in decision.message
    assert any(r.kind == "rating_refused" for r in refused.gate(Gate.G1).reasons)

    short = RatingOverride(role=Role.MLRO, by="M", rating=Rating.MEDIUM, rationale="fine")
    assert not evaluate(case(answers, overrides=(short,))).ratings[0].acceptable
    # A rationale that says something: padding ("x" * 120) no longer counts (issue 13).
    long = (
        "Medium stands: the client has lived in the UK for twenty years, the residence abroad "
        "is a holiday home, and every payment comes from a UK bank account."
    )
    not_mlro = RatingOverride(
        role=Role.SENIOR_MANAGER, by="S", rating=Rating.MEDIUM, rationale=long
    )
    assert not evaluate(case(answers, overrides=(not_mlro,))).ratings[0].acceptable
    mlro = RatingOverride(role=Role.MLRO, by="M", rating=Rating.MEDIUM, rationale=long)
    accepted = evaluate(case(answers, overrides=(mlro,))).ratings[0]
    assert accepted.acceptable and accepted.override == mlro


def test_money_threshold_uses_sterling_equivalent_for_other_currencies() -> None:
    usd = Money(amount=Decimal(3000000), currency="USD")
    assert evaluate(case(dict(CLEAN, value=usd))).score == 0  # no rate known: no comparison
    with_gbp = Money(amount=Decimal(3000000), currency="USD", gbp_equivalent=Decimal(2400000))
    result = evaluate(case(dict(CLEAN, value=with_gbp)))
    assert result.score == 2
    assert result.contributions[0].cause.question_id == "value"


def test_repeating_section_reads_its_own_entry_and_spawns_for_the_named_party() -> None:
    answers = dict(CLEAN)
    answers.update({"tranche.source#2": "gift", "tranche.donor#2": "party-7"})
    result = evaluate(case(answers))
    assert "tranche.donor#2" in result.visible["main"]
    assert "tranche.donor#1" not in result.visible["main"]
    (spawn,) = result.spawns
    assert (spawn.checklist_id, spawn.subject, spawn.gate) == ("other", "party-7", Gate.G2)
    assert spawn.run_id is None
    assert result.gate(Gate.G1).open and not result.gate(Gate.G2).open

    donor = ChecklistRun(id="d", checklist_id="other", subject="party-7", answers={"ok": True})
    started = evaluate(case(answers, runs=[donor]))
    assert started.spawns[0].run_id == "d"
    assert started.gate(Gate.G4).open


def test_missing_entry_in_repeating_group_is_reported_per_entry() -> None:
    answers = dict(CLEAN)
    answers["tranche.donor#3"] = "party-9"  # entry 3 exists, but its source is not answered
    result = evaluate(case(answers))
    missing = {m.question_id for m in result.missing}
    assert {"tranche.source#2", "tranche.source#3"} <= missing
    assert "tranche.donor#3" not in result.visible["main"]  # hidden until source is gift


def test_hidden_answers_have_no_effect() -> None:
    answers = dict(CLEAN)
    answers["tranche.donor#1"] = "party-3"  # entry 1 is savings: donor question hidden
    result = evaluate(case(answers))
    assert result.spawns == ()


def test_sanctions_possible_match_holds_funds_and_blocks_everything() -> None:
    snapshot = case(dict(CLEAN)).model_copy(
        update={"facts": {Fact.SANCTIONS_SCREENING: "possible_match"}}
    )
    result = evaluate(snapshot)
    assert [g.open for g in result.gates] == [False] * 4
    assert result.funds_held[0].reason == "Possible sanctions match"
    kinds = {r.kind for r in result.gate(Gate.G2).reasons}
    assert kinds == {"blocked", "funds_held"}


def test_evaluation_is_deterministic() -> None:
    snapshot = case(dict(CLEAN, pep="pep"))
    assert evaluate(snapshot) == evaluate(snapshot)


def test_unknown_checklist_in_case_is_a_clear_error() -> None:
    library = example()
    snapshot = CaseSnapshot(
        checklists=library.checklists, runs=(ChecklistRun(id="x", checklist_id="nope"),)
    )
    with pytest.raises(DueDiligenceError, match="checklist 'nope', which is not loaded"):
        evaluate(snapshot)


def test_date_against_datetime_compares_calendar_days() -> None:
    checklist = Checklist.model_validate(
        {
            "id": "timing",
            "title": "Timing",
            "version": "1.0",
            "policy_ref": "P",
            "applies_to": {"firm_roles": ["estate_agent"]},
            "section": [
                {
                    "id": "s",
                    "title": "S",
                    "question": [
                        {
                            "id": "verified_on",
                            "text": "Verified on",
                            "guidance": "g",
                            "citations": ["MLR reg 30(2)"],
                            "type": "date",
                            "rule": [
                                {
                                    "when": {"gt": {"fact": "relationship_established_at"}},
                                    "effects": [
                                        {"kind": "block_gate", "gates": ["G1"], "reason": "late"}
                                    ],
                                }
                            ],
                        }
                    ],
                }
            ],
        }
    )
    offer = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)

    def late(day: date) -> bool:
        snapshot = CaseSnapshot(
            checklists={"timing": checklist},
            runs=(ChecklistRun(id="t", checklist_id="timing", answers={"verified_on": day}),),
            facts={Fact.RELATIONSHIP_ESTABLISHED_AT: offer},
        )
        return not evaluate(snapshot).gate(Gate.G1).open

    assert late(date(2026, 3, 3))
    assert not late(date(2026, 3, 2))
    assert not late(date(2026, 3, 1))


def _one_question(cid: str, default_gate: str, rule: list[dict[str, object]]) -> Checklist:
    return Checklist.model_validate(
        {
            "id": cid,
            "title": cid.title(),
            "version": "1.0",
            "policy_ref": "P",
            "default_gate": default_gate,
            "applies_to": {"firm_roles": ["solicitor"]},
            "section": [
                {
                    "id": "s",
                    "title": "S",
                    "question": [
                        {
                            "id": "q",
                            "text": f"{cid} question",
                            "guidance": "g",
                            "citations": ["MLR reg 35(5)"],
                            "type": "yesno",
                            "rule": rule,
                        }
                    ],
                }
            ],
        }
    )


def test_a_child_spawned_for_an_earlier_gate_holds_that_gate_until_complete() -> None:
    spawn = {"kind": "spawn", "checklist": "child", "gate": "G1"}
    parent = _one_question("parent", "G1", [{"when": {"equals": True}, "effects": [spawn]}])
    child = _one_question("child", "G2", [])
    checklists = {"parent": parent, "child": child}
    runs = (
        ChecklistRun(id="p", checklist_id="parent", answers={"q": True}),
        ChecklistRun(id="c", checklist_id="child"),
    )
    result = evaluate(CaseSnapshot(checklists=checklists, runs=runs))
    (missing,) = result.missing
    assert (missing.run_id, missing.gate) == ("c", Gate.G1)
    assert not result.gate(Gate.G1).open

    # Not spawned any more (the answer changed): the child's questions fall back to its own gate.
    runs = (runs[0].model_copy(update={"answers": {"q": False}}), runs[1])
    result = evaluate(CaseSnapshot(checklists=checklists, runs=runs))
    assert result.missing[0].gate is Gate.G2
    assert result.gate(Gate.G1).open


def test_a_spawn_inside_a_partys_checklist_is_for_that_party() -> None:
    spawn = {"kind": "spawn", "checklist": "child"}
    parent = _one_question("parent", "G1", [{"when": {"equals": True}, "effects": [spawn]}])
    child = _one_question("child", "G1", [])
    runs = (ChecklistRun(id="p", checklist_id="parent", subject="bo-2", answers={"q": True}),)
    result = evaluate(CaseSnapshot(checklists={"parent": parent, "child": child}, runs=runs))
    (need,) = result.spawns
    assert need.subject == "bo-2"


def _spawning(**spawn: object) -> dict[str, Checklist]:
    effect = {"kind": "spawn", "checklist": "child", **spawn}
    parent = _one_question("parent", "G1", [{"when": {"equals": True}, "effects": [effect]}])
    return {"parent": parent, "child": _one_question("child", "G1", [])}


def test_a_confirmed_screening_match_spawns_for_the_person_matched_not_the_client() -> None:
    checklists = _spawning(party_from_screening="pep")
    runs = (ChecklistRun(id="p", checklist_id="parent", answers={"q": True}),)
    matched = CaseSnapshot(
        checklists=checklists, runs=runs, confirmed_matches={"pep": ("p2", "p3")}
    )
    assert [n.subject for n in evaluate(matched).spawns] == ["p2", "p3"]
    # Only sanctions matches confirmed: nobody is a PEP, so no PEP checklist is asked for.
    sanctions_only = matched.model_copy(update={"confirmed_matches": {"sanctions": ("p2",)}})
    assert evaluate(sanctions_only).spawns == ()


def test_the_party_who_is_the_client_needs_one_run_however_many_rules_ask() -> None:
    # The client's CDD asks for EDD "about the client"; the beneficial-ownership checklist of a
    # company asks for it about p1, who is that same client: one person, one EDD.
    checklists = _spawning()
    by_party = _spawning(party_from_screening="pep")["parent"].model_copy(update={"id": "bo"})
    runs = (
        ChecklistRun(id="p", checklist_id="parent", answers={"q": True}),
        ChecklistRun(id="b", checklist_id="bo", subject="p2", answers={"q": True}),
    )
    case = CaseSnapshot(
        checklists={**checklists, "bo": by_party},
        runs=runs,
        confirmed_matches={"pep": ("p1",)},
        client_party="p1",
    )
    (need,) = evaluate(case).spawns
    assert (need.checklist_id, need.subject, need.run_id) == ("child", "client", None)
    # A run already started about p1 is that need's run, whichever name it was started under.
    started = case.model_copy(
        update={"runs": (*runs, ChecklistRun(id="c", checklist_id="child", subject="p1"))}
    )
    (need,) = evaluate(started).spawns
    assert need.run_id == "c"
    # When no party is known to be the client, p1 and "the client" stay two subjects.
    unknown = case.model_copy(update={"client_party": None})
    assert sorted(n.subject for n in evaluate(unknown).spawns) == ["client", "p1"]


def test_for_client_starts_the_checklist_about_the_client_from_a_partys_run() -> None:
    checklists = _spawning(for_client=True)
    runs = (ChecklistRun(id="p", checklist_id="parent", subject="p4", answers={"q": True}),)
    (need,) = evaluate(CaseSnapshot(checklists=checklists, runs=runs)).spawns
    assert need.subject == "client"


def test_a_spawn_names_its_subject_one_way_only() -> None:
    with pytest.raises(ValueError, match="names its subject one way"):
        _spawning(for_client=True, party_from_screening="pep")


def test_foreign_tranches_without_sterling_keep_g2_closed_and_with_it_are_totalled() -> None:
    # Answers stored before the sterling equivalent was asked for cannot be added up: the
    # bundled source-of-funds checklist keeps G2 closed rather than skip its total check.
    library = load_library([PROJECT / "checklists"])

    def g2_reasons(*amounts: Money) -> list[str]:
        answers: dict[str, object] = {
            "sof.amount_required": Money(amount=Decimal(2_000_000), currency="GBP")
        }
        for n, amount in enumerate(amounts, 1):
            answers[f"tranche.amount#{n}"] = amount
        run = ChecklistRun(id="sof", checklist_id="source-of-funds", answers=answers)
        found = evaluate(CaseSnapshot(checklists=library.checklists, runs=(run,), facts={}))
        return [r.message for r in found.gate(Gate.G2).reasons]

    usd = Money(amount=Decimal(1_000_000), currency="USD")
    eur = Money(amount=Decimal(1_000_000), currency="EUR")
    unknown = "The tranches are in different currencies without a sterling equivalent"
    short = "The tranches do not add up to the amount required"
    assert any(m.startswith(unknown) for m in g2_reasons(usd, eur))
    assert any(m.startswith(short) for m in g2_reasons(usd))  # dollars never equal pounds
    known = [
        usd.model_copy(update={"gbp_equivalent": Decimal(790_000)}),
        eur.model_copy(update={"gbp_equivalent": Decimal(1_210_000)}),
    ]
    reasons = g2_reasons(*known)
    assert not any(m.startswith((unknown, short)) for m in reasons)
