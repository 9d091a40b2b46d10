"""Leftovers of interrupted writes: evidence or list blobs that no record refers to (the file was
stored, then the command failed or was killed before its record was written) and partial writes
(`.incoming-*`, a copy killed midway). They may hold personal data that the retention purge would
never reach, so `verify` reports them and a clean-up (`maintenance clean`, and every retention
purge) removes them. Talks only to ports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from duediligence.services.ports import BlobStore, Session

SETTLE = timedelta(hours=1)
"""How old a file must be to count as left behind. A younger one may belong to a write still in
progress in another process: its blob is stored a moment before its record (and a duplicate
blob is touched when stored again), so removing it could leave a record without its file."""


@dataclass(frozen=True)
class Leftover:
    """One file left behind."""

    folder: Literal["evidence", "lists"]
    """Which blob folder beside the case file holds it."""
    name: str
    """Its name there."""
    kind: Literal["orphan", "partial"]
    """orphan: a whole blob no record refers to; partial: a write that never finished."""
    size: int
    """Bytes."""
    modified: datetime
    """When it was last written."""

    @property
    def path(self) -> str:
        """ "<folder>/<name>", as reports and the clean-up record name it."""
        return f"{self.folder}/{self.name}"

    def __str__(self) -> str:
        what = "blob no record refers to" if self.kind == "orphan" else "partial write"
        return (
            f"{self.path}: {what}, {self.size} bytes, "
            f"written {self.modified.isoformat(sep=' ', timespec='minutes')}"
        )


def find_leftovers(
    tx: Session, folders: Mapping[Literal["evidence", "lists"], BlobStore], now: datetime
) -> list[Leftover]:
    """The leftovers in each folder, judged against the records in `tx`, oldest first."""
    used = {"evidence": tx.blobs_in_use(), "lists": _list_blobs(tx)}
    found = []
    for folder, blobs in folders.items():
        for file in blobs.files():
            if file.modified > now - SETTLE:
                continue
            if file.sha256 is None:
                found.append(Leftover(folder, file.name, "partial", file.size, file.modified))
            elif file.sha256 not in used[folder]:
                found.append(Leftover(folder, file.name, "orphan", file.size, file.modified))
    return sorted(found, key=lambda f: (f.modified, f.path))


def _list_blobs(tx: Session) -> set[str]:
    used: set[str] = set()
    for snapshot in tx.list_snapshots():
        used.update(snapshot.file_blobs)
        used.add(snapshot.entries_blob)
    return used
