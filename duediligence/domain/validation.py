"""Semantic checks over a set of checklists, beyond what each model checks on its own.

Duplicate ids, conditions on unknown or later questions, options that do not exist, operators that
do not fit the question type, spawns of unknown checklists and spawn cycles, unknown citation
formats, and rating effects that would depend on the computed rating. Each finding names the
checklist, the question and the field; the loader adds the file and line.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from duediligence.domain.checklist import (
    CHOICE_TYPES,
    ORDERED_TYPES,
    RATING_EFFECTS,
    Checklist,
    Comparison,
    Condition,
    CountryList,
    MoneyBound,
    Question,
    QuestionRef,
    QuestionType,
    RefuseAnswer,
    SpawnChecklist,
    iter_comparisons,
    referenced_facts,
    referenced_questions,
)
from duediligence.domain.citations import citation_source, known_formats_hint
from duediligence.domain.iso import COUNTRIES
from duediligence.domain.vocabulary import Fact, FactKind, Rating


@dataclass(frozen=True, slots=True)
class Finding:
    """One semantic problem in a checklist."""

    checklist_id: str
    """The checklist."""
    message: str
    """What is wrong."""
    question_id: str | None = None
    """The question or section, where there is one."""
    field: str | None = None
    """The field, where there is one."""
    occurrence: int = 1
    """Which `id = "..."` of that name is meant (2 for the second of a duplicated id)."""


def check_checklists(
    checklists: Iterable[Checklist], country_lists: Mapping[str, CountryList]
) -> list[Finding]:
    """Every semantic problem in a set of checklists loaded together."""
    findings: list[Finding] = []
    by_id: dict[str, Checklist] = {}
    for checklist in checklists:
        if checklist.id in by_id:
            findings.append(Finding(checklist.id, f"duplicate checklist id '{checklist.id}'"))
            continue
        by_id[checklist.id] = checklist
    for checklist in by_id.values():
        findings.extend(_check_one(checklist, by_id, country_lists))
    findings.extend(_spawn_cycles(by_id))
    return findings


def check_country_list(country_list: CountryList) -> list[Finding]:
    """Unknown or repeated country codes on a country list."""
    findings: list[Finding] = []
    seen: set[str] = set()
    for code in country_list.countries:
        if code not in COUNTRIES:
            findings.append(
                Finding(
                    country_list.id,
                    f"'{code}' is not an ISO 3166-1 alpha-2 code{_country_hint(code)}",
                    None,
                    "countries",
                )
            )
        if code in seen:
            findings.append(
                Finding(country_list.id, f"'{code}' is listed twice", None, "countries")
            )
        seen.add(code)
    return findings


def _country_hint(text: str) -> str:
    """A suggestion for a country written as a name or in lower case, e.g. " (use 'MM')"."""
    if text.upper() in COUNTRIES:
        return f" (use '{text.upper()}')"
    for code, name in COUNTRIES.items():
        if name.casefold() == text.strip().casefold():
            return f" ({name} is '{code}')"
    return ""


class _Checker:
    """Checks one checklist; `order` gives each question's position for "earlier" tests."""

    def __init__(
        self,
        checklist: Checklist,
        known: Mapping[str, Checklist],
        country_lists: Mapping[str, CountryList],
    ) -> None:
        self.checklist = checklist
        self.known = known
        self.country_lists = country_lists
        self.findings: list[Finding] = []
        self.order: dict[str, int] = {}
        self.questions: dict[str, Question] = {}

    def add(self, message: str, question_id: str | None = None, field: str | None = None) -> None:
        self.findings.append(Finding(self.checklist.id, message, question_id, field))

    def condition(
        self,
        condition: Condition,
        owner: str | None,
        limit: int | None,
        inclusive: bool,
        field: str,
    ) -> None:
        """Check a condition read from `owner` (question/section id) at position `limit`."""
        for comparison in iter_comparisons(condition):
            subject: Question | None = None
            if comparison.aggregate is not None or comparison.months is not None:
                self.derived(comparison, owner, limit, inclusive, field)
                continue
            if comparison.checklist is not None and comparison.checklist != self.checklist.id:
                subject = self.elsewhere(comparison, owner, field)
                if subject is None:
                    continue
            elif comparison.question is not None:
                subject = self.reference(comparison.question, owner, limit, inclusive, field)
            self.operator(comparison, subject, owner, limit, inclusive, field)

    def derived(
        self,
        comparison: Comparison,
        owner: str | None,
        limit: int | None,
        inclusive: bool,
        field: str,
    ) -> None:
        """A total, count, least, greatest or months between: what it reads must exist, be
        of a kind it can combine, and be compared with an ordering operator."""
        op = comparison.operator
        # `answered = false` on a sum: the amounts cannot be added up (currencies without a
        # sterling equivalent), which a check of the total must not pass over in silence.
        combinable = op == "answered" and comparison.sum is not None
        if op not in ("equals", "not_equals", "gt", "gte", "lt", "lte") and not combinable:
            self.add(f"'{op}' does not apply to a sum, count, min, max or months", owner, field)
        arg = comparison.operand
        if isinstance(arg, QuestionRef) and arg.question is not None:
            self.reference(arg.question, owner, limit, inclusive, field)
        if comparison.aggregate is not None:
            kind, question_id = comparison.aggregate
            question = self.reference(question_id, owner, limit, True, field)
            if question is None:
                return
            section = next((s for s in self.checklist.sections if question in s.questions), None)
            if section is None or section.repeat is None:
                self.add(
                    f"'{kind}' reads the entries of a repeating group; '{question_id}' is not in one",
                    owner,
                    field,
                )
            allowed = {QuestionType.MONEY, QuestionType.PERCENT}
            if kind in ("min", "max"):
                allowed |= {QuestionType.DATE, QuestionType.DATETIME}
            if kind != "count" and question.type not in allowed:
                self.add(
                    f"'{kind}' cannot combine {question.type} answers ('{question_id}')",
                    owner,
                    field,
                )
        if comparison.months is not None:
            for end in (comparison.months.from_, comparison.months.to):
                if end.question is not None:
                    question = self.reference(end.question, owner, limit, True, field)
                    if question is not None and question.type not in (
                        QuestionType.DATE,
                        QuestionType.DATETIME,
                    ):
                        self.add(
                            f"'months' reads dates; '{end.question}' is {question.type}",
                            owner,
                            field,
                        )
                elif end.fact is not None and end.fact.kind.value != "datetime":
                    self.add(f"'months' reads dates; fact '{end.fact}' is not one", owner, field)

    def elsewhere(self, comparison: Comparison, owner: str | None, field: str) -> Question | None:
        """The question of another checklist a comparison reads, or None (reported)."""
        other = self.known.get(comparison.checklist or "")
        if other is None:
            known = ", ".join(sorted(self.known))
            self.add(
                f"condition on unknown checklist '{comparison.checklist}' (known: {known})",
                owner,
                field,
            )
            return None
        question = other.question(comparison.question or "")
        if question is None:
            self.add(
                f"condition on unknown question '{comparison.question}' of {other.id}",
                owner,
                field,
            )
        return question

    def reference(
        self, question_id: str, owner: str | None, limit: int | None, inclusive: bool, field: str
    ) -> Question | None:
        position = self.order.get(question_id)
        if position is None:
            close = difflib.get_close_matches(question_id, list(self.order), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            self.add(f"condition on unknown question '{question_id}'{hint}", owner, field)
            return None
        if limit is not None and (position > limit or (position == limit and not inclusive)):
            self.add(
                f"condition on later question '{question_id}': a condition may only read "
                "answers to earlier questions",
                owner,
                field,
            )
        return self.questions[question_id]

    def operator(
        self,
        comparison: Comparison,
        subject: Question | None,
        owner: str | None,
        limit: int | None,
        inclusive: bool,
        field: str,
    ) -> None:
        op = comparison.operator
        arg = comparison.operand
        if isinstance(arg, QuestionRef) and arg.question is not None:
            self.reference(arg.question, owner, limit, inclusive, field)
        if op == "answered":
            return
        if comparison.fact is not None:
            self.fact_operator(comparison.fact, op, arg, owner, field)
            return
        if subject is None:
            return
        kind = subject.type
        name = subject.id
        if op == "mentions_any" and kind is not QuestionType.TEXT:
            self.add(
                f"'mentions_any' only applies to text questions; '{name}' is {kind}", owner, field
            )
            return
        if op in ("contains", "contains_any"):
            if kind is not QuestionType.MULTI:
                self.add(
                    f"'{op}' only applies to multiple-choice questions; '{name}' is {kind}",
                    owner,
                    field,
                )
                return
            for value in [arg] if op == "contains" else list(arg):
                self.option(subject, value, owner, field)
            return
        if op == "in_country_list":
            if kind is not QuestionType.COUNTRY:
                self.add(
                    f"'in_country_list' only applies to country questions; '{name}' is {kind}",
                    owner,
                    field,
                )
            if arg not in self.country_lists:
                known = ", ".join(sorted(self.country_lists)) or "none loaded"
                self.add(f"unknown country list '{arg}' (known: {known})", owner, field)
            return
        if op in ("gt", "gte", "lt", "lte"):
            if kind not in ORDERED_TYPES:
                self.add(
                    f"'{op}' needs a date, date-time, money or percent question; '{name}' is {kind}",
                    owner,
                    field,
                )
                return
            self.ordered_operand(subject, op, arg, owner, field)
            return
        if kind is QuestionType.MULTI:
            self.add(
                f"'{op}' does not apply to multiple-choice question '{name}'; use contains or contains_any",
                owner,
                field,
            )
            return
        values = list(arg) if op in ("in", "not_in") else [arg]
        for value in values:
            if isinstance(value, QuestionRef):
                continue
            self.literal(subject, value, owner, field)

    def option(self, question: Question, value: object, owner: str | None, field: str) -> None:
        allowed = [o.value for o in question.options]
        if value not in allowed:
            self.add(
                f"option '{value}' does not exist in question '{question.id}' "
                f"(options: {', '.join(allowed)})",
                owner,
                field,
            )

    def literal(self, question: Question, value: object, owner: str | None, field: str) -> None:
        kind = question.type
        if kind is QuestionType.CHOICE:
            self.option(question, value, owner, field)
        elif kind is QuestionType.RATING:
            if value not in [r.value for r in Rating]:
                self.add(f"'{value}' is not a rating (low, medium, high)", owner, field)
        elif kind is QuestionType.YESNO:
            if not isinstance(value, bool):
                self.add(
                    f"question '{question.id}' is yes/no: compare it with true or false",
                    owner,
                    field,
                )
        elif kind is QuestionType.COUNTRY and (
            not isinstance(value, str) or value not in COUNTRIES
        ):
            self.add(
                f"'{value}' is not an ISO 3166-1 alpha-2 country code{_country_hint(str(value))}",
                owner,
                field,
            )

    def ordered_operand(
        self, question: Question, op: str, arg: object, owner: str | None, field: str
    ) -> None:
        if isinstance(arg, QuestionRef):
            if arg.fact is not None and arg.fact.kind is not FactKind.DATETIME:
                self.add(
                    f"'{op}' compares with fact '{arg.fact}', which is not a date-time",
                    owner,
                    field,
                )
            return
        kind = question.type
        fits = {
            QuestionType.MONEY: isinstance(arg, MoneyBound),
            QuestionType.PERCENT: isinstance(arg, int | float) and not isinstance(arg, bool),
            QuestionType.DATE: isinstance(arg, date),
            QuestionType.DATETIME: isinstance(arg, datetime | date),
        }[kind]
        if not fits:
            expected = {
                QuestionType.MONEY: 'a money table { amount = ..., currency = "GBP" }',
                QuestionType.PERCENT: "a number",
                QuestionType.DATE: "a date",
                QuestionType.DATETIME: "a date or date-time",
            }[kind]
            self.add(f"'{op}' on {kind} question '{question.id}' needs {expected}", owner, field)

    def fact_operator(
        self, fact: Fact, op: str, arg: object, owner: str | None, field: str
    ) -> None:
        if fact.kind is FactKind.DATETIME:
            if op not in ("gt", "gte", "lt", "lte"):
                self.add(
                    f"fact '{fact}' is a date-time: use gt, gte, lt, lte or answered", owner, field
                )
            return
        if op in ("gt", "gte", "lt", "lte", "contains", "contains_any", "in_country_list"):
            self.add(f"'{op}' does not apply to fact '{fact}'", owner, field)
            return
        allowed = fact.allowed_values
        values = list(arg) if op in ("in", "not_in") and isinstance(arg, tuple) else [arg]
        for value in values:
            if allowed and value not in allowed:
                self.add(
                    f"'{value}' is not a value of fact '{fact}' (values: {', '.join(sorted(allowed))})",
                    owner,
                    field,
                )


def _check_one(
    checklist: Checklist, known: Mapping[str, Checklist], country_lists: Mapping[str, CountryList]
) -> list[Finding]:
    check = _Checker(checklist, known, country_lists)
    section_ids: dict[str, int] = {}
    question_ids: dict[str, int] = {}
    position = 0
    for section in checklist.sections:
        section_ids[section.id] = section_ids.get(section.id, 0) + 1
        if section_ids[section.id] > 1:
            check.findings.append(
                Finding(
                    checklist.id,
                    f"duplicate section id '{section.id}': another section of this checklist "
                    "already uses it; give each section its own id",
                    section.id,
                    "id",
                    section_ids[section.id],
                )
            )
        for question in section.questions:
            question_ids[question.id] = question_ids.get(question.id, 0) + 1
            if question.id in check.order:
                check.findings.append(
                    Finding(
                        checklist.id,
                        f"duplicate question id '{question.id}': another question of this "
                        "checklist already uses it; give each question its own id",
                        question.id,
                        "id",
                        question_ids[question.id],
                    )
                )
                continue
            check.order[question.id] = position
            check.questions[question.id] = question
            position += 1

    for section in checklist.sections:
        first = check.order.get(section.questions[0].id, 0)
        if section.show_when is not None:
            check.condition(section.show_when, section.id, first, False, "show_when")
        for question in section.questions:
            here = check.order.get(question.id)
            if here is None:
                continue
            _check_question_shape(check, question)
            if question.show_when is not None:
                check.condition(question.show_when, question.id, here, False, "show_when")
            for n, rule in enumerate(question.rules, start=1):
                check.condition(rule.when, question.id, here, True, f"rule[{n}].when")
                _check_effects(check, rule.effects, question.id, f"rule[{n}]")
    for n, rule in enumerate(checklist.rules, start=1):
        check.condition(rule.when, None, None, True, f"rule[{n}].when")
        _check_effects(check, rule.effects, None, f"rule[{n}]")
    _check_rating_dependence(check)
    return check.findings


def _check_question_shape(check: _Checker, question: Question) -> None:
    qid = question.id
    kind = question.type
    if kind in CHOICE_TYPES:
        if len(question.options) < 2:
            check.add(f"a {kind} question needs at least two options", qid, "options")
        values = [o.value for o in question.options]
        for n, value in enumerate(values, start=1):
            if value in values[: n - 1]:
                check.add(
                    f"duplicate option '{value}': each option needs its own value",
                    qid,
                    f"options[{n}]",
                )
    elif question.options:
        check.add(f"options only apply to choice and multi questions, not {kind}", qid, "options")
    for n, option in enumerate(question.options, start=1):
        if option.exclusive and kind is not QuestionType.MULTI:
            check.add(
                f"exclusive only applies to options of multi questions, not {kind}",
                qid,
                f"options[{n}].exclusive",
            )
        if option.out_of_scope and kind is not QuestionType.CHOICE:
            check.add(
                f"out_of_scope only applies to options of choice questions, not {kind}",
                qid,
                f"options[{n}].out_of_scope",
            )
    if question.min_length is not None and kind is not QuestionType.TEXT:
        check.add(f"min_length only applies to text questions, not {kind}", qid, "min_length")
    if question.sterling and kind is not QuestionType.MONEY:
        check.add(f"sterling only applies to money questions, not {kind}", qid, "sterling")
    if question.past and kind not in (QuestionType.DATE, QuestionType.DATETIME):
        check.add(f"past only applies to date and datetime questions, not {kind}", qid, "past")
    if kind is QuestionType.EVIDENCE and question.evidence is None:
        check.add(
            "an evidence question needs an [evidence] table saying which documents", qid, "evidence"
        )
    if kind is not QuestionType.EVIDENCE and question.evidence is not None:
        check.add(f"evidence only applies to evidence questions, not {kind}", qid, "evidence")
    if kind is QuestionType.EVIDENCE and question.evidence_types:
        check.add(
            "an evidence question names its documents in evidence.documents, not evidence_types",
            qid,
            "evidence_types",
        )
    for citation in question.citations:
        if citation_source(citation) is None:
            check.add(
                f"unknown citation format '{citation}' (expected e.g. {known_formats_hint()})",
                qid,
                "citations",
            )


def _check_effects(
    check: _Checker, effects: Iterable[object], owner: str | None, field: str
) -> None:
    for n, effect in enumerate(effects, start=1):
        if isinstance(effect, RefuseAnswer) and owner is None:
            check.add(
                "a 'refuse' effect refuses the answer that makes it hold: it belongs in a "
                "question's own rule, not a checklist-level rule",
                owner,
                f"{field}.effects[{n}]",
            )
        if not isinstance(effect, SpawnChecklist):
            continue
        where = f"{field}.effects[{n}]"
        if effect.checklist not in check.known:
            known = ", ".join(sorted(check.known))
            check.add(
                f"spawn of unknown checklist '{effect.checklist}' (loaded: {known})", owner, where
            )
        if effect.party_from is not None:
            party = check.questions.get(effect.party_from)
            if party is None:
                check.add(f"party_from names unknown question '{effect.party_from}'", owner, where)
            elif party.type is not QuestionType.PARTY:
                check.add(
                    f"party_from must name a party question; '{party.id}' is {party.type}",
                    owner,
                    where,
                )


def _check_rating_dependence(check: _Checker) -> None:
    """Refuse rating effects that depend on the computed rating: the rating would chase itself."""
    dependent: set[str] = set()

    def depends(condition: Condition | None) -> bool:
        if condition is None:
            return False
        if Fact.COMPUTED_RATING in referenced_facts(condition):
            return True
        return bool(referenced_questions(condition) & dependent)

    for section in check.checklist.sections:
        section_dependent = depends(section.show_when)
        for question in section.questions:
            if section_dependent or depends(question.show_when):
                dependent.add(question.id)
    for _, question in check.checklist.questions():
        for n, rule in enumerate(question.rules, start=1):
            if (question.id in dependent or depends(rule.when)) and _has_rating_effect(
                rule.effects
            ):
                check.add(
                    "a rule that depends on the computed rating cannot add risk points, set a "
                    "floor or force High",
                    question.id,
                    f"rule[{n}]",
                )
    for n, rule in enumerate(check.checklist.rules, start=1):
        if depends(rule.when) and _has_rating_effect(rule.effects):
            check.add(
                "a rule that depends on the computed rating cannot add risk points, set a floor "
                "or force High",
                None,
                f"rule[{n}]",
            )


def _has_rating_effect(effects: Iterable[object]) -> bool:
    return any(isinstance(e, RATING_EFFECTS) for e in effects)


def _spawn_cycles(by_id: Mapping[str, Checklist]) -> list[Finding]:
    edges = {
        cid: sorted(
            {
                e.checklist
                for _, q in checklist.questions()
                for r in q.rules
                for e in r.effects
                if isinstance(e, SpawnChecklist)
            }
            | {
                e.checklist
                for r in checklist.rules
                for e in r.effects
                if isinstance(e, SpawnChecklist)
            }
        )
        for cid, checklist in by_id.items()
    }
    findings: list[Finding] = []
    reported: set[frozenset[str]] = set()
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for child in edges.get(node, []):
            if child not in edges:
                continue
            if state.get(child) == 1:
                cycle = [*path[path.index(child) :], child]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    owner, where = _spawn_site(by_id[child], cycle[1])
                    findings.append(
                        Finding(
                            child,
                            f"spawn cycle: {' -> '.join(cycle)}; a checklist may not end up "
                            "spawning itself",
                            owner,
                            where,
                        )
                    )
            elif child not in state:
                visit(child, [*path, child])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    return findings


def _spawn_site(checklist: Checklist, target: str) -> tuple[str | None, str]:
    """The question (None: checklist level) and field of the first spawn of `target`."""
    for _, question in checklist.questions():
        for n, rule in enumerate(question.rules, start=1):
            for m, effect in enumerate(rule.effects, start=1):
                if isinstance(effect, SpawnChecklist) and effect.checklist == target:
                    return question.id, f"rule[{n}].effects[{m}]"
    for n, rule in enumerate(checklist.rules, start=1):
        for m, effect in enumerate(rule.effects, start=1):
            if isinstance(effect, SpawnChecklist) and effect.checklist == target:
                return None, f"rule[{n}].effects[{m}]"
    return None, "rule"
