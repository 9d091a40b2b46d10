"""Checklist definitions: questions, declarative conditions, effects and rules.

These models are what a checklist TOML file means. They are frozen and forbid unknown keys, so a
typo in a firm's checklist is an error at load rather than a silently ignored line. Conditions are
tables of comparisons combined with all / any / not: there is no expression language to evaluate.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    Tag,
    model_validator,
)

from duediligence.domain.vocabulary import ClientType, Fact, FirmRole, Gate, Rating, Role

IDENTIFIER = r"^[a-z0-9][a-z0-9_.-]*$"
"""Ids are lower-case so they read the same in TOML, on screen and in file names."""


class Definition(BaseModel):
    """Base for every checklist definition model: frozen, no unknown keys, aliases accepted."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        validate_by_alias=True,
        validate_by_name=True,
        serialize_by_alias=True,
    )


class QuestionType(StrEnum):
    """The kinds of answer a question takes."""

    YESNO = "yesno"
    CHOICE = "choice"
    MULTI = "multi"
    TEXT = "text"
    DATE = "date"
    DATETIME = "datetime"
    MONEY = "money"
    COUNTRY = "country"
    PERCENT = "percent"
    PARTY = "party"
    EVIDENCE = "evidence"
    RATING = "rating"


CHOICE_TYPES = frozenset({QuestionType.CHOICE, QuestionType.MULTI})
ORDERED_TYPES = frozenset(
    {QuestionType.DATE, QuestionType.DATETIME, QuestionType.MONEY, QuestionType.PERCENT}
)


# ----------------------------------------------------------------------------------------------
# Conditions


class QuestionRef(Definition):
    """An operand that names another answer or a case fact instead of a literal value."""

    question: str | None = None
    """Id of an earlier question in the same checklist."""
    fact: Fact | None = None
    """A fact the case provides."""

    @model_validator(mode="after")
    def _exactly_one(self) -> QuestionRef:
        if (self.question is None) == (self.fact is None):
            raise ValueError("a reference names exactly one of 'question' or 'fact'")
        return self


class MoneyBound(Definition):
    """A money amount to compare a money answer against."""

    amount: Decimal
    """The amount."""
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    """ISO 4217 currency of the amount."""


Scalar = StrictBool | StrictInt | StrictFloat | StrictStr | datetime | date
"""A literal value in a condition; TOML dates and times arrive already typed."""

Operand = Scalar | MoneyBound | QuestionRef
"""What a comparison compares against."""


class MonthSpan(Definition):
    """Whole months from one date to another: each a question's answer or a case fact."""

    from_: QuestionRef = Field(alias="from")
    """The earlier date (e.g. the date the PEP left office)."""
    to: QuestionRef
    """The later date (e.g. when the relationship was established)."""


AGGREGATES = ("sum", "count", "min", "max")
"""Subjects that read every entry of a repeating group's question."""


class Comparison(Definition):
    """One test on an answer (or a case fact); exactly one operator is given."""

    question: str | None = None
    """The question whose answer is tested; in a question's own rule it defaults to that question."""
    checklist: str | None = Field(default=None, pattern=IDENTIFIER)
    """The checklist `question` belongs to, when it is another one than the rule's: its run about
    the same subject (else any run of it on the case) is read, its answers as given."""
    fact: Fact | None = None
    """The case fact tested, instead of a question."""
    sum: str | None = None
    """Tests the total of a repeating question's answers over every entry (money, percent)."""
    count: str | None = None
    """Tests how many entries answer a repeating question."""
    min_: str | None = Field(default=None, alias="min")
    """Tests the smallest of a repeating question's answers."""
    max_: str | None = Field(default=None, alias="max")
    """Tests the largest of a repeating question's answers."""
    months: MonthSpan | None = None
    """Tests the whole months between two dates (answers or case facts)."""
    tolerance_percent: Decimal | None = Field(default=None, ge=0, le=100)
    """With equals / not_equals on amounts or numbers: values this close (as a share of the
    operand) count as equal (tranches adding up to the amount required within 1%)."""
    equals: Operand | None = None
    """Holds when the value equals this."""
    not_equals: Operand | None = None
    """Holds when the value is answered and differs from this."""
    in_: tuple[Scalar, ...] | None = Field(default=None, alias="in")
    """Holds when the value is one of these."""
    not_in: tuple[Scalar, ...] | None = None
    """Holds when the value is answered and none of these."""
    gt: Operand | None = None
    """Holds when the value is greater than this."""
    gte: Operand | None = None
    """Holds when the value is greater than or equal to this."""
    lt: Operand | None = None
    """Holds when the value is less than this."""
    lte: Operand | None = None
    """Holds when the value is less than or equal to this."""
    answered: StrictBool | None = None
    """Holds when the question is answered (true) or not answered (false)."""
    contains: str | None = None
    """Holds when a multiple-choice answer includes this option."""
    contains_any: tuple[str, ...] | None = None
    """Holds when a multiple-choice answer includes any of these options."""
    in_country_list: str | None = None
    """Holds when a country answer is on the named country list (e.g. high-risk third countries)."""
    mentions_any: tuple[Annotated[str, Field(min_length=2)], ...] | None = None
    """Holds when a text answer names any of these words or phrases (whole words, any case):
    an occupation that reads "Former Deputy Prime Minister" names a prominent public function.
    A firm extends the list in its checklist."""

    @property
    def operator(self) -> str:
        """The name of the one operator given, as written in TOML."""
        for name in OPERATORS:
            if getattr(self, "in_" if name == "in" else name) is not None:
                return name
        raise AssertionError("validated comparison without operator")

    @property
    def operand(self) -> Any:
        """The operator's argument."""
        return getattr(self, "in_" if self.operator == "in" else self.operator)

    @property
    def aggregate(self) -> tuple[str, str] | None:
        """(sum|count|min|max, question id) when the subject is an aggregate."""
        for name in AGGREGATES:
            value = getattr(self, name if name in ("sum", "count") else f"{name}_")
            if value is not None:
                return name, value
        return None

    @model_validator(mode="after")
    def _one_subject_one_operator(self) -> Comparison:
        subjects = [
            n
            for n, v in (
                ("question", self.question),
                ("fact", self.fact),
                ("sum", self.sum),
                ("count", self.count),
                ("min", self.min_),
                ("max", self.max_),
                ("months", self.months),
            )
            if v is not None
        ]
        if len(subjects) > 1:
            raise ValueError(
                f"a comparison tests one subject (question, fact, sum, count, min, max or "
                f"months), not {' and '.join(subjects)}"
            )
        if not subjects:
            raise ValueError("a comparison needs a 'question' or a 'fact' to test")
        if self.checklist is not None and self.question is None:
            raise ValueError("'checklist' names the checklist of the 'question' tested")
        given = [n for n in OPERATORS if getattr(self, "in_" if n == "in" else n) is not None]
        if len(given) != 1:
            raise ValueError(
                f"a comparison takes exactly one operator of {', '.join(OPERATORS)}; "
                f"got {', '.join(given) or 'none'}"
            )
        if self.tolerance_percent is not None and given[0] not in ("equals", "not_equals"):
            raise ValueError("tolerance_percent goes with equals or not_equals")
        return self


OPERATORS = (
    "equals",
    "not_equals",
    "in",
    "not_in",
    "gt",
    "gte",
    "lt",
    "lte",
    "answered",
    "contains",
    "contains_any",
    "in_country_list",
    "mentions_any",
)


class AllOf(Definition):
    """Holds when every inner condition holds."""

    all_: tuple[Condition, ...] = Field(alias="all", min_length=1)
    """The conditions that must all hold."""


class AnyOf(Definition):
    """Holds when at least one inner condition holds."""

    any_: tuple[Condition, ...] = Field(alias="any", min_length=1)
    """The conditions of which one must hold."""


class NotOf(Definition):
    """Holds when the inner condition does not hold."""

    not_: Condition = Field(alias="not")
    """The condition negated."""


def _condition_kind(value: Any) -> str:
    if isinstance(value, dict):
        for key in ("all", "any", "not"):
            if key in value:
                return key
        return "compare"
    kinds: dict[type, str] = {AllOf: "all", AnyOf: "any", NotOf: "not"}
    return kinds.get(type(value), "compare")


Condition = Annotated[
    Annotated[AllOf, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[NotOf, Tag("not")]
    | Annotated[Comparison, Tag("compare")],
    Discriminator(_condition_kind),
]
"""A declarative condition: a table with `all`, `any`, `not`, or one comparison."""

for _model in (AllOf, AnyOf, NotOf):
    _model.model_rebuild()


def iter_comparisons(condition: Condition) -> Iterator[Comparison]:
    """Every comparison inside a condition, depth first."""
    if isinstance(condition, AllOf):
        for inner in condition.all_:
            yield from iter_comparisons(inner)
    elif isinstance(condition, AnyOf):
        for inner in condition.any_:
            yield from iter_comparisons(inner)
    elif isinstance(condition, NotOf):
        yield from iter_comparisons(condition.not_)
    else:
        yield condition


def referenced_questions(condition: Condition) -> set[str]:
    """Ids of every question of the same checklist a condition reads, as subject or operand
    (a question another checklist answers is not among them)."""
    found: set[str] = set()
    for comparison in iter_comparisons(condition):
        if comparison.question is not None and comparison.checklist is None:
            found.add(comparison.question)
        if comparison.aggregate is not None:
            found.add(comparison.aggregate[1])
        if comparison.months is not None:
            for end in (comparison.months.from_, comparison.months.to):
                if end.question is not None:
                    found.add(end.question)
        operand = comparison.operand
        if isinstance(operand, QuestionRef) and operand.question is not None:
            found.add(operand.question)
    return found


def referenced_facts(condition: Condition) -> set[Fact]:
    """Every case fact a condition reads, as subject or as operand."""
    found: set[Fact] = set()
    for comparison in iter_comparisons(condition):
        if comparison.fact is not None:
            found.add(comparison.fact)
        operand = comparison.operand
        if isinstance(operand, QuestionRef) and operand.fact is not None:
            found.add(operand.fact)
        if comparison.months is not None:
            for end in (comparison.months.from_, comparison.months.to):
                if end.fact is not None:
                    found.add(end.fact)
    return found


# ----------------------------------------------------------------------------------------------
# Effects


class RiskPoints(Definition):
    """Adds points to the computed risk score."""

    kind: Literal["risk_points"]
    """Effect kind."""
    points: StrictInt = Field(ge=1, le=10)
    """Points added."""
    reason: str | None = None
    """Why, when the question and answer alone do not say it."""


class RatingFloor(Definition):
    """Sets a minimum rating the person may choose."""

    kind: Literal["rating_floor"]
    """Effect kind."""
    rating: Rating
    """The lowest rating allowed while this holds."""
    reason: str = Field(min_length=1)
    """Why the floor applies, shown beside the rating choice."""


class ForceHigh(Definition):
    """Forces the rating to High: enhanced due diligence is mandatory (e.g. MLR reg 33(1))."""

    kind: Literal["force_high"]
    """Effect kind."""
    reason: str = Field(min_length=1)
    """The mandatory trigger, in words."""


class BlockGate(Definition):
    """Keeps one or more gates closed while it holds."""

    kind: Literal["block_gate"]
    """Effect kind."""
    gates: tuple[Gate, ...] = Field(min_length=1)
    """The gates blocked (a blocked gate also keeps every later gate closed)."""
    reason: str = Field(min_length=1)
    """What must happen before the gate opens."""


class HoldFunds(Definition):
    """No funds may be received or released (keeps G2 and every later gate closed)."""

    kind: Literal["hold_funds"]
    """Effect kind."""
    reason: str = Field(min_length=1)
    """Why funds are held; printed as a neutral "compliance hold"."""


class RequireApproval(Definition):
    """Requires an approval by a role before a gate opens."""

    kind: Literal["require_approval"]
    """Effect kind."""
    role: Role
    """The role that must approve (supervisor, senior manager or MLRO)."""
    reason: str = Field(min_length=1)
    """Why the approval is needed."""
    gate: Gate = Gate.G1
    """The gate that stays closed until the approval is given."""

    @model_validator(mode="after")
    def _approver_role(self) -> RequireApproval:
        if self.role is Role.FEE_EARNER:
            raise ValueError("an approval is given by a supervisor, senior_manager or mlro")
        return self


class SpawnChecklist(Definition):
    """Starts a child checklist (PEP EDD, source of wealth, ...) for the client or a party."""

    kind: Literal["spawn"]
    """Effect kind."""
    checklist: str = Field(pattern=IDENTIFIER)
    """Id of the checklist to start."""
    party_from: str | None = None
    """Id of a party question whose answer names the subject; when omitted, the subject of the
    run the rule fires in (the client, or the party a child checklist is about)."""
    party_from_screening: Literal["pep", "sanctions"] | None = None
    """Start the checklist once for each party whose match on this kind of list a person
    confirmed, rather than for the run's subject: a confirmed PEP match on a beneficial owner
    calls for EDD on that person, not on the company that is the client."""
    for_client: bool = False
    """Start it about the client whatever the run is about: the source of funds of a matter
    whose beneficial owner is a PEP is the matter's money, not the company's own checklist."""
    gate: Gate = Gate.G1
    """The gate that stays closed until the child checklist is complete."""
    reason: str | None = None
    """Why it is needed, when the question and answer alone do not say it."""

    @model_validator(mode="after")
    def _one_subject(self) -> SpawnChecklist:
        named = [
            self.party_from is not None,
            self.party_from_screening is not None,
            self.for_client,
        ]
        if sum(named) > 1:
            raise ValueError(
                "a spawn names its subject one way: party_from, party_from_screening or for_client"
            )
        return self


class ReferToMlro(Definition):
    """Refers the matter to the MLRO for consideration (the MLRO's record is restricted)."""

    kind: Literal["refer_mlro"]
    """Effect kind."""
    reason: str = Field(min_length=1)
    """What the MLRO is asked to consider."""


class RefuseAnswer(Definition):
    """Refuses the answer that makes the rule hold, when it is given (a question's own rule
    only): an answer the other answers contradict is not recorded. One already on file that
    later answers contradict keeps G1 closed."""

    kind: Literal["refuse"]
    """Effect kind."""
    reason: str = Field(min_length=1)
    """Why the answer cannot stand, in words the person reads."""


class CddImpossible(Definition):
    """CDD cannot be completed (MLR reg 31): no gate opens, terminate, consider a report."""

    kind: Literal["cdd_impossible"]
    """Effect kind."""
    reason: str = Field(min_length=1)
    """What could not be obtained."""


Effect = Annotated[
    RiskPoints
    | RatingFloor
    | ForceHigh
    | BlockGate
    | HoldFunds
    | RequireApproval
    | SpawnChecklist
    | ReferToMlro
    | RefuseAnswer
    | CddImpossible,
    Field(discriminator="kind"),
]
"""Something that follows from an answer or a condition."""

RATING_EFFECTS = (RiskPoints, RatingFloor, ForceHigh)
"""Effects that change the computed rating, which therefore may not depend on it."""


class Rule(Definition):
    """Effects that apply while a condition holds."""

    when: Condition
    """The condition; in a question's rule, comparisons default to that question."""
    effects: tuple[Effect, ...] = Field(min_length=1)
    """What follows while the condition holds."""


# ----------------------------------------------------------------------------------------------
# Questions, sections, checklists


class Option(Definition):
    """One choice of a single- or multiple-choice question."""

    value: str = Field(pattern=IDENTIFIER)
    """The stored value."""
    label: str = Field(min_length=1)
    """What the person reads."""
    guidance: str | None = None
    """When this option applies, if not obvious."""
    exclusive: StrictBool = False
    """A "None of these" option of a multi question: it cannot be chosen with any other."""
    out_of_scope: StrictBool = False
    """Choosing it says the Money Laundering Regulations do not apply to the matter: refused on
    matter types in scope by their nature (conveyancing, estate agency: MLR regs 12-13), and
    elsewhere only the MLRO may answer it, with a reason."""


class EvidenceSpec(Definition):
    """What an evidence question expects to be attached."""

    documents: tuple[str, ...] = Field(min_length=1)
    """Document kinds that satisfy it (e.g. passport, bank_statement)."""
    min_count: StrictInt = Field(default=1, ge=1)
    """How many documents are needed at least. Only documents verified with a recorded method
    count: unverified evidence never opens a gate (issue 13, finding 8)."""
    party: StrictBool = False
    """Each document must name the party it is about (identity documents): one linked to no
    party does not count."""


class RepeatSpec(Definition):
    """Makes a section a repeating group (one entry per tranche, layer, owner ...)."""

    label: str = Field(min_length=1)
    """What one entry is called, e.g. "Tranche"."""
    min_entries: StrictInt = Field(default=1, ge=0)
    """Entries needed at least."""
    max_entries: StrictInt = Field(default=50, ge=1, le=500)
    """Entries allowed at most."""


class Question(Definition):
    """One question with its guidance, citations, type, branching and effects."""

    id: str = Field(pattern=IDENTIFIER)
    """Unique within the checklist."""
    text: str = Field(min_length=1)
    """The question as the person reads it."""
    guidance: str = Field(min_length=1)
    """What a new fee earner needs to answer it well."""
    citations: tuple[str, ...] = Field(min_length=1)
    """Regulation or guidance paragraphs it implements."""
    type: QuestionType
    """The kind of answer."""
    required: StrictBool = True
    """Whether it must be answered (when visible) before its gate opens."""
    options: tuple[Option, ...] = ()
    """Choices, for choice and multi questions."""
    min_length: StrictInt | None = Field(default=None, ge=1)
    """Minimum characters for a text answer (a rationale that must say something)."""
    sterling: StrictBool = False
    """A money answer that is added up or compared with amounts in sterling (tranches against
    the amount required): an amount in another currency is refused without its sterling
    equivalent at the day's rate ("USD 2m = GBP 1.58m"), or the totals could not be checked."""
    past: StrictBool = False
    """A date or date-time answer records something that has happened (a date of birth, a
    verification): a date after today, or a time after now, is refused."""
    evidence: EvidenceSpec | None = None
    """What documents an evidence question expects."""
    evidence_types: tuple[Annotated[str, Field(pattern=IDENTIFIER)], ...] = ()
    """Documents that may be filed in support of a question that is not itself an evidence
    question (a narrative backed by bank statements); a question declaring none takes no
    evidence. Evidence questions say theirs in `evidence.documents`."""
    show_when: Condition | None = None
    """The question is shown (and can be required) only while this holds."""
    gate: Gate | None = None
    """The gate it must be answered before; the checklist's default gate when omitted."""
    sign_off: Literal["person", "moment"] | None = None
    """Filled by the tool when someone signs the checklist off (never typed): `person` takes
    the signed-in person, `moment` the time. A typed "signed off by" took another person's name,
    and a typed time came before the verification it signed."""
    rules: tuple[Rule, ...] = Field(default=(), alias="rule")
    """Effects of its answers."""

    @model_validator(mode="after")
    def _sign_off_type(self) -> Question:
        wanted = {"person": QuestionType.TEXT, "moment": QuestionType.DATETIME}
        if self.sign_off is not None and self.type is not wanted[self.sign_off]:
            raise ValueError(
                f"a sign_off = '{self.sign_off}' question is of type "
                f"'{wanted[self.sign_off].value}', not '{self.type.value}'"
            )
        return self

    @model_validator(mode="before")
    @classmethod
    def _rules_default_to_self(cls, data: Any) -> Any:
        # In a question's own rule `when = { equals = "yes" }` means "this question equals yes":
        # fill the subject in before validation so the model always names it.
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            rules = data.get("rule", data.get("rules"))
            if isinstance(rules, list):
                for rule in rules:
                    if isinstance(rule, dict) and "when" in rule:
                        _default_subject(rule["when"], data["id"])
        return data


def _default_subject(condition: Any, question_id: str) -> None:
    if not isinstance(condition, dict):
        return
    for key in ("all", "any"):
        if isinstance(condition.get(key), list):
            for inner in condition[key]:
                _default_subject(inner, question_id)
            return
    if "not" in condition:
        _default_subject(condition["not"], question_id)
        return
    if not {"question", "fact", "sum", "count", "min", "max", "months"}.intersection(condition):
        condition["question"] = question_id


class Section(Definition):
    """A titled group of questions; may repeat, may be shown conditionally."""

    id: str = Field(pattern=IDENTIFIER)
    """Unique within the checklist."""
    title: str = Field(min_length=1)
    """Heading."""
    guidance: str | None = None
    """What the section is for."""
    show_when: Condition | None = None
    """The whole section is shown only while this holds."""
    repeat: RepeatSpec | None = None
    """Present when the section is a repeating group."""
    questions: tuple[Question, ...] = Field(alias="question", min_length=1)
    """The questions, in the order they are asked."""


class AppliesTo(Definition):
    """Who a checklist is for, which decides when it starts on its own."""

    firm_roles: tuple[FirmRole, ...] = Field(min_length=1)
    """Solicitor, estate agent or both."""
    client_types: tuple[ClientType, ...] = ()
    """Client types it starts for; every type when empty."""
    acting_for: tuple[str, ...] = ()
    """Sides of the transaction it starts for; every side when empty."""
    start: Literal["automatic", "spawned"] = "automatic"
    """automatic: starts with a matching matter; spawned: only when another checklist spawns it."""


class Checklist(Definition):
    """A versioned checklist: the unit a firm reviews, approves and cites in its PCPs."""

    id: str = Field(pattern=IDENTIFIER)
    """Unique across the checklists loaded together."""
    title: str = Field(min_length=1)
    """Title shown in the matter's tree and the audit file."""
    version: str = Field(pattern=r"^\d+\.\d+(\.\d+)?$")
    """Version printed in the audit file with the checklist's content hash."""
    policy_ref: str = Field(min_length=1)
    """The firm's policy, controls and procedures reference this checklist implements (reg 19)."""
    description: str = ""
    """What the checklist covers."""
    applies_to: AppliesTo
    """Who it is for."""
    default_gate: Gate = Gate.G1
    """The gate its required questions must be answered before, unless a question says otherwise."""
    sections: tuple[Section, ...] = Field(alias="section", min_length=1)
    """Sections in order."""
    rules: tuple[Rule, ...] = Field(default=(), alias="rule")
    """Rules over several answers or case facts, not tied to one question."""

    def questions(self) -> Iterator[tuple[Section, Question]]:
        """Every question with its section, in the order asked."""
        for section in self.sections:
            for question in section.questions:
                yield section, question

    def question(self, question_id: str) -> Question | None:
        """The question with this id, if any."""
        for _, question in self.questions():
            if question.id == question_id:
                return question
        return None


class CountryList(Definition):
    """A named, versioned list of countries that conditions can test (e.g. FATF lists)."""

    id: str = Field(pattern=IDENTIFIER)
    """Name used by `in_country_list`."""
    title: str = Field(min_length=1)
    """What the list is."""
    version: str = Field(min_length=1)
    """Version or edition of the source list."""
    published: date
    """Date the source published this version."""
    source: str = Field(min_length=1)
    """Where it comes from."""
    countries: tuple[str, ...] = Field(min_length=1)
    """ISO 3166-1 alpha-2 codes on the list."""
