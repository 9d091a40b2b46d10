"""Leftovers of killed or failed writes (issue 11): a list import killed before its re-screen
finished is resumable and `lists` says it is pending; orphan evidence blobs and `.incoming-*`
partial files are reported by `verify` and removed by `maintenance clean` and by the retention
purge; a failed `init` leaves nothing the next `init` trips over. Real program, real SIGKILL."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from click.testing import CliRunner

from duediligence.cli import main
from tests.conftest import PROJECT
from tests.hostile.harness import RECENT, Hostile

PEP_LIST = PROJECT / "tests" / "data" / "screening" / "pep_sample.csv"
F_SETPIPE_SZ = 1031  # Linux: fcntl to resize a pipe


def in_process(hostile: Hostile, *args: str, user: str = "alice") -> None:
    """Set-up steps run in this process (faster than a child), on the same store."""
    result = CliRunner().invoke(
        main, [*args, "--store", str(hostile.store), "--as", user], catch_exceptions=False
    )
    assert result.exit_code == 0, (args, result.output)


def open_matter(hostile: Hostile, reference: str, name: str) -> None:
    in_process(
        hostile, "cases", "new", reference, "--kind", "solicitor",
        "--matter-type", "residential_purchase", "--client-type", "individual",
        "--acting-for", "buyer", "--responsible", "alice",
    )  # fmt: skip
    in_process(hostile, "parties", "add", reference, "--role", "client", "--name", name)


@contextlib.contextmanager
def full_pipe() -> Iterator[int]:
    """The write end of a pipe that is already full: the first write to it blocks until
    someone reads, which nobody does. Given to a child as its standard error, it holds the
    child still at its first progress line, after the step before it has committed."""
    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, F_SETPIPE_SZ, 4096)
    os.set_blocking(write_end, False)
    with contextlib.suppress(BlockingIOError):
        while True:
            os.write(write_end, b"x" * 4096)
    os.set_blocking(write_end, True)
    try:
        yield write_end
    finally:
        os.close(read_end)
        os.close(write_end)


def rescreened(store: Path, reason: str = "new list snapshot") -> int:
    with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as conn:
        (count,) = conn.execute(
            "SELECT count(*) FROM screenings WHERE reason = ?", (reason,)
        ).fetchone()
    return int(count)


def lists_json(hostile: Hostile) -> dict[str, object]:
    run = hostile.run("lists", "--json")
    assert run.code == 0, run.output
    data: dict[str, object] = json.loads(run.out)
    return data


def test_a_list_import_killed_during_its_rescreen_is_pending_and_resumed(hostile: Hostile) -> None:
    open_matter(hostile, "M-2", "Olga Ivanova")
    open_matter(hostile, "M-3", "Peter Brown")
    with full_pipe() as stderr:
        child = subprocess.Popen(
            [sys.executable, "-m", "duediligence", "lists", "import", str(PEP_LIST), "--format", "pep-csv"],
            env=hostile.env("mary"), cwd=hostile.home, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=stderr,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while rescreened(hostile.store) == 0:
                assert child.poll() is None, "the import ended before its re-screen was held"
                assert time.monotonic() < deadline, "the re-screen never started"
                time.sleep(0.05)
            # The list and the first matter's re-screen are committed; the child is held at
            # its first progress line and cannot go on to the next matter.
            os.kill(child.pid, signal.SIGKILL)
        finally:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL
    assert rescreened(hostile.store) == 1

    listed = lists_json(hostile)
    pending = listed["rescreen_pending"]
    assert isinstance(pending, list) and len(pending) == 2
    assert set(pending) < {"M-1", "M-2", "M-3"}
    text = hostile.run("lists").out
    assert "re-screen pending: 2 open matter(s) not screened against the current lists" in text
    assert "run `duediligence lists rescreen`" in text
    hostile.verify_clean()

    # The next import of the same file writes no new snapshot but finishes the re-screen.
    again = hostile.run("lists", "import", str(PEP_LIST), "--format", "pep-csv", user="mary")
    assert again.code == 0, again.output
    assert "finished the pending re-screen" in again.out
    assert "Re-screened 2 parties in 2 open cases" in again.out
    assert rescreened(hostile.store, "new list snapshot (resumed)") == 2
    assert lists_json(hostile)["rescreen_pending"] == []
    nothing = hostile.run("lists", "rescreen", user="mary")
    assert nothing.code == 0 and "No re-screen is pending" in nothing.out
    hostile.verify_clean()


def test_an_import_without_rescreen_is_pending_until_lists_rescreen(hostile: Hostile) -> None:
    open_matter(hostile, "M-2", "Olga Ivanova")
    run = hostile.run(
        "lists", "import", str(PEP_LIST), "--format", "pep-csv", "--no-rescreen", user="mary"
    )
    assert run.code == 0, run.output
    assert lists_json(hostile)["rescreen_pending"] == ["M-1", "M-2"]
    # Screening one matter settles that one; the command says the others still wait.
    one = hostile.run("screening", "run", "M-1")
    assert one.code == 0, one.output
    assert "re-screen pending: 1 open matter(s) not screened against the current lists (M-2)" in (
        one.err
    )
    done = hostile.run("lists", "rescreen", "--json", user="mary")
    assert done.code == 0, done.output
    assert json.loads(done.out)["rescreened"] == {"cases": 1, "parties": 1, "open_hits": 0}
    assert lists_json(hostile)["rescreen_pending"] == []
    hostile.verify_clean()


INIT = (
    "init", "--firm", "Smith & Co", "--supervisor", "sra", "--fwra-version", "2026.1",
    "--fwra-date", RECENT, "--user", "bob", "--name", "Bob Senior", "--role", "senior_manager",
    "--trained-on", RECENT,
)  # fmt: skip


def test_a_refused_init_leaves_a_file_the_next_init_uses(tmp_path: Path) -> None:
    (tmp_path / "home").mkdir()
    new = Hostile(tmp_path / "office" / "case.sqlite3", tmp_path / "home")
    bad = [*INIT]
    bad[bad.index("--fwra-date") + 1] = "2999-01-01"
    refused = new.run(*bad, user=None)
    assert refused.code == 1 and "FWRA date: 2999-01-01 is in the future" in refused.output
    assert new.store.exists()  # the schema is there, the firm is not
    created = new.run(*INIT, user=None)
    assert created.code == 0, created.output
    assert "Case file created" in created.out
    new.verify_clean()


def test_an_init_killed_at_any_moment_is_finished_by_the_next_init(tmp_path: Path) -> None:
    outcomes = set()
    for number, delay in enumerate((0.0, 0.4, 0.8, 1.2, 2.0)):
        home = tmp_path / f"home{number}"
        home.mkdir()
        new = Hostile(tmp_path / f"office{number}" / "case.sqlite3", home)
        child = subprocess.Popen(
            [sys.executable, "-m", "duediligence", *INIT], env=new.env(None), cwd=home,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait()
        again = new.run(*INIT, user=None)
        # Killed before its commit: the next init creates the firm in whatever file was left;
        # after it: the firm is there and init says so. Never a database error.
        if again.code == 0:
            assert "Case file created" in again.out
            outcomes.add("created again")
        else:
            assert again.code == 1 and "already initialised" in again.output, again.output
            outcomes.add("already there")
        users = new.run("users", "list", "--json", user="bob")
        assert users.code == 0 and [u["id"] for u in json.loads(users.out)] == ["bob"]
        with sqlite3.connect(new.store) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        new.verify_clean()
    assert "created again" in outcomes


def aged(path: Path, hours: float = 2.0) -> None:
    """As if written `hours` ago: a clean-up leaves files younger than an hour alone (they may
    be a write still in progress)."""
    past = time.time() - hours * 3600
    os.utime(path, (past, past))


def leftovers_of(hostile: Hostile) -> list[dict[str, object]]:
    run = hostile.run("verify", "--json")
    assert run.code == 0, run.output  # leftovers are not damage: verify still passes
    found: list[dict[str, object]] = json.loads(run.out)["leftovers"]
    return found


def test_a_killed_evidence_write_and_an_orphan_blob_are_reported_and_cleaned(
    hostile: Hostile,
) -> None:
    evidence = hostile.store.parent / f"{hostile.store.name}.evidence"
    lists = hostile.store.parent / f"{hostile.store.name}.lists"
    big = hostile.home / "scan.pdf"
    with big.open("wb") as handle:  # sparse: large to copy, nothing on disk
        handle.truncate(1 << 30)
    child = subprocess.Popen(
        [sys.executable, "-m", "duediligence", "evidence", "add", "M-1", str(big), "--type", "passport", "--party", "p1"],
        env=hostile.env(), cwd=hostile.home, stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not list(evidence.glob(".incoming-*")):
        assert child.poll() is None, "the evidence write ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    (partial,) = evidence.glob(".incoming-*")
    # A blob stored by a write killed before its record: a whole file nothing refers to.
    content = b"%PDF-1.4 a bank statement nobody recorded"
    orphan = evidence / hashlib.sha256(content).hexdigest()
    orphan.write_bytes(content)
    list_orphan = lists / hashlib.sha256(b"a list file").hexdigest()
    lists.mkdir(exist_ok=True)
    list_orphan.write_bytes(b"a list file")
    assert leftovers_of(hostile) == []  # young: may still be a write in progress
    for path in (partial, orphan, list_orphan):
        aged(path)
    found = leftovers_of(hostile)
    assert {(f["file"], f["kind"]) for f in found} == {
        (f"evidence/{partial.name}", "partial"),
        (f"evidence/{orphan.name}", "orphan"),
        (f"lists/{list_orphan.name}", "orphan"),
    }
    text = hostile.run("verify").out
    assert f"leftover evidence/{orphan.name}: blob no record refers to" in text
    assert "3 file(s) left by interrupted writes" in text
    assert "duediligence maintenance clean" in text

    hostile.refused(
        "maintenance", "clean", user="alice",
        message="alice cannot remove the files of interrupted writes: that needs one of: mlro, "
        "senior manager",
    )  # fmt: skip
    run = hostile.run("maintenance", "clean", "--json", user="bob")
    assert run.code == 0, run.output
    removed = json.loads(run.out)["removed"]
    assert sorted(removed["files"]) == sorted(str(f["file"]) for f in found)
    assert removed["reason"] == "maintenance clean" and removed["cleaned_by"] == "bob"
    assert not partial.exists() and not orphan.exists() and not list_orphan.exists()
    assert leftovers_of(hostile) == []
    # The matter's own evidence file is untouched and still checks.
    check = json.loads(hostile.run("verify", "--json").out)
    assert check["ok"] and check["files"] == 1
    again = hostile.run("maintenance", "clean", user="bob")
    assert again.code == 0 and "Nothing to clean" in again.out
    trail = hostile.run("verify", "--json")
    assert trail.code == 0


def test_the_retention_purge_removes_leftovers_too(hostile: Hostile) -> None:
    evidence = hostile.store.parent / f"{hostile.store.name}.evidence"
    partial = evidence / ".incoming-k1ll3d"
    partial.write_bytes(b"half of a passport scan")
    aged(partial)
    young = evidence / ".incoming-busy"
    young.write_bytes(b"being written now")
    run = hostile.run("retention", "purge", "--yes", user="bob")
    assert run.code == 0, run.output
    assert "Nothing was due for deletion." in run.out
    assert f"Removed 1 file(s) left by interrupted writes (23 bytes): evidence/{partial.name}" in (
        run.out
    )
    assert not partial.exists() and young.exists()
    hostile.verify_clean()
