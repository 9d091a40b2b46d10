"""A separate writer process for the reliability tests (run with `python -m tests.casefile.writer`).

`loop STORE CASE USER`: answers and attaches evidence forever, printing `ok answer <id>` /
`ok evidence <id>` only after each write has committed, until it is killed.
`race STORE CASE USER`: per round, reads the current answer, prints `ready`, waits for a line on
stdin, then answers on top of what it read, printing `ok <id>` or `conflict <message>`.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from duediligence.adapters.blobs import BlobDirectory
from duediligence.adapters.checklists_toml import load_library
from duediligence.adapters.locations import evidence_dir
from duediligence.adapters.store import SqlStore
from duediligence.domain.case import Actor, ConflictError
from duediligence.services.casefile import CaseFile, NewEvidence
from tests.casefile.conftest import TODAY

CHECKLISTS = Path(__file__).with_name("checklists")


class Clock:
    """The fixtures' day (their people's training is current then), moving with the wall clock:
    someone whose training has lapsed changes no file."""

    def __init__(self) -> None:
        self.started = datetime.now(UTC)

    def now(self) -> datetime:
        return TODAY + timedelta(hours=1) + (datetime.now(UTC) - self.started)


def main(argv: list[str]) -> None:
    mode, store_path, reference, user = argv
    path = Path(store_path)
    casefile = CaseFile(
        SqlStore(path), BlobDirectory(evidence_dir(path)), load_library([CHECKLISTS]), Clock()
    )
    # The account the fixtures set the firm up from: its first user is bound to it.
    actor = Actor(user=user, os_user="tester")
    if mode == "loop":
        scratch = path.with_name(f"scratch-{user}")
        scratch.mkdir(exist_ok=True)
        n = 0
        while True:
            n += 1
            if n % 5 == 0:
                source = scratch / f"doc{n}.pdf"
                source.write_bytes(f"document {n} ".encode() * (n * 50))
                item = casefile.attach_evidence(
                    actor, reference, source, NewEvidence(document_type="passport")
                )
                print(f"ok evidence {item.id}", flush=True)
            else:
                answer = casefile.answer(actor, reference, "value", f"{n} GBP")
                print(f"ok answer {answer.id}", flush=True)
    if mode == "race":
        while True:
            latest = casefile.view(reference).records.answers
            seen = latest[-1].id if latest else None
            print("ready", flush=True)
            if not sys.stdin.readline():
                return
            try:
                done = casefile.answer(actor, reference, "pep", "no", expected_previous=seen)
                print(f"ok {done.id}", flush=True)
            except ConflictError as error:
                print(f"conflict {error}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
