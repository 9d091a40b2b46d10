"""The evaluator: from a case's checklists, answers and facts to what is shown, missing and blocked.

Pure functions over pydantic models. Every effect in the result names the checklist, question,
entry and answers that caused it, so the risk panel, the gates panel and the audit file can all
say *why*. The computed rating is worked out first from the rules that do not depend on it (the
loader refuses checklists where a rating effect depends on the computed rating), then everything
is evaluated again with the computed rating available as a fact.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from duediligence.domain.answers import (
    AnswerValue,
    Money,
    display_answer,
    is_blank,
    meaningful_length,
)
from duediligence.domain.checklist import (
    AllOf,
    AnyOf,
    BlockGate,
    CddImpossible,
    Checklist,
    Comparison,
    Condition,
    CountryList,
    Effect,
    ForceHigh,
    HoldFunds,
    MoneyBound,
    NotOf,
    Question,
    QuestionRef,
    QuestionType,
    RatingFloor,
    ReferToMlro,
    RefuseAnswer,
    RequireApproval,
    RiskPoints,
    Rule,
    Section,
    SpawnChecklist,
    referenced_questions,
)
from duediligence.domain.errors import DueDiligenceError
from duediligence.domain.funds import FundsIssue
from duediligence.domain.vocabulary import Fact, Gate, Rating, Role

Where = tuple[str, int]
"""The entry being evaluated inside a repeating section: (section id, entry number)."""

CLIENT = "client"
"""Subject of a checklist run about the client itself rather than another party."""


class Frozen(BaseModel):
    """Base for evaluator inputs and results: immutable, no unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)


# ----------------------------------------------------------------------------------------------
# Inputs


class ChecklistRun(Frozen):
    """One checklist started on a case, for the client or for one party, with its answers."""

    id: str
    """Unique within the case, e.g. "pep-edd@p2"."""
    checklist_id: str
    """The checklist definition answered."""
    subject: str = CLIENT
    """"client", or the id of the party this run is about."""
    answers: Mapping[str, AnswerValue] = Field(default_factory=dict)
    """Current answers by question id; "question#n" for entry n of a repeating section."""


class GivenApproval(Frozen):
    """An approval or refusal recorded on the case."""

    role: Role
    """The role the approver acted in."""
    approver: str
    """Who approved."""
    decision: Literal["approved", "refused"] = "approved"
    """The decision."""
    superseded: bool = False
    """True when the case changed after it was given, so it no longer counts."""


class RatingOverride(Frozen):
    """A recorded decision to accept a rating below a floor or trigger."""

    role: Role
    """Role of the person who overrode; only the MLRO's override counts."""
    by: str
    """Who overrode."""
    rating: Rating
    """The rating accepted."""
    rationale: str
    """Why, in full."""


class RiskPolicy(Frozen):
    """The firm's bands for turning a score into a rating (set in the firm-wide risk assessment)."""

    medium_from: int = 3
    """Score from which the computed rating is Medium."""
    high_from: int = 6
    """Score from which the computed rating is High."""
    override_rationale_min: int = 100
    """Minimum characters in an MLRO override rationale."""

    def band(self, score: int) -> Rating:
        """The rating a score alone suggests."""
        if score >= self.high_from:
            return Rating.HIGH
        if score >= self.medium_from:
            return Rating.MEDIUM
        return Rating.LOW


ReferralOutcome = Literal["proceed", "decline"]
"""How the MLRO closed a referral: the firm may proceed, or it declines to act. What the MLRO
weighed (and any suspicion) is a restricted record, never part of the matter file."""


class EvidenceStanding(Frozen):
    """What the evaluator needs of one evidence file: an evidence question counts a document
    only once it is verified with a recorded method (unverified evidence opened G2), and an
    identity document only when it names its party."""

    verified: bool
    """Verified, with the method recorded."""
    party: str | None = None
    """The party it is about (its label), if any."""


FactValue = str | datetime
"""A case fact: a choice value or an event time."""


class CaseSnapshot(Frozen):
    """Everything the evaluator reads about a case."""

    checklists: Mapping[str, Checklist]
    """Definitions by id (the loaded checklist set)."""
    runs: tuple[ChecklistRun, ...]
    """Checklists started on the case."""
    facts: Mapping[Fact, FactValue] = Field(default_factory=dict)
    """Facts the case provides (client type, matter type, screening, event times ...)."""
    approvals: tuple[GivenApproval, ...] = ()
    """Approvals recorded."""
    overrides: tuple[RatingOverride, ...] = ()
    """Rating overrides recorded."""
    policy: RiskPolicy = RiskPolicy()
    """Score bands."""
    country_lists: Mapping[str, CountryList] = Field(default_factory=dict)
    """Named country lists conditions may test."""
    closed_referrals: Mapping[str, ReferralOutcome] = Field(default_factory=dict)
    """The MLRO's outcome of each referral closed, by `referral_key`."""
    evidence: Mapping[str, EvidenceStanding] = Field(default_factory=dict)
    """Where each evidence file an answer refers to stands, by evidence id (a reference not
    here counts as unverified)."""
    funds_issues: tuple[FundsIssue, ...] = ()
    """What the reconciliation of receipts with the declared funds found (`domain.funds`):
    each keeps its gate closed, as any other reason does."""
    client_party: str | None = None
    """The party the subject "client" stands for (`principal_client`), when one party is it: a
    checklist needed about that party is the one already needed or started about the client."""
    confirmed_matches: Mapping[str, tuple[str, ...]] = Field(default_factory=dict)
    """By kind of list ("pep", "sanctions"), the parties whose match a person confirmed."""


# ----------------------------------------------------------------------------------------------
# Results


class AnswerSeen(Frozen):
    """An answer a rule read, as the person would read it."""

    question_id: str
    """The question."""
    text: str
    """Its text."""
    answer: str
    """The answer displayed."""


class Cause(Frozen):
    """Where an effect came from: the rule and the answers that made it hold."""

    run_id: str
    """The checklist run."""
    checklist_id: str
    """The checklist."""
    question_id: str | None
    """The question whose rule it is; None for a checklist-level rule."""
    entry: int | None = None
    """Entry of a repeating section, when the rule is inside one."""
    answers: tuple[AnswerSeen, ...] = ()
    """The answers the condition read."""

    def describe(self) -> str:
        """One line: which answers caused it."""
        seen = "; ".join(f"{a.text} -> {a.answer}" for a in self.answers)
        entry = f" (entry {self.entry})" if self.entry is not None else ""
        return f"{self.checklist_id}{entry}: {seen}" if seen else f"{self.checklist_id}{entry}"


class Contribution(Frozen):
    """Risk points added by one rule."""

    points: int
    """Points."""
    reason: str
    """Why."""
    cause: Cause
    """Where from."""


class Floor(Frozen):
    """A minimum rating and what set it."""

    rating: Rating
    """The minimum."""
    reason: str
    """Why."""
    cause: Cause
    """Where from."""


class Trigger(Frozen):
    """A mandatory trigger forcing High (enhanced due diligence)."""

    reason: str
    """The trigger."""
    cause: Cause
    """Where from."""


class Flag(Frozen):
    """A hold, MLRO referral or reg 31 mark, with what caused it."""

    reason: str
    """Why."""
    cause: Cause
    """Where from."""
    key: str | None = None
    """For a referral: what names it to the MLRO who closes it (`referral_key`)."""
    closed: ReferralOutcome | None = None
    """For a referral the MLRO has closed: the outcome (None: still open)."""


def referral_key(reason: str, cause: Cause) -> str:
    """A short, stable name for one referral: the rule that raised it and the answers that made
    it hold. A closure stands while the same answers raise it; changed answers raise a new one
    the MLRO must consider again."""
    seen = [(a.question_id, a.answer) for a in cause.answers]
    text = json.dumps(
        [cause.run_id, cause.checklist_id, cause.question_id, cause.entry, seen, reason],
        ensure_ascii=False,
    )
    return "r" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:9]


class GateReason(Frozen):
    """One thing keeping a gate closed, and where to go to clear it."""

    gate: Gate
    """The earliest gate it blocks (it blocks every later one too)."""
    kind: Literal[
        "unanswered",
        "blocked",
        "funds_held",
        "cdd_impossible",
        "approval",
        "checklist_not_started",
        "rating_refused",
        "referral",
        "receipt",
    ]
    """What sort of reason it is."""
    message: str
    """What is wrong, in words."""
    run_id: str | None = None
    """The checklist run to go to."""
    question_id: str | None = None
    """The question (answer key) that would clear it, when there is one."""
    cause: Cause | None = None
    """The rule that produced it, for effects."""


class GateState(Frozen):
    """Whether a gate is open, with every reason it is not."""

    gate: Gate
    """The gate."""
    open: bool
    """True when nothing blocks it."""
    reasons: tuple[GateReason, ...]
    """Every reason, including those from earlier gates."""


class ApprovalNeed(Frozen):
    """An approval the case needs, and whether a valid one is recorded."""

    role: Role
    """Approving role."""
    reason: str
    """Why it is needed."""
    gate: Gate
    """The gate that waits for it."""
    satisfied: bool
    """True when an approval by that role is recorded and not superseded."""
    cause: Cause
    """Where the need came from."""


class SpawnNeed(Frozen):
    """A child checklist the case needs."""

    checklist_id: str
    """The checklist to run."""
    subject: str
    """"client" or the party id."""
    gate: Gate
    """The gate that waits for it."""
    reason: str
    """Why."""
    run_id: str | None
    """The run that answers it, once started."""
    cause: Cause
    """Where the need came from."""


class MissingItem(Frozen):
    """A visible required question not (fully) answered."""

    run_id: str
    """The checklist run."""
    checklist_id: str
    """The checklist."""
    question_id: str
    """The answer key (question id, with #n inside a repeating section)."""
    text: str
    """The question text."""
    gate: Gate
    """The gate it must be answered before."""
    detail: str
    """What is missing (not answered, too short, documents short)."""


class RatingDecision(Frozen):
    """The chosen rating checked against the floors and triggers."""

    run_id: str
    """The run holding the rating question."""
    question_id: str
    """The rating question."""
    chosen: Rating
    """The rating chosen."""
    minimum: Rating
    """The lowest rating allowed."""
    acceptable: bool
    """Whether the chosen rating stands."""
    message: str
    """Why it is refused, or how it stands (e.g. accepted on MLRO override)."""
    override: RatingOverride | None = None
    """The MLRO override relied on, if any."""


class Evaluation(Frozen):
    """Everything the evaluator concludes about a case."""

    visible: Mapping[str, tuple[str, ...]]
    """Visible answer keys by run id, in order."""
    missing: tuple[MissingItem, ...]
    """Visible required questions not answered."""
    score: int
    """Computed risk score."""
    contributions: tuple[Contribution, ...]
    """Each rule's points."""
    floors: tuple[Floor, ...]
    """Rating floors in force."""
    triggers: tuple[Trigger, ...]
    """Mandatory High triggers in force."""
    computed_rating: Rating
    """Rating from score, floors and triggers together."""
    minimum_rating: Rating
    """The lowest rating the person may choose."""
    ratings: tuple[RatingDecision, ...]
    """Each chosen rating checked."""
    approvals: tuple[ApprovalNeed, ...]
    """Approvals needed."""
    spawns: tuple[SpawnNeed, ...]
    """Child checklists needed."""
    referrals: tuple[Flag, ...]
    """MLRO referrals."""
    refusals: tuple[Flag, ...] = ()
    """Answers the other answers contradict (`refuse` effects), by the rule that refuses."""
    funds_held: tuple[Flag, ...]
    """Reasons funds are held."""
    cdd_impossible: tuple[Flag, ...]
    """Reg 31 marks: CDD cannot be completed."""
    gates: tuple[GateState, ...]
    """G1 to G4 in order."""

    def gate(self, gate: Gate) -> GateState:
        """The state of one gate."""
        return self.gates[gate.rank - 1]

    @property
    def rating_acceptable(self) -> bool:
        """True when a rating is chosen and every chosen rating stands."""
        return bool(self.ratings) and all(r.acceptable for r in self.ratings)


# ----------------------------------------------------------------------------------------------
# Evaluation


def evaluate(case: CaseSnapshot) -> Evaluation:
    """Evaluate a case: visibility, missing answers, risk, approvals, spawns and gates."""
    facts = dict(case.facts)
    facts.pop(Fact.COMPUTED_RATING, None)
    first = _Pass(case, facts)
    computed = _computed_rating(case.policy, first)
    facts[Fact.COMPUTED_RATING] = computed.value
    final = _Pass(case, facts)
    return _conclude(case, final, computed)


def _computed_rating(policy: RiskPolicy, found: _Pass) -> Rating:
    score = sum(c.points for c in found.contributions)
    candidates = [policy.band(score), *(f.rating for f in found.floors)]
    if found.triggers:
        candidates.append(Rating.HIGH)
    return Rating.highest(candidates)


@dataclass
class _Index:
    """Where each question of a checklist sits, built once per evaluation."""

    section_of: dict[str, Section]
    question: dict[str, Question]

    @classmethod
    def of(cls, checklist: Checklist) -> _Index:
        section_of: dict[str, Section] = {}
        question: dict[str, Question] = {}
        for section, q in checklist.questions():
            section_of[q.id] = section
            question[q.id] = q
        return cls(section_of, question)


@dataclass
class _Run:
    """A run being evaluated: its visible answer keys and visible answered values."""

    run: ChecklistRun
    checklist: Checklist
    index: _Index
    visible: list[str] = field(default_factory=list)
    visible_set: set[str] = field(default_factory=set)
    entries: dict[str, int] = field(default_factory=dict)


class _Pass:
    """One pass over every run, collecting effects."""

    def __init__(self, case: CaseSnapshot, facts: Mapping[Fact, FactValue]) -> None:
        self.case = case
        self.facts = facts
        self.contributions: list[Contribution] = []
        self.floors: list[Floor] = []
        self.triggers: list[Trigger] = []
        self.blocks: list[tuple[BlockGate, Cause]] = []
        self.holds: list[Flag] = []
        self.approvals: list[tuple[RequireApproval, Cause]] = []
        self.spawns: list[tuple[SpawnChecklist, str, Cause]] = []
        self.referrals: list[Flag] = []
        self.refusals: list[Flag] = []
        self.impossible: list[Flag] = []
        self.runs: list[_Run] = []
        for run in case.runs:
            checklist = case.checklists.get(run.checklist_id)
            if checklist is None:
                raise DueDiligenceError(
                    f"the case uses checklist '{run.checklist_id}', which is not loaded"
                )
            if any(is_blank(v) for v in run.answers.values()):
                # An empty list or text of only whitespace or invisible characters says nothing:
                # it is not an answer, to a required question or to a condition.
                kept = {k: v for k, v in run.answers.items() if not is_blank(v)}
                run = run.model_copy(update={"answers": kept})
            state = _Run(run, checklist, _Index.of(checklist))
            self._walk(state)
            self.runs.append(state)

    # -- visibility and question rules --------------------------------------------------------

    def _walk(self, state: _Run) -> None:
        answers = state.run.answers
        for section in state.checklist.sections:
            entries: list[Where | None]
            if section.repeat is None:
                entries = [None]
            else:
                highest = _highest_entry(answers, section)
                count = min(max(section.repeat.min_entries, highest), section.repeat.max_entries)
                state.entries[section.id] = count
                entries = [(section.id, n) for n in range(1, count + 1)]
            for where in entries:
                if section.show_when is not None and not self._holds(
                    section.show_when, state, where
                ):
                    continue
                for question in section.questions:
                    if question.show_when is not None and not self._holds(
                        question.show_when, state, where
                    ):
                        continue
                    key = _key(question.id, where)
                    state.visible.append(key)
                    state.visible_set.add(key)
                    for rule in question.rules:
                        self._apply(rule, state, question.id, where)
        for rule in state.checklist.rules:
            self._apply(rule, state, None, None)

    def _apply(self, rule: Rule, state: _Run, question_id: str | None, where: Where | None) -> None:
        if not self._holds(rule.when, state, where):
            return
        cause = self._cause(rule.when, state, question_id, where)
        for effect in rule.effects:
            self._collect(effect, state, cause, question_id, where)

    def _collect(
        self,
        effect: Effect,
        state: _Run,
        cause: Cause,
        question_id: str | None,
        where: Where | None,
    ) -> None:
        if isinstance(effect, RiskPoints):
            reason = effect.reason or _default_reason(state, question_id, cause)
            self.contributions.append(
                Contribution(points=effect.points, reason=reason, cause=cause)
            )
        elif isinstance(effect, RatingFloor):
            self.floors.append(Floor(rating=effect.rating, reason=effect.reason, cause=cause))
        elif isinstance(effect, ForceHigh):
            self.triggers.append(Trigger(reason=effect.reason, cause=cause))
        elif isinstance(effect, BlockGate):
            self.blocks.append((effect, cause))
        elif isinstance(effect, HoldFunds):
            self.holds.append(Flag(reason=effect.reason, cause=cause))
        elif isinstance(effect, RequireApproval):
            self.approvals.append((effect, cause))
        elif isinstance(effect, SpawnChecklist):
            subject = "client" if effect.for_client else state.run.subject
            if effect.party_from_screening is not None:
                for matched in self.case.confirmed_matches.get(effect.party_from_screening, ()):
                    self.spawns.append((effect, matched, cause))
                return
            if effect.party_from is not None:
                values = self._values(effect.party_from, state, where)
                party = next((v for v in values if isinstance(v, str)), None)
                if party is None:
                    return  # the party is not named yet; its question is missing instead
                subject = party
            self.spawns.append((effect, subject, cause))
        elif isinstance(effect, ReferToMlro):
            self.referrals.append(Flag(reason=effect.reason, cause=cause))
        elif isinstance(effect, RefuseAnswer):
            self.refusals.append(Flag(reason=effect.reason, cause=cause))
        elif isinstance(effect, CddImpossible):
            self.impossible.append(Flag(reason=effect.reason, cause=cause))

    def _cause(
        self, condition: Condition, state: _Run, question_id: str | None, where: Where | None
    ) -> Cause:
        seen: list[AnswerSeen] = []
        for qid in sorted(referenced_questions(condition), key=_order_in(state)):
            question = state.index.question.get(qid)
            if question is None:
                continue
            for value in self._values(qid, state, where):
                seen.append(
                    AnswerSeen(
                        question_id=qid,
                        text=question.text,
                        answer=display_answer(value, question),
                    )
                )
        return Cause(
            run_id=state.run.id,
            checklist_id=state.checklist.id,
            question_id=question_id,
            entry=None if where is None else where[1],
            answers=tuple(seen),
        )

    # -- conditions -------------------------------------------------------------------------

    def _holds(self, condition: Condition, state: _Run, where: Where | None) -> bool:
        if isinstance(condition, AllOf):
            return all(self._holds(c, state, where) for c in condition.all_)
        if isinstance(condition, AnyOf):
            return any(self._holds(c, state, where) for c in condition.any_)
        if isinstance(condition, NotOf):
            return not self._holds(condition.not_, state, where)
        return self._compare(condition, state, where)

    def _values(self, question_id: str, state: _Run, where: Where | None) -> list[AnswerValue]:
        """Visible, answered values of a question as seen from `where`.

        Inside a repeating section a question of the same section means this entry's answer;
        a question of another repeating section means any of its entries.
        """
        answers = state.run.answers
        section = state.index.section_of.get(question_id)
        if section is None:
            return []
        if section.repeat is None:
            present = question_id in state.visible_set and question_id in answers
            return [answers[question_id]] if present else []
        if where is not None and where[0] == section.id:
            own = _key(question_id, where)
            return [answers[own]] if own in state.visible_set and own in answers else []
        found: list[AnswerValue] = []
        for n in range(1, state.entries.get(section.id, 0) + 1):
            key = _key(question_id, (section.id, n))
            if key in state.visible_set and key in answers:
                found.append(answers[key])
        return found

    def _subject(
        self, comparison: Comparison, state: _Run, where: Where | None
    ) -> Sequence[object]:
        if comparison.fact is not None:
            value = self.facts.get(comparison.fact)
            return [] if value is None else [value]
        if comparison.aggregate is not None:
            kind, question_id = comparison.aggregate
            # Every entry of the group, wherever the rule sits: a total is of the whole group.
            return _aggregate(kind, self._values(question_id, state, None))
        if comparison.months is not None:
            start = self._operand(comparison.months.from_, state, where)
            end = self._operand(comparison.months.to, state, where)
            if not start or not end or not isinstance(start[0], date):
                return []
            if not isinstance(end[0], date):
                return []
            return [Decimal(_months(_day(start[0]), _day(end[0])))]
        assert comparison.question is not None
        if comparison.checklist is not None and comparison.checklist != state.checklist.id:
            return self._elsewhere(comparison.checklist, comparison.question, state)
        return self._values(comparison.question, state, where)

    def _elsewhere(self, checklist_id: str, question_id: str, state: _Run) -> list[AnswerValue]:
        """Answers to a question of another checklist: its run about the same subject, else
        every run of it. Read as given (its visibility is that run's business): source of
        wealth reads the PEP form's country of function to know the depth it must have."""
        runs = [r for r in self.case.runs if r.checklist_id == checklist_id]
        same = [r for r in runs if r.subject == state.run.subject]
        found: list[AnswerValue] = []
        for run in same or runs:
            for key, value in run.answers.items():
                if key.partition("#")[0] == question_id and not is_blank(value):
                    found.append(value)
        return found

    def _operand(self, operand: object, state: _Run, where: Where | None) -> Sequence[object]:
        if isinstance(operand, QuestionRef):
            if operand.fact is not None:
                value = self.facts.get(operand.fact)
                return [] if value is None else [value]
            assert operand.question is not None
            return self._values(operand.question, state, where)
        return [operand]

    def _compare(self, comparison: Comparison, state: _Run, where: Where | None) -> bool:
        values = self._subject(comparison, state, where)
        op = comparison.operator
        arg = comparison.operand
        if op == "answered":
            return bool(values) is bool(arg)
        if not values:
            return False
        if op in ("in", "not_in"):
            members = {_comparable(v) for v in arg}
            inside = [_comparable(v) in members for v in values]
            return any(inside) if op == "in" else not any(inside)
        if op == "contains":
            return any(isinstance(v, tuple) and arg in v for v in values)
        if op == "contains_any":
            wanted = set(arg)
            return any(isinstance(v, tuple) and wanted.intersection(v) for v in values)
        if op == "mentions_any":
            return any(isinstance(v, str) and _mentions(v, arg) for v in values)
        if op == "in_country_list":
            country_list = self.case.country_lists.get(arg)
            listed = set(country_list.countries) if country_list else set()
            return any(isinstance(v, str) and v in listed for v in values)
        others = self._operand(arg, state, where)
        if not others:
            return False
        pairs = [(v, o) for v in values for o in others]
        if comparison.tolerance_percent is not None:
            near = [_near(v, o, comparison.tolerance_percent) for v, o in pairs]
            if op == "equals":
                return any(n is True for n in near)
            # not_equals: no pair shown to agree. Amounts that cannot be compared (dollars
            # against pounds, no sterling equivalent) do not agree: a total check must not pass
            # because it could not be made.
            return not any(n is True for n in near)
        if op == "equals":
            return any(_comparable(v) == _comparable(o) for v, o in pairs)
        if op == "not_equals":
            return all(_comparable(v) != _comparable(o) for v, o in pairs)
        return any(_ordered(v, o, op) for v, o in pairs)


_WORD = re.compile(r"\w+")


def _mentions(text: str, phrases: Sequence[str]) -> bool:
    """Whether `text` names any phrase as whole words, ignoring case and spacing."""
    words = " " + " ".join(_WORD.findall(text.casefold())) + " "
    return any(" " + " ".join(_WORD.findall(p.casefold())) + " " in words for p in phrases)


def _aggregate(kind: str, values: Sequence[AnswerValue]) -> list[object]:
    """The sum, count, min or max of a repeating question's answers, as one value; nothing
    when they cannot be combined (amounts in currencies with no sterling equivalent)."""
    if kind == "count":
        return [Decimal(len(values))]
    if not values:
        return []
    if all(isinstance(v, Money) for v in values):
        money = [v for v in values if isinstance(v, Money)]
        currencies = {m.currency for m in money}
        currency = currencies.pop() if len(currencies) == 1 else "GBP"
        amounts = [m.in_currency(currency) for m in money]
        if any(a is None for a in amounts):
            return []
        known = [a for a in amounts if a is not None]
        sterling = [m.in_currency("GBP") for m in money]
        if kind == "sum":
            total = sum(known, Decimal(0))
            # The sterling total goes with a foreign total, so it compares with a GBP amount.
            equivalent = (
                sum((g for g in sterling if g is not None), Decimal(0))
                if currency != "GBP" and all(g is not None for g in sterling)
                else None
            )
            return [Money(amount=total, currency=currency, gbp_equivalent=equivalent)]
        total = min(known) if kind == "min" else max(known)
        return [Money(amount=total, currency=currency)]
    numbers = [
        v for v in values if isinstance(v, Decimal | int | float) and not isinstance(v, bool)
    ]
    if len(numbers) == len(values):
        found = [Decimal(str(n)) for n in numbers]
        if kind == "sum":
            return [sum(found, Decimal(0))]
        return [min(found) if kind == "min" else max(found)]
    dates = [v for v in values if isinstance(v, date)]
    if kind in ("min", "max") and len(dates) == len(values):
        days = sorted(dates, key=_day)
        return [days[0] if kind == "min" else days[-1]]
    return []


def _months(start: date, end: date) -> int:
    """Whole months from `start` to `end` (negative when `end` is earlier)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if months > 0 and end.day < start.day:
        months -= 1
    elif months < 0 and end.day > start.day:
        months += 1
    return months


def _near(left: object, right: object, tolerance_percent: Decimal) -> bool | None:
    """Whether two amounts or numbers are within `tolerance_percent` of the right one (None:
    they cannot be compared)."""
    pair = _orderable(left, right)
    if pair is None or isinstance(pair[0], date):
        return None
    a, b = pair
    return bool(abs(a - b) <= abs(b) * tolerance_percent / 100)


def _key(question_id: str, where: Where | None) -> str:
    return question_id if where is None else f"{question_id}#{where[1]}"


def _highest_entry(answers: Mapping[str, AnswerValue], section: Section) -> int:
    ids = {q.id for q in section.questions}
    highest = 0
    for key in answers:
        qid, sep, number = key.partition("#")
        if sep and qid in ids and number.isdigit():
            highest = max(highest, int(number))
    return highest


def _order_in(state: _Run) -> Callable[[str], int]:
    order = {qid: i for i, qid in enumerate(state.index.question)}
    return lambda qid: order.get(qid, len(order))


def _default_reason(state: _Run, question_id: str | None, cause: Cause) -> str:
    if question_id is not None:
        question = state.index.question[question_id]
        answer = next((a.answer for a in cause.answers if a.question_id == question_id), "")
        return f"{question.text} -> {answer}" if answer else question.text
    return cause.describe()


def _comparable(value: object) -> object:
    """Numbers compare as Decimal and datetimes as themselves, so 3 == 3.0 == Decimal(3)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return Decimal(str(value))
    if isinstance(value, Money):
        return (value.currency, value.amount)
    if isinstance(value, MoneyBound):
        return (value.currency, value.amount)
    return value


def _ordered(left: object, right: object, op: str) -> bool:
    pair = _orderable(left, right)
    if pair is None:
        return False
    a, b = pair
    if op == "gt":
        return bool(a > b)
    if op == "gte":
        return bool(a >= b)
    if op == "lt":
        return bool(a < b)
    return bool(a <= b)  # lte


def _orderable(left: object, right: object) -> tuple[Any, Any] | None:
    """Bring two values to one comparable kind, or None when they cannot be compared."""
    if isinstance(left, Money):
        if isinstance(right, MoneyBound):
            amount = left.in_currency(right.currency)
            return None if amount is None else (amount, right.amount)
        if isinstance(right, Money):
            amount = left.in_currency(right.currency)
            if amount is not None:
                return (amount, right.amount)
            # Two currencies: compare in sterling when both amounts have it.
            a, b = left.in_currency("GBP"), right.in_currency("GBP")
            return None if a is None or b is None else (a, b)
        return None
    if isinstance(left, date) and isinstance(right, date):
        if isinstance(left, datetime) and isinstance(right, datetime):
            return (left, right)
        # A date against a date-time compares calendar days: "verified on the day the offer
        # was accepted" is on time, not late.
        return (_day(left), _day(right))
    numbers = (int, float, Decimal)
    if isinstance(left, numbers) and isinstance(right, numbers):
        if isinstance(left, bool) or isinstance(right, bool):
            return None
        return (Decimal(str(left)), Decimal(str(right)))
    return None


def _day(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


# ----------------------------------------------------------------------------------------------
# Conclusions


def _conclude(case: CaseSnapshot, found: _Pass, computed: Rating) -> Evaluation:
    reasons: list[GateReason] = []
    spawns = _spawn_needs(case, found)
    # A child checklist spawned for an earlier gate than its own questions' gates holds that
    # earlier gate until it is complete: source of funds for a PEP is due before acceptance.
    due_by: dict[str, Gate] = {}
    for spawn in spawns:
        if spawn.run_id is not None:
            current = due_by.get(spawn.run_id)
            if current is None or spawn.gate.rank < current.rank:
                due_by[spawn.run_id] = spawn.gate
    missing = list(_missing(found, due_by))
    for item in missing:
        reasons.append(
            GateReason(
                gate=item.gate,
                kind="unanswered",
                message=f"{item.detail}: {item.text}",
                run_id=item.run_id,
                question_id=item.question_id,
            )
        )
    for block, cause in found.blocks:
        # A blocked gate keeps every later one closed, so the earliest gate named is enough.
        earliest = min(block.gates, key=lambda g: g.rank)
        reasons.append(_effect_reason(earliest, "blocked", block.reason, cause))
    for hold in found.holds:
        reasons.append(
            _effect_reason(Gate.G2, "funds_held", f"Funds held: {hold.reason}", hold.cause)
        )
    for issue in case.funds_issues:
        reasons.append(GateReason(gate=issue.gate, kind="receipt", message=issue.message))
    # A receipt that needs the MLRO (money in while G2 was closed) is a referral like any
    # other: it keeps G1 closed until the MLRO closes it.
    raised = list(found.referrals) + [
        Flag(reason=issue.refer, cause=_RECEIPTS)
        for issue in case.funds_issues
        if issue.refer is not None
    ]
    referrals: list[Flag] = []
    for flag in raised:
        key = referral_key(flag.reason, flag.cause)
        if any(r.key == key for r in referrals):
            continue  # the same rule in the same entry, raised twice: one referral
        outcome = case.closed_referrals.get(key)
        referrals.append(flag.model_copy(update={"key": key, "closed": outcome}))
        # A referral nobody closes blocks nothing was finding 10: it keeps G1 closed until the
        # MLRO closes it, and a decision not to act keeps it closed for good.
        if outcome is None:
            reasons.append(
                _effect_reason(
                    Gate.G1, "referral", f"Referred to the MLRO: {flag.reason}", flag.cause
                )
            )
        elif outcome == "decline":
            reasons.append(
                _effect_reason(
                    Gate.G1, "referral", "The MLRO decided the firm does not act", flag.cause
                )
            )
    for refusal in found.refusals:
        # Given before the answers that contradict it: it stands on file but opens nothing.
        reasons.append(
            _effect_reason(Gate.G1, "blocked", f"Answer refused: {refusal.reason}", refusal.cause)
        )
    for mark in found.impossible:
        reasons.append(
            _effect_reason(
                Gate.G1, "cdd_impossible", f"CDD cannot be completed: {mark.reason}", mark.cause
            )
        )

    valid_roles = {a.role for a in case.approvals if a.decision == "approved" and not a.superseded}
    run_checklists = {r.id: r.checklist_id for r in case.runs}
    approvals: list[ApprovalNeed] = []
    for need, cause in found.approvals:
        satisfied = need.role in valid_roles
        approvals.append(
            ApprovalNeed(
                role=need.role, reason=need.reason, gate=need.gate, satisfied=satisfied, cause=cause
            )
        )
        if not satisfied:
            reasons.append(
                _effect_reason(
                    need.gate,
                    "approval",
                    f"Awaiting {need.role.label} approval: {need.reason}",
                    cause,
                )
            )

    for spawn in spawns:
        if spawn.run_id is None:
            title = (
                case.checklists[spawn.checklist_id].title
                if spawn.checklist_id in case.checklists
                else spawn.checklist_id
            )
            who = "the client" if spawn.subject == CLIENT else f"party {spawn.subject}"
            reasons.append(
                _effect_reason(
                    spawn.gate,
                    "checklist_not_started",
                    f"Start '{title}' for {who}: {spawn.reason}",
                    spawn.cause,
                )
            )

    floors = tuple(found.floors)
    triggers = tuple(found.triggers)
    minimum = Rating.highest([*(f.rating for f in floors), *([Rating.HIGH] if triggers else [])])
    ratings = tuple(_rating_decisions(case, found, minimum, floors, triggers))
    for decision in ratings:
        if (
            decision.acceptable
            and decision.override is None  # the MLRO's override already accepts it
            and not decision.chosen.at_least(computed)
        ):
            # A rating below the computed one stands only on a supervisor's acceptance: a
            # negotiator rated a cash buyer with a gift from abroad Low (computed Medium) and
            # nobody looked at it. The rationale says why; the supervisor accepts it.
            below = ApprovalNeed(
                role=Role.SUPERVISOR,
                reason=(
                    f"{decision.chosen.value.capitalize()} was chosen below the computed "
                    f"rating ({computed.value.capitalize()}): a supervisor reviews the "
                    "rationale and accepts the lower rating"
                ),
                gate=Gate.G1,
                satisfied=Role.SUPERVISOR in valid_roles,
                cause=Cause(
                    run_id=decision.run_id,
                    checklist_id=run_checklists.get(decision.run_id, decision.run_id),
                    question_id=decision.question_id,
                ),
            )
            approvals.append(below)
            if not below.satisfied:
                reasons.append(
                    _effect_reason(
                        below.gate,
                        "approval",
                        f"Awaiting {below.role.label} approval: {below.reason}",
                        below.cause,
                    )
                )
        if not decision.acceptable:
            reasons.append(
                GateReason(
                    gate=Gate.G1,
                    kind="rating_refused",
                    message=decision.message,
                    run_id=decision.run_id,
                    question_id=decision.question_id,
                )
            )

    gates = tuple(
        GateState(
            gate=gate,
            open=not [r for r in reasons if r.gate.rank <= gate.rank],
            reasons=tuple(r for r in reasons if r.gate.rank <= gate.rank),
        )
        for gate in Gate
    )
    return Evaluation(
        visible={s.run.id: tuple(s.visible) for s in found.runs},
        missing=tuple(missing),
        score=sum(c.points for c in found.contributions),
        contributions=tuple(found.contributions),
        floors=floors,
        triggers=triggers,
        computed_rating=computed,
        minimum_rating=minimum,
        ratings=ratings,
        approvals=tuple(approvals),
        spawns=spawns,
        referrals=tuple(referrals),
        refusals=tuple(found.refusals),
        funds_held=tuple(found.holds),
        cdd_impossible=tuple(found.impossible),
        gates=gates,
    )


_RECEIPTS = Cause(run_id="receipts", checklist_id="receipts", question_id=None)
"""Where a referral made by the reconciliation of receipts comes from (no checklist rule)."""


def _effect_reason(gate: Gate, kind: str, message: str, cause: Cause) -> GateReason:
    return GateReason.model_validate(
        {
            "gate": gate,
            "kind": kind,
            "message": message,
            "run_id": cause.run_id,
            "question_id": _clearing_question(cause),
            "cause": cause,
        }
    )


def _clearing_question(cause: Cause) -> str | None:
    """The answer to revisit to clear an effect: the rule's own question, else the first read."""
    if cause.question_id is not None:
        return cause.question_id if cause.entry is None else f"{cause.question_id}#{cause.entry}"
    return cause.answers[0].question_id if cause.answers else None


def _missing(found: _Pass, due_by: Mapping[str, Gate]) -> Iterable[MissingItem]:
    for state in found.runs:
        answers = state.run.answers
        for key in state.visible:
            qid = key.partition("#")[0]
            question = state.index.question[qid]
            if not question.required:
                continue
            detail = _incomplete(question, answers.get(key), found.case.evidence)
            if detail is None:
                continue
            entry = key.partition("#")[2]
            section = state.index.section_of[qid]
            text = question.text
            if entry and section.repeat is not None:
                text = f"{question.text} ({section.repeat.label} {entry})"
            yield MissingItem(
                run_id=state.run.id,
                checklist_id=state.checklist.id,
                question_id=key,
                text=text,
                gate=_earlier(
                    question.gate or state.checklist.default_gate, due_by.get(state.run.id)
                ),
                detail=detail,
            )


def _earlier(gate: Gate, other: Gate | None) -> Gate:
    return gate if other is None or gate.rank <= other.rank else other


def _incomplete(
    question: Question,
    value: AnswerValue | None,
    evidence: Mapping[str, EvidenceStanding] | None = None,
) -> str | None:
    """Why an answer does not yet satisfy its question, or None when it does."""
    if value is None:
        return "Not answered"
    if question.type is QuestionType.TEXT and question.min_length is not None:
        length = meaningful_length(value) if isinstance(value, str) else 0
        if length < question.min_length:
            return f"Too short ({length} of {question.min_length} characters)"
    if question.type is QuestionType.EVIDENCE and question.evidence is not None:
        spec = question.evidence
        refs = value if isinstance(value, tuple) else ()
        if len(refs) < spec.min_count:
            return f"Evidence missing ({len(refs)} of {spec.min_count} documents)"
        standing = [(evidence or {}).get(ref) for ref in refs]
        verified = [s for s in standing if s is not None and s.verified]
        if len(verified) < spec.min_count:
            return (
                f"Evidence not verified ({len(verified)} of {spec.min_count} documents verified "
                "with a method)"
            )
        if spec.party and sum(1 for s in verified if s.party) < spec.min_count:
            return "Evidence not linked to the party it identifies"
    return None


def _spawn_needs(case: CaseSnapshot, found: _Pass) -> tuple[SpawnNeed, ...]:
    def person(subject: str) -> str:
        # One person, one run: the party who is the client is "the client" (a PEP client who is
        # also a beneficial owner of the client company needs one EDD, not two).
        return "client" if subject == case.client_party else subject

    by_target: dict[tuple[str, str], SpawnNeed] = {}
    runs: dict[tuple[str, str], str] = {}
    for r in found.runs:
        runs.setdefault((r.run.checklist_id, person(r.run.subject)), r.run.id)
    for effect, named, cause in found.spawns:
        subject = person(named)
        target = (effect.checklist, subject)
        existing = by_target.get(target)
        if existing is not None and existing.gate.rank <= effect.gate.rank:
            continue
        title = (
            case.checklists[effect.checklist].title
            if effect.checklist in case.checklists
            else effect.checklist
        )
        by_target[target] = SpawnNeed(
            checklist_id=effect.checklist,
            subject=subject,
            gate=effect.gate,
            reason=effect.reason or f"{title} required ({cause.describe()})",
            run_id=runs.get(target),
            cause=cause,
        )
    return tuple(by_target.values())


def _rating_decisions(
    case: CaseSnapshot,
    found: _Pass,
    minimum: Rating,
    floors: tuple[Floor, ...],
    triggers: tuple[Trigger, ...],
) -> Iterable[RatingDecision]:
    for state in found.runs:
        for key in state.visible:
            qid = key.partition("#")[0]
            if state.index.question[qid].type is not QuestionType.RATING:
                continue
            value = state.run.answers.get(key)
            if not isinstance(value, str) or value not in Rating.__members__.values():
                continue
            chosen = Rating(value)
            if chosen.at_least(minimum):
                yield RatingDecision(
                    run_id=state.run.id,
                    question_id=key,
                    chosen=chosen,
                    minimum=minimum,
                    acceptable=True,
                    message=f"{chosen.value.capitalize()} is at or above the minimum "
                    f"({minimum.value.capitalize()})",
                )
                continue
            why = [t.reason for t in triggers] + [
                f.reason for f in floors if not chosen.at_least(f.rating)
            ]
            override = _valid_override(case, chosen)
            if override is not None:
                yield RatingDecision(
                    run_id=state.run.id,
                    question_id=key,
                    chosen=chosen,
                    minimum=minimum,
                    acceptable=True,
                    message=f"{chosen.value.capitalize()} accepted below the minimum "
                    f"({minimum.value.capitalize()}) on MLRO override by {override.by}",
                    override=override,
                )
                continue
            yield RatingDecision(
                run_id=state.run.id,
                question_id=key,
                chosen=chosen,
                minimum=minimum,
                acceptable=False,
                message=f"{chosen.value.capitalize()} is below the minimum "
                f"{minimum.value.capitalize()} ({'; '.join(why)}); only the MLRO may override, "
                "with a rationale",
            )


def _valid_override(case: CaseSnapshot, chosen: Rating) -> RatingOverride | None:
    for override in case.overrides:
        if (
            override.role is Role.MLRO
            and override.rating is chosen
            and meaningful_length(override.rationale) >= case.policy.override_rationale_min
        ):
            return override
    return None
