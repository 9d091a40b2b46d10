"""Opening a PostgreSQL case file (issue 19): how it is named, who migrates it, and the clear
messages when it cannot be used."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from click.testing import CliRunner

from duediligence.adapters.locations import DatabaseUrl, store_location
from duediligence.adapters.store import HEAD_REVISION, MIGRATIONS
from duediligence.cli import main
from duediligence.config import load_settings
from tests.casefile.conftest import Cli
from tests.conftest import query
from tests.postgres import PostgresServer


def test_a_database_address_is_kept_whole_and_printed_without_its_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = "postgresql://alice:s3cret@db.firm.local:5433/casefile?sslmode=require"
    monkeypatch.setenv("DUEDILIGENCE_STORE", url)
    store = load_settings().store
    assert store == DatabaseUrl(url)
    assert str(store) == "postgresql://alice:***@db.firm.local:5433/casefile?sslmode=require"
    assert store_location("postgres://x@/y?host=/run/pg") == DatabaseUrl(
        "postgres://x@/y?host=/run/pg"
    )
    assert store_location("cases/postgresql.sqlite3") == Path("cases/postgresql.sqlite3")


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr


def test_an_empty_database_is_no_case_file_until_init(postgres: PostgresServer) -> None:
    url = postgres.url(postgres.new_database(empty=True))
    code, said = _run("cases", "list", "--store", url, "--as", "bob")
    assert code == 1
    assert "there is no case file in the database" in said and "duediligence init" in said
    assert query(
        DatabaseUrl(url), "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
    ) == [(0,)]


def test_an_older_database_waits_for_the_administrators_migrate(
    postgres: PostgresServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    url = DatabaseUrl(postgres.url(postgres.new_database(empty=True)))
    # The schema as the previous program left it.
    engine = sa.create_engine(url.engine_url())
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0013")
    engine.dispose()
    code, said = _run("cases", "list", "--store", url.url, "--as", "bob")
    assert code == 1
    assert f"is at schema revision 0013 and this program needs {HEAD_REVISION}" in said
    assert "an administrator runs `duediligence migrate" in said
    migrated = CliRunner().invoke(main, ["migrate", "--store", url.url], catch_exceptions=False)
    assert migrated.exit_code == 0, migrated.output
    assert f"is at schema revision {HEAD_REVISION} (it was at 0013)" in migrated.stdout
    again = CliRunner().invoke(main, ["migrate", "--store", url.url], catch_exceptions=False)
    assert "(it already was)" in again.stdout
    cli = Cli(url)
    assert cli("init", "--firm", "F", "--supervisor", "sra", "--fwra-version", "1",
               "--fwra-date", "2026-01-05", "--user", "bob", "--name", "Bob",
               "--role", "senior_manager", user=None).exit_code == 0  # fmt: skip


def test_a_server_that_cannot_be_reached_is_a_clear_message(tmp_path: Path) -> None:
    code, said = _run(
        "cases", "list", "--store", f"postgresql://bob@/casefile?host={tmp_path}", "--as", "bob"
    )
    assert code == 1
    assert said.startswith(f"error: the database postgresql://bob@/casefile?host={tmp_path} ")
    assert "cannot be opened as a case file" in said
