"""Content-addressed evidence files: `<dir>/<sha256>`, written atomically, deduplicated.

Implements `services.ports.BlobStore`. A file is streamed in fixed-size chunks (constant memory
whatever its size) into a private temporary file in the same directory, hashed on the way,
fsynced, then renamed over its final name with `os.replace` and the directory fsynced. The
original file name is never used as a path. Directory 0700, files 0600.
"""

from __future__ import annotations

import hashlib
import os
import queue
import re
import stat
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from duediligence.domain.case import InvalidInput
from duediligence.services.ports import BlobCheck, StoredBlob, StoredFile

CHUNK = 1 << 20
"""Bytes read at a time: large enough for full hashing speed, small enough to be constant memory."""

_DEPTH = 8
"""Chunks in flight between the hashing and the writing thread (memory bound: 8 MiB)."""

_NAME = re.compile(r"^[0-9a-f]{64}$")
_PARTIAL = ".incoming-"
"""Prefix of a file being written; one left behind was a write killed or failed midway."""


class BlobDirectory:
    """Evidence blobs in one private directory."""

    def __init__(self, root: Path) -> None:
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
        root.chmod(0o700)
        self.root = root

    def path_of(self, sha256: str) -> Path:
        if not _NAME.match(sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.root / sha256

    def put(self, source: Path) -> StoredBlob:
        shown = os.fsdecode(source).encode("utf-8", "backslashreplace").decode("utf-8")
        try:
            info = source.stat()
        except FileNotFoundError:
            raise InvalidInput(f"{shown!r}: no such file") from None
        except OSError as error:
            raise InvalidInput(f"{shown!r}: cannot be read ({error.strerror})") from None
        if stat.S_ISDIR(info.st_mode):
            raise InvalidInput(f"{shown!r} is a directory; give a file")
        if not stat.S_ISREG(info.st_mode):
            raise InvalidInput(f"{shown!r} is not a regular file")
        if info.st_size == 0:
            raise InvalidInput(f"{shown!r} is empty (0 bytes); nothing was stored")
        try:
            reader = source.open("rb")
        except OSError as error:
            raise InvalidInput(f"{shown!r}: cannot be read ({error.strerror})") from None
        fd, temp_name = tempfile.mkstemp(prefix=_PARTIAL, dir=self.root)
        temp = Path(temp_name)
        try:
            with reader, os.fdopen(fd, "wb", buffering=0) as writer:
                sha, size = _copy_hashing(reader, writer)
                os.fsync(writer.fileno())
            if size == 0:
                raise InvalidInput(f"{shown!r} is empty (0 bytes); nothing was stored")
            final = self.path_of(sha)
            if final.exists():
                temp.unlink()
                # Written again now: a blob no record used yet may be about to be used, and a
                # clean-up leaves recent files alone.
                os.utime(final)
                return StoredBlob(sha256=sha, size=size, new=False)
            os.chmod(temp, 0o600)
            os.replace(temp, final)
            self._sync_dir()
            return StoredBlob(sha256=sha, size=size, new=True)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise

    def delete(self, sha256: str) -> bool:
        try:
            self.path_of(sha256).unlink()
        except FileNotFoundError:
            return False
        self._sync_dir()
        return True

    def files(self) -> list[StoredFile]:
        found = []
        with os.scandir(self.root) as entries:
            for entry in entries:
                sha256 = entry.name if _NAME.match(entry.name) else None
                if sha256 is None and not entry.name.startswith(_PARTIAL):
                    continue
                try:
                    info = entry.stat(follow_symlinks=False)
                except FileNotFoundError:  # removed meanwhile (a write finished)
                    continue
                if not stat.S_ISREG(info.st_mode):
                    continue
                modified = datetime.fromtimestamp(info.st_mtime, UTC)
                found.append(StoredFile(entry.name, sha256, info.st_size, modified))
        return sorted(found, key=lambda f: f.name)

    def remove(self, name: str) -> bool:
        if not (_NAME.match(name) or (name.startswith(_PARTIAL) and "/" not in name)):
            raise ValueError(f"not a blob or a partial write: {name!r}")
        try:
            (self.root / name).unlink()
        except FileNotFoundError:
            return False
        self._sync_dir()
        return True

    def check(self, sha256: str) -> BlobCheck:
        try:
            actual = _hash_file(self.path_of(sha256))
        except FileNotFoundError:
            return BlobCheck(sha256=sha256, status="missing")
        if actual != sha256:
            return BlobCheck(sha256=sha256, status="altered", actual=actual)
        return BlobCheck(sha256=sha256, status="ok")

    def _sync_dir(self) -> None:
        fd = os.open(self.root, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _copy_hashing(reader: BinaryIO, writer: BinaryIO) -> tuple[str, int]:
    """Copy reader to writer, hashing on the way; return (sha256, size).

    Hashing and writing overlap: this thread reads and hashes while a second thread writes
    (both release the GIL), through a queue of at most `_DEPTH` chunks, so memory stays
    constant and ingest runs near the speed of hashing alone.
    """
    digest = hashlib.sha256()
    size = 0
    chunks: queue.Queue[bytes | None] = queue.Queue(maxsize=_DEPTH)
    failure: list[BaseException] = []

    def write() -> None:
        try:
            while (chunk := chunks.get()) is not None:
                view = memoryview(chunk)
                while view:
                    written = writer.write(view)
                    view = view[written or 0 :]
        except BaseException as error:  # reported to the reading thread below
            failure.append(error)
            while chunks.get() is not None:
                pass

    thread = threading.Thread(target=write, name="blob-writer", daemon=True)
    thread.start()
    try:
        while chunk := reader.read(CHUNK):
            if failure:
                break
            digest.update(chunk)
            size += len(chunk)
            chunks.put(chunk)
    finally:
        chunks.put(None)
        thread.join()
    if failure:
        raise failure[0]
    return digest.hexdigest(), size


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb", buffering=0) as reader:
        buffer = bytearray(CHUNK)
        view = memoryview(buffer)
        while n := reader.readinto(buffer):
            digest.update(view[:n])
    return digest.hexdigest()
