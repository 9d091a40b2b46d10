"""Claims reconciled with records (issue 15, item 5): where a checklist answer restates
something the file itself records, the record is found and set beside it.

An answer says "identity verified in person", "verification completed on 1 February", "not a
PEP", "all parties re-screened on 1 December", "this tranche is the proceeds of a sale", "the
privacy notice was given". Each of those is a claim the case file can test: a verified identity
document, a screening on that day, evidence filed for the tranche, a receipt allocated to it. An
inspector reads the claim and the record together; a claim no record supports, or one a record
contradicts, is what they are looking for.

Pure functions over a case's records; no I/O. The read model calls `reconcile_claims` once and
the TUI, CLI and audit file format the result. Records are named by their audit target
(`Record.target()`), so each output says them in its own words.

Standing:
- BACKED: a record on file supports the answer;
- NO_RECORD: nothing on file supports it (the answer is the only record);
- CONFLICT: a record on file says otherwise;
- PLANNED: a date still to come (a re-screen before completion): nothing to find yet; once the
  day has passed with no record it stands as NO_RECORD (`Claim.standing_on`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Final, Protocol

from duediligence.domain.case import AnswerVersion, Evidence, Party, PartyRole, Run
from duediligence.domain.funds import Reconciliation
from duediligence.domain.screening_records import (
    HitState,
    ListKind,
    Outcome,
    Screening,
    latest_screenings,
)
from duediligence.domain.timing import IDENTITY_DOCUMENTS


class ClaimStanding(StrEnum):
    """How an answer stands against the records (see the module docstring)."""

    BACKED = "backed"
    NO_RECORD = "no record"
    CONFLICT = "conflict"
    PLANNED = "planned"


@dataclass(frozen=True)
class Claim:
    """One answer that restates something the file records, with the records found for it."""

    run_id: str
    question_key: str
    answer: AnswerVersion
    """The answer version that makes the claim (the current one)."""
    standing: ClaimStanding
    finding: str
    """Why it stands so, in words ("no screening of p2 on that day")."""
    records: tuple[str, ...] = ()
    """The audit targets of the records set beside it (evidence, screenings, receipts)."""
    due: date | None = None
    """For a planned date: the day a record should exist by."""

    def standing_on(self, today: date) -> ClaimStanding:
        """The standing on `today`: a planned date that has passed with no record is none."""
        if self.standing is ClaimStanding.PLANNED and self.due is not None and self.due < today:
            return ClaimStanding.NO_RECORD
        return self.standing


class _Add(Protocol):
    """How the rule helpers add a claim about the answer being read."""

    def __call__(
        self,
        standing: ClaimStanding,
        finding: str,
        records: Iterable[str] = (),
        due: date | None = None,
    ) -> None: ...


IDENTITY_METHOD_QUESTIONS: Final = frozenset({"verify.method", "verification.method"})
"""Answers saying how the client's identity was verified."""
IDENTITY_COMPLETED_QUESTIONS: Final = frozenset(
    {"verify.completed_on", "verification.completed_on"}
)
"""Answers giving the day identity verification was completed."""
IDENTITY_EVIDENCE_QUESTIONS: Final = frozenset(
    {"verify.id_document", "verification.evidence", "verify.address_evidence"}
)
"""Questions whose files are the client's identity evidence."""
PEP_QUESTIONS: Final = frozenset({"screen.pep", "pep.declaration"})
"""Answers saying whether the client is a PEP (or a family member or close associate)."""
NOT_PEP: Final = frozenset({"not_pep", "no"})
RESCREEN_QUESTION: Final = "sanctions.rescreen_on"
SCREENED_WHO: Final = "sanctions.who"
_WHO_ROLES: Final = {
    "client": PartyRole.CLIENT,
    "persons_acting": PartyRole.PERSON_ACTING,
    "counterparty": PartyRole.COUNTERPARTY,
    "payers": PartyRole.PAYER,
    "beneficial_owners": PartyRole.BENEFICIAL_OWNER,
}
"""`sanctions.who` choices and the party role each names."""
TRANCHE_EVIDENCE: Final = {
    "tranche.source": "tranche.evidence",
    "tranche.donor": "tranche.donor_evidence",
}
"""A tranche's answer and the evidence question that backs it (same entry)."""
TRANCHE_AMOUNT: Final = "tranche.amount"
DOCUMENT_ANSWERS: Final = {
    "privacy.notice": ("privacy notice", frozenset({"privacy_notice", "client_care_letter"})),
    "reliance.used": ("reliance agreement", frozenset({"reliance_agreement"})),
}
"""Yes answers that a document on file should back: what it is, and the document types (or
the `<section>.` questions' files) that do."""
_DOCUMENT_QUESTIONS: Final = {"reliance.used": "reliance.agreement"}


def reconcile_claims(
    runs: Iterable[Run],
    current: Mapping[tuple[str, str], AnswerVersion],
    evidence: Iterable[Evidence],
    parties: Iterable[Party],
    screenings: Iterable[Screening],
    hits: Mapping[str, HitState],
    funds: Reconciliation | None = None,
) -> tuple[Claim, ...]:
    """Every claim on the matter with the records found for it, in run and question order."""
    runs = tuple(runs)
    evidence = tuple(evidence)
    parties = tuple(parties)
    screenings = tuple(sorted(screenings, key=lambda s: (s.screened_at, s.id)))
    # Who is (or is not) a PEP or on a list is what each party's latest screening says.
    latest = tuple(sorted(latest_screenings(screenings).values(), key=lambda s: s.screened_at))
    runs_by_id = {r.id: r for r in runs}
    customers = {p.id for p in parties if p.role is PartyRole.CLIENT}
    identity = [
        e
        for e in evidence
        if (e.party_id is None or e.party_id in customers)
        and (
            e.document_type in IDENTITY_DOCUMENTS
            or (e.question_key or "").partition("#")[0] in IDENTITY_EVIDENCE_QUESTIONS
        )
    ]
    verified_identity = [e for e in identity if e.verified_at is not None and e.method]
    found: list[Claim] = []
    order = {r.id: n for n, r in enumerate(runs)}
    for (run_id, key), answer in sorted(
        current.items(), key=lambda i: (order.get(i[0][0], 0), i[0][1])
    ):
        run = runs_by_id.get(run_id)
        if run is None:
            continue
        base, _, entry = key.partition("#")
        value = answer.value

        def claim(
            standing: ClaimStanding,
            finding: str,
            records: Iterable[str] = (),
            due: date | None = None,
            *,
            _run: str = run_id,
            _key: str = key,
            _answer: AnswerVersion = answer,
        ) -> None:
            found.append(Claim(_run, _key, _answer, standing, finding, tuple(records), due))

        if base in IDENTITY_METHOD_QUESTIONS:
            if verified_identity:
                claim(
                    ClaimStanding.BACKED,
                    f"{len(verified_identity)} identity document(s) verified, with the method",
                    (e.target() for e in verified_identity),
                )
            elif identity:
                claim(
                    ClaimStanding.NO_RECORD,
                    "identity evidence is filed but not recorded as verified with a method",
                    (e.target() for e in identity),
                )
            else:
                claim(ClaimStanding.NO_RECORD, "no identity document on file")
        elif base in IDENTITY_COMPLETED_QUESTIONS and isinstance(value, date):
            day = value.date() if isinstance(value, datetime) else value
            later = [e for e in verified_identity if e.verified_at and e.verified_at.date() > day]
            if later:
                claim(
                    ClaimStanding.CONFLICT,
                    "identity evidence was verified after the day given",
                    (e.target() for e in later),
                )
            elif verified_identity:
                claim(
                    ClaimStanding.BACKED,
                    "every identity document was verified on or before the day given",
                    (e.target() for e in verified_identity),
                )
            else:
                claim(ClaimStanding.NO_RECORD, "no verified identity document on file")
        elif base in PEP_QUESTIONS and isinstance(value, str):
            _pep_claim(claim, value, latest, customers, hits)
        elif base == SCREENED_WHO and isinstance(value, tuple):
            _who_claim(claim, value, latest, parties, hits)
        elif base == RESCREEN_QUESTION and isinstance(value, date):
            _rescreen_claim(claim, value, screenings, parties, answer)
        elif base in TRANCHE_EVIDENCE and entry and value not in (None, ""):
            wanted = f"{TRANCHE_EVIDENCE[base]}#{entry}"
            filed = [e for e in evidence if e.run_id == run_id and e.question_key == wanted]
            verified = [e for e in filed if e.verified_at is not None and e.method]
            if verified:
                claim(
                    ClaimStanding.BACKED,
                    "evidence filed and verified",
                    (e.target() for e in verified),
                )
            elif filed:
                claim(
                    ClaimStanding.NO_RECORD,
                    "evidence filed but not verified",
                    (e.target() for e in filed),
                )
            else:
                claim(ClaimStanding.NO_RECORD, "no evidence filed for this tranche")
        elif base == TRANCHE_AMOUNT and entry.isdigit() and funds is not None:
            _amount_claim(claim, run, int(entry), funds)
        elif base in DOCUMENT_ANSWERS and value is True:
            what, kinds = DOCUMENT_ANSWERS[base]
            question = _DOCUMENT_QUESTIONS.get(base)
            held = [
                e
                for e in evidence
                if e.document_type in kinds
                or (question is not None and e.question_key == question and e.run_id == run_id)
            ]
            if held:
                claim(
                    ClaimStanding.BACKED,
                    f"a copy of the {what} is on file",
                    (e.target() for e in held),
                )
            else:
                claim(
                    ClaimStanding.NO_RECORD,
                    f"no copy of the {what} on file: the answer is the only record",
                )
    return tuple(found)


def _pep_claim(
    claim: _Add,
    value: str,
    screenings: tuple[Screening, ...],
    customers: set[str],
    hits: Mapping[str, HitState],
) -> None:
    screened = [s for s in screenings if s.party_id in customers and ListKind.PEP in s.list_kinds]
    pep_hits = [h for s in screened for h in s.hits if h.list_kind is ListKind.PEP]
    confirmed = [h for h in pep_hits if _confirmed(hits.get(h.id))]
    undecided = [h for h in pep_hits if (state := hits.get(h.id)) is not None and state.open]
    targets = [s.target() for s in screened]
    if value in NOT_PEP:
        if confirmed:
            claim(ClaimStanding.CONFLICT, "a PEP list match is confirmed for the client", targets)
        elif undecided:
            claim(
                ClaimStanding.CONFLICT, "a PEP list hit on the client is still undecided", targets
            )
        elif screened:
            dismissed = len(pep_hits)
            claim(
                ClaimStanding.BACKED,
                "screened against a PEP list: no match"
                + (f" ({dismissed} hit(s) dismissed as false positives)" if dismissed else ""),
                targets,
            )
        else:
            claim(
                ClaimStanding.NO_RECORD,
                "no PEP list screening of the client on file: the answer is the only record",
            )
    elif confirmed:
        claim(ClaimStanding.BACKED, "a PEP list match is confirmed for the client", targets)
    else:
        claim(
            ClaimStanding.NO_RECORD,
            "declared: no PEP list match on file (the declaration is the record)",
            targets,
        )


def _who_claim(
    claim: _Add,
    value: tuple[str, ...],
    screenings: tuple[Screening, ...],
    parties: tuple[Party, ...],
    hits: Mapping[str, HitState],
) -> None:
    screened_ids = {s.party_id for s in screenings if ListKind.SANCTIONS in s.list_kinds}
    named = [p for p in parties if any(_WHO_ROLES.get(v) is p.role for v in value)]
    missing = [p.label for p in named if p.id not in screened_ids]
    targets = [s.target() for s in screenings if s.party_id in {p.id for p in named}]
    sanctions_hits = [
        hits.get(h.id)
        for s in screenings
        if s.party_id in {p.id for p in named}
        for h in s.hits
        if h.list_kind is ListKind.SANCTIONS
    ]
    said = _hits_words(sanctions_hits)
    if not named:
        claim(ClaimStanding.NO_RECORD, "no party of the kinds named is on the matter")
    elif missing:
        claim(
            ClaimStanding.CONFLICT,
            f"not screened against a sanctions list: {', '.join(missing)}",
            targets,
        )
    elif any(_confirmed(s) or (s is not None and s.open) for s in sanctions_hits):
        claim(ClaimStanding.CONFLICT, f"every party named was screened; {said}", targets)
    else:
        claim(ClaimStanding.BACKED, f"every party named was screened; {said}", targets)


def _rescreen_claim(
    claim: _Add,
    value: date,
    screenings: tuple[Screening, ...],
    parties: tuple[Party, ...],
    answer: AnswerVersion,
) -> None:
    day = value.date() if isinstance(value, datetime) else value
    that_day = [s for s in screenings if s.screened_at.date() == day]
    others = [s for s in screenings if s.screened_at.date() != day]
    if that_day:
        not_screened = [p.label for p in parties if p.id not in {s.party_id for s in that_day}]
        if not_screened:
            claim(
                ClaimStanding.CONFLICT,
                f"screenings on that day, but not of {', '.join(not_screened)}",
                (s.target() for s in that_day),
            )
        else:
            claim(
                ClaimStanding.BACKED,
                "every party was screened on that day",
                (s.target() for s in that_day),
            )
    elif day > answer.answered_at.date() and not any(s.screened_at.date() > day for s in others):
        # Given ahead of the day (as the checklist allows: the re-screen planned before
        # completion): nothing to find until it comes.
        claim(ClaimStanding.PLANNED, "a date still to come when answered", due=day)
    else:
        nearest = sorted(others, key=lambda s: abs((s.screened_at.date() - day).days))[:3]
        claim(
            ClaimStanding.CONFLICT,
            "no screening on that day"
            + ("; the nearest screenings are beside it" if nearest else ""),
            (s.target() for s in sorted(nearest, key=lambda s: s.screened_at)),
        )


def _amount_claim(claim: _Add, run: Run, number: int, funds: Reconciliation) -> None:
    lines = [
        line
        for line in funds.lines
        if line.tranche is not None
        and line.tranche.run_key == run.key
        and line.tranche.number == number
    ]
    targets = [line.receipt.target() for line in lines]
    if not lines:
        claim(ClaimStanding.NO_RECORD, "no receipt allocated to this tranche yet")
    elif any(line.status in ("unreconciled", "explained") for line in lines):
        claim(
            ClaimStanding.CONFLICT,
            "a receipt allocated to this tranche does not reconcile (part 7)",
            targets,
        )
    else:
        claim(ClaimStanding.BACKED, "the receipts allocated to this tranche reconcile", targets)


def _confirmed(state: HitState | None) -> bool:
    return (
        state is not None
        and state.disposition is not None
        and state.disposition.outcome is Outcome.TRUE_MATCH
    )


def _hits_words(states: list[HitState | None]) -> str:
    if not states:
        return "no sanctions list hits"
    confirmed = sum(1 for s in states if _confirmed(s))
    undecided = sum(1 for s in states if s is not None and s.open)
    dismissed = len(states) - confirmed - undecided
    said = []
    if confirmed:
        said.append(f"{confirmed} sanctions hit(s) CONFIRMED")
    if undecided:
        said.append(f"{undecided} sanctions hit(s) UNDECIDED")
    if dismissed:
        said.append(f"{dismissed} sanctions hit(s) dismissed or below the review threshold")
    return ", ".join(said)
