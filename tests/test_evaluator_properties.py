"""Properties of the evaluator over random valid checklists and random answers (hypothesis).

The checklists are built the way a firm would write them in TOML (plain tables through the same
pydantic models), with sections, yes/no, choice, multiple-choice, text and percent questions,
`show_when` conditions that read earlier questions only, and rules adding risk points, floors,
High triggers, gate blocks and approvals. Every generated checklist is first checked to be valid
by the loader's own semantic checks, so the properties are about checklists that could ship.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duediligence.domain.answers import AnswerValue
from duediligence.domain.checklist import Checklist
from duediligence.domain.evaluation import (
    CaseSnapshot,
    ChecklistRun,
    Evaluation,
    GivenApproval,
    evaluate,
)
from duediligence.domain.validation import check_checklists
from duediligence.domain.vocabulary import Gate, Role

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
RUN = "run-1"
TYPES = ("yesno", "choice", "multi", "text", "percent")
GATES = [g.value for g in Gate]
APPROVERS = [Role.SUPERVISOR.value, Role.SENIOR_MANAGER.value, Role.MLRO.value]
TEXTS = ("ok", "A short rationale.", "A rationale long enough to satisfy any minimum length set.")


@dataclass(frozen=True)
class Q:
    """A generated question: its id, type and option values."""

    id: str
    type: str
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class Case:
    """A generated checklist with answers and recorded approvals."""

    checklist: Checklist
    questions: tuple[Q, ...]
    answers: dict[str, AnswerValue]
    approvals: tuple[str, ...]

    def snapshot(self, answers: dict[str, AnswerValue] | None = None) -> CaseSnapshot:
        return CaseSnapshot(
            checklists={self.checklist.id: self.checklist},
            runs=(
                ChecklistRun(
                    id=RUN,
                    checklist_id=self.checklist.id,
                    answers=self.answers if answers is None else answers,
                ),
            ),
            approvals=tuple(
                GivenApproval(role=Role(r), approver="A. N. Other") for r in self.approvals
            ),
        )


# -- strategies -------------------------------------------------------------------------------


def comparison(draw: st.DrawFn, q: Q, monotone: bool) -> dict[str, Any]:
    """One comparison on question q. Monotone ones only become true as risk is added."""
    choices: list[dict[str, Any]]
    if q.type == "yesno":
        choices = [{"equals": True}, {"answered": True}, {"in": [True]}]
        if not monotone:
            choices += [{"equals": False}, {"answered": False}, {"not_equals": True}]
    elif q.type == "choice":
        some = draw(st.lists(st.sampled_from(q.options), min_size=1, max_size=3, unique=True))
        choices = [
            {"equals": some[0]},
            {"in": some},
            {"not_equals": some[0]},
            {"not_in": some},
            {"answered": True},
        ]
    elif q.type == "multi":
        some = draw(st.lists(st.sampled_from(q.options), min_size=1, max_size=3, unique=True))
        choices = [{"contains": some[0]}, {"contains_any": some}, {"answered": True}]
    elif q.type == "percent":
        bound = draw(st.integers(0, 100))
        choices = [{op: bound} for op in ("gt", "gte", "lt", "lte", "equals")]
        choices.append({"answered": True})
    else:  # text
        choices = [{"answered": True}]
    if not monotone and q.type != "yesno":
        choices.append({"answered": False})
    return {"question": q.id, **draw(st.sampled_from(choices))}


def condition(draw: st.DrawFn, pool: list[Q], monotone: bool, depth: int = 0) -> dict[str, Any]:
    """A condition over questions in `pool`, combined with all / any (and not, when allowed)."""
    if depth >= 2 or draw(st.booleans()):
        return comparison(draw, draw(st.sampled_from(pool)), monotone)
    kind = draw(st.sampled_from(["all", "any"] if monotone else ["all", "any", "not"]))
    if kind == "not":
        return {"not": condition(draw, pool, monotone, depth + 1)}
    count = draw(st.integers(1, 3))
    return {kind: [condition(draw, pool, monotone, depth + 1) for _ in range(count)]}


def effect(
    draw: st.DrawFn, rating_effects: bool = True, only_rating: bool = False
) -> dict[str, Any]:
    kinds = [] if only_rating else ["block_gate", "require_approval", "hold_funds"]
    if rating_effects:
        kinds += ["risk_points", "risk_points", "rating_floor", "force_high"]
    kind = draw(st.sampled_from(kinds))
    if kind == "risk_points":
        return {"kind": kind, "points": draw(st.integers(1, 10))}
    if kind == "rating_floor":
        rating = draw(st.sampled_from(["low", "medium", "high"]))
        return {"kind": kind, "rating": rating, "reason": f"floor {rating}"}
    if kind == "force_high":
        return {"kind": kind, "reason": "mandatory trigger"}
    if kind == "block_gate":
        gates = draw(st.lists(st.sampled_from(GATES), min_size=1, max_size=4, unique=True))
        return {"kind": kind, "gates": gates, "reason": "blocked"}
    if kind == "require_approval":
        role = draw(st.sampled_from(APPROVERS))
        gate = draw(st.sampled_from(GATES))
        return {"kind": kind, "role": role, "gate": gate, "reason": f"{role} must approve"}
    return {"kind": kind, "reason": "funds held"}


def rule(draw: st.DrawFn, pool: list[Q], monotone: bool) -> dict[str, Any]:
    effects = [effect(draw) for _ in range(draw(st.integers(1, 3)))]
    return {"when": condition(draw, pool, monotone), "effects": effects}


def question_table(draw: st.DrawFn, q: Q, earlier: list[Q], monotone: bool) -> dict[str, Any]:
    table: dict[str, Any] = {
        "id": q.id,
        "text": f"Question {q.id}?",
        "guidance": "Answer it.",
        "citations": ["MLR reg 28(2)"],
        "type": q.type,
        "required": draw(st.sampled_from([True, True, True, False])),
    }
    if q.options:
        table["options"] = [{"value": o, "label": o.upper()} for o in q.options]
    if q.type == "text" and draw(st.booleans()):
        table["min_length"] = draw(st.integers(1, 40))
    if draw(st.booleans()):
        table["gate"] = draw(st.sampled_from(GATES))
    if earlier and draw(st.integers(0, 2)) == 0:
        table["show_when"] = condition(draw, earlier, monotone)
    rules = [rule(draw, [*earlier, q], monotone) for _ in range(draw(st.integers(0, 2)))]
    if q.type in ("yesno", "multi") and draw(st.booleans()):
        # A plain risk factor: the answer itself carries rating effects.
        when: dict[str, Any] = {"question": q.id}
        when |= {"equals": True} if q.type == "yesno" else {"contains": q.options[-1]}
        rules.append({"when": when, "effects": [effect(draw, only_rating=True) for _ in range(2)]})
    if rules:
        table["rule"] = rules
    return table


@st.composite
def cases(draw: st.DrawFn, monotone: bool = False) -> Case:
    sizes = draw(st.lists(st.integers(1, 4), min_size=1, max_size=3))
    types = draw(st.lists(st.sampled_from(TYPES), min_size=sum(sizes), max_size=sum(sizes)))
    if monotone and not {"yesno", "multi"} & set(types):
        types[draw(st.integers(0, len(types) - 1))] = draw(st.sampled_from(["yesno", "multi"]))
    questions: list[Q] = []
    for n, kind in enumerate(types):
        options: tuple[str, ...] = ()
        if kind in ("choice", "multi"):
            options = tuple(f"o{i}" for i in range(draw(st.integers(2, 4))))
        questions.append(Q(f"q{n}", kind, options))

    sections: list[dict[str, Any]] = []
    start = 0
    for s, size in enumerate(sizes):
        section: dict[str, Any] = {"id": f"s{s}", "title": f"Section {s}"}
        earlier = questions[:start]
        if earlier and draw(st.integers(0, 3)) == 0:
            section["show_when"] = condition(draw, earlier, monotone)
        section["question"] = [
            question_table(draw, questions[i], questions[:i], monotone)
            for i in range(start, start + size)
        ]
        sections.append(section)
        start += size

    checklist_rules = [rule(draw, questions, monotone) for _ in range(draw(st.integers(0, 2)))]
    if draw(st.booleans()):
        # Non-rating effects may depend on the computed rating (the evaluator's second pass).
        rating = draw(st.sampled_from(["low", "medium", "high"]))
        checklist_rules.append(
            {
                "when": {"fact": "computed_rating", "equals": rating},
                "effects": [effect(draw, rating_effects=False)],
            }
        )
    data: dict[str, Any] = {
        "id": "generated",
        "title": "Generated checklist",
        "version": "1.0",
        "policy_ref": "PCP 1",
        "applies_to": {"firm_roles": ["solicitor"]},
        "default_gate": draw(st.sampled_from(GATES)),
        "section": sections,
    }
    if checklist_rules:
        data["rule"] = checklist_rules
    checklist = Checklist.model_validate(data)
    assert check_checklists([checklist], {}) == [], "the generator made an invalid checklist"

    answers: dict[str, AnswerValue] = {}
    for q in questions:
        if not draw(st.integers(0, 3)):
            continue  # left unanswered
        answers[q.id] = draw(answer_for(q))
    approvals = tuple(draw(st.lists(st.sampled_from(APPROVERS), unique=True, max_size=2)))
    return Case(checklist, tuple(questions), answers, approvals)


def answer_for(q: Q) -> st.SearchStrategy[AnswerValue]:
    if q.type == "yesno":
        return st.booleans()
    if q.type == "choice":
        return st.sampled_from(q.options)
    if q.type == "multi":
        return st.lists(st.sampled_from(q.options), unique=True).map(tuple)
    if q.type == "percent":
        return st.integers(0, 100).map(Decimal)
    return st.sampled_from(TEXTS)


# -- helpers ----------------------------------------------------------------------------------


def causes(result: Evaluation) -> list[Any]:
    """Every cause the evaluation reports, wherever it appears."""
    found: list[Any] = [c.cause for c in result.contributions]
    found += [f.cause for f in result.floors]
    found += [t.cause for t in result.triggers]
    found += [a.cause for a in result.approvals]
    found += [s.cause for s in result.spawns]
    found += [f.cause for f in (*result.referrals, *result.funds_held, *result.cdd_impossible)]
    found += [r.cause for g in result.gates for r in g.reasons if r.cause is not None]
    return found


# -- properties -------------------------------------------------------------------------------


@SETTINGS
@given(cases())
def test_a_hidden_question_is_never_missing_and_never_causes_an_effect(case: Case) -> None:
    result = evaluate(case.snapshot())
    visible = set(result.visible[RUN])
    hidden = {q.id for q in case.questions} - visible
    assert not {m.question_id for m in result.missing} & hidden
    for cause in causes(result):
        assert cause.question_id is None or cause.question_id in visible
        assert {a.question_id for a in cause.answers} <= visible
    # The missing list is exactly the visible required questions without a sufficient answer.
    expected_missing = set()
    for _, question in case.checklist.questions():
        value = case.answers.get(question.id)
        if question.id not in visible or not question.required:
            continue
        too_short = (
            question.min_length is not None
            and isinstance(value, str)
            and len(value) < question.min_length
        )
        # An empty multi-select (or blank text) says nothing: it is not an answer.
        blank = value == () or value == [] or (isinstance(value, str) and not value.strip())
        if value is None or too_short or blank:
            expected_missing.add(question.id)
    assert {m.question_id for m in result.missing} == expected_missing


@SETTINGS
@given(cases())
def test_answers_to_hidden_questions_change_nothing(case: Case) -> None:
    result = evaluate(case.snapshot())
    visible = set(result.visible[RUN])
    shown_only = {k: v for k, v in case.answers.items() if k in visible}
    assert evaluate(case.snapshot(shown_only)) == result


@SETTINGS
@given(cases(monotone=True), st.data())
def test_adding_a_risk_factor_never_lowers_the_rating(case: Case, data: st.DataObject) -> None:
    factors = [q for q in case.questions if q.type in ("yesno", "multi")]
    # Prefer a question some rule or condition reads, so the change usually matters.
    definition = case.checklist.model_dump_json()
    read = [q for q in factors if f'"question":"{q.id}"' in definition]
    target = data.draw(st.sampled_from(read or factors))
    before = dict(case.answers)
    after = dict(case.answers)
    if target.type == "yesno":
        # From unanswered or "no" to "yes".
        before.pop(target.id, None)
        if data.draw(st.booleans()):
            before[target.id] = False
        after[target.id] = True
    else:
        # Tick one more option.
        extra = data.draw(st.sampled_from(target.options))
        rest = [o for o in target.options if o != extra]
        ticked = tuple(data.draw(st.lists(st.sampled_from(rest), unique=True)))
        answered_none: bool = data.draw(st.booleans())
        before.pop(target.id, None)
        if ticked or answered_none:
            before[target.id] = ticked
        after[target.id] = (*ticked, extra)
    low = evaluate(case.snapshot(before))
    high = evaluate(case.snapshot(after))
    assert high.minimum_rating.at_least(low.minimum_rating)
    assert high.computed_rating.at_least(low.computed_rating)
    assert high.score >= low.score
    assert set(low.visible[RUN]) <= set(high.visible[RUN])


@SETTINGS
@given(cases())
def test_evaluation_is_deterministic(case: Case) -> None:
    first = evaluate(case.snapshot())
    assert evaluate(case.snapshot()) == first
    # A checklist read again from the same definition evaluates the same way.
    again = Case(
        Checklist.model_validate(case.checklist.model_dump(by_alias=True)),
        case.questions,
        dict(case.answers),
        case.approvals,
    )
    assert evaluate(again.snapshot()) == first


@SETTINGS
@given(cases())
def test_every_unanswered_gate_reason_names_a_visible_question(case: Case) -> None:
    result = evaluate(case.snapshot())
    visible = set(result.visible[RUN])
    for gate in result.gates:
        for reason in gate.reasons:
            if reason.kind == "unanswered":
                assert reason.run_id == RUN
                assert reason.question_id in visible


@SETTINGS
@given(cases())
def test_a_gate_is_open_only_when_every_earlier_gate_is_open(case: Case) -> None:
    result = evaluate(case.snapshot())
    gates = list(result.gates)
    assert [g.gate for g in gates] == list(Gate)
    for k, later in enumerate(gates):
        for earlier in gates[:k]:
            assert set(earlier.reasons) <= set(later.reasons)
            if later.open:
                assert earlier.open
        assert later.open == (not later.reasons)
