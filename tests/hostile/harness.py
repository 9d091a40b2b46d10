"""The hostile-input harness: the real `duediligence` program, a fresh copy of a seeded store per
input, a timeout on every run, and a fingerprint of the store to prove a refusal changed nothing.

Each corpus file under tests/hostile/ feeds bad inputs through `Hostile.run` (a child process, so
a hang is caught by its timeout, arguments can be raw bytes that are not UTF-8, and standard output
can be a full device) and asserts the exit code, the message, no traceback, and that
`fingerprint()` is the same before and after (or that `verify` is clean where a write is expected).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import IO

from duediligence.adapters.identity import computer_account
from tests.conftest import PROJECT

RECENT = (date.today() - timedelta(days=30)).isoformat()
TIMEOUT = 60.0
"""Seconds any one run may take; a run past it is a hang and fails the test."""


@dataclass(frozen=True)
class Run:
    """What one run of the program did."""

    args: tuple[str | bytes, ...]
    code: int
    out: str
    err: str

    @property
    def output(self) -> str:
        return self.out + self.err


class Hang(AssertionError):
    """The program did not finish within the timeout."""


class Hostile:
    """The real program against one store, run as a child process."""

    def __init__(self, store: Path, home: Path) -> None:
        self.store = store
        self.home = home

    def env(self, user: str | None = "alice") -> dict[str, str]:
        # Settings come only from here: no developer's config or DUEDILIGENCE_* variables leak in.
        env = {k: v for k, v in os.environ.items() if not k.startswith("DUEDILIGENCE_")}
        env.update(
            HOME=str(self.home),
            XDG_CONFIG_HOME=str(self.home / "config"),
            XDG_DATA_HOME=str(self.home / "data"),
            DUEDILIGENCE_CONFIG=str(self.home / "no-config.toml"),
            DUEDILIGENCE_STORE=str(self.store),
            PYTHONPATH=str(PROJECT),
        )
        if user:
            env["DUEDILIGENCE_USER"] = user
        return env

    def run(
        self,
        *args: str | bytes,
        user: str | None = "alice",
        timeout: float = TIMEOUT,
        stdin: bytes | None = None,
        stdout: IO[bytes] | None = None,
    ) -> Run:
        """Run `duediligence ARGS...`; fail the test on a hang or a traceback."""
        command = [sys.executable, "-m", "duediligence", *args]
        try:
            done = subprocess.run(
                command,
                env=self.env(user),
                input=stdin if stdin is not None else b"",
                stdout=stdout if stdout is not None else subprocess.PIPE,
                stderr=subprocess.PIPE,
                timeout=timeout,
                check=False,
                cwd=self.home,
            )
        except subprocess.TimeoutExpired:
            raise Hang(f"`duediligence {_shown(args)}` did not finish in {timeout} s") from None
        run = Run(
            tuple(args),
            done.returncode,
            (done.stdout or b"").decode("utf-8", "replace"),
            done.stderr.decode("utf-8", "replace"),
        )
        assert "Traceback" not in run.output, f"`duediligence {_shown(args)}`:\n{run.output}"
        return run

    def refused(self, *args: str | bytes, message: str, code: int = 1, **kwargs: object) -> Run:
        """Run, and assert it was refused with `message`, changing nothing in the store."""
        before = self.fingerprint()
        run = self.run(*args, **kwargs)  # type: ignore[arg-type]
        assert run.code == code, f"`duediligence {_shown(args)}` exited {run.code}:\n{run.output}"
        assert message in run.output, f"expected {message!r} in:\n{run.output}"
        assert self.fingerprint() == before, f"`duediligence {_shown(args)}` changed the store"
        return run

    def fingerprint(self) -> dict[str, str]:
        """Every row of every table and every file beside the store, as hashes.

        Rows rather than the database's bytes: SQLite may checkpoint its write-ahead log into
        the file when a reader closes, which moves bytes without changing anything stored.
        """
        prints: dict[str, str] = {}
        if self.store.exists():
            with sqlite3.connect(f"file:{self.store}?mode=ro", uri=True) as conn:
                tables = [
                    name
                    for (name,) in conn.execute(
                        "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"
                    )
                ]
                for table in tables:
                    digest = hashlib.sha256()
                    for row in conn.execute(f'SELECT * FROM "{table}"'):
                        digest.update(repr(row).encode("utf-8", "backslashreplace"))
                    prints[f"table:{table}"] = digest.hexdigest()
        folder = self.store.parent
        for path in sorted(folder.rglob("*")):
            name = path.relative_to(folder).as_posix()
            if path.is_file() and not name.startswith(self.store.name):
                prints[f"file:{name}"] = hashlib.sha256(path.read_bytes()).hexdigest()
            elif not path.is_file() and not path.is_dir():
                prints[f"other:{name}"] = "special"
        return prints

    def verify_clean(self) -> None:
        run = self.run("verify", "--json")
        assert run.code == 0, run.output


def _shown(args: tuple[str | bytes, ...]) -> str:
    return " ".join(a if isinstance(a, str) else os.fsdecode(a) for a in args)[:300]


def seed(folder: Path) -> Path:
    """A store with a firm, an MLRO, a senior manager, a fee earner and one matter M-1 with a
    client party, an answer and one evidence file; returns the store's path."""
    from click.testing import CliRunner

    from duediligence.cli import main

    store = folder / "store" / "case.sqlite3"
    runner = CliRunner()

    def cli(*args: str, user: str | None = "alice") -> None:
        extra = ["--store", str(store)] + (["--as", user] if user else [])
        result = runner.invoke(main, [*args, *extra], catch_exceptions=False)
        assert result.exit_code == 0, (args, result.output)

    cli(
        "init", "--firm", "Smith & Co", "--supervisor", "sra", "--fwra-version", "2026.1",
        "--fwra-date", RECENT, "--user", "bob", "--name", "Bob Senior",
        "--role", "senior_manager", "--role", "supervisor", "--trained-on", RECENT,
        user=None,
    )  # fmt: skip
    cli("users", "add", "alice", "--name", "Alice Fee", "--role", "fee_earner", "--trained-on", RECENT, user="bob")  # fmt: skip
    cli("users", "add", "mary", "--name", "Mary MLRO", "--role", "mlro", "--trained-on", RECENT, "--os-user", computer_account(), user="bob")  # fmt: skip
    cli(
        "cases", "new", "M-1", "--kind", "solicitor", "--matter-type", "residential_purchase",
        "--client-type", "individual", "--acting-for", "buyer", "--responsible", "alice",
    )  # fmt: skip
    cli("parties", "add", "M-1", "--role", "client", "--name", "Ivan Petrov", "--nationality", "GB")  # fmt: skip
    scan = folder / "passport.pdf"
    scan.write_bytes(b"%PDF-1.4 a passport scan")
    cli("evidence", "add", "M-1", str(scan), "--type", "passport", "--question", "verify.id_document", "--party", "p1")  # fmt: skip
    scan.unlink()
    return store


def fresh_copy(template: Path, folder: Path) -> Hostile:
    """A private copy of the seeded store for one test."""
    target = folder / "store"
    shutil.copytree(template.parent, target)
    home = folder / "home"
    home.mkdir()
    return Hostile(target / template.name, home)
