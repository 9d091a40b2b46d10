"""Case-file fixtures: a real store on each engine (a SQLite file on tmp_path, a fresh PostgreSQL
database) and blob directory on tmp_path, a fixed clock, people."""

from __future__ import annotations

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
from duediligence.adapters.identity import computer_account
from duediligence.adapters.locations import StoreLocation, evidence_dir, local_path
from duediligence.adapters.store import SqlStore
from duediligence.cli import main
from duediligence.domain.case import Actor, Person, Supervisor
from duediligence.domain.library import ChecklistLibrary
from duediligence.domain.vocabulary import ClientType, FirmRole, Role
from duediligence.services.casefile import CaseFile, NewCase
from tests.conftest import query, store_argument

CHECKLISTS = Path(__file__).with_name("checklists")
TODAY = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
RECENT = (date.today() - timedelta(days=30)).isoformat()
ME = computer_account()
"""The computer account the command line acts from (supervising people are bound to it)."""
"""For command-line tests on the real clock: training and FWRA dates that stay current."""


@dataclass
class FixedClock:
    """A clock that moves only when told, by a second per reading so records order."""

    moment: datetime = TODAY

    def now(self) -> datetime:
        self.moment += timedelta(seconds=1)
        return self.moment


@pytest.fixture(scope="session")
def library() -> ChecklistLibrary:
    return load_library([CHECKLISTS])


@pytest.fixture
def store_path(tmp_path: Path, new_store: Callable[[Path], StoreLocation]) -> StoreLocation:
    return new_store(tmp_path / "case.sqlite3")


@pytest.fixture
def store(store_path: StoreLocation) -> Iterator[SqlStore]:
    opened = SqlStore(store_path)
    yield opened
    opened.close()


@pytest.fixture
def blobs(store_path: StoreLocation) -> BlobDirectory:
    return BlobDirectory(evidence_dir(store_path))


def actor(user: str) -> Actor:
    return Actor(user=user, os_user="tester")


ALICE = actor("alice")
"""Fee earner, trained."""
BOB = actor("bob")
"""Senior manager and supervisor, trained."""
CAROL = actor("carol")
"""Fee earner without training."""
MARY = actor("mary")
"""MLRO, trained."""
SEAL = "the MLRO's sealing passphrase"
"""The MLRO's passphrase: seals and opens the restricted records."""


@pytest.fixture
def casefile(store: SqlStore, blobs: BlobDirectory, library: ChecklistLibrary) -> CaseFile:
    service = CaseFile(store, blobs, library, FixedClock())
    service.init_firm(
        firm_name="Smith & Co",
        supervisor=Supervisor.SRA,
        fwra_version="2026.1",
        fwra_date=date(2026, 1, 5),
        first_user=Person(
            id="bob",
            name="Bob Senior",
            roles=(Role.SENIOR_MANAGER, Role.SUPERVISOR),
            trained_on=date(2025, 11, 1),
        ),
        os_user="tester",
    )
    service.add_person(
        BOB,
        Person(id="alice", name="Alice Fee", roles=(Role.FEE_EARNER,), trained_on=date(2025, 6, 1)),
    )
    service.add_person(BOB, Person(id="carol", name="Carol New", roles=(Role.FEE_EARNER,)))
    service.add_person(
        BOB,
        Person(
            id="mary",
            name="Mary MLRO",
            roles=(Role.MLRO,),
            trained_on=date(2026, 1, 10),
            os_users=("tester",),  # the MLRO acts only once bound (issue 13, finding 3)
        ),
    )
    return service


@pytest.fixture
def case_ref(casefile: CaseFile) -> str:
    casefile.open_case(
        ALICE,
        NewCase(
            reference="M-001",
            firm_role=FirmRole.SOLICITOR,
            matter_type="residential_purchase",
            client_type=ClientType.INDIVIDUAL,
            responsible="alice",
            acting_for="buyer",
        ),
    )
    return "M-001"


def audit_count(store: StoreLocation) -> int:
    """Events in the chain, read directly (the plain sqlite3 module, or psycopg)."""
    return int(query(store, "SELECT count(*) FROM audit_events")[0][0])


class Cli:
    """Runs `duediligence` against one store."""

    def __init__(self, store: StoreLocation) -> None:
        self.location = store
        """The case file: a SQLite file or a PostgreSQL database."""
        self.store = local_path(store)
        """The SQLite file (for a database, the local stand-in its folders are named after)."""
        self.runner = CliRunner()

    def __call__(self, *args: str, user: str | None = "alice", checklists: bool = True) -> Result:
        extra = ["--store", store_argument(self.location)]
        if user:
            extra += ["--as", user]
        if checklists and args[0] not in {"init", "users", "verify"} and args[1:2] != ("list",):
            extra += ["--checklists", str(CHECKLISTS)]
        return self.runner.invoke(main, [*args, *extra], catch_exceptions=False)

    def json(self, *args: str, **kwargs: Any) -> Any:
        result = self(*args, "--json", **kwargs)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    def audit_count(self) -> int:
        return audit_count(self.location)


@pytest.fixture
def cli(tmp_path: Path, new_store: Callable[[Path], StoreLocation]) -> Cli:
    cli = Cli(new_store(tmp_path / "store" / "case.sqlite3"))
    done = cli(
        "init", "--firm", "Smith & Co", "--supervisor", "sra", "--fwra-version", "2026.1",
        "--fwra-date", RECENT, "--user", "bob", "--name", "Bob Senior",
        "--role", "senior_manager", "--role", "supervisor", "--trained-on", RECENT,
        user=None,
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    assert cli("users", "add", "alice", "--name", "Alice", "--role", "fee_earner", "--trained-on", RECENT, user="bob").exit_code == 0  # fmt: skip
    opened = cli(
        "cases", "new", "M-1", "--kind", "solicitor", "--matter-type", "residential_purchase",
        "--client-type", "individual", "--acting-for", "buyer", "--responsible", "alice",
    )  # fmt: skip
    assert opened.exit_code == 0, opened.output
    return cli
