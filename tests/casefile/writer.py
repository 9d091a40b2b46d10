"""A separate writer process for the reliability tests (run with `python -m tests.casefile.writer`).

`loop STORE CASE USER`: answers and attaches evidence forever, printing `ok answer <id>` /
`ok evidence <id>` only after each write has committed, until it is killed.
`race STORE CASE USER`: per round, reads the current answer, prints `ready`, waits for a line on
stdin, then answers on top of what it read, printing `ok <id>` or `conflict <message>`.
`mixed STORE SHARED,OWN USER`: `ROUNDS` rounds, each answering on the shared matter on top of
what it read (`ok answer <id>` or `conflict <message>`), answering on its own matter, and every
few rounds attaching evidence to one or the other and recording an event on its own; prints
`done` at the end. STORE is a SQLite path or a PostgreSQL address.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from duediligence.adapters.blobs import BlobDirectory
from duediligence.adapters.checklists_toml import load_library
from duediligence.adapters.locations import evidence_dir, local_path, store_location
from duediligence.adapters.store import SqlStore
from duediligence.domain.case import Actor, ConflictError
from duediligence.domain.vocabulary import MatterEvent
from duediligence.services.casefile import CaseFile, NewEvidence
from tests.casefile.conftest import TODAY

CHECKLISTS = Path(__file__).with_name("checklists")
ROUNDS = 12


class Clock:
    """The fixtures' day (their people's training is current then), moving with the wall clock:
    someone whose training has lapsed changes no file."""

    def __init__(self) -> None:
        self.started = datetime.now(UTC)

    def now(self) -> datetime:
        return TODAY + timedelta(hours=1) + (datetime.now(UTC) - self.started)


def main(argv: list[str]) -> None:
    mode, store_path, reference, user = argv
    store = store_location(store_path)
    path = local_path(store)
    casefile = CaseFile(
        SqlStore(store, create=False),
        BlobDirectory(evidence_dir(store)),
        load_library([CHECKLISTS]),
        Clock(),
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
    if mode == "mixed":
        shared, own = reference.split(",")
        scratch = path.with_name(f"scratch-{own}")
        scratch.mkdir(exist_ok=True)
        for n in range(1, ROUNDS + 1):
            latest = casefile.view(shared).records.answers
            versions = [a.id for a in latest if a.question_key == "value"]
            try:
                done = casefile.answer(
                    actor,
                    shared,
                    "value",
                    f"{n} GBP",
                    expected_previous=versions[-1] if versions else None,
                )
                print(f"ok answer {done.id}", flush=True)
            except ConflictError as error:
                print(f"conflict {error}", flush=True)
            mine = casefile.answer(actor, own, "value", f"{n * 1000} GBP")
            print(f"ok answer {mine.id}", flush=True)
            if n % 3 == 0:
                source = scratch / f"doc{n}.pdf"
                source.write_bytes(f"{own} document {n} ".encode() * 40)
                item = casefile.attach_evidence(
                    actor, shared if n % 2 else own, source, NewEvidence(document_type="passport")
                )
                print(f"ok evidence {item.id}", flush=True)
            if n % 4 == 0:
                event = casefile.record_event(actor, own, MatterEvent.INSTRUCTED)
                print(f"ok event {event.id}", flush=True)
        print("done", flush=True)
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
