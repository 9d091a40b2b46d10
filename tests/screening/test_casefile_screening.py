"""Screening in the case file: stored list snapshots, parties screened as they are added and when
a new snapshot arrives, dispositions, and the evaluator's screening facts. Real SQLite on tmp_path.

The sanctions lists here are written by the tests in the UK Sanctions List CSV layout. The
"designation" of Kassym-Jomart Tokayev in them is fictitious (he is a PEP, not a designated
person): it exists to exercise the transliteration examples of issue 6.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from duediligence.adapters.blobs import BlobDirectory
from duediligence.adapters.checklists_toml import load_library
from duediligence.adapters.locations import StoreLocation, evidence_dir, lists_dir, local_path
from duediligence.adapters.store import SqlStore
from duediligence.cli import main
from duediligence.domain.case import (
    Actor,
    InvalidInput,
    NotAllowed,
    PartyKind,
    PartyRole,
    Person,
    Supervisor,
)
from duediligence.domain.library import ChecklistLibrary
from duediligence.domain.screening_records import Outcome, ReasonCode, reason_contradictions
from duediligence.domain.vocabulary import ClientType, Fact, FirmRole, Gate, Role
from duediligence.services.casefile import CaseFile, NewCase, NewParty
from duediligence.services.screening import ScreeningService, reason_conflicts
from duediligence.services.verify import verify
from tests.conftest import dump, query, store_argument
from tests.screening.conftest import FIXTURES

TODAY = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
BOB = Actor(user="bob", os_user="tester")
ALICE = Actor(user="alice", os_user="tester")
HEADER = next(csv.reader(io.StringIO((FIXTURES / "uksl_sample.csv").read_text().splitlines()[1])))


@dataclass
class FixedClock:
    moment: datetime = TODAY

    def now(self) -> datetime:
        self.moment += timedelta(seconds=1)
        return self.moment


def write_uksl(path: Path, report: date, rows: list[dict[str, str]]) -> Path:
    """A UK Sanctions List CSV with the given rows (column name -> value)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        handle.write(f"Report Date: {report:%d-%b-%Y}\n")
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for row in rows:
            unknown = set(row) - set(HEADER)
            assert not unknown, unknown
            writer.writerow([row.get(column, "") for column in HEADER])
    return path


def tokayev(dob: str = "17/05/1953") -> dict[str, str]:
    return {
        "Unique ID": "TST0001",
        "Name 6": "TOKAYEV",
        "Name 1": "Kassym-Jomart",
        "Name type": "Primary Name",
        "Regime Name": "Test regime",
        "Designation Type": "Individual",
        "D.O.B": dob,
    }


OTHER = {
    "Unique ID": "TST0002",
    "Name 6": "KOVALCHUK",
    "Name 1": "Ostap",
    "Name type": "Primary Name",
    "Regime Name": "Test regime",
    "Designation Type": "Individual",
}


@dataclass
class World:
    casefile: CaseFile
    service: ScreeningService
    store: SqlStore
    store_path: StoreLocation
    clock: FixedClock
    tmp: Path

    def add_party(self, name: str, reference: str = "M-1", **extra: Any) -> None:
        self.casefile.add_party(
            ALICE,
            reference,
            NewParty(
                role=extra.pop("role", PartyRole.CLIENT),
                kind=PartyKind.INDIVIDUAL,
                name=name,
                **extra,
            ),
        )

    def evaluation_facts(self, reference: str = "M-1") -> Any:
        view = self.casefile.view(reference)
        return self.casefile.snapshot(view.records, view.superseded).facts, view.evaluation

    def audit_count(self) -> int:
        return int(query(self.store_path, "SELECT count(*) FROM audit_events")[0][0])


@pytest.fixture(scope="module")
def library() -> ChecklistLibrary:
    return load_library(None)


@pytest.fixture
def world(
    tmp_path: Path, library: ChecklistLibrary, new_store: Callable[[Path], StoreLocation]
) -> Iterator[World]:
    store_path = new_store(tmp_path / "case.sqlite3")
    store = SqlStore(store_path)
    clock = FixedClock()
    casefile = CaseFile(store, BlobDirectory(evidence_dir(store_path)), library, clock)
    service = ScreeningService(store, BlobDirectory(lists_dir(store_path)), clock, max_age_days=7)
    casefile.screener = service
    service.after_change = casefile._refresh
    casefile.init_firm(
        firm_name="Smith & Co",
        supervisor=Supervisor.SRA,
        fwra_version="2026.1",
        fwra_date=date(2026, 1, 5),
        first_user=Person(
            id="bob",
            name="Bob Senior",
            roles=(Role.SENIOR_MANAGER, Role.SUPERVISOR, Role.MLRO),
            trained_on=date(2025, 11, 1),
        ),
        os_user="tester",
    )
    casefile.add_person(
        BOB,
        Person(id="alice", name="Alice Fee", roles=(Role.FEE_EARNER,), trained_on=date(2025, 6, 1)),
    )
    casefile.open_case(
        ALICE,
        NewCase(
            reference="M-1",
            firm_role=FirmRole.SOLICITOR,
            matter_type="residential_purchase",
            client_type=ClientType.INDIVIDUAL,
            responsible="alice",
            acting_for="buyer",
        ),
    )
    yield World(casefile, service, store, store_path, clock, tmp_path)
    store.close()


def sanctions_list(world: World, name: str, report: date, *rows: dict[str, str]) -> Path:
    return write_uksl(world.tmp / name, report, list(rows))


# ----------------------------------------------------------------------------------------------
# Snapshots


def test_a_malformed_file_names_row_and_field_and_imports_nothing(world: World) -> None:
    bad = sanctions_list(world, "bad.csv", date(2026, 3, 1), OTHER, tokayev(dob="31/02/1953"))
    before = world.audit_count()
    with pytest.raises(InvalidInput) as raised:
        world.service.import_list(BOB, bad, "uksl-csv")
    message = str(raised.value)
    assert "D.O.B" in message and "row" in message and "nothing was imported" in message
    assert world.service.snapshots() == []
    assert world.audit_count() == before
    assert list(lists_dir(world.store_path).iterdir()) == []


def test_a_path_too_long_for_the_system_is_a_message_and_imports_nothing(world: World) -> None:
    before = world.audit_count()
    for list_format in ("uksl-csv", "ofac-csv"):
        with pytest.raises(InvalidInput) as raised:
            world.service.import_list(BOB, Path("/tmp/" + "a" * 300), list_format)
        message = str(raised.value)
        assert "there is no file at" in message and "the path is too long" in message
    assert world.service.snapshots() == []
    assert world.audit_count() == before


def test_an_import_records_source_date_hash_counts_and_is_audited(world: World) -> None:
    path = sanctions_list(world, "uksl.csv", date(2026, 3, 1), tokayev(), OTHER)
    result = world.service.import_list(BOB, path, "uksl-csv")
    record = result.snapshot
    assert result.new
    assert record.source == "uksl-csv"
    assert record.published == date(2026, 3, 1)
    assert record.counts == {"person": 2, "entity": 0, "names": 2}
    import hashlib

    assert record.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (lists_dir(world.store_path) / record.file_blobs[0]).read_bytes() == path.read_bytes()
    again = world.service.import_list(BOB, path, "uksl-csv")
    assert not again.new and again.snapshot.id == record.id
    assert len(world.service.snapshots()) == 1
    assert verify(world.store, BlobDirectory(evidence_dir(world.store_path))).ok


def test_screening_uses_the_newest_snapshot_of_each_source(world: World) -> None:
    newer = sanctions_list(world, "new.csv", date(2026, 3, 1), OTHER)
    older = sanctions_list(world, "old.csv", date(2026, 2, 1), tokayev())
    world.service.import_list(BOB, newer, "uksl-csv")
    world.service.import_list(BOB, older, "uksl-csv")  # imported later, published earlier
    world.service.import_list(BOB, FIXTURES / "pep_sample.csv", "pep-csv")
    statuses = world.service.snapshots()
    current = sorted((s.record.source, s.record.published) for s in statuses if s.current)
    assert current == [("pep-csv", date(2026, 1, 31)), ("uksl-csv", date(2026, 3, 1))]
    index, records = world.service.index()
    assert {r.source for r in records} == {"uksl-csv", "pep-csv"}
    from duediligence.screening.model import Query

    hits = index.screen(Query(name="Kassym-Jomart Tokayev")).hits
    assert [h.source for h in hits if h.band.value != "no_alert"] == ["pep-csv"]


def test_a_list_older_than_the_limit_is_flagged(world: World) -> None:
    [nothing] = world.service.list_warnings()
    assert "no sanctions or PEP list has been imported" in nothing
    stale = sanctions_list(world, "stale.csv", date(2026, 2, 20), OTHER)
    world.service.import_list(BOB, stale, "uksl-csv")
    [status] = world.service.snapshots()
    assert status.age_days == 10 and status.stale
    assert world.service.list_warnings() == [
        "the uksl-csv list is 10 days old (older than 7 days); import a newer one"
    ]
    fresh = sanctions_list(world, "fresh.csv", date(2026, 3, 1), OTHER)
    world.service.import_list(BOB, fresh, "uksl-csv")
    assert world.service.list_warnings() == []


# ----------------------------------------------------------------------------------------------
# In the case


def test_a_possible_sanctions_match_blocks_every_gate_and_holds_funds(world: World) -> None:
    world.service.import_list(
        BOB, sanctions_list(world, "uksl.csv", date(2026, 3, 1), tokayev(), OTHER), "uksl-csv"
    )
    facts, evaluation = world.evaluation_facts()
    # Nobody screened yet: the matter must not pass a gate as if screening had happened.
    assert facts[Fact.SANCTIONS_SCREENING] == "not_screened"
    world.add_party("Kassym-Jomart Tokayev")
    [view] = world.service.hits("M-1")
    assert view.hit.key == "uksl-csv:TST0001"
    assert view.hit.band in {"review", "strong"}
    assert view.status.value == "possible_match"
    explanation = json.loads(view.hit.explanation)
    assert explanation["alignment"] and explanation["snapshot_id"].startswith("uksl-csv:")
    facts, evaluation = world.evaluation_facts()
    assert facts[Fact.SANCTIONS_SCREENING] == "possible_match"
    assert facts[Fact.PEP_SCREENING] == "not_screened"  # no PEP list imported
    assert evaluation.funds_held
    assert evaluation.referrals
    assert all(not evaluation.gate(gate).open for gate in Gate)
    summary = next(s for s in world.casefile.summaries() if s.reference == "M-1")
    assert summary is not None


def test_a_false_positive_clears_and_stays_cleared_until_the_entry_changes(world: World) -> None:
    world.service.import_list(
        BOB, sanctions_list(world, "v1.csv", date(2026, 3, 1), tokayev(), OTHER), "uksl-csv"
    )
    world.add_party("Kassym-Jomart Tokayev", date_of_birth=date(1953, 5, 17))
    [view] = world.service.hits("M-1")
    with pytest.raises(InvalidInput):
        world.service.dispose(
            ALICE, "M-1", view.hit.id, Outcome.FALSE_POSITIVE, ReasonCode.TP_CONFIRMED_ESCALATE, "x"
        )
    disposition = world.service.dispose(
        BOB,
        "M-1",
        view.hit.id[:8],
        Outcome.FALSE_POSITIVE,
        ReasonCode.FP_OTHER,
        "Passport seen: a different person",
    )
    assert disposition.decided_by == "bob" and disposition.key == "uksl-csv:TST0001"
    facts, evaluation = world.evaluation_facts()
    assert facts[Fact.SANCTIONS_SCREENING] == "clear"
    assert not evaluation.funds_held

    # Screened again against the same entry: remembered, not raised.
    world.service.screen_case(ALICE, "M-1")
    [again] = world.service.hits("M-1")
    assert again.hit.id != view.hit.id
    assert again.hit.suppressed_by == disposition.id
    assert again.status.value == "clear"
    assert world.evaluation_facts()[0][Fact.SANCTIONS_SCREENING] == "clear"

    # A new snapshot in which the entry is unchanged (another entry changed): still cleared.
    v2 = sanctions_list(
        world, "v2.csv", date(2026, 3, 2), tokayev(), {**OTHER, "Name 2": "Ivanovych"}
    )
    world.service.import_list(BOB, v2, "uksl-csv")
    world.service.rescreen_open_cases(BOB)
    assert world.evaluation_facts()[0][Fact.SANCTIONS_SCREENING] == "clear"

    # The entry changes (a further date of birth): raised again.
    changed = tokayev(dob="17/05/1953|00/00/1954")
    v3 = sanctions_list(world, "v3.csv", date(2026, 3, 3), changed, OTHER)
    world.service.import_list(BOB, v3, "uksl-csv")
    result = world.service.rescreen_open_cases(BOB)
    assert result.open_hits == 1
    [raised] = world.service.hits("M-1")
    assert raised.hit.suppressed_by is None and raised.status.value == "possible_match"
    assert world.evaluation_facts()[0][Fact.SANCTIONS_SCREENING] == "possible_match"


def test_a_true_match_stays_a_true_match(world: World) -> None:
    world.service.import_list(
        BOB, sanctions_list(world, "uksl.csv", date(2026, 3, 1), tokayev()), "uksl-csv"
    )
    world.add_party("Касым-Жомарт Токаев")
    [view] = world.service.hits("M-1")
    world.service.dispose(
        BOB,
        "M-1",
        view.hit.id,
        Outcome.TRUE_MATCH,
        ReasonCode.TP_CONFIRMED_ESCALATE,
        "Same DOB and nationality",
    )
    world.service.screen_case(ALICE, "M-1")
    facts, evaluation = world.evaluation_facts()
    assert facts[Fact.SANCTIONS_SCREENING] == "true_match"
    assert evaluation.funds_held and all(not evaluation.gate(g).open for g in Gate)


def test_pep_hits_feed_pep_screening(world: World) -> None:
    world.service.import_list(BOB, FIXTURES / "pep_sample.csv", "pep-csv")
    world.add_party("Qasym-Jomart Toqaev")
    facts, _ = world.evaluation_facts()
    assert facts[Fact.PEP_SCREENING] == "possible_match"
    assert facts[Fact.SANCTIONS_SCREENING] == "not_screened"


def test_a_new_snapshot_rescreens_open_matters_with_progress(world: World) -> None:
    world.add_party("Kassym-Jomart Tokayev")  # no list yet: not screened, nothing claimed
    world.add_party("Ostap Kovalchuk", role=PartyRole.PAYER)
    assert world.service.hits("M-1") == []
    world.service.import_list(
        BOB, sanctions_list(world, "uksl.csv", date(2026, 3, 1), tokayev()), "uksl-csv"
    )
    seen: list[tuple[int, int, str]] = []
    result = world.service.rescreen_open_cases(BOB, lambda *step: seen.append(step))
    assert seen == [(1, 1, "M-1")]
    assert (result.cases, result.parties, result.open_hits) == (1, 2, 1)
    assert world.evaluation_facts()[0][Fact.SANCTIONS_SCREENING] == "possible_match"
    assert verify(world.store, BlobDirectory(evidence_dir(world.store_path))).ok


def test_a_party_not_yet_screened_reads_not_screened(world: World) -> None:
    world.add_party("Ostap Kovalchuk")  # before any list
    world.service.import_list(
        BOB, sanctions_list(world, "uksl.csv", date(2026, 3, 1), OTHER), "uksl-csv"
    )
    world.add_party("Jane Smith", role=PartyRole.PAYER)  # screened on adding: clear
    assert world.evaluation_facts()[0][Fact.SANCTIONS_SCREENING] == "not_screened"
    world.service.screen_case(ALICE, "M-1")
    facts, _ = world.evaluation_facts()
    assert facts[Fact.SANCTIONS_SCREENING] == "possible_match"  # Ostap Kovalchuk is listed


# ----------------------------------------------------------------------------------------------
# Command line


class Cli:
    def __init__(self, store: StoreLocation) -> None:
        self.location = store
        """The case file: a SQLite file or a PostgreSQL database."""
        self.store = local_path(store)
        """The SQLite file (for a database, the local stand-in its folders are named after)."""
        self.runner = CliRunner()

    def __call__(self, *args: str, user: str | None = "bob") -> Result:
        extra = ["--store", store_argument(self.location)]
        if user:
            extra += ["--as", user]
        return self.runner.invoke(main, [*args, *extra], catch_exceptions=False)

    def json(self, *args: str, user: str | None = "bob") -> Any:
        result = self(*args, "--json", user=user)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)


@pytest.fixture
def cli(tmp_path: Path, new_store: Callable[[Path], StoreLocation]) -> Cli:
    cli = Cli(new_store(tmp_path / "store" / "case.sqlite3"))
    recent = (date.today() - timedelta(days=30)).isoformat()
    done = cli(
        "init", "--firm", "Smith & Co", "--supervisor", "sra", "--fwra-version", "2026.1",
        "--fwra-date", recent, "--user", "bob", "--name", "Bob Senior",
        "--role", "senior_manager", "--role", "supervisor", "--role", "mlro",
        "--trained-on", recent,
        user=None,
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    opened = cli(
        "cases", "new", "M-1", "--kind", "solicitor", "--matter-type", "residential_purchase",
        "--client-type", "individual", "--acting-for", "buyer", "--responsible", "bob",
    )  # fmt: skip
    assert opened.exit_code == 0, opened.output
    return cli


def test_cli_lists_screen_and_dispose(cli: Cli, tmp_path: Path) -> None:
    assert cli.json("lists")["snapshots"] == []
    none = cli("screen", "Kassym-Jomart Tokayev", user=None)
    assert none.exit_code == 2 and "lists import" in none.output

    bad = write_uksl(tmp_path / "bad.csv", date.today(), [tokayev(dob="99/99/1953")])
    failed = cli("lists", "import", str(bad), "--format", "uksl-csv")
    assert failed.exit_code == 1 and "nothing was imported" in failed.output
    assert "Traceback" not in failed.output
    assert cli.json("lists")["snapshots"] == []

    good = write_uksl(tmp_path / "uksl.csv", date.today(), [tokayev(), OTHER])
    assert cli("parties", "add", "M-1", "--role", "client", "--kind", "individual",
               "--name", "Kassym-Jomart Tokayev").exit_code == 0  # fmt: skip
    imported = cli.json("lists", "import", str(good), "--format", "uksl-csv")
    assert imported["new"] and imported["rescreened"] == {"cases": 1, "parties": 1, "open_hits": 1}
    listed = cli.json("lists")
    assert [s["source"] for s in listed["snapshots"]] == ["uksl-csv"]
    assert listed["snapshots"][0]["current"] and listed["warnings"] == []
    assert "in use" in cli("lists").output

    stored = cli("screen", "Qasym-Jomart Toqaev", "--json", user=None)
    assert stored.exit_code == 0, stored.output
    assert json.loads(stored.stdout)["hits"][0]["entry"]["id"] == "TST0001"
    override = cli("screen", "Qasym-Jomart Toqaev", "--list", f"pep-csv:{FIXTURES / 'pep_sample.csv'}", "--json", user=None)  # fmt: skip
    assert json.loads(override.stdout)["hits"][0]["source"] == "pep-csv"

    hits = cli.json("screening", "hits", "M-1")["hits"]
    assert [(h["list"], h["status"]) for h in hits] == [("uksl-csv:TST0001", "possible_match")]
    text = cli("screening", "hits", "M-1").output
    assert "TST0001" in text and "possible_match" in text

    mismatch = cli("screening", "dispose", "M-1", hits[0]["id"], "--false-positive",
                   "--reason", "TP_CONFIRMED_ESCALATE", "--note", "x")  # fmt: skip
    assert mismatch.exit_code == 1 and "does not fit" in mismatch.output
    both = cli("screening", "dispose", "M-1", hits[0]["id"], "--false-positive", "--as-true-match",
               "--reason", "FP_DIFFERENT_DOB", "--note", "x")  # fmt: skip
    assert both.exit_code == 2
    unknown = cli("screening", "dispose", "M-1", "abcdef12", "--false-positive",
                  "--reason", "FP_DIFFERENT_DOB", "--note", "Born 1970, passport seen")  # fmt: skip
    assert unknown.exit_code == 1 and "no hit" in unknown.output
    # No date of birth is recorded for the party: "different date of birth" is refused.
    contradicted = cli("screening", "dispose", "M-1", hits[0]["id"][:8], "--false-positive",
                       "--reason", "FP_DIFFERENT_DOB", "--note", "Born 1970, passport seen")  # fmt: skip
    assert contradicted.exit_code == 1
    assert "Kassym-Jomart Tokayev has no date of birth recorded" in contradicted.output
    done = cli.json("screening", "dispose", "M-1", hits[0]["id"][:8], "--false-positive",
                    "--reason", "FP_OTHER", "--note", "Photo on the list differs; passport seen")  # fmt: skip
    assert done["outcome"] == "false_positive" and done["decided_by"] == "bob"
    run = cli.json("screening", "run", "M-1")
    assert [h["status"] for h in run["hits"]] == ["clear"]
    assert run["hits"][0]["suppressed_by"] == done["id"]
    assert cli("verify").exit_code == 0


def test_cli_screening_of_an_unknown_case_is_a_message(cli: Cli, tmp_path: Path) -> None:
    good = write_uksl(tmp_path / "uksl.csv", date.today(), [OTHER])
    assert cli("lists", "import", str(good), "--format", "uksl-csv").exit_code == 0
    missing = cli("screening", "run", "NOPE")
    assert missing.exit_code == 1 and "no case 'NOPE'" in missing.output
    nobody = cli("lists", "import", str(good), "--format", "uksl-csv", user=None)
    assert nobody.exit_code == 1 and "--as" in nobody.output


def test_cli_batch_uses_the_stored_lists(cli: Cli, tmp_path: Path) -> None:
    good = write_uksl(tmp_path / "uksl.csv", date.today() - timedelta(days=30), [tokayev(), OTHER])
    assert cli("lists", "import", str(good), "--format", "uksl-csv").exit_code == 0
    listed = cli.json("lists")
    assert listed["snapshots"][0]["stale"] and "30 days old" in listed["warnings"][0]
    people = tmp_path / "people.csv"
    people.write_text("full_name,date_of_birth\nQasym-Jomart Toqaev,1953-05-17\nJane Smith,\n")
    output = tmp_path / "out.csv"
    done = cli("screen", "--batch", str(people), "--output", str(output), "--json", user=None)
    assert done.exit_code == 0, done.output
    assert "warning:" in done.stderr and "30 days old" in done.stderr
    rows = list(csv.DictReader(output.open()))
    assert [(r["entry_id"], r["band"] != "no_alert") for r in rows] == [
        ("TST0001", True),
        ("", False),
    ]


def test_the_compact_form_round_trips_every_importer(un_snapshot: Any) -> None:
    from duediligence.screening.compact import decode_entries, encode_entries
    from duediligence.screening.importers import import_list

    snapshots = [
        un_snapshot,
        import_list("pep-csv", FIXTURES / "pep_sample.csv"),
        import_list("uksl-csv", FIXTURES / "uksl_sample.csv"),
        import_list("ftm-json", FIXTURES / "ftm_sample.jsonl"),
    ]
    for snapshot in snapshots:
        decoded = decode_entries(encode_entries(snapshot.entries))
        assert [e.model_dump() for e in decoded] == [e.model_dump() for e in snapshot.entries]


def test_an_altered_stored_list_is_refused_by_name(world: World) -> None:
    from duediligence.domain.errors import DueDiligenceError

    record = world.service.import_list(
        BOB, sanctions_list(world, "uksl.csv", date(2026, 3, 1), OTHER), "uksl-csv"
    ).snapshot
    blob = lists_dir(world.store_path) / record.entries_blob
    data = bytearray(blob.read_bytes())
    data[-3] ^= 0xFF
    blob.write_bytes(bytes(data))
    fresh = ScreeningService(world.store, BlobDirectory(lists_dir(world.store_path)), world.clock)
    with pytest.raises(DueDiligenceError, match="uksl-csv"):
        fresh.index()


def test_the_retention_purge_deletes_screenings_and_dispositions(world: World) -> None:
    from duediligence.domain.vocabulary import MatterEvent

    world.service.import_list(
        BOB, sanctions_list(world, "uksl.csv", date(2026, 3, 1), tokayev()), "uksl-csv"
    )
    world.add_party("Kassym-Jomart Tokayev")
    [view] = world.service.hits("M-1")
    world.service.dispose(
        BOB,
        "M-1",
        view.hit.id,
        Outcome.FALSE_POSITIVE,
        ReasonCode.FP_OTHER,
        "Born 1980, passport seen",
    )
    world.casefile.record_event(
        ALICE, "M-1", MatterEvent.RELATIONSHIP_ENDED, datetime(2020, 1, 10, tzinfo=UTC)
    )
    ((_, deletion),) = world.casefile.purge(BOB).deleted
    assert deletion.records["screening"] == 1 and deletion.records["disposition"] == 1
    records = world.casefile.view("M-1").records
    assert records.screenings == () and records.dispositions == ()
    text = dump(world.store_path)
    assert "Kassym-Jomart Tokayev" not in text and "Born 1980" not in text
    assert verify(world.store, BlobDirectory(evidence_dir(world.store_path))).ok


def test_only_the_mlro_decides_a_sanctions_hit(world: World) -> None:
    world.service.import_list(
        BOB, sanctions_list(world, "uksl.csv", date(2026, 3, 1), tokayev()), "uksl-csv"
    )
    world.add_party("Kassym-Jomart Tokayev")
    [view] = world.service.hits("M-1")
    with pytest.raises(NotAllowed, match="only the MLRO may decide a sanctions hit"):
        world.service.dispose(
            ALICE,
            "M-1",
            view.hit.id,
            Outcome.FALSE_POSITIVE,
            ReasonCode.FP_DIFFERENT_DOB,
            "Passport DOB 1980-02-01",
        )
    assert world.service.hits("M-1")[0].status.value == "possible_match"  # nothing recorded


def test_a_decision_needs_a_note_saying_what_was_compared(world: World) -> None:
    world.service.import_list(
        BOB, sanctions_list(world, "uksl.csv", date(2026, 3, 1), tokayev()), "uksl-csv"
    )
    world.add_party("Kassym-Jomart Tokayev")
    [view] = world.service.hits("M-1")
    before = world.audit_count()
    with pytest.raises(InvalidInput, match="the note is too short \\(3 characters\\)"):
        world.service.dispose(
            BOB, "M-1", view.hit.id, Outcome.FALSE_POSITIVE, ReasonCode.FP_OTHER, "  ok!  "
        )
    assert world.audit_count() == before
    assert world.service.hits("M-1")[0].status.value == "possible_match"


def test_a_reason_the_recorded_data_contradicts_is_refused(world: World) -> None:
    """Finding 10: the dates of birth agree, so neither "different date of birth" nor "common
    name, nothing corroborates" can clear the hit; a true match is never contradicted."""
    world.service.import_list(
        BOB, sanctions_list(world, "uksl.csv", date(2026, 3, 1), tokayev()), "uksl-csv"
    )
    world.add_party("Kassym-Jomart Tokayev", date_of_birth=date(1953, 5, 17))
    [view] = world.service.hits("M-1")
    different_dob = reason_contradictions(view.party, view.hit, ReasonCode.FP_DIFFERENT_DOB)
    assert different_dob == ["the dates of birth agree (match: ours 1953-05-17, listed 1953-05-17)"]
    common_name = reason_contradictions(
        view.party, view.hit, ReasonCode.FP_COMMON_NAME_NO_CORROBORATION
    )
    assert any("date of birth corroborates" in c for c in common_name)
    before = world.audit_count()
    for reason in (ReasonCode.FP_DIFFERENT_DOB, ReasonCode.FP_COMMON_NAME_NO_CORROBORATION):
        with pytest.raises(InvalidInput) as refused:
            world.service.dispose(
                BOB, "M-1", view.hit.id, Outcome.FALSE_POSITIVE, reason, "Looked at it carefully"
            )
        assert str(refused.value).startswith(f"'{reason.label}' is not what the record shows: ")
        assert str(refused.value).endswith("Nothing was recorded")
    assert world.audit_count() == before
    assert world.service.hits("M-1")[0].status.value == "possible_match"
    # Confirming the match is never contradicted by agreeing data.
    assert reason_conflicts(view.hit, Outcome.TRUE_MATCH, ReasonCode.TP_CONFIRMED_ESCALATE) == []


def test_a_different_date_of_birth_is_no_contradiction(world: World) -> None:
    world.service.import_list(
        BOB, sanctions_list(world, "uksl.csv", date(2026, 3, 1), tokayev()), "uksl-csv"
    )
    world.add_party("Kassym-Jomart Tokayev", date_of_birth=date(1980, 2, 1))
    [view] = world.service.hits("M-1")
    assert reason_contradictions(view.party, view.hit, ReasonCode.FP_DIFFERENT_DOB) == []
    done = world.service.dispose(
        BOB,
        "M-1",
        view.hit.id,
        Outcome.FALSE_POSITIVE,
        ReasonCode.FP_DIFFERENT_DOB,
        "Passport: born 1 February 1980",
    )
    assert done.reason is ReasonCode.FP_DIFFERENT_DOB


def test_ofac_trio_is_dated_by_its_newest_date_or_by_the_date_given_at_import(
    cli: Cli, tmp_path: Path
) -> None:
    ofac = FIXTURES / "lists" / "ofac"
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    future = cli("lists", "import", str(ofac), "--format", "ofac-csv", "--published", tomorrow)
    assert future.exit_code == 1 and "after today" in future.output, future.output
    assert "nothing was imported" in future.output
    banana = cli("lists", "import", str(ofac), "--format", "ofac-csv", "--published", "banana")
    assert banana.exit_code != 0 and "--published: 'banana' is not a date" in banana.output
    assert "Traceback" not in future.output + banana.output
    assert cli.json("lists")["snapshots"] == []

    # Without a date the trio is as old as the newest date written in it (not "0 days").
    imported = cli.json("lists", "import", str(ofac), "--format", "ofac-csv", "--no-rescreen")
    snapshot = imported["snapshot"]
    assert snapshot["published"] == "2020-02-09"
    assert snapshot["age_days"] == (date.today() - date(2020, 2, 9)).days
    assert snapshot["stale"]

    # A copy of the same list dated at import: the stated date is kept.
    copy = tmp_path / "ofac"
    copy.mkdir()
    for name in ("sdn.csv", "alt.csv"):
        (copy / name).write_bytes((ofac / name).read_bytes())
    stated = (date.today() - timedelta(days=2)).isoformat()
    dated = cli.json(
        "lists", "import", str(copy), "--format", "ofac-csv", "--no-rescreen", "--published", stated
    )
    assert dated["snapshot"]["published"] == stated and dated["snapshot"]["age_days"] == 2


def test_a_rescreen_lists_only_the_hits_not_seen_as_they_are_now(cli: Cli, tmp_path: Path) -> None:
    first = write_uksl(tmp_path / "uksl1.csv", date.today(), [tokayev(), OTHER])
    assert cli("lists", "import", str(first), "--format", "uksl-csv").exit_code == 0
    assert cli("parties", "add", "M-1", "--role", "client", "--kind", "individual",
               "--name", "Kassym-Jomart Tokayev").exit_code == 0  # fmt: skip

    # The same entries in a newer list: the hit is still open, but nothing is news.
    same = write_uksl(tmp_path / "uksl2.csv", date.today() - timedelta(days=1), [tokayev(), OTHER])
    again = cli.json("lists", "import", str(same), "--format", "uksl-csv")
    assert again["rescreened"] == {"cases": 1, "parties": 1, "open_hits": 1}
    assert again["new_hits"] == []

    # The entry changed (another date of birth): shown again, saying why.
    changed = write_uksl(tmp_path / "uksl3.csv", date.today(), [tokayev(dob="17/05/1954"), OTHER])
    text = cli("lists", "import", str(changed), "--format", "uksl-csv")
    assert text.exit_code == 0, text.output
    assert "1 hits to review, 1 of them new or changed" in text.output
    assert "M-1  Kassym-Jomart Tokayev: uksl-csv:TST0001" in text.output
    assert "entry changed" in text.output
