"""A compact, safe byte form of a snapshot's entries: zlib-compressed JSON lines.

What the list store keeps beside the original file, so screening does not re-parse XML or CSV:
a header line, then one JSON array per entry (id, kind, names, dates of birth, nationalities,
gender, programmes, details); no pickle (a stored file must never be able to run code). Written
and read as a stream, so a million-entry list never exists twice in memory; reading hashes the
bytes on the way so the caller can check them against the blob's name. Entries are rebuilt with
`model_construct`: they were validated when the file was imported.
"""

from __future__ import annotations

import gc
import hashlib
import itertools
import json
import zlib
from collections.abc import Iterator, Sequence
from typing import Any, BinaryIO, TypeVar, overload

import numpy as np
import numpy.typing as npt

from duediligence.screening.model import Kind, ListEntry, ListName

FORMAT = "duediligence-entries/2"
"""Header of the compact form (changes when the layout does)."""

CHUNK = 1 << 20
_ENTRY_FIELDS = set(ListEntry.model_fields)
_NAME_FIELDS = set(ListName.model_fields)


class CompactFormatError(ValueError):
    """The bytes are not entries written by `write_entries`."""


def _lines(entries: Sequence[ListEntry]) -> Iterator[str]:
    yield json.dumps({"format": FORMAT, "entries": len(entries)})
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for e in entries:
        yield dumps(
            [
                e.id,
                e.kind.value,
                [[n.text, n.name_type] for n in e.names],
                e.dates_of_birth,
                e.nationalities,
                e.gender,
                e.programmes,
                e.details,
            ]
        )


def write_entries(handle: BinaryIO, entries: Sequence[ListEntry]) -> None:
    """Write the entries, compressed (deterministic for the same entries)."""
    compressor = zlib.compressobj(1)
    batch: list[str] = []
    for line in _lines(entries):
        batch.append(line)
        if len(batch) >= 4096:
            handle.write(compressor.compress(("\n".join(batch) + "\n").encode("utf-8")))
            batch.clear()
    if batch:
        handle.write(compressor.compress(("\n".join(batch) + "\n").encode("utf-8")))
    handle.write(compressor.flush())


def encode_entries(entries: Sequence[ListEntry]) -> bytes:
    """The entries as bytes (for small lists and tests)."""
    import io

    buffer = io.BytesIO()
    write_entries(buffer, entries)
    return buffer.getvalue()


def _text_lines(handle: BinaryIO, digest: hashlib._Hash) -> Iterator[bytes]:
    decompressor = zlib.decompressobj()
    rest = b""
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        data = rest + decompressor.decompress(chunk)
        *lines, rest = data.split(b"\n")
        yield from lines
    rest += decompressor.flush()
    if rest:
        yield from rest.split(b"\n")


_Model = TypeVar("_Model", ListEntry, ListName)
_set_attribute = object.__setattr__


def _construct(model: type[_Model], fields: set[str], values: dict[str, Any]) -> _Model:
    """What `model_construct` makes for these frozen models (every field given, no extras, no
    private attributes, no post-init), without its per-field alias search: a cold `screen`
    builds tens of thousands of them. tests/screening/test_index_persisted.py holds it to model_construct."""
    made = model.__new__(model)
    _set_attribute(made, "__dict__", values)
    _set_attribute(made, "__pydantic_fields_set__", fields)
    _set_attribute(made, "__pydantic_extra__", None)
    _set_attribute(made, "__pydantic_private__", None)
    return made


def read_entries(handle: BinaryIO) -> tuple[tuple[ListEntry, ...], str]:
    """Entries back from `write_entries`, and the SHA-256 of the bytes read."""
    # Tens of thousands of small acyclic objects: the cyclic collector would rescan the growing
    # heap many times over while they are made (a cold `screen` spends much of its time here).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _read_entries(handle)
    finally:
        if collecting:
            gc.enable()


def _read_entries(handle: BinaryIO) -> tuple[tuple[ListEntry, ...], str]:
    digest = hashlib.sha256()
    kinds = {kind.value: kind for kind in Kind}
    shared: dict[tuple[str, ...], tuple[str, ...]] = {}
    entries: list[ListEntry] = []
    expected = -1
    try:
        lines = _text_lines(handle, digest)
        header = json.loads(next(lines))
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise CompactFormatError("not a compact entries file of this version")
        expected = int(header["entries"])
        loads = json.loads
        for line in lines:
            if not line:
                continue
            entries.append(_entry(loads(line), kinds, shared))
    except CompactFormatError:
        raise
    except (StopIteration, zlib.error, KeyError, TypeError, ValueError) as error:
        raise CompactFormatError(f"damaged compact entries file ({error!r})") from None
    if len(entries) != expected:
        raise CompactFormatError(f"compact entries file holds {len(entries)} of {expected}")
    return tuple(entries), digest.hexdigest()


class StoredEntries(Sequence[ListEntry]):
    """A stored list's entries kept as their compact lines, each decoded when it is asked for.

    A cold screen reads the whole list (its hash is checked) but makes entries only for its hits:
    a million-entry PEP list is one bytes object and an array of offsets, not a million models.
    The bytes are the ones whose hash the caller checked, so a line that does not decode is a
    bug, not damage.
    """

    def __init__(self, lines: bytes, starts: npt.NDArray[np.int64]) -> None:
        self._lines = lines
        self._starts = starts
        self._kinds = {kind.value: kind for kind in Kind}

    def __len__(self) -> int:
        return len(self._starts) - 1

    @overload
    def __getitem__(self, number: int) -> ListEntry: ...

    @overload
    def __getitem__(self, number: slice) -> Sequence[ListEntry]: ...

    def __getitem__(self, number: int | slice) -> ListEntry | Sequence[ListEntry]:
        if isinstance(number, slice):
            return [self[i] for i in range(*number.indices(len(self)))]
        if number < 0:
            number += len(self)
        if not 0 <= number < len(self):
            raise IndexError(number)
        start, end = int(self._starts[number]), int(self._starts[number + 1])
        return _entry(json.loads(self._lines[start:end]), self._kinds, {})

    def __iter__(self) -> Iterator[ListEntry]:
        return (self[number] for number in range(len(self)))

    def ids(self) -> Iterator[str]:
        """Every entry's id without making the entries (each line starts with its id)."""
        decode = _FIRST_VALUE.raw_decode
        starts = self._starts.tolist()
        for start, end in itertools.pairwise(starts):
            # Each line is '["<id>",...': the first value after the opening bracket.
            yield decode(self._lines[start + 1 : end].decode("utf-8"))[0]


_FIRST_VALUE = json.JSONDecoder()


def entry_ids(entries: Sequence[ListEntry]) -> Iterator[str]:
    """The entries' ids, from stored lines without decoding whole entries where they are stored."""
    if isinstance(entries, StoredEntries):
        return entries.ids()
    return (entry.id for entry in entries)


def read_entries_lazily(handle: BinaryIO) -> tuple[StoredEntries, str]:
    """Entries from `write_entries` as `StoredEntries` (decoded one by one when used), and the
    SHA-256 of the bytes read."""
    digest = hashlib.sha256()
    decompressor = zlib.decompressobj()
    parts: list[bytes] = []
    try:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            parts.append(decompressor.decompress(chunk))
        parts.append(decompressor.flush())
    except zlib.error as error:
        raise CompactFormatError(f"damaged compact entries file ({error!r})") from None
    text = b"".join(parts)
    del parts
    head, _, lines = text.partition(b"\n")
    del text
    try:
        header = json.loads(head)
        expected = int(header["entries"])
    except (KeyError, TypeError, ValueError) as error:
        raise CompactFormatError(f"damaged compact entries file ({error!r})") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise CompactFormatError("not a compact entries file of this version")
    ends = np.flatnonzero(np.frombuffer(lines, dtype=np.uint8) == ord("\n")) + 1
    starts = np.concatenate([np.zeros(1, dtype=np.int64), ends.astype(np.int64)])
    if len(starts) - 1 != expected:
        raise CompactFormatError(f"compact entries file holds {len(starts) - 1} of {expected}")
    return StoredEntries(lines, starts), digest.hexdigest()


def _entry(
    values: list[Any], kinds: dict[str, Kind], shared: dict[tuple[str, ...], tuple[str, ...]]
) -> ListEntry:
    entry_id, kind, names, dobs, nationalities, gender, programmes, details = values
    dobs_t, nats_t, prog_t = tuple(dobs), tuple(nationalities), tuple(programmes)
    return _construct(
        ListEntry,
        _ENTRY_FIELDS,
        {
            "id": entry_id,
            "kind": kinds[kind],
            "names": tuple(
                _construct(ListName, _NAME_FIELDS, {"text": text, "name_type": name_type})
                for text, name_type in names
            ),
            "dates_of_birth": shared.setdefault(dobs_t, dobs_t),
            "nationalities": shared.setdefault(nats_t, nats_t),
            "gender": gender,
            "programmes": shared.setdefault(prog_t, prog_t),
            "details": tuple((label, value) for label, value in details),
        },
    )


def decode_entries(data: bytes) -> tuple[ListEntry, ...]:
    """Entries back from `encode_entries`' bytes."""
    import io

    return read_entries(io.BytesIO(data))[0]
