"""Eight processes writing to one case file at once (issue 19): answers on the same matter and on
their own, evidence and events; nothing acknowledged is lost, the chain verifies without gaps or
forks, and every refusal is the message a single user would get today.

On both engines: PostgreSQL (the shared store, its transactions serialised by the case file's
advisory lock) and SQLite (its write lock), through the same services.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from duediligence.adapters.store import SqlStore
from duediligence.services.casefile import CaseFile
from duediligence.services.verify import verify
from tests.casefile.conftest import ALICE
from tests.casefile.test_reliability import _writer
from tests.casefile.test_services import _new
from tests.casefile.writer import ROUNDS
from tests.conftest import query

WRITERS = 8

_STALE = re.compile(
    r"^value was answered by (alice|bob) at \d{4}-\d\d-\d\d \d\d:\d\d \(version \d+\) since you "
    r"read it; read it again before answering$"
)
"""What someone who answered on top of an answer that has since changed is told, today."""


@pytest.mark.slow
def test_eight_writers_lose_nothing_and_keep_one_chain(
    casefile: CaseFile, case_ref: str, store: SqlStore, store_path: Path
) -> None:
    own = [f"M-W{i}" for i in range(WRITERS)]
    for reference in own:
        casefile.open_case(ALICE, _new(reference))
    before = int(query(store_path, "SELECT count(*) FROM audit_events")[0][0])
    writers = [
        _writer("mixed", store_path, f"{case_ref},{reference}", "alice" if i % 2 else "bob")
        for i, reference in enumerate(own)
    ]
    lines: list[str] = []
    for writer in writers:
        out, err = writer.communicate(timeout=600)
        assert writer.returncode == 0, err
        assert out.splitlines()[-1] == "done", out
        lines += out.splitlines()[:-1]

    acknowledged = [line.split()[1:] for line in lines if line.startswith("ok ")]
    refusals = [line.removeprefix("conflict ") for line in lines if line.startswith("conflict ")]
    assert len(acknowledged) + len(refusals) == len(lines)
    for message in refusals:
        assert _STALE.match(message), message
    # Every writer answered its own matter every round; the shared one took what did not race.
    assert sum(1 for kind, _ in acknowledged if kind == "answer") == WRITERS * ROUNDS * 2 - len(
        refusals
    )

    records = {ref: casefile.view(ref).records for ref in [case_ref, *own]}
    stored = {
        "answer": {a.id for r in records.values() for a in r.answers},
        "evidence": {e.id for r in records.values() for e in r.evidence},
        "event": {e.id for r in records.values() for e in r.events},
    }
    for kind, ident in acknowledged:
        assert ident in stored[kind], f"lost {kind} {ident}"
    # The shared matter's answers are one line of versions, each on top of the one before.
    shared = [a for a in records[case_ref].answers if a.question_key == "value"]
    assert [a.number for a in shared] == list(range(1, len(shared) + 1))
    assert [a.previous_id for a in shared[1:]] == [a.id for a in shared[:-1]]
    assert len(shared) == WRITERS * ROUNDS - len(refusals) > ROUNDS

    # One chain: numbered without a gap, each event on the one before (verify recomputes it).
    seqs = [int(s) for (s,) in query(store_path, "SELECT seq FROM audit_events ORDER BY seq")]
    assert seqs == list(range(1, len(seqs) + 1))
    assert len(seqs) - before >= len(acknowledged)
    report = verify(store, casefile.blobs)
    assert report.ok, report.problems
