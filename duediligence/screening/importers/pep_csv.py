"""Importer for a firm's own PEP list as CSV, with a documented column mapping.

Header row required. Columns (case-insensitive; only `name` is required):

| column | meaning |
|---|---|
| `id` | the firm's identifier (default: the row number) |
| `name` | full name |
| `aliases` | other names, separated by `|` |
| `dob` | date of birth: yyyy, yyyy-mm, yyyy-mm-dd or dd/mm/yyyy (00 for unknown parts) |
| `country` | country of the position (ISO code or name) |
| `position` | the public function held |
| `pep_category` | e.g. head of state, MP, senior official, family member, close associate |
| `start_of_office`, `end_of_office` | dates as for `dob` |

The publication date is the file's own `# published: yyyy-mm-dd` first line if present.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar, cast

from duediligence.screening.importers.common import (
    DEFAULT_MAX_BYTES,
    ListFormatError,
    build_snapshot,
    decode,
    partial_date,
    read_bytes,
    sha256_of,
)
from duediligence.screening.model import Kind, ListEntry, ListName, Snapshot
from duediligence.screening.normalise import normalise_country

SOURCE = "pep-csv"
COLUMNS = (
    "id",
    "name",
    "aliases",
    "dob",
    "country",
    "position",
    "pep_category",
    "start_of_office",
    "end_of_office",
)


def import_pep_csv(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Snapshot:
    """Read a PEP CSV into a snapshot, or raise ListFormatError naming row and column."""
    data = read_bytes(path, max_bytes)
    lines = io.StringIO(decode(path, data))
    published: dt.date | None = None
    first_row = 1
    start = lines.tell()
    first = lines.readline()
    if first.startswith("# published:"):
        first_row = 2
        try:
            published = dt.date.fromisoformat(first.removeprefix("# published:").strip())
        except ValueError:
            raise ListFormatError(path, "row 1", "published", "not a yyyy-mm-dd date") from None
    else:
        lines.seek(start)
    reader = csv.reader(lines)
    try:
        header = [column.strip().casefold() for column in next(reader)]
    except StopIteration:
        raise ListFormatError(path, f"row {first_row}", "header", "the file is empty") from None
    unknown = [column for column in header if column not in COLUMNS]
    if unknown:
        raise ListFormatError(
            path,
            f"row {first_row} (header)",
            unknown[0],
            f"unknown column; expected some of {', '.join(COLUMNS)}",
        )
    if "name" not in header:
        raise ListFormatError(path, f"row {first_row} (header)", "name", "column missing")
    position = {column: header.index(column) for column in header}
    entries: list[ListEntry] = []
    seen: set[str] = set()
    try:
        for number, row in enumerate(reader, start=first_row + 1):
            if not row:
                continue
            if len(row) != len(header):
                raise ListFormatError(
                    path,
                    f"row {number}",
                    "columns",
                    f"expected {len(header)} values, found {len(row)}",
                )

            def cell(column: str, row: list[str] = row) -> str:
                return row[position[column]].strip() if column in position else ""

            entries.append(_entry(path, number, cell, seen))
    except csv.Error as error:
        raise ListFormatError(path, f"row {reader.line_num}", "CSV", str(error)) from None
    return build_snapshot(SOURCE, published, sha256_of(data), [path], entries)


# A firm's PEP list can hold a million people: values repeated across rows (positions, categories,
# countries) are shared, and rows already checked here are built with model_construct and one
# shared fields-set, which halves the memory of a snapshot without skipping any check.
_T = TypeVar("_T")
_SHARED: dict[object, object] = {}
_ENTRY_FIELDS = set(ListEntry.model_fields)
_NAME_FIELDS = set(ListName.model_fields)


def _shared(value: _T) -> _T:
    if len(_SHARED) >= 100_000:
        return value
    return cast(_T, _SHARED.setdefault(value, value))


def _entry(path: Path, number: int, cell: Callable[[str], str], seen: set[str]) -> ListEntry:
    where = f"row {number}"
    name = cell("name")
    if not name:
        raise ListFormatError(path, where, "name", "missing")
    entry_id = cell("id") or str(number)
    if entry_id in seen:
        raise ListFormatError(path, where, "id", f"{entry_id!r} appears twice")
    seen.add(entry_id)
    names = [ListName.model_construct(_NAME_FIELDS, text=name, name_type="primary")]
    names.extend(
        ListName.model_construct(_NAME_FIELDS, text=a.strip(), name_type="alias")
        for a in cell("aliases").split("|")
        if a.strip()
    )
    dobs: tuple[str, ...] = ()
    details: list[tuple[str, str]] = []
    for column in ("dob", "start_of_office", "end_of_office"):
        if cell(column):
            try:
                value = partial_date(cell(column))
            except ValueError as error:
                raise ListFormatError(path, where, column, str(error)) from None
            if column == "dob":
                dobs = (value,)
            else:
                details.append((column.replace("_", " "), value))
    # The country of office stands in for nationality in the qualifier: PEPs overwhelmingly
    # hold office in their own country.
    country = normalise_country(cell("country")) if cell("country") else None
    if cell("country") and country is None:
        raise ListFormatError(path, where, "country", f"unknown country {cell('country')!r}")
    if cell("pep_category"):
        details.append(("PEP category", cell("pep_category")))
    return ListEntry.model_construct(
        _ENTRY_FIELDS,
        id=entry_id,
        kind=Kind.PERSON,
        names=tuple(names),
        dates_of_birth=dobs,
        nationalities=_shared((country,) if country else ()),
        gender=None,
        programmes=_shared((cell("position"),) if cell("position") else ()),
        details=_shared(tuple(_shared(pair) for pair in details)),
    )
