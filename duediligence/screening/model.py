"""The screening vocabulary: list snapshots and entries, queries, hits and their explanations.

Definitions only (frozen pydantic models); the importers build snapshots, the index and the matcher
build hits. Nothing here reads files or scores names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Kind(StrEnum):
    """Whether a list entry or a query is a natural person or an entity (company, group, vessel)."""

    PERSON = "person"
    ENTITY = "entity"


class Band(StrEnum):
    """What a score asks a person to do."""

    NO_ALERT = "no_alert"
    REVIEW = "review"
    STRONG = "strong"


class ListName(BaseModel):
    """One spelling of a list entry's name, as the list gives it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str
    """The name exactly as written in the list (any script)."""
    name_type: str = "primary"
    """primary, alias, weak-alias, original-script, previous ... (free text from the source)."""


class ListEntry(BaseModel):
    """One designated person or entity on a list, with what the matcher needs to score it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    """The source's own identifier (UN reference number, OFAC ent_num, UK Unique ID ...)."""
    kind: Kind
    """Person or entity."""
    names: tuple[ListName, ...]
    """Every name variant the list gives; the first is the primary name."""
    dates_of_birth: tuple[str, ...] = ()
    """Partial ISO dates: "1965", "1965-03" or "1965-03-07"; a range is "1960/1965"."""
    nationalities: tuple[str, ...] = ()
    """ISO 3166 alpha-2 codes (upper case) where the source's country could be recognised."""
    gender: str | None = None
    """"male" or "female" when the source says so."""
    programmes: tuple[str, ...] = ()
    """Sanctions regimes or programmes, or for PEPs the positions held."""
    details: tuple[tuple[str, str], ...] = ()
    """Further source fields worth showing a reviewer, as (label, value) pairs."""


class Snapshot(BaseModel):
    """One import of one list file: immutable, identified by its content hash."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str
    """The import format and so the list family: un-xml, ofac-csv, uksl-csv, pep-csv, ftm-json."""
    published: dt.date | None
    """The publication date the file itself states, if it states one."""
    sha256: str
    """SHA-256 of the file's bytes (of the files' hashes in order, for multi-file formats)."""
    files: tuple[str, ...]
    """Names of the files read, for the record."""
    entries: Sequence[ListEntry]
    """Every entry of the list: a tuple when imported, decoded one by one when read back from the
    list store (compact.StoredEntries)."""

    @property
    def id(self) -> str:
        """A short, stable identifier: source and the start of the content hash."""
        return f"{self.source}:{self.sha256[:12]}"

    @property
    def counts(self) -> dict[str, int]:
        """Entries and names by kind."""
        counts = {"person": 0, "entity": 0, "names": 0}
        for entry in self.entries:
            counts[entry.kind.value] += 1
            counts["names"] += len(entry.names)
        return counts


class Query(BaseModel):
    """What a firm knows about the person or entity being screened."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    """The full name as the firm holds it (any script, any order)."""
    kind: Kind | None = None
    """Person or entity; None compares against both."""
    date_of_birth: str | None = None
    """Partial ISO date ("1965", "1965-03-07") or None."""
    nationality: str | None = None
    """ISO alpha-2 code or a country name."""
    gender: str | None = None
    """"male" / "female"; anything else is ignored."""


class TokenAlignment(BaseModel):
    """One aligned pair of name parts and how they were judged equal."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    query: str
    """The query's name part(s), normalised."""
    candidate: str
    """The list name's part(s), normalised."""
    method: str
    """exact, equivalence-key, consonant-key, fuzzy, initial or joined."""
    score: float
    """Similarity of the two parts, 0 to 1."""
    weight: float
    """How much the pair counts in the name score (rarity and role)."""


class Qualifier(BaseModel):
    """A non-name comparison and what it did to the score."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    feature: str
    """dob_year, dob_day, nationality or gender."""
    query: str
    """The query's value."""
    candidate: str
    """The list entry's value(s)."""
    effect: float
    """Added to the name score (zero or negative)."""
    detail: str
    """match, mismatch, day/month swapped ..."""


class Explanation(BaseModel):
    """Why a list entry was (or was not) raised, in enough detail to dismiss or escalate it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    entry_id: str
    """The list entry's identifier."""
    matched_name: str
    """The list's name variant that scored best, as the list writes it."""
    matched_name_type: str
    """Its type (primary, alias ...)."""
    query_variant: str
    """The query's form that was compared (after romanisation and reordering)."""
    alignment: tuple[TokenAlignment, ...]
    """Token-by-token alignment."""
    unmatched_query: tuple[str, ...]
    """Query name parts with no partner."""
    unmatched_candidate: tuple[str, ...]
    """List name parts with no partner."""
    legal_forms: str = ""
    """How company legal forms compared, when either side had one."""
    name_score: float
    """The name score before qualifiers."""
    qualifiers: tuple[Qualifier, ...]
    """Date of birth, nationality and gender comparisons."""
    final_score: float
    """Name score plus qualifier effects, clipped to 0..1."""
    band: Band
    """The resulting band."""
    review_threshold: float
    """The score from which a hit is raised for review."""
    strong_threshold: float
    """The score from which a hit is a strong match."""
    snapshot_id: str
    """The list snapshot scored against ("" for a bare name comparison)."""
    algorithm_version: str
    """The normaliser and scorer version, so a result can be reproduced."""


class Hit(BaseModel):
    """One list entry raised by a screening, with its explanation."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    entry: ListEntry
    """The list entry."""
    source: str
    """The list it came from."""
    score: float
    """Final score, 0 to 1."""
    band: Band
    """What the score asks a person to do."""
    explanation: Explanation
    """Why."""


class ScreeningResult(BaseModel):
    """All hits for one query against one set of snapshots."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    query: Query
    """What was screened."""
    snapshot_ids: tuple[str, ...]
    """The snapshots used."""
    algorithm_version: str
    """The normaliser and scorer version."""
    hits: tuple[Hit, ...] = Field(default=())
    """Hits at or above the reporting cutoff, best first."""

    @property
    def band(self) -> Band:
        """The most severe band among the hits."""
        return self.hits[0].band if self.hits else Band.NO_ALERT
