"""Importer for the OFAC SDN list in its legacy CSV trio: sdn.csv, alt.csv, add.csv.

No header rows; `-0-` means empty. Dates of birth, nationality and gender live in the sdn remarks
("DOB 10 Dec 1948; nationality Iran; Gender Male").

The trio states no publication date. The snapshot takes the newest date written in it that is not
an expiry ("Effective Date ... 24 Feb 2022", "issued 12 Jan 2020"): the file was published on or
after that day, so the age shown is never younger than the real one. `lists import --published`
states the real date when the importer knows it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
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

SOURCE = "ofac-csv"
_EMPTY = "-0-"
_DOB = re.compile(r"\bDOB (?:circa |c\. )?([^;]+)")
_NATIONALITY = re.compile(r"\b(?:nationality|citizen) ([^;]+)")
_GENDER = re.compile(r"\bGender (\w+)")
_YEAR_RANGE = re.compile(r"^(\d{4}) to (\d{4})$")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_WRITTEN_DATE = re.compile(
    r"(?i)(expir\w*|until|through|to)?\W{0,3}"
    r"\b(\d{1,2}) (jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* (\d{4})\b"
)


def newest_date(*texts: str) -> dt.date | None:
    """The newest date written in the texts ("24 Feb 2022"), expiry dates left out."""
    newest: dt.date | None = None
    for text in texts:
        for expiry, day, month, year in _WRITTEN_DATE.findall(text):
            if expiry:
                continue  # a passport's expiry lies after the publication
            try:
                found = dt.date(int(year), _MONTHS.index(month.casefold()) + 1, int(day))
            except ValueError:
                continue
            if newest is None or found > newest:
                newest = found
    return newest


@dataclass
class _Draft:
    """An SDN entry while its aliases are still being read."""

    kind: Kind
    names: list[ListName]
    dobs: list[str]
    nationalities: list[str]
    gender: str | None
    programmes: list[str]
    details: list[tuple[str, str]] = field(default_factory=list)


def _files(path: Path) -> tuple[Path, Path, Path]:
    folder = path if path.is_dir() else path.parent
    sdn = path if path.is_file() else folder / "sdn.csv"
    return sdn, folder / "alt.csv", folder / "add.csv"


def _rows(path: Path, data: bytes, width: int) -> list[list[str]]:
    text = decode(path, data).replace("\x1a", "")
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text))
    try:
        for number, row in enumerate(reader, start=1):
            if not row or all(not cell.strip() for cell in row):
                continue
            if len(row) != width:
                raise ListFormatError(
                    path, f"row {number}", "columns", f"expected {width} columns, found {len(row)}"
                )
            rows.append([("" if cell.strip() == _EMPTY else cell.strip()) for cell in row])
    except csv.Error as error:
        raise ListFormatError(path, f"row {reader.line_num}", "CSV", str(error)) from None
    return rows


def _number(path: Path, row_number: int, field: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ListFormatError(
            path, f"row {row_number}", field, f"not a number: {value!r}"
        ) from None


def import_ofac_csv(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Snapshot:
    """Read the sdn/alt/add trio (PATH is sdn.csv or its folder) into a snapshot."""
    sdn_path, alt_path, add_path = _files(path)
    sdn_data = read_bytes(sdn_path, max_bytes)
    alt_data = read_bytes(alt_path, max_bytes) if alt_path.exists() else b""
    add_data = read_bytes(add_path, max_bytes) if add_path.exists() else b""
    entries: dict[int, _Draft] = {}
    for number, row in enumerate(_rows(sdn_path, sdn_data, 12), start=1):
        ent_num = _number(sdn_path, number, "ent_num", row[0])
        if not row[1]:
            raise ListFormatError(sdn_path, f"row {number}", "name", "missing")
        remarks = row[11]
        dobs: list[str] = []
        for raw in _DOB.findall(remarks):
            raw = raw.strip().rstrip(".")
            years = _YEAR_RANGE.match(raw)
            try:
                dobs.append(f"{years.group(1)}/{years.group(2)}" if years else partial_date(raw))
            except ValueError:
                continue  # free-text remarks: an odd DOB phrase is not a broken file
        nationalities = [
            code
            for code in (
                normalise_country(n.strip().rstrip(".")) for n in _NATIONALITY.findall(remarks)
            )
            if code
        ]
        gender = _GENDER.search(remarks)
        entries[ent_num] = _Draft(
            kind=Kind.PERSON if row[2].casefold() == "individual" else Kind.ENTITY,
            names=[ListName(text=row[1], name_type="primary")],
            dobs=dobs,
            nationalities=nationalities,
            gender=normalise_gender(gender.group(1)) if gender else None,
            programmes=[p.strip() for p in row[3].split(";") if p.strip()],
            details=[("title", row[4])] if row[4] else [],
        )
    if alt_data:
        for number, row in enumerate(_rows(alt_path, alt_data, 5), start=1):
            ent_num = _number(alt_path, number, "ent_num", row[0])
            if ent_num not in entries:
                raise ListFormatError(
                    alt_path, f"row {number}", "ent_num", f"{ent_num} is not in {sdn_path.name}"
                )
            if row[3]:
                alt_type = row[2].casefold() or "aka"
                name_type = "weak-alias" if alt_type == "weak aka" else alt_type
                entries[ent_num].names.append(ListName(text=row[3], name_type=name_type))
    if add_data:
        for number, row in enumerate(_rows(add_path, add_data, 6), start=1):
            _number(add_path, number, "ent_num", row[0])
    result = [
        ListEntry(
            id=str(ent_num),
            kind=draft.kind,
            names=tuple(draft.names),
            dates_of_birth=tuple(dict.fromkeys(draft.dobs)),
            nationalities=tuple(dict.fromkeys(draft.nationalities)),
            gender=draft.gender,
            programmes=tuple(draft.programmes),
            details=tuple(draft.details),
        )
        for ent_num, draft in entries.items()
    ]
    paths = [p for p, d in ((sdn_path, sdn_data), (alt_path, alt_data), (add_path, add_data)) if d]
    blobs = [d for d in (sdn_data, alt_data, add_data) if d]
    published = newest_date(*(decode(p, d) for p, d in zip(paths, blobs, strict=True)))
    return build_snapshot(SOURCE, published, sha256_of(*blobs), paths, result)
