"""What an approval relies on, and what has changed since it was given.

An approval is a second person's check of the due-diligence record (MLR regs 33(1), 35(5)): the
answers, the parties, the evidence, the screening hits as they stand with the decisions on them,
the MLRO's rating overrides and the checklists run. It does not rely on the matter's progress:
recording exchange or completion, rendering the audit file, a re-screen that finds nothing new,
a monitoring review date, a request for approval or another approval leave it standing. Any
change to what it relied on supersedes it, and the record of that change (which answer, party or
document, by whom, when) says why.

Two rules, both pure:
- `relied_on_hash` is the hash an approval stores (`Approval.relied_on_sha256`); the approval is
  superseded when the case's hash now differs;
- approvals given before the hash existed store none: they are superseded when a record they
  relied on was written after them (the audit sequence numbers say which), by the same
  `changes_since` that explains a superseded approval.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from duediligence.domain.case import (
    AnswerVersion,
    Case,
    Evidence,
    OverrideRecord,
    Party,
    Record,
    Run,
    canonical_hash,
)
from duediligence.domain.screening_records import (
    HitDisposition,
    Screening,
    ScreeningStatus,
    hit_status,
    latest_screenings,
)


@dataclass(frozen=True)
class Change:
    """One change to what an approval relied on."""

    what: str
    """In words: "answer pep", "party p2 (A Client) added", "evidence passport.pdf verified"."""
    by: str | None
    """Who (person id), when the record says."""
    at: datetime
    """When."""

    def describe(self) -> str:
        """One line: what, by whom, when."""
        who = f"{self.by}, " if self.by else ""
        return f"{self.what} — {who}{self.at:%Y-%m-%d %H:%M}"


def _latest(answers: Iterable[AnswerVersion]) -> dict[tuple[str, str], AnswerVersion]:
    latest: dict[tuple[str, str], AnswerVersion] = {}
    for answer in answers:
        slot = (answer.run_id, answer.question_key)
        if slot not in latest or answer.number > latest[slot].number:
            latest[slot] = answer
    return latest


def hit_standing(
    screenings: Iterable[Screening], dispositions: Iterable[HitDisposition]
) -> list[tuple[str, str, str, str]]:
    """The hits that are not clear on each party's latest screening, as (party, list entry,
    entry content hash, status): the same after a re-screen that finds nothing new."""
    decided = tuple(dispositions)
    found = []
    for party_id, screening in latest_screenings(screenings).items():
        for hit in screening.hits:
            status = hit_status(party_id, hit, decided)
            if status is not ScreeningStatus.CLEAR:
                found.append((party_id, hit.key, hit.entry_sha256, status.value))
    return sorted(found)


def relied_on_hash(
    case: Case,
    parties: Iterable[Party],
    runs: Iterable[Run],
    answers: Iterable[AnswerVersion],
    evidence: Iterable[Evidence],
    screenings: Iterable[Screening],
    dispositions: Iterable[HitDisposition],
    overrides: Iterable[OverrideRecord],
) -> str:
    """Hash of the due-diligence record an approval relies on (see the module docstring).
    Only the latest version of each answer counts; re-answering with the same value still
    changes it (the answer was re-opened)."""
    dispositions = tuple(dispositions)
    state = {
        "case": case.state(),
        "parties": sorted((p.payload() for p in parties), key=lambda p: p["id"]),
        "runs": sorted((r.payload() for r in runs), key=lambda r: r["id"]),
        "answers": sorted((a.payload() for a in _latest(answers).values()), key=lambda a: a["id"]),
        "evidence": sorted((e.payload() for e in evidence), key=lambda e: e["id"]),
        "hits": hit_standing(screenings, dispositions),
        "dispositions": sorted((d.payload() for d in dispositions), key=lambda d: d["id"]),
        "overrides": sorted((o.payload() for o in overrides), key=lambda o: o["id"]),
    }
    return canonical_hash(state)


def changes_since(
    seq: int,
    record_seq: Mapping[str, int],
    *,
    parties: Iterable[Party],
    runs: Iterable[Run],
    answers: Iterable[AnswerVersion],
    evidence: Iterable[Evidence],
    screenings: Iterable[Screening],
    dispositions: Iterable[HitDisposition],
    overrides: Iterable[OverrideRecord],
) -> tuple[Change, ...]:
    """The relied-on records written after audit sequence number `seq`, oldest first: each
    question's latest answer, each party, document, hit decision and override, each screening
    that raised a hit still not clear, each checklist started."""
    parties = tuple(parties)
    labels = {p.id: f"{p.label} ({p.name})" for p in parties}
    runs_by_id = {r.id: r for r in runs}

    def after(record: Record) -> bool:
        return record_seq.get(record.target(), 0) > seq

    found: list[tuple[int, Change]] = []

    def note(record: Record, change: Change) -> None:
        found.append((record_seq.get(record.target(), 0), change))

    for answer in _latest(answers).values():
        if after(answer):
            run = runs_by_id.get(answer.run_id)
            where = f" ({run.key})" if run is not None and run.subject != "client" else ""
            note(
                answer,
                Change(
                    f"answer {answer.question_key}{where}", answer.answered_by, answer.answered_at
                ),
            )
    for party in parties:
        if after(party):
            note(party, Change(f"party {labels[party.id]} added", party.added_by, party.added_at))
    for run in runs_by_id.values():
        if after(run):
            note(run, Change(f"checklist {run.key} started", None, run.started_at))
    for item in evidence:
        if not after(item):
            continue
        name = f"{item.document_type.replace('_', ' ')} '{item.original_name}'"
        if item.verified_at is not None and item.verified_at > item.added_at and item.verified_by:
            # Replaced to record its verification after it was stored.
            note(item, Change(f"evidence {name} verified", item.verified_by, item.verified_at))
        else:
            note(item, Change(f"evidence {name} added", item.added_by, item.added_at))
    dispositions = tuple(dispositions)
    for decided in dispositions:
        if after(decided):
            words = decided.outcome.value.replace("_", " ")
            note(
                decided,
                Change(
                    f"screening hit {decided.key} on {labels.get(decided.party_id, '?')} "
                    f"decided: {words}",
                    decided.decided_by,
                    decided.decided_at,
                ),
            )
    for screening in latest_screenings(screenings).values():
        if not after(screening):
            continue
        raised = [
            h.key
            for h in screening.hits
            if hit_status(screening.party_id, h, dispositions) is not ScreeningStatus.CLEAR
        ]
        if raised:
            note(
                screening,
                Change(
                    f"screening of {labels.get(screening.party_id, '?')} raised "
                    f"{', '.join(raised)}",
                    screening.screened_by,
                    screening.screened_at,
                ),
            )
    for override in overrides:
        if after(override):
            note(
                override,
                Change(
                    f"rating overridden to {override.rating.value}",
                    override.overridden_by,
                    override.overridden_at,
                ),
            )
    found.sort(key=lambda pair: pair[0])
    return tuple(change for _, change in found)
