"""Importer for the FCDO UK Sanctions List CSV (the list UK firms must screen against).

Format (screening.md 4.2): first line `Report Date: dd-Mon-yyyy`, then a header of 58 columns, then
one row per name grouped by `Unique ID`; `Name 6` is the family or entity name, `Name 1`-`Name 5`
the others; multiple values are separated by `|`; dates are dd/mm/yyyy with 00 for unknown parts.
Columns are found by header name, not position. Contains public sector information licensed under
the Open Government Licence v3.0.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

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
from duediligence.screening.normalise import normalise_country, normalise_gender

SOURCE = "uksl-csv"
REQUIRED_COLUMNS = ("Unique ID", "Name 6", "Name type", "Designation Type")
_KINDS = {"individual": Kind.PERSON, "entity": Kind.ENTITY, "ship": Kind.ENTITY}


@dataclass
class _Draft:
    kind: Kind
    names: list[ListName] = field(default_factory=list)
    dobs: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    gender: str | None = None
    programmes: list[str] = field(default_factory=list)
    details: list[tuple[str, str]] = field(default_factory=list)


def _values(cell: str) -> list[str]:
    return [value.strip() for value in cell.split("|") if value.strip()]


def import_uksl_csv(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Snapshot:
    """Read one UK Sanctions List CSV into a snapshot, or raise ListFormatError."""
    data = read_bytes(path, max_bytes)
    lines = io.StringIO(decode(path, data))
    first = lines.readline().strip().strip(",").strip('"')
    if not first.startswith("Report Date:"):
        raise ListFormatError(
            path, "row 1", "Report Date", "the first line must be 'Report Date: dd-Mon-yyyy'"
        )
    try:
        published = dt.datetime.strptime(
            first.removeprefix("Report Date:").strip(), "%d-%b-%Y"
        ).date()
    except ValueError:
        raise ListFormatError(
            path, "row 1", "Report Date", f"not a dd-Mon-yyyy date: {first!r}"
        ) from None
    reader = csv.DictReader(lines)
    header = [name.strip() for name in reader.fieldnames or []]
    reader.fieldnames = header
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise ListFormatError(path, "row 2 (header)", missing[0], "column missing")
    drafts: dict[str, _Draft] = {}
    try:
        for row_number, row in enumerate(reader, start=3):
            _read_row(path, row_number, row, drafts)
    except csv.Error as error:
        raise ListFormatError(path, f"row {reader.line_num + 1}", "CSV", str(error)) from None
    entries = [
        ListEntry(
            id=unique_id,
            kind=draft.kind,
            names=tuple(sorted(draft.names, key=lambda n: n.name_type != "primary")),
            dates_of_birth=tuple(dict.fromkeys(draft.dobs)),
            nationalities=tuple(dict.fromkeys(draft.nationalities)),
            gender=draft.gender,
            programmes=tuple(dict.fromkeys(draft.programmes)),
            details=tuple(dict.fromkeys(draft.details)),
        )
        for unique_id, draft in drafts.items()
    ]
    return build_snapshot(SOURCE, published, sha256_of(data), [path], entries)


def _read_row(
    path: Path, number: int, row: dict[str, str | None], drafts: dict[str, _Draft]
) -> None:
    def cell(column: str) -> str:
        return (row.get(column) or "").strip()

    where = f"row {number}"
    unique_id = cell("Unique ID")
    if not unique_id:
        raise ListFormatError(path, where, "Unique ID", "missing")
    designation = cell("Designation Type").casefold()
    if designation not in _KINDS:
        raise ListFormatError(
            path,
            where,
            "Designation Type",
            f"expected Individual, Entity or Ship, found {cell('Designation Type')!r}",
        )
    draft = drafts.setdefault(unique_id, _Draft(kind=_KINDS[designation]))
    if draft.kind != _KINDS[designation]:
        raise ListFormatError(
            path, where, "Designation Type", f"differs from earlier rows of {unique_id}"
        )
    given = [cell(f"Name {i}") for i in range(1, 6)]
    full = " ".join(part for part in [*given, cell("Name 6")] if part)
    if full:
        name_type = cell("Name type").casefold().replace(" ", "-") or "alias"
        if name_type == "primary-name":
            name_type = "primary"
        if (
            cell("Alias strength").casefold().startswith("low")
            or cell("Alias strength").casefold() == "weak"
        ):
            name_type = "weak-alias"
        draft.names.append(ListName(text=full, name_type=name_type))
    elif not cell("Name non-latin script"):
        raise ListFormatError(path, where, "Name 6", "no name on this row")
    for original in _values(cell("Name non-latin script")):
        draft.names.append(ListName(text=original, name_type="original-script"))
    for value in _values(cell("D.O.B")):
        try:
            draft.dobs.append(partial_date(value))
        except ValueError as error:
            raise ListFormatError(path, where, "D.O.B", str(error)) from None
    for value in _values(cell("Nationality(/ies)")):
        code = normalise_country(value)
        if code:
            draft.nationalities.append(code)
    gender = normalise_gender(cell("Gender"))
    if gender:
        draft.gender = gender
    draft.programmes.extend(_values(cell("Regime Name")))
    for label in ("Position", "Sanctions Imposed", "Date Designated"):
        if cell(label):
            draft.details.append((label, cell(label)))
