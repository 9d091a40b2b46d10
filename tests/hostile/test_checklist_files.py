"""Checklist files that are not files or are nested without end (issue 11, tracebacks and hangs):
given to `checklists lint` or as the library of any command through `--checklists`, each is one
line naming the file, never a read that does not end, and the store is unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.harness import Hostile
from tests.hostile.test_inputs import fifo

NOT_A_FILE = "is not a regular file (a pipe, device or socket); nothing was read"
TOO_DEEP = "TOML nested too deeply"


def sources(home: Path) -> list[tuple[Path, str]]:
    deep = home / "deep.toml"
    deep.write_text("x = " + "[" * 100_000 + "]" * 100_000, encoding="utf-8")
    return [
        (fifo(home, "pipe.toml"), NOT_A_FILE),
        (Path("/dev/zero"), NOT_A_FILE),
        (deep, TOO_DEEP),
    ]


def test_lint_refuses_a_pipe_a_device_and_deep_nesting(hostile: Hostile) -> None:
    for source, message in sources(hostile.home):
        run = hostile.refused("checklists", "lint", str(source), message=message)
        assert run.output.startswith(f"{source.name}") or str(source) in run.output


@pytest.mark.parametrize(
    "command", [("cases", "list"), ("answer", "M-1", "ident.dob", "1970-01-01")]
)
def test_a_library_that_is_not_a_file_or_too_deep_is_refused_by_any_command(
    hostile: Hostile, command: tuple[str, ...]
) -> None:
    for source, message in sources(hostile.home):
        hostile.refused(*command, "--checklists", str(source), message=message)
