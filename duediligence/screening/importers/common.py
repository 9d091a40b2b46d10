"""What every importer shares: the error a user sees, hashing, dates and snapshot assembly."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

from duediligence.domain.paths import NotARegularFile, read_regular_file
from duediligence.screening.model import ListEntry, Snapshot

DEFAULT_MAX_BYTES = 1024 * 1024 * 1024
"""The largest list file read unless the settings say otherwise (`list_max_mb`): the real PEP
list is a few hundred MB."""
MAX_NAME_CHARS = 1_000
"""The longest name an entry may have: every later screening compares each name, so one huge
name (a 200 MB one took 85 s and 17 GB per `screen`) would slow every screening for ever."""
MAX_FIELD_CHARS = 4_000
"""The longest any other field of an entry may be (id, date, country, programme, detail)."""


class ListFormatError(Exception):
    """A list file that cannot be imported: names the file, the row or element, and the field."""

    def __init__(self, path: Path | str, location: str, field: str, problem: str) -> None:
        self.path = str(path)
        self.location = location
        self.field = field
        self.problem = problem
        where = f"{Path(self.path).name}, {location}" if location else Path(self.path).name
        super().__init__(f"{where}, field {field!r}: {problem}")


def read_bytes(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The file's bytes, or a ListFormatError if it cannot be read, is not a regular file (a
    FIFO or a device would block or never end) or is larger than `max_bytes`."""
    try:
        return read_regular_file(path, max_bytes)
    except NotARegularFile as error:
        raise ListFormatError(path, "", "file", str(error)) from None
    except OSError as error:
        raise ListFormatError(path, "", "file", f"cannot be read ({error.strerror})") from None


def decode(path: Path, data: bytes) -> str:
    """UTF-8 (with or without BOM), falling back to Windows-1252 as older list files use."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def sha256_of(*blobs: bytes) -> str:
    """SHA-256 of one file, or of the files' own hashes in order for a multi-file list."""
    if len(blobs) == 1:
        return hashlib.sha256(blobs[0]).hexdigest()
    combined = "".join(hashlib.sha256(blob).hexdigest() for blob in blobs)
    return hashlib.sha256(combined.encode()).hexdigest()


_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
        start=1,
    )
}
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_DMY = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_D_MON_Y = re.compile(r"^(?:(\d{1,2})[ -])?([A-Za-z]{3})[a-z]*[ -](\d{4})$")


def partial_date(value: str) -> str:
    """A date as partial ISO ("1965", "1965-03", "1965-03-07"); raises ValueError otherwise.

    Accepts ISO, dd/mm/yyyy with 00 for unknown parts (UK list), and "07 Mar 1965" (OFAC).
    """
    text = value.strip()
    match = _ISO.match(text)
    if match:
        year, month, day = match.group(1), match.group(2), match.group(3)
    else:
        match = _DMY.match(text)
        if match:
            day, month, year = match.group(1), match.group(2), match.group(3)
        else:
            match = _D_MON_Y.match(text)
            if not match or match.group(2).lower() not in _MONTHS:
                raise ValueError(f"not a date: {value!r}")
            day, month, year = match.group(1), str(_MONTHS[match.group(2).lower()]), match.group(3)
    if int(year) == 0:
        raise ValueError(f"no year in date {value!r}")
    if not month or int(month) == 0:
        return year
    if not day or int(day) == 0:
        if not 1 <= int(month) <= 12:
            raise ValueError(f"no such month in {value!r}")
        return f"{year}-{int(month):02d}"
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        raise ValueError(f"no such date: {value!r}") from None


def build_snapshot(
    source: str,
    published: dt.date | None,
    sha256: str,
    files: Sequence[Path],
    entries: Sequence[ListEntry],
) -> Snapshot:
    """Assemble the immutable snapshot (entries are already validated), refusing an entry with
    an over-long name or field: the error names the file and the entry, and nothing is kept."""
    for number, entry in enumerate(entries, start=1):
        _check_lengths(files[0] if files else Path(source), number, entry)
    return Snapshot(
        source=source,
        published=published,
        sha256=sha256,
        files=tuple(path.name for path in files),
        entries=tuple(entries),
    )


def _check_lengths(path: Path, number: int, entry: ListEntry) -> None:
    where = f"entry {number} (id {entry.id[:40]!r})"
    for name in entry.names:
        if len(name.text) > MAX_NAME_CHARS:
            raise ListFormatError(
                path,
                where,
                "name",
                f"a name of {len(name.text):,} characters, more than the {MAX_NAME_CHARS:,} "
                "allowed; nothing was imported",
            )
    fields: list[tuple[str, str]] = [("id", entry.id)]
    fields += [("date of birth", v) for v in entry.dates_of_birth]
    fields += [("nationality", v) for v in entry.nationalities]
    fields += [("gender", entry.gender or "")]
    fields += [("programme", v) for v in entry.programmes]
    fields += [(key, value) for key, value in entry.details] + [
        ("detail name", key) for key, _ in entry.details
    ]
    for field, value in fields:
        if len(value) > MAX_FIELD_CHARS:
            raise ListFormatError(
                path,
                where,
                field,
                f"{len(value):,} characters, more than the {MAX_FIELD_CHARS:,} allowed; "
                "nothing was imported",
            )
