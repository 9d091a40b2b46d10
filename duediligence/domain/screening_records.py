"""Screening in the case file: list snapshots, party screenings with their hits, dispositions.

Pure records (stored and audit-chained like every other record) and the rule that turns them into
the evaluator's `sanctions_screening` and `pep_screening` facts. The matching engine itself lives
in `duediligence.screening`; here a hit's explanation is kept as the JSON text the engine wrote,
so the record hashes the same bytes whatever version reads it back.

Rules:
- a party's *latest* screening is what counts; a hit in the review or strong band is open until a
  person records a disposition for it;
- a false-positive disposition is bound to the list entry's content hash: it clears the hit in
  every later screening of that party until the entry changes (then the hit is raised again);
- a true-match disposition holds for that party and list entry for as long as the entry is hit;
- severity across parties: true_match > possible_match > not_screened > clear; a fact is only
  set for a list kind (sanctions, PEP) that some party of the case has been screened against.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from duediligence.domain.case import Party, Record
from duediligence.domain.vocabulary import Fact


class ListKind(StrEnum):
    """Which evaluator fact a list feeds."""

    SANCTIONS = "sanctions"
    PEP = "pep"


class Outcome(StrEnum):
    """A person's decision on one hit."""

    TRUE_MATCH = "true_match"
    FALSE_POSITIVE = "false_positive"


class ReasonCode(StrEnum):
    """Why a hit was dismissed or confirmed (screening.md 6.5)."""

    FP_DIFFERENT_DOB = "FP_DIFFERENT_DOB"
    FP_DIFFERENT_NATIONALITY = "FP_DIFFERENT_NATIONALITY"
    FP_COMMON_NAME_NO_CORROBORATION = "FP_COMMON_NAME_NO_CORROBORATION"
    FP_DIFFERENT_ENTITY_TYPE = "FP_DIFFERENT_ENTITY_TYPE"
    FP_OTHER = "FP_OTHER"
    TP_CONFIRMED_ESCALATE = "TP_CONFIRMED_ESCALATE"

    @property
    def outcome(self) -> Outcome:
        """The outcome this code belongs to."""
        return Outcome.FALSE_POSITIVE if self.value.startswith("FP_") else Outcome.TRUE_MATCH

    @property
    def label(self) -> str:
        """The code in words, as the screens and the audit file print it."""
        return _REASON_LABELS[self]


_REASON_LABELS: dict[ReasonCode, str] = {
    ReasonCode.FP_DIFFERENT_DOB: "Different date of birth",
    ReasonCode.FP_DIFFERENT_NATIONALITY: "Different nationality",
    ReasonCode.FP_COMMON_NAME_NO_CORROBORATION: "Common name, nothing else corroborates",
    ReasonCode.FP_DIFFERENT_ENTITY_TYPE: "Different kind of entity",
    ReasonCode.FP_OTHER: "Other (say why in the note)",
    ReasonCode.TP_CONFIRMED_ESCALATE: "Confirmed: escalate",
}


class ScreeningStatus(StrEnum):
    """The values of the `sanctions_screening` and `pep_screening` facts."""

    NOT_SCREENED = "not_screened"
    CLEAR = "clear"
    POSSIBLE_MATCH = "possible_match"
    TRUE_MATCH = "true_match"


_SEVERITY = {
    ScreeningStatus.CLEAR: 0,
    ScreeningStatus.NOT_SCREENED: 1,
    ScreeningStatus.POSSIBLE_MATCH: 2,
    ScreeningStatus.TRUE_MATCH: 3,
}
ALERT_BANDS = frozenset({"review", "strong"})
"""Bands that ask a person to decide."""


class ListSnapshotRecord(Record):
    """One imported list file: what it was, where its bytes are, what it held."""

    KIND: ClassVar[str] = "list"
    id: str
    """Internal id."""
    source: str
    """Import format and list family: un-xml, ofac-csv, uksl-csv, pep-csv, ftm-json."""
    list_kind: ListKind
    """Sanctions or PEP."""
    published: date | None
    """The publication date the file states (None when it states none)."""
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    """SHA-256 of the file (of the files' hashes in order, for multi-file formats)."""
    files: tuple[str, ...]
    """File names read."""
    file_blobs: tuple[str, ...]
    """Blob names (SHA-256) of the original files, kept for provenance."""
    entries_blob: str = Field(pattern=r"^[0-9a-f]{64}$")
    """Blob name of the parsed entries in compact form (what screening loads)."""
    counts: dict[str, int]
    """Entries and names by kind: person, entity, names."""
    imported_at: datetime
    """When it was imported."""
    imported_by: str
    """Who imported it."""
    shrink_reason: str | None = None
    """Why it was accepted although it holds far fewer entries than the snapshot it replaced
    (None: it did not shrink past the firm's limit)."""

    def payload(self) -> dict[str, Any]:
        # Added after the first release of the format: left out while unset, so snapshots
        # imported before it existed keep their payload hash.
        data = super().payload()
        if data.get("shrink_reason") is None:
            data.pop("shrink_reason", None)
        return data

    @property
    def label(self) -> str:
        """Source and the start of the content hash (the engine's snapshot id)."""
        return f"{self.source}:{self.sha256[:12]}"

    def age_days(self, today: date) -> int:
        """Days since publication (since import when the file states no date)."""
        start = self.published or self.imported_at.date()
        return (today - start).days


class ScreeningHit(BaseModel):
    """One list entry raised for a party, with the engine's explanation."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    """Hit id (unique in the store; used to record a disposition)."""
    key: str
    """The list entry: "<source>:<entry id>" (stable across snapshots)."""
    entry_sha256: str
    """Hash of the list entry's content: a false positive stands until it changes."""
    list_kind: ListKind
    """Sanctions or PEP."""
    snapshot_id: str
    """The list snapshot record it came from."""
    score: float
    """Final score, 0 to 1."""
    band: str
    """no_alert, review or strong."""
    primary_name: str
    """The entry's primary name."""
    matched_name: str
    """The list's name variant that matched."""
    explanation: str
    """The engine's explanation as JSON text."""
    suppressed_by: str | None = None
    """The false-positive disposition that dismissed this entry earlier (not raised again)."""
    no_longer_listed: str | None = None
    """Set on a hit carried from the party's earlier screening because its list entry is not
    in the list now used (the snapshot's label): a list becoming smaller, or a truncated file,
    never clears a hit by itself; it stays open until a person decides it."""


class Screening(Record):
    """One screening of one party against the newest snapshot of each list."""

    KIND: ClassVar[str] = "screening"
    id: str
    """Internal id."""
    case_id: str
    """The case."""
    party_id: str
    """The party screened."""
    query: dict[str, str]
    """What was screened: name, other names, date of birth, nationality, kind."""
    snapshot_ids: tuple[str, ...]
    """The list snapshot records used."""
    list_kinds: tuple[ListKind, ...]
    """Which kinds of list were used (sanctions, PEP)."""
    algorithm_version: str
    """Normaliser and scorer version."""
    hits: tuple[ScreeningHit, ...]
    """Hits at or above the reporting cutoff, best first."""
    reason: str
    """Why it ran: party added, new list snapshot, on request."""
    screened_at: datetime
    """When."""
    screened_by: str
    """Who ran it (or whose action triggered it)."""

    def payload(self) -> dict[str, Any]:
        # `no_longer_listed` was added after the first release of the format: left out of each
        # hit while unset, so screenings recorded before it existed keep their payload hash.
        data = super().payload()
        for hit in data["hits"]:
            if hit.get("no_longer_listed") is None:
                hit.pop("no_longer_listed", None)
        return data


class HitDisposition(Record):
    """A person's decision on one hit: true match, or false positive with a reason."""

    KIND: ClassVar[str] = "disposition"
    id: str
    """Internal id."""
    case_id: str
    """The case."""
    party_id: str
    """The party."""
    screening_id: str
    """The screening whose hit was decided."""
    hit_id: str
    """The hit decided."""
    key: str
    """The list entry ("<source>:<entry id>")."""
    entry_sha256: str
    """The entry's content hash when decided."""
    outcome: Outcome
    """True match or false positive."""
    reason: ReasonCode
    """Reason code."""
    note: str = Field(min_length=1, max_length=5000)
    """The reviewer's note."""
    decided_at: datetime
    """When."""
    decided_by: str
    """Who."""


def latest_screenings(screenings: Iterable[Screening]) -> dict[str, Screening]:
    """Each party's latest screening, by party id."""
    latest: dict[str, Screening] = {}
    for screening in sorted(screenings, key=lambda s: s.screened_at):
        latest[screening.party_id] = screening
    return latest


def disposition_for(
    party_id: str, hit: ScreeningHit, dispositions: Iterable[HitDisposition]
) -> HitDisposition | None:
    """The disposition that applies to a hit now: the latest for this party and entry, when it
    is a true match, or a false positive recorded against the entry's current content."""
    found: HitDisposition | None = None
    for disposition in sorted(dispositions, key=lambda d: d.decided_at):
        if disposition.party_id != party_id or disposition.key != hit.key:
            continue
        if (
            disposition.outcome is Outcome.FALSE_POSITIVE
            and disposition.entry_sha256 != hit.entry_sha256
        ):
            continue
        found = disposition
    return found


def hit_status(
    party_id: str, hit: ScreeningHit, dispositions: Iterable[HitDisposition]
) -> ScreeningStatus:
    """What one hit means for the evaluator."""
    disposition = disposition_for(party_id, hit, dispositions)
    if disposition is not None:
        if disposition.outcome is Outcome.TRUE_MATCH:
            return ScreeningStatus.TRUE_MATCH
        return ScreeningStatus.CLEAR
    if hit.band in ALERT_BANDS:
        return ScreeningStatus.POSSIBLE_MATCH
    return ScreeningStatus.CLEAR


def screening_facts(
    parties: Iterable[Party],
    screenings: Iterable[Screening],
    dispositions: Iterable[HitDisposition],
) -> Mapping[Fact, str]:
    """The `sanctions_screening` / `pep_screening` facts of a case.

    A kind of list nobody on the case has been screened against is `not_screened`: a matter must
    not pass a gate because screening never happened (the checklists block on it).
    """
    latest = latest_screenings(screenings)
    decided = tuple(dispositions)
    facts: dict[Fact, str] = {}
    for kind, fact in (
        (ListKind.SANCTIONS, Fact.SANCTIONS_SCREENING),
        (ListKind.PEP, Fact.PEP_SCREENING),
    ):
        if not any(kind in s.list_kinds for s in latest.values()):
            facts[fact] = ScreeningStatus.NOT_SCREENED.value
            continue
        status = ScreeningStatus.CLEAR
        for party in parties:
            screening = latest.get(party.id)
            if screening is None or kind not in screening.list_kinds:
                found = ScreeningStatus.NOT_SCREENED
            else:
                found = ScreeningStatus.CLEAR
                for hit in screening.hits:
                    if hit.list_kind is kind:
                        one = hit_status(party.id, hit, decided)
                        if _SEVERITY[one] > _SEVERITY[found]:
                            found = one
            if _SEVERITY[found] > _SEVERITY[status]:
                status = found
        facts[fact] = status.value
    return facts


def confirmed_matches(
    parties: Iterable[Party],
    screenings: Iterable[Screening],
    dispositions: Iterable[HitDisposition],
) -> dict[str, tuple[str, ...]]:
    """By kind of list, the labels (p1, p2 ...) of the parties with a confirmed match.

    The checklists start PEP measures for the person who is the PEP, which may be a beneficial
    owner rather than the client: `screening_facts` says only that someone on the matter is.
    """
    latest = latest_screenings(screenings)
    decided = tuple(dispositions)
    found: dict[str, list[str]] = {}
    for party in parties:
        screening = latest.get(party.id)
        if screening is None:
            continue
        for hit in screening.hits:
            if hit_status(party.id, hit, decided) is ScreeningStatus.TRUE_MATCH:
                labels = found.setdefault(hit.list_kind.value, [])
                if party.label not in labels:
                    labels.append(party.label)
    return {kind: tuple(labels) for kind, labels in found.items()}


@dataclass(frozen=True)
class HitState:
    """What one hit stands at now, by the rules above."""

    status: ScreeningStatus
    """clear (below the threshold, or dismissed), possible_match (open) or true_match."""
    disposition: HitDisposition | None
    """The disposition that applies now (`disposition_for`): a false positive recorded against
    different list-entry content does not (the hit is raised again)."""

    @property
    def open(self) -> bool:
        """Waiting for a person's decision."""
        return self.status is ScreeningStatus.POSSIBLE_MATCH


def hit_states(
    screenings: Iterable[Screening], dispositions: Iterable[HitDisposition]
) -> dict[str, HitState]:
    """Every hit of every screening of a case, by hit id, as it stands now."""
    decided = tuple(dispositions)
    return {
        hit.id: HitState(
            hit_status(screening.party_id, hit, decided),
            disposition_for(screening.party_id, hit, decided),
        )
        for screening in screenings
        for hit in screening.hits
    }


UK_SANCTIONS_LIST = "uksl-csv"
"""The UK Sanctions List (FCDO): the list the checklists call authoritative in the UK."""


def uk_list_warning(
    screenings: Iterable[Screening], snapshots: Mapping[str, ListSnapshotRecord]
) -> str | None:
    """A warning when the matter's sanctions screening did not include the UK Sanctions List:
    "clear" against UN and OFAC alone said nothing of the UK's own designations (`snapshots`:
    the list snapshots by id)."""
    used = [
        snapshots[sid]
        for screening in latest_screenings(screenings).values()
        for sid in screening.snapshot_ids
        if sid in snapshots and snapshots[sid].list_kind is ListKind.SANCTIONS
    ]
    if not used or any(s.source == UK_SANCTIONS_LIST for s in used):
        return None
    against = ", ".join(sorted({s.source for s in used}))
    return (
        f"sanctions screening was against {against} only: the UK Sanctions List was never "
        "imported, so a UK designation would not be found; the MLRO imports it "
        "(lists import --format uksl-csv) and the matter is screened again"
    )


# ----------------------------------------------------------------------------------------------
# Reasons the recorded data contradicts (issue 13, finding 10)

_DOB_AGREES = frozenset({"match", "year matches"})
"""Date-of-birth comparisons that say the dates agree (the engine's qualifier details)."""
_DOB_DIFFERS = frozenset({"years disjoint", "same year, different day"})
"""Date-of-birth comparisons that say the dates differ."""


def _qualifiers(hit: ScreeningHit) -> list[dict[str, str]]:
    """The hit's recorded comparisons (date of birth, nationality, gender) from its stored
    explanation, read as plain data: the domain does not know the engine's model."""
    try:
        explanation = json.loads(hit.explanation)
    except ValueError:
        return []
    found = explanation.get("qualifiers", []) if isinstance(explanation, dict) else []
    return [
        {k: str(v) for k, v in q.items()}
        for q in found
        if isinstance(q, dict) and isinstance(q.get("feature"), str)
    ]


def reason_contradictions(party: Party, hit: ScreeningHit, reason: ReasonCode) -> list[str]:
    """Why the recorded data contradicts clearing `hit` for `reason`, in words (empty: it
    does not). A hit decision with such a reason is refused: the MLRO once cleared a strong
    match as "different date of birth" when the party had no date of birth at all.

    Reads only what is recorded: the party's date of birth and nationalities, and the
    comparisons the screening stored with the hit (what the list entry gives).
    """
    qualifiers = _qualifiers(hit)
    dob = next((q for q in qualifiers if q["feature"] in {"dob_year", "dob_day"}), None)
    nationality = next((q for q in qualifiers if q["feature"] == "nationality"), None)
    found: list[str] = []
    if reason is ReasonCode.FP_DIFFERENT_DOB:
        if party.date_of_birth is None:
            found.append(
                f"{party.name} has no date of birth recorded, so it cannot differ from the "
                "listed one: record it from the identity document (the party is then "
                "re-screened) or choose the reason that fits"
            )
        elif dob is None or dob["detail"] not in _DOB_AGREES | _DOB_DIFFERS | {
            "day and month swapped"
        }:
            found.append(
                "the list entry gives no date of birth this screening could compare with "
                f"{party.name}'s, so a different date of birth is not shown"
            )
        elif dob["query"][:10] != party.date_of_birth.isoformat():
            found.append(
                f"{party.name}'s date of birth changed since this screening (screened with "
                f"{dob['query']}): re-screen the matter first"
            )
        elif dob["detail"] in _DOB_AGREES:
            found.append(
                f"the dates of birth agree ({dob['detail']}: ours {dob['query']}, listed "
                f"{dob['candidate']})"
            )
        elif dob["detail"] == "day and month swapped":
            found.append(
                f"the listed date of birth is ours with day and month swapped (ours "
                f"{dob['query']}, listed {dob['candidate']})"
            )
    elif reason is ReasonCode.FP_DIFFERENT_NATIONALITY:
        listed = set(nationality["candidate"].replace(" ", "").split(",")) if nationality else set()
        if not party.nationalities:
            found.append(
                f"{party.name} has no nationality recorded, so it cannot differ from the "
                "listed one: record it or choose the reason that fits"
            )
        elif nationality is None:
            found.append(
                "no nationality was compared in this screening (the list entry gives none, or "
                f"{party.name} has more than one), so a different nationality is not shown"
            )
        elif nationality["detail"] == "match" or listed.intersection(party.nationalities):
            found.append(
                f"the nationality is the same (ours {', '.join(party.nationalities)}, listed "
                f"{nationality['candidate']})"
            )
    elif reason is ReasonCode.FP_COMMON_NAME_NO_CORROBORATION:
        for q in qualifiers:
            agrees = (
                q["detail"] in _DOB_AGREES
                if q["feature"].startswith("dob")
                else (q["detail"] == "match")
            )
            if agrees:
                what = "date of birth" if q["feature"].startswith("dob") else q["feature"]
                found.append(
                    f"the {what} corroborates the match (ours {q['query']}, listed "
                    f"{q['candidate']})"
                )
    return found
