"""MLRO-restricted records: MLRO only, in their own table, in the chain without naming the case,
and absent from every other output (show, export JSON and TOML, the view, the evaluator's
snapshot, the listing, reviews, retention, the case's audit events)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from duediligence.domain.case import NotAllowed, RestrictedKind
from duediligence.services.casefile import CaseFile
from duediligence.services.verify import verify
from tests.casefile.conftest import ALICE, BOB, MARY, ME, RECENT, SEAL, Cli, audit_count
from tests.conftest import dump, query

MARKER = "ZQX-RESTRICTED-7f3a91"
"""In every restricted record: must never appear in a non-MLRO output."""


def test_only_the_mlro_may_add_or_read_restricted_records(
    casefile: CaseFile, case_ref: str, store_path: Path
) -> None:
    before = audit_count(store_path)
    for who in (ALICE, BOB):
        with pytest.raises(NotAllowed, match="for the MLRO \\(nominated officer\\) only"):
            casefile.add_restricted(who, case_ref, RestrictedKind.SAR_REFERENCE, MARKER, SEAL)
        with pytest.raises(NotAllowed, match="for the MLRO"):
            casefile.restricted(who, case_ref, SEAL)
    assert audit_count(store_path) == before
    record = casefile.add_restricted(MARY, case_ref, RestrictedKind.SAR_REFERENCE, MARKER, SEAL)
    assert [r.id for r in casefile.restricted(MARY, case_ref, SEAL)] == [record.id]


def test_the_chain_covers_a_restricted_record_without_naming_it_or_its_case(
    casefile: CaseFile, case_ref: str, store_path: Path
) -> None:
    record = casefile.add_restricted(MARY, case_ref, RestrictedKind.DAML_REFERENCE, MARKER, SEAL)
    ((action, target, case_id),) = query(
        store_path, "SELECT action, target, case_id FROM audit_events ORDER BY seq DESC LIMIT 1"
    )
    assert (action, target, case_id) == ("restricted.add", f"restricted:{record.id}", None)
    assert "sar" not in target.lower() and "daml" not in action.lower()
    assert (
        dump(store_path).count(MARKER) == 0
    )  # sealed: not even the MLRO's own table holds the text
    report = verify(casefile.store, casefile.blobs)
    assert report.ok, report.problems
    # Tampering with it is still detected (store-wide verify), without naming the case.
    query(store_path, "UPDATE mlro_records SET sealed = 'changed'")
    problems = verify(casefile.store, casefile.blobs).problems
    assert [p.where for p in problems] == [f"restricted {record.id}"]


def test_no_case_output_can_reach_a_restricted_record(casefile: CaseFile, case_ref: str) -> None:
    for kind in RestrictedKind:
        casefile.add_restricted(MARY, case_ref, kind, f"{MARKER} {kind.value}", SEAL)
    view = casefile.view(case_ref)
    snapshot = casefile.snapshot(view.records, view.superseded)
    outputs = [
        repr(view),
        repr(view.records),
        repr(snapshot),
        repr(casefile.summaries()),
        repr(casefile.reviews_due()),
        repr(casefile.retention()),
    ]
    for output in outputs:
        assert MARKER not in output
        assert "restricted" not in output
    assert not any(
        getattr(view.records, name) and "Restricted" in repr(getattr(view.records, name))
        for name in vars(view.records)
    )


@pytest.fixture
def mlro_cli(cli: Cli) -> Cli:
    added = cli("users", "add", "mary", "--name", "Mary", "--role", "mlro", "--trained-on", RECENT, "--os-user", ME, user="bob")  # fmt: skip
    assert added.exit_code == 0, added.output
    return cli


@pytest.fixture
def seal_file(tmp_path: Path) -> str:
    path = tmp_path / "mlro-passphrase.txt"
    path.write_text(SEAL + "\n", encoding="utf-8")
    return str(path)


def test_the_command_line_keeps_restricted_records_out_of_every_case_output(
    mlro_cli: Cli, tmp_path: Path, seal_file: str
) -> None:
    cli = mlro_cli
    done = cli("mlro", "add", "M-1", f"SAR ref {MARKER}", "--kind", "sar_reference", "--passphrase-file", seal_file, user="mary")  # fmt: skip
    assert done.exit_code == 0, done.output
    assert MARKER not in done.output
    outputs = [
        cli("cases", "show", "M-1").output,
        cli("cases", "show", "M-1", "--json").output,
        cli("cases", "export", "M-1").output,
        cli("cases", "export", "M-1", "--format", "toml").output,
        cli("cases", "list", "--json").output,
        cli("reviews", "due", "--json").output,
        cli("retention", "due", "--all", "--json").output,
        cli("verify", "M-1", "--json").output,
    ]
    for output in outputs:
        assert MARKER not in output
        assert "restricted" not in output
    exported = json.loads(cli("cases", "export", "M-1").output)
    assert all(e["action"] != "restricted.add" for e in exported["audit_events"])
    # The record sits in the chain between the matter's events, but the export numbers the
    # matter's own events and leaves out the chain's sequence and previous hash: no gap shows.
    assert cli("answer", "M-1", "pep", "no").exit_code == 0
    trail = json.loads(cli("cases", "export", "M-1").output)["audit_events"]
    assert [e["entry"] for e in trail] == list(range(1, len(trail) + 1))
    assert not any("seq" in e or "prev_sha256" in e for e in trail)
    assert cli.json("verify")["ok"] is True
    listed = cli("mlro", "list", "M-1", "--json", "--passphrase-file", seal_file, user="mary")
    assert MARKER in listed.output


def test_a_fee_earner_gets_a_clear_refusal_and_nothing_is_written(
    mlro_cli: Cli, seal_file: str
) -> None:
    cli = mlro_cli
    before = cli.audit_count()
    refused = cli("mlro", "add", "M-1", MARKER, "--passphrase-file", seal_file)
    assert refused.exit_code == 1
    assert "alice cannot use the MLRO's restricted records" in refused.stderr
    assert "Traceback" not in refused.output
    listed = cli("mlro", "list", "M-1", "--passphrase-file", seal_file)
    assert listed.exit_code == 1 and "MLRO" in listed.stderr
    assert cli.audit_count() == before


def test_restricted_counts_are_per_matter_and_for_the_mlro_only(
    casefile: CaseFile, case_ref: str
) -> None:
    def never_asked() -> str:
        raise AssertionError("nothing is sealed yet: no passphrase to ask for")

    assert casefile.restricted_counts(MARY, never_asked) == {}
    casefile.add_restricted(MARY, case_ref, RestrictedKind.SAR_REFERENCE, MARKER, SEAL)
    casefile.add_restricted(MARY, case_ref, RestrictedKind.DELIBERATION, MARKER, SEAL)
    assert casefile.restricted_counts(MARY, SEAL) == {case_ref: 2}
    with pytest.raises(NotAllowed, match="passphrase is wrong"):
        casefile.restricted_counts(MARY, "not the seal phrase")
    for who in (ALICE, BOB):
        with pytest.raises(NotAllowed, match="for the MLRO"):
            casefile.restricted_counts(who, never_asked)


def test_the_database_does_not_say_which_matter_a_restricted_record_concerns(
    casefile: CaseFile, case_ref: str, store_path: Path
) -> None:
    # A SAR reference tied to a matter id in the raw file tells anyone who can read the file
    # that the client was reported: the case is stored as a tag only the passphrase recomputes.
    case_id = casefile.view(case_ref).records.case.id
    casefile.add_restricted(MARY, case_ref, RestrictedKind.SAR_REFERENCE, MARKER, SEAL)
    [(stored,)] = query(store_path, "SELECT case_id FROM mlro_records")
    assert stored.startswith("tag:") and case_id not in stored
    rows = [line for line in dump(store_path).splitlines() if "'mlro_records'" in line]
    assert rows and not any(case_id in line for line in rows)
    [record] = casefile.restricted(MARY, case_ref, SEAL)
    assert (record.case_id, record.text) == (case_id, MARKER)
    assert verify(casefile.store, casefile.blobs).ok


def test_a_record_from_before_the_case_was_hidden_is_tagged_at_the_next_unlock(
    casefile: CaseFile, case_ref: str, store_path: Path
) -> None:
    from datetime import UTC, datetime

    from duediligence.domain.case import Actor, RestrictedRecord

    casefile.add_restricted(MARY, case_ref, RestrictedKind.DELIBERATION, "sets the seal", SEAL)
    case_id = casefile.view(case_ref).records.case.id
    old = RestrictedRecord(
        id="legacy0000000000000000000000000000"[:32],
        case_id=case_id,
        kind=RestrictedKind.SAR_REFERENCE,
        text=MARKER,
        added_at=datetime(2025, 1, 6, tzinfo=UTC),
        added_by="mary",
    )
    with casefile.store.transaction() as tx:  # as a release before sealing wrote it
        tx.add(
            old, actor=Actor(user="mary", os_user="tester"), role="mlro", action="restricted.add"
        )
    texts = sorted(r.text or "" for r in casefile.restricted(MARY, case_ref, SEAL))
    assert texts == sorted([MARKER, "sets the seal"])
    stored = [c for (c,) in query(store_path, "SELECT case_id FROM mlro_records")]
    assert all(c.startswith("tag:") for c in stored)
    assert MARKER not in dump(store_path)
    assert verify(casefile.store, casefile.blobs).ok
