"""Checking a path a user typed, without letting the operating system's errors through.

`Path.exists()` and `Path.is_file()` raise (rather than answer False) for a name the system
cannot even look up: a path or a component too long (ENAMETOOLONG), a NUL byte, no permission
on a folder on the way. Every place that takes a path from a user asks here instead.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


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
