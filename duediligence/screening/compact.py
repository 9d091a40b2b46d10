"""A compact, safe byte form of a snapshot's entries: zlib-compressed JSON arrays.

What the list store keeps beside the original file, so screening does not re-parse XML or CSV:
one JSON array per entry (id, kind, names, dates of birth, nationalities, gender, programmes,
details), no pickle (a stored file must never be able to run code). Entries are rebuilt with
`model_construct`: they were validated when the file was imported and the blob is hash-checked
before it is decoded.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence

from duediligence.screening.model import Kind, ListEntry, ListName

FORMAT = "duediligence-entries/1"
"""Header of the compact form (changes when the layout does)."""

_ENTRY_FIELDS = set(ListEntry.model_fields)
_NAME_FIELDS = set(ListName.model_fields)


class CompactFormatError(ValueError):
    """The bytes are not entries written by `encode_entries`."""


def encode_entries(entries: Sequence[ListEntry]) -> bytes:
    """The entries as compressed JSON (deterministic for the same entries)."""
    rows = [
        [
            e.id,
            e.kind.value,
            [[n.text, n.name_type] for n in e.names],
            list(e.dates_of_birth),
            list(e.nationalities),
            e.gender,
            list(e.programmes),
            [list(pair) for pair in e.details],
        ]
        for e in entries
    ]
    text = json.dumps(
        {"format": FORMAT, "entries": rows}, ensure_ascii=False, separators=(",", ":")
    )
    return zlib.compress(text.encode("utf-8"), 1)


def decode_entries(data: bytes) -> tuple[ListEntry, ...]:
    """Entries back from `encode_entries`."""
    try:
        document = json.loads(zlib.decompress(data))
    except (zlib.error, ValueError) as error:
        raise CompactFormatError(f"not a compact entries file ({error})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise CompactFormatError("not a compact entries file of this version")
    kinds = {kind.value: kind for kind in Kind}
    shared: dict[tuple[str, ...], tuple[str, ...]] = {}

    def share(values: list[str]) -> tuple[str, ...]:
        key = tuple(values)
        return shared.setdefault(key, key)

    entries = []
    try:
        for row in document["entries"]:
            entry_id, kind, raw_names, dobs, nationalities, gender, programmes, details = row
            built = [
                ListName.model_construct(_NAME_FIELDS, text=text, name_type=name_type)
                for text, name_type in raw_names
            ]
            entries.append(
                ListEntry.model_construct(
                    _ENTRY_FIELDS,
                    id=entry_id,
                    kind=kinds[kind],
                    names=tuple(built),
                    dates_of_birth=share(dobs),
                    nationalities=share(nationalities),
                    gender=gender,
                    programmes=share(programmes),
                    details=tuple((label, value) for label, value in details),
                )
            )
    except (KeyError, TypeError, ValueError) as error:
        raise CompactFormatError(f"damaged compact entries file ({error!r})") from None
    return tuple(entries)
