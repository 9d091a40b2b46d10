"""Checking a path a user typed, without letting the operating system's errors through.

`Path.exists()` and `Path.is_file()` raise (rather than answer False) for a name the system
cannot even look up: a path or a component too long (ENAMETOOLONG), a NUL byte, no permission
on a folder on the way. Every place that takes a path from a user asks here instead.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from duediligence.domain.errors import DueDiligenceError


def shown(path: Path) -> str:
    """The path as text that can always be printed (undecodable bytes escaped)."""
    return os.fsdecode(path).encode("utf-8", "backslashreplace").decode("utf-8")


def path_problem(path: Path, *, folder_ok: bool = False) -> str | None:
    """Why `path` cannot be read as a file (or a folder, when `folder_ok`); None if it can."""
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return f"there is no file at {shown(path)}"
    except ValueError:  # an embedded NUL byte
        return f"there is no file at {shown(path)} (the path has a NUL character)"
    except OSError as error:
        if error.errno == errno.ENAMETOOLONG:
            return f"there is no file at {shown(path)[:80]}…: the path is too long"
        return f"{shown(path)} cannot be read ({error.strerror})"
    if stat.S_ISDIR(info.st_mode):
        return None if folder_ok else f"{shown(path)} is a folder; choose a file"
    if not stat.S_ISREG(info.st_mode):
        return f"{shown(path)} is not a regular file"
    return None


def exists(path: Path) -> bool:
    """Whether anything is at `path`; False (never an error) when the system cannot look it up."""
    try:
        os.stat(path)
    except (OSError, ValueError):
        return False
    return True


class NotARegularFile(OSError):
    """A path to be read is not an ordinary file of a readable size; the message says why."""


def read_regular_file(path: Path, limit: int) -> bytes:
    """The whole content of the ordinary file at `path`, at most `limit` bytes.

    A FIFO, a device (`/dev/zero`), a socket or a folder is refused before anything is read, so
    nothing blocks or reads forever: the file is opened without blocking and then looked at
    through the open descriptor (no race with a file swapped in between). A file larger than
    `limit` is refused with its size. Other OS errors (not found, no permission) propagate.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise NotARegularFile(f"{shown(path)} is a folder; choose a file")
        if not stat.S_ISREG(info.st_mode):
            raise NotARegularFile(
                f"{shown(path)} is not a regular file (a pipe, device or socket); nothing was read"
            )
        if info.st_size > limit:
            raise NotARegularFile(
                f"{shown(path)} is {info.st_size:,} bytes, more than the {limit:,} allowed"
            )
        data = handle.read(limit + 1)
        if len(data) > limit:  # it grew while being read
            raise NotARegularFile(f"{shown(path)} is more than the {limit:,} bytes allowed")
        return data


def _beside(store: Path, suffix: str) -> Path:
    return store.with_name(store.name + suffix)


def output_problem(path: Path, *, store: Path | None, force: bool) -> str | None:
    """Why an output (a PDF, an export, a results CSV) may not be written at `path`; None if
    it may. Never the case file or anything it keeps (its journal files, its evidence, lists
    and renders folders), never a device, pipe or folder, and an existing file only when the
    command was told to replace it (`force`). Symbolic links are followed before comparing."""
    try:
        target = path.resolve()
    except (OSError, ValueError, RuntimeError):
        return f"{shown(path)} cannot be used as an output path"
    if store is not None:
        try:
            case_file = store.resolve()
        except (OSError, ValueError, RuntimeError):
            case_file = None
        if case_file is not None:
            kept = [case_file] + [_beside(case_file, s) for s in ("-wal", "-shm", "-journal")]
            if target in kept:
                return f"{shown(path)} is the case file (or its journal); choose another file"
            for folder in (".evidence", ".lists", ".renders", ".keys"):
                inside = _beside(case_file, folder)
                if target == inside or target.is_relative_to(inside):
                    return f"{shown(path)} is inside the case file's {folder[1:]} folder; choose another file"
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as error:
        if error.errno == errno.ENAMETOOLONG:
            return f"{shown(path)[:80]}…: the path is too long"
        return f"{shown(path)} cannot be written ({error.strerror})"
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            return f"{shown(path)} is a folder; give a file name"
        if not stat.S_ISREG(info.st_mode):
            return f"{shown(path)} is not a regular file (a device, pipe or socket); nothing was written"
        if not force:
            return f"{shown(path)} exists; give --force to replace it"
    parent = target.parent
    if not parent.is_dir():
        return f"the folder {shown(parent)} does not exist"
    return None


@contextmanager
def atomic_output(path: Path, *, store: Path | None, force: bool) -> Iterator[BinaryIO]:
    """A private (0600) temporary file beside `path`, renamed over it only when the block ends
    without an error: a failure half way (a bad row, Ctrl+C, a full disk) leaves whatever was at
    `path` as it was and no temporary file behind. Refused first as `output_problem` says."""
    problem = output_problem(path, store=store, force=force)
    if problem is not None:
        raise OutputRefused(problem)
    target = path.resolve()
    try:
        fd, temp_name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".partial", dir=target.parent
        )
    except OSError as error:
        raise OutputRefused(f"{shown(path)} cannot be written ({error.strerror})") from None
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except OSError as error:
        temp.unlink(missing_ok=True)
        raise OutputRefused(
            f"{shown(path)} cannot be written ({error.strerror}); nothing was written"
        ) from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


class OutputRefused(DueDiligenceError):
    """An output that may not, or could not, be written; nothing was written."""
