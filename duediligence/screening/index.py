"""An in-memory screening index over one or more list snapshots, and the screening itself.

Candidate generation blocks on transliteration-equivalence keys: postings map each key to the
list names containing it; a query part also reaches keys one or two deletions away (SymSpell
style, so typos are found), keys with the same consonant skeleton, and keys of two query parts
written together or one part split in two. Candidates are ranked by the rarity-weighted share of
the query they cover; only the best few are aligned and scored in full. Built from snapshots in
memory; persisting it is the storage layer's business.
"""

from __future__ import annotations

import base64
import bisect
import gc
import hashlib
import itertools
import json
import zlib
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from anyascii import anyascii

from duediligence.screening.model import Hit, Kind, Query, ScreeningResult, Snapshot
from duediligence.screening.normalise import (
    ALGORITHM_VERSION,
    PARTICLES,
    NameForm,
    consonant_key,
    equivalence_key,
    name_forms,
)
from duediligence.screening.scoring import (
    REPORT_CUTOFF,
    Pairing,
    align,
    edit_budget,
    explain,
    qualifiers,
    rarity_from_frequency,
)
from duediligence.screening.scripts import (
    ABJAD,
    HANGUL,
    KOREAN_SURNAMES,
    LATIN,
    abjad_skeletons,
    latin_skeletons,
)

INDEX_FORMAT = "duediligence-index/2"
"""First line of a persisted index (changes when the layout does). 2: rows as JSON lines apart
from the rest, so a read-back index keeps them as one bytes object."""

CANDIDATES_SCORED = 60
"""How many blocked candidates are aligned in full per query form."""
MIN_COVERAGE = 0.3
"""A candidate must share at least this rarity-weighted share of the query's parts."""
LARGE_POSTINGS = 20_000
"""A part this common is only used for blocking when the query has nothing rarer."""


def _deletes(key: str, depth: int) -> set[str]:
    found = {key}
    frontier = {key}
    for _ in range(depth):
        frontier = {word[:i] + word[i + 1 :] for word in frontier for i in range(len(word))}
        found |= frontier
    found.discard(key)
    return found


def _abjad_keys(tokens: Sequence[str]) -> set[str]:
    """Posting keys of an Arabic-script or Hebrew name's consonant skeletons ("~mhmd")."""
    return {
        f"~{skeleton}"
        for token in tokens
        for skeleton in abjad_skeletons(token)
        if len(skeleton) >= 2
    }


def _delete_depth(key: str) -> int:
    return min(edit_budget(len(key)), 2)


@dataclass(frozen=True, slots=True)
class _Row:
    """One normalised form of one list name (kept small: there may be millions)."""

    entry: int
    name: int
    form: NameForm


ROWS_DECODED_KEPT = 30_000
"""Decoded rows kept for the next query (bounded: a million-name list must not grow back)."""


class _RowTable:
    """Every indexed name form as JSON lines in one bytes object, with their start offsets.

    A million rows are two objects rather than millions of small ones (the 1M-name PEP list
    needed about 1.3 KB a row as objects); a row is decoded when a query reaches it as a
    candidate, a few hundred per query.
    """

    def __init__(self, lines: bytes, starts: npt.NDArray[np.int64]) -> None:
        self.lines = lines
        self._starts = starts
        self._decoded: dict[int, _Row] = {}

    @classmethod
    def from_lines(cls, lines: list[bytes]) -> _RowTable:
        lengths = np.fromiter((len(line) + 1 for line in lines), dtype=np.int64, count=len(lines))
        starts = np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(lengths)])
        return cls(b"".join(line + b"\n" for line in lines), starts)

    @classmethod
    def from_bytes(cls, lines: bytes) -> _RowTable:
        ends = np.flatnonzero(np.frombuffer(lines, dtype=np.uint8) == ord("\n")) + 1
        return cls(lines, np.concatenate([np.zeros(1, dtype=np.int64), ends.astype(np.int64)]))

    @staticmethod
    def encode(entry: int, name: int, form: NameForm) -> bytes:
        return _ROW_ENCODER(
            [
                entry,
                name,
                form.text,
                form.tokens,
                form.legal_forms,
                form.removed,
                form.compact,
                form.script,
                form.origin,
                form.variant,
                form.entity,
            ]
        ).encode()

    def __len__(self) -> int:
        return len(self._starts) - 1

    def __getitem__(self, number: int) -> _Row:
        row = self._decoded.get(number)
        if row is None:
            start, end = int(self._starts[number]), int(self._starts[number + 1])
            entry, name, text, tokens, legal, removed, compact, script, origin, variant, entity = (
                json.loads(self.lines[start:end])
            )
            row = _Row(
                entry,
                name,
                NameForm(
                    text,
                    tuple(tokens),
                    tuple(legal),
                    tuple(removed),
                    compact,
                    script,
                    origin,
                    variant,
                    entity,
                ),
            )
            if len(self._decoded) < ROWS_DECODED_KEPT:
                self._decoded[number] = row
        return row


_ROW_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class _KeyMultimap:
    """Name -> vocabulary keys, kept flat (sorted names, offsets, key numbers) so that it is
    small in memory and persists and loads in one read: lookups bisect the sorted names, so
    loading builds no dictionary of hundreds of thousands of entries."""

    def __init__(
        self,
        names: list[str],
        offsets: npt.NDArray[np.int64],
        targets: npt.NDArray[np.int32],
        vocabulary: list[str],
    ) -> None:
        self._names = names
        self._offsets = offsets
        self._targets = targets
        self._vocabulary = vocabulary

    @classmethod
    def build(cls, mapping: dict[str, list[int]], vocabulary: list[str]) -> _KeyMultimap:
        names = sorted(mapping)
        lengths = np.array([len(mapping[name]) for name in names], dtype=np.int64)
        offsets = np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(lengths)])
        targets = np.fromiter(
            (number for name in names for number in mapping[name]),
            dtype=np.int32,
            count=int(offsets[-1]),
        )
        return cls(names, offsets, targets, vocabulary)

    def get(self, name: str) -> list[str]:
        """The vocabulary keys under a name (none when it is not there)."""
        slot = bisect.bisect_left(self._names, name)
        if slot == len(self._names) or self._names[slot] != name:
            return []
        numbers = self._targets[self._offsets[slot] : self._offsets[slot + 1]].tolist()
        return [self._vocabulary[number] for number in numbers]

    def to_json(self) -> dict[str, str]:
        return {
            "names": "\n".join(self._names),
            "offsets": base64.b64encode(self._offsets.tobytes()).decode(),
            "targets": base64.b64encode(self._targets.tobytes()).decode(),
        }

    @classmethod
    def from_json(cls, data: dict[str, str], vocabulary: list[str]) -> _KeyMultimap:
        names = data["names"].split("\n") if data["names"] else []
        offsets = np.frombuffer(base64.b64decode(data["offsets"]), dtype=np.int64)
        targets = np.frombuffer(base64.b64decode(data["targets"]), dtype=np.int32)
        if len(offsets) != len(names) + 1:
            raise IndexFormatError("neighbour table does not add up")
        return cls(names, offsets, targets, vocabulary)


class IndexFormatError(ValueError):
    """Bytes that are not a persisted index of these snapshots under this algorithm version."""


def _entry_starts(snapshots: Sequence[Snapshot]) -> list[int]:
    """The number of each snapshot's first entry in the index, and the total at the end."""
    starts = [0]
    for snapshot in snapshots:
        starts.append(starts[-1] + len(snapshot.entries))
    return starts


def index_fingerprint(snapshots: Sequence[Snapshot]) -> str:
    """What a persisted index was built from: layout, algorithm version and each snapshot."""
    digest = hashlib.sha256(f"{INDEX_FORMAT}\n{ALGORITHM_VERSION}\n".encode())
    for snapshot in snapshots:
        digest.update(f"{snapshot.source} {snapshot.sha256} {len(snapshot.entries)}\n".encode())
    return digest.hexdigest()


class ScreeningIndex:
    """Screens queries against every entry of the snapshots it was built from."""

    def __init__(self, snapshots: Sequence[Snapshot]) -> None:
        self.snapshots = tuple(snapshots)
        self._entry_starts = _entry_starts(self.snapshots)
        collecting = gc.isenabled()
        gc.disable()  # as in from_bytes: many small objects, no cycles
        try:
            self._build()
        finally:
            if collecting:
                gc.enable()

    def _build(self) -> None:
        is_entity: list[bool] = []
        rows: list[bytes] = []
        postings: dict[str, array[int]] = {}
        # Latin vocabulary by consonant skeleton, so that a name in Arabic script finds it.
        by_skeleton: dict[str, set[str]] = {}
        for snapshot_number, snapshot in enumerate(self.snapshots):
            for local_number, entry in enumerate(snapshot.entries):
                entry_number = self._entry_starts[snapshot_number] + local_number
                entity = entry.kind is Kind.ENTITY
                seen_forms: set[tuple[str, ...]] = set()
                for name_number, name in enumerate(entry.names):
                    for form in name_forms(name.text, entity):
                        if form.tokens in seen_forms:
                            continue
                        seen_forms.add(form.tokens)
                        row_number = len(rows)
                        rows.append(_RowTable.encode(entry_number, name_number, form))
                        is_entity.append(entity)
                        keys = {equivalence_key(token) for token in form.tokens}
                        if entity and len(form.tokens) > 1:
                            keys.add(equivalence_key(form.compact))
                        if form.script == ABJAD:
                            keys.update(_abjad_keys(form.tokens))
                        elif form.script == LATIN and not entity:
                            for token in form.tokens:
                                for skeleton in latin_skeletons(token):
                                    if len(skeleton) >= 2:
                                        by_skeleton.setdefault(skeleton, set()).add(
                                            equivalence_key(token)
                                        )
                        for key in keys:
                            bucket = postings.get(key)
                            if bucket is None:
                                bucket = postings[key] = array("i")
                            bucket.append(row_number)
        self._rows = _RowTable.from_lines(rows)
        del rows
        self._is_entity = np.array(is_entity, dtype=bool)
        self._postings: dict[str, npt.NDArray[np.int32]] = {
            key: np.frombuffer(bucket, dtype=np.int32) for key, bucket in postings.items()
        }
        self._by_skeleton = {skeleton: tuple(keys) for skeleton, keys in by_skeleton.items()}
        self._rarity_cache: dict[str, float] = {}
        self._build_neighbours()

    def _build_neighbours(self) -> None:
        # Typo and transliteration neighbours, at the level of the (much smaller) vocabulary.
        deleted: dict[str, list[int]] = {}
        skeletons: dict[str, list[int]] = {}
        for number, key in enumerate(self._postings):
            # One deletion on the list side; the query side goes deeper (see _neighbours).
            for variant in _deletes(key, min(1, _delete_depth(key))):
                deleted.setdefault(variant, []).append(number)
            skeleton = consonant_key(key)
            if skeleton and len(key) >= 5:
                skeletons.setdefault(skeleton, []).append(number)
        vocabulary = list(self._postings)
        self._deleted = _KeyMultimap.build(deleted, vocabulary)
        self._skeletons = _KeyMultimap.build(skeletons, vocabulary)

    # --- persistence ---------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        """The built index as bytes (`from_bytes` reads them back with the same snapshots).

        A header line (layout, algorithm version, fingerprint of the snapshots, SHA-256 of the
        rest), then the tables as zlib-compressed JSON (the postings are one int32 array), then
        the rows' JSON lines, zlib-compressed. No pickle: a stored file must never be able to run
        code.
        """
        keys = list(self._postings)
        lengths = np.array([len(self._postings[key]) for key in keys], dtype=np.int64)
        rows = (
            np.concatenate([self._postings[key] for key in keys]).astype(np.int32)
            if keys
            else np.empty(0, dtype=np.int32)
        )
        body = {
            "is_entity": base64.b64encode(np.packbits(self._is_entity).tobytes()).decode(),
            "keys": keys,
            "lengths": base64.b64encode(lengths.tobytes()).decode(),
            "postings": base64.b64encode(rows.tobytes()).decode(),
            "by_skeleton": self._by_skeleton,
            "deleted": self._deleted.to_json(),
            "skeletons": self._skeletons.to_json(),
        }
        tables = zlib.compress(json.dumps(body, separators=(",", ":")).encode(), 6)
        payload = tables + zlib.compress(self._rows.lines, 6)
        header = {
            "format": INDEX_FORMAT,
            "algorithm": ALGORITHM_VERSION,
            "fingerprint": index_fingerprint(self.snapshots),
            "entries": self._entry_starts[-1],
            "rows": len(self._rows),
            "tables_bytes": len(tables),
            "sha256": hashlib.sha256(payload).hexdigest(),
        }
        return json.dumps(header).encode() + b"\n" + payload

    @classmethod
    def from_bytes(cls, snapshots: Sequence[Snapshot], data: bytes) -> ScreeningIndex:
        """An index read back from `to_bytes`, or IndexFormatError when the bytes are not one
        built from these snapshots by this algorithm version, or were altered."""
        # Hundreds of thousands of small objects, none of them cyclic: the cyclic garbage
        # collector would walk the whole heap again and again while they are made.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return cls._from_bytes(tuple(snapshots), data)
        finally:
            if collecting:
                gc.enable()

    @classmethod
    def _from_bytes(cls, snapshots: tuple[Snapshot, ...], data: bytes) -> ScreeningIndex:
        head, _, payload = data.partition(b"\n")
        try:
            header = json.loads(head)
        except ValueError:
            raise IndexFormatError("not a persisted screening index") from None
        if not isinstance(header, dict) or header.get("format") != INDEX_FORMAT:
            raise IndexFormatError("not a persisted screening index")
        if header.get("algorithm") != ALGORITHM_VERSION:
            raise IndexFormatError(f"built by {header.get('algorithm')}, not {ALGORITHM_VERSION}")
        if header.get("fingerprint") != index_fingerprint(snapshots):
            raise IndexFormatError("built from other list snapshots")
        if header.get("sha256") != hashlib.sha256(payload).hexdigest():
            raise IndexFormatError("altered since it was written (its hash does not match)")
        tables_bytes = header.get("tables_bytes")
        if not isinstance(tables_bytes, int) or not 0 < tables_bytes <= len(payload):
            raise IndexFormatError("unreadable body")
        try:
            body = json.loads(zlib.decompress(payload[:tables_bytes]))
            rows = _RowTable.from_bytes(zlib.decompress(payload[tables_bytes:]))
        except (zlib.error, ValueError):
            raise IndexFormatError("unreadable body") from None
        index = cls.__new__(cls)
        index.snapshots = snapshots
        index._entry_starts = _entry_starts(snapshots)
        if index._entry_starts[-1] != header.get("entries"):
            raise IndexFormatError("built from a different number of entries")
        if len(rows) != header.get("rows"):
            raise IndexFormatError("unreadable body")
        index._rows = rows
        bits = np.frombuffer(base64.b64decode(body["is_entity"]), dtype=np.uint8)
        index._is_entity = np.unpackbits(bits)[: len(index._rows)].astype(bool)
        lengths = np.frombuffer(base64.b64decode(body["lengths"]), dtype=np.int64)
        postings = np.frombuffer(base64.b64decode(body["postings"]), dtype=np.int32)
        ends = np.cumsum(lengths)
        index._postings = {
            key: postings[end - length : end]
            for key, length, end in zip(body["keys"], lengths.tolist(), ends.tolist(), strict=True)
        }
        index._by_skeleton = {key: tuple(value) for key, value in body["by_skeleton"].items()}
        index._rarity_cache = {}
        vocabulary = list(index._postings)
        index._deleted = _KeyMultimap.from_json(body["deleted"], vocabulary)
        index._skeletons = _KeyMultimap.from_json(body["skeletons"], vocabulary)
        return index

    @property
    def size(self) -> int:
        """Number of indexed name forms."""
        return len(self._rows)

    def rarity(self, key: str) -> float:
        """Weight factor for a name part from how many indexed names contain it."""
        found = self._rarity_cache.get(key)
        if found is None:
            postings = self._postings.get(key)
            found = rarity_from_frequency(0 if postings is None else len(postings))
            if len(self._rarity_cache) < 1_000_000:
                self._rarity_cache[key] = found
        return found

    # --- candidates ---------------------------------------------------------------------------

    def _neighbours(self, key: str) -> set[str]:
        found = {key} if key in self._postings else set()
        if len(key) >= 4:
            depth = _delete_depth(key)
            variants = _deletes(key, depth) | {key}
            for variant in variants:
                if variant in self._postings:
                    found.add(variant)
                found.update(self._deleted.get(variant))
        skeleton = consonant_key(key)
        if skeleton and len(key) >= 5:
            found.update(self._skeletons.get(skeleton))
        return found

    def _cross_script_keys(self, form: NameForm, token: str) -> set[str]:
        """Keys of list names in other scripts that this query part may match."""
        found: set[str] = set()
        if form.script == ABJAD:
            for skeleton in abjad_skeletons(token):
                found.update(self._by_skeleton.get(skeleton, ()))
        elif form.script == HANGUL:
            spellings = (*KOREAN_SURNAMES.get(token, ()), anyascii(token).casefold())
            for spelling in spellings:
                found.update(self._neighbours(equivalence_key(spelling)))
        elif form.script == LATIN:
            for skeleton in latin_skeletons(token):
                if f"~{skeleton}" in self._postings:
                    found.add(f"~{skeleton}")
        return found

    def _groups(self, form: NameForm) -> list[tuple[float, set[str]]]:
        """Per query part: its weight and the vocabulary keys that may match it."""
        tokens = form.tokens
        groups: list[tuple[float, set[str]]] = []
        for index, token in enumerate(tokens):
            key = equivalence_key(token)
            weak = form.script == LATIN and (token in PARTICLES or len(token) == 1)
            weight = (0.35 if weak else 1.0) * self.rarity(key)
            keys = self._neighbours(key) if len(token) > 1 or form.script != LATIN else set()
            if len(token) > 1 or form.script != LATIN:
                keys |= self._cross_script_keys(form, token)
            if index + 1 < len(tokens):
                joined = equivalence_key(token + tokens[index + 1])
                keys.update(self._neighbours(joined))
            if len(key) >= 6:
                for cut in range(3, len(token) - 2):
                    left, right = equivalence_key(token[:cut]), equivalence_key(token[cut:])
                    if left in self._postings and right in self._postings:
                        keys.update((left, right))
            groups.append((weight, keys))
        if len(tokens) > 1:
            compact = equivalence_key(form.compact)
            if compact in self._postings:
                groups.append((1.0, {compact}))
        return groups

    def _candidates(self, form: NameForm, kind: Kind | None) -> npt.NDArray[np.int64]:
        groups = self._groups(form)
        total = sum(weight for weight, _ in groups[: len(form.tokens)]) or 1.0
        arrays: list[tuple[float, npt.NDArray[np.int32]]] = []
        for weight, keys in groups:
            if not keys:
                continue
            parts = [self._postings[key] for key in keys]
            rows = parts[0] if len(parts) == 1 else np.unique(np.concatenate(parts))
            arrays.append((weight, rows))
        if not arrays:
            return np.empty(0, dtype=np.int64)
        smallest = min(len(rows) for _, rows in arrays)
        if smallest <= LARGE_POSTINGS:
            arrays = [(w, rows) for w, rows in arrays if len(rows) <= LARGE_POSTINGS]
        rows_all = np.concatenate([rows for _, rows in arrays])
        weights_all = np.concatenate([np.full(len(rows), w) for w, rows in arrays])
        unique, inverse = np.unique(rows_all, return_inverse=True)
        coverage = np.bincount(inverse, weights=weights_all)
        if kind is not None:
            keep = self._is_entity[unique] == (kind is Kind.ENTITY)
            unique, coverage = unique[keep], coverage[keep]
        keep = coverage >= MIN_COVERAGE * total
        unique, coverage = unique[keep], coverage[keep]
        if len(unique) > CANDIDATES_SCORED:
            top = np.argpartition(-coverage, CANDIDATES_SCORED)[:CANDIDATES_SCORED]
            unique = unique[top]
        return unique.astype(np.int64)

    # --- screening ----------------------------------------------------------------------------

    def screen(self, query: Query, limit: int = 10) -> ScreeningResult:
        """Screen one query: hits at or above the report cutoff, best first."""
        kinds: Iterable[Kind] = (query.kind,) if query.kind else (Kind.PERSON, Kind.ENTITY)
        best: dict[int, tuple[float, NameForm, _Row, Pairing]] = {}
        for kind in kinds:
            forms = name_forms(query.name, kind is Kind.ENTITY)
            for form in forms:
                for row_number in self._candidates(form, kind).tolist():
                    row = self._rows[row_number]
                    pairing = align(form, row.form, self.rarity)
                    if pairing.score < REPORT_CUTOFF:
                        continue
                    current = best.get(row.entry)
                    if current is None or pairing.score > current[0]:
                        best[row.entry] = (pairing.score, form, row, pairing)
        hits: list[Hit] = []
        for entry_number, (_, form, row, pairing) in best.items():
            snapshot_number = bisect.bisect_right(self._entry_starts, entry_number) - 1
            snapshot = self.snapshots[snapshot_number]
            entry = snapshot.entries[entry_number - self._entry_starts[snapshot_number]]
            found = qualifiers(query, entry)
            name = entry.names[row.name]
            explanation = explain(
                pairing,
                form,
                entry.id,
                name.text,
                name.name_type,
                found,
                snapshot.id,
            )
            if explanation.final_score < REPORT_CUTOFF:
                continue
            hits.append(
                Hit(
                    entry=entry,
                    source=snapshot.source,
                    score=explanation.final_score,
                    band=explanation.band,
                    explanation=explanation,
                )
            )
        hits.sort(key=lambda hit: (-hit.score, hit.entry.id))
        return ScreeningResult(
            query=query,
            snapshot_ids=tuple(snapshot.id for snapshot in self.snapshots),
            algorithm_version=ALGORITHM_VERSION,
            hits=tuple(itertools.islice(hits, limit)),
        )

    def top_score(self, query: Query) -> tuple[float, Hit | None]:
        """The best final score and hit for a query (0.0, None when nothing is reported)."""
        result = self.screen(query, limit=1)
        if not result.hits:
            return 0.0, None
        return result.hits[0].score, result.hits[0]
