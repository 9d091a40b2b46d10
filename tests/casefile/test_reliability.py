"""Real processes on real files: a writer killed with SIGKILL at random points, again and again,
never leaves a broken store or loses an acknowledged write; two racing writers never lose an
update, and the loser is told so."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from duediligence.adapters.locations import StoreLocation
from duediligence.adapters.store import SqlStore
from duediligence.services.casefile import CaseFile
from duediligence.services.verify import verify
from tests.conftest import PROJECT, store_argument

KILLS = 50


def _writer(mode: str, store: StoreLocation, reference: str, user: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.casefile.writer",
            mode,
            store_argument(store),
            reference,
            user,
        ],
        cwd=PROJECT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _ack(line: str) -> tuple[str, str]:
    _, kind, ident = line.split()
    return kind, ident


@pytest.mark.slow
def test_sigkill_in_a_loop_loses_nothing_acknowledged(
    casefile: CaseFile, case_ref: str, store: SqlStore, store_path: Path
) -> None:
    rng = random.Random(20260302)
    acknowledged: list[tuple[str, str]] = []
    for _ in range(KILLS):
        writer = _writer("loop", store_path, case_ref, "alice")
        assert writer.stdout is not None
        first = writer.stdout.readline()  # started and writing
        assert first.startswith("ok "), writer.stderr.read() if writer.stderr else first
        acknowledged.append(_ack(first))
        time.sleep(rng.uniform(0.0, 0.15))
        os.kill(writer.pid, signal.SIGKILL)
        out, _ = writer.communicate()
        acknowledged.extend(_ack(line) for line in out.splitlines() if line.startswith("ok "))
    if isinstance(store_path, Path):  # SQLite's own check of the file (a server keeps its pages)
        with sqlite3.connect(store_path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    report = verify(store, casefile.blobs)
    assert report.ok, report.problems
    records = casefile.view(case_ref).records
    answers = {a.id for a in records.answers}
    evidence = {e.id for e in records.evidence}
    for kind, ident in acknowledged:
        assert ident in (answers if kind == "answer" else evidence), f"lost {kind} {ident}"
    assert len(acknowledged) > KILLS
    # No half-written blob is left visible under a final name.
    for blob in casefile.blobs.root.iterdir():  # type: ignore[attr-defined]
        assert blob.name.startswith(".incoming-") or casefile.blobs.check(blob.name).status == "ok"


@pytest.mark.slow
def test_two_processes_answering_at_once_one_wins_one_is_told(
    casefile: CaseFile, case_ref: str, store: SqlStore, store_path: Path
) -> None:
    writers = [_writer("race", store_path, case_ref, user) for user in ("alice", "bob")]
    outcomes: list[str] = []
    try:
        for _ in range(5):
            for w in writers:
                assert w.stdout is not None and w.stdout.readline().strip() == "ready"
            for w in writers:
                assert w.stdin is not None
                w.stdin.write("go\n")
                w.stdin.flush()
            round_results = sorted(w.stdout.readline().split(" ", 1)[0] for w in writers)  # type: ignore[union-attr]
            outcomes.extend(round_results)
            assert round_results == ["conflict", "ok"]
    finally:
        for w in writers:
            w.kill()
            w.communicate()
    answers = casefile.view(case_ref).records.answers
    assert [a.number for a in answers] == [1, 2, 3, 4, 5]
    assert [a.previous_id for a in answers[1:]] == [a.id for a in answers[:-1]]
    assert verify(store, casefile.blobs).ok
