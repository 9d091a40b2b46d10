"""A small builder for scenario tests: a matter taken through the real bundled checklists.

Answers are given as a person would type them (parsed by the same code the CLI uses) or as typed
values; `evaluate()` runs the real evaluator. No storage is involved: this is the domain alone.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

from duediligence.adapters.checklists_toml import load_library
from duediligence.domain.answers import AnswerValue, parse_answer, validate_answer
from duediligence.domain.checklist import QuestionType
from duediligence.domain.evaluation import (
    CLIENT,
    CaseSnapshot,
    ChecklistRun,
    Evaluation,
    EvidenceStanding,
    GivenApproval,
    RatingOverride,
    ReferralOutcome,
)
from duediligence.domain.library import ChecklistLibrary
from duediligence.domain.vocabulary import (
    EVENT_FACTS,
    ClientType,
    Fact,
    FirmRole,
    MatterEvent,
    Rating,
    Role,
    ScreeningOutcome,
)


@cache
def bundled() -> ChecklistLibrary:
    """The bundled checklists, loaded once per test process."""
    return load_library()


class Matter:
    """A matter under test: which checklists run, their answers, the case facts."""

    def __init__(
        self,
        firm_role: str,
        client_type: str,
        matter_type: str | None = None,
        acting_for: str | None = None,
        library: ChecklistLibrary | None = None,
    ) -> None:
        self.library = library or bundled()
        self.facts: dict[Fact, str | datetime] = {
            Fact.FIRM_ROLE: FirmRole(firm_role).value,
            Fact.CLIENT_TYPE: ClientType(client_type).value,
            Fact.SANCTIONS_SCREENING: ScreeningOutcome.CLEAR.value,
            Fact.PEP_SCREENING: ScreeningOutcome.CLEAR.value,
        }
        if matter_type is not None:
            self.facts[Fact.MATTER_TYPE] = matter_type
        if acting_for is not None:
            self.facts[Fact.ACTING_FOR] = acting_for
        self.answers: dict[str, dict[str, AnswerValue]] = {}
        self.subjects: dict[str, tuple[str, str]] = {}
        self.evidence: dict[str, EvidenceStanding] = {}
        """Evidence answers refer to documents verified with a method and naming a party,
        unless `unverified` or `no_party` says otherwise (the case file decides this from
        its evidence records)."""
        self.closed_referrals: dict[str, ReferralOutcome] = {}
        """The MLRO's outcome of each referral closed, by its key."""
        self.approvals: list[GivenApproval] = []
        self.confirmed: dict[str, tuple[str, ...]] = {}
        self.overrides: list[RatingOverride] = []
        for checklist in self.library.starting_for(
            FirmRole(firm_role), ClientType(client_type), acting_for
        ):
            self.start(checklist.id)

    @staticmethod
    def run_id(checklist_id: str, subject: str = CLIENT) -> str:
        """The run id used for a checklist and subject."""
        return checklist_id if subject == CLIENT else f"{checklist_id}@{subject}"

    @property
    def started(self) -> list[str]:
        """Run ids started so far."""
        return list(self.answers)

    def start(self, checklist_id: str, subject: str = CLIENT) -> Matter:
        """Start a checklist (as the case would when a spawn is accepted)."""
        assert self.library.get(checklist_id) is not None, f"no checklist {checklist_id}"
        run = self.run_id(checklist_id, subject)
        self.answers.setdefault(run, {})
        self.subjects[run] = (checklist_id, subject)
        return self

    def start_spawned(self) -> Matter:
        """Start every child checklist the evaluation currently asks for."""
        for spawn in self.evaluate().spawns:
            if spawn.run_id is None:
                self.start(spawn.checklist_id, spawn.subject)
        return self

    def answer(
        self,
        checklist_id: str,
        question_id: str,
        value: object,
        subject: str = CLIENT,
        entry: int | None = None,
    ) -> Matter:
        """Answer a question; strings are parsed as typed by a person, other values validated."""
        checklist = self.library.get(checklist_id)
        assert checklist is not None, f"no checklist {checklist_id}"
        question = checklist.question(question_id)
        assert question is not None, f"no question {question_id} in {checklist_id}"
        run = self.run_id(checklist_id, subject)
        assert run in self.answers, f"{run} is not started"
        parsed = (
            parse_answer(question, value)
            if isinstance(value, str)
            else validate_answer(question, value)
        )
        key = question_id if entry is None else f"{question_id}#{entry}"
        self.answers[run][key] = parsed
        if question.type is QuestionType.EVIDENCE and isinstance(parsed, tuple):
            for ref in parsed:
                self.evidence.setdefault(ref, EvidenceStanding(verified=True, party="p1"))
        return self

    def close_referrals(self, outcome: ReferralOutcome = "proceed") -> Matter:
        """The MLRO closes every referral open now (a referral keeps G1 closed until then)."""
        for referral in self.evaluate().referrals:
            if referral.key is not None and referral.closed is None:
                self.closed_referrals[referral.key] = outcome
        return self

    def unverified(self, *refs: str) -> Matter:
        """These documents are on file but nobody has verified them (with a method)."""
        for ref in refs:
            self.evidence[ref] = EvidenceStanding(verified=False, party="p1")
        return self

    def no_party(self, *refs: str) -> Matter:
        """These documents are verified but name no party."""
        for ref in refs:
            self.evidence[ref] = EvidenceStanding(verified=True, party=None)
        return self

    def answer_all(
        self, checklist_id: str, answers: dict[str, object], subject: str = CLIENT
    ) -> Matter:
        """Answer several questions of one checklist; keys may carry '#n' for entries."""
        for key, value in answers.items():
            question_id, _, entry = key.partition("#")
            self.answer(checklist_id, question_id, value, subject, int(entry) if entry else None)
        return self

    def fact(self, fact: Fact, value: str | datetime) -> Matter:
        """Set a case fact."""
        self.facts[fact] = value
        return self

    def event(self, event: str, at: datetime) -> Matter:
        """Record a matter event (instructed, relationship_established, ...)."""
        self.facts[EVENT_FACTS[MatterEvent(event)]] = at if at.tzinfo else at.replace(tzinfo=UTC)
        return self

    def screening(
        self, sanctions: str = "clear", pep: str = "clear", matched: str = "client"
    ) -> Matter:
        """Set the screening outcomes; a confirmed match is `matched`'s (the client unless a
        party label is given), as the store's screening records say whose it is."""
        self.facts[Fact.SANCTIONS_SCREENING] = ScreeningOutcome(sanctions).value
        self.facts[Fact.PEP_SCREENING] = ScreeningOutcome(pep).value
        self.confirmed = {
            kind: (matched,)
            for kind, outcome in (("sanctions", sanctions), ("pep", pep))
            if outcome == "true_match"
        }
        return self

    def approve(self, role: str, approver: str = "A. Approver") -> Matter:
        """Record an approval by a role."""
        self.approvals.append(GivenApproval(role=Role(role), approver=approver))
        return self

    def override(self, rating: str, rationale: str, role: str = "mlro") -> Matter:
        """Record a rating override."""
        self.overrides.append(
            RatingOverride(
                role=Role(role), by="M. Officer", rating=Rating(rating), rationale=rationale
            )
        )
        return self

    def snapshot(self) -> CaseSnapshot:
        """The case as the evaluator sees it."""
        runs = tuple(
            ChecklistRun(id=run, checklist_id=cid, subject=subject, answers=self.answers[run])
            for run, (cid, subject) in self.subjects.items()
        )
        return CaseSnapshot(
            checklists=self.library.checklists,
            runs=runs,
            facts=self.facts,
            approvals=tuple(self.approvals),
            overrides=tuple(self.overrides),
            country_lists=self.library.country_lists,
            evidence=self.evidence,
            closed_referrals=self.closed_referrals,
            confirmed_matches=self.confirmed,
        )

    def evaluate(self) -> Evaluation:
        """Run the evaluator."""
        from duediligence.domain.evaluation import evaluate

        return evaluate(self.snapshot())
