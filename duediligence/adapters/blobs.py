"""Content-addressed evidence files: `<dir>/<sha256>`, written atomically, deduplicated.

Implements `services.ports.BlobStore`. A file is streamed in fixed-size chunks (constant memory
whatever its size) into a private temporary file in the same directory, hashed on the way,
fsynced, then renamed over its final name with `os.replace` and the directory fsynced. The
original file name is never used as a path. Directory 0700, files 0600.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
from pathlib import Path

from duediligence.domain.case import InvalidInput
from duediligence.services.ports import BlobCheck, StoredBlob

CHUNK = 1 << 20
"""Bytes read at a time: large enough for full hashing speed, small enough to be constant memory."""

_NAME = re.compile(r"^[0-9a-f]{64}$")


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
        digest = hashlib.sha256()
        size = 0
        fd, temp_name = tempfile.mkstemp(prefix=".incoming-", dir=self.root)
        temp = Path(temp_name)
        try:
            with reader, os.fdopen(fd, "wb") as writer:
                buffer = bytearray(CHUNK)
                view = memoryview(buffer)
                while n := reader.readinto(buffer):
                    chunk = view[:n]
                    digest.update(chunk)
                    writer.write(chunk)
                    size += n
                writer.flush()
                os.fsync(writer.fileno())
            if size == 0:
                raise InvalidInput(f"{shown!r} is empty (0 bytes); nothing was stored")
            sha = digest.hexdigest()
            final = self.path_of(sha)
            if final.exists():
                temp.unlink()
                return StoredBlob(sha256=sha, size=size, new=False)
            os.chmod(temp, 0o600)
            os.replace(temp, final)
            self._sync_dir()
            return StoredBlob(sha256=sha, size=size, new=True)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise

    def check(self, sha256: str) -> BlobCheck:
        path = self.path_of(sha256)
        digest = hashlib.sha256()
        try:
            with path.open("rb") as reader:
                buffer = bytearray(CHUNK)
                view = memoryview(buffer)
                while n := reader.readinto(buffer):
                    digest.update(view[:n])
        except FileNotFoundError:
            return BlobCheck(sha256=sha256, status="missing")
        actual = digest.hexdigest()
        if actual != sha256:
            return BlobCheck(sha256=sha256, status="altered", actual=actual)
        return BlobCheck(sha256=sha256, status="ok")

    def _sync_dir(self) -> None:
        fd = os.open(self.root, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
