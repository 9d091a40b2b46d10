"""Shared test set-up: where the project checkout lives."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from duediligence.adapters.locations import DatabaseUrl, StoreLocation
from tests.postgres import PostgresServer

PROJECT = Path(__file__).resolve().parents[1]
"""The project checkout."""


@pytest.fixture
def project_root() -> Path:
    """The project checkout (read-only for tests)."""
    return PROJECT


@pytest.fixture(autouse=True)
def no_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts without the `DUEDILIGENCE_*` variables of the shell that runs it (a
    `DUEDILIGENCE_REVIEW_MONTHS__HIGH=999` there must not change what a test sees); a test
    that needs one sets it itself."""
    for name in list(os.environ):
        if name.startswith("DUEDILIGENCE_"):
            monkeypatch.delenv(name)


# ----------------------------------------------------------------------------------------------
# Both engines (issue 19): a case file in a SQLite file or in a PostgreSQL database.

ENGINES = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """This worker's PostgreSQL server (started on first use, removed at the end)."""
    server = PostgresServer()
    yield server
    server.stop()


POSTGRES_TOO = frozenset(
    {
        "test_approval_requests",
        "test_casefile_screening",
        "test_cli",
        "test_concurrent_writers",
        "test_evidence",
        "test_four_eyes",
        "test_relied_on_state",
        "test_restricted",
        "test_retention",
        "test_services",
        "test_summaries",
        "test_tampering",
    }
)
"""The modules whose case-file tests run on PostgreSQL as well as SQLite: the store's own
behaviour (every kind of record written and read back, the CLI on a database address,
conflicts, tampering, restricted records, retention, concurrent writers, screening records).
The rest test the domain's rules through the services, which are the same on either engine,
and run on SQLite: both engines for every test took the suite past its 15 minutes on 2 cores.
A crash-loop soak (`test_reliability`) runs on SQLite; concurrency on PostgreSQL has its own
test."""


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine" not in metafunc.fixturenames:
        return
    for marker in metafunc.definition.iter_markers("parametrize"):
        if "engine" in str(marker.args[0]):
            return  # the test names its engine itself
    module = metafunc.module.__name__.rpartition(".")[2]
    metafunc.parametrize("engine", ENGINES if module in POSTGRES_TOO else ENGINES[:1])


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> str:
    """The engine a case-file test runs on (parametrised by `pytest_generate_tests`)."""
    return str(request.param)


@pytest.fixture
def new_store(
    engine: str, request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[[Path], StoreLocation]:
    """Make a new, empty case-file location on the test's engine: the SQLite file `path`, or a
    fresh database (a copy of the migrated template) whose local folders are under tmp_path."""
    if engine == "sqlite":
        return lambda path: path
    server: PostgresServer = request.getfixturevalue("postgres")
    # The database's local folders (lists, keys, renders) go to the platform data directory.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return lambda _path: DatabaseUrl(server.url(server.new_database()))


def store_argument(store: StoreLocation) -> str:
    """A store as given on a command line (a database's address whole)."""
    return store.url if isinstance(store, DatabaseUrl) else str(store)


def query(store: StoreLocation, statement: str) -> list[tuple[Any, ...]]:
    """Rows of one SQL statement run on the store directly, as someone with the file or the
    database's owner role would (committed)."""
    if isinstance(store, DatabaseUrl):
        import psycopg

        with psycopg.connect(store.url) as conn:
            cursor = conn.execute(statement)
            return list(cursor.fetchall()) if cursor.description else []
    import sqlite3

    lite = sqlite3.connect(store)
    try:
        with lite:
            return list(lite.execute(statement).fetchall())
    finally:
        lite.close()


def table_names(store: StoreLocation) -> list[str]:
    """The store's tables, by name."""
    if isinstance(store, DatabaseUrl):
        sql = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
    return [str(name) for (name,) in query(store, sql)]


def dump(store: StoreLocation) -> str:
    """Every row of every table as text: what someone holding the store could read."""
    lines = []
    for name in table_names(store):
        lines += [repr((name, row)) for row in query(store, f'SELECT * FROM "{name}" ORDER BY 1')]
    return "\n".join(lines)
