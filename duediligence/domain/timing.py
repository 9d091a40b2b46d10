"""The timing of verification (MLR reg 30): when the business relationship began, and each
identity verification on the matter judged against it.

The one rule the TUI timeline, the CLI and part 4 of the audit file all print. Pure functions
over a case's records; no I/O.

Rules (regulation.md REQ-B3, REQ-B4, R5):
- the relationship starts at the (latest recorded) `relationship_established` event, or an
  estate agent's own: `offer_accepted` (buyer) or `marketing_started` (seller: CDD is due before
  marketing); with no such event, the offer time or marketing date answered in the checklist;
  only when none is recorded does the instruction stand in for it, because a matter whose relationship event is missing must still
  be judged against something. Instruction is not the start when both are recorded: verifying
  between instruction and establishment is what reg 30(2) asks for, not a breach;
- what is timed is identity verification (reg 28 CDD): an identity document, or anything filed
  under an identification question, about the client side (a payer's or counterparty's ID is
  scrutiny of the funds, not reg 30 CDD) and every answered `*.completed_on` date;
- a verification is late when it is after the start (a date: on a later day); a late one stands
  only with the reg 30(3) justification answered in its checklist run (`*.late_justification`);
- identity evidence received and never verified is counted apart: it is not yet late or on
  time, it is missing.

Claimed and entered times (issue 15, item 4). Every time above is a *claimed* time: what a
person typed as when something happened (evidence "verified at", an event "happened at", an
answered completion date). Each record also carries the moment it was *entered* (the program's
clock when it was stored). The reg 30 judgement is made on the claimed times, as the regulation
asks about when verification happened, and says so (`CLAIMED_BASIS`); beside it each verification
is also judged on when it was entered, so a file whose every check was typed in after completion
cannot read "all verified before the relationship began" without saying that too. A claim more
than `BACKDATING_TOLERANCE_DAYS` whole days before its entry is flagged as back-dated: three days
lets a check done on a Friday be typed in on the Monday, and nothing longer. The same test runs
over every claimed time on the file (`claimed_times`): evidence verified and received, matter
events, and answers that say when the firm did something (`ACTION_DATE_QUESTIONS`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Final

from duediligence.domain.case import AnswerVersion, EventRecord, Evidence, Party, PartyRole, Run
from duediligence.domain.library import ChecklistLibrary
from duediligence.domain.vocabulary import MatterEvent

COMPLETED_SUFFIX: Final = ".completed_on"
"""Questions whose answer is the day verification was completed."""
JUSTIFICATION_SUFFIX: Final = ".late_justification"
"""Questions whose answer is the reg 30(3) justification for verifying late."""

IDENTIFICATION_SECTIONS: Final = frozenset({"client", "ident", "identity", "acting", "verify"})
"""Checklist sections that identify and verify the customer (reg 28): evidence filed under
their questions is identity evidence, whatever the document."""
EDD_CHECKLISTS: Final = frozenset({"pep-edd", "source-of-wealth", "source-of-funds"})
"""Checklists about enhanced due diligence, never identification, whatever their sections."""
IDENTITY_DOCUMENTS: Final = frozenset(
    {
        "passport",
        "driving_licence",
        "national_id_card",
        "national_identity_card",
        "residence_permit",
        "electronic_id_result",
        "electronic_verification_result",
        "digital_id_report",
    }
)
"""Document types that verify identity wherever they are filed."""

_NOT_CUSTOMER: Final = frozenset({PartyRole.PAYER, PartyRole.COUNTERPARTY})

BACKDATING_TOLERANCE_DAYS: Final = 3
"""A claimed time more than this many whole days before it was entered is back-dated (see the
module docstring: a Friday's check typed in on the Monday is not)."""

CLAIMED_BASIS: Final = (
    "judged on the times claimed (when each check is said to have been done, as typed in); "
    "when each was entered is shown beside it and judged too"
)
"""What the reg 30 judgement is based on, in words (printed beside it)."""

ACTION_DATE_QUESTIONS: Final = frozenset(
    {
        "verify.completed_on",
        "verification.completed_on",
        "privacy.notice_date",
        "notice.reg41_given_on",
        "reliance.received_on",
        "offer.accepted_at",
        "signoff.at",
        "sof.review_completed_at",
        "client.last_cdd",
    }
)
"""Questions whose answer says when the firm did (or received) something: a claimed time. A
date of birth, of death or of leaving office is a fact about the world, not a claim about the
file, and a planned date (a re-screen, a review) is not yet a claim at all."""


@dataclass(frozen=True)
class ClaimedTime:
    """A time someone said something happened, beside when they entered it."""

    what: str
    """The record in words ("evidence passport.pdf verified", "event completion")."""
    target: str
    """The record's audit target (`Record.target()`), to find it again."""
    claimed: datetime | date
    """When it is said to have happened (a day for an answered date)."""
    entered: datetime
    """When it was stored (the program's clock)."""
    kind: str = ""
    """"event", "verified", "received" or "answer"."""

    @property
    def lag_days(self) -> int:
        """Whole days from the claimed time to the entry (negative: entered before it)."""
        claimed_day = (
            _utc(self.claimed).date() if isinstance(self.claimed, datetime) else self.claimed
        )
        return (_utc(self.entered).date() - claimed_day).days

    @property
    def differs(self) -> bool:
        """The claim and the entry are not the same moment as printed (to the minute; a day
        claim: not the same day)."""
        if isinstance(self.claimed, datetime):
            return _utc(self.claimed).replace(second=0, microsecond=0) != _utc(
                self.entered
            ).replace(second=0, microsecond=0)
        return self.lag_days != 0

    @property
    def backdated(self) -> bool:
        """Claimed more than `BACKDATING_TOLERANCE_DAYS` days before it was entered, counted
        in calendar days (UTC) whether the claim is a moment or a day: Friday to Monday is 3."""
        return self.lag_days > BACKDATING_TOLERANCE_DAYS


@dataclass(frozen=True)
class RelationshipStart:
    """When the business relationship began, and what that is based on."""

    at: datetime | None
    """None when neither relationship nor instruction is recorded."""
    basis: str
    """In words: "relationship established", "instructed (no relationship event recorded)"."""
    entered: datetime | None = None
    """When the record it comes from was entered (the event stored, the time answered)."""


@dataclass(frozen=True)
class Verification:
    """One identity verification, judged against the relationship start."""

    at: datetime | date
    """When verified (a day, for an answered completion date)."""
    evidence: Evidence | None
    """The evidence verified; None for an answered completion date."""
    run: Run | None
    """The checklist run it belongs to (the evidence's run, or the run answered in)."""
    late_days: int | None
    """Whole days after the start (0: later the same day); None when on time or no start."""
    justifications: tuple[AnswerVersion, ...]
    """The reg 30(3) justifications that cover it (only looked for when late)."""
    entered: datetime | None = None
    """When it was entered (the evidence stored, the date answered)."""
    entered_late_days: int | None = None
    """Whole days its entry is after the start (0: later the same day); None when entered
    before the start or no start: judged like `late_days`, on the entry instead of the claim."""

    @property
    def claim(self) -> ClaimedTime | None:
        """Its claimed time beside its entry."""
        if self.entered is None:
            return None
        what = "identity verification" if self.evidence is None else "evidence verified"
        return ClaimedTime(what, "", self.at, self.entered, "verified")

    @property
    def backdated(self) -> bool:
        """Claimed more than the tolerance before it was entered."""
        claim = self.claim
        return claim is not None and claim.backdated

    @property
    def entered_late(self) -> bool:
        """On time as claimed, but entered after the relationship began."""
        return not self.late and self.entered_late_days is not None

    @property
    def late(self) -> bool:
        """After the relationship began."""
        return self.late_days is not None

    @property
    def unjustified(self) -> bool:
        """Late, with no reg 30(3) justification recorded."""
        return self.late and not self.justifications


@dataclass(frozen=True)
class Timing:
    """Reg 30 on one matter: the start, each verification, and identity evidence not verified."""

    start: RelationshipStart
    verifications: tuple[Verification, ...]
    """In time order."""
    unverified: tuple[Evidence, ...]
    """Identity evidence received and not verified."""
    claims: tuple[ClaimedTime, ...] = ()
    """Every claimed time on the matter beside its entry, in claimed-time order."""
    basis: str = CLAIMED_BASIS
    """Which times the judgement used, in words."""

    @property
    def entered_late_count(self) -> int:
        """Verifications on time as claimed but entered after the relationship began."""
        return sum(1 for v in self.verifications if v.entered_late)

    @property
    def backdated(self) -> tuple[ClaimedTime, ...]:
        """The claimed times more than the tolerance before their entry."""
        return tuple(c for c in self.claims if c.backdated)

    @property
    def late_count(self) -> int:
        """Verifications after the relationship began."""
        return sum(1 for v in self.verifications if v.late)

    @property
    def unjustified_count(self) -> int:
        """Late verifications without a reg 30(3) justification."""
        return sum(1 for v in self.verifications if v.unjustified)

    def of_evidence(self, evidence_id: str) -> Verification | None:
        """The verification of one evidence item, when it is identity evidence and verified."""
        for verification in self.verifications:
            if verification.evidence is not None and verification.evidence.id == evidence_id:
                return verification
        return None


_STARTS: Final = (
    (MatterEvent.RELATIONSHIP_ESTABLISHED, "relationship established"),
    (MatterEvent.OFFER_ACCEPTED, "offer accepted (the buyer became a customer)"),
    (MatterEvent.MARKETING_STARTED, "marketing started (the seller's CDD is due before it)"),
)
"""The events that start the relationship, strongest first: a solicitor's, an estate agent's
buyer's, an estate agent's seller's."""

ANSWERED_STARTS: Final = (
    ("offer.accepted_at", "offer accepted, as answered (no event recorded)"),
    ("seller.marketing_from", "marketing start, as answered (no event recorded)"),
)
"""Questions whose answer stands for the start when no event is recorded: a buyer's file said
"Relationship began: NOT RECORDED" beside the offer time it had been given."""


def relationship_start(
    events: Iterable[EventRecord],
    answers: Mapping[str, object] | None = None,
    answered_at: Mapping[str, datetime] | None = None,
) -> RelationshipStart:
    """When the business relationship began (see the module docstring). `answers`: the
    current answer of each question key, read when no event says it; `answered_at`: when each
    was given (the start's entry)."""
    latest: dict[MatterEvent, EventRecord] = {}
    for record in sorted(events, key=lambda e: e.recorded_at):
        latest[record.event] = record
    for event, basis in _STARTS:
        if event in latest:
            return RelationshipStart(latest[event].at, basis, latest[event].recorded_at)
    for key, basis in ANSWERED_STARTS:
        value = (answers or {}).get(key)
        entered = (answered_at or {}).get(key)
        if isinstance(value, datetime):
            return RelationshipStart(value, basis, entered)
        if isinstance(value, date):
            # A day: verifying on that day is on time, so the start is its last moment.
            return RelationshipStart(sortable(value), basis, entered)
    if MatterEvent.INSTRUCTED in latest:
        found = latest[MatterEvent.INSTRUCTED]
        return RelationshipStart(
            found.at, "instructed (no relationship event recorded)", found.recorded_at
        )
    return RelationshipStart(None, "no instruction or relationship event recorded")


def late_days(at: datetime | date, start: datetime) -> int | None:
    """Whole days `at` is after `start` (0: later the same day); None when on time."""
    start_day = _utc(start).date()
    if isinstance(at, datetime):
        if _utc(at) <= _utc(start):
            return None
        return (_utc(at).date() - start_day).days
    if at <= start_day:
        return None
    return (at - start_day).days


def identification_question(
    library: ChecklistLibrary, run: Run | None, question_key: str | None
) -> bool:
    """Whether a question is in an identification section (and not an EDD checklist)."""
    if run is None or question_key is None or run.checklist_id in EDD_CHECKLISTS:
        return False
    checklist = library.get(run.checklist_id)
    if checklist is None:
        return False
    base = question_key.partition("#")[0]
    for section, question in checklist.questions():
        if question.id == base:
            return section.id in IDENTIFICATION_SECTIONS
    return False


def identity_evidence(
    library: ChecklistLibrary,
    item: Evidence,
    runs_by_id: Mapping[str, Run],
    parties_by_id: Mapping[str, Party],
) -> bool:
    """Evidence that verifies a customer's identity (timed by reg 30)."""
    party = parties_by_id.get(item.party_id or "")
    if party is not None and party.role in _NOT_CUSTOMER:
        return False
    run = runs_by_id.get(item.run_id or "")
    if identification_question(library, run, item.question_key):
        return True
    return item.document_type in IDENTITY_DOCUMENTS


def timing_of(
    library: ChecklistLibrary,
    events: Iterable[EventRecord],
    evidence: Iterable[Evidence],
    parties: Iterable[Party],
    runs: Iterable[Run],
    answers: Iterable[AnswerVersion],
) -> Timing:
    """Reg 30 timing of a matter (see the module docstring)."""
    runs = tuple(runs)
    runs_by_id = {r.id: r for r in runs}
    parties_by_id = {p.id: p for p in parties}
    latest: dict[tuple[str, str], AnswerVersion] = {}
    for answer in answers:
        slot = (answer.run_id, answer.question_key)
        if slot not in latest or answer.number > latest[slot].number:
            latest[slot] = answer
    events = tuple(events)
    evidence = tuple(evidence)
    start = relationship_start(
        events,
        {key: a.value for (_, key), a in latest.items()},
        {key: a.answered_at for (_, key), a in latest.items()},
    )
    justified: dict[str, list[AnswerVersion]] = {}
    for (run_id, key), answer in latest.items():
        if (
            key.endswith(JUSTIFICATION_SUFFIX)
            and isinstance(answer.value, str)
            and answer.value.strip()
        ):
            justified.setdefault(run_id, []).append(answer)

    def judged(
        at: datetime | date, run: Run | None, item: Evidence | None, entered: datetime
    ) -> Verification:
        days = None if start.at is None else late_days(at, start.at)
        entered_days = None if start.at is None else late_days(entered, start.at)
        reasons: tuple[AnswerVersion, ...] = ()
        if days is not None:
            # Evidence filed without a run is covered by a justification in any run.
            covering = [run] if run is not None else list(runs)
            reasons = tuple(a for r in covering for a in justified.get(r.id, ()))
        return Verification(at, item, run, days, reasons, entered, entered_days)

    found: list[Verification] = []
    unverified: list[Evidence] = []
    for item in evidence:
        if not identity_evidence(library, item, runs_by_id, parties_by_id):
            continue  # source of funds, registers ...: reviewed, not reg 30 identity checks
        if item.verified_at is None:
            unverified.append(item)
            continue
        found.append(
            judged(item.verified_at, runs_by_id.get(item.run_id or ""), item, item.added_at)
        )
    for (run_id, key), answer in latest.items():
        run = runs_by_id.get(run_id)
        if run is None or not key.endswith(COMPLETED_SUFFIX):
            continue
        if isinstance(answer.value, date):
            found.append(judged(answer.value, run, None, answer.answered_at))
    found.sort(key=lambda v: sortable(v.at))
    return Timing(
        start, tuple(found), tuple(unverified), claimed_times(events, evidence, latest.values())
    )


def claimed_times(
    events: Iterable[EventRecord],
    evidence: Iterable[Evidence],
    answers: Iterable[AnswerVersion],
) -> tuple[ClaimedTime, ...]:
    """Every claimed time on a matter beside its entry (see the module docstring): evidence
    verified and received, matter events, and the current answers that date the firm's own
    actions. In claimed-time order."""
    found: list[ClaimedTime] = []
    for record in events:
        found.append(
            ClaimedTime(
                f"event {record.event.value.replace('_', ' ')}",
                record.target(),
                record.at,
                record.recorded_at,
                "event",
            )
        )
    for item in evidence:
        name = f"{item.document_type.replace('_', ' ')} ({item.original_name})"
        if item.verified_at is not None:
            found.append(
                ClaimedTime(
                    f"{name} verified", item.target(), item.verified_at, item.added_at, "verified"
                )
            )
        found.append(
            ClaimedTime(
                f"{name} received", item.target(), item.received_at, item.added_at, "received"
            )
        )
    for answer in answers:
        if answer.question_key.partition("#")[0] in ACTION_DATE_QUESTIONS and isinstance(
            answer.value, date
        ):
            found.append(
                ClaimedTime(
                    f"answer {answer.question_key}",
                    answer.target(),
                    answer.value,
                    answer.answered_at,
                    "answer",
                )
            )
    found.sort(key=lambda c: (sortable(c.claimed), c.what))
    return tuple(found)


def sortable(value: datetime | date) -> datetime:
    """A moment or a day on one time line (a day sorts at its end)."""
    if isinstance(value, datetime):
        return _utc(value)
    return datetime(value.year, value.month, value.day, 23, 59, 59, tzinfo=UTC)


def _utc(value: datetime) -> datetime:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
