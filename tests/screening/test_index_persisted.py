"""The persisted index: read back it screens exactly as built; anything else is refused and rebuilt.

Real lists (UN), real bytes, and the real command line over a real case file on tmp_path.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from duediligence.adapters.locations import lists_dir
from duediligence.screening.index import (
    INDEX_FORMAT,
    IndexFormatError,
    ScreeningIndex,
    index_fingerprint,
)
from duediligence.screening.model import Kind, Query, Snapshot

from .test_casefile_screening import OTHER, Cli, cli, tokayev, write_uksl

__all__ = ["cli"]  # the fixture, used by name

QUERIES = [
    Query(name="Saddam Hussein al-Tikriti", kind=Kind.PERSON),
    Query(name="معمر القذافي"),
    Query(name="Usama bin Laden", date_of_birth="1957", nationality="SA"),
    Query(name="Al-Qaida", kind=Kind.ENTITY),
    Query(name="Jon Smith"),
]


@pytest.fixture(scope="module")
def persisted(un_index: ScreeningIndex) -> bytes:
    return un_index.to_bytes()


def test_read_back_index_screens_exactly_as_the_built_one(
    un_index: ScreeningIndex, un_snapshot: Snapshot, persisted: bytes
) -> None:
    loaded = ScreeningIndex.from_bytes([un_snapshot], persisted)
    assert loaded.size == un_index.size
    for query in QUERIES:
        assert loaded.screen(query) == un_index.screen(query)
    assert any(un_index.screen(q).hits for q in QUERIES)
    header = json.loads(persisted.partition(b"\n")[0])
    assert header["format"] == INDEX_FORMAT
    assert header["fingerprint"] == index_fingerprint([un_snapshot])


def test_altered_or_foreign_bytes_are_refused(
    un_snapshot: Snapshot, ofac_snapshot: Snapshot, persisted: bytes
) -> None:
    head, _, payload = persisted.partition(b"\n")
    flipped = head + b"\n" + payload[:-1] + bytes([payload[-1] ^ 1])
    with pytest.raises(IndexFormatError, match="altered"):
        ScreeningIndex.from_bytes([un_snapshot], flipped)
    with pytest.raises(IndexFormatError, match="other list snapshots"):
        ScreeningIndex.from_bytes([un_snapshot, ofac_snapshot], persisted)
    older = json.loads(head)
    older["algorithm"] = "dd-screening-1.0.0"
    with pytest.raises(IndexFormatError, match=r"dd-screening-1\.0\.0"):
        ScreeningIndex.from_bytes([un_snapshot], json.dumps(older).encode() + b"\n" + payload)
    with pytest.raises(IndexFormatError, match="not a persisted"):
        ScreeningIndex.from_bytes([un_snapshot], b"PK\x03\x04 a zip file\n")


def test_cold_screen_writes_the_index_once_and_reads_it_after(cli: Cli, tmp_path: Path) -> None:
    good = write_uksl(tmp_path / "uksl.csv", date.today(), [tokayev(), OTHER])
    assert cli("lists", "import", str(good), "--format", "uksl-csv").exit_code == 0
    folder = lists_dir(cli.store) / "index"
    first = cli("screen", "Qasym-Jomart Toqaev", "--json", user=None)
    assert first.exit_code == 0, first.output
    written = list(folder.glob("*.index"))
    assert len(written) == 1
    stamp = written[0].stat().st_mtime_ns
    second = cli("screen", "Qasym-Jomart Toqaev", "--json", user=None)
    assert json.loads(second.stdout)["hits"] == json.loads(first.stdout)["hits"]
    assert written[0].stat().st_mtime_ns == stamp  # read, not rebuilt

    # An altered copy is not used: the index is built again and the copy replaced.
    written[0].write_bytes(written[0].read_bytes()[:-10] + b"0123456789")
    third = cli("screen", "Qasym-Jomart Toqaev", "--json", user=None)
    assert json.loads(third.stdout)["hits"] == json.loads(first.stdout)["hits"]
    assert json.loads(third.stdout)["hits"][0]["entry"]["id"] == "TST0001"
    rewritten = list(folder.glob("*.index"))
    assert [p.name for p in rewritten] == [written[0].name]
    assert rewritten[0].read_bytes()[-10:] != b"0123456789"

    # A new snapshot makes the old copy useless: it is replaced, not kept beside the new one.
    newer = write_uksl(tmp_path / "uksl2.csv", date.today(), [tokayev()])
    # Shorter than the list in use: confirmed with a reason (issue 13's shrink control).
    shorter = cli(
        "lists", "import", str(newer), "--format", "uksl-csv",
        "--confirm-shrink", "--reason", "Test list cut to the one entry this test screens",
    )  # fmt: skip
    assert shorter.exit_code == 0, shorter.output
    assert cli("screen", "Tokayev", user=None).exit_code == 0
    assert [p.name for p in folder.glob("*.index")] != [written[0].name]
    assert len(list(folder.glob("*.index"))) == 1


def test_compact_entries_are_what_model_construct_makes(un_snapshot: Snapshot) -> None:
    """The compact reader builds entries without pydantic's per-field search; they must be
    indistinguishable from the validated originals: equal, frozen, dumping the same."""
    from pydantic import ValidationError

    from duediligence.screening.compact import decode_entries, encode_entries
    from duediligence.screening.model import ListEntry, ListName

    decoded = decode_entries(encode_entries(un_snapshot.entries))
    assert decoded == un_snapshot.entries
    first, original = decoded[0], un_snapshot.entries[0]
    assert first.model_fields_set == original.model_fields_set
    assert first.model_dump_json() == original.model_dump_json()
    assert first == ListEntry.model_construct(**dict(original))
    assert first.names[0] == ListName.model_construct(**dict(original.names[0]))
    with pytest.raises(ValidationError):
        first.id = "changed"  # type: ignore[misc]
    assert hash(first.names[0].text)


def test_stored_entries_are_decoded_one_by_one_into_the_same_entries(
    un_snapshot: Snapshot,
) -> None:
    """A cold screen keeps a stored list as its compact lines and decodes only the entries its
    hits need; each must be the entry that was stored."""
    import hashlib
    import io

    from duediligence.screening.compact import (
        CompactFormatError,
        encode_entries,
        entry_ids,
        read_entries_lazily,
    )

    data = encode_entries(un_snapshot.entries)
    lazy, sha256 = read_entries_lazily(io.BytesIO(data))
    assert sha256 == hashlib.sha256(data).hexdigest()
    assert len(lazy) == len(un_snapshot.entries)
    assert list(lazy) == list(un_snapshot.entries)
    assert lazy[-1] == un_snapshot.entries[-1] and lazy[5:7] == list(un_snapshot.entries[5:7])
    assert list(entry_ids(lazy)) == [e.id for e in un_snapshot.entries]
    assert list(entry_ids(un_snapshot.entries)) == [e.id for e in un_snapshot.entries]
    with pytest.raises(IndexError):
        lazy[len(lazy)]
    with pytest.raises(CompactFormatError, match="holds"):
        read_entries_lazily(io.BytesIO(data[: len(data) // 2]))
    with pytest.raises(CompactFormatError):
        read_entries_lazily(io.BytesIO(b"not a compact file"))
    empty, _ = read_entries_lazily(io.BytesIO(encode_entries(())))
    assert len(empty) == 0 and list(empty) == []


def test_read_back_index_over_stored_entries_screens_as_the_built_one(
    un_index: ScreeningIndex, un_snapshot: Snapshot, persisted: bytes
) -> None:
    import io

    from duediligence.screening.compact import encode_entries, read_entries_lazily

    lazy, _ = read_entries_lazily(io.BytesIO(encode_entries(un_snapshot.entries)))
    stored = Snapshot.model_construct(**{**dict(un_snapshot), "entries": lazy})
    loaded = ScreeningIndex.from_bytes([stored], persisted)
    for query in QUERIES:
        assert loaded.screen(query) == un_index.screen(query)
