"""Ongoing monitoring and retention, worked out from a case's records: the next review date,
the events that reopen the risk assessment, the retention clock, and the listing row
(`CaseSummary`) the store keeps beside each case.

Pure functions over `CaseRecords` and an `Evaluation`; no I/O. The services recompute the summary
inside every transaction that writes to a case, so the listing is never stale.

Rules (MLR reg 28(11), 35(9), 40; regulation.md REQ-B6, R1):
- next review = the day the rating was last chosen + the firm's interval for that rating;
- a former PEP (pep-edd `pep.status` = former with `pep.ceased_on`) is reviewed no earlier than
  `pep_review_after_office_months` after leaving office: that date is the next review when it
  falls before the rating's date and after the rating was chosen;
- a new payer, a new party, a changed source of funds, a changed value, a screening hit (a
  screening with an alerting hit, a hit confirmed as a true match, or a screening-outcome answer)
  or a change of PEP status recorded after the rating was chosen marks the review due now, once
  the matter is onboarded (the relationship established, or funds, exchange or completion
  recorded): before that the changes are part of the due diligence itself, and a matter showed
  "overdue review" on the day it was onboarded;
- the retention clock starts at `relationship_ended`, or at completion once the case is closed
  (an occasional transaction), and runs five years.

The monitoring log (`monitoring_log`, the audit file's record of ongoing monitoring): every
time the risk rating was chosen (the first is the assessment, each later version a review, with
the rating before it) and every screening of each party (the first is the onboarding screen,
each later one a re-screen) with its outcome: alerts raised, cleared, confirmed or undecided.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING

from duediligence.domain.answers import Money
from duediligence.domain.evaluation import RiskPolicy
from duediligence.domain.screening_records import ALERT_BANDS, Outcome, ScreeningStatus
from duediligence.domain.vocabulary import Fact, MatterEvent, Rating

if TYPE_CHECKING:
    from duediligence.domain.case import AnswerVersion, Case, EventRecord, Party, Run
    from duediligence.domain.evaluation import Evaluation
    from duediligence.domain.screening_records import HitDisposition, HitState, Screening

RETENTION_MONTHS = 60
"""Five years (MLR reg 40(3))."""

ONBOARDED_BY = frozenset(
    {
        MatterEvent.RELATIONSHIP_ESTABLISHED,
        MatterEvent.FUNDS_RECEIVED,
        MatterEvent.EXCHANGE,
        MatterEvent.COMPLETION,
    }
)
"""Events that show the matter went ahead: from the first of them, changes reopen the risk
assessment (ongoing monitoring, reg 28(11)); before it they are onboarding."""

PEP_CHECKLIST = "pep-edd"
"""The PEP EDD checklist; its `pep.status` / `pep.ceased_on` drive the former-PEP review."""
PEP_STATUS = "pep.status"
PEP_CEASED_ON = "pep.ceased_on"
SOURCE_OF_FUNDS_CHECKLIST = "source-of-funds"

_PEP_QUESTIONS = frozenset({"pep", "screen.pep"})
"""CDD questions that say whether the client is PEP-connected."""
_NOT_PEP = frozenset({"no", "not_pep"})
_HITS = frozenset({"possible_match", "true_match"})

DEFAULT_REVIEW_MONTHS: Mapping[Rating, int] = MappingProxyType(
    {Rating.HIGH: 12, Rating.MEDIUM: 24, Rating.LOW: 36}
)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (clamped to the month's end: 29 Feb + 12 months = 28 Feb)."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


@dataclass(frozen=True)
class CasePolicy:
    """Firm policy the case-file services apply (built from `Settings` by the composition root)."""

    risk: RiskPolicy = field(default_factory=RiskPolicy)
    """The score bands and the MLRO override's minimum rationale (the firm-wide risk assessment's)."""
    review_months: Mapping[Rating, int] = field(default_factory=lambda: DEFAULT_REVIEW_MONTHS)
    """Months between reviews, by chosen rating."""
    pep_review_after_office_months: int = 12
    """A former PEP is reviewed no earlier than this long after leaving office."""
    allow_self_approval: bool = False
    """Whether the responsible person may approve their own matter."""
    fwra_valid_months: int = 12
    """A firm-wide risk assessment older than this is out of date: no matter may open."""
    require_binding: bool = True
    """Supervisors, senior managers and the MLRO must be bound to a computer account before
    they approve, decide hits, import lists, register people or read restricted records (a
    one-person practice may turn it off)."""
    funds_tolerance_percent: Decimal = Decimal("1")
    """A receipt may exceed its tranche by this share and still reconcile (`domain.funds`)."""
    funds_tolerance_amount: Decimal = Decimal("0")
    """... or by this absolute amount, whichever is larger."""


@dataclass(frozen=True, slots=True)
class CaseSummary:
    """One case's listing row: what the matters list shows without loading the case."""

    case_id: str
    reference: str
    firm_role: str
    matter_type: str
    responsible: str
    status: str
    opened_at: str
    """UTC ISO-8601 text, as stored."""
    chosen_rating: str | None
    """The rating the person chose (highest if several), None until chosen."""
    computed_rating: str
    """The rating worked out from score, floors and triggers."""
    pep: bool
    """A PEP connection is recorded (PEP answer, PEP EDD checklist or confirmed PEP list match)."""
    sanctions: bool
    """A sanctions hit is open or confirmed by screening, or answered as a match."""
    gates_open: int
    """How many of G1-G4 are open."""
    missing: int
    """Required answers still missing."""
    next_review: date | None
    """When the risk assessment is next due for review (None until a rating is chosen)."""
    review_reasons: tuple[str, ...] = ()
    """Events since the rating was chosen that reopen the assessment (due now)."""
    retention_until: date | None = None
    """When the five-year retention period ends (None while the clock has not started)."""
    on_hold: bool = False
    """A legal hold is in force."""
    approval_requested_at: str | None = None
    """When the latest approval request still pending was made (UTC ISO-8601 text, as stored);
    None when no request is waiting."""
    approval_requested_by: str | None = None
    """Who made that request."""
    client: str | None = None
    """The first client party's name (None while the case has none)."""
    acting_for: str | None = None
    """The side an estate agent acts for (seller, buyer)."""
    approvals_pending: tuple[tuple[str, str], ...] = ()
    """Roles (by value) whose approval is needed and not given, with why."""
    superseded: int = 0
    """Approvals superseded by a change to what they relied on."""
    missing_evidence: bool = False
    """A missing required answer is an evidence question."""
    referrals: tuple[str, ...] = ()
    """Why the matter is referred to the MLRO, as the evaluator says it."""
    gate_exceptions: int = 0
    """Events the MLRO recorded although their gate was closed (each with a reason)."""
    unreconciled_receipts: int = 0
    """Receipts into client account that do not reconcile with the declared funds and are
    neither accepted nor returned (`domain.funds`)."""

    def review_due(self, today: date) -> bool:
        """True when the review date has come or an event has reopened the assessment."""
        if self.status != "open":
            return False
        return bool(self.review_reasons) or (
            self.next_review is not None and self.next_review <= today
        )


@dataclass(frozen=True)
class Review:
    """When the next review is and what has reopened the assessment."""

    next_review: date | None
    reasons: tuple[str, ...] = field(default=())

    def overdue(self, today: date) -> bool:
        """The review date has come (the reasons, if any, make it due now regardless)."""
        return self.next_review is not None and self.next_review <= today


def _latest(answers: Iterable[AnswerVersion]) -> dict[tuple[str, str], AnswerVersion]:
    latest: dict[tuple[str, str], AnswerVersion] = {}
    for answer in answers:
        slot = (answer.run_id, answer.question_key)
        if slot not in latest or answer.number > latest[slot].number:
            latest[slot] = answer
    return latest


def review_of(
    runs: tuple[Run, ...],
    answers: tuple[AnswerVersion, ...],
    parties: tuple[Party, ...],
    record_seq: Mapping[str, int],
    evaluation: Evaluation,
    policy: CasePolicy,
    screenings: tuple[Screening, ...] = (),
    dispositions: tuple[HitDisposition, ...] = (),
    events: tuple[EventRecord, ...] = (),
) -> Review:
    """The next review date and the reopening events (see the module docstring)."""
    run_by_key = {r.key: r for r in runs}
    run_by_id = {r.id: r for r in runs}
    latest = _latest(answers)
    anchor: AnswerVersion | None = None
    chosen: Rating | None = None
    for decision in evaluation.ratings:
        run = run_by_key.get(decision.run_id)
        found = latest.get((run.id, decision.question_id)) if run else None
        if found is not None and (anchor is None or found.answered_at > anchor.answered_at):
            anchor = found
        chosen = decision.chosen if chosen is None else Rating.highest([chosen, decision.chosen])
    next_review: date | None = None
    anchor_day: date | None = None
    if anchor is not None and chosen is not None:
        anchor_day = anchor.answered_at.date()
        next_review = add_months(anchor_day, policy.review_months[chosen])
    for run in runs:
        if run.checklist_id != PEP_CHECKLIST:
            continue
        status = latest.get((run.id, PEP_STATUS))
        ceased = latest.get((run.id, PEP_CEASED_ON))
        if status is None or status.value != "former" or ceased is None:
            continue
        if isinstance(ceased.value, date) and not isinstance(ceased.value, datetime):
            pep_day = add_months(ceased.value, policy.pep_review_after_office_months)
            if anchor_day is None or pep_day > anchor_day:
                next_review = pep_day if next_review is None else min(next_review, pep_day)
    onboarded = [record_seq.get(e.target(), 0) for e in events if e.event in ONBOARDED_BY]
    if anchor is None or not onboarded:
        return Review(next_review)
    since = max(record_seq.get(anchor.target(), 0), min(onboarded))
    reasons: list[str] = []

    def note(reason: str) -> None:
        if reason not in reasons:
            reasons.append(reason)

    for party in parties:
        if record_seq.get(party.target(), 0) > since:
            note(
                f"new payer {party.label}" if party.role == "payer" else f"new party {party.label}"
            )
    for run in runs:
        if run.checklist_id == PEP_CHECKLIST and record_seq.get(run.target(), 0) > since:
            note("PEP status change")
    for answer in answers:
        if record_seq.get(answer.target(), 0) <= since:
            continue
        run = run_by_id.get(answer.run_id)
        base = answer.question_key.partition("#")[0]
        if run is not None and run.checklist_id == SOURCE_OF_FUNDS_CHECKLIST:
            note("source of funds changed")
        if isinstance(answer.value, Money):
            note(f"change of value ({base})")
        if (run is not None and run.checklist_id == PEP_CHECKLIST and base == PEP_STATUS) or (
            base in _PEP_QUESTIONS
        ):
            note("PEP status change")
        if isinstance(answer.value, str) and answer.value in _HITS:
            note(f"screening hit ({base})")
    labels = {p.id: p.label for p in parties}
    for screening in screenings:
        if record_seq.get(screening.target(), 0) > since and any(
            h.suppressed_by is None and h.band in ALERT_BANDS for h in screening.hits
        ):
            note(f"screening hit {labels.get(screening.party_id, '?')}")
    for disposition in dispositions:
        if (
            record_seq.get(disposition.target(), 0) > since
            and disposition.outcome is Outcome.TRUE_MATCH
        ):
            note(f"screening hit {labels.get(disposition.party_id, '?')} confirmed")
    return Review(next_review, tuple(reasons))


@dataclass(frozen=True)
class MonitoringEntry:
    """One step of ongoing monitoring: an assessment or review of the rating, or a screening."""

    at: datetime
    kind: str
    """"risk assessed", "risk reviewed", "screened" or "re-screened"."""
    by: str
    """Person id."""
    subject: str
    """The run key (a rating) or the party id (a screening)."""
    outcome: str
    """In words: "rated high (was medium)", "2 alerts: 1 cleared, 1 UNDECIDED"."""
    wanting: bool = False
    """An alert confirmed or still undecided."""


def monitoring_log(
    runs: Iterable[Run],
    answers: Iterable[AnswerVersion],
    screenings: Iterable[Screening],
    hits: Mapping[str, HitState],
    rating_questions: Iterable[tuple[str, str]],
) -> tuple[MonitoringEntry, ...]:
    """The monitoring log (see the module docstring), in time order. `rating_questions`: the
    (run key, question id) of each rating the evaluator read."""
    keys = {r.id: r.key for r in runs}
    wanted = set(rating_questions)
    entries: list[MonitoringEntry] = []
    versions: dict[tuple[str, str], list[AnswerVersion]] = {}
    for answer in answers:
        slot = (keys.get(answer.run_id, ""), answer.question_key)
        if slot in wanted:
            versions.setdefault(slot, []).append(answer)
    for (run_key, _), found in versions.items():
        found.sort(key=lambda a: a.number)
        for before, answer in zip([None, *found[:-1]], found, strict=True):
            was = f" (was {before.value})" if before is not None else ""
            entries.append(
                MonitoringEntry(
                    at=answer.answered_at,
                    kind="risk assessed" if before is None else "risk reviewed",
                    by=answer.answered_by,
                    subject=run_key,
                    outcome=f"rated {answer.value}{was}",
                )
            )
    seen: set[str] = set()
    for screening in sorted(screenings, key=lambda s: (s.screened_at, s.id)):
        alerts = [h for h in screening.hits if h.suppressed_by is None and h.band in ALERT_BANDS]
        states = [hits.get(h.id) for h in alerts]
        confirmed = sum(
            1 for s in states if s is not None and s.status is ScreeningStatus.TRUE_MATCH
        )
        undecided = sum(1 for s in states if s is not None and s.open)
        cleared = len(alerts) - confirmed - undecided
        if not alerts:
            outcome = "no alerts"
        else:
            said = [
                f"{n} {what}"
                for n, what in (
                    (cleared, "cleared"),
                    (confirmed, "confirmed as a true match"),
                    (undecided, "UNDECIDED"),
                )
                if n
            ]
            outcome = f"{len(alerts)} alert{'s' if len(alerts) != 1 else ''}: " + ", ".join(said)
        entries.append(
            MonitoringEntry(
                at=screening.screened_at,
                kind="re-screened" if screening.party_id in seen else "screened",
                by=screening.screened_by,
                subject=screening.party_id,
                outcome=outcome,
                wanting=bool(confirmed or undecided),
            )
        )
        seen.add(screening.party_id)
    entries.sort(key=lambda e: e.at)
    return tuple(entries)


def retention_start(case: Case, events: Iterable[EventRecord]) -> date | None:
    """When the retention clock started: the relationship's end, or completion of an
    occasional transaction once the case is closed. A later record of an event corrects an
    earlier one."""
    ended: EventRecord | None = None
    completed: EventRecord | None = None
    for record in sorted(events, key=lambda e: e.recorded_at):
        if record.event is MatterEvent.RELATIONSHIP_ENDED:
            ended = record
        elif record.event is MatterEvent.COMPLETION:
            completed = record
    if ended is not None:
        return ended.at.date()
    if completed is not None and case.status != "open":
        return completed.at.date()
    return None


def retention_until(start: date | None) -> date | None:
    """Five years after the clock started."""
    return None if start is None else add_months(start, RETENTION_MONTHS)


def flags(
    runs: tuple[Run, ...],
    answers: tuple[AnswerVersion, ...],
    facts: Mapping[Fact, object] | None = None,
) -> tuple[bool, bool]:
    """(PEP, sanctions hit) as recorded on the case."""
    facts = facts or {}
    pep = any(r.checklist_id == PEP_CHECKLIST for r in runs) or facts.get(Fact.PEP_SCREENING) in {
        "true_match"
    }
    sanctions = facts.get(Fact.SANCTIONS_SCREENING) in _HITS
    for answer in _latest(answers).values():
        base = answer.question_key.partition("#")[0]
        if base in _PEP_QUESTIONS and isinstance(answer.value, str):
            pep = pep or answer.value not in _NOT_PEP
        if base.startswith("sanctions") and isinstance(answer.value, str):
            sanctions = sanctions or answer.value in _HITS
    return pep, sanctions
