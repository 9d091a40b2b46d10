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
import json
import zlib
from collections.abc import Iterator, Sequence
from typing import Any, BinaryIO, TypeVar

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
            entry_id, kind, names, dobs, nationalities, gender, programmes, details = loads(line)
            dobs_t, nats_t, prog_t = tuple(dobs), tuple(nationalities), tuple(programmes)
            entries.append(
                _construct(
                    ListEntry,
                    _ENTRY_FIELDS,
                    {
                        "id": entry_id,
                        "kind": kinds[kind],
                        "names": tuple(
                            _construct(
                                ListName, _NAME_FIELDS, {"text": text, "name_type": name_type}
                            )
                            for text, name_type in names
                        ),
                        "dates_of_birth": shared.setdefault(dobs_t, dobs_t),
                        "nationalities": shared.setdefault(nats_t, nats_t),
                        "gender": gender,
                        "programmes": shared.setdefault(prog_t, prog_t),
                        "details": tuple((label, value) for label, value in details),
                    },
                )
            )
    except CompactFormatError:
        raise
    except (StopIteration, zlib.error, KeyError, TypeError, ValueError) as error:
        raise CompactFormatError(f"damaged compact entries file ({error!r})") from None
    if len(entries) != expected:
        raise CompactFormatError(f"compact entries file holds {len(entries)} of {expected}")
    return tuple(entries), digest.hexdigest()


def decode_entries(data: bytes) -> tuple[ListEntry, ...]:
    """Entries back from `encode_entries`' bytes."""
    import io

    return read_entries(io.BytesIO(data))[0]
