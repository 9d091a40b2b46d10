"""What every importer shares: the error a user sees, hashing, dates and snapshot assembly."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

from duediligence.screening.model import ListEntry, Snapshot


class ListFormatError(Exception):
    """A list file that cannot be imported: names the file, the row or element, and the field."""

    def __init__(self, path: Path | str, location: str, field: str, problem: str) -> None:
        self.path = str(path)
        self.location = location
        self.field = field
        self.problem = problem
        where = f"{Path(self.path).name}, {location}" if location else Path(self.path).name
        super().__init__(f"{where}, field {field!r}: {problem}")


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or a ListFormatError if it cannot be read."""
    try:
        return path.read_bytes()
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
    """Assemble the immutable snapshot (entries are already validated)."""
    return Snapshot(
        source=source,
        published=published,
        sha256=sha256,
        files=tuple(path.name for path in files),
        entries=tuple(entries),
    )
