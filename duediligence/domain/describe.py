"""Conditions and effects in plain words, for the outline, the TUI and the audit file."""

from __future__ import annotations

from datetime import date

from duediligence.domain.checklist import (
    AllOf,
    AnyOf,
    BlockGate,
    CddImpossible,
    Checklist,
    Comparison,
    Condition,
    Effect,
    ForceHigh,
    HoldFunds,
    MoneyBound,
    NotOf,
    QuestionRef,
    RatingFloor,
    ReferToMlro,
    RefuseAnswer,
    RequireApproval,
    RiskPoints,
    SpawnChecklist,
)

_WORDS = {
    "equals": "is",
    "not_equals": "is not",
    "in": "is one of",
    "not_in": "is none of",
    "gt": "is after/above",
    "gte": "is at or after/above",
    "lt": "is before/below",
    "lte": "is at or before/below",
    "contains": "includes",
    "contains_any": "includes any of",
    "in_country_list": "is on the list",
    "mentions_any": "names any of",
}


def describe_condition(condition: Condition, checklist: Checklist | None = None) -> str:
    """A condition as a sentence fragment, using option labels where the checklist is given."""
    if isinstance(condition, AllOf):
        return "(" + " and ".join(describe_condition(c, checklist) for c in condition.all_) + ")"
    if isinstance(condition, AnyOf):
        return "(" + " or ".join(describe_condition(c, checklist) for c in condition.any_) + ")"
    if isinstance(condition, NotOf):
        return "not " + describe_condition(condition.not_, checklist)
    return _comparison(condition, checklist)


def _comparison(comparison: Comparison, checklist: Checklist | None) -> str:
    subject = (
        f"fact {comparison.fact.value}" if comparison.fact is not None else str(comparison.question)
    )
    if comparison.checklist is not None:
        subject = f"{comparison.checklist}: {subject}"
    if comparison.aggregate is not None:
        kind, question_id = comparison.aggregate
        subject = f"the {kind} of {question_id} over every entry"
    if comparison.months is not None:
        ends = [
            e.question or f"fact {e.fact}" for e in (comparison.months.from_, comparison.months.to)
        ]
        subject = f"the months from {ends[0]} to {ends[1]}"
    if comparison.tolerance_percent is not None:
        subject = f"{subject} (within {comparison.tolerance_percent}%)"
    labels: dict[str, str] = {}
    if checklist is not None and comparison.question is not None and not comparison.checklist:
        question = checklist.question(comparison.question)
        if question is not None:
            labels = {o.value: o.label for o in question.options}
    op = comparison.operator
    arg = comparison.operand
    if op == "answered":
        return f"{subject} is answered" if arg else f"{subject} is not answered"
    return f"{subject} {_WORDS[op]} {_value(arg, labels)}"


def _value(value: object, labels: dict[str, str]) -> str:
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_value(v, labels) for v in value) + "]"
    if isinstance(value, QuestionRef):
        return f"the answer to {value.question}" if value.question else f"fact {value.fact}"
    if isinstance(value, MoneyBound):
        return f"{value.currency} {value.amount:,}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return f'"{labels.get(value, value)}"'
    return str(value)


def describe_effect(effect: Effect) -> str:
    """An effect as a short imperative line."""
    if isinstance(effect, RiskPoints):
        return f"+{effect.points} risk" + (f" ({effect.reason})" if effect.reason else "")
    if isinstance(effect, RatingFloor):
        return f"rating at least {effect.rating.value.capitalize()}: {effect.reason}"
    if isinstance(effect, ForceHigh):
        return f"rating forced to High: {effect.reason}"
    if isinstance(effect, BlockGate):
        return f"block {', '.join(g.value for g in effect.gates)}: {effect.reason}"
    if isinstance(effect, HoldFunds):
        return f"hold funds: {effect.reason}"
    if isinstance(effect, RequireApproval):
        return f"{effect.role.label} approval before {effect.gate.value}: {effect.reason}"
    if isinstance(effect, SpawnChecklist):
        if effect.party_from is not None:
            who = f"the party in {effect.party_from}"
        elif effect.party_from_screening is not None:
            who = f"each party whose {effect.party_from_screening} match is confirmed"
        else:
            who = "the client" if effect.for_client else "the run's subject"
        return f"start {effect.checklist} for {who} (before {effect.gate.value})"
    if isinstance(effect, ReferToMlro):
        return f"refer to the MLRO: {effect.reason}"
    if isinstance(effect, RefuseAnswer):
        return f"refused when answered: {effect.reason}"
    if isinstance(effect, CddImpossible):
        return f"CDD cannot be completed (reg 31): {effect.reason}"
    raise AssertionError(f"unknown effect {effect!r}")  # pragma: no cover - union is closed
