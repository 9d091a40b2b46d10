"""Screening use cases: import list snapshots, screen parties, re-screen open matters, record
dispositions, and say how old the lists are.

Every write goes through the case-file store's transactions, so imports, screenings and
dispositions are audit-chained records like the rest of the case file. The original list files
and the parsed entries (compact form) live in a content-addressed blob store; the index over the
newest snapshot of each source is built in memory when first needed and kept while the snapshots
stay the same. Talks only to ports; never imports SQLAlchemy or an adapter.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from pydantic import ValidationError

from duediligence.domain.answers import meaningful_text
from duediligence.domain.case import (
    Actor,
    CaseStatus,
    InvalidInput,
    NotAllowed,
    NotFound,
    Party,
    PartyKind,
    Person,
    acting_person,
    canonical_hash,
    plain_text,
)
from duediligence.domain.controls import (
    SUPERVISING,
    hit_decider_refusal,
    list_entries,
    list_shrink,
    must_be_bound,
    stated_reason,
)
from duediligence.domain.errors import DueDiligenceError
from duediligence.domain.paths import path_problem
from duediligence.domain.screening_records import (
    HitDisposition,
    ListKind,
    ListSnapshotRecord,
    Outcome,
    ReasonCode,
    Screening,
    ScreeningHit,
    ScreeningStatus,
    disposition_for,
    hit_status,
    latest_screenings,
    reason_contradictions,
)
from duediligence.domain.vocabulary import Role
from duediligence.screening.compact import (
    CompactFormatError,
    entry_ids,
    read_entries_lazily,
    write_entries,
)
from duediligence.screening.importers import ListFormatError, import_list
from duediligence.screening.importers.common import DEFAULT_MAX_BYTES
from duediligence.screening.index import IndexFormatError, ScreeningIndex, index_fingerprint
from duediligence.screening.model import (
    Band,
    Hit,
    Kind,
    ListEntry,
    Query,
    Snapshot,
)
from duediligence.screening.normalise import ALGORITHM_VERSION
from duediligence.services.ports import BlobStore, CaseRecords, CaseStore, Clock, Session

Progress = Callable[[int, int, str], None]
"""Called after each case during a re-screen: (cases done, cases in total, case reference)."""

HITS_PER_NAME = 10
"""Hits kept per screened name (best first)."""

MIN_NOTE = 15
"""The shortest note a hit decision takes: enough to say what was compared ("passport DOB
1980-02-01"), not "ok" or "n/a"."""


@dataclass(frozen=True)
class SnapshotStatus:
    """A stored snapshot with its age."""

    record: ListSnapshotRecord
    """The snapshot."""
    age_days: int
    """Days since publication (since import when the file states no date)."""
    stale: bool
    """Older than the firm's `list_max_age_days`."""
    current: bool
    """The newest snapshot of its source: the one screening uses."""


@dataclass(frozen=True)
class ImportResult:
    """What `import_list` did."""

    snapshot: ListSnapshotRecord
    """The stored snapshot."""
    new: bool
    """False when the same file had been imported already (nothing written)."""


@dataclass(frozen=True)
class HitView:
    """One hit of a party's latest screening, with what has been decided about it."""

    reference: str
    """The case."""
    party: Party
    """The party screened."""
    screening: Screening
    """The screening it belongs to."""
    hit: ScreeningHit
    """The hit."""
    status: ScreeningStatus
    """possible_match (open), true_match, or clear (false positive or below review)."""
    disposition: HitDisposition | None
    """The decision that applies, if any."""


@dataclass(frozen=True)
class RescreenResult:
    """What a re-screen of the open matters did."""

    cases: int
    """Cases re-screened."""
    parties: int
    """Parties screened."""
    open_hits: int
    """Hits now open for review (new, or their list entry changed since a false positive)."""
    new_hits: tuple[NewHit, ...] = ()
    """The open hits the party's previous screening did not show as they are now (a new entry,
    a changed entry, or a score risen by SCORE_RISE_NEW): what a reviewer has not seen yet."""


SCORE_RISE_NEW = 0.05
"""A hit whose score rose by this much since the previous screening is shown as changed."""


@dataclass(frozen=True)
class NewHit:
    """One open hit a re-screen found new or changed, for the reviewer's list."""

    reference: str
    """The case."""
    party: str
    """The party's name."""
    key: str
    """The list entry ("<source>:<entry id>")."""
    name: str
    """The entry's primary name."""
    score: float
    """The hit's score now."""
    why: str
    """"new", "entry changed" or "score rose from X"."""


def new_or_changed(hit: ScreeningHit, previous: Screening | None) -> str | None:
    """Why a hit is news against the party's previous screening, or None when it was shown so."""
    earlier = next((h for h in previous.hits if h.key == hit.key), None) if previous else None
    if earlier is None:
        return "new"
    if earlier.entry_sha256 != hit.entry_sha256:
        return "entry changed"
    if hit.score >= earlier.score + SCORE_RISE_NEW:
        return f"score rose from {earlier.score:.2f}"
    return None


def list_kind_of(source: str, entry: ListEntry) -> ListKind:
    """Which fact a list entry feeds: PEP lists and FollowTheMoney `role.*` topics are PEP."""
    if source == "pep-csv":
        return ListKind.PEP
    if source == "ftm-json" and any(p.startswith("role.") for p in entry.programmes):
        return ListKind.PEP
    return ListKind.SANCTIONS


def _snapshot_kind(snapshot: Snapshot) -> ListKind:
    if snapshot.source == "pep-csv":
        return ListKind.PEP
    if snapshot.source == "ftm-json" and snapshot.entries:
        kinds = {list_kind_of(snapshot.source, e) for e in snapshot.entries}
        if kinds == {ListKind.PEP}:
            return ListKind.PEP
    return ListKind.SANCTIONS


def _newest_key(record: ListSnapshotRecord) -> tuple[date, datetime]:
    return (record.published or record.imported_at.date(), record.imported_at)


def current_snapshots(records: Sequence[ListSnapshotRecord]) -> list[ListSnapshotRecord]:
    """The newest snapshot of each source (by publication date, then import time)."""
    newest: dict[str, ListSnapshotRecord] = {}
    for record in records:
        found = newest.get(record.source)
        if found is None or _newest_key(record) > _newest_key(found):
            newest[record.source] = record
    return sorted(newest.values(), key=lambda r: r.source)


def new_id() -> str:
    """A fresh record id."""
    return uuid.uuid4().hex


class ScreeningService:
    """Screening over the case-file store, a blob store for list files, and a clock.

    `after_change(tx, case_id)` is called in the transaction of every screening or disposition
    (the composition root points it at the case file's listing refresh).
    """

    def __init__(
        self,
        store: CaseStore,
        list_blobs: BlobStore,
        clock: Clock,
        max_age_days: int = 7,
        max_list_bytes: int = DEFAULT_MAX_BYTES,
        index_dir: Path | None = None,
        shrink_max_percent: int = 10,
        require_binding: bool = True,
    ) -> None:
        self.store = store
        self.index_dir = index_dir
        self.require_binding = require_binding
        """Supervising people must be bound to a computer account to import or decide."""
        self.shrink_max_percent = shrink_max_percent
        """A new snapshot this much smaller than the one in use needs a reason (settings)."""
        self.max_list_bytes = max_list_bytes
        self.blobs = list_blobs
        self.clock = clock
        self.max_age_days = max_age_days
        self.after_change: Callable[[Session, str], None] | None = None
        self._cache: tuple[tuple[str, ...], ScreeningIndex] | None = None
        self._keys: tuple[ScreeningIndex, frozenset[str]] | None = None

    # ------------------------------------------------------------------------------------------
    # Lists

    def import_list(
        self,
        actor: Actor,
        path: Path,
        list_format: str,
        *,
        confirm_shrink: str | None = None,
        published: date | None = None,
    ) -> ImportResult:
        """Import one list file as one snapshot: all of it, or (on any error) nothing.

        `published` states the list's publication date where the file does not (OFAC's legacy
        CSV) or states it wrongly; a date after today is refused.

        The MLRO or a senior manager only: the list in use decides every screening. A snapshot
        with no entries, or more than the firm's share fewer than the one in use of the same
        source, is refused unless `confirm_shrink` gives the reason (stored on the snapshot).
        """
        with self.store.transaction() as tx:
            me = _person(tx, actor)
            if not (me.holds(Role.MLRO) or me.holds(Role.SENIOR_MANAGER)):
                raise NotAllowed(
                    f"{me.id} cannot import a screening list: only the MLRO or a senior manager "
                    "may change the lists every matter is screened against; nothing was imported"
                )
            must_be_bound(me, "import a screening list", required=self.require_binding)
        problem = path_problem(path, folder_ok=list_format == "ofac-csv")
        if problem is not None:
            raise InvalidInput(f"cannot import: {problem}; nothing was imported")
        today = self.clock.now().date()
        if published is not None and published > today:
            raise InvalidInput(
                f"the publication date {published.isoformat()} is after today "
                f"({today.isoformat()}); nothing was imported"
            )
        try:
            snapshot = import_list(list_format, path, self.max_list_bytes)
        except ListFormatError as error:
            raise InvalidInput(f"cannot import {path}: {error}; nothing was imported") from None
        if published is not None:
            snapshot = snapshot.model_copy(update={"published": published})
        with self.store.transaction() as tx:
            existing_snapshots = tx.list_snapshots()
            for existing in existing_snapshots:
                if existing.source == snapshot.source and existing.sha256 == snapshot.sha256:
                    return ImportResult(existing, new=False)
        in_use = [r for r in current_snapshots(existing_snapshots) if r.source == snapshot.source]
        shrunk = list_shrink(
            snapshot.source,
            list_entries(in_use[0].counts) if in_use else None,
            list_entries(snapshot.counts),
            self.shrink_max_percent,
        )
        shrink_reason: str | None = None
        if shrunk is not None and confirm_shrink is None:
            raise NotAllowed(
                f"{shrunk}: a truncated or empty file would clear the hits on every entry it "
                "lost. Check the file; if the list really is this short, confirm with a reason "
                "(--confirm-shrink --reason TEXT). Nothing was imported"
            )
        if shrunk is not None:
            shrink_reason = stated_reason("accepting a much shorter list", confirm_shrink)
        folder = path if path.is_dir() else path.parent
        file_blobs = tuple(self.blobs.put(folder / name).sha256 for name in snapshot.files)
        entries_blob = self._put_entries(snapshot.entries)
        now = self.clock.now()
        try:
            record = ListSnapshotRecord(
                id=new_id(),
                source=snapshot.source,
                list_kind=_snapshot_kind(snapshot),
                published=snapshot.published,
                sha256=snapshot.sha256,
                files=snapshot.files,
                file_blobs=file_blobs,
                entries_blob=entries_blob,
                counts=snapshot.counts,
                imported_at=now,
                imported_by=actor.user,
                shrink_reason=shrink_reason,
            )
        except ValidationError as error:  # pragma: no cover - importers validate already
            raise InvalidInput(f"cannot import {path}: {error}") from None
        with self.store.transaction() as tx:
            me = _person(tx, actor)
            role = Role.MLRO if me.holds(Role.MLRO) else Role.SENIOR_MANAGER
            tx.add(
                record,
                actor=actor,
                role=role.value,
                action="list.import.shrink" if shrink_reason else "list.import",
            )
        self._cache = None
        return ImportResult(record, new=True)

    def snapshots(self) -> list[SnapshotStatus]:
        """Every stored snapshot, newest import first, with its age and staleness."""
        with self.store.transaction() as tx:
            records = tx.list_snapshots()
        return self.statuses(records)

    def statuses(self, records: Sequence[ListSnapshotRecord]) -> list[SnapshotStatus]:
        """Ages and staleness of the given snapshots (as `snapshots` reports them)."""
        today = self.clock.now().date()
        current = {r.id for r in current_snapshots(records)}
        return [
            SnapshotStatus(
                record=r,
                age_days=r.age_days(today),
                stale=r.age_days(today) > self.max_age_days,
                current=r.id in current,
            )
            for r in sorted(records, key=lambda r: r.imported_at, reverse=True)
        ]

    def list_warnings(self) -> list[str]:
        """What makes screening unreliable now: no list imported at all, or one line per list in
        use that is older than the firm allows."""
        statuses = self.snapshots()
        if not statuses:
            return [
                "no sanctions or PEP list has been imported, so no party can be screened; "
                "import the UK Sanctions List (and a PEP list) first"
            ]
        return [
            f"the {s.record.source} list is {s.age_days} days old (older than "
            f"{self.max_age_days} days); import a newer one"
            for s in statuses
            if s.current and s.stale
        ]

    def index(self) -> tuple[ScreeningIndex, list[ListSnapshotRecord]]:
        """The screening index over the newest snapshot of each source (built once, cached)."""
        with self.store.transaction() as tx:
            records = current_snapshots(tx.list_snapshots())
        return self._index(records), records

    def _index(self, records: Sequence[ListSnapshotRecord]) -> ScreeningIndex:
        key = tuple(r.id for r in records)
        if self._cache is not None and self._cache[0] == key:
            return self._cache[1]
        index = self._built_index([self._load(r) for r in records])
        self._cache = (key, index)
        return index

    def _built_index(self, snapshots: Sequence[Snapshot]) -> ScreeningIndex:
        """The index read from its persisted copy when one was built from these snapshots by
        this algorithm version (checked by fingerprint and hash), else built and persisted."""
        if self.index_dir is None:
            return ScreeningIndex(snapshots)
        path = self.index_dir / f"{index_fingerprint(snapshots)}.index"
        try:
            return ScreeningIndex.from_bytes(snapshots, path.read_bytes())
        except (OSError, IndexFormatError):
            pass  # none yet, unreadable or altered: build it again below
        index = ScreeningIndex(snapshots)
        try:
            self.index_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, name = tempfile.mkstemp(prefix=".index-", dir=self.index_dir)
            with os.fdopen(fd, "wb") as handle:
                handle.write(index.to_bytes())
            os.replace(name, path)
            for old in self.index_dir.glob("*.index"):
                if old != path:
                    old.unlink(missing_ok=True)  # built from snapshots no longer current
        except OSError:
            pass  # a copy that cannot be written only costs the next process the build
        return index

    def _load(self, record: ListSnapshotRecord) -> Snapshot:
        path = self.blobs.path_of(record.entries_blob)
        try:
            with path.open("rb") as handle:
                # Decoded entry by entry when a hit needs one (a cold screen needs few).
                entries, sha256 = read_entries_lazily(handle)
        except OSError as error:
            raise DueDiligenceError(
                f"the stored {record.source} list ({record.label}) cannot be read "
                f"({error.strerror}); import it again"
            ) from None
        except CompactFormatError as error:
            raise DueDiligenceError(
                f"the stored {record.source} list ({record.label}): {error}; import it again"
            ) from None
        if sha256 != record.entries_blob:
            raise DueDiligenceError(
                f"the stored {record.source} list ({record.label}) has been altered; import it "
                "again"
            )
        return Snapshot.model_construct(
            source=record.source,
            published=record.published,
            sha256=record.sha256,
            files=record.files,
            entries=entries,
        )

    def _put_entries(self, entries: Sequence[ListEntry]) -> str:
        fd, name = tempfile.mkstemp(prefix="duediligence-entries-")
        try:
            with os.fdopen(fd, "wb") as handle:
                write_entries(handle, entries)
            return self.blobs.put(Path(name)).sha256
        finally:
            Path(name).unlink(missing_ok=True)

    # ------------------------------------------------------------------------------------------
    # Screening parties

    def prepare(self) -> None:
        """Build the index now, outside any write transaction (`CaseFile.add_party` calls this
        before it takes the write lock)."""
        self.index()

    def screen_new_party(self, tx: Session, actor: Actor, role: str, party: Party) -> None:
        """Screen a party as it is added, in the adding transaction (nothing without lists)."""
        records = current_snapshots(tx.list_snapshots())
        if not records:
            return
        index = self._index(records)
        screening = self._screen(index, records, party, (), actor, "party added")
        tx.add(screening, actor=actor, role=role, action="screening.run")

    def screen_case(self, actor: Actor, reference: str) -> list[Screening]:
        """Screen every party of a case now, against the newest lists."""
        index, records = self.index()
        if not records:
            raise NotFound("no list has been imported; run `duediligence lists import` first")
        with self.store.transaction() as tx:
            me = _person(tx, actor)
            case_records = _case(tx, reference)
            if case_records.case.status is CaseStatus.PURGED:
                raise NotAllowed(f"case {reference} has been purged; there is nothing to screen")
            done = self._screen_records(tx, index, records, case_records, actor, me, "on request")
        return done

    def rescreen_pending(self) -> list[str]:
        """References of the open cases with a party not screened against the current lists
        (the newest snapshot of each source): a list import was killed before its re-screen
        finished, or ran with --no-rescreen. Worked out from the screenings themselves, so it
        is never out of step with them; empty while no list has been imported."""
        with self.store.transaction() as tx:
            current = {r.id for r in current_snapshots(tx.list_snapshots())}
            rows = tx.open_party_screenings() if current else []
        return sorted({ref for ref, ids in rows if ids is None or not current <= set(ids)})

    def rescreen_open_cases(
        self,
        actor: Actor,
        progress: Progress | None = None,
        reason: str | None = None,
        *,
        pending_only: bool = False,
    ) -> RescreenResult:
        """Re-screen every party of every open case (or, `pending_only`, of the cases
        `rescreen_pending` names: the resumption of an interrupted re-screen) against the
        newest lists, one transaction per case, reporting progress after each case."""
        reason = reason or ("new list snapshot (resumed)" if pending_only else "new list snapshot")
        index, records = self.index()
        pending = set(self.rescreen_pending()) if pending_only else None
        with self.store.transaction() as tx:
            _person(tx, actor)
            cases = [
                c
                for c in tx.cases()
                if c.status is CaseStatus.OPEN and (pending is None or c.reference in pending)
            ]
        parties = open_hits = 0
        news: list[NewHit] = []
        for number, case in enumerate(cases, start=1):
            if records:
                with self.store.transaction() as tx:
                    me = _person(tx, actor)
                    found = tx.case_by_reference(case.reference)
                    if found is not None and found.status is CaseStatus.OPEN:
                        case_records = tx.case_records(found.id)
                        before = latest_screenings(case_records.screenings)
                        done = self._screen_records(
                            tx, index, records, case_records, actor, me, reason
                        )
                        parties += len(done)
                        names = {p.id: p.name for p in case_records.parties}
                        for screening in done:
                            for hit in screening.hits:
                                status = hit_status(
                                    screening.party_id, hit, case_records.dispositions
                                )
                                if status is not ScreeningStatus.POSSIBLE_MATCH:
                                    continue
                                open_hits += 1
                                why = new_or_changed(hit, before.get(screening.party_id))
                                if why is not None:
                                    news.append(
                                        NewHit(
                                            case.reference,
                                            names.get(screening.party_id, ""),
                                            hit.key,
                                            hit.primary_name,
                                            hit.score,
                                            why,
                                        )
                                    )
            if progress is not None:
                progress(number, len(cases), case.reference)
        return RescreenResult(
            cases=len(cases), parties=parties, open_hits=open_hits, new_hits=tuple(news)
        )

    def _screen_records(
        self,
        tx: Session,
        index: ScreeningIndex,
        records: Sequence[ListSnapshotRecord],
        case_records: CaseRecords,
        actor: Actor,
        me: Person,
        reason: str,
    ) -> list[Screening]:
        done = []
        latest = latest_screenings(case_records.screenings)
        for party in case_records.parties:
            screening = self._screen(
                index,
                records,
                party,
                case_records.dispositions,
                actor,
                reason,
                latest.get(party.id),
            )
            tx.add(screening, actor=actor, role=me.roles[0].value, action="screening.run")
            done.append(screening)
        if done and self.after_change is not None:
            self.after_change(tx, case_records.case.id)
        return done

    def _screen(
        self,
        index: ScreeningIndex,
        records: Sequence[ListSnapshotRecord],
        party: Party,
        dispositions: Sequence[HitDisposition],
        actor: Actor,
        reason: str,
        previous: Screening | None = None,
    ) -> Screening:
        by_label = {r.label: r for r in records}
        kind = Kind.ENTITY if party.kind is PartyKind.ENTITY else Kind.PERSON
        nationality = party.nationalities[0] if len(party.nationalities) == 1 else None
        dob = party.date_of_birth.isoformat() if party.date_of_birth else None
        best: dict[str, Hit] = {}
        for name in (party.name, *party.other_names):
            query = Query(name=name, kind=kind, date_of_birth=dob, nationality=nationality)
            for hit in index.screen(query, limit=HITS_PER_NAME).hits:
                key = f"{hit.source}:{hit.entry.id}"
                if key not in best or hit.score > best[key].score:
                    best[key] = hit
        hits = []
        for key, hit in sorted(best.items(), key=lambda item: (-item[1].score, item[0])):
            snapshot = by_label[hit.explanation.snapshot_id]
            stored = ScreeningHit(
                id=new_id(),
                key=key,
                entry_sha256=canonical_hash(hit.entry.model_dump()),
                list_kind=list_kind_of(hit.source, hit.entry),
                snapshot_id=snapshot.id,
                score=round(hit.score, 4),
                band=hit.band.value,
                primary_name=hit.entry.names[0].text if hit.entry.names else hit.entry.id,
                matched_name=hit.explanation.matched_name,
                explanation=hit.explanation.model_dump_json(),
            )
            earlier = disposition_for(party.id, stored, dispositions)
            if earlier is not None and earlier.outcome is Outcome.FALSE_POSITIVE:
                stored = stored.model_copy(update={"suppressed_by": earlier.id})
            hits.append(stored)
        hits = hits[: HITS_PER_NAME * 2]
        hits.extend(self._no_longer_listed(index, records, party, dispositions, previous, best))
        query_record = {"name": party.name, "kind": kind.value}
        if party.other_names:
            query_record["other_names"] = " | ".join(party.other_names)
        if dob:
            query_record["date_of_birth"] = dob
        if nationality:
            query_record["nationality"] = nationality
        return Screening(
            id=new_id(),
            case_id=party.case_id,
            party_id=party.id,
            query=query_record,
            snapshot_ids=tuple(r.id for r in records),
            list_kinds=tuple(sorted({r.list_kind for r in records})),
            algorithm_version=ALGORITHM_VERSION,
            hits=tuple(hits),
            reason=reason,
            screened_at=self.clock.now(),
            screened_by=actor.user,
        )

    def _no_longer_listed(
        self,
        index: ScreeningIndex,
        records: Sequence[ListSnapshotRecord],
        party: Party,
        dispositions: Sequence[HitDisposition],
        previous: Screening | None,
        found: Mapping[str, object],
    ) -> list[ScreeningHit]:
        """The party's open or true-match hits whose list entry the lists now used no longer
        hold, carried forward: a shorter (or truncated) list never clears a hit by itself; the
        re-screen says so on the hit and a person decides it."""
        if previous is None:
            return []
        current = {r.source: r for r in records}
        carried = []
        for hit in previous.hits:
            if hit.key in found:
                continue
            status = hit_status(party.id, hit, dispositions)
            if status not in (ScreeningStatus.POSSIBLE_MATCH, ScreeningStatus.TRUE_MATCH):
                continue
            source = hit.key.partition(":")[0]
            snapshot = current.get(source)
            if snapshot is None or hit.key in self._listed(index):
                continue  # still listed, only no longer matched: the matcher's call stands
            carried.append(
                hit.model_copy(
                    update={
                        "id": new_id(),
                        "no_longer_listed": hit.no_longer_listed or snapshot.label,
                    }
                )
            )
        return carried

    def _listed(self, index: ScreeningIndex) -> frozenset[str]:
        # Every entry key of the lists in use, worked out once per index.
        if self._keys is None or self._keys[0] is not index:
            keys = frozenset(
                f"{s.source}:{entry_id}"
                for s in index.snapshots
                for entry_id in entry_ids(s.entries)
            )
            self._keys = (index, keys)
        return self._keys[1]

    # ------------------------------------------------------------------------------------------
    # Hits and dispositions

    def hits(self, reference: str) -> list[HitView]:
        """Every hit of each party's latest screening, best first per party."""
        with self.store.transaction() as tx:
            records = _case(tx, reference)
        return _views(records)

    def dispose(
        self,
        actor: Actor,
        reference: str,
        hit_id: str,
        outcome: Outcome,
        reason: ReasonCode,
        note: str,
    ) -> HitDisposition:
        """Record a person's decision on one hit of a party's latest screening."""
        if reason.outcome is not outcome:
            codes = ", ".join(c.value for c in ReasonCode if c.outcome is outcome)
            raise InvalidInput(f"reason {reason.value} does not fit a {outcome.value}; use {codes}")
        note = plain_text("the hit decision note", note, lines=True)
        if len(meaningful_text(note)) < MIN_NOTE:
            raise InvalidInput(
                f"the note is too short ({len(meaningful_text(note))} characters): say in at "
                f"least {MIN_NOTE} characters what was compared and seen (--note)"
            )
        needle = hit_id.strip().lower()
        if len(needle) < 6:
            raise InvalidInput("give at least the first 6 characters of the hit id")
        with self.store.transaction() as tx:
            me = _person(tx, actor)
            records = _case(tx, reference)
            found = [v for v in _views(records) if v.hit.id.startswith(needle)]
            if not found:
                raise NotFound(
                    f"no hit {hit_id} in the latest screening of {reference} (see `screening hits`)"
                )
            if len(found) > 1:
                raise InvalidInput(f"hit id {hit_id} is ambiguous; give more characters")
            view = found[0]
            # A sanctions hit is the MLRO's to decide, a PEP hit the MLRO's or a senior
            # manager's (domain.controls.HIT_DECIDERS).
            refusal = hit_decider_refusal(view.hit.list_kind, me)
            if refusal is not None:
                raise NotAllowed(refusal)
            role = next((r for r in (Role.MLRO, Role.SENIOR_MANAGER) if r in me.roles), me.roles[0])
            if SUPERVISING.intersection(me.roles):
                must_be_bound(me, "decide a screening hit", required=self.require_binding)
            contradicted = reason_contradictions(view.party, view.hit, reason)
            if outcome is Outcome.FALSE_POSITIVE and contradicted:
                raise InvalidInput(
                    f"'{reason.label}' is not what the record shows: {'; '.join(contradicted)}. "
                    "Nothing was recorded"
                )
            try:
                disposition = HitDisposition(
                    id=new_id(),
                    case_id=records.case.id,
                    party_id=view.party.id,
                    screening_id=view.screening.id,
                    hit_id=view.hit.id,
                    key=view.hit.key,
                    entry_sha256=view.hit.entry_sha256,
                    outcome=outcome,
                    reason=reason,
                    note=note,
                    decided_at=self.clock.now(),
                    decided_by=actor.user,
                )
            except ValidationError as error:
                raise InvalidInput(error.errors()[0]["msg"]) from None
            tx.add(disposition, actor=actor, role=role.value, action="screening.dispose")
            if self.after_change is not None:
                self.after_change(tx, records.case.id)
        return disposition


def reason_conflicts(hit: ScreeningHit, outcome: Outcome, reason: ReasonCode) -> list[str]:
    """What speaks against clearing a hit although the recorded data does not contradict the
    reason (empty if nothing does, or for a true match): a strong match. A decider must confirm
    before clearing it anyway. What the data contradicts is refused outright
    (`reason_contradictions`)."""
    if outcome is not Outcome.FALSE_POSITIVE:
        return []
    if hit.band == Band.STRONG.value:
        return [f"this is a strong match (score {hit.score:.2f})"]
    return []


def _views(records: CaseRecords) -> list[HitView]:
    parties = {p.id: p for p in records.parties}
    views = []
    latest = latest_screenings(records.screenings)
    for party in records.parties:
        screening = latest.get(party.id)
        if screening is None:
            continue
        for hit in screening.hits:
            views.append(
                HitView(
                    reference=records.case.reference,
                    party=parties[party.id],
                    screening=screening,
                    hit=hit,
                    status=hit_status(party.id, hit, records.dispositions),
                    disposition=disposition_for(party.id, hit, records.dispositions),
                )
            )
    return views


def _person(tx: Session, actor: Actor) -> Person:
    if tx.firm() is None:
        raise NotFound("the case file is not initialised; run `duediligence init` first")
    return acting_person(tx.person(actor.user), actor)


def _case(tx: Session, reference: str) -> CaseRecords:
    case = tx.case_by_reference(reference)
    if case is None:
        raise NotFound(f"no case '{reference}'")
    return tx.case_records(case.id)
